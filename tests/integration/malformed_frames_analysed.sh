#!/usr/bin/env bash
# dnsfail analyses a frame at the end of the wrapper that noted it, in the FINALLY of a TRY
# around the original dissector (docs/design.md). On a frame whose dissection throws (a
# malformed DNS answer), the analysis must still run, and the exception must still reach
# Wireshark, which marks the frame malformed as it would without dnsfail.
#
#   malformed_frames_analysed.sh RUNNER PLUGIN.so WS_MINOR CAPTURE [SEEDS]
#
# Mutations of CAPTURE (editcap -E, fixed seeds) hold such frames. For each mutation,
# tshark marks as many frames malformed (_ws.malformed) with dnsfail as without it; over
# all of them, dnsfail annotates at least one frame that Wireshark marks malformed.
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3 capture=$4 seeds=${5:-6}
work=$(mktemp -d /tmp/dnsfail-malformed.XXXXXX)
trap 'rm -rf "$work"' EXIT

count() { # PLUGIN FILE FILTER: frames that match
  "$runner" "$1" "$ws_minor" tshark -n -r "$2" -Y "$3" 2>/dev/null | wc -l
}

analysed=0 bad=0
for seed in $(seq 1 "$seeds"); do
  m="$work/mutated-$seed.pcapng"
  editcap -E 0.05 --seed "$seed" "$capture" "$m" 2>/dev/null
  plain=$(count none "$m" _ws.malformed)
  with=$(count "$plugin" "$m" _ws.malformed)
  both=$(count "$plugin" "$m" "dnsfail && _ws.malformed")
  echo "seed $seed: malformed frames $plain without dnsfail, $with with it; $both of them annotated by dnsfail"
  if [ "$plain" -ne "$with" ]; then
    echo "FAIL: dnsfail changed which frames Wireshark marks malformed"; bad=$((bad + 1))
  fi
  analysed=$((analysed + both))
done
if [ "$analysed" -eq 0 ]; then
  echo "FAIL: no malformed frame was annotated: the analysis does not run when the dissection throws"
  bad=$((bad + 1))
fi
echo "$analysed malformed frames annotated, $bad failures"
[ "$bad" -eq 0 ]
