#!/usr/bin/env python3
"""tshark with the built plugin under valgrind's memcheck, on every capture and a few
editcap mutations, in two passes with full detail, columns and every -z view.

Wireshark and GLib report errors and leaks of their own, so this reads valgrind's XML and
counts only the errors with a frame in dnsfail.so: invalid reads and writes, uses of
uninitialised values, bad frees, and leaks (definitely lost) of blocks allocated through
the plugin. Any such error, a tshark failure, or a valgrind run that did not finish fails.

    check_valgrind.py --runner R --plugin P --ws-minor M --captures DIR [--mutations N] [--jobs J]
    check_valgrind.py --runner R --plugin P --ws-minor M --captures DIR --sample [--jobs J]

--sample (the ci tier) runs one editcap mutation of every capture instead, each with its
own fixed seed: every capture is covered once, mutated. (The mutations are not concatenated
into fewer, longer runs: such a file made Wireshark 4.0's stats_tree lose a node below
stats_tree_tick_pivot, where no single capture does.)
"""
import argparse
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "helpers"))
from tshark_fields import add_runner_args, newer_than_4_0

PLUGIN_OBJ = "dnsfail.so"
# Mutated captures: the ones holding the most crafted and IPv6 cases, a few seeds each.
MUTATED = ("crafted", "ipv6")


def wireshark_stats_tree_leak(err):
    """Wireshark 4.4's own leak, not dnsfail's: tshark 4.4 never frees the stats_tree of a
    -z tree and holds no pointer to it at exit, so valgrind reports the whole tree lost (one
    of its nodes "definitely", the rest, stats_tree_new's own blocks included, "indirectly");
    the definite block's stack is whichever node valgrind meets first, often one made by
    stats_tree_tick_pivot from tick_attempt. The nodes belong to Wireshark: dnsfail passes
    only names (which stats_tree copies) and ids, and must not free a tree tshark owns.
    Ignored only for leaks whose allocation stack's innermost dnsfail frame is a call into
    stats_tree_*, and only with tshark newer than 4.0 (4.0's runs must stay clean)."""
    if not (err.findtext("kind") or "").startswith("Leak_"):
        return False
    frames = list(err.iter("frame"))
    for i, f in enumerate(frames):
        if os.path.basename(f.findtext("obj") or "") == PLUGIN_OBJ:
            callee = (frames[i - 1].findtext("fn") or "") if i > 0 else ""
            return callee.startswith("stats_tree_")
    return False


def plugin_errors(xml_path, ignore_stats_tree_leaks=False):
    """(errors whose stacks reach dnsfail.so, total errors, finished?) from valgrind's XML."""
    root = ET.parse(xml_path).getroot()
    finished = any(s.findtext("state") == "FINISHED" for s in root.iter("status"))
    ours, total = [], 0
    for err in root.iter("error"):
        total += 1
        objs = [os.path.basename(f.findtext("obj") or "") for f in err.iter("frame")]
        if PLUGIN_OBJ in objs:
            if ignore_stats_tree_leaks and wireshark_stats_tree_leak(err):
                continue
            ours.append(describe(err))
    return ours, total, finished


def describe(err):
    kind = err.findtext("kind")
    what = err.findtext("what") or err.findtext("xwhat/text") or ""
    lines = [f"{kind}: {what}"]
    for frame in err.iter("frame"):
        fn = frame.findtext("fn") or "?"
        where = frame.findtext("file")
        where = f"{where}:{frame.findtext('line')}" if where else os.path.basename(frame.findtext("obj") or "?")
        lines.append(f"    {fn} ({where})")
        if len(lines) > 16:
            break
    return "\n".join(lines)


def run_one(args, work, capture):
    name = os.path.basename(capture)
    xml = os.path.join(work, name + ".xml")
    cmd = [args.runner, args.plugin, args.ws_minor,
           # every wmem and GSlice allocation its own malloc, so memcheck sees its bounds
           "env", "WIRESHARK_DEBUG_WMEM_OVERRIDE=simple", "G_SLICE=always-malloc",
           "valgrind", "--tool=memcheck", "--keep-debuginfo=yes", "--xml=yes", f"--xml-file={xml}",
           "--leak-check=full", "--show-leak-kinds=definite", "--errors-for-leak-kinds=definite",
           "--num-callers=40",
           "tshark", "-n", "-2", "-V", "-r", capture,
           "-z", "dnsfail,tree", "-z", "dnsfail,report", "-z", "dnsfail,report,json"]
    out = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    problems = []
    if out.returncode != 0:
        problems.append(f"tshark under valgrind exited {out.returncode}\n{out.stderr[-2000:]}")
    if not os.path.exists(xml):
        return name, problems + ["no valgrind XML written"], 0
    ours, total, finished = plugin_errors(xml, ignore_stats_tree_leaks=args.ignore_stats_tree_leaks)
    if not finished:
        problems.append("valgrind did not finish (XML has no FINISHED status)")
    problems += ours
    return name, problems, total


def main():
    p = argparse.ArgumentParser()
    add_runner_args(p)
    p.add_argument("--captures", required=True)
    p.add_argument("--mutations", type=int, default=2, help="editcap -E seeds per mutated capture")
    p.add_argument("--sample", action="store_true",
                   help="one mutation of every capture instead of every capture and N mutations of some")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = p.parse_args()
    if not shutil.which("valgrind"):
        print("SKIP: valgrind is not installed")
        sys.exit(77)

    args.ignore_stats_tree_leaks = newer_than_4_0(args)
    work = tempfile.mkdtemp(prefix="dnsfail-valgrind.")
    os.chmod(work, 0o777)  # the runner runs tshark as an unprivileged user, which writes the XML here
    try:
        captures = sorted(glob.glob(os.path.join(args.captures, "*.pcapng")))
        if not captures:
            print(f"FAIL: no capture in {args.captures}")
            sys.exit(1)
        inputs = [] if args.sample else list(captures)
        for seed, src in enumerate(captures if args.sample else [], start=1):
            dst = os.path.join(work, f"{os.path.basename(src)[:-len('.pcapng')]}-m{seed}.pcapng")
            subprocess.run(["editcap", "-E", "0.05", "--seed", str(seed), src, dst],
                           check=True, stderr=subprocess.DEVNULL)
            inputs.append(dst)
        for stem in MUTATED if not args.sample else ():
            src = os.path.join(args.captures, stem + ".pcapng")
            for seed in range(1, args.mutations + 1):
                dst = os.path.join(work, f"{stem}-m{seed}.pcapng")
                subprocess.run(["editcap", "-E", "0.05", "--seed", str(seed), src, dst],
                               check=True, stderr=subprocess.DEVNULL)
                inputs.append(dst)
        bad = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for name, problems, total in pool.map(lambda c: run_one(args, work, c), inputs):
                if problems:
                    bad += 1
                    print(f"FAIL: {name}")
                    for pr in problems:
                        print("  " + pr.replace("\n", "\n  "))
                else:
                    print(f"ok: {name} ({total} memcheck errors, none in {PLUGIN_OBJ})")
        print(f"{len(inputs)} captures under valgrind memcheck, {bad} with an error in {PLUGIN_OBJ}"
              f" or a failed run")
        sys.exit(1 if bad else 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
