#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz with clang (AddressSanitizer, UBSan, no
# recovery) in a build directory of their own, and fuzzes each for a bounded time over a
# copy of its seed corpus (the source tree is never written).
#
#   tests/fuzz/run_fuzzers.sh                         # every harness, 45 s each
#   tests/fuzz/run_fuzzers.sh --time 3600 quote       # a long run of one harness
#   tests/fuzz/run_fuzzers.sh --jobs 4 --time 600     # 4 fuzzing processes per harness
#   tests/fuzz/run_fuzzers.sh --merge-into tests/fuzz/corpus/quote --time 600 quote
#                                                     # keep what a run found (minimised)
#
# Fails on any crash, leak, timeout, out-of-memory or sanitizer report; the input that
# caused it is kept in <build-dir>/artifacts/<harness>/ and the command that reproduces
# it is printed. Exits 77 (skipped) when clang or libFuzzer is missing, except in CI
# (CI=true), where that is a failure.
#
# Environment: DNSFAIL_FUZZ_CC (default clang), TMPDIR.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
all_harnesses=(quote dns_message incident tracker answer_log)
seconds=45
jobs=1
build_dir="${TMPDIR:-/tmp}/dnsfail-fuzz-$(id -u)"
merge_into=""
harnesses=()

usage() {
  echo "usage: $0 [--time SECONDS] [--jobs N] [--build-dir DIR] [--merge-into DIR] [harness...]" >&2
  echo "harnesses: ${all_harnesses[*]}" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --time) seconds="${2:?}"; shift 2 ;;
    --jobs) jobs="${2:?}"; shift 2 ;;
    --build-dir) build_dir="${2:?}"; shift 2 ;;
    --merge-into) merge_into="${2:?}"; shift 2 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) harnesses+=("$1"); shift ;;
  esac
done
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all_harnesses[@]}")
for h in "${harnesses[@]}"; do
  [ -f "$here/fuzz_$h.c" ] || { echo "run_fuzzers: no harness '$h' (have: ${all_harnesses[*]})" >&2; exit 2; }
done
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "run_fuzzers: --time wants seconds" >&2; exit 2; }
[[ "$jobs" =~ ^[0-9]+$ ]] && [ "$jobs" -gt 0 ] || { echo "run_fuzzers: --jobs wants a number" >&2; exit 2; }

# Missing tools: a skip on a developer's machine, a failure in CI.
missing() {
  echo "run_fuzzers: $1" >&2
  if [ "${CI:-}" = "true" ]; then
    echo "run_fuzzers: CI=true, so this is a failure: .ci/test-deps installs clang and libclang-rt-14-dev" >&2
    exit 1
  fi
  echo "run_fuzzers: skipped (install clang and libclang-rt-14-dev to fuzz)" >&2
  exit 77
}

cc="${DNSFAIL_FUZZ_CC:-clang}"
command -v "$cc" >/dev/null 2>&1 || missing "no $cc in PATH: the fuzzers need clang with libFuzzer"
command -v cmake >/dev/null 2>&1 || missing "no cmake in PATH"
mkdir -p "$build_dir"
probe="$build_dir/probe"
if ! printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' |
     "$cc" -x c -fsanitize=fuzzer,address,undefined -o "$probe" - 2>"$probe.log"; then
  cat "$probe.log" >&2
  missing "$cc cannot link -fsanitize=fuzzer,address,undefined (libFuzzer: Debian's libclang-rt-14-dev)"
fi

# One configure and build at a time: ctest may start every fuzz.run.* test at once.
build() {
  CC="$cc" cmake -S "$here" -B "$build_dir/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build_dir/configure.log" 2>&1 ||
    { cat "$build_dir/configure.log" >&2; return 1; }
  cmake --build "$build_dir/build" --target "${harnesses[@]/#/fuzz_}" >"$build_dir/build-$$.log" 2>&1 ||
    { cat "$build_dir/build-$$.log" >&2; return 1; }
}
exec 9>"$build_dir/.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
build || { echo "run_fuzzers: the clang build failed" >&2; exit 1; }
flock -u 9 2>/dev/null || true

status=0
for h in "${harnesses[@]}"; do
  exe="$build_dir/build/fuzz_$h"
  work=$(mktemp -d "${TMPDIR:-/tmp}/dnsfail-fuzz-$h.XXXXXX")
  artifacts="$build_dir/artifacts/$h"
  mkdir -p "$work/corpus" "$artifacts"
  cp -r "$here/corpus/$h/." "$work/corpus/" 2>/dev/null || true
  seeds=$(find "$work/corpus" -type f | wc -l)
  echo "run_fuzzers: $h: ${seconds}s, $seeds seed inputs, $jobs job(s)"
  log="$work/fuzz.log"
  args=(-max_total_time="$seconds" -rss_limit_mb=512 -timeout=25 -print_final_stats=1
        -artifact_prefix="$artifacts/" "$work/corpus")
  if [ "$jobs" -gt 1 ]; then
    args=(-jobs="$jobs" -workers="$jobs" "${args[@]}")
  fi
  set +e
  (cd "$work" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
     "$exe" "${args[@]}") >"$log" 2>&1
  rc=$?
  set -e
  # libFuzzer -jobs writes one log per job (fuzz-N.log) in the working directory.
  cat "$work"/fuzz-*.log >>"$log" 2>/dev/null || true
  execs=$(grep -h 'stat::number_of_executed_units' "$log" | awk '{s += $2} END {print s + 0}')
  done_line=$(grep -h -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$done_line")
  corp=$(find "$work/corpus" -type f | wc -l)
  echo "run_fuzzers: $h: $execs executions (limit ${seconds}s), cov: ${cov:-?}, ft: ${ft:-?}, corpus: $seeds -> $corp inputs"
  if [ $rc -ne 0 ] || grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$log"; then
    echo "run_fuzzers: $h: FAILED (exit $rc); the end of its log:" >&2
    tail -60 "$log" >&2
    crash=$(ls -t "$artifacts" 2>/dev/null | head -1 || true)
    if [ -n "$crash" ]; then
      echo "run_fuzzers: $h: the input is $artifacts/$crash; reproduce with:" >&2
      echo "  $exe $artifacts/$crash" >&2
    fi
    echo "run_fuzzers: $h: full log kept in $log" >&2
    status=1
    continue
  fi
  if [ -n "$merge_into" ]; then
    mkdir -p "$merge_into"
    "$exe" -merge=1 -rss_limit_mb=512 "$merge_into" "$work/corpus" >"$work/merge.log" 2>&1 ||
      { tail -20 "$work/merge.log" >&2; status=1; }
    echo "run_fuzzers: $h: merged into $merge_into ($(find "$merge_into" -type f | wc -l) inputs)"
  fi
  rm -rf "$work"
done
exit $status
