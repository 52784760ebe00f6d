#!/usr/bin/env bash
# dnsfail analyses a frame at the end of the wrapper that noted it, in the FINALLY of a TRY
# around the original dissector (docs/design.md). On a frame whose dissection throws (a
# malformed DNS answer, a capture cut short), the analysis must still run, and the
# exception must still reach Wireshark, which marks the frame as it would without
# dnsfail: the same frames, in the name of the same protocol ("[Malformed Packet: DNS]",
# "[Packet size limited during capture: DNS truncated]", never DNSFAIL).
#
#   malformed_frames_analysed.sh RUNNER PLUGIN.so WS_MINOR ERROR_ANSWERS ICMP_ERRORS [SEEDS]
#
# Inputs made here: ICMP_ERRORS cut at fixed lengths (editcap -s: the quotes end in the
# middle of their DNS message), and ERROR_ANSWERS mutated (editcap -E, fixed seeds). For
# each, the frames Wireshark marks (_ws.malformed, _ws.short) and their labels are the
# same with dnsfail as without it; over all of them, dnsfail annotates some marked frames.
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3 answers=$4 errors=$5 seeds=${6:-6}
work=$(mktemp -d /tmp/dnsfail-malformed.XXXXXX)
trap 'rm -rf "$work"' EXIT

marked() { # PLUGIN FILE: each marked frame's number and Wireshark's labels
  "$runner" "$1" "$ws_minor" tshark -n -r "$2" -Y "_ws.malformed || _ws.short" \
    -T fields -e frame.number -e _ws.malformed -e _ws.short
}
count() { # PLUGIN FILE FILTER: frames that match
  "$runner" "$1" "$ws_minor" tshark -n -r "$2" -Y "$3" | wc -l
}

inputs=()
for snaplen in 70 84 90 96; do
  editcap -s "$snaplen" "$errors" "$work/cut-$snaplen.pcapng" 2>/dev/null
  inputs+=("$work/cut-$snaplen.pcapng")
done
for seed in $(seq 1 "$seeds"); do
  editcap -E 0.05 --seed "$seed" "$answers" "$work/mutated-$seed.pcapng" 2>/dev/null
  inputs+=("$work/mutated-$seed.pcapng")
done

analysed=0 bad=0
for m in "${inputs[@]}"; do
  marked none "$m" > "$work/plain"
  marked "$plugin" "$m" > "$work/with"
  both=$(count "$plugin" "$m" "dnsfail && (_ws.malformed || _ws.short)")
  echo "$(basename "$m"): $(wc -l < "$work/plain") frames marked without dnsfail, $(wc -l < "$work/with") with it; $both of them annotated by dnsfail"
  if ! cmp -s "$work/plain" "$work/with"; then
    echo "FAIL: dnsfail changed which frames Wireshark marks, or in whose name:"
    diff "$work/plain" "$work/with" | head -6 || true
    bad=$((bad + 1))
  fi
  analysed=$((analysed + both))
done
if [ "$analysed" -eq 0 ]; then
  echo "FAIL: no marked frame was annotated: the analysis does not run when the dissection throws"
  bad=$((bad + 1))
fi
echo "$analysed marked frames annotated, $bad failures"
[ "$bad" -eq 0 ]
