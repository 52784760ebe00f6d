#!/usr/bin/env bash
# Live capture: dumpcap (root) captures a client's interface in a network namespace and
# pipes it to tshark with the plugin (run as an ordinary user, reading the pipe live),
# while dig asks a server with nothing on udp/53 three times. tshark must print the three
# failures as they happen, numbered as attempts 1, 2, 3.
#
#   live_capture.sh RUNNER PLUGIN.so WS_MINOR
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (network namespaces, capture)"; exit 77; }
for t in ip dumpcap dig; do command -v "$t" >/dev/null || { echo "SKIP: $t missing"; exit 77; }; done

cli=dnsfail-live-cli srv=dnsfail-live-srv
del_namespaces() {
  ip netns del "$cli" 2>/dev/null || true
  ip netns del "$srv" 2>/dev/null || true
}
del_namespaces # left over from an interrupted run
out=$(mktemp -d /tmp/dnsfail-live.XXXXXX)
trap 'del_namespaces; rm -rf "$out"' EXIT

ip netns add "$cli"
ip netns add "$srv"
ip link add eth0 netns "$cli" type veth peer name eth0 netns "$srv"
ip -n "$cli" addr add 192.51.100.15/24 dev eth0
ip -n "$srv" addr add 203.0.113.2/24 dev eth0
for ns in "$cli" "$srv"; do ip -n "$ns" link set lo up; ip -n "$ns" link set eth0 up; done
ip -n "$cli" route add 203.0.113.0/24 dev eth0
ip -n "$srv" route add 192.51.100.0/24 dev eth0
ip netns exec "$srv" sysctl -qw net.ipv4.icmp_ratelimit=0

# -l: flush each line; -i -: read the pipe as a live capture.
ip netns exec "$cli" dumpcap -q -i eth0 -f "udp or icmp" -a duration:8 -w - 2>/dev/null |
  "$runner" "$plugin" "$ws_minor" tshark -l -n -i - -Y dnsfail -T fields \
    -e frame.number -e dnsfail.qry.name -e dnsfail.server -e dnsfail.reason -e dnsfail.attempt \
    -e dnsfail.request_in >"$out/live.tsv" 2>"$out/tshark.err" &
pipeline=$!
sleep 2
ip netns exec "$cli" dig @203.0.113.2 www.yummyrecipesforme.com A +tries=3 +timeout=1 >/dev/null 2>&1 || true
wait "$pipeline" || true

cat "$out/live.tsv"
rows=$(wc -l <"$out/live.tsv")
[ "$rows" -eq 3 ] || { echo "FAIL: $rows annotated frames live, want 3"; cat "$out/tshark.err"; exit 1; }
attempts=$(cut -f5 "$out/live.tsv" | tr '\n' ' ')
[ "$attempts" = "1 2 3 " ] || { echo "FAIL: attempts '$attempts', want '1 2 3'"; exit 1; }
if cut -f2-4 "$out/live.tsv" | grep -v -q -x $'www.yummyrecipesforme.com\t203.0.113.2\tudp port 53 unreachable'; then
  echo "FAIL: a live row names the wrong query, server or reason"; exit 1
fi
cut -f6 "$out/live.tsv" | grep -q -x '' && { echo "FAIL: a live error is not linked to its query"; exit 1; }
echo "live capture: 3 failures annotated as they happened, attempts 1-3, each linked to its query"
