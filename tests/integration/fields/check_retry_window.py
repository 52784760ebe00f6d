#!/usr/bin/env python3
"""The retry-window preference moves the per-frame attempt numbers and the totals
together. crafted.pcapng asks for www.example.com A at 0.1 s (frame 2) and at 1.2 s
(frame 13): with the default 10 s window that is one resolution (attempt 2 on frame 13);
with dnsfail.retry_window:1 it is two (attempt 1), and the report counts one more."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, fields, tshark


def observe(args, options):
    attempt = fields(args, args.capture, "frame.number == 13", ["dnsfail.attempt"], extra=options)[0]["dnsfail.attempt"]
    report = json.loads(tshark(args, "-n", "-q", "-r", args.capture, *options, "-z", "dnsfail,report,json"))
    return attempt, report["totals"]["failed_resolutions"]


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--capture", required=True)
    args = p.parse_args()
    default_attempt, default_failed = observe(args, [])
    short_attempt, short_failed = observe(args, ["-o", "dnsfail.retry_window:1"])
    problems = []
    if (default_attempt, short_attempt) != ("2", "1"):
        problems.append(f"frame 13 attempt: {default_attempt} by default, {short_attempt} with a 1 s window; want 2, 1")
    if short_failed != default_failed + 1:
        problems.append(f"failed resolutions: {default_failed} by default, {short_failed} with a 1 s window")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"retry window honoured by fields and totals ({default_failed} -> {short_failed} failed resolutions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
