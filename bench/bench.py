#!/usr/bin/env python3
"""dnsfail benchmark: tshark with the plugin against plain tshark, in the same run.

    bench.py --plugin PATH/dnsfail.so [--ws-minor 4.0] [--quick] [--out DIR] [--work DIR]
             [--max-ratio R]

Every tshark runs through tests/helpers/tshark_as_user.sh (as uid 65534 when root,
with a plugin folder holding only the plugin given, or none), so both sides load exactly
the same things except dnsfail.

Figures:
  * callgrind instructions per frame: (total on N frames - total on a one-frame capture
    of the same kind, same command) / (N - 1), so start-up does not dilute the ratio;
    ratio = with plugin / plain tshark. Counts are not quite deterministic: Wireshark's
    hash maps (wmem_map) draw a random seed in every run, which moves a run's total by
    about 0.3%, and now and then a run does extra work at start-up (22 M instructions
    once, on a loaded machine). So every run is made three times (--cg-reps) and the
    medians are compared; the range of the ratio over the repetitions is reported beside
    it. With --same-seeds, GLib's g_random_int is replaced (bench/same_seed.c, preloaded)
    so that both sides draw the same seeds: the counts repeat, and two builds of the
    plugin can be compared (--cg-reps 1 is then enough).
  * wall time (user+sys and elapsed) and peak RSS from /usr/bin/time, several repetitions
    alternating with/without, median.
  * scaling: wall time and peak RSS at several sizes, realistic traffic and the flood of
    unanswered queries; memory per tracked query from the flood.
  * shape and layers (run.sh measures them except with --quick): with --floor, a plugin
    of dnsfail's shape that analyses nothing (bench/floor_plugin.c) splits dnsfail's extra
    cost into its shape and its analysis; with --untracked too, dnsfail built with a
    tracker that keeps nothing (bench/untracked_tracker.c) splits it into shape, reading,
    tracking and output.
  * cache misses (not in --quick; --no-cache-sim skips them): cachegrind's simulated
    first-level data cache and last-level cache, per frame, start-up subtracted as for
    instructions, on 100,000 frames of the realistic mix and of the flood. They explain
    why wall time grows faster than instructions on large captures: a table of 65,536
    queries does not fit in a per-core cache, so every slot it touches is a miss.

Writes OUT/results.json and OUT/results.md. With --max-ratio, exits 1 when a mode where
dnsfail's output is not asked for costs more than R times plain tshark per frame.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
RUNNER = os.path.join(TOP, "tests", "helpers", "tshark_as_user.sh")
GEN = os.path.join(HERE, "make_mixed_capture.py")
LUA = os.path.join(HERE, "yardstick.lua")

# name, dnsfail's output asked for?, args with the plugin, args of plain tshark, what
FIELDS_PLAIN = ["-T", "fields", "-e", "frame.number", "-e", "ip.src", "-e", "ip.dst"]
MODES = [
    ("summary", False, [], [], "summary lines: tshark -r"),
    ("two_pass", False, ["-2"], ["-2"], "two-pass summary lines: tshark -2 -r"),
    ("fields_plain", False, FIELDS_PLAIN, FIELDS_PLAIN, "-T fields -e frame.number -e ip.src -e ip.dst"),
    ("fields_dnsfail", True,
     ["-T", "fields", "-e", "frame.number", "-e", "dnsfail.qry.name", "-e", "dnsfail.reason"],
     ["-T", "fields", "-e", "frame.number", "-e", "dns.qry.name", "-e", "icmp.type"],
     "-T fields -e dnsfail.qry.name -e dnsfail.reason vs -e dns.qry.name -e icmp.type"),
    ("filter", True, ["-Y", "dnsfail"], ["-Y", "icmp.type==3 && udp.dstport==53"],
     "-Y dnsfail vs -Y 'icmp.type==3 && udp.dstport==53'"),
    # The same filters without printing: dnsfail finds more frames than the hand-written
    # filter (error answers, TCP refusals, ICMPv6, routers' errors), and each line tshark
    # prints costs more than filtering it; -q compares the filtering alone.
    ("filter_quiet", True, ["-q", "-Y", "dnsfail"], ["-q", "-Y", "icmp.type==3 && udp.dstport==53"],
     "-q -Y dnsfail vs -q -Y 'icmp.type==3 && udp.dstport==53' (nothing printed)"),
    # Another statistic: tshark dissects every frame for the dns tap, and nothing of
    # dnsfail's is asked for (no line, no tree, no column): dnsfail analyses but writes
    # nothing. The "Layers" table reads dnsfail's analysis without its output here.
    ("other_stat", False, ["-q", "-z", "dns,tree"], ["-q", "-z", "dns,tree"],
     "-q -z dns,tree (another statistic, nothing of dnsfail's asked for)"),
    ("verbose", True, ["-V"], ["-V"], "-V (packet details)"),
    ("tree", True, ["-q", "-z", "dnsfail,tree"], ["-q", "-z", "dns,tree"], "-q -z dnsfail,tree vs -q -z dns,tree"),
    ("report", True, ["-q", "-z", "dnsfail,report"], ["-q", "-z", "dns,tree"],
     "-q -z dnsfail,report vs -q -z dns,tree"),
]
QUICK_MODES = ("summary", "fields_plain")
# Modes measured with the floor plugin too (--floor), as "floor_" + mode. Its filter is
# "floor" where dnsfail's is "dnsfail": a filter on a protocol that is never added.
FLOOR_MODES = ("summary", "filter", "filter_quiet", "other_stat")
FLOOR_PROFILES = ("realistic", "ordinary")
FLOOR_PREFIX = "floor_"
# Modes measured with dnsfail's untracked build too (--untracked: bench/untracked_tracker.c
# in place of the tracker), as "untracked_" + mode, on the realistic mix: with the floor
# and dnsfail they split dnsfail's cost into layers (layer_rows).
UNTRACKED_MODES = ("summary", "other_stat")
UNTRACKED_PROFILES = ("realistic",)
UNTRACKED_PREFIX = "untracked_"


# Modes measured on the everyday input too (not in --quick): the not-asked-for ones, and
# -Y dnsfail against the hand-written filter, with DNS at an everyday share of the frames.
EVERYDAY_MODES = ("summary", "two_pass", "fields_plain", "other_stat", "filter", "filter_quiet")


def everyday_cases(frames):
    """dnsfail's cases on the everyday input (callgrind_rows' case tuples), as MODES names them."""
    return [(n, "everyday", frames, asked, "dnsfail", w, "plain", p, what + ", DNS at an everyday share")
            for n, asked, w, p, what in MODES if n in EVERYDAY_MODES]


# Modes measured on the resolver input too (not in --quick): a resolver's two legs, where
# dnsfail links the client's failures to the resolver's upstream failures.
RESOLVER_MODES = ("summary", "two_pass", "tree", "report")


def resolver_cases(frames):
    """dnsfail's cases on the resolver input (callgrind_rows' case tuples), as MODES names them."""
    return [(n, "resolver", frames, asked, "dnsfail", w, "plain", p, what + ", a resolver's two legs")
            for n, asked, w, p, what in MODES if n in RESOLVER_MODES]


def max_ratio_rows(callgrind):
    """The rows --max-ratio checks: dnsfail's, in modes where its output is not asked for."""
    return [r for r in callgrind if not r["output_asked_for"] and r["with"] == "dnsfail"]


