#!/usr/bin/env python3
"""Zero false positives, zero misses: on a capture of real traffic, the frames dnsfail
annotates are exactly the ICMP/ICMPv6 errors whose quote Wireshark itself decodes as
UDP or TCP to or from a DNS port (53, 5353, 5355: dnsfail's defaults)."""
import argparse
import sys

from tshark_fields import add_runner_args, fields

INDEPENDENT = ("(icmp.type in {3, 11, 12} || icmpv6.type in {1, 2, 3, 4}) && "
               "(udp.port in {53, 5353, 5355} || tcp.port in {53, 5353, 5355})")


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--capture", required=True)
    args = p.parse_args()
    ours = {r["frame.number"] for r in fields(args, args.capture, "dnsfail", ["frame.number"])}
    theirs = {r["frame.number"] for r in fields(args, args.capture, INDEPENDENT, ["frame.number"])}
    if ours != theirs:
        print(f"annotated but not an ICMP error quoting DNS: {sorted(ours - theirs, key=int)}")
        print(f"ICMP errors quoting DNS left unannotated: {sorted(theirs - ours, key=int)}")
        return 1
    print(f"{len(ours)} frames annotated, exactly the ICMP errors quoting DNS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
