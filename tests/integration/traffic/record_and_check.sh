#!/usr/bin/env bash
# Records the real captures again (network namespaces, so root), then checks that the
# plugin explains the new incident recording and marks exactly the ICMP errors quoting
# DNS in every new recording. Ids, ports and times differ from the bundled files; what
# an analyst is told must not.
#
#   record_and_check.sh SOURCE_DIR RUNNER PLUGIN.so WS_MINOR PYTHON
set -euo pipefail
src=$1 runner=$2 plugin=$3 ws_minor=$4 python=$5
[ "$(id -u)" -eq 0 ] || { echo "SKIP: recording needs root (network namespaces)"; exit 77; }

out=$(mktemp -d /tmp/dnsfail-record.XXXXXX)
trap 'rm -rf "$out"' EXIT
"$src/captures/record.sh" "$out" >"$out/record.log" 2>&1 || { cat "$out/record.log"; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
common=(--runner "$runner" --plugin "$plugin" --ws-minor "$ws_minor")
"$python" "$here/../fields/check_incident.py" "${common[@]}" --capture "$out/incident-port-unreachable.pcapng"
for f in "$out"/*.pcapng; do
  "$python" "$here/../fields/check_exact_set.py" "${common[@]}" --capture "$f" | sed "s|^|$(basename "$f"): |"
done