def floor_args(dnsfail_args):
    return ["floor" if x == "dnsfail" else x for x in dnsfail_args]


def floor_args_text(what):
    return what.replace("-Y dnsfail", "-Y floor")


def floor_cases(cases):
    """The floor's cases beside dnsfail's (callgrind_rows' case tuples): the same input and
    baseline, the floor's filter for dnsfail's, named FLOOR_PREFIX + mode for shape_rows."""
    return [(FLOOR_PREFIX + n, profile, n_frames, asked, "floor", floor_args(w), "plain", p, floor_args_text(what))
            for n, profile, n_frames, asked, wcfg, w, bcfg, p, what in cases
            if wcfg == "dnsfail" and n in FLOOR_MODES and profile in FLOOR_PROFILES]


def untracked_cases(cases):
    """dnsfail's untracked build beside dnsfail (callgrind_rows' case tuples): the same
    input, arguments and baseline, named UNTRACKED_PREFIX + mode for layer_rows."""
    return [(UNTRACKED_PREFIX + n, profile, n_frames, asked, "untracked", w, "plain", p, what)
            for n, profile, n_frames, asked, wcfg, w, bcfg, p, what in cases
            if wcfg == "dnsfail" and n in UNTRACKED_MODES and profile in UNTRACKED_PROFILES]


# The rows layer_rows reads beside dnsfail's summary row of an input, by (mode, with): the
# floor in summary lines (f) and in other_stat (fq), dnsfail (dq) and the untracked build
# (uq) in other_stat.
LAYER_INPUTS = {"f": (FLOOR_PREFIX + "summary", "floor"), "fq": (FLOOR_PREFIX + "other_stat", "floor"),
                "dq": ("other_stat", "dnsfail"), "uq": (UNTRACKED_PREFIX + "other_stat", "untracked")}


