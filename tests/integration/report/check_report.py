#!/usr/bin/env python3
"""The incident report (-z dnsfail,report and -z dnsfail,report,json): what an analyst
pastes must name the failing server, the clients, the names with their attempts, the
ICMP reason in tcpdump's words, the likely cause and what to try; the same in single
pass and two-pass; the JSON must parse and validate against docs/report-schema.json."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, tshark

try:
    import jsonschema
except ImportError:  # .ci/test-deps installs python3-jsonschema
    jsonschema = None

# Lines the text report of a capture must contain.
TEXT = {
    "incident-port-unreachable": [
        "DNS failure report",
        "Service affected: DNS over UDP port 53",
        "Failed resolutions: 1 (3 failed attempts); recovered after failures: 0; undeliverable answers: 0",
        "Server 203.0.113.2, DNS over UDP port 53",
        "  1 failed resolution, 3 failed attempts, from 1 client",
        "  Clients: 192.51.100.15",
        "  Queries: www.yummyrecipesforme.com A (3 attempts)",
        "  ICMP: udp port 53 unreachable, reported by 203.0.113.2 (the server itself)",
        "What to try",
    ],
    "failover-recovered": [
        "Failed resolutions: 1 (4 failed attempts); recovered after failures: 2; undeliverable answers: 0",
        "  Queries: stillbroken.example.com A (2 attempts)",
    ],
    "router-host-unreachable": [
        "  ICMP: host 203.0.113.9 unreachable, reported by 192.51.100.1 (a router or firewall on the path)",
    ],
    "mdns-llmnr-unreachable": [
        "Service affected: mDNS over UDP port 5353, LLMNR over UDP port 5355",
    ],
    "ordinary-dns": [
        "No DNS failures: no ICMP error in this capture answers a DNS message.",
    ],
    "error-answers": [
        "Failed resolutions: 5 (6 failed attempts); recovered after failures: 1; undeliverable answers: 0",
        "NXDOMAIN answers: 1 (names that do not exist; not failures)",
        "  Answer: ServFail from the server (x2)",
        "  Answer: Refused from the server",
        "  Answer: BadVers from the server",
    ],
    "timeouts": [
        "Failed resolutions: 3 (5 failed attempts); recovered after failures: 1; undeliverable answers: 1",
        "Timeouts: 5 queries got no answer within 5 s (failed attempts nobody reported)",
        "Late answers: 2 answers came after the client's timeout (not failures; they recover nothing)",
        "  Queries: silent.example.com A (2 attempts)",
        "  Timeout: 2 queries got no answer within 5 s (nothing came back, not even an ICMP error)",
        "  Late: 1 answer came after the client's timeout (after 6.0 s)",
    ],
    # Two answers on one flow, each quoted in 8 bytes: each named by its own question.
    "cut-quote-answer": [
        "  cutquote.example.com A from 203.0.113.2 to 192.51.100.15: udp port 42001 unreachable (x1)",
        "  cutquote.example.com AAAA from 203.0.113.2 to 192.51.100.15: udp port 42001 unreachable (x1)",
    ],
}
# Values the JSON report of a capture must hold: (path, value).
JSON = {
    "incident-port-unreachable": [
        (("totals", "failed_resolutions"), 1),
        (("totals", "failed_attempts"), 3),
        (("servers", 0, "address"), "203.0.113.2"),
        (("servers", 0, "port"), 53),
        (("servers", 0, "transport"), "udp"),
        (("servers", 0, "clients", 0), "192.51.100.15"),
        (("servers", 0, "queries", 0, "name"), "www.yummyrecipesforme.com"),
        (("servers", 0, "queries", 0, "attempts"), 3),
        (("servers", 0, "reasons", 0, "reason"), "udp port 53 unreachable"),
        (("servers", 0, "diagnosis"), "no_listener"),
        (("remedies", 0, "diagnosis"), "no_listener"),
    ],
    "failover-recovered": [
        (("totals", "failed_resolutions"), 1),
        (("totals", "recovered_resolutions"), 2),
        (("totals", "failed_attempts"), 4),
    ],
    "ordinary-dns": [
        (("totals", "failed_attempts"), 0),
        (("totals", "nxdomain_answers"), 1),
        (("window",), None),
    ],
    "error-answers": [
        (("totals", "failed_resolutions"), 5),
        (("totals", "recovered_resolutions"), 1),
        (("totals", "nxdomain_answers"), 1),
        (("servers", 0, "reasons", 0, "kind"), "answer"),
    ],
    "timeouts": [
        (("totals", "failed_resolutions"), 3),
        (("totals", "failed_attempts"), 5),
        (("totals", "timeouts"), 5),
        (("totals", "late_answers"), 2),
        (("servers", 0, "address"), "203.0.113.5"),
        (("servers", 0, "timeouts"), 2),
        (("servers", 0, "reasons", 0, "kind"), "timeout"),
        (("servers", 0, "reasons", 0, "reporter"), ""),
        (("servers", 0, "diagnosis"), "no_answer"),
    ],
    "cut-quote-answer": [
        (("totals", "failed_resolutions"), 0),
        (("totals", "undeliverable_answers"), 2),
        (("undeliverable_answers", 0, "type"), "A"),
        (("undeliverable_answers", 1, "type"), "AAAA"),
    ],
}


def dig(value, path):
    for key in path:
        value = value[key]
    return value


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--capture", required=True)
    p.add_argument("--stem", required=True)
    p.add_argument("--schema", required=True)
    args = p.parse_args()
    problems = []

    text = tshark(args, "-n", "-q", "-r", args.capture, "-z", "dnsfail,report")
    if text != tshark(args, "-n", "-q", "-2", "-r", args.capture, "-z", "dnsfail,report"):
        problems.append("the text report differs between single pass and -2")
    lines = text.splitlines()
    for want in TEXT.get(args.stem, []):
        if want not in lines:
            problems.append(f"text report lacks the line {want!r}")
    if args.stem == "ordinary-dns" and len([line for line in lines if line.strip()]) != 1:
        problems.append(f"a capture without failures should give one line, got:\n{text}")

    raw = tshark(args, "-n", "-q", "-r", args.capture, "-z", "dnsfail,report,json")
    try:
        report = json.loads(raw)
    except ValueError as e:
        print(f"the JSON report does not parse ({e}):\n{raw}")
        return 1
    if jsonschema is None:
        problems.append("python3-jsonschema is missing: the JSON report was not validated")
    else:
        with open(args.schema, encoding="utf-8") as f:
            schema = json.load(f)
        try:
            jsonschema.validate(report, schema)
        except jsonschema.ValidationError as e:
            problems.append(f"JSON report does not match the schema: {e.message} at {list(e.absolute_path)}")
    for path, want in JSON.get(args.stem, []):
        try:
            got = dig(report, path)
        except (KeyError, IndexError, TypeError):
            got = "<missing>"
        if got != want:
            problems.append(f"JSON {'.'.join(map(str, path))} is {got!r}, want {want!r}")
    if problems:
        print("\n".join(problems))
        print("--- text report:\n" + text)
        return 1
    print(f"report of {args.stem}: {len(lines)} lines, JSON valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
