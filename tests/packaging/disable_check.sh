#!/usr/bin/env bash
# Turning dnsfail off for one user, the ways docs/admin-guide.md gives, works: tshark run
# as an ordinary user with its own HOME (tshark_as_user.sh) shows dnsfail's fields on the
# incident capture normally, and none with a disabled_protos file naming dnsfail in the
# user's profile (what Analyze > Enabled Protocols writes) or with --disable-protocol.
#
#   disable_check.sh TSHARK_AS_USER PLUGIN.so WS_MINOR CAPTURE
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3 capture=$4
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*"; exit 1; }

# Every frame's dnsfail.qry.name, one line per frame (empty where dnsfail says nothing).
names() { "$runner" "$plugin" "$ws_minor" bash "$here/with_config_file.sh" "$@" -r "$capture" -T fields -e dnsfail.qry.name; }
frames=$("$runner" "$plugin" "$ws_minor" tshark -r "$capture" -T fields -e frame.number | wc -l)
[ "$frames" -gt 0 ] || fail "tshark read no frames from $capture"

out=$(mktemp /tmp/dnsfail-disable.XXXXXX)
trap 'rm -f "$out"' EXIT
check() { # LABEL WANT(some|none) CONFIG_NAME CONFIG_CONTENT TSHARK_ARGS...
  local label=$1 want=$2 lines named
  shift 2
  names "$@" >"$out" || fail "$label: tshark failed"
  lines=$(wc -l <"$out")
  named=$(grep -c . "$out" || true)
  [ "$lines" -eq "$frames" ] || fail "$label: $lines lines of fields for $frames frames"
  case "$want" in
    some) [ "$named" -gt 0 ] || fail "$label: no dnsfail.qry.name, though dnsfail is enabled" ;;
    none) [ "$named" -eq 0 ] || fail "$label: $named frames still have dnsfail.qry.name" ;;
  esac
  echo "$label: $named of $frames frames have dnsfail.qry.name"
}
check "enabled (no personal settings)" some disabled_protos "" tshark
check "enabled (disabled_protos naming another protocol)" some disabled_protos "mate" tshark
check "disabled in ~/.config/wireshark/disabled_protos" none disabled_protos "dnsfail" tshark
check "disabled with tshark --disable-protocol dnsfail" none disabled_protos "" tshark --disable-protocol dnsfail
