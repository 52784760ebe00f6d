#!/usr/bin/env python3
"""Display filters an analyst types, each with the number of frames it must select in a
bundled capture: typed fields, the string address fields for IPv4 and IPv6, subnet
filters on the hidden address fields (server, client, reporter), the failures only
(dnsfail.failed), expert items, two-pass-only fields."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, tshark

CASES = [
    # capture, two-pass, filter, frames
    ("incident-port-unreachable", False, "dnsfail", 3),
    ("incident-port-unreachable", False, "dnsfail.server == 203.0.113.2", 3),
    ("incident-port-unreachable", False, "dnsfail.client == 192.51.100.15 && dnsfail.server.port == 53", 3),
    ("incident-port-unreachable", False, "dnsfail.server.ipv4 == 203.0.113.0/24", 3),
    ("incident-port-unreachable", False,
     "dnsfail.server.ipv4 == 203.0.113.0/24 || dnsfail.server.ipv6 == 2001:db8:113::/48", 3),
    ("incident-port-unreachable", False, 'dnsfail.qry.name == "www.yummyrecipesforme.com"', 3),
    ("incident-port-unreachable", False, "dnsfail.qry.type == 1 && dnsfail.qry.class == 1", 3),
    ("incident-port-unreachable", False, 'dnsfail.reason == "udp port 53 unreachable"', 3),
    ("incident-port-unreachable", False, 'dnsfail.diagnosis == "no_listener"', 3),
    ("incident-port-unreachable", False, "dnsfail.attempt == 3", 1),
    ("incident-port-unreachable", False, "dnsfail.failure", 3),
    ("incident-port-unreachable", False, "dnsfail.failed", 3),
    ("incident-port-unreachable", True, "dnsfail.failed", 3),  # not the query frames (dnsfail.error_in)
    ("incident-port-unreachable", False, "dnsfail.client.ipv4 == 192.51.100.0/24", 3),
    ("incident-port-unreachable", False, "dnsfail.reporter.ipv4 == 203.0.113.0/24", 3),
    ("incident-port-unreachable", False, "dnsfail.client.ipv4 == 10.0.0.0/8 || dnsfail.reporter.ipv4 == 10.0.0.0/8", 0),
    # Wireshark's own expert fields: a tree that shows nothing must still get dnsfail's
    # expert items when a filter asks for them (dnsfail_expert_wanted).
    ("incident-port-unreachable", False, '_ws.expert.message contains "udp port 53 unreachable"', 3),
    ("incident-port-unreachable", False, "_ws.expert.severity == warning && dnsfail", 3),
    ("incident-port-unreachable", False, "dnsfail.error_in", 0),
    ("incident-port-unreachable", True, "dnsfail.error_in", 3),
    ("incident-port-unreachable", True, "dnsfail.query_failed", 3),
    ("incident-port-unreachable", True, "dnsfail || dnsfail.error_in", 6),
    ("incident-port-unreachable", False, "dns", 6),
    ("ipv6", False, "dnsfail.server == 2001:db8:113::2", 4),
    ("ipv6", False, 'dnsfail.server == "2001:db8:113::2"', 4),
    ("ipv6", False, "dnsfail.server.ipv6 == 2001:db8:113::/48", 5),
    ("ipv6", False, "dnsfail.icmp.version == 6 && dnsfail.icmp.type == 1", 5),
    ("ipv6", False, "dnsfail.qry.type == 28", 7),
    ("ipv6", False, "dnsfail.client.ipv6 == 2001:db8:51::/48", 7),
    ("ipv6", False, "dnsfail.reporter.ipv6 == 2001:db8:51::/64", 5),
    ("ipv6", False, "dnsfail.client.ipv4 || dnsfail.server.ipv4 || dnsfail.reporter.ipv4", 0),
    ("router-host-unreachable", False, "dnsfail.reporter.ipv4 == 192.51.100.0/24 && dnsfail.server.ipv4 == 203.0.113.0/24", 1),
    ("late-answer", False, 'dnsfail.kind == "answer_undeliverable" && dnsfail.response', 1),
    ("late-answer", False, "dnsfail.answer_undeliverable", 1),
    ("late-answer", False, "dnsfail.failure", 0),
    ("late-answer", True, "dnsfail.failed", 0),
    ("late-answer", True, "dnsfail && !dnsfail.failed", 1),
    ("tcp-reject", False, "dnsfail.transport == 6", 1),
    ("tcp-reject", False, "dnsfail.request_in == 5", 1),
    ("tcp-reject", True, "dnsfail.error_in == 6 && tcp.flags.syn == 1", 1),
    ("tcp-rst", False, 'dnsfail.kind == "tcp_refused" && dnsfail.server.port == 53 && dnsfail.request_in == 6', 1),
    ("tcp-rst", True, "dnsfail.error_in == 7", 1),
    ("crafted", True, 'dnsfail.kind == "tcp_refused" || dnsfail.error_in == 23', 0),
    ("tcp-accepted-reset", True, "dnsfail || dnsfail.error_in", 0),
    ("crafted", False, "dnsfail.quote_truncated == 1", 5),
    ("crafted", False, "dnsfail.recovered", 2),
    ("crafted", False, "dnsfail.quote_short", 5),
    ("crafted", False, "dnsfail.malformed", 1),
    ("crafted", False, 'dnsfail.request_match == "datagram"', 2),
    # Case l: captured with checksum offload; only the computed checksum finds the first try.
    ("crafted", False, 'dnsfail.request_match == "datagram" && dnsfail.request_in == 27', 1),
    ("crafted", True, "dnsfail.error_in == 29 && udp.srcport == 40021 && dns.id == 0x5151", 1),
    ("router-host-unreachable", False, "dnsfail.reporter == 192.51.100.1 && dnsfail.reporter.is_target == 0", 1),
    # Its one NXDOMAIN answer is annotated (kind nxdomain); nothing else.
    ("ordinary-dns", False, "dnsfail || dnsfail.error_in", 1),
    ("ordinary-dns", True, 'dnsfail.kind == "nxdomain"', 1),
    ("ordinary-dns", True, "dnsfail.failure || dnsfail.error_in", 0),
    ("ordinary-dns", True, "dnsfail.failed", 0),
    ("error-answers", False, 'dnsfail.kind == "servfail"', 2),
    ("error-answers", False, 'dnsfail.kind == "refused" && dnsfail.ede == 18', 1),
    ("error-answers", False, "dnsfail.rcode == 16", 1),
    ("error-answers", False, 'dnsfail.ede == 6 && dnsfail.diagnosis == "server_failure"', 1),
    ("error-answers", False, 'dnsfail.ede.text contains "authority"', 1),
    ("error-answers", False, "dnsfail.failure", 6),
    ("error-answers", False, "dnsfail.failed", 6),  # not the NXDOMAIN answer
    ("error-answers", False, "dnsfail.failed == 0", 0),  # present only when true
    ("error-answers", False, "dnsfail.nxdomain", 1),
    ("error-answers", True, "dnsfail.error_in", 6),
    # Timeouts are known on the query frame in two passes; single pass has only late answers.
    ("timeouts", True, 'dnsfail.kind == "timeout"', 5),
    ("timeouts", False, 'dnsfail.kind == "timeout"', 0),
    ("timeouts", True, 'dnsfail.kind == "timeout" && dnsfail.attempt == 2', 1),
    ("timeouts", True, 'dnsfail.qry.name == "silent.example.com" && dnsfail.diagnosis == "no_answer"', 2),
    ("timeouts", True, "dnsfail.timeout", 5),
    ("timeouts", True, "dnsfail.timeout_value == 5", 7),
    ("timeouts", True, "dnsfail.late_answer_in", 2),
    ("timeouts", False, 'dnsfail.kind == "late_answer"', 2),
    ("timeouts", False, "dnsfail.late_answer && dnsfail.request_in == 18 && dnsfail.time > 6", 1),
    ("timeouts", False, 'dnsfail.kind == "answer_undeliverable" && dnsfail.request_in == 24', 1),
    ("timeouts", False, "dnsfail.failure", 0),
    # Timeouts are failed attempts; late and undeliverable answers are not.
    ("timeouts", True, "dnsfail.failed", 5),
    ("timeouts", True, 'dnsfail.failed && dnsfail.kind == "timeout"', 5),
    ("timeouts", False, "dnsfail.failed", 0),
    # DNS over TCP: messages inside accepted connections.
    ("tcp-answers", False, 'dnsfail.kind == "servfail" && dnsfail.transport == 6 && dnsfail.request_in == 7', 1),
    ("tcp-answers", False, 'dnsfail.kind == "refused" && tcp', 1),
    ("tcp-answers", False, 'dnsfail.kind == "nxdomain"', 3),
    ("tcp-answers", True, "dnsfail.error_in", 2),
    ("tcp-answers", True, 'dnsfail.kind == "timeout" && dnsfail.transport == 6 && dnsfail.qry.name == "tcpsilent.example.com"', 1),
    ("error-answers", False, "dnsfail.request_in && dnsfail.reporter == 203.0.113.2", 7),
]


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--captures", required=True)
    args = p.parse_args()
    bad = 0
    for capture, two_pass, flt, want in CASES:
        path = os.path.join(args.captures, capture + ".pcapng")
        extra = ["-2"] if two_pass else []
        got = len(tshark(args, "-n", "-r", path, *extra, "-Y", flt).splitlines())
        if got != want:
            bad += 1
            print(f"FAIL {capture}{' -2' if two_pass else ''}: -Y '{flt}' selects {got} frames, want {want}")
    print(f"{len(CASES) - bad} of {len(CASES)} filters select what they should")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
