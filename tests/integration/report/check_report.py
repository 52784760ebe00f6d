#!/usr/bin/env python3
"""The incident report (-z dnsfail,report and -z dnsfail,report,json): what an analyst
pastes must name the failing server, the clients, the names with their attempts, the
ICMP reason in tcpdump's words, the likely cause and what to try; the same in single
pass and two-pass; the JSON must parse and validate against docs/report-schema.json.
Filtered to each of its servers (dnsfail.server == S), in one pass and with -2, the JSON
report says of S what the unfiltered report says, and the stats tree counts at S what the
unfiltered tree counts there (docs/statistics.md, Filters)."""
import argparse
import concurrent.futures
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, tshark

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_stats import parse_tree

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
        "No DNS failures.",
        "DNS messages seen: 8",
        "NXDOMAIN answers: 1 (names that do not exist; not failures)",
        "Late answers: 0 (after the client's timeout; not failures)",
        "Undeliverable answers: 0 (refused by the client's host)",
        "Still waiting: 0 queries were still waiting for an answer when the capture ended (not failures)",
    ],
    "nxdomain-only": [
        "No DNS failures.",
        "DNS messages seen: 6",
        "NXDOMAIN answers: 3 (names that do not exist; not failures)",
        "Still waiting: 0 queries were still waiting for an answer when the capture ended (not failures)",
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
    # The client's retries are the evidence: the capture ends before any deadline.
    "retry-silent": [
        "Failed resolutions: 1 (2 failed attempts); recovered after failures: 0; undeliverable answers: 0",
        "Timeouts: 2 queries got no answer before the client retried (failed attempts nobody reported)",
        "Still waiting: 1 query was still waiting for an answer when the capture ended (not failures)",
        "Server 203.0.113.5, DNS over UDP port 53",
        "  Queries: silent3.example.com A (2 attempts, and 1 still waiting when the capture ended)",
        "  Timeout: 2 queries got no answer; the client retried after 1.0 s (nothing came back, not even an ICMP error)",
    ],
    "retry-silent-tail": [
        "Failed resolutions: 1 (3 failed attempts); recovered after failures: 0; undeliverable answers: 0",
        "Timeouts: 3 queries got no answer: 1 within 5 s, 2 before the client retried (failed attempts nobody reported)",
        "  Queries: silent3.example.com A (3 attempts)",
        "  Timeout: 2 queries got no answer; the client retried after 1.0 s (nothing came back, not even an ICMP error)",
        "  Timeout: 1 query got no answer within 5 s (nothing came back, not even an ICMP error)",
    ],
    # The answer to the first try came after the retry: overtaken, not failed.
    "retry-late-answer": [
        "Failed resolutions: 0 (0 failed attempts); recovered after failures: 0; undeliverable answers: 2",
    ],
    # Two answers on one flow, each quoted in 8 bytes: each named by its own question.
    "cut-quote-answer": [
        "  cutquote.example.com A from 203.0.113.2 to 192.51.100.15: udp port 42001 unreachable (x1)",
        "  cutquote.example.com AAAA from 203.0.113.2 to 192.51.100.15: udp port 42001 unreachable (x1)",
    ],
    # A forwarder (dnsmasq) whose upstream's port is closed: both legs, each its own server.
    "dnsmasq-upstream-unreachable": [
        "Failed resolutions: 2 (4 failed attempts); recovered after failures: 0; undeliverable answers: 0",
        "Server 192.0.2.53, DNS over UDP port 53",
        "Server 198.51.100.53, DNS over UDP port 53",
        "  ICMP: udp port 53 unreachable, reported by 198.51.100.53 (the server itself)",
        '  Server 192.0.2.53 did not answer 2 queries from 1 client because its upstream 198.51.100.53 was unreachable (udp port 53 unreachable, 2 upstream failures)',
        '    first: frame 3, explained by frame 7 (same_question)',
        '  Likely cause: at its upstream 198.51.100.53: server host up, nothing listening on the DNS port (service down, or host firewall reject)',
        "  - no_listener (198.51.100.53): Check that the DNS service runs and listens on the server's address and port (ss -lunp on the server) and that no host firewall rule rejects it.",
    ],
    # unbound recursing: one authoritative server down, the other answered.
    "unbound-recursive-recovered": [
        "Failed resolutions: 0 (2 failed attempts); recovered after failures: 1; undeliverable answers: 0",
        "  - no_listener (198.51.100.20): Check that the DNS service runs and listens on the server's address and port (ss -lunp on the server) and that no host firewall rule rejects it.",
    ],
    # The resolvers' root causes: the sentence names the upstream and its reason, and the
    # remedy is for the upstream, not for the resolver that answered (docs/statistics.md).
    "dnsmasq-upstream-refused": [
        '  Server 192.0.2.53 answered REFUSED to 1 query from 1 client because its upstream 198.51.100.53 answered Refused (1 upstream failure)',
        '    first: frame 8, explained by frame 7 (same_question)',
        "  - refused (198.51.100.53): Check the server's access-control and recursion settings for this client's address.",
    ],
    "dnsmasq-upstream-silent": [
        '  Server 192.0.2.53 did not answer 2 queries from 1 client because its upstream 198.51.100.53 did not answer (2 upstream failures)',
        '    first: frame 3, explained by frame 6 (same_question)',
        "  - no_answer (198.51.100.53): Check that the server is up and reachable from the client's network (dig @server there), look for a firewall on the path that silently drops DNS (udp/53 and tcp/53), and capture on the server's side to see whether the queries arrive.",
    ],
    "unbound-recursive-all-down": [
        '  Server 192.0.2.53 answered SERVFAIL to 1 query from 1 client because its upstream 198.51.100.21 was unreachable (udp port 53 unreachable, 8 upstream failures, 4 of them to 198.51.100.21)',
        '    first: frame 34, explained by frame 13 (same_question)',
        "  - no_listener (198.51.100.20, 198.51.100.21): Check that the DNS service runs and listens on the server's address and port (ss -lunp on the server) and that no host firewall rule rejects it.",
    ],
    "unbound-tcp-refused": [
        '  Server 192.0.2.53 answered SERVFAIL to 1 query from 1 client because its upstream 198.51.100.53 refused the TCP connections (tcp port 53 reset (connection refused), 4 upstream failures)',
        '    first: frame 14, explained by frame 7 (during)',
        "  - no_listener (198.51.100.53): Check that the DNS service runs and listens on the server's address and port (ss -lunp on the server) and that no host firewall rule rejects it.",
    ],
    "unbound-two-clients": [
        '  Server 192.0.2.53 answered SERVFAIL to 1 query from 1 client because its upstream 198.51.100.53 was unreachable (udp port 53 unreachable, 4 upstream failures)',
        '    first: frame 27, explained by frame 11 (same_question)',
        "  - no_listener (198.51.100.53): Check that the DNS service runs and listens on the server's address and port (ss -lunp on the server) and that no host firewall rule rejects it.",
    ],
    "unbound-upstream-refused": [
        '  Server 192.0.2.53 answered SERVFAIL to 1 query from 1 client because its upstream 198.51.100.53 answered Refused (5 upstream failures)',
        '    first: frame 16, explained by frame 7 (same_question)',
        "  - refused (198.51.100.53): Check the server's access-control and recursion settings for this client's address.",
    ],
    "unbound-upstream-silent": [
        '  Server 192.0.2.53 answered SERVFAIL to 1 query from 1 client because its upstream 198.51.100.53 did not answer (4 upstream failures)',
        '    first: frame 11, explained by frame 6 (same_question)',
        "  - no_answer (198.51.100.53): Check that the server is up and reachable from the client's network (dig @server there), look for a firewall on the path that silently drops DNS (udp/53 and tcp/53), and capture on the server's side to see whether the queries arrive.",
    ],
    "unbound-upstream-unreachable": [
        '  Server 192.0.2.53 answered SERVFAIL to 1 query from 1 client because its upstream 198.51.100.53 was unreachable (udp port 53 unreachable, 4 upstream failures)',
        '    first: frame 15, explained by frame 7 (same_question)',
        "  - no_listener (198.51.100.53): Check that the DNS service runs and listens on the server's address and port (ss -lunp on the server) and that no host firewall rule rejects it.",
    ],
}
# Captures with no failure: "No DNS failures." and the five lines of what else the report knows.
NO_FAILURES = {"ordinary-dns", "nxdomain-only"}
# Values the JSON report of a capture must hold: (path, value).
JSON = {
    # A resolver's diagnosis is its upstream's, and so is the remedy.
    "unbound-two-clients": [
        (("servers", 0, "address"), "198.51.100.53"),
        (("servers", 0, "diagnosis_upstream"), ""),
        (("servers", 1, "address"), "192.0.2.53"),
        (("servers", 1, "diagnosis"), "no_listener"),
        (("servers", 1, "diagnosis_upstream"), "198.51.100.53"),
        (("remedies", 0, "servers"), ["198.51.100.53"]),
        (("root_causes", 0, "upstream"), "198.51.100.53"),
        (("root_causes", 0, "upstream_failures"), 4),
        (("root_causes", 0, "upstream_failures_to_upstream"), 4),
    ],
    "unbound-recursive-all-down": [
        (("root_causes", 0, "upstream"), "198.51.100.21"),
        (("root_causes", 0, "upstream_failures"), 8),
        (("root_causes", 0, "upstream_failures_to_upstream"), 4),
        (("remedies", 0, "servers"), ["198.51.100.20", "198.51.100.21"]),
    ],
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
        (("totals", "dns_messages"), 8),
        (("window",), None),
        (("analysed",), True),
        (("filter",), None),
    ],
    "nxdomain-only": [
        (("totals", "failed_attempts"), 0),
        (("totals", "nxdomain_answers"), 3),
        (("totals", "dns_messages"), 6),
        (("totals", "unanswered_at_end"), 0),
        (("window",), None),
        (("servers",), []),
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
    "retry-silent": [
        (("totals", "failed_resolutions"), 1),
        (("totals", "failed_attempts"), 2),
        (("totals", "timeouts"), 2),
        (("totals", "retried_timeouts"), 2),
        (("totals", "unanswered_at_end"), 1),
        (("servers", 0, "address"), "203.0.113.5"),
        (("servers", 0, "queries", 0, "attempts"), 2),
        (("servers", 0, "queries", 0, "waiting_at_end"), 1),
        (("servers", 0, "reasons", 0, "reason"), "no answer; the client retried after 1.0 s"),
    ],
    "retry-silent-tail": [
        (("totals", "failed_resolutions"), 1),
        (("totals", "timeouts"), 3),
        (("totals", "retried_timeouts"), 2),
        (("totals", "unanswered_at_end"), 0),
        (("servers", 0, "queries", 0, "waiting_at_end"), 0),
    ],
    "retry-late-answer": [
        (("totals", "failed_attempts"), 0),
        (("totals", "undeliverable_answers"), 2),
        (("totals", "unanswered_at_end"), 0),
    ],
    "cut-quote-answer": [
        (("totals", "failed_resolutions"), 0),
        (("totals", "undeliverable_answers"), 2),
        (("undeliverable_answers", 0, "type"), "A"),
        (("undeliverable_answers", 1, "type"), "AAAA"),
    ],
}


