#!/usr/bin/env bash
# Writes everything dnsfail shows, for every capture, so that two builds can be compared
# byte for byte: a refactor of the glue must not change one character of the output.
#
#   output_snapshot.sh PLUGIN.so OUTDIR [CAPTURE...]
#
# Without CAPTUREs, every captures/*.pcapng of this repository. For each capture X,
# OUTDIR/X/ gets one file per output, each from tshark run with PLUGIN.so through
# tshark_as_user.sh (TZ=UTC, no personal preferences):
#   summary          -r                          (summary lines)
#   verbose          -V
#   verbose-2        -2 -V
#   fields           -T fields, -e every field -G fields lists as dnsfail.*, expert
#                    fields included (-E occurrence=a -E aggregator=,)
#   fields-2         the same with -2
#   tree, report, report-json, expert       -q -z dnsfail,tree / dnsfail,report /
#                    dnsfail,report,json / expert
#   tree-2, report-json-2                   the same two with -2
# stderr goes beside each file (NAME.err), so warnings count as output too.
#
# Typical use while refactoring (the baseline built once from main's HEAD):
#   tests/helpers/output_snapshot.sh /work/base/build/dnsfail.so /tmp/snap-base
#   tests/helpers/output_snapshot.sh build/dnsfail.so /tmp/snap-new
#   diff -r /tmp/snap-base /tmp/snap-new && echo identical
#
# JOBS (default 2) captures are written at once.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
fi
plugin=$(realpath "$1") outdir=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
run="$here/tshark_as_user.sh"
ws_minor=${WS_MINOR:-4.0}
jobs=${JOBS:-2}

if [ $# -gt 0 ]; then
  captures=("$@")
else
  captures=("$repo"/captures/*.pcapng)
fi
[ -f "$plugin" ] || { echo "output_snapshot.sh: no plugin at $plugin" >&2; exit 2; }
mkdir -p "$outdir"

# The field list comes from the plugin itself, so a field added later is compared too.
fields=()
while IFS= read -r f; do
  fields+=(-e "$f")
done < <("$run" "$plugin" "$ws_minor" tshark -G fields | awk -F'\t' '$1 == "F" && $3 ~ /^dnsfail\./ {print $3}')
[ ${#fields[@]} -gt 0 ] || { echo "output_snapshot.sh: the plugin registers no dnsfail.* field" >&2; exit 1; }
fields=(-e frame.number -e dnsfail "${fields[@]}")
field_opts=(-T fields -E occurrence=a -E aggregator=, "${fields[@]}")

snapshot_one() {
  local capture=$1 dir
  dir="$outdir/$(basename "$capture" .pcapng)"
  mkdir -p "$dir"
  out() { # NAME TSHARK-ARGS...
    local name=$1
    shift
    "$run" "$plugin" "$ws_minor" tshark -r "$capture" "$@" >"$dir/$name" 2>"$dir/$name.err" ||
      echo "exit status $?" >>"$dir/$name.err"
  }
  out summary
  out verbose -V
  out verbose-2 -2 -V
  out fields "${field_opts[@]}"
  out fields-2 -2 "${field_opts[@]}"
  out tree -q -z dnsfail,tree
  out report -q -z dnsfail,report
  out report-json -q -z dnsfail,report,json
  out expert -q -z expert
  out tree-2 -2 -q -z dnsfail,tree
  out report-json-2 -2 -q -z dnsfail,report,json
}

running=0
for capture in "${captures[@]}"; do
  snapshot_one "$capture" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait
echo "output_snapshot.sh: ${#captures[@]} captures x 11 outputs in $outdir"
