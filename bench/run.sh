#!/usr/bin/env bash
# The dnsfail benchmark in one command: builds the plugin (unless --plugin is given), the
# floor (bench/floor_plugin.c: dnsfail's shape without its analysis) and dnsfail without
# its tracker (bench/untracked_tracker.c), generates its inputs and measures tshark with
# and without the plugin in the same run.
#
#   bench/run.sh [--quick] [--plugin PATH/dnsfail.so] [other bench.py options]
#
# Full run: about 25 minutes on 2 idle CPUs, far more under load (callgrind on 10,000
# frames in every mode, wall time and memory at 10k, 100k and 1M frames). --quick: a few
# minutes (callgrind on 3,000 frames, the modes where dnsfail's output is not asked for).
# Results: bench/results/results.json and results.md unless --out DIR. Needs valgrind,
# /usr/bin/time (package "time"), tshark, python3; as root it runs tshark as uid 65534
# (tests/helpers/tshark_as_user.sh).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")

have_plugin=no have_floor=no have_untracked=no
for a in "$@"; do
  case "$a" in
    --plugin | --plugin=*) have_plugin=yes ;;
    --floor | --floor=*) have_floor=yes ;;
    --untracked | --untracked=*) have_untracked=yes ;;
  esac
  # the quick mode measures dnsfail alone
  [ "$a" = --quick ] && have_floor=quick have_untracked=quick
done
for tool in valgrind /usr/bin/time tshark python3; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 2; }
done

# The plugin (unless --plugin) and the floor (unless --floor or --quick), from this source
# tree; the untracked build too, but only beside the plugin built here: beside a plugin given
# with --plugin (another commit, another build) its layers would mix two builds' code, so
# it is measured only when given with --untracked.
[ "$have_plugin" = yes ] && [ "$have_untracked" = no ] && have_untracked=skip
targets=()
[ "$have_plugin" = no ] && targets+=(dnsfail)
[ "$have_floor" = no ] && targets+=(dnsfail_bench_floor)
[ "$have_untracked" = no ] && targets+=(dnsfail_bench_untracked)
if [ ${#targets[@]} -gt 0 ]; then
  build=${DNSFAIL_BENCH_BUILD:-${TMPDIR:-/tmp}/dnsfail-bench-build}
  cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDNSFAIL_TESTS=OFF >/dev/null
  cmake --build "$build" --target "${targets[@]}" -j "$(nproc)" >/dev/null
  [ "$have_plugin" = no ] && set -- --plugin "$build/dnsfail.so" "$@"
  [ "$have_floor" = no ] && set -- --floor "$build/floor.so" "$@"
  [ "$have_untracked" = no ] && set -- --untracked "$build/untracked.so" "$@"
fi
exec python3 "$here/bench.py" "$@"
