#!/usr/bin/env bash
# Records the real captures again (network namespaces, so root), then checks that the
# plugin explains the new incident recording and marks exactly the ICMP errors quoting
# DNS in every new recording. Ids, ports and times differ from the bundled files; what
# an analyst is told must not.
#
#   record_and_check.sh SOURCE_DIR RUNNER PLUGIN.so WS_MINOR PYTHON [resolvers]
#
# Without the last argument: every scenario but the real resolvers' (record.sh
# --list-resolvers); with `resolvers`: only those (dnsmasq, unbound and nsd must be
# installed: .ci/test-deps).
set -euo pipefail
src=$1 runner=$2 plugin=$3 ws_minor=$4 python=$5 which=${6:-}
[ "$(id -u)" -eq 0 ] || { echo "SKIP: recording needs root (network namespaces)"; exit 77; }

mapfile -t resolvers < <("$src/captures/record.sh" --list-resolvers)
if [ "$which" = resolvers ]; then
  for t in dnsmasq unbound nsd; do
    command -v "$t" >/dev/null || PATH=$PATH:/usr/sbin command -v "$t" >/dev/null \
      || { echo "SKIP: $t is not installed (.ci/test-deps)"; exit 77; }
  done
  scenarios=("${resolvers[@]}")
else
  mapfile -t scenarios < <("$src/captures/record.sh" --list | grep -v -x -F "${resolvers[@]/#/-e}")
fi

out=$(mktemp -d /tmp/dnsfail-record.XXXXXX)
trap 'rm -rf "$out"' EXIT
"$src/captures/record.sh" "$out" "${scenarios[@]}" >"$out/record.log" 2>&1 || { cat "$out/record.log"; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
common=(--runner "$runner" --plugin "$plugin" --ws-minor "$ws_minor")
if [ "$which" != resolvers ]; then
  "$python" "$here/../fields/check_incident.py" "${common[@]}" --capture "$out/incident-port-unreachable.pcapng"
fi
for f in "$out"/*.pcapng; do
  "$python" "$here/../fields/check_exact_set.py" "${common[@]}" --capture "$f" | sed "s|^|$(basename "$f"): |"
done
