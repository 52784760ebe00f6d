#!/usr/bin/env bash
# The dnsfail benchmark in one command: builds the plugin (unless --plugin is given),
# generates its inputs and measures tshark with and without the plugin in the same run.
#
#   bench/run.sh [--quick] [--plugin PATH/dnsfail.so] [other bench.py options]
#
# Full run: about 10 minutes on 2 idle CPUs, far more under load (callgrind on 10,000
# frames in every mode, wall time and memory at 10k, 100k and 1M frames). --quick: a few
# minutes (callgrind on 3,000 frames, the modes where dnsfail's output is not asked for).
# Results: bench/results/results.json and results.md unless --out DIR. Needs valgrind,
# /usr/bin/time (package "time"), tshark, python3; as root it runs tshark as uid 65534
# (tests/integration/tshark_as_user.sh).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")

have_plugin=no
for a in "$@"; do [ "$a" = --plugin ] && have_plugin=yes; done
for tool in valgrind /usr/bin/time tshark python3; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 2; }
done

if [ "$have_plugin" = no ]; then
  build=${DNSFAIL_BENCH_BUILD:-${TMPDIR:-/tmp}/dnsfail-bench-build}
  cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDNSFAIL_TESTS=OFF >/dev/null
  cmake --build "$build" --target dnsfail -j "$(nproc)" >/dev/null
  set -- --plugin "$build/dnsfail.so" "$@"
fi
exec python3 "$here/bench.py" "$@"
