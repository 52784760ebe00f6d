#!/usr/bin/env python3
"""Unit tests of bench.py's bookkeeping, without tshark or valgrind (ctest: bench_tables).

The full benchmark is the only run that measures the floor, and CI runs only the quick
mode; these tests check what would otherwise go unchecked between full runs: that the
floor's cases line up with dnsfail's (same input, same baseline, the floor's filter), that
callgrind_rows turns totals into figures per frame with start-up subtracted, that
shape_rows splits dnsfail's cost into the shape and the analysis from the right pairs, and
that layer_rows splits it into shape, reading, tracking and output that add up to it.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

FRAMES = 1001
STARTUP = 800_000_000


def dnsfail_cases():
    """The cases main() builds for the realistic and ordinary inputs, full mode."""
    cases = [(n, "realistic", FRAMES, asked, "dnsfail", w, "plain", p, what) for n, asked, w, p, what in bench.MODES]
    cases.append(("summary", "ordinary", FRAMES, False, "dnsfail", [], "plain", [], "no DNS"))
    return cases


class FakeBench:
    """Stands in for Bench: run_all returns made-up callgrind totals, chosen per side so that
    every figure per frame is known in advance."""

    def __init__(self, per_frame):
        self.per_frame = per_frame  # (mode, profile, "with" | "base") -> instructions per frame
        self.instructions = None    # what run_all would measure with; never called here

    def run_all(self, cases, reps, measure, what):
        res = {}
        for name, profile, frames, wcfg, wargs, bcfg, bargs in cases:
            for side in ("with", "base"):
                pf = self.per_frame[(name, profile, side)]
                res[(name, profile, frames, side, "one")] = [STARTUP + pf] * reps
                res[(name, profile, frames, side, "n")] = [STARTUP + pf * frames] * reps
        return res


class FloorCases(unittest.TestCase):
    def test_one_floor_case_per_floor_mode_and_profile(self):
        floor = bench.floor_cases(dnsfail_cases())
        got = sorted((c[0], c[1]) for c in floor)
        want = sorted([(bench.FLOOR_PREFIX + m, "realistic") for m in bench.FLOOR_MODES] +
                      [(bench.FLOOR_PREFIX + "summary", "ordinary")])
        self.assertEqual(got, want)

    def test_floor_case_keeps_input_and_baseline_and_swaps_the_filter(self):
        by_name = {(c[0], c[1]): c for c in dnsfail_cases()}
        for f in bench.floor_cases(dnsfail_cases()):
            d = by_name[(f[0][len(bench.FLOOR_PREFIX):], f[1])]
            self.assertEqual(f[2], d[2])          # frames
            self.assertEqual(f[4], "floor")       # the plugin measured
            self.assertEqual(f[6:8], d[6:8])      # the same baseline and its arguments
            self.assertNotIn("dnsfail", f[5])
            self.assertEqual(f[5], ["floor" if x == "dnsfail" else x for x in d[5]])
        quiet = [f for f in bench.floor_cases(dnsfail_cases()) if f[0] == bench.FLOOR_PREFIX + "filter_quiet"][0]
        self.assertEqual(quiet[5], ["-q", "-Y", "floor"])
        self.assertIn("-Y floor", quiet[8])

    def test_only_dnsfail_cases_get_a_floor(self):
        lua = [("summary", "realistic", FRAMES, True, "lua", [], "plain", [], "yardstick")]
        self.assertEqual(bench.floor_cases(lua), [])


class ResolverCases(unittest.TestCase):
    def test_resolver_input_in_its_modes_with_dnsfail_arguments_and_baseline(self):
        cases = bench.resolver_cases(FRAMES)
        self.assertEqual([c[0] for c in cases], list(bench.RESOLVER_MODES))
        modes = {n: (asked, w, p) for n, asked, w, p, _ in bench.MODES}
        for name, profile, frames, asked, wcfg, w, bcfg, p, _ in cases:
            self.assertEqual((profile, frames, wcfg, bcfg), ("resolver", FRAMES, "dnsfail", "plain"))
            self.assertEqual((asked, w, p), modes[name])


class ShapeRows(unittest.TestCase):
    def rows(self, per_frame, cases):
        return bench.Bench.callgrind_rows(FakeBench(per_frame), cases, 1)

    def test_per_frame_figures_subtract_startup(self):
        cases = [("summary", "realistic", FRAMES, False, "dnsfail", [], "plain", [], "x")]
        r = self.rows({("summary", "realistic", "with"): 50_000, ("summary", "realistic", "base"): 48_000}, cases)[0]
        self.assertEqual(r["per_frame_with"], 50_000)
        self.assertEqual(r["per_frame_baseline"], 48_000)
        self.assertAlmostEqual(r["ratio"], 50_000 / 48_000, places=4)

    def test_shape_splits_dnsfail_into_floor_and_analysis(self):
        cases = dnsfail_cases()
        cases += bench.floor_cases(cases)
        per_frame = {}
        for c in cases:
            base = 40_000 if c[1] == "ordinary" else 48_000
            if c[0].startswith(bench.FLOOR_PREFIX):
                per_frame[(c[0], c[1], "base")] = base + 7     # the same command, another run
                per_frame[(c[0], c[1], "with")] = base + 7 + 300
            else:
                per_frame[(c[0], c[1], "base")] = base
                per_frame[(c[0], c[1], "with")] = base + 1_500
        shape = {(r["mode"], r["input"]): r for r in bench.shape_rows(self.rows(per_frame, cases))}
        self.assertEqual(sorted(shape), sorted([(m, f"realistic-{FRAMES}") for m in bench.FLOOR_MODES] +
                                               [("summary", f"ordinary-{FRAMES}")]))
        s = shape[("summary", f"realistic-{FRAMES}")]
        self.assertEqual(s["per_frame_baseline"], 48_000)  # dnsfail's baseline, not the floor's
        self.assertEqual(s["floor_extra"], 300)
        self.assertEqual(s["dnsfail_extra"], 1_500)
        self.assertEqual(s["analysis_extra"], 1_200)
        self.assertEqual(s["analysis_pct"], round(100 * 1_200 / 48_000, 2))
        self.assertEqual(shape[("summary", f"ordinary-{FRAMES}")]["per_frame_baseline"], 40_000)

    def test_floor_row_without_its_dnsfail_row_or_with_another_baseline_is_left_out(self):
        row = {"mode": "summary", "input": "realistic-10", "with": "dnsfail", "baseline_args": [],
               "per_frame_with": 11.0, "per_frame_baseline": 10.0}
        floor = dict(row, mode=bench.FLOOR_PREFIX + "summary", **{"with": "floor"})
        self.assertEqual(len(bench.shape_rows([row, floor])), 1)
        self.assertEqual(bench.shape_rows([floor]), [])
        self.assertEqual(bench.shape_rows([row, dict(floor, input="ordinary-10")]), [])
        self.assertEqual(bench.shape_rows([row, dict(floor, baseline_args=["-2"])]), [])


class Layers(unittest.TestCase):
    def test_one_untracked_case_per_layer_mode_with_dnsfail_arguments_and_baseline(self):
        by_name = {(c[0], c[1]): c for c in dnsfail_cases()}
        untracked = bench.untracked_cases(dnsfail_cases())
        self.assertEqual(sorted((c[0], c[1]) for c in untracked),
                         sorted((bench.UNTRACKED_PREFIX + m, "realistic") for m in bench.UNTRACKED_MODES))
        for u in untracked:
            d = by_name[(u[0][len(bench.UNTRACKED_PREFIX):], u[1])]
            self.assertEqual(u[4], "untracked")
            self.assertEqual(u[2], d[2])
            self.assertEqual(u[5:8], d[5:8])  # dnsfail's arguments, the same baseline and its arguments
            self.assertEqual((u[3], u[8]), (d[3], d[8]))  # output asked for, and the description

    def test_only_dnsfail_cases_get_an_untracked_one(self):
        lua = [("summary", "realistic", FRAMES, True, "lua", [], "plain", [], "yardstick")]
        self.assertEqual(bench.untracked_cases(lua), [])

    def measured(self):
        cases = dnsfail_cases()
        cases += bench.floor_cases(cases) + bench.untracked_cases(cases)
        extra = {"summary": 1_500, "floor_summary": 300, "untracked_summary": 1_200,
                 "other_stat": 1_250, "floor_other_stat": 290, "untracked_other_stat": 900}
        per_frame = {}
        for c in cases:
            base = 43_000 if c[0].endswith("other_stat") else 48_000
            per_frame[(c[0], c[1], "base")] = base
            per_frame[(c[0], c[1], "with")] = base + extra.get(c[0], 2_000)
        return bench.Bench.callgrind_rows(FakeBench(per_frame), cases, 1)

    def test_layers_split_dnsfail_in_summary_lines_and_add_up_to_it(self):
        rows = bench.layer_rows(self.measured())
        self.assertEqual([r["input"] for r in rows], [f"realistic-{FRAMES}"])  # ordinary has no untracked rows
        r = rows[0]
        self.assertEqual(r["per_frame_baseline"], 48_000)
        self.assertEqual(r["shape"], 300)                         # the floor, summary lines
        self.assertEqual(r["reading"], 900 - 290)                 # untracked less the floor, other_stat
        self.assertEqual(r["tracking"], 1_250 - 900)              # dnsfail less untracked, other_stat
        self.assertEqual(r["output"], (1_500 - 300) - (1_250 - 290))
        self.assertEqual(r["shape"] + r["reading"] + r["tracking"] + r["output"], r["total"])
        self.assertEqual(r["total"], 1_500)
        self.assertEqual(r["reading_pct"], round(100 * 610 / 48_000, 2))

    def test_no_layer_row_without_every_row_it_needs(self):
        rows = self.measured()
        for missing in ("floor_summary", "other_stat", "floor_other_stat", "untracked_other_stat"):
            kept = [r for r in rows if r["mode"] != missing]
            self.assertEqual(bench.layer_rows(kept), [], missing)


class EverydayInput(unittest.TestCase):
    """The everyday input is what the 2% goal is read against: its
    share of DNS and ICMP-error frames must be the one docs/PERFORMANCE.md states."""

    @staticmethod
    def frame_kinds(path):
        """Counts of the capture's frames: (all, DNS over UDP or TCP or ICMP error)."""
        import struct
        total = dns_or_error = 0
        with open(path, "rb") as f:
            f.read(24)
            while True:
                hdr = f.read(16)
                if len(hdr) < 16:
                    break
                frame = f.read(struct.unpack("<IIII", hdr)[2])
                total += 1
                ethertype = struct.unpack("!H", frame[12:14])[0]
                ip = frame[14:]
                if ethertype == 0x0800:
                    proto, l4 = ip[9], ip[(ip[0] & 0x0F) * 4:]
                else:
                    proto, l4 = ip[6], ip[40:]
                ports = struct.unpack("!HH", l4[:4]) if proto in (6, 17) else ()
                if proto in (1, 58) and l4[0] in (1, 3) or 53 in ports:
                    dns_or_error += 1
        return total, dns_or_error

    def test_everyday_has_a_tenth_of_dns_and_realistic_half(self):
        import subprocess
        import tempfile
        gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "make_mixed_capture.py")
        shares = {}
        with tempfile.TemporaryDirectory() as d:
            for profile in ("everyday", "realistic", "ordinary"):
                out = os.path.join(d, profile + ".pcap")
                subprocess.run([sys.executable, gen, out, "4000", "1", "--profile", profile], check=True)
                total, dns = self.frame_kinds(out)
                self.assertEqual(total, 4000)
                shares[profile] = dns / total
        self.assertTrue(0.08 <= shares["everyday"] <= 0.12, shares)
        self.assertTrue(0.44 <= shares["realistic"] <= 0.52, shares)
        self.assertEqual(shares["ordinary"], 0.0)


