#!/usr/bin/env python3
"""dnsfail.failed marks exactly the failed attempts, on every bundled capture:

  - in one pass and with -2, the frames it selects are those whose dnsfail.kind is a
    failure (every kind but nxdomain, late_answer and answer_undeliverable), and it is
    never present and false;
  - with -2, where every failure is on its own frame, it selects as many frames as the
    report counts failed attempts.
"""
import argparse
import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, fields, tshark

NOT_FAILURES = {"nxdomain", "late_answer", "answer_undeliverable"}


def check_capture(args, capture, problems):
    name = os.path.basename(capture)
    for two_pass in (False, True):
        rows = fields(args, capture, "dnsfail", ["frame.number", "dnsfail.kind", "dnsfail.failed"], two_pass=two_pass)
        mode = "-2" if two_pass else "one pass"
        for row in rows:
            failure = row["dnsfail.kind"] not in NOT_FAILURES
            want = "1" if failure else ""
            if row["dnsfail.failed"] != want:
                problems.append(f"{name} {mode} frame {row['frame.number']} ({row['dnsfail.kind']}): "
                                f"dnsfail.failed {row['dnsfail.failed']!r}, want {want!r}")
        if two_pass:
            marked = sum(1 for row in rows if row["dnsfail.failed"] == "1")
            report = json.loads(tshark(args, "-n", "-q", "-r", capture, "-z", "dnsfail,report,json"))
            attempts = report["totals"]["failed_attempts"]
            if marked != attempts:
                problems.append(f"{name}: -2 -Y dnsfail.failed selects {marked} frames, the report counts "
                                f"{attempts} failed attempts")
    return len(rows)


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--captures", required=True)
    args = p.parse_args()
    problems = []
    captures = sorted(glob.glob(os.path.join(args.captures, "*.pcapng")))
    frames = sum(check_capture(args, c, problems) for c in captures)
    if not captures or frames == 0:
        problems.append(f"no dnsfail frame in {args.captures}")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"dnsfail.failed marks exactly the failed attempts on {len(captures)} captures ({frames} dnsfail frames)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
