#!/usr/bin/env python3
"""An exception thrown inside dnsfail's analysis of one frame stays in that frame.

The test build of the plugin (target dnsfail_test_hooks, build/test-hooks/dnsfail.so) throws
a DissectorError "dnsfail test hook: an exception thrown inside the analysis" from the
analysis of frame DNSFAIL_TEST_THROW_FRAME=N, after its items are added (tshark_as_user.sh
passes the variable through). For each N given (an ICMP error frame, a DNS query frame),
compared with the same plugin run without the variable, in one pass and with -2:

  - tshark exits 0 (the only stderr line allowed is Epan's "Dissector bug, protocol DNSFAIL,
    in packet N" warning);
  - frame N's summary line and tree show "[Dissector bug, protocol DNSFAIL: dnsfail test
    hook: ..."; its frame.protocols is unchanged;
  - every other frame's summary line and -V output is byte-identical;
  - the frames after N are still analysed: their dnsfail.kind values are those of the run
    without the variable, and at least one of them has one;
  - -z dnsfail,report,json is valid JSON and its totals are those of the run without the
    variable (the hook throws after the frame's failure is recorded), and -z dnsfail,tree
    says the same.

    check_exception_contained.py --runner R --plugin HOOKS.so --ws-minor M --capture C --frame N [--frame N...]
"""
import argparse
import json
import os
import re
import subprocess
import sys

HOOK = "dnsfail test hook: an exception thrown inside the analysis"
BUG = "[Dissector bug, protocol DNSFAIL: " + HOOK
failures = []


def expect(ok, what):
    print(f"{'ok' if ok else 'FAIL'}: {what}")
    if not ok:
        failures.append(what)


def run(args, throw, *tshark_args):
    env = dict(os.environ)
    env.pop("DNSFAIL_TEST_THROW_FRAME", None)
    if throw is not None:
        env["DNSFAIL_TEST_THROW_FRAME"] = str(throw)
    cmd = [args.runner, args.plugin, args.ws_minor, "tshark", "-r", args.capture, *tshark_args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    what = f"N={throw} tshark {' '.join(tshark_args)}"
    expect(out.returncode == 0, f"{what}: exit status {out.returncode}")
    stray = [l for l in out.stderr.splitlines()
             if l.strip() and not (throw is not None and f"Dissector bug, protocol DNSFAIL, in packet {throw}: {HOOK}" in l)]
    expect(not stray, f"{what}: nothing else on stderr {stray[:3]}")
    return out.stdout


def by_frame_lines(text):
    """Summary lines by frame number."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"\s*(\d+) ", line)
        if m:
            out[int(m.group(1))] = line
    return out


def by_frame_trees(text):
    return {int(m.group(1)): b for b in re.split(r"(?m)^(?=Frame \d+: )", text)
            if (m := re.match(r"Frame (\d+): ", b))}


def fields(args, throw, extra):
    rows = run(args, throw, *extra, "-T", "fields", "-E", "occurrence=a", "-e", "frame.number",
               "-e", "frame.protocols", "-e", "dnsfail.kind")
    return {int(r.split("\t")[0]): r.split("\t")[1:] for r in rows.splitlines() if r}


def totals(args, throw, extra):
    text = run(args, throw, *extra, "-q", "-z", "dnsfail,report,json")
    try:
        return json.loads(text[text.index("{"):])["totals"]
    except (ValueError, KeyError) as e:
        expect(False, f"N={throw}: -z dnsfail,report,json is JSON with totals ({e})")
        return None


def tree_stats(args, throw, extra):
    text = run(args, throw, *extra, "-q", "-z", "dnsfail,tree")
    return [l for l in text.splitlines() if re.match(r"^ *\S.* +\d+ ", l)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for a in ("--runner", "--plugin", "--ws-minor", "--capture"):
        p.add_argument(a, required=True)
    p.add_argument("--frame", type=int, action="append", required=True)
    args = p.parse_args()

    for mode, extra in (("one pass", []), ("-2", ["-2"])):
        base_lines = by_frame_lines(run(args, None, *extra))
        base_trees = by_frame_trees(run(args, None, *extra, "-V"))
        base_fields = fields(args, None, extra)
        base_totals = totals(args, None, extra)
        base_stats = tree_stats(args, None, extra)
        expect(BUG not in "".join(base_trees.values()), f"{mode}: no dissector bug without the variable")
        for n in args.frame:
            tag = f"{mode}, N={n}"
            lines = by_frame_lines(run(args, n, *extra))
            trees = by_frame_trees(run(args, n, *extra, "-V"))
            got_fields = fields(args, n, extra)
            expect(sorted(lines) == sorted(base_lines) and sorted(trees) == sorted(base_trees),
                   f"{tag}: the same frames ({len(lines)})")
            expect(BUG in lines.get(n, ""), f"{tag}: frame {n}'s summary line shows the dissector bug")
            expect(BUG in trees.get(n, ""), f"{tag}: frame {n}'s tree shows the dissector bug")
            expect(got_fields.get(n, [None])[0] == base_fields.get(n, [None])[0],
                   f"{tag}: frame {n}'s frame.protocols unchanged ({got_fields.get(n, [None])[0]})")
            other_lines = [k for k in base_lines if k != n and lines.get(k) != base_lines[k]]
            other_trees = [k for k in base_trees if k != n and trees.get(k) != base_trees[k]]
            expect(not other_lines, f"{tag}: every other frame's summary line identical (differ: {other_lines})")
            expect(not other_trees, f"{tag}: every other frame's -V identical (differ: {other_trees})")
            later = {k: v[1] for k, v in base_fields.items() if k > n}
            expect(any(later.values()), f"{tag}: the capture has analysed frames after {n}")
            expect(all(got_fields.get(k, [None, None])[1] == v for k, v in later.items()),
                   f"{tag}: the frames after {n} are still analysed (dnsfail.kind as without the variable)")
            got_totals = totals(args, n, extra)
            expect(got_totals is not None and got_totals == base_totals,
                   f"{tag}: report totals {got_totals} == without the variable")
            expect(tree_stats(args, n, extra) == base_stats, f"{tag}: -z dnsfail,tree as without the variable")

    if failures:
        sys.exit(f"FAIL: {len(failures)} failures")
    print("exception contained: 0 failures")


if __name__ == "__main__":
    main()
