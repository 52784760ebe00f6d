#!/usr/bin/env python3
"""The user guide shows real output: every `$ tshark ...` command in docs/user-guide.md
that reads a bundled capture is run again with the built plugin, and its output must be
the one printed under it, line for line. A pipe to `head -N` or `grep WORD` is applied
here. Commands on files the reader makes (the capture step) and `-G plugins` (its last
column is wherever the plugin was loaded from) are listed as not checked.

The guide shows Wireshark 4.0's output; on another version the check is skipped (77)."""
import argparse
import os
import re
import shlex
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, tshark

FENCE = re.compile(r"```\n(.*?)```", re.S)


def commands(text):
    """(command line, expected output lines) for every `$ ` line in a fenced block."""
    for block in FENCE.findall(text):
        current = None
        for line in block.split("\n"):
            if line.startswith("$ "):
                if current:
                    yield current
                current = (line[2:], [])
            elif current:
                current[1].append(line)
        if current:
            yield current


def apply_pipe(output, pipe):
    words = shlex.split(pipe)
    if words[0] == "head" and len(words) == 2 and words[1].startswith("-"):
        return "\n".join(output.split("\n")[: int(words[1][1:])])
    if words[0] == "grep" and len(words) == 2:
        return "\n".join(l for l in output.split("\n") if words[1] in l)
    raise ValueError(f"unsupported pipe: {pipe}")


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--guide", required=True)
    p.add_argument("--top", required=True, help="the source tree (captures/ is under it)")
    args = p.parse_args()
    if args.ws_minor != "4.0":
        print(f"SKIP: the guide shows Wireshark 4.0's output, this is {args.ws_minor}")
        return 77
    with open(args.guide, encoding="utf-8") as f:
        text = f.read()
    checked = failed = 0
    for cmd, expected in commands(text):
        argv_text, _, pipe = cmd.partition(" | ")
        argv = shlex.split(argv_text)
        if argv[0] != "tshark":
            continue
        files = [a for a in argv if a.endswith((".pcapng", ".pcap"))]
        if "-G" in argv or any(not a.startswith("captures/") for a in files):
            print(f"not checked (its output depends on the reader's machine): {cmd}")
            continue
        argv = [f"{args.top}/{a}" if a in files else a for a in argv]
        got = tshark(args, *argv[1:])
        if pipe:
            got = apply_pipe(got, pipe)
        want = "\n".join(expected).rstrip("\n")
        checked += 1
        if got.rstrip("\n") != want:
            failed += 1
            print(f"DIFFERS: {cmd}")
            for i, (w, g) in enumerate(zip(want.split("\n"), got.rstrip("\n").split("\n"))):
                if w != g:
                    print(f"  first difference, line {i + 1}:\n    guide: {w}\n    now:   {g}")
                    break
            else:
                print(f"  guide has {len(want.split(chr(10)))} lines, tshark printed {len(got.rstrip(chr(10)).split(chr(10)))}")
        else:
            print(f"same output: {cmd}")
    if checked == 0:
        print("FAIL: no command of the guide was checked")
        return 1
    print(f"{checked} commands checked, {failed} differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
