#!/usr/bin/env bash
# Configuring against a Wireshark the plugin does not support, or none at all, stops
# with a message that says what to do.
#
#   configure_errors.sh SOURCE_DIR
set -euo pipefail
src=$1
work=$(mktemp -d /tmp/dnsfail-configure.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0

# The message names every supported version with its Debian release, from the one list.
expected_list=$(awk '/^[0-9]/ {printf "%s%s (Debian %s)", sep, $1, $2; sep=", "}' "$src/cmake/wireshark-versions.txt")

# A Wireshark 4.2 package configuration, as a newer wireshark-dev would install.
mkdir -p "$work/fake"
cat >"$work/fake/WiresharkConfig.cmake" <<'CFG'
set(Wireshark_MAJOR_VERSION 4)
set(Wireshark_MINOR_VERSION 2)
set(Wireshark_PATCH_VERSION 0)
set(Wireshark_VERSION "4.2.0")
set(Wireshark_FOUND TRUE)
CFG
# (CMake wraps a message's lines: they are read joined, with single spaces)
if cmake -S "$src" -B "$work/b1" -DWireshark_DIR="$work/fake" -DDNSFAIL_TESTS=OFF >"$work/out1" 2>&1; then
  echo "FAIL: configured against Wireshark 4.2"; status=1
elif ! tr -s ' \n' '  ' <"$work/out1" | grep -qF "supports Wireshark $expected_list; found 4.2.0"; then
  echo "FAIL: unclear message for Wireshark 4.2 (want \"supports Wireshark $expected_list; found 4.2.0\"):"
  cat "$work/out1"; status=1
else
  echo "Wireshark 4.2 refused: $(tr -s ' \n' '  ' <"$work/out1" | grep -o 'dnsfail supports Wireshark [^;]*; found 4.2.0')"
fi

if cmake -S "$src" -B "$work/b2" -DCMAKE_DISABLE_FIND_PACKAGE_Wireshark=TRUE -DDNSFAIL_TESTS=OFF >"$work/out2" 2>&1; then
  echo "FAIL: configured without Wireshark"; status=1
elif ! grep -q "apt-get install wireshark-dev" "$work/out2"; then
  echo "FAIL: unclear message without Wireshark:"; cat "$work/out2"; status=1
else
  echo "no Wireshark: the message names the packages to install"
fi

# The core alone still builds without Wireshark.
if ! cmake -S "$src" -B "$work/b3" -DDNSFAIL_PLUGIN=OFF -DDNSFAIL_TESTS=OFF >"$work/out3" 2>&1; then
  echo "FAIL: -DDNSFAIL_PLUGIN=OFF does not configure:"; cat "$work/out3"; status=1
fi
exit $status
