#!/usr/bin/env bash
# The integration tests' frame-by-frame baselines (check_fields.py, single pass and -2) and
# display filters, with the plugin built with AddressSanitizer and UBSan and loaded into
# Debian's tshark (libasan preloaded, wmem's simple allocator): the same fields, and no
# sanitizer report (a report aborts tshark, which fails the check).
#
#   sanitized_baselines.sh SOURCE_DIR WS_MINOR RUNNER
set -euo pipefail
src=$1 ws_minor=$2 runner=$3
libasan=$(gcc -print-file-name=libasan.so)
[ -f "$libasan" ] || { echo "SKIP: no libasan for gcc"; exit 77; }
export ASAN_TEST_PRELOAD
ASAN_TEST_PRELOAD=$(readlink -f "$libasan")

work=$(mktemp -d /tmp/dnsfail-asan-baselines.XXXXXX)
trap 'rm -rf "$work"' EXIT
cmake -S "$src" -B "$work/build" -DDNSFAIL_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
  -DCMAKE_MODULE_LINKER_FLAGS="-fsanitize=address,undefined" >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; exit 1; }
cmake --build "$work/build" -j"$(nproc)" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
plugin="$work/build/dnsfail.so"

bad=0 n=0
for capture in "$src"/captures/*.pcapng; do
  for mode in single two-pass; do
    n=$((n + 1))
    /usr/bin/python3 "$src/tests/integration/check_fields.py" --runner "$runner" --plugin "$plugin" \
      --ws-minor "$ws_minor" --capture "$capture" --mode "$mode" || bad=$((bad + 1))
  done
done
/usr/bin/python3 "$src/tests/integration/check_filters.py" --runner "$runner" --plugin "$plugin" \
  --ws-minor "$ws_minor" --captures "$src/captures" | tail -1 || bad=$((bad + 1))
echo "$n baselines and the display filters with the sanitized plugin: $bad failed"
[ "$bad" -eq 0 ]
