#!/usr/bin/env python3
"""The plugin adds, it never changes: on a capture, every frame's protocol stack
(frame.protocols), Protocol column and summary line are what plain tshark shows, except
for the " [DNS ...]" note dnsfail appends to the Info of the frames it explains. This
guards the dissector hooks (see docs/design.md), which must be invisible."""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, tshark

NOTE = re.compile(r" \[DNS .*\]$")  # dnsfail's note ends the line (its text may hold brackets)


def lines(args, plugin, capture, *extra):
    saved = args.plugin
    args.plugin = plugin
    try:
        return tshark(args, "-n", "-r", capture, *extra).splitlines()
    finally:
        args.plugin = saved


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--capture", required=True)
    args = p.parse_args()
    problems = []
    stacks = ["-T", "fields", "-e", "frame.number", "-e", "frame.protocols", "-e", "_ws.col.Protocol"]
    for mode in ([], ["-2"]):
        if lines(args, args.plugin, args.capture, *mode, *stacks) != lines(args, "none", args.capture, *mode, *stacks):
            problems.append(f"frame.protocols or the Protocol column differ ({' '.join(mode) or 'single pass'})")
        ours = [NOTE.sub("", line) for line in lines(args, args.plugin, args.capture, *mode)]
        plain = lines(args, "none", args.capture, *mode)
        for a, b in zip(ours, plain):
            if a != b:
                problems.append(f"summary differs beyond dnsfail's note:\n  with:    {a}\n  without: {b}")
                break
        if len(ours) != len(plain):
            problems.append("a different number of frames")
    if problems:
        print("\n".join(problems))
        return 1
    print("same protocol stacks, columns and summaries as plain tshark, but for dnsfail's notes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
