#!/usr/bin/env bash
# The benchmark's resolver input (make_mixed_capture.py --profile resolver) is made, tshark
# reads it whole, and dnsfail links its two legs: the report's root causes name the closed
# upstream's ICMP reason and its REFUSED answers, and only the resolver's own queries are
# upstream failures. The realistic and everyday inputs hold no resolver, though their
# clients ask the same names of different servers: none of their failures is an upstream
# failure.
#
#   resolver_input.sh RUNNER PLUGIN.so WS_MINOR
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/dnsfail-bench-resolver.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

python3 "$here/make_mixed_capture.py" "$work/resolver-3000.pcap" 3000 1 --profile resolver
frames=$("$runner" "$plugin" "$ws_minor" tshark -r "$work/resolver-3000.pcap" -T fields -e frame.number | wc -l)
[ "$frames" -eq 3000 ] || { echo "tshark read $frames frames of 3000" >&2; exit 1; }

report=$("$runner" "$plugin" "$ws_minor" tshark -q -r "$work/resolver-3000.pcap" -z dnsfail,report)
printf '%s\n' "$report"
grep -Eq '^  Server 10\.0\.0\.53 answered SERVFAIL to [0-9]+ quer(y|ies) from [0-9]+ clients? because its upstream 10\.9\.0\.53 was unreachable \(udp port 53 unreachable, [0-9]+ upstream failures?\)$' <<<"$report" ||
  { echo "no root cause for the closed upstream" >&2; exit 1; }
grep -Eq '^  Server 10\.0\.0\.53 answered REFUSED to [0-9]+ quer(y|ies) from [0-9]+ clients? because its upstream 10\.9\.0\.53 answered Refused \([0-9]+ upstream failures?\)$' <<<"$report" ||
  { echo "no root cause for the refusing upstream" >&2; exit 1; }
clients=$("$runner" "$plugin" "$ws_minor" tshark -2 -r "$work/resolver-3000.pcap" -Y dnsfail.upstream -T fields -e dnsfail.client | sort -u)
[ "$clients" = 10.9.0.2 ] || { printf 'upstream failures of clients other than the resolver:\n%s\n' "$clients" >&2; exit 1; }

for profile in realistic everyday; do
  python3 "$here/make_mixed_capture.py" "$work/$profile-3000.pcap" 3000 1 --profile "$profile"
  upstream=$("$runner" "$plugin" "$ws_minor" tshark -2 -r "$work/$profile-3000.pcap" -Y 'dnsfail.upstream or dnsfail.cause_in' -T fields -e frame.number | wc -l)
  [ "$upstream" -eq 0 ] || { echo "$profile input: $upstream frames linked to a resolver that is not there" >&2; exit 1; }
  failed=$("$runner" "$plugin" "$ws_minor" tshark -2 -r "$work/$profile-3000.pcap" -Y dnsfail.failed -T fields -e frame.number | wc -l)
  [ "$failed" -gt 0 ] || { echo "$profile input: no failure at all, nothing was checked" >&2; exit 1; }
done
echo "resolver input: 3000 frames read, both root causes found, no resolver where there is none"
