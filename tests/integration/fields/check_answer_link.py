#!/usr/bin/env python3
"""An ICMP error quoting a DNS answer names the answer's own frame (dnsfail.answer_in),
and the answer points back (dnsfail.undelivered_in, in a later pass).

cut-quote-answer.pcapng, captured on the server: A (query 4, answer 8) and AAAA (query 5,
answer 9) of one name from one socket; then errors 10 and 11 quote only the UDP header of
answers 8 and 9, after both answers, so the flow alone would name answer 9 twice. Each
error must name its own answer and take that answer's question (A, then AAAA). With the
answers cut out of the capture, the question falls back to a query's, and says so. And
late-answer.pcapng's error 9, quoting the whole answer 8, links it by the DNS id."""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, fields

NAMES = ["frame.number", "dnsfail.kind", "dnsfail.qry.name", "dnsfail.qry.type", "dnsfail.id", "dnsfail.request_in",
         "dnsfail.answer_in", "dnsfail.undelivered_in", "dnsfail.recovered", "dnsfail.recovered_from"]
FILTER = "dnsfail || dnsfail.undelivered_in"


def by_frame(args, capture, two_pass):
    return {int(r["frame.number"]): r for r in fields(args, capture, FILTER, NAMES, two_pass=two_pass)}


def expect(problems, where, row, **want):
    for name, value in want.items():
        field = "dnsfail." + name.replace("__", ".")
        got = row.get(field, "") if row else "(no row)"
        if got != value:
            problems.append(f"{where}: {field} is {got!r}, want {value!r}")


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--captures", required=True)
    args = p.parse_args()
    cut = os.path.join(args.captures, "cut-quote-answer.pcapng")
    late = os.path.join(args.captures, "late-answer.pcapng")
    problems = []

    for two_pass in (False, True):
        mode = "two-pass" if two_pass else "single pass"
        rows = by_frame(args, cut, two_pass)
        expect(problems, f"cut-quote-answer {mode} frame 10", rows.get(10), kind="answer_undeliverable",
               qry__name="cutquote.example.com", qry__type="1", id="0x2101", request_in="4", answer_in="8",
               recovered="1", recovered_from="8")
        expect(problems, f"cut-quote-answer {mode} frame 11", rows.get(11), kind="answer_undeliverable",
               qry__name="cutquote.example.com", qry__type="28", id="0x2102", request_in="5", answer_in="9",
               recovered="1", recovered_from="9")
        if two_pass:
            expect(problems, "cut-quote-answer two-pass frame 8", rows.get(8), undelivered_in="10")
            expect(problems, "cut-quote-answer two-pass frame 9", rows.get(9), undelivered_in="11")
        elif 8 in rows or 9 in rows:
            problems.append("cut-quote-answer single pass: an answer frame is marked before its error was read")

        rows = by_frame(args, late, two_pass)
        expect(problems, f"late-answer {mode} frame 9", rows.get(9), request_in="5", answer_in="8", recovered="")
        if two_pass:
            expect(problems, "late-answer two-pass frame 8", rows.get(8), undelivered_in="9")

    # Without the answers (frames 8 and 9 deleted: the errors become frames 8 and 9), the
    # question can only come from a query on the flow: the newest, frame 5.
    with tempfile.TemporaryDirectory(prefix="dnsfail-answer-link.") as tmp:
        no_answers = os.path.join(tmp, "no-answers.pcapng")
        subprocess.run(["editcap", cut, no_answers, "8", "9"], check=True)
        rows = by_frame(args, no_answers, True)
        for frame in (8, 9):
            expect(problems, f"without the answers, frame {frame}", rows.get(frame), kind="answer_undeliverable",
                   answer_in="", request_in="5", recovered="1", recovered_from="5", qry__type="28")

    if problems:
        print("\n".join(problems))
        return 1
    print("undeliverable answers link to their own answer frames, both ways; the query is the fallback")
    return 0


if __name__ == "__main__":
    sys.exit(main())