def entries_for(report, server):
    """What the report says of one server address: its servers entries and undeliverable answers."""
    return ([s for s in report["servers"] if s["address"] == server],
            [u for u in report["undeliverable_answers"] if u["server"] == server])


def reports(args, filters, two_pass):
    """One tshark run with, per filter (None: unfiltered), a JSON report and a stats tree:
    ({filter: report}, [tree, ...]) (trees do not name their filter; parse_tree's form).
    Several reports and trees in one run also show that they count apart."""
    cmd = ["-n", "-q"] + (["-2"] if two_pass else []) + ["-r", args.capture]
    for filt in filters:
        cmd += ["-z", "dnsfail,report,json" + (f",{filt}" if filt else "")]
        cmd += ["-z", "dnsfail,tree" + (f",{filt}" if filt else "")]
    out, found, trees, pos = tshark(args, *cmd), {}, [], 0
    decoder = json.JSONDecoder()
    while True:
        while pos < len(out) and out[pos].isspace():
            pos += 1
        if pos >= len(out):
            break
        if out[pos] == "{":
            value, pos = decoder.raw_decode(out, pos)
            found[value["filter"]] = value
            continue
        # A tree: "=====", its title and columns, "-----", its rows, "-----".
        ends = [m.end() for m in re.finditer(r"^-{20,}$", out[pos:], re.M)]
        if not out[pos:].startswith("=") or len(ends) < 2:
            sys.exit(f"cannot read tshark's output from offset {pos}:\n{out[pos:pos + 400]}")
        trees.append(parse_tree(out[pos:pos + ends[1]]))
        pos += ends[1]
    if set(found) != set(filters) or len(trees) != len(filters):
        sys.exit(f"expected a report and a tree for each of {filters}, got reports for "
                 f"{sorted(map(str, found))} and {len(trees)} trees")
    return found, trees


