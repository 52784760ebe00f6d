#!/usr/bin/env bash
# The integration tests' frame-by-frame baselines (check_fields.py, single pass and -2) and
# display filters, with the plugin built with AddressSanitizer and UBSan and loaded into
# Debian's tshark (libasan preloaded, wmem's simple allocator): the same fields, and no
# sanitizer report (a report aborts tshark, which fails the check).
#
#   sanitized_baselines.sh SOURCE_DIR WS_MINOR RUNNER [SAMPLE_LIST]
#
# With SAMPLE_LIST (tests/ci_sample_captures.txt, the ci tier's), only the baselines of the
# captures it names; the display filters, which span every capture, are left to the run
# without it.
set -euo pipefail
src=$1 ws_minor=$2 runner=$3 sample=${4:-}
. "$(dirname "$0")/sanitized_plugin.sh"
sanitized_require_libasan
export ASAN_TEST_PRELOAD=$libasan

work=$(mktemp -d /tmp/dnsfail-asan-baselines.XXXXXX)
trap 'rm -rf "$work"' EXIT
sanitized_build "$src" "$work"
plugin="$sanitized_so"

captures=("$src"/captures/*.pcapng)
if [ -n "$sample" ]; then
  captures=()
  for c in $(sed -e 's/#.*//' "$sample"); do
    [ -f "$src/captures/$c.pcapng" ] || { echo "FAIL: $sample names $c, not a capture"; exit 1; }
    captures+=("$src/captures/$c.pcapng")
  done
fi
bad=0 n=0
for capture in "${captures[@]}"; do
  for mode in single two-pass; do
    n=$((n + 1))
    /usr/bin/python3 "$src/tests/integration/fields/check_fields.py" --runner "$runner" --plugin "$plugin" \
      --ws-minor "$ws_minor" --capture "$capture" --mode "$mode" || bad=$((bad + 1))
  done
done
if [ -n "$sample" ]; then
  echo "$n baselines of ${#captures[@]} captures ($(basename "$sample")) with the sanitized plugin: $bad failed"
  [ "$bad" -eq 0 ]
  exit
fi
/usr/bin/python3 "$src/tests/integration/fields/check_filters.py" --runner "$runner" --plugin "$plugin" \
  --ws-minor "$ws_minor" --captures "$src/captures" | tail -1 || bad=$((bad + 1))
echo "$n baselines and the display filters with the sanitized plugin: $bad failed"
[ "$bad" -eq 0 ]
