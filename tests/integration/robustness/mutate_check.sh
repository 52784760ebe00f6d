#!/usr/bin/env bash
# Mutated captures (editcap -E, fixed seeds) go through tshark with the plugin, in two
# passes with full detail: tshark must exit 0 and report no dissector bug. A capture is
# attacker-controlled data; the plugin must never crash or trip Wireshark's assertions.
#
#   mutate_check.sh RUNNER PLUGIN.so WS_MINOR CAPTURES_DIR [SEEDS]
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3 captures=$4 seeds=${5:-8}
work=$(mktemp -d /tmp/dnsfail-mutate.XXXXXX)
trap 'rm -rf "$work"' EXIT

n=0 bad=0
for f in "$captures"/*.pcapng; do
  for seed in $(seq 1 "$seeds"); do
    m="$work/$(basename "$f" .pcapng)-$seed.pcapng"
    editcap -E 0.05 --seed "$seed" "$f" "$m" 2>/dev/null
    n=$((n + 1))
    if ! "$runner" "$plugin" "$ws_minor" tshark -n -r "$m" -2 -V >"$work/out" 2>&1; then
      echo "FAIL: tshark exited non-zero on $(basename "$m")"; tail -5 "$work/out"; bad=$((bad + 1))
    elif grep -q "Dissector bug" "$work/out"; then
      echo "FAIL: dissector bug on $(basename "$m")"; grep -m3 "Dissector bug" "$work/out"; bad=$((bad + 1))
    fi
  done
done
echo "$n mutated captures, $bad failures"
[ "$bad" -eq 0 ]
