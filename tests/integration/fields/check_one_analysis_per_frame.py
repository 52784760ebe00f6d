#!/usr/bin/env python3
"""A frame that carries two IP packets is analysed once, for the first one noted.

captures/crafted-pppmux.pcapng (captures/craft_pppmux.py): frames 1 and 2 are DNS queries
(first.mux.example, second.mux.example); frame 3 is one PPP multiplexed frame holding two
IP packets, an ICMP port unreachable quoting frame 1's query, then a SERVFAIL answering
frame 2's. dnsfail's rule (plugin/frame_stash.c, stash_taken): the first IP packet noted
in the frame is the one analysed, once; the frame is never analysed twice. Asserted in one
pass and with -2:

  - tshark exits 0 and says nothing on stderr; no "Dissector bug" and no malformed item;
  - frame 3 really holds both packets (its protocol stack, and the SERVFAIL's rcode);
  - frame 3 has exactly one "DNS Failure Analysis" item in -V, and -e dnsfail.kind gives
    exactly one value, icmp_error, for first.mux.example (the first packet), and no item
    for the SERVFAIL (which, analysed, would add an error_answer);
  - -z dnsfail,tree and -z dnsfail,report,json count one failed attempt and one failed
    resolution, with no error answer.

    check_one_analysis_per_frame.py --runner R --plugin P --ws-minor M --capture crafted-pppmux.pcapng
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args

FRAME = 3
STACK = "ppp:pppmux:ip:icmp:ip:udp:dns:ip:udp:dns"   # the plugin adds no layer
failures = []


def run(args, *tshark_args):
    cmd = [args.runner, args.plugin, args.ws_minor, "tshark", "-r", args.capture, *tshark_args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        failures.append(f"tshark exited {out.returncode}: {' '.join(tshark_args)}\n{out.stderr}")
    elif out.stderr.strip():
        failures.append(f"tshark wrote on stderr ({' '.join(tshark_args)}): {out.stderr.strip()}")
    return out.stdout


def expect(ok, what):
    print(f"{'ok' if ok else 'FAIL'}: {what}")
    if not ok:
        failures.append(what)


def frame_tree(tree, number):
    """The -V lines of one frame (frames begin with a line 'Frame N: ...')."""
    blocks = re.split(r"(?m)^(?=Frame \d+: )", tree)
    for b in blocks:
        if b.startswith(f"Frame {number}: "):
            return b
    return ""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_runner_args(p)
    p.add_argument("--capture", required=True)
    args = p.parse_args()

    for mode, extra in (("one pass", []), ("-2", ["-2"])):
        tree = run(args, *extra, "-V")
        expect("Dissector bug" not in tree, f"{mode}: no 'Dissector bug' in -V")
        expect(not re.search(r"Malformed|\[Expert Info \(Error/Malformed\)", tree), f"{mode}: no malformed item in -V")
        frame = frame_tree(tree, FRAME)
        expect(bool(frame), f"{mode}: frame {FRAME} in -V")
        n = len(re.findall(r"(?m)^DNS Failure Analysis: ", frame))
        expect(n == 1, f"{mode}: frame {FRAME} has one 'DNS Failure Analysis' item (found {n})")
        expect("DNS Failure Analysis: A first.mux.example to 192.0.2.53 failed: udp port 53 unreachable" in frame,
               f"{mode}: frame {FRAME}'s item is the ICMP error of first.mux.example's query")
        expect("second.mux.example" not in "".join(l for l in frame.splitlines(True) if "Failure" in l),
               f"{mode}: no dnsfail item for the SERVFAIL of second.mux.example")

        rows = run(args, *extra, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                   "-e", "frame.number", "-e", "frame.protocols", "-e", "dns.flags.rcode",
                   "-e", "dnsfail.kind", "-e", "dnsfail.qry.name", "-e", "dnsfail.request_in").splitlines()
        row = next((r.split("\t") for r in rows if r.split("\t")[0] == str(FRAME)), None)
        if row is None:
            expect(False, f"{mode}: frame {FRAME} in -T fields")
            continue
        _, protocols, rcodes, kinds, names, request_in = row
        expect(protocols == STACK, f"{mode}: frame {FRAME} holds both IP packets ({protocols})")
        expect(rcodes.split(",")[-1:] == ["2"], f"{mode}: the second packet is a SERVFAIL (dns.flags.rcode {rcodes})")
        expect(kinds == "icmp_error", f"{mode}: frame {FRAME} dnsfail.kind is exactly one value, icmp_error ({kinds!r})")
        expect(names == "first.mux.example", f"{mode}: frame {FRAME} dnsfail.qry.name {names!r}")
        expect(request_in == "1", f"{mode}: frame {FRAME} answers frame 1 ({request_in!r})")
        others = [r for r in rows if r.split("\t")[0] != str(FRAME) and r.split("\t")[3]]
        expect(not others, f"{mode}: no other frame has a dnsfail.kind ({others})")

        stats = run(args, *extra, "-q", "-z", "dnsfail,tree")
        for label, want in (("Failed resolutions", 1), ("Failed attempts", 1)):
            m = re.search(rf"(?m)^{label} +(\d+)", stats)
            expect(m is not None and int(m.group(1)) == want,
                   f"{mode}: -z dnsfail,tree {label} {m.group(1) if m else None}, want {want}")
        report = run(args, *extra, "-q", "-z", "dnsfail,report,json")
        try:
            totals = json.loads(report[report.index("{"):])["totals"]
        except (ValueError, KeyError) as e:
            expect(False, f"{mode}: -z dnsfail,report,json readable ({e})")
            continue
        for key, want in (("failed_attempts", 1), ("failed_resolutions", 1), ("undeliverable_answers", 0)):
            expect(totals.get(key) == want, f"{mode}: report totals.{key} {totals.get(key)}, want {want}")

    if failures:
        sys.exit(f"FAIL: {len(failures)} failures")
    print("one analysis per frame: 0 failures")


if __name__ == "__main__":
    main()
