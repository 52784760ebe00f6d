#!/usr/bin/env python3
"""dnsfail's -z arguments: a wrong one is an error, not a silent wrong answer; a report of a
disabled dnsfail says so; a filtered stats tree counts the same in one pass and with -2,
and keeps a recovery answered by another server (docs/statistics.md, Filters)."""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, tshark

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_stats import parse_tree

FORMS = "dnsfail's -z forms:"
# (-z argument, what stderr must say besides the forms)
WRONG = [
    ("dnsfail,report,xml", '"xml" is not a report format (text or json); to filter on a protocol alone, write "(xml)".'),
    ("dnsfail,report,json,csv", '"csv" is not a report format'),
    ("dnsfail,report,dnsfail.server ==", "the filter does not compile"),
    ("dnsfail,reportjson", "unknown form"),
    ("dnsfail,tree,xml", '"xml" is not taken for a filter (a mistyped option?); to filter on a protocol alone, write "(xml)".'),
    ("dnsfail,tree,dnsfail.server == 203.0.113.0/24 ===", "the filter does not compile"),
]


# The error as docs/statistics.md (Filters) shows it, word for word.
XML_ERROR = """tshark: -z dnsfail,report,xml: "xml" is not a report format (text or json); to filter on a protocol alone, write "(xml)".
dnsfail's -z forms:
  -z dnsfail,tree[,FILTER]           the totals as a stats tree
  -z dnsfail,report[,FILTER]         the incident report as text
  -z dnsfail,report,json[,FILTER]    the incident report as JSON
FILTER is a display filter, e.g. "dnsfail.server == 203.0.113.5"; a protocol alone goes in
parentheses: "(dns)". See man dnsfail.
"""


def run(args, *tshark_args):
    cmd = [args.runner, args.plugin, args.ws_minor, "tshark", *tshark_args]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--captures", required=True)
    args = p.parse_args()
    failover = os.path.join(args.captures, "failover-recovered.pcapng")
    problems = []

    for zarg, says in WRONG:
        out = run(args, "-n", "-q", "-r", failover, "-z", zarg)
        if out.returncode != 1 or FORMS not in out.stderr or says not in out.stderr or out.stdout.strip():
            problems.append(f"-z {zarg}: exit {out.returncode}, stdout {out.stdout!r}, stderr {out.stderr!r}; "
                            f"want exit status 1 (every Wireshark version), nothing on stdout, and {says!r} with the forms on stderr")

    out = run(args, "-q", "-r", os.path.join(args.captures, "timeouts.pcapng"), "-z", "dnsfail,report,xml")
    if out.stderr != XML_ERROR:
        problems.append(f"-z dnsfail,report,xml: stderr differs from docs/statistics.md:\n{out.stderr}")

    off = tshark(args, "-n", "-q", "--disable-protocol", "dnsfail", "-r", failover, "-z", "dnsfail,report",
                 "-z", "dnsfail,report,json")
    if "\nNo DNS failures: dnsfail is disabled" not in "\n" + off or '"analysed": false' not in off:
        problems.append(f"with dnsfail disabled the report should say so:\n{off}")

    zarg = "dnsfail,tree,dnsfail.server == 203.0.113.2"
    single = parse_tree(tshark(args, "-n", "-q", "-r", failover, "-z", zarg))
    double = parse_tree(tshark(args, "-n", "-q", "-2", "-r", failover, "-z", zarg))
    if single != double:
        problems.append(f"the filtered tree differs between one pass and -2:\n{single}\n{double}")
    want = {("Failed resolutions",): 1, ("Failed attempts",): 3, ("Resolutions recovered after failures",): 1}
    got = {k: single.get(k) for k in want}
    if got != want:
        problems.append(f"filtered to 203.0.113.2 the tree counts {got}, want {want} (the recovery was answered "
                        "by 203.0.113.3, which the filter does not keep)")
    if any(k[:2] == ("Failed attempts", "by server") and len(k) == 3 and k[2] != "203.0.113.2" for k in single):
        problems.append(f"the filtered tree counts attempts at other servers: {single}")

    if problems:
        print("\n".join(problems))
        return 1
    print(f"{len(WRONG)} wrong -z arguments refused; disabled dnsfail reported; filtered tree agrees in both passes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
