#!/usr/bin/env bash
# Builds dnsfail against Debian 13's Wireshark 4.4 and runs its test suite there, in a
# Debian 13 (trixie) root made with debootstrap; then builds the Debian package for 4.4
# there and installs, runs and purges it (tests/packaging/deb_check.sh this-root). Run as
# root (CI does); idempotent.
#
#   sudo .ci/debian13.sh
#
# The root is kept in /var/cache/dnsfail/trixie (DNSFAIL_DEBIAN13_CACHE overrides the
# folder), so a rerun only refreshes the packages (apt-get upgrade once a week), copies
# the source tree in, builds and tests. The Debian mirror is the one the host's apt uses
# (DNSFAIL_DEBIAN_MIRROR overrides it). DNSFAIL_DEBIAN13_TESTS, a ctest -R regex, runs
# only the tests it matches (the package check still runs), e.g. '^$' for none:
#   sudo DNSFAIL_DEBIAN13_TESTS='^(plugin_disabled_per_user|debian_package_.*)$' .ci/debian13.sh
#
# Not run inside the root, each for a stated reason (DNSFAIL_DEBIAN13_EXCLUDE, a ctest -E
# regex, replaces the list):
#   gui_* (gui_opens_incident, gui_opens_dns_failures_statistics, ...) - wireshark-qt under Xvfb is not
#       installed in the root; the GUI is tested on the host's 4.0 only.
#   recorded_incident_explained, live_capture_explained - they make network namespaces
#       (`ip netns exec` remounts /), which a chroot cannot do.
#   wireshark_4_4_suite - this script itself (the inner build does not register it anyway).
#   fuzz.run.* - no clang in the root (and with CI=true they fail rather than skip); they
#       test the core, which has no Wireshark dependency and is fuzzed on the host.
#   debian_package_install_remove - on the host it debootstraps a clean root of the host's
#       release to install the package into; here the same script runs after the suite
#       in its this-root mode instead (this root is disposable: the package is installed
#       into it, run by an ordinary user, and purged).
#
# Exit status: 0 the build and the suite passed; 1 something failed; 77 skipped (not root,
# or the Debian mirror is unreachable outside CI). With CI=true an unreachable mirror fails.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
suite=trixie
cache=${DNSFAIL_DEBIAN13_CACHE:-/var/cache/dnsfail}
root=$cache/$suite
exclude=${DNSFAIL_DEBIAN13_EXCLUDE:-'^(gui_.*|recorded_incident_explained|live_capture_explained|wireshark_4_4_suite|fuzz\.run\..*|debian_package_install_remove)$'}
only=${DNSFAIL_DEBIAN13_TESTS:-}
# (dpkg-dev: dpkg-shlibdeps and dpkg-architecture, for the Debian package; groff-base: the man page checks)
packages=(cmake make gcc libc6-dev pkg-config python3 python3-jsonschema util-linux
          wireshark-dev libwireshark-dev libglib2.0-dev tshark
          iproute2 bind9-dnsutils tcpdump valgrind time dpkg-dev groff-base)

say() { echo "debian13: $*"; }
skip_or_fail() { # a reason the run cannot happen here: fails in CI, skips elsewhere
  if [ "${CI:-}" = true ]; then say "FAIL: $*"; exit 1; fi
  say "SKIP: $*"; exit 77
}

[ "$(id -u)" -eq 0 ] || { say "SKIP: needs root (debootstrap, chroot, mounts); run: sudo $0"; exit 77; }

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # one run at a time on this machine

# --- The mirror: the Debian archive the host's apt already uses ---------------------------
. "$top/.ci/host_apt_uris.sh"
mirror=${DNSFAIL_DEBIAN_MIRROR:-$(host_apt_uris | grep -E '/debian$' | head -n1 || true)}
[ -n "$mirror" ] || skip_or_fail "no Debian archive in the host's apt sources; set DNSFAIL_DEBIAN_MIRROR"

probe=$(mktemp -d /tmp/dnsfail-debian13.XXXXXX)
chmod 755 "$probe" # apt-helper downloads as _apt
if ! timeout 90 /usr/lib/apt/apt-helper download-file "$mirror/dists/$suite/InRelease" "$probe/InRelease" \
     >"$probe/log" 2>&1; then
  msg=$(grep '^E:' "$probe/log" | tail -n 2 | tr '\n' ' ')
  rm -rf "$probe"
  skip_or_fail "cannot reach $mirror/dists/$suite/InRelease (${msg:-timed out}); Debian 13 cannot be installed here"
fi
rm -rf "$probe"

