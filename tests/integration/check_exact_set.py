#!/usr/bin/env python3
"""Zero false positives, zero misses: on a capture of real traffic, the frames dnsfail
annotates as ICMP failures are exactly the ICMP/ICMPv6 errors whose quote Wireshark
itself decodes as UDP or TCP to or from a DNS port (53, 5353, 5355: dnsfail's defaults),
the frames it annotates as answers are exactly the DNS responses whose RCODE (with
EDNS's extended bits) is not NOERROR, and the resets it calls refusals are exactly the
resets from a DNS port that acknowledge a SYN."""
import argparse
import sys

from tshark_fields import add_runner_args, fields

INDEPENDENT = ("(icmp.type in {3, 11, 12} || icmpv6.type in {1, 2, 3, 4}) && "
               "(udp.port in {53, 5353, 5355} || tcp.port in {53, 5353, 5355})")
OURS = 'dnsfail.kind == "icmp_error" || dnsfail.kind == "answer_undeliverable"'
INDEPENDENT_ANSWERS = ("dns.flags.response == 1 && !icmp && !icmpv6 && "
                       "(dns.flags.rcode != 0 || dns.resp.ext_rcode != 0)")
OURS_ANSWERS = 'dnsfail && !icmp && !icmpv6 && !tcp'
# A reset from a DNS port acknowledging the SYN itself (relative ack 1): a refused connection.
INDEPENDENT_TCP = "tcp.flags.reset == 1 && tcp.flags.ack == 1 && tcp.srcport in {53, 5353, 5355} && tcp.ack == 1"
OURS_TCP = 'dnsfail.kind == "tcp_refused"'


def frames(args, capture, flt):
    return {r["frame.number"] for r in fields(args, capture, flt, ["frame.number"])}


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--capture", required=True)
    args = p.parse_args()
    bad = 0
    for what, ours_flt, theirs_flt in (("ICMP errors quoting DNS", OURS, INDEPENDENT),
                                        ("error and NXDOMAIN answers", OURS_ANSWERS, INDEPENDENT_ANSWERS),
                                        ("refused TCP connections", OURS_TCP, INDEPENDENT_TCP)):
        ours, theirs = frames(args, args.capture, ours_flt), frames(args, args.capture, theirs_flt)
        if ours != theirs:
            print(f"{what}: annotated but not one: {sorted(ours - theirs, key=int)}")
            print(f"{what}: left unannotated: {sorted(theirs - ours, key=int)}")
            bad += 1
        else:
            print(f"{len(ours)} frames annotated, exactly the {what}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
