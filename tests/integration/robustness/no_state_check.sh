#!/usr/bin/env bash
# dnsfail keeps no state across capture files. two_files (tests/integration/robustness/two_files.c)
# opens capture files one after another in one process, with an epan session each, as
# Wireshark's GUI does; what dnsfail shows for a file must not depend on the files opened
# before it. Each file's items are compared with those of a fresh process on that file
# alone, with every capture in order, in reverse order, each file twice in a row, and the
# incident followed by its ICMP errors alone (if the queries of the first file were still
# remembered, the errors of the second would be matched to them).
#
#   no_state_check.sh RUNNER PLUGIN.so WS_MINOR TWO_FILES CAPTURES_DIR
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3 program=$4 captures=$5
work=$(mktemp -d /tmp/dnsfail-state.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
cp "$program" "$work/two_files"   # where the unprivileged user the runner uses can run it

files=("$captures"/*.pcapng)
editcap -r "$captures/incident-port-unreachable.pcapng" "$work/incident-errors-only.pcapng" 6 8 10
files+=("$work/incident-errors-only.pcapng")

run() { # OUT FILE...: dnsfail's items for each file, in one process
  local out=$1; shift
  "$runner" "$plugin" "$ws_minor" "$work/two_files" "$@" >"$out.raw" 2>"$work/err" \
    || { echo "FAIL: two_files exited non-zero on $*"; grep -v "couldn't get frame ts" "$work/err" | tail -20; exit 1; }
  local i=0 f
  for f in "$@"; do  # one file per argument: its lines without the place column
    i=$((i + 1))
    awk -F'\t' -v k="$i" '$1 == k' "$out.raw" | cut -f2- >"$out.$i"
  done
}

mkdir "$work/fresh"
for f in "${files[@]}"; do
  run "$work/fresh/$(basename "$f")" "$f"
  mv "$work/fresh/$(basename "$f").1" "$work/fresh/$(basename "$f")"
done
items=$(cat "$work"/fresh/*.pcapng | wc -l)
[ "$items" -gt 0 ] || { echo "FAIL: the plugin showed nothing (not loaded?)"; exit 1; }
grep -q $'^incident-errors-only.pcapng\t1\tdnsfail.qry.name\t' "$work/fresh/incident-errors-only.pcapng" \
  || { echo "FAIL: the errors-only incident has no dnsfail items"; exit 1; }

bad=0
compare() { # LABEL OUT FILE...: each file's lines in the one process against its fresh run
  local label=$1 out=$2 i=0 f name
  shift 2
  for f in "$@"; do
    i=$((i + 1))
    name=$(basename "$f")
    if ! diff -q "$work/fresh/$name" "$out.$i" >/dev/null; then
      echo "FAIL ($label): $name (file $i) shows other items after the files before it:"
      diff "$work/fresh/$name" "$out.$i" | head -12 || true
      bad=$((bad + 1))
    fi
  done
}
run "$work/forward" "${files[@]}"
compare "every capture in order" "$work/forward" "${files[@]}"
reversed=()
for ((i = ${#files[@]} - 1; i >= 0; i--)); do reversed+=("${files[$i]}"); done
run "$work/backward" "${reversed[@]}"
compare "every capture in reverse order" "$work/backward" "${reversed[@]}"
twice=()
for f in "${files[@]}"; do twice+=("$f" "$f"); done
run "$work/twice" "${twice[@]}"
compare "each capture twice" "$work/twice" "${twice[@]}"
pair=("$captures/incident-port-unreachable.pcapng" "$work/incident-errors-only.pcapng")
run "$work/pair" "${pair[@]}"
compare "the incident, then its errors alone" "$work/pair" "${pair[@]}"

echo "${#files[@]} captures, $items dnsfail items in fresh processes;" \
     "$((${#files[@]} * 4 - 2)) file openings after other files, $bad that differed"
[ "$bad" -eq 0 ]
