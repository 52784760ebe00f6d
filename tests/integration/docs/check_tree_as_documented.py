#!/usr/bin/env python3
"""dnsfail's part of the packet tree, as README.md and docs/user-guide.md show it (`-O
dnsfail`, tshark 4.0's text), is what tshark prints on this Wireshark version, line for
line. The pages' commands run in doc_commands_* on 4.0 only; this runs their tree examples on
every version. Wireshark's own lines (the frame line, which protocols have a line of their
own) differ between versions and are not compared; dnsfail's are, after
tshark_fields.tree_bytes turns a newer version's conventions (4.6's time units) back into
4.0's, exactly."""
import argparse
import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, tree_bytes

PAGES = ("README.md", os.path.join("docs", "user-guide.md"))
BLOCK = re.compile(r"^```\n\$ (tshark [^\n]*-O dnsfail[^\n]*)\n(.*?)^```", re.M | re.S)


def dnsfail_part(lines):
    """The line "DNS Failure Analysis: ..." and the indented lines under it."""
    out = []
    for line in lines:
        if line.startswith("DNS Failure Analysis"):
            out.append(line)
        elif out and line.startswith(" "):
            out.append(line)
        elif out:
            break
    return out


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--source-dir", required=True)
    args = p.parse_args()
    problems, checked = [], 0
    for page in PAGES:
        with open(os.path.join(args.source_dir, page), encoding="utf-8") as f:
            text = f.read()
        for m in BLOCK.finditer(text):
            command, shown = m.group(1), m.group(2).splitlines()
            argv = shlex.split(command)
            out = subprocess.run([args.runner, args.plugin, args.ws_minor, *argv], cwd=args.source_dir,
                                 capture_output=True, check=False)
            if out.returncode != 0:
                problems.append(f"{page}: `{command}` failed ({out.returncode}): {out.stderr.decode(errors='replace')}")
                continue
            want = dnsfail_part(shown)
            got = dnsfail_part(tree_bytes(args, out.stdout).decode("utf-8").splitlines())
            if not want:
                problems.append(f"{page}: `{command}` shows no DNS Failure Analysis tree")
            elif got != want:
                diff = [f"  - {w}\n  + {g}" for w, g in zip(want, got) if w != g]
                problems.append(f"{page}: `{command}`: dnsfail's tree differs from the page "
                                f"({len(want)} lines shown, {len(got)} printed):\n" + "\n".join(diff))
            checked += 1
    if not checked and not problems:
        problems.append("no `-O dnsfail` example found in " + ", ".join(PAGES))
    if problems:
        print("\n".join(problems))
        return 1
    print(f"{checked} dnsfail trees as the pages show them (tshark {args.ws_minor})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
