#!/usr/bin/env bash
# The plugin built with AddressSanitizer and UndefinedBehaviorSanitizer, loaded into
# Debian's tshark (libasan preloaded), on every bundled capture and editcap mutations of
# them, in two passes with full detail and both totals: no sanitizer report, no crash.
#
#   sanitized_mutations.sh SOURCE_DIR WS_MINOR RUNNER [SEEDS]
set -euo pipefail
src=$1 ws_minor=$2 runner=$3 seeds=${4:-6}
. "$(dirname "$0")/sanitized_plugin.sh"
sanitized_require_libasan

work=$(mktemp -d /tmp/dnsfail-asan.XXXXXX)
trap 'rm -rf "$work"' EXIT
sanitized_build "$src" "$work"

mkdir -p "$work/in" "$work/reports"
chmod 777 "$work/reports"
for f in "$src"/captures/*.pcapng; do
  cp "$f" "$work/in/"
  for seed in $(seq 1 "$seeds"); do
    editcap -E 0.05 --seed "$seed" "$f" "$work/in/$(basename "$f" .pcapng)-m$seed.pcapng" 2>/dev/null
  done
done

n=0 bad=0
for f in "$work"/in/*.pcapng; do
  n=$((n + 1))
  if ! ASAN_TEST_PRELOAD="$libasan" "$runner" "$sanitized_so" "$ws_minor" tshark -n -q -2 -V \
       -r "$f" -z dnsfail,tree -z dnsfail,report,json >"$work/out" 2>"$work/err"; then
    echo "FAIL: tshark exited non-zero on $(basename "$f")"; tail -20 "$work/err"; bad=$((bad + 1))
  elif grep -q "ERROR: AddressSanitizer\|runtime error:" "$work/err"; then
    echo "FAIL: sanitizer report on $(basename "$f")"; grep -A12 "ERROR: AddressSanitizer\|runtime error:" "$work/err" | head -30
    bad=$((bad + 1))
  fi
done
echo "$n captures through the sanitized plugin, $bad with a problem"
[ "$bad" -eq 0 ]
