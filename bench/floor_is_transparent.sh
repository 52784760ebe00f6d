#!/usr/bin/env bash
# The benchmark's floor must be a fair floor: loaded, its wrappers in place, and changing
# nothing tshark prints. Otherwise "dnsfail minus the floor" would not
# be dnsfail's analysis (docs/PERFORMANCE.md).
#
#   floor_is_transparent.sh FLOOR.so WS_MINOR CAPTURE...
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
floor=$1 ws_minor=$2
shift 2
run=$(cd "$(dirname "$0")/.." && pwd)/tests/helpers/tshark_as_user.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$run" "$floor" "$ws_minor" tshark -G plugins > "$work/plugins"
grep -q "^floor\.so\b" "$work/plugins" || { echo "FAIL: tshark did not load $floor"; exit 1; }
# The ip.proto entries of ICMP, TCP, UDP and ICMPv6 are the floor's wrappers: handles
# without a protocol, which -G decodes leaves out (plain tshark lists all four).
"$run" none "$ws_minor" tshark -G decodes > "$work/decodes.plain"
"$run" "$floor" "$ws_minor" tshark -G decodes > "$work/decodes.floor"
for p in 1 6 17 58; do
  grep -qP "^ip\.proto\t$p\t" "$work/decodes.plain" || { echo "FAIL: plain tshark has no ip.proto $p"; exit 1; }
  ! grep -qP "^ip\.proto\t$p\t" "$work/decodes.floor" || { echo "FAIL: ip.proto $p is not the floor's wrapper"; exit 1; }
done
for cap in "$@"; do
  "$run" none "$ws_minor" tshark -r "$cap" -V > "$work/plain"
  "$run" "$floor" "$ws_minor" tshark -r "$cap" -V > "$work/floor"
  cmp -s "$work/plain" "$work/floor" || { echo "FAIL: the floor changes tshark -V on $cap"; diff "$work/plain" "$work/floor" | head; exit 1; }
  lines=$(wc -l < "$work/plain")
  [ "$lines" -gt 0 ] || { echo "FAIL: nothing dissected in $cap"; exit 1; }
  matched=$("$run" "$floor" "$ws_minor" tshark -r "$cap" -Y floor | wc -l)
  [ "$matched" -eq 0 ] || { echo "FAIL: -Y floor matched $matched frames of $cap"; exit 1; }
  echo "ok: $(basename "$cap"): tshark -V identical with the floor ($lines lines), -Y floor matches nothing"
done
