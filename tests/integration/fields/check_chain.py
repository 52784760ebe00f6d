#!/usr/bin/env python3
"""The link between a resolver's two legs, asserted frame by frame on every capture.

    check_chain.py --runner tshark_as_user.sh --plugin dnsfail.so --ws-minor 4.0 --captures DIR

On each real resolver's capture (captures/README.md, one line each, says which frames are
client-facing failures and which are upstream failures): every client-facing failure has
exactly the upstream failures that caused it as dnsfail.cause_in, with the match expected;
the upstream failures, and only they, are dnsfail.upstream and point back
(dnsfail.explains_in, later passes); a client's answer after upstream failures the resolver
recovered from is a tap record. On unbound-two-clients, nothing of 192.0.2.11's traffic is
linked. On every other capture nothing is linked at all.
"""
import argparse
import glob
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, fields, tshark

SAME = "same_question"

# capture -> {client-facing failure frame: (cause frames, match of each)}; the upstream
# failures are the union of the causes, plus any named in UPSTREAM_ONLY.
LINKS = {
    "dnsmasq-upstream-unreachable": {3: ([7, 10], SAME), 8: ([7, 10], SAME)},
    "dnsmasq-upstream-silent": {3: ([6, 8], SAME), 7: ([6, 8], SAME)},
    "dnsmasq-upstream-refused": {8: ([7], SAME)},
    "unbound-upstream-unreachable": {15: ([7, 9, 11, 13], SAME)},
    "unbound-upstream-silent": {11: ([6, 7, 8, 9], SAME)},
    "unbound-upstream-refused": {16: ([7, 9, 11, 13, 15], SAME)},
    "unbound-recursive-recovered": {},
    "unbound-recursive-all-down": {34: ([13, 15, 17, 19, 23, 25, 27, 29], SAME)},
    "unbound-two-clients": {27: ([11, 17, 21, 23], SAME)},
    # A refused connection carries no question: linked by the time it was made.
    "unbound-tcp-refused": {14: ([7, 9, 11, 13], "during")},
}
UPSTREAM_ONLY = {"unbound-recursive-recovered": [27, 29]}
# Answers in time after upstream failures recovered from: a DNSFAIL_TAP_UPSTREAM_RECOVERED
# record; and answers that must have none.
RECOVERED = {"unbound-recursive-recovered": [34]}
NOT_TAPPED = {"unbound-two-clients": [13]}
QUIET_CLIENT = {"unbound-two-clients": "192.0.2.11"}
# Refused connections are known to be the resolver's once the failure they explain is:
# in tshark's single pass they were shown before.
UPSTREAM_LATER = {"unbound-tcp-refused"}

NAMES = ["frame.number", "dnsfail.client", "dnsfail.upstream", "dnsfail.cause_in", "dnsfail.cause_match",
         "dnsfail.explains_in", "dnsfail.cause"]

TAP_LUA = """
local seen = {}
local tap = Listener.new("dnsfail")
function tap.packet(pinfo) seen[#seen + 1] = pinfo.number end
function tap.draw() for _, n in ipairs(seen) do print("tapped " .. n) end end
"""


def numbers(text):
    return [int(x) for x in text.split(",") if x]


def tapped_frames(args, capture):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="dnsfail-chain-", delete=False) as f:
        f.write(TAP_LUA)
        lua = f.name
    try:
        os.chmod(lua, 0o644)
        out = tshark(args, "-r", capture, "-q", "-X", "lua_script:" + lua)
    finally:
        os.unlink(lua)
    return {int(line.split()[1]) for line in out.splitlines() if line.startswith("tapped ")}


def check_unlinked(args, capture, stem, problems):
    rows = fields(args, capture, "dnsfail.cause_in || dnsfail.upstream || dnsfail.explains_in", NAMES[:1],
                  two_pass=True)
    if rows:
        problems.append(f"{stem}: linked frames " + ",".join(r["frame.number"] for r in rows))


def check_capture(args, capture, stem, problems):
    if stem not in LINKS:
        check_unlinked(args, capture, stem, problems)
        return
    links = LINKS[stem]
    upstream = set(UPSTREAM_ONLY.get(stem, []))
    explains = {}
    for frame, (causes, _match) in links.items():
        upstream.update(causes)
        for c in causes:
            explains.setdefault(c, []).append(frame)
    for two_pass in (False, True):
        mode = "two-pass" if two_pass else "single"
        rows = fields(args, capture, "dnsfail", NAMES, two_pass=two_pass)
        for r in rows:
            frame = int(r["frame.number"])
            where = f"{stem} frame {frame} ({mode})"
            causes, match = links.get(frame, ([], None))
            if numbers(r["dnsfail.cause_in"]) != causes:
                problems.append(f"{where}: cause_in {r['dnsfail.cause_in'] or '-'}, expected {causes or '-'}")
            want_matches = ",".join([match] * len(causes))
            if r["dnsfail.cause_match"] != want_matches:
                problems.append(f"{where}: cause_match {r['dnsfail.cause_match'] or '-'}, expected "
                                f"{want_matches or '-'}")
            if bool(r["dnsfail.cause"]) != bool(causes):
                problems.append(f"{where}: cause {r['dnsfail.cause'] or '-'}")
            want_upstream = frame in upstream and (two_pass or stem not in UPSTREAM_LATER)
            if (r["dnsfail.upstream"] == "1") != want_upstream:
                problems.append(f"{where}: upstream {r['dnsfail.upstream'] or '-'}, expected {want_upstream}")
            # Back-links are known once the failure they explain has been read.
            want_back = sorted(explains.get(frame, [])) if two_pass else []
            if sorted(numbers(r["dnsfail.explains_in"])) != want_back:
                problems.append(f"{where}: explains_in {r['dnsfail.explains_in'] or '-'}, expected {want_back or '-'}")
            quiet = QUIET_CLIENT.get(stem)
            if quiet and r["dnsfail.client"] == quiet and (r["dnsfail.cause_in"] or r["dnsfail.upstream"]):
                problems.append(f"{where}: {quiet}'s traffic is linked")
        # A timeout is shown on its query's frame, which a single pass has read before.
        shown = {int(r["frame.number"]) for r in rows}
        for frame in list(links) + sorted(upstream):
            if two_pass and frame not in shown:
                problems.append(f"{stem} frame {frame} ({mode}): not a dnsfail frame")
    if RECOVERED.get(stem) or NOT_TAPPED.get(stem):
        tapped = tapped_frames(args, capture)
        for frame in RECOVERED.get(stem, []):
            if frame not in tapped:
                problems.append(f"{stem} frame {frame}: no tap record for the answer after upstream failures")
        for frame in NOT_TAPPED.get(stem, []):
            if frame in tapped:
                problems.append(f"{stem} frame {frame}: a tap record on an answer nothing failed for")


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--captures", required=True)
    args = p.parse_args()
    problems = []
    stems = []
    for capture in sorted(glob.glob(os.path.join(args.captures, "*.pcapng"))):
        stem = os.path.splitext(os.path.basename(capture))[0]
        stems.append(stem)
        check_capture(args, capture, stem, problems)
    missing = sorted(set(LINKS) - set(stems))
    if missing:
        problems.append("captures missing: " + ", ".join(missing))
    for line in problems:
        print(line)
    if problems:
        sys.exit(1)
    print(f"resolver chains as expected on {len(stems)} captures")


if __name__ == "__main__":
    main()
