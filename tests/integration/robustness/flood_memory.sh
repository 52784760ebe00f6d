#!/usr/bin/env bash
# A flood of distinct queries nothing answers: dnsfail's memory stays under its documented
# bound (docs/design.md, "Bounded memory": 510 bytes per remembered query, at most
# max_tracked_queries of them, plus 48 bytes per query that timed out), and it says once,
# in the expert item dnsfail.tracking_limit, where it began to forget queries.
#
#   flood_memory.sh SOURCE_DIR RUNNER PLUGIN WS_MINOR [FRAMES] [MAX_TRACKED]
set -euo pipefail
src=$1 runner=$2 plugin=$3 ws_minor=$4 frames=${5:-300000} max_tracked=${6:-65536}
work=$(mktemp -d /tmp/dnsfail-flood.XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$src/bench/make_mixed_capture.py" "$work/flood.pcap" "$frames" 7 --profile flood

max_rss_kb() { # PLUGIN [ARGS]: peak resident memory of tshark dissecting the flood in one pass
  local p=$1; shift
  "$runner" "$p" "$ws_minor" /usr/bin/time -f "%M" tshark -n -r "$work/flood.pcap" -Y "frame.number == 0" "$@" \
    2>&1 >/dev/null | tail -1
}
without=$(max_rss_kb none)
with=$(max_rss_kb "$plugin" -o "dnsfail.max_tracked_queries:$max_tracked")
bound_kb=$(( (max_tracked * 510 + frames * 48) / 1024 ))  # every frame counted as a timeout
delta_kb=$(( with - without ))
echo "flood of $frames frames, max_tracked_queries $max_tracked: peak RSS $without KB without dnsfail," \
     "$with KB with it: +$delta_kb KB (bound $bound_kb KB)"
[ "$delta_kb" -le "$bound_kb" ] || { echo "FAIL: dnsfail used more memory than its bound"; exit 1; }

limit_frames=$("$runner" "$plugin" "$ws_minor" tshark -n -r "$work/flood.pcap" \
  -o "dnsfail.max_tracked_queries:$max_tracked" -Y dnsfail.tracking_limit -T fields -e frame.number)
count=$(printf '%s\n' "$limit_frames" | grep -c . || true)
echo "dnsfail.tracking_limit on frame(s): $limit_frames"
[ "$count" -eq 1 ] || { echo "FAIL: want the tracking-limit expert item exactly once, got $count"; exit 1; }
