#!/usr/bin/env python3
"""Zero false positives, zero misses: on a capture of real traffic, the frames dnsfail
annotates as ICMP failures are exactly the ICMP/ICMPv6 errors whose quote Wireshark
itself decodes as UDP or TCP to or from a DNS port (53, 5353, 5355: dnsfail's defaults),
the frames it annotates as answers are exactly the DNS responses whose RCODE (with
EDNS's extended bits) is not NOERROR, and the resets it calls refusals are exactly the
resets from a DNS port that acknowledge a SYN; the queries it says timed out are exactly the
unicast DNS queries Wireshark found no response for (dns.response_in, two passes), that no ICMP
error or reset answered, with at least the timeout (5 s) of capture after them and no answer
to the client's question (a retry's) before their deadline, or that
the client retried before their deadline (its next query of the same question to the
same server, within the 10 s retry window) with no answer to the question after them; and
the answers it calls late are exactly those Wireshark times at more than 5 s (dns.time)."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, fields

INDEPENDENT = ("(icmp.type in {3, 11, 12} || icmpv6.type in {1, 2, 3, 4}) && "
               "(udp.port in {53, 5353, 5355} || tcp.port in {53, 5353, 5355})")
OURS = 'dnsfail.kind == "icmp_error" || dnsfail.kind == "answer_undeliverable"'
INDEPENDENT_ANSWERS = ("dns.flags.response == 1 && !icmp && !icmpv6 && "
                       "(dns.flags.rcode != 0 || dns.resp.ext_rcode != 0)")
OURS_ANSWERS = ('dnsfail && !icmp && !icmpv6 && dns.flags.response == 1 && '
                '!(dnsfail.kind in {"late_answer", "tcp_refused"})')
# A reset from a DNS port acknowledging the SYN itself (relative ack 1): a refused connection.
INDEPENDENT_TCP = "tcp.flags.reset == 1 && tcp.flags.ack == 1 && tcp.srcport in {53, 5353, 5355} && tcp.ack == 1"
OURS_TCP = 'dnsfail.kind == "tcp_refused"'
TIMEOUT_S = 5.0
RETRY_WINDOW_S = 10.0
OURS_TIMEOUTS = 'dnsfail.kind == "timeout"'
OURS_LATE = 'dnsfail.kind == "late_answer"'
INDEPENDENT_LATE = f"dns.flags.response == 1 && dns.time > {TIMEOUT_S} && !icmp && !icmpv6"


def frames(args, capture, flt, two_pass=False):
    return {r["frame.number"] for r in fields(args, capture, flt, ["frame.number"], two_pass=two_pass)}


def last_time(args, capture):
    rows = fields(args, capture, "frame", ["frame.time_relative"])
    return max(float(r["frame.time_relative"]) for r in rows) if rows else 0.0


def unanswered_queries(args, capture):
    """DNS queries to a DNS port that got no response, no ICMP error and no reset, with
    the timeout passing before the capture ends, and those answered only after the
    timeout. A TCP SYN nothing answered counts too."""
    end = last_time(args, capture)
    # A query to a multicast group (mDNS, LLMNR) is answered by a member from its own
    # address: it cannot time out (224.0.0.0/4, ff00::/8).
    queries = fields(args, capture, "dns.flags.response == 0 && !icmp && !icmpv6 && !dns.response_in && "
                     "!dnsfail.error_in && (udp.dstport in {53, 5353, 5355} || tcp.dstport in {53, 5353, 5355}) && "
                     "!(ip.dst == 224.0.0.0/4) && !(ipv6.dst == ff00::/8)",
                     ["frame.number", "frame.time_relative"], two_pass=True)
    syns = fields(args, capture, "tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport in {53, 5353, 5355} && "
                  "!dnsfail.error_in && !tcp.analysis.retransmission",
                  ["frame.number", "frame.time_relative", "tcp.stream"], two_pass=True)
    answered_streams = {r["tcp.stream"] for r in fields(args, capture, "tcp.flags.syn == 1 && tcp.flags.ack == 1",
                                                        ["tcp.stream"])}
    out = {r["frame.number"] for r in queries if float(r["frame.time_relative"]) + TIMEOUT_S <= end}
    # ... unless the client's question got an answer before the deadline (a retry was
    # answered, even with an error: a resolver that drops its late reply and answers the
    # retry at once): that try was superseded, not timed out.
    out -= superseded(args, capture, out)
    # A query answered only after the timeout timed out all the same.
    out |= {r["dns.response_to"] for r in fields(args, capture, INDEPENDENT_LATE, ["dns.response_to"], two_pass=True)}
    out |= {r["frame.number"] for r in syns
            if r["tcp.stream"] not in answered_streams and float(r["frame.time_relative"]) + TIMEOUT_S <= end}
    out |= retried_unanswered(args, capture, {r["frame.number"] for r in queries})
    return out


def question_key(r, peer):
    return (r["ip.src"] or r["ipv6.src"], peer, r["dns.qry.name"].lower(), r["dns.qry.type"], r["dns.qry.class"])


def superseded(args, capture, unanswered):
    """The unanswered queries whose client got an answer to the same question (name, type
    and class, from any server) after sending them and before their deadline."""
    names = ["frame.number", "frame.time_relative", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
             "dns.qry.name", "dns.qry.type", "dns.qry.class"]
    queries = [q for q in fields(args, capture, "dns.flags.response == 0 && !icmp && !icmpv6", names)
               if q["frame.number"] in unanswered]
    answers = fields(args, capture, "dns.flags.response == 1 && !icmp && !icmpv6", names)
    out = set()
    for q in queries:
        sent = float(q["frame.time_relative"])
        client, _, name, qtype, qclass = question_key(q, "")
        if any(sent <= float(a["frame.time_relative"]) <= sent + TIMEOUT_S
               and (a["ip.dst"] or a["ipv6.dst"]) == client
               and (a["dns.qry.name"].lower(), a["dns.qry.type"], a["dns.qry.class"]) == (name, qtype, qclass)
               for a in answers):
            out.add(q["frame.number"])
    return out


def retried_unanswered(args, capture, unanswered):
    """The unanswered queries the client retried before their deadline (the next query
    of the question from the same client to the same server, within the retry window),
    when no answer in time to the client's question came after them."""
    names = ["frame.number", "frame.time_relative", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
             "dns.qry.name", "dns.qry.type", "dns.qry.class"]
    queries = fields(args, capture, "dns.flags.response == 0 && dns.count.queries == 1 && !icmp && !icmpv6", names)
    answers = fields(args, capture, f"dns.flags.response == 1 && dns.time <= {TIMEOUT_S} && !icmp && !icmpv6",
                     names + ["dns.time"])
    series = {}
    for q in queries:
        series.setdefault(question_key(q, q["ip.dst"] or q["ipv6.dst"]), []).append(q)
    out = set()
    for tries in series.values():
        for q, nxt in zip(tries, tries[1:]):
            sent, retry = float(q["frame.time_relative"]), float(nxt["frame.time_relative"])
            if q["frame.number"] not in unanswered or not retry - sent < min(TIMEOUT_S, RETRY_WINDOW_S + 1e-9):
                continue
            client, _, name, qtype, qclass = question_key(q, "")
            answered = any(float(a["frame.time_relative"]) >= sent and (a["ip.dst"] or a["ipv6.dst"]) == client
                           and (a["dns.qry.name"].lower(), a["dns.qry.type"], a["dns.qry.class"]) == (name, qtype, qclass)
                           for a in answers)
            if not answered:
                out.add(q["frame.number"])
    return out


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--capture", required=True)
    args = p.parse_args()
    bad = 0
    for what, ours_flt, theirs_flt in (("ICMP errors quoting DNS", OURS, INDEPENDENT),
                                        ("error and NXDOMAIN answers", OURS_ANSWERS, INDEPENDENT_ANSWERS),
                                        ("refused TCP connections", OURS_TCP, INDEPENDENT_TCP),
                                        ("late answers", OURS_LATE, INDEPENDENT_LATE),
                                        ("timed-out queries", OURS_TIMEOUTS, None)):
        ours = frames(args, args.capture, ours_flt, two_pass=True)
        theirs = unanswered_queries(args, args.capture) if theirs_flt is None else frames(args, args.capture, theirs_flt)
        if ours != theirs:
            print(f"{what}: annotated but not one: {sorted(ours - theirs, key=int)}")
            print(f"{what}: left unannotated: {sorted(theirs - ours, key=int)}")
            bad += 1
        else:
            print(f"{len(ours)} frames annotated, exactly the {what}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
