#!/usr/bin/env bash
# The plugin built with AddressSanitizer and UndefinedBehaviorSanitizer, loaded into
# Debian's tshark (libasan preloaded), on random packets from Wireshark's randpkt (ICMP,
# DNS and UDP) and on many editcap -E mutations of crafted.pcapng (the hand-made malformed
# cases: pointer loops, long names, bad IHL, looping IPv6 chains, ...), in two passes with
# full detail and every -z view: no crash, no sanitizer report, no dissector bug.
#
#   sanitized_randpkt.sh SOURCE_DIR WS_MINOR RUNNER [FILES_PER_TYPE] [PACKETS] [CRAFTED_SEEDS]
#
# randpkt has no seed option: its files differ on every run. When one fails it is kept, and
# its path printed, under /tmp/dnsfail-randpkt-failures.*; reproduce with
#   ASAN_TEST_PRELOAD=$(gcc -print-file-name=libasan.so) tests/helpers/tshark_as_user.sh \
#     ASAN_BUILD/dnsfail.so WS_MINOR tshark -n -2 -V -r FILE -z dnsfail,tree -z dnsfail,report
set -euo pipefail
src=$1 ws_minor=$2 runner=$3 per_type=${4:-3} packets=${5:-1000} crafted_seeds=${6:-24}
command -v randpkt >/dev/null || { echo "SKIP: randpkt is not installed"; exit 77; }
. "$(dirname "$0")/sanitized_plugin.sh"
sanitized_require_libasan

work=$(mktemp -d /tmp/dnsfail-randpkt.XXXXXX)
trap 'rm -rf "$work"' EXIT
sanitized_build "$src" "$work"

mkdir -p "$work/in"
for type in icmp dns udp; do
  for i in $(seq 1 "$per_type"); do
    randpkt -b 1500 -c "$packets" -t "$type" "$work/in/randpkt-$type-$i.pcap" >/dev/null
  done
done
# editcap's own mutations of the crafted malformed cases, at three error rates (deterministic).
crafted="$src/captures/crafted.pcapng"
for seed in $(seq 1 "$crafted_seeds"); do
  rates=(0.01 0.05 0.2)
  editcap -E "${rates[$((seed % 3))]}" --seed "$seed" "$crafted" "$work/in/crafted-E$seed.pcapng" 2>/dev/null
done

keep=""
n=0 bad=0 frames=0
for f in "$work"/in/*; do
  n=$((n + 1))
  frames=$((frames + $(capinfos -c -M -T -r "$f" 2>/dev/null | awk -F'\t' '{print $2}')))
  problem=""
  if ! ASAN_TEST_PRELOAD="$libasan" "$runner" "$sanitized_so" "$ws_minor" tshark -n -2 -V -r "$f" \
       -z dnsfail,tree -z dnsfail,report -z dnsfail,report,json >/dev/null 2>"$work/err"; then
    problem="tshark exited non-zero"
  elif grep -q "ERROR: AddressSanitizer\|runtime error:\|Dissector bug" "$work/err"; then
    problem="sanitizer report or dissector bug"
  fi
  if [ -n "$problem" ]; then
    bad=$((bad + 1))
    [ -n "$keep" ] || keep=$(mktemp -d /tmp/dnsfail-randpkt-failures.XXXXXX)
    cp "$f" "$keep/"
    echo "FAIL: $problem on $(basename "$f"), kept as $keep/$(basename "$f")"
    grep -A14 "ERROR: AddressSanitizer\|runtime error:\|Dissector bug" "$work/err" | head -30 || tail -20 "$work/err"
  fi
done
echo "$n files ($frames frames: randpkt icmp/dns/udp x $per_type x $packets, editcap -E of crafted x $crafted_seeds)" \
     "through the sanitized plugin, $bad with a problem"
[ "$bad" -eq 0 ]
