#!/usr/bin/env bash
# A package is for every user, whatever scope the build was configured with: the deb
# target of a DNSFAIL_INSTALL_SCOPE=user build (whose install rules point into one user's
# home) packages the plugin into Wireshark's global folder and nothing into any home.
#
#   user_scope_check.sh SOURCE_DIR WS_MINOR VERSION
set -euo pipefail
src=$1 ws_minor=$2 version=$3
work=$(mktemp -d /tmp/dnsfail-deb-user.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

home="$work/home"
mkdir -p "$home"
HOME="$home" cmake -S "$src" -B "$work/build" -DDNSFAIL_INSTALL_SCOPE=user -DDNSFAIL_TESTS=OFF \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configuring a user-scope build failed"; }
grep -F "$home/.local/lib/wireshark/plugins/$ws_minor/epan" "$work/configure.log" >/dev/null ||
  fail "the build is not configured for the user's folder (configure.log: $(grep dnsfail: "$work/configure.log"))"

# Run by hand, cpack on that build's own install rules refuses: they point into the home.
if (cd "$work/build" && cpack -G DEB) >"$work/cpack.log" 2>&1; then
  fail "cpack packaged a user-scope build's install rules (files for one user's home)"
fi
grep -q "would install files into a home directory" "$work/cpack.log" || { cat "$work/cpack.log"; fail "cpack failed, but not with the home-directory message"; }

HOME="$home" cmake --build "$work/build" --target deb >"$work/deb.log" 2>&1 || { tail -n 30 "$work/deb.log"; fail "the deb target failed"; }
deb="$work/build/package/dnsfail_${version}+ws${ws_minor}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { ls -l "$work/build/package" || true; fail "no $deb"; }
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's:^\./:/:' >"$work/contents"
global="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/wireshark/plugins/$ws_minor/epan/dnsfail.so"
grep -qx "$global" "$work/contents" || { cat "$work/contents"; fail "the package has no $global"; }
if grep -Ev '^/usr/' "$work/contents"; then fail "the package of a user-scope build installs outside /usr (above)"; fi
[ ! -e "$home/.local" ] || fail "building the package installed something into the user's home"
echo "user-scope build: cpack alone refuses; the deb target packages $global"
