#!/usr/bin/env python3
"""The timeout preference (dnsfail.timeout) takes seconds with decimals, still takes
whole seconds as before, and refuses anything else with a message, keeping the timeout
in force.

late-answer.pcapng: the query in frame 5 is answered 2.0 s later (frame 8), and the
client's host refuses the answer (frame 9). Under the default 5 s that is no timeout;
under 1.5 s frame 5 timed out and frame 8 is a late answer; under 3 s, as under 5 s,
neither. The same value set in a profile's preferences file acts as with -o.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, fields_text

FIELDS = ["frame.number", "dnsfail.kind", "dnsfail.reason", "dnsfail.timeout_value"]
DEFAULT = "9\tanswer_undeliverable\tudp port 49909 unreachable\t\n"
SHORT = ("5\ttimeout\tno answer within 1.5 s\t1.500000000\n"
         "8\tlate_answer\tanswer after 2.0 s, past the 1.5 s timeout\t1.500000000\n" + DEFAULT)
BAD_VALUES = {"abc": "not a number of seconds", "0": "not more than 0", "-1": "not a number of seconds",
              "2.3456": "more than three decimals", "1e3": "not a number of seconds",
              "4294967296": "too large", "": "not a number of seconds"}


def run(args, *targs, env_extra=None):
    """(returncode, stdout, stderr) of tshark through the runner."""
    env = dict(os.environ)
    env.pop("DNSFAIL_TEST_PROFILE_DIR", None)
    env.update(env_extra or {})
    out = subprocess.run([args.runner, args.plugin, args.ws_minor, "tshark", *targs],
                         capture_output=True, text=True, env=env, check=False)
    return out.returncode, out.stdout, out.stderr


def two_pass_fields(args, options):
    return fields_text(args, args.capture, "dnsfail", FIELDS, two_pass=True, extra=options)


def report_totals(args, options, env_extra=None):
    rc, out, err = run(args, "-n", "-q", "-r", args.capture, *options, "-z", "dnsfail,report,json",
                       env_extra=env_extra)
    if rc != 0:
        sys.exit(f"tshark {' '.join(options)} -z dnsfail,report,json exited {rc}:\n{err}")
    totals = json.loads(out)["totals"]
    return totals["timeouts"], totals["late_answers"]


def check_values(args, problems):
    for options, want in ([], DEFAULT), (["-o", "dnsfail.timeout:5"], DEFAULT), \
                         (["-o", "dnsfail.timeout:3"], DEFAULT), (["-o", "dnsfail.timeout:5.0"], DEFAULT), \
                         (["-o", "dnsfail.timeout:1.5"], SHORT):
        got = two_pass_fields(args, options)
        if got != want:
            problems.append(f"-2 {' '.join(options) or '(default)'}: got\n{got}want\n{want}")
    for options, want in ([], (0, 0)), (["-o", "dnsfail.timeout:1.5"], (1, 1)):
        got = report_totals(args, options)
        if got != want:
            problems.append(f"report {' '.join(options) or '(default)'}: timeouts, late answers {got}, want {want}")


def check_refusals(args, problems):
    for value, why in BAD_VALUES.items():
        option = f"dnsfail.timeout:{value}"
        rc, out, err = run(args, "-n", "-2", "-r", args.capture, "-o", option, "-Y", "dnsfail", "-T", "fields",
                           *[a for f in FIELDS for a in ("-e", f)])
        message = f'dnsfail: the preference dnsfail.timeout is refused: "{value}" ({why})'
        if message not in err or "The timeout stays 5 s." not in err:
            problems.append(f"-o {option}: stderr does not say {message!r} ... 'The timeout stays 5 s.':\n{err}")
        if out != DEFAULT:
            problems.append(f"-o {option}: the timeout in force changed:\n{out}")


def check_preferences_file(args, problems):
    with tempfile.TemporaryDirectory(prefix="dnsfail-timeout-pref.") as tmp:
        profile = os.path.join(tmp, "timeout-test")
        os.mkdir(profile)
        with open(os.path.join(profile, "preferences"), "w", encoding="utf-8") as f:
            f.write("dnsfail.timeout: 1.5\n")
        os.chmod(tmp, 0o755)
        got = report_totals(args, ["-C", "timeout-test"], env_extra={"DNSFAIL_TEST_PROFILE_DIR": profile})
        if got != (1, 1):
            problems.append(f"preferences file 'dnsfail.timeout: 1.5': timeouts, late answers {got}, want (1, 1)")


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--capture", required=True)
    args = p.parse_args()
    problems = []
    check_values(args, problems)
    check_refusals(args, problems)
    check_preferences_file(args, problems)
    if problems:
        print("\n".join(problems))
        return 1
    print(f"timeout preference: decimals and whole seconds taken, {len(BAD_VALUES)} bad values refused")
    return 0


if __name__ == "__main__":
    sys.exit(main())