def layer_rows(callgrind):
    """dnsfail's extra instructions per frame in summary lines, in four layers that add up
    to it, per input where every row needed was measured:
      shape    the floor in summary lines (what any plugin of dnsfail's shape costs);
      reading  the untracked build less the floor, in other_stat (nothing is written there):
               reading DNS messages, ICMP quotes and TCP segments, classifying them, and
               preparing what the tracker is handed (fingerprints, checksums);
      tracking dnsfail less the untracked build, in other_stat: the tracker, and what
               dnsfail does with what it finds (links, timeouts, late answers, refusals);
      output   dnsfail's analysis (less the floor) in summary lines less the same in
               other_stat: the Info notes and whatever else writing them needs."""
    by = {(r["mode"], r["with"], r["input"]): r for r in callgrind}
    rows = []
    for d in callgrind:
        if d["mode"] != "summary" or d["with"] != "dnsfail":
            continue
        got = {k: by.get((m, w, d["input"])) for k, (m, w) in LAYER_INPUTS.items()}
        if None in got.values():
            continue
        extra = {k: r["per_frame_with"] - r["per_frame_baseline"] for k, r in got.items()}
        total = d["per_frame_with"] - d["per_frame_baseline"]
        layers = {"shape": extra["f"], "reading": extra["uq"] - extra["fq"], "tracking": extra["dq"] - extra["uq"],
                  "output": (total - extra["f"]) - (extra["dq"] - extra["fq"])}
        base = d["per_frame_baseline"]
        row = {"input": d["input"], "per_frame_baseline": base, "total": round(total, 1),
               "total_pct": round(100 * total / base, 2)}
        for k, v in layers.items():
            row[k] = round(v, 1)
            row[k + "_pct"] = round(100 * v / base, 2)
        rows.append(row)
    return rows


