#!/usr/bin/env python3
"""Runs tshark with the plugin on one capture and compares dnsfail's fields, frame by
frame, with the reviewed baseline in tests/integration/fields/expected/.

    check_fields.py --runner tshark_as_user.sh --plugin dnsfail.so --ws-minor 4.0 \
                    --capture captures/x.pcapng --mode single|two-pass [--update]

The baseline is the specification of what an analyst sees; --update rewrites it, and the
diff must then be read like code.
"""
import argparse
import difflib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import fields_text

FIELDS = [
    "frame.number", "dnsfail.kind", "dnsfail.failed", "dnsfail.qry.name", "dnsfail.qry.type", "dnsfail.qry.class",
    "dnsfail.id",
    "dnsfail.response", "dnsfail.transport", "dnsfail.client", "dnsfail.client.port", "dnsfail.server",
    "dnsfail.server.port", "dnsfail.reporter", "dnsfail.reporter.is_target", "dnsfail.icmp.version",
    "dnsfail.icmp.type", "dnsfail.icmp.code", "dnsfail.reason", "dnsfail.diagnosis", "dnsfail.request_in",
    "dnsfail.request_match", "dnsfail.time", "dnsfail.attempt", "dnsfail.quote_truncated", "dnsfail.recovered",
    "dnsfail.quote.dns_bytes", "dnsfail.rcode", "dnsfail.ede", "dnsfail.ede.text", "dnsfail.error_in",
    "dnsfail.timeout_value", "dnsfail.late_answer_in", "dnsfail.answer_in", "dnsfail.undelivered_in",
    "dnsfail.recovered_from", "_ws.expert.message", "_ws.col.Info",
]
FILTER = ("dnsfail || dnsfail.error_in || dnsfail.undelivered_in || dnsfail.tracking_limit"
          " || dnsfail.quote_unreadable")


def run_tshark(args, capture, two_pass):
    # In tshark 4.0's conventions whatever the version (tshark_fields knows the differences).
    return fields_text(args, capture, FILTER, FIELDS, two_pass=two_pass, header=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runner", required=True)
    p.add_argument("--plugin", required=True)
    p.add_argument("--ws-minor", required=True)
    p.add_argument("--capture", required=True)
    p.add_argument("--mode", choices=["single", "two-pass"], required=True)
    p.add_argument("--update", action="store_true")
    args = p.parse_args()

    stem = os.path.basename(args.capture).rsplit(".", 1)[0]
    expected_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected", f"{stem}.{args.mode}.tsv")
    actual = run_tshark(args, args.capture, args.mode == "two-pass")
    if args.update:
        with open(expected_path, "w", encoding="utf-8") as f:
            f.write(actual)
        print(f"wrote {expected_path}")
        return 0
    with open(expected_path, encoding="utf-8") as f:
        expected = f.read()
    if actual != expected:
        sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                   "expected", "actual"))
        return 1
    rows = max(0, len(actual.splitlines()) - 1)
    print(f"{stem} ({args.mode}): {rows} annotated frames match the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