# --- Mounts, undone on exit (and left-overs of a killed run undone first) -----------------
unmount_all() { # everything mounted under the root, deepest first (a test's netns mount too)
  local m
  awk -v r="$root/" 'index($2, r) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
}
mount_all() {
  mount -t proc proc "$root/proc"
  mount -t sysfs sysfs "$root/sys"
  mount --rbind /dev "$root/dev"
  mount --make-rslave "$root/dev"
}
in_root() { # runs a command in the root with a clean environment
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TZ=UTC \
    DEBIAN_FRONTEND=noninteractive CI="${CI:-}" "$@"
}
unmount_all
trap unmount_all EXIT

# --- The root: debootstrap once ------------------------------------------------------------
if [ ! -f "$root/.dnsfail-debootstrap-ok" ]; then
  if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap on the host"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null 2>&1 ||
      { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null; }
  fi
  [ -e "/usr/share/debootstrap/scripts/$suite" ] || { say "FAIL: this debootstrap does not know $suite"; exit 1; }
  if awk -v r="$root" 'index($2, r) == 1' /proc/self/mounts | grep -q .; then
    say "FAIL: something is still mounted under $root; not deleting it"; exit 1
  fi
  rm -rf --one-file-system "$root" "$root.new"
  say "debootstrap $suite from $mirror into $root (once; a few minutes)"
  if ! debootstrap --variant=minbase "$suite" "$root.new" "$mirror" >"$cache/debootstrap.log" 2>&1; then
    tail -n 20 "$cache/debootstrap.log"
    say "FAIL: debootstrap failed (log: $cache/debootstrap.log)"; exit 1
  fi
  mv "$root.new" "$root"
  touch "$root/.dnsfail-debootstrap-ok"
fi

cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount_all

# --- Packages: what the build and the tests need; refreshed once a week ---------------------
missing=()
for p in "${packages[@]}"; do
  in_root dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
stale=$(find "$root/.dnsfail-apt-ok" -mtime -7 2>/dev/null || true)
if [ ${#missing[@]} -gt 0 ] || [ -z "$stale" ]; then
  say "apt-get in the root: ${missing[*]:-upgrade}"
  if ! { in_root apt-get update -q && in_root apt-get -y -q upgrade &&
         in_root apt-get install -y -q --no-install-recommends "${packages[@]}"; } >"$cache/apt.log" 2>&1; then
    tail -n 30 "$cache/apt.log"
    say "FAIL: installing packages in the root failed (log: $cache/apt.log)"; exit 1
  fi
  in_root apt-get clean
  touch "$root/.dnsfail-apt-ok"
fi
say "$(in_root dpkg-query -W -f='wireshark-dev ${Version}, tshark ' wireshark-dev)$(in_root dpkg-query -W -f='${Version}' tshark)"

# --- The source: a fresh copy of the tree (tracked and new files, not build output) ---------
rm -rf --one-file-system "$root/src/dnsfail" "$root/build/dnsfail"
mkdir -p "$root/src/dnsfail" "$root/build"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$top" && git ls-files -z --cached --others --exclude-standard |
     xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
     tar --null -T - -cf -) | tar -C "$root/src/dnsfail" -xf -
else
  tar -C "$top" --exclude=./.git --exclude='./build*' -cf - . | tar -C "$root/src/dnsfail" -xf -
fi

# --- Build against 4.4 and run the suite ----------------------------------------------------
say "building against Wireshark 4.4 in the root"
if ! in_root cmake -S /src/dnsfail -B /build/dnsfail -DDNSFAIL_DEBIAN13_SUITE=OFF; then
  say "FAIL: cmake could not configure against Debian 13's Wireshark"; exit 1
fi
if ! in_root cmake --build /build/dnsfail -j"$(nproc)"; then
  say "FAIL: the build (plugin and test programs) failed against Debian 13's Wireshark 4.4"; exit 1
fi
select=()
[ -z "$only" ] || select=(-R "$only")
say "ctest in the root, without: $exclude${only:+; only: $only}"
if ! in_root ctest --test-dir /build/dnsfail --output-on-failure -E "$exclude" "${select[@]}"; then
  say "FAIL: the test suite failed against Wireshark 4.4 (above)"; exit 1
fi

# --- The Debian package for 4.4: built, installed with apt, run by a user, purged ------------
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$root/build/dnsfail/CMakeCache.txt")
ws_minor=$(in_root tshark --version | sed -n '1s/^TShark (Wireshark) \([0-9]*\.[0-9]*\)\..*/\1/p')
[ -n "$version" ] && [ -n "$ws_minor" ] || { say "FAIL: no project version or tshark version in the root"; exit 1; }
say "the Debian package for Wireshark $ws_minor: build, install, run as a user, purge"
if ! in_root /src/dnsfail/tests/packaging/deb_check.sh this-root /build/dnsfail /build/dnsfail/package \
       "$ws_minor" "$version" /src/dnsfail/captures /src/dnsfail/tests/integration/expected; then
  say "FAIL: the Debian package check failed against Wireshark $ws_minor (above)"; exit 1
fi
say "PASS: built, loaded and tested against Debian 13's Wireshark 4.4; its Debian package installs, works and purges"