class EverydayCases(unittest.TestCase):
    def test_everyday_cases_are_the_named_modes_on_the_everyday_input(self):
        cases = bench.everyday_cases(FRAMES)
        self.assertEqual(sorted(c[0] for c in cases), sorted(bench.EVERYDAY_MODES))
        modes = {m[0]: m for m in bench.MODES}
        for name, profile, frames, asked, wcfg, w, bcfg, p, what in cases:
            self.assertEqual((profile, frames, wcfg, bcfg), ("everyday", FRAMES, "dnsfail", "plain"))
            self.assertEqual((asked, w, p), (modes[name][1], modes[name][2], modes[name][3]))

    def test_the_not_asked_for_everyday_rows_fall_under_the_max_ratio_check(self):
        cases = bench.everyday_cases(FRAMES)
        per_frame = {(c[0], "everyday", side): 50_000 for c in cases for side in ("with", "base")}
        rows = bench.Bench.callgrind_rows(FakeBench(per_frame), cases, 1)
        checked = bench.max_ratio_rows(rows)
        self.assertEqual(sorted(r["mode"] for r in checked), ["fields_plain", "other_stat", "summary", "two_pass"])
        self.assertTrue(all(r["input"] == "everyday-%d" % FRAMES for r in checked))


if __name__ == "__main__":
    unittest.main(verbosity=2)
