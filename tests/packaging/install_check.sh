#!/usr/bin/env bash
# cmake --install puts the plugin where Wireshark looks, in both scopes:
#  - system: staged with DESTDIR, it lands in <global plugin dir>/epan;
#  - user: configured with HOME=<tmp>, it lands in ~/.local/lib/wireshark/plugins/<minor>/epan,
#    and tshark run by that user with that HOME lists it.
#
#   install_check.sh SOURCE_DIR BUILD_DIR WS_MINOR SCOPE PLUGIN_DIR
set -euo pipefail
src=$1 build=$2 ws_minor=$3 scope=$4 global_dir=$5
work=$(mktemp -d /tmp/dnsfail-install.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ "$scope" = system ]; then
  DESTDIR="$work/stage" cmake --install "$build" >/dev/null
  [ -f "$work/stage$global_dir/dnsfail.so" ] || { echo "FAIL: not staged at $global_dir/dnsfail.so"; exit 1; }
  case "$global_dir" in */wireshark/plugins/"$ws_minor"/epan) ;; *) echo "FAIL: odd global dir $global_dir"; exit 1;; esac
  echo "system scope: $global_dir/dnsfail.so"
fi

home="$work/home"
mkdir -p "$home"
HOME="$home" cmake -S "$src" -B "$work/build" -DDNSFAIL_INSTALL_SCOPE=user -DDNSFAIL_TESTS=OFF >/dev/null
cmake --build "$work/build" -j"$(nproc)" >/dev/null
HOME="$home" cmake --install "$work/build" >/dev/null
so="$home/.local/lib/wireshark/plugins/$ws_minor/epan/dnsfail.so"
[ -f "$so" ] || { echo "FAIL: user install did not create $so"; exit 1; }
chmod -R a+rX "$work"
if [ "$(id -u)" -eq 0 ]; then
  chown -R 65534:65534 "$home"
  run=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
  run=()
fi
# An empty global plugin folder, so only the personal one can supply dnsfail.
mkdir -p "$work/noplugins"
listed=$("${run[@]}" env -i HOME="$home" WIRESHARK_PLUGIN_DIR="$work/noplugins" PATH=/usr/bin:/bin tshark -G plugins)
echo "$listed" | grep -F "$so" || { echo "FAIL: tshark does not list $so"; echo "$listed"; exit 1; }
echo "user scope: $so, listed by tshark"
