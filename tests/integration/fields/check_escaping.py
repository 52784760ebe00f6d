#!/usr/bin/env python3
"""A query name with bytes outside printable ASCII reaches every output escaped.

crafted.pcapng frame 15 quotes a query for the labels "caf\\xc3\\xa9", "a.b" and
"bell\\x07\\x00\\x7f\\xff". dig's escaping (\\DDD for every byte outside printable ASCII, a
backslash before a dot inside a label) must be what dnsfail shows in the Info column, the
packet tree (-V), -T fields, the stats tree, and the report (text and JSON), and none of
those (the parts dnsfail writes) may contain a raw control byte (0x00-0x1f other than
newline and tab, 0x7f) or a byte above 0x7f.

    check_escaping.py --runner R --plugin P --ws-minor M --capture crafted.pcapng
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, fields_bytes, tree_bytes

ESCAPED = ("caf\\195\\169", "a\\.b", "bell\\007\\000\\127\\255")
NAME = ".".join(ESCAPED) + ".example.com"
BAD = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f-\xff]")

failures = []


def tshark(args, *targs):
    cmd = [args.runner, args.plugin, args.ws_minor, "tshark", *(targs if targs[0] == "-G" else ("-n", *targs))]
    out = subprocess.run(cmd, capture_output=True, check=False)
    if out.returncode != 0:
        sys.exit(f"tshark failed ({out.returncode}): {' '.join(cmd)}\n{out.stderr.decode(errors='replace')}")
    return out.stdout


def check(where, data, expect=NAME.encode()):
    """data: bytes dnsfail wrote. The escaped name must be there, and no raw byte."""
    ok = True
    if expect is not None and expect not in data:
        failures.append(f"{where}: the escaped name {expect.decode()!r} is missing")
        ok = False
    for m in BAD.finditer(data):
        start = max(0, m.start() - 40)
        failures.append(f"{where}: raw byte 0x{m.group()[0]:02x} in {data[start:m.end() + 20]!r}")
        ok = False
        break
    print(f"{'ok' if ok else 'FAIL'}: {where} ({len(data)} bytes checked)")


def dnsfail_blocks(text):
    """The top-level 'DNS Failure Analysis' subtrees of -V output, with their children."""
    out, inside = [], False
    for line in text.split(b"\n"):
        if line and not line[:1].isspace():
            inside = line.startswith(b"DNS Failure Analysis")
        if inside:
            out.append(line)
    return b"\n".join(out)


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--capture", required=True)
    args = p.parse_args()
    cap = args.capture

    # Info column, one pass and two: the text dnsfail appends ("[DNS ...]"), on every frame.
    # (tshark_fields reads it in 4.0's conventions: 4.4's -e _ws.col.Info lacks dnsfail's text.)
    for mode in ([], ["-2"]):
        lines = fields_bytes(args, cap, "frame", ["frame.number", "_ws.col.Info"], two_pass=bool(mode))
        ours = b"\n".join(line[line.find(b"[DNS "):] for line in lines.split(b"\n") if b"[DNS " in line)
        check(f"Info column {' '.join(mode) or 'one pass'}", ours)

    # The packet tree: every dnsfail subtree, one pass and two.
    for mode in ([], ["-2"]):
        tree = tree_bytes(args, tshark(args, "-r", cap, *mode, "-V"))
        check(f"tree -V {' '.join(mode) or 'one pass'}", dnsfail_blocks(tree))

    # -T fields: every string field dnsfail registers.
    names = [line.split(b"\t")[2].decode() for line in tshark(args, "-G", "fields").split(b"\n")
             if line.startswith(b"F\t") and line.split(b"\t")[4:5] == [b"dnsfail"]
             and line.split(b"\t")[3] == b"FT_STRING"]
    if "dnsfail.qry.name" not in names:
        failures.append(f"-G fields lists no dnsfail.qry.name among dnsfail's string fields: {names}")
    # (in 4.0's conventions: 4.4 doubles the backslashes of string values)
    fields = fields_bytes(args, cap, "dnsfail", names, two_pass=True)
    check(f"-T fields ({len(names)} string fields)", fields)

    # Totals and the report.
    check("-z dnsfail,tree", tshark(args, "-q", "-r", cap, "-z", "dnsfail,tree"))
    check("-z dnsfail,report", tshark(args, "-q", "-r", cap, "-z", "dnsfail,report"))
    raw = tshark(args, "-q", "-r", cap, "-z", "dnsfail,report,json")
    check("-z dnsfail,report,json (raw bytes)", raw, expect=json.dumps(NAME).encode()[1:-1])
    try:
        doc = json.loads(raw.decode("ascii"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        failures.append(f"-z dnsfail,report,json does not parse: {e}")
    else:
        strings = []

        def walk(v):
            if isinstance(v, str):
                strings.append(v)
            elif isinstance(v, dict):
                for k, x in v.items():
                    walk(k)
                    walk(x)
            elif isinstance(v, list):
                for x in v:
                    walk(x)

        walk(doc)
        check("-z dnsfail,report,json (decoded strings)", "\n".join(strings).encode("utf-8"))

    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        sys.exit(1)
    print("the name is escaped in every output")


if __name__ == "__main__":
    main()