def shape_rows(callgrind):
    """Pairs each floor row with dnsfail's row of the same mode and input (same baseline)."""
    dnsfail = {(r["mode"], r["input"]): r for r in callgrind if r["with"] == "dnsfail"}
    rows = []
    for f in callgrind:
        if f["with"] != "floor":
            continue
        d = dnsfail.get((f["mode"][len(FLOOR_PREFIX):], f["input"]))
        if not d or d["baseline_args"] != f["baseline_args"]:
            continue
        base = d["per_frame_baseline"]
        floor_extra = f["per_frame_with"] - f["per_frame_baseline"]
        dnsfail_extra = d["per_frame_with"] - base
        rows.append({"mode": d["mode"], "input": d["input"], "per_frame_baseline": base,
                     "floor_extra": round(floor_extra, 1), "dnsfail_extra": round(dnsfail_extra, 1),
                     "analysis_extra": round(dnsfail_extra - floor_extra, 1),
                     "floor_pct": round(100 * floor_extra / base, 2), "dnsfail_pct": round(100 * dnsfail_extra / base, 2),
                     "analysis_pct": round(100 * (dnsfail_extra - floor_extra) / base, 2)})
    return rows


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Bench:
    def __init__(self, a):
        self.a = a
        self.plugin = os.path.abspath(a.plugin)
        self.floor = os.path.abspath(a.floor) if a.floor else None
        self.untracked = os.path.abspath(a.untracked) if a.untracked else None
        self.work = a.work
        os.makedirs(self.work, exist_ok=True)
        os.chmod(self.work, 0o755)

    # -- inputs ------------------------------------------------------------------------
    def capture(self, profile, frames, seed=1):
        path = os.path.join(self.work, f"{profile}-{frames}.pcap")
        if not os.path.exists(path):
            log(f"generating {path}")
            subprocess.run([sys.executable, GEN, path + ".tmp", str(frames), str(seed), "--profile", profile],
                           check=True)
            os.replace(path + ".tmp", path)
        return path

    # -- one tshark ----------------------------------------------------------------------
    def config(self, name):
        """(plugin argument of the runner, extra tshark arguments) of a configuration."""
        return {"dnsfail": (self.plugin, []),
                "plain": ("none", []),
                "floor": (self.floor, []),
                "untracked": (self.untracked, []),
                "lua": ("none", ["-X", f"lua_script:{LUA}"])}[name]

    def run(self, cfg, prefix, args, cap):
        plugin, extra = self.config(cfg)
        cmd = [self.a.runner, plugin, self.a.ws_minor, *prefix, "tshark", *extra, *args, "-r", cap]
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr[-2000:]}")
        return p.stderr

    def instructions(self, cfg, args, cap):
        err = self.run(cfg, ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"], args, cap)
        m = re.search(r"Collected : (\d+)", err)
        if not m:
            raise RuntimeError(f"no callgrind total in:\n{err[-2000:]}")
        return int(m.group(1))

    def timed(self, cfg, args, cap):
        err = self.run(cfg, ["/usr/bin/time", "-f", "BENCHTIME %e %U %S %M"], args, cap)
        m = re.findall(r"BENCHTIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", err)
        if not m:
            raise RuntimeError(f"no /usr/bin/time line in:\n{err[-2000:]}")
        e, u, s, rss = m[-1]
        return {"elapsed_s": float(e), "cpu_s": float(u) + float(s), "max_rss_kb": int(rss)}

    # -- callgrind -----------------------------------------------------------------------
    def run_all(self, cases, reps, measure, what):
        """cases: (row name, profile, frames, with config, with args, base config, base args).
        measure(cfg, args, capture) runs reps times per side on N frames and on one frame,
        self.a.jobs at a time (counts do not depend on load). Returns
        {(name, profile, frames, side, size): [result of each repetition, in order]}, side "with" or
        "base", size "n" or "one"."""
        jobs = {}
        for name, profile, frames, wcfg, wargs, bcfg, bargs in cases:
            big, one = self.capture(profile, frames), self.capture(profile, 1)
            for side, cfg, args in (("with", wcfg, wargs), ("base", bcfg, bargs)):
                for size, cap in (("n", big), ("one", one)):
                    for r in range(reps):
                        jobs[(name, profile, frames, side, size, r)] = (cfg, args, cap)
        log(f"{what}: {len(jobs)} runs, {self.a.jobs} at a time")
        with ThreadPoolExecutor(self.a.jobs) as ex:
            futs = {k: ex.submit(measure, *v) for k, v in jobs.items()}
            got = {k: f.result() for k, f in futs.items()}
        res = {}
        for key in sorted(got, key=lambda k: k[-1]):
            res.setdefault(key[:-1], []).append(got[key])
        return res

    def callgrind_rows(self, cases, reps):
        """cases: (row name, profile, frames, asked_for, with config, with args, base config,
        base args, description). Per frame: the median of the N-frame totals less the median
        of the one-frame totals; the ratio's range pairs the i-th runs of both sides."""
        res = self.run_all([(c[0], c[1], c[2], c[4], c[5], c[6], c[7]) for c in cases], reps, self.instructions,
                           "callgrind")
        rows = []
        for name, profile, frames, asked, wcfg, wargs, bcfg, bargs, what in cases:
            pf, each = {}, {}
            for side in ("with", "base"):
                n, one = res[(name, profile, frames, side, "n")], res[(name, profile, frames, side, "one")]
                pf[side] = (statistics.median(n) - statistics.median(one)) / (frames - 1)
                each[side] = [(n[i] - one[i]) / (frames - 1) for i in range(reps)]
            ratios = [each["with"][i] / each["base"][i] for i in range(reps)]
            key = (name, profile, frames)
            rows.append({
                "mode": name, "input": f"{profile}-{frames}", "frames": frames, "output_asked_for": asked,
                "with": wcfg, "baseline": bcfg, "what": what,
                "with_args": wargs, "baseline_args": bargs,
                "reps": reps,
                "startup_with": res[key + ("with", "one")], "startup_baseline": res[key + ("base", "one")],
                "total_with": res[key + ("with", "n")], "total_baseline": res[key + ("base", "n")],
                "per_frame_with": round(pf["with"], 1), "per_frame_baseline": round(pf["base"], 1),
                "ratio": round(pf["with"] / pf["base"], 4),
                "ratio_min": round(min(ratios), 4), "ratio_max": round(max(ratios), 4),
            })
            log(f"  {name:16} {profile}-{frames}: {pf['base']:.0f} -> {pf['with']:.0f} instr/frame,"
                f" ratio {pf['with'] / pf['base']:.4f} ({min(ratios):.4f} to {max(ratios):.4f})")
        return rows

    # -- cache misses ----------------------------------------------------------------------
    def cache_counts(self, cfg, args, cap):
        """Instructions, D1 misses and LL misses of one run under cachegrind's cache simulation."""
        ll = self.a.cache_ll
        err = self.run(cfg, ["valgrind", "--tool=cachegrind", "--cache-sim=yes", "--cachegrind-out-file=/dev/null",
                             "--D1=49152,12,64", f"--LL={ll},16,64"], args, cap)
        got = {}
        for key, pat in (("ir", r"I\s+refs:\s+([\d,]+)"), ("d1", r"D1\s+misses:\s+([\d,]+)"),
                         ("ll", r"LL misses:\s+([\d,]+)")):
            m = re.search(pat, err)
            if not m:
                raise RuntimeError(f"no cachegrind {key} total in:\n{err[-2000:]}")
            got[key] = int(m.group(1).replace(",", ""))
        return got

    def cache_rows(self, cases):
        """cases as for run_all. One run per side and size (the simulation is deterministic
        but for wmem's seeds); per frame: (N-frame total - one-frame total) / (N - 1)."""
        res = self.run_all(cases, 1, self.cache_counts, "cachegrind")
        got = {k: v[0] for k, v in res.items()}
        rows = []
        for name, profile, frames, wcfg, wargs, bcfg, bargs in cases:
            row = {"mode": name, "input": f"{profile}-{frames}", "frames": frames, "with": wcfg, "baseline": bcfg,
                   "ll_bytes": self.a.cache_ll}
            for side, sn in (("with", "with"), ("base", "baseline")):
                n, one = got[(name, profile, frames, side, "n")], got[(name, profile, frames, side, "one")]
                for key in ("ir", "d1", "ll"):
                    row[f"{key}_per_frame_{sn}"] = round((n[key] - one[key]) / (frames - 1), 2)
            for key in ("d1", "ll"):
                row[f"{key}_extra_per_frame"] = round(row[f"{key}_per_frame_with"] - row[f"{key}_per_frame_baseline"], 2)
            rows.append(row)
            log(f"  {name:16} {profile}-{frames}: D1 misses {row['d1_per_frame_baseline']} -> {row['d1_per_frame_with']},"
                f" LL misses {row['ll_per_frame_baseline']} -> {row['ll_per_frame_with']} per frame")
        return rows

    # -- wall time and memory ------------------------------------------------------------
    def wall_rows(self, cases, reps):
        """cases: (row name, profile, frames, with config, with args, base config, base args).
        Repetitions alternate which side goes first; medians reported."""
        rows = []
        for name, profile, frames, wcfg, wargs, bcfg, bargs in cases:
            cap = self.capture(profile, frames)
            got = {"with": [], "base": []}
            for r in range(reps):
                order = (("with", wcfg, wargs), ("base", bcfg, bargs))
                for side, cfg, args in (order if r % 2 else order[::-1]):
                    got[side].append(self.timed(cfg, args, cap))
            med = {s: {k: statistics.median(x[k] for x in got[s]) for k in got[s][0]} for s in got}
            row = {"mode": name, "input": f"{profile}-{frames}", "frames": frames, "with": wcfg, "baseline": bcfg,
                   "reps": reps}
            for s in ("with", "base"):
                sn = "with" if s == "with" else "baseline"
                row[f"elapsed_s_{sn}"] = round(med[s]["elapsed_s"], 3)
                row[f"cpu_s_{sn}"] = round(med[s]["cpu_s"], 3)
                row[f"max_rss_kb_{sn}"] = int(med[s]["max_rss_kb"])
                row[f"cpu_us_per_frame_{sn}"] = round(med[s]["cpu_s"] / frames * 1e6, 2)
            row["cpu_ratio"] = round(med["with"]["cpu_s"] / med["base"]["cpu_s"], 3) if med["base"]["cpu_s"] else None
            row["rss_delta_kb"] = int(med["with"]["max_rss_kb"] - med["base"]["max_rss_kb"])
            rows.append(row)
            log(f"  {name:16} {profile}-{frames}: cpu {row['cpu_s_baseline']}s -> {row['cpu_s_with']}s"
                f" (x{row['cpu_ratio']}), rss {row['max_rss_kb_baseline']} -> {row['max_rss_kb_with']} KB")
        return rows


def meta(a, plugin):
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=TOP).stdout.strip()
        except OSError:
            return ""
    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    def sha256(path):
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    return {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
        "quick": a.quick,
        "git_commit": out(["git", "log", "-1", "--format=%H %s"]),
        "git_uncommitted": [l for l in out(["git", "status", "--porcelain", "--untracked-files=no"]).splitlines()],
        "plugin": plugin, "plugin_sha256": sha256(plugin),
        "floor": os.path.abspath(a.floor) if a.floor else None,
        "floor_sha256": sha256(a.floor) if a.floor else None,
        "untracked": os.path.abspath(a.untracked) if a.untracked else None,
        "untracked_sha256": sha256(a.untracked) if a.untracked else None,
        "tshark": out(["tshark", "--version"]).splitlines()[0] if out(["tshark", "--version"]) else "",
        "valgrind": out(["valgrind", "--version"]),
        "cpu": cpu, "cpus": os.cpu_count(), "kernel": platform.release(),
        "os": out(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
    }


def markdown(res):
    m = res["meta"]
    L = [f"# dnsfail benchmark results{' (quick)' if m['quick'] else ''}", "",
         f"- Date (UTC): {m['date_utc']}", f"- Commit: `{m['git_commit']}`",
         f"- Uncommitted changes to tracked files: {', '.join('`' + x.strip() + '`' for x in m['git_uncommitted']) or 'none'}",
         f"- {m['tshark']}; {m['valgrind']}; {m['os']}, kernel {m['kernel']}; {m['cpu']} ({m['cpus']} CPUs)",
         f"- Hash seeds: {'the same in every run (--same-seeds)' if m.get('same_seeds') else 'random, as Wireshark draws them'}",
         "", "## Instructions per frame (callgrind, start-up subtracted)", "",
         "| mode | input | output asked for | plain tshark | with | ratio | range over runs |",
         "|---|---|---|---:|---:|---:|---:|"]
    for r in res["callgrind"]:
        base = "plain" if r["baseline"] == "plain" else r["baseline"]
        who = {"dnsfail": "dnsfail", "floor": "floor (shape only)",
               "untracked": "dnsfail untracked (no tracker)"}.get(r["with"], f"{r['with']} (yardstick)")
        L.append(f"| {r['mode']}: {r['what']} ({who} vs {base}) | {r['input']} | {'yes' if r['output_asked_for'] else 'no'} "
                 f"| {r['per_frame_baseline']:,.0f} | {r['per_frame_with']:,.0f} | {r['ratio']:.4f} "
                 f"| {r['ratio_min']:.4f} to {r['ratio_max']:.4f} |")
    c0 = res["callgrind"][0]
    L += ["", f"Each total is the median of {c0['reps']} runs per side and size. Start-up (one-frame capture, "
          f"instructions, median): plain {statistics.median(c0['startup_baseline']):,.0f}, "
          f"with dnsfail {statistics.median(c0['startup_with']):,.0f}.", ""]
    if res.get("shape"):
        L += ["## Shape and analysis (instructions per frame more than plain tshark)", "",
              "The floor is a plugin of dnsfail's shape that analyses nothing (bench/floor_plugin.c): in summary "
              "lines its cost is what any plugin fed by ip.proto wrappers costs, and the rest is dnsfail's "
              "analysis. In the filter rows the floor runs -Y floor, which matches and prints nothing: its column is "
              "the shape with that cheaper filter, against the hand-written one, so that column, negated, is what "
              "dnsfail's analysis may cost before -Y dnsfail is slower than the hand-written filter, and the "
              "analysis column is what it costs: with the lines of the frames only dnsfail finds printed (filter) "
              "or nothing printed (filter_quiet). The analysis column also holds what the floor's filter never "
              "pays because it never matches: once a filter has matched, tshark empties a table of matched "
              "fields in every later frame (docs/PERFORMANCE.md).", "",
              "| mode | input | plain tshark | floor: extra | dnsfail: extra | analysis (dnsfail - floor) "
              "| floor % | analysis % | dnsfail % |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for r in res["shape"]:
            L.append(f"| {r['mode']} | {r['input']} | {r['per_frame_baseline']:,.0f} | {r['floor_extra']:+,.0f} "
                     f"| {r['dnsfail_extra']:+,.0f} | {r['analysis_extra']:+,.0f} | {r['floor_pct']:+.2f} "
                     f"| {r['analysis_pct']:+.2f} | {r['dnsfail_pct']:+.2f} |")
        L.append("")
    if res.get("layers"):
        L += ["## Layers (instructions per frame more than plain tshark, summary lines)", "",
              "dnsfail's extra cost in summary lines, in four parts that add up to it. Shape: the floor. Reading: "
              "dnsfail built with a tracker that keeps nothing (bench/untracked_tracker.c) less the floor, with "
              "-q -z dns,tree, where nothing of dnsfail's is written: reading DNS messages, ICMP quotes and TCP "
              "segments, classifying them and preparing what the tracker is handed. Tracking: dnsfail less that "
              "build, in the same mode: the tracker (hashing, its three tables, matching, timeouts) and what "
              "dnsfail does with what it finds (links to queries, late and recovered answers, refused TCP "
              "connections). Output: dnsfail's analysis (less the floor) in summary lines less the same with "
              "-q -z dns,tree: the Info notes of failures. Each part is rounded on its own; reading and tracking "
              "are measured against plain tshark with -q -z dns,tree and shown as shares of summary lines' "
              "plain tshark.", "",
              "| input | plain tshark | shape | reading | tracking | output | dnsfail: extra "
              "| shape % | reading % | tracking % | output % | dnsfail % |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in res["layers"]:
            L.append(f"| {r['input']} | {r['per_frame_baseline']:,.0f} | {r['shape']:+,.0f} | {r['reading']:+,.0f} "
                     f"| {r['tracking']:+,.0f} | {r['output']:+,.0f} | {r['total']:+,.0f} | {r['shape_pct']:+.2f} "
                     f"| {r['reading_pct']:+.2f} | {r['tracking_pct']:+.2f} | {r['output_pct']:+.2f} "
                     f"| {r['total_pct']:+.2f} |")
        L.append("")
    if res["wall"]:
        L += ["## Wall time and peak memory (median of repetitions, alternating)", "",
              "| mode | input | reps | CPU s plain | CPU s with | ratio | elapsed s plain | elapsed s with "
              "| peak RSS KB plain | peak RSS KB with | RSS delta KB |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in res["wall"]:
            L.append(f"| {r['mode']} ({r['with']} vs {r['baseline']}) | {r['input']} | {r['reps']} | {r['cpu_s_baseline']} | {r['cpu_s_with']} "
                     f"| {r['cpu_ratio']} | {r['elapsed_s_baseline']} | {r['elapsed_s_with']} | {r['max_rss_kb_baseline']:,} "
                     f"| {r['max_rss_kb_with']:,} | {r['rss_delta_kb']:,} |")
        L.append("")
    if res.get("cache"):
        ll_mb = res["cache"][0]["ll_bytes"] / 1048576
        L += [f"## Cache misses per frame (cachegrind: first-level data cache 48 KB, last level {ll_mb:g} MB; "
              "start-up subtracted)", "",
              "| mode | input | instructions plain | with | D1 misses plain | with | extra | LL misses plain | with | extra |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in res["cache"]:
            L.append(f"| {r['mode']} ({r['with']} vs {r['baseline']}) | {r['input']} | {r['ir_per_frame_baseline']:,.0f} "
                     f"| {r['ir_per_frame_with']:,.0f} | {r['d1_per_frame_baseline']:,.1f} | {r['d1_per_frame_with']:,.1f} "
                     f"| {r['d1_extra_per_frame']:+,.1f} | {r['ll_per_frame_baseline']:,.2f} | {r['ll_per_frame_with']:,.2f} "
                     f"| {r['ll_extra_per_frame']:+,.2f} |")
        L.append("")
    if res.get("memory_per_tracked_query"):
        L += ["## Memory per tracked query (flood of unanswered queries)", "",
              "| input | queries in capture | tracked (bound) | RSS delta KB | bytes per tracked query |",
              "|---|---:|---:|---:|---:|"]
        for r in res["memory_per_tracked_query"]:
            L.append(f"| {r['input']} | {r['queries']:,} | {r['tracked']:,} | {r['rss_delta_kb']:,} | {r['bytes_per_tracked_query']:,} |")
        L.append("")
    if "check" in res:
        c = res["check"]
        L += [f"Check: not-asked-for modes at most {c['max_ratio']} per frame: "
              f"{'passed' if c['passed'] else 'FAILED'} (worst {c['worst_mode']} {c['worst_ratio']})", ""]
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description="dnsfail against plain tshark")
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--ws-minor", default=None, help="Wireshark minor version, e.g. 4.0 (default: from tshark)")
    ap.add_argument("--runner", default=RUNNER, help="tshark_as_user.sh (default: the one in tests/helpers)")
    ap.add_argument("--quick", action="store_true",
                    help="small input, the not-asked-for modes only (summary also on the everyday and resolver inputs)")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--work", default="/tmp/dnsfail-bench", help="where generated captures are kept")
    ap.add_argument("--frames", type=int, default=None, help="frames of the callgrind input")
    ap.add_argument("--sizes", default=None, help="comma-separated frame counts for scaling")
    ap.add_argument("--reps", type=int, default=None, help="wall-time repetitions (default 3, quick 1)")
    ap.add_argument("--cg-reps", type=int, default=None,
                    help="callgrind runs per side and size, medians compared (default 3)")
    ap.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    ap.add_argument("--same-seeds", action="store_true",
                    help="preload bench/same_seed.c so that Wireshark's hash maps draw the same seed in every run "
                         "(paired, repeatable instruction counts; for comparing builds)")
    ap.add_argument("--no-cache-sim", action="store_true", help="skip the cache-miss runs (cachegrind)")
    ap.add_argument("--cache-frames", type=int, default=100000, help="frames of the cache-miss inputs")
    ap.add_argument("--cache-ll", type=int, default=2097152,
                    help="simulated last-level cache in bytes (default 2 MB: one core's L2 here)")
    ap.add_argument("--floor", default=None,
                    help="the floor plugin (bench/floor_plugin.c, target dnsfail_bench_floor): measured beside dnsfail "
                         "in the summary, filter and other_stat modes, to split dnsfail's cost into its shape and its "
                         "analysis")
    ap.add_argument("--untracked", default=None,
                    help="dnsfail built with a tracker that keeps nothing (bench/untracked_tracker.c, target "
                         "dnsfail_bench_untracked): with --floor, splits dnsfail's cost into layers")
    ap.add_argument("--max-ratio", type=float, default=None,
                    help="fail when a not-asked-for mode's instruction ratio per frame exceeds this")
    a = ap.parse_args()
    a.work = os.path.abspath(a.work)
    if not a.ws_minor:
        v = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout
        a.ws_minor = ".".join(re.search(r"(\d+)\.(\d+)\.\d+", v).groups())
    frames = a.frames or (3000 if a.quick else 10000)
    sizes = [int(x) for x in (a.sizes or ("3000" if a.quick else "10000,100000,1000000")).split(",")]
    reps = a.reps or (1 if a.quick else 3)
    cg_reps = a.cg_reps or 3

    b = Bench(a)
    res = {"meta": meta(a, b.plugin)}
    res["meta"]["same_seeds"] = a.same_seeds
    if a.same_seeds:
        lib = os.path.join(a.work, "same_seed.so")
        subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", lib, os.path.join(HERE, "same_seed.c")], check=True)
        os.chmod(lib, 0o755)
        os.environ["DNSFAIL_BENCH_PRELOAD"] = lib
    log(f"dnsfail benchmark: {res['meta']['git_commit']}")

    cases = [(n, "realistic", frames, asked, "dnsfail", w, "plain", p, what)
             for n, asked, w, p, what in MODES if not a.quick or n in QUICK_MODES]
    cases.append(("summary", "ordinary", frames, False, "dnsfail", [], "plain", [],
                  "summary lines, no DNS and no ICMP error in the input"))
    if a.quick:  # the bar's everyday input, and a resolver's two legs, in the not-asked-for mode
        cases += [c for c in everyday_cases(frames) + resolver_cases(frames) if c[0] == "summary"]
    if not a.quick:
        cases += [("summary", "flood", frames, False, "dnsfail", [], "plain", [], "summary lines, flood of unanswered queries"),
                  ("summary", "mixed", 5000, False, "dnsfail", [], "plain", [], "summary lines, the input of docs/design.md")]
        cases.append(("lua_summary", "realistic", frames, True, "lua", [], "plain", [],
                      "Lua post-dissector reading icmp.type and dns.qry.name, summary lines"))
        cases += everyday_cases(frames)
        cases += resolver_cases(frames)
    if a.floor:
        cases += floor_cases(cases)
    if a.untracked and not a.quick:
        cases += untracked_cases(cases)
    res["callgrind"] = b.callgrind_rows(cases, cg_reps)
    res["shape"] = shape_rows(res["callgrind"])
    res["layers"] = layer_rows(res["callgrind"])

    res["cache"] = []
    if not a.quick and not a.no_cache_sim:
        cf = a.cache_frames
        res["cache"] = b.cache_rows([("summary", "realistic", cf, "dnsfail", [], "plain", []),
                                     ("summary", "flood", cf, "dnsfail", [], "plain", [])])

    wcases = []
    for n in sizes:
        wcases.append(("summary", "realistic", n, "dnsfail", [], "plain", []))
        wcases.append(("summary", "flood", n, "dnsfail", [], "plain", []))
    if not a.quick:
        mid = sizes[min(1, len(sizes) - 1)]
        wcases += [("two_pass", "realistic", mid, "dnsfail", ["-2"], "plain", ["-2"]),
                   ("tree", "realistic", mid, "dnsfail", ["-q", "-z", "dnsfail,tree"], "plain", ["-q", "-z", "dns,tree"]),
                   ("lua_summary", "realistic", mid, "lua", [], "plain", [])]
    log(f"wall time and memory: {len(wcases)} cases, {reps} repetitions")
    res["wall"] = []
    for c in wcases:
        n = c[2]
        res["wall"] += b.wall_rows([c], reps if n <= 100000 else max(1, min(reps, 2)))

    # Memory per tracked query: the flood keeps every query unanswered; the plugin remembers
    # at most max_tracked_queries (65,536 by default) of them.
    mem = []
    for r in res["wall"]:
        if r["mode"] == "summary" and r["input"].startswith("flood-"):
            queries = round(r["frames"] * 0.895)      # the flood's share of queries
            tracked = min(queries, 65536)
            mem.append({"input": r["input"], "queries": queries, "tracked": tracked, "rss_delta_kb": r["rss_delta_kb"],
                        "bytes_per_tracked_query": round(r["rss_delta_kb"] * 1024 / tracked)})
    res["memory_per_tracked_query"] = mem

    if a.max_ratio is not None:
        nots = max_ratio_rows(res["callgrind"])
        worst = max(nots, key=lambda r: r["ratio"])
        res["check"] = {"max_ratio": a.max_ratio, "worst_mode": f"{worst['mode']} {worst['input']}",
                        "worst_ratio": worst["ratio"], "passed": worst["ratio"] <= a.max_ratio}

    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    md = markdown(res)
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(md + "\n")
    print(md)
    if "check" in res and not res["check"]["passed"]:
        log(f"FAIL: {res['check']['worst_mode']} costs {res['check']['worst_ratio']} x plain tshark per frame"
            f" (limit {a.max_ratio})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
