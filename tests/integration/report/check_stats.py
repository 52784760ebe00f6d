#!/usr/bin/env python3
"""The stats tree (-z dnsfail,tree) agrees with the per-frame fields: every breakdown of
failed attempts counts what -T fields shows, single pass and two-pass give the same
tree, and failed resolutions are what the capture's story says they are."""
import argparse
import collections
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, fields, tshark

# Failed resolutions and recoveries each bundled capture must show (captures/README.md).
RESOLUTIONS = {
    "incident-port-unreachable": (1, 0),
    "failover-recovered": (1, 2),
    "firewall-reject": (3, 0),
    "ipv6": (7, 0),
    "late-answer": (0, 0),
    "ordinary-dns": (0, 0),
    "nxdomain-only": (0, 0),
    "tcp-rst": (1, 0),
    "tcp-reject": (1, 0),
    "router-host-unreachable": (1, 0),
    "error-answers": (5, 1),
    "timeouts": (3, 1),
    "retry-silent": (1, 0),
    "retry-silent-tail": (1, 0),
    "retry-late-answer": (0, 0),
    "cut-quote-answer": (0, 0),
    # Real resolvers, both legs: the client's failed resolution and the resolver's own.
    "dnsmasq-upstream-unreachable": (2, 0),
    "dnsmasq-upstream-silent": (2, 0),
    "dnsmasq-upstream-refused": (2, 0),
    "unbound-upstream-unreachable": (2, 0),
    "unbound-upstream-silent": (2, 0),
    "unbound-upstream-refused": (2, 0),
    "unbound-recursive-recovered": (0, 1),
    "unbound-recursive-all-down": (2, 0),
    "unbound-two-clients": (2, 0),
    "unbound-tcp-refused": (2, 0),
}
BREAKDOWNS = {
    "by reason": "dnsfail.reason",
    "by likely cause": "dnsfail.diagnosis",
    "by server": "dnsfail.server",
    "by query name": "dnsfail.qry.name",
    "by client": "dnsfail.client",
    "by reporter": "dnsfail.reporter",
}


def parse_tree(text):
    """{path tuple: count} from tshark's stats tree printout."""
    nodes, stack = {}, []
    started = False
    for line in text.splitlines():
        if line.startswith("-----"):
            started = True
            continue
        if not started or not line.strip() or line.startswith("====="):
            continue
        depth = len(line) - len(line.lstrip(" "))
        parts = re.split(r"\s{2,}", line.strip())
        if len(parts) < 2 or not parts[1].isdigit():
            continue
        stack = stack[:depth] + [parts[0]]
        nodes[tuple(stack)] = int(parts[1])
    return nodes


def children(nodes, parent):
    return {k[-1]: v for k, v in nodes.items() if len(k) == len(parent) + 1 and k[:len(parent)] == parent}


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--capture", required=True)
    p.add_argument("--stem", required=True)
    args = p.parse_args()
    problems = []
    single = tshark(args, "-n", "-q", "-r", args.capture, "-z", "dnsfail,tree")
    double = tshark(args, "-n", "-q", "-2", "-r", args.capture, "-z", "dnsfail,tree")
    tree = parse_tree(single)
    if tree != parse_tree(double):
        problems.append("single pass and -2 trees differ")
    if ("Failed attempts",) not in tree:
        problems.append(f"no 'Failed attempts' node in:\n{single}")

    names = ["dnsfail.kind"] + list(BREAKDOWNS.values()) + ["dnsfail.qry.type"]
    rows = fields(args, args.capture, "dnsfail", names)
    # A timeout is annotated on its query frame only in a later pass (tap.h): take those from -2.
    rows = [r for r in rows if r["dnsfail.kind"] != "timeout"]
    rows += [r for r in fields(args, args.capture, "dnsfail.kind == \"timeout\"", names, two_pass=True)]
    failures = [r for r in rows if r["dnsfail.kind"] not in ("answer_undeliverable", "nxdomain", "late_answer")]
    undeliverable = sum(1 for r in rows if r["dnsfail.kind"] == "answer_undeliverable")
    nxdomain = sum(1 for r in rows if r["dnsfail.kind"] == "nxdomain")
    late = sum(1 for r in rows if r["dnsfail.kind"] == "late_answer")
    # Nobody reports a timeout: the tree counts them under this reporter (plugin/totals_tree.c).
    for r in failures:
        if r["dnsfail.kind"] == "timeout" and not r["dnsfail.reporter"]:
            r["dnsfail.reporter"] = "(no report: timeout)"
    if tree.get(("Late answers",), 0) != late:
        problems.append(f"Late answers {tree.get(('Late answers',))}, fields say {late}")
    if tree.get(("NXDOMAIN answers",), 0) != nxdomain:
        problems.append(f"NXDOMAIN answers {tree.get(('NXDOMAIN answers',))}, fields say {nxdomain}")
    if tree.get(("Failed attempts",), 0) != len(failures):
        problems.append(f"Failed attempts {tree.get(('Failed attempts',))}, fields say {len(failures)}")
    if tree.get(("Undeliverable answers",), 0) != undeliverable:
        problems.append(f"Undeliverable answers {tree.get(('Undeliverable answers',))}, fields say {undeliverable}")
    for node, field in BREAKDOWNS.items():
        want = collections.Counter(r[field] or "(name not quoted)" for r in failures)
        got = children(tree, ("Failed attempts", node))
        if got != dict(want):
            problems.append(f"Failed attempts {node}: tree {got}, fields {dict(want)}")
    if args.stem in RESOLUTIONS:
        failed, recovered = RESOLUTIONS[args.stem]
        got = (tree.get(("Failed resolutions",), 0), tree.get(("Resolutions recovered after failures",), 0))
        if got != (failed, recovered):
            problems.append(f"(failed, recovered) resolutions {got}, want {(failed, recovered)}")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"stats tree agrees with the fields: {len(failures)} failed attempts, "
          f"{tree.get(('Failed resolutions',), 0)} failed resolutions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
