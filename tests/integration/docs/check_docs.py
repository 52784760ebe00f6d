#!/usr/bin/env python3
"""The field reference and the plugin agree: every dnsfail field and expert item tshark
knows is documented in docs/fields.md, and every documented name exists."""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, tshark


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--doc", required=True)
    args = p.parse_args()
    registered = set()
    for line in tshark(args, "-G", "fields").splitlines():
        cols = line.split("\t")
        if len(cols) > 2 and cols[0] in ("F", "P") and (cols[2] == "dnsfail" or cols[2].startswith("dnsfail.")):
            registered.add(cols[2])
    with open(args.doc, encoding="utf-8") as f:
        text = f.read().split("## Preferences")[0]  # preference names are not fields
    documented = set(re.findall(r"`(dnsfail(?:\.[a-z0-9_.]+)?)`", text))
    missing = sorted(registered - documented)
    unknown = sorted(documented - registered)
    if missing or unknown:
        print(f"registered but not documented: {missing}")
        print(f"documented but not registered: {unknown}")
        return 1
    print(f"{len(registered)} names registered and documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
