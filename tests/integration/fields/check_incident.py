#!/usr/bin/env python3
"""The incident of the guide, asserted field by field: three queries for
www.yummyrecipesforme.com A from 192.51.100.15 to 203.0.113.2, each answered by
"udp port 53 unreachable" from the server itself, numbered as attempts 1, 2, 3, each
linked to its query and back, in single pass and two-pass."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, fields

NAMES = ["frame.number", "dnsfail.qry.name", "dnsfail.qry.type", "dnsfail.client", "dnsfail.server",
         "dnsfail.server.port", "dnsfail.reporter", "dnsfail.reporter.is_target", "dnsfail.reason",
         "dnsfail.diagnosis", "dnsfail.attempt", "dnsfail.request_in", "dnsfail.icmp.type", "dnsfail.icmp.code",
         "dnsfail.kind", "_ws.col.Info"]
failures = []


def expect(what, actual, wanted):
    if actual != wanted:
        failures.append(f"{what}: got {actual!r}, want {wanted!r}")


def check_errors(args, two_pass):
    mode = "two-pass" if two_pass else "single"
    rows = fields(args, args.capture, "dnsfail", NAMES, two_pass)
    expect(f"{mode}: annotated frames", len(rows), 3)
    for i, r in enumerate(rows, start=1):
        n = f"{mode} frame {r['frame.number']}"
        expect(f"{n} name", r["dnsfail.qry.name"], "www.yummyrecipesforme.com")
        expect(f"{n} type", r["dnsfail.qry.type"], "1")
        expect(f"{n} client", r["dnsfail.client"], "192.51.100.15")
        expect(f"{n} server", r["dnsfail.server"], "203.0.113.2")
        expect(f"{n} server port", r["dnsfail.server.port"], "53")
        expect(f"{n} reporter", r["dnsfail.reporter"], "203.0.113.2")
        expect(f"{n} reporter is target", r["dnsfail.reporter.is_target"], "1")
        expect(f"{n} reason", r["dnsfail.reason"], "udp port 53 unreachable")
        expect(f"{n} diagnosis", r["dnsfail.diagnosis"], "no_listener")
        expect(f"{n} kind", r["dnsfail.kind"], "icmp_error")
        expect(f"{n} icmp", (r["dnsfail.icmp.type"], r["dnsfail.icmp.code"]), ("3", "3"))
        expect(f"{n} attempt", r["dnsfail.attempt"], str(i))
        expect(f"{n} request_in before it", r["dnsfail.request_in"] != "" and
               int(r["dnsfail.request_in"]) < int(r["frame.number"]), True)
        expect(f"{n} Info", r["_ws.col.Info"].endswith(
            "[DNS A www.yummyrecipesforme.com to 203.0.113.2 failed: udp port 53 unreachable]"), True)
    return rows


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--capture", required=True)
    args = p.parse_args()
    check_errors(args, False)
    rows = check_errors(args, True)
    # Two-pass: each query points forward at its error, and the error back at it.
    queries = fields(args, args.capture, "dnsfail.error_in", ["frame.number", "dnsfail.error_in"], True)
    links = {q["frame.number"]: q["dnsfail.error_in"] for q in queries}
    expect("queries linked to errors", len(links), 3)
    for r in rows:
        expect(f"query {r['dnsfail.request_in']} error_in", links.get(r["dnsfail.request_in"]), r["frame.number"])
    # Expert info: one warning per failure.
    experts = fields(args, args.capture, "dnsfail.failure", ["frame.number"])
    expect("expert warnings", len(experts), 3)
    if failures:
        print("\n".join(failures))
        return 1
    print("incident explained: 3 failures, attempts 1-3, linked both ways, expert warnings present")
    return 0


if __name__ == "__main__":
    sys.exit(main())