def tree_server_counts(tree, server):
    """A tree's counts for one server: failed attempts and failed resolutions at it."""
    return (tree.get(("Failed attempts", "by server", server), 0),
            tree.get(("Failed resolutions", "by server", server), 0))


def check_filtered(args, whole):
    """Problems of the reports and trees filtered to each server of the unfiltered report;
    and how many servers."""
    servers = sorted({s["address"] for s in whole["servers"]} |
                     {u["server"] for u in whole["undeliverable_answers"]})
    filters = [None] + [f"dnsfail.server == {s}" for s in servers]
    if len(filters) == 1:
        return [], 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        runs = dict(zip((False, True), pool.map(lambda two: reports(args, filters, two), (False, True))))
    problems = []
    for server in servers:
        want = entries_for(whole, server)
        for two in (False, True):
            how = "-2" if two else "one pass"
            filtered = runs[two][0][f"dnsfail.server == {server}"]
            have = entries_for(filtered, server)
            if have != want:
                problems.append(f"filtered to {server} ({how}), the report differs from the unfiltered one\n"
                                f"  unfiltered: {json.dumps(want)}\n  filtered:   {json.dumps(have)}")
            others = sorted({o["address"] for o in filtered["servers"]} - {server})
            if others:
                problems.append(f"filtered to {server} ({how}), the report lists other servers: {others}")
    # The trees: the same in both passes; for each server with failed attempts, one tree
    # (its filtered one) counts at that server and nowhere else what the unfiltered tree
    # counts there.
    single, double = runs[False][1], runs[True][1]
    if sorted(map(repr, single)) != sorted(map(repr, double)):
        problems.append("the trees differ between one pass and -2")
    unfiltered = max(single, key=lambda t: t.get(("Failed attempts",), 0))
    attempts = {k[2] for k in unfiltered if k[:2] == ("Failed attempts", "by server") and len(k) == 3}
    for server in sorted(attempts):
        want = tree_server_counts(unfiltered, server)
        if not any({k[2] for k in t if k[:2] == ("Failed attempts", "by server") and len(k) == 3} == {server}
                   and tree_server_counts(t, server) == want for t in single):
            problems.append(f"no tree filtered to {server} counts (attempts, resolutions) {want} there")
    return problems, len(servers)


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
    if args.stem in NO_FAILURES and (len(lines) != 6 or lines[0] != "No DNS failures."):
        problems.append(f"a capture without failures should say so, then five lines of counts; got:\n{text}")

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
    if report.get("filter", "<missing>") is not None:
        problems.append(f"the unfiltered JSON report names the filter {report.get('filter', '<missing>')!r}")
    filtered_problems, nservers = check_filtered(args, report)
    problems += filtered_problems
    if problems:
        print("\n".join(problems))
        print("--- text report:\n" + text)
        return 1
    print(f"report of {args.stem}: {len(lines)} lines, JSON valid; filtered to each of its {nservers} "
          f"servers, in one pass and with -2, it agrees")
    return 0


if __name__ == "__main__":
    sys.exit(main())
