#!/usr/bin/env bash
# Records the real captures again (network namespaces, so root), then checks that the
# plugin explains the new incident recording and marks exactly the ICMP errors quoting
# DNS in every new recording. Ids, ports and times differ from the bundled files; what
# an analyst is told must not.
#
#   record_and_check.sh SOURCE_DIR RUNNER PLUGIN.so WS_MINOR PYTHON [resolvers|sample]
#
# Without the last argument: every scenario but the real resolvers' (record.sh
# --list-resolvers); with `resolvers`: only those (dnsmasq, unbound and nsd must be
# installed: .ci/test-deps); with `sample`: the incident and one real resolver's scenario
# (unbound forwarding to an upstream whose port is closed), the ci tier's share.
set -euo pipefail
src=$1 runner=$2 plugin=$3 ws_minor=$4 python=$5 which=${6:-}
[ "$(id -u)" -eq 0 ] || { echo "SKIP: recording needs root (network namespaces)"; exit 77; }

require_resolvers() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || PATH=$PATH:/usr/sbin command -v "$t" >/dev/null \
      || { echo "SKIP: $t is not installed (.ci/test-deps)"; exit 77; }
  done
}
mapfile -t resolvers < <("$src/captures/record.sh" --list-resolvers)
case "$which" in
  resolvers) require_resolvers dnsmasq unbound nsd; scenarios=("${resolvers[@]}") ;;
  sample) require_resolvers unbound; scenarios=(incident-port-unreachable unbound-upstream-unreachable) ;;
  "") mapfile -t scenarios < <("$src/captures/record.sh" --list | grep -v -x -F "${resolvers[@]/#/-e}") ;;
  *) echo "usage: $0 SOURCE_DIR RUNNER PLUGIN.so WS_MINOR PYTHON [resolvers|sample]" >&2; exit 2 ;;
esac

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
