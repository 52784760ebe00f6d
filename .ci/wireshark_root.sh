#!/usr/bin/env bash
# Builds and tests dnsfail against another supported Wireshark, in a debootstrap root of the
# Debian release that carries it (cmake/wireshark-versions.txt: version, release, codename).
# Run as root (CI does); idempotent.
#
#   sudo .ci/wireshark_root.sh VERSION prepare     the root and its packages, nothing else
#   sudo .ci/wireshark_root.sh VERSION baselines   the ci tier's check of that version
#   sudo .ci/wireshark_root.sh VERSION gui         the ci tier's GUI check of that version
#   sudo .ci/wireshark_root.sh VERSION suite       the full tier's check of that version
#
# baselines: the plugin built with warnings as errors, loaded by that version's tshark, and
#   the quick tier's per-capture tshark checks of the plugin (fields in one and two passes,
#   stats tree, report, no false positives, no side effects) on a sample of the captures, one
#   or two of each kind of failure (tests/ci_sample_captures.txt); then the Debian package
#   for that version built there, installed with apt into a clean minimal root of the same
#   release (made inside this one, once, by debootstrap; an overlay per run), run by an
#   ordinary user and purged (tests/packaging/deb_check.sh clean-root). The suite runs every
#   other check there.
# gui: the plugin built with warnings as errors, then tests/gui/gui_walkthrough.sh in the
#   root: that version's wireshark-qt under Xvfb opens the incident, applies the filter
#   dnsfail, shows the packet details, opens Statistics > DNS Failures and more, and exits
#   cleanly. Its screenshots and log are copied to DNSFAIL_ROOT_ARTIFACTS (default:
#   ./gui-VERSION).
# suite: the same build, the whole suite but what a chroot cannot run (below), and the
#   package; valgrind, the sanitized plugin and the GUI tests must not skip there.
#
# The root is kept in /var/cache/dnsfail/<codename> (DNSFAIL_ROOT_CACHE overrides the folder):
# debootstrap once, one apt-get install of every package the build and the tests need,
# refreshed once a week. A run copies the source tree in, builds and tests. The Debian mirror
# is the one the host's apt uses (DNSFAIL_DEBIAN_MIRROR overrides it). DNSFAIL_ROOT_TESTS, a
# ctest -R regex, narrows the tests run in the root (the package check still runs), e.g.
#   sudo DNSFAIL_ROOT_TESTS='^(plugin_loads|report_timeouts)$' .ci/wireshark_root.sh 4.4 baselines
#
# Not run inside the root in suite mode, each for a stated reason (DNSFAIL_ROOT_EXCLUDE, a
# ctest -E regex, replaces the list):
#   recorded_*_explained, live_capture_explained - they make network namespaces
#       (`ip netns exec` remounts /), which a chroot cannot do.
#   fuzz.run.*, fuzz.long.* - no clang in the root; they test the core, which has no
#       Wireshark dependency and is fuzzed on the host.
#   debian_package_install_remove - on the host it debootstraps a clean root of the host's
#       release; here deb_check.sh runs after the suite in its clean-root mode instead.
#
# Exit status: 0 passed; 1 something failed; 2 usage; 77 skipped (not root, or the Debian
# mirror is unreachable outside CI). With CI=true an unreachable mirror fails.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
usage() { echo "usage: $0 VERSION prepare|baselines|gui|suite   (VERSION from cmake/wireshark-versions.txt)" >&2; exit 2; }
[ $# -eq 2 ] || usage
version=$1 mode=$2
case "$mode" in prepare|baselines|gui|suite) ;; *) usage ;; esac
read -r release codename < <(awk -v v="$version" '$1 == v {print $2, $3}' "$top/cmake/wireshark-versions.txt") || true
[ -n "${codename:-}" ] || { echo "wireshark_root: $version is not in cmake/wireshark-versions.txt" >&2; usage; }

cache=${DNSFAIL_ROOT_CACHE:-/var/cache/dnsfail}
root=$cache/$codename
exclude=${DNSFAIL_ROOT_EXCLUDE:-'^(recorded_.*_explained|live_capture_explained|fuzz\.(run|long)\..*|debian_package_install_remove)$'}
only=${DNSFAIL_ROOT_TESTS:-}
# The captures whose per-capture checks (fields in one and two passes, stats tree, report, no
# false positives, no side effects) the ci tier runs against another version, one or two of
# each kind of failure (tests/ci_sample_captures.txt).
mapfile -t ci_sample < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$top/tests/ci_sample_captures.txt")
artifacts=${DNSFAIL_ROOT_ARTIFACTS:-$PWD/gui-$version}
# (dpkg-dev: dpkg-shlibdeps and dpkg-architecture, and debootstrap: the clean root, for the
# Debian package; groff-base: the man page checks; valgrind and time: the suite's memory
# checks; wireshark (the Qt GUI since Debian 13), xvfb, x11-utils, xdotool, imagemagick,
# xauth: the GUI check, as on the host)
packages=(cmake make gcc libc6-dev pkg-config python3 python3-jsonschema util-linux
          wireshark-dev libwireshark-dev libglib2.0-dev tshark
          iproute2 bind9-dnsutils tcpdump valgrind time dpkg-dev debootstrap groff-base
          wireshark xvfb x11-utils xdotool imagemagick xauth)

say() { echo "wireshark_root $version ($codename): $*"; }
skip_or_fail() { # a reason the run cannot happen here: fails in CI, skips elsewhere
  if [ "${CI:-}" = true ]; then say "FAIL: $*"; exit 1; fi
  say "SKIP: $*"; exit 77
}

[ "$(id -u)" -eq 0 ] || { say "SKIP: needs root (debootstrap, chroot, mounts); run: sudo $0 $*"; exit 77; }

mkdir -p "$cache"
exec 9>"$cache/$codename.root.lock"
flock 9 # one run at a time per root

# --- The mirror: the Debian archive the host's apt already uses ---------------------------
. "$top/.ci/host_apt_uris.sh"
mirror=${DNSFAIL_DEBIAN_MIRROR:-$(host_apt_uris | grep -E '/debian$' | head -n1 || true)}
[ -n "$mirror" ] || skip_or_fail "no Debian archive in the host's apt sources; set DNSFAIL_DEBIAN_MIRROR"

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
  probe=$(mktemp -d /tmp/dnsfail-root.XXXXXX)
  chmod 755 "$probe" # apt-helper downloads as _apt
  if ! timeout 90 /usr/lib/apt/apt-helper download-file "$mirror/dists/$codename/InRelease" "$probe/InRelease" \
       >"$probe/log" 2>&1; then
    msg=$(grep '^E:' "$probe/log" | tail -n 2 | tr '\n' ' ')
    rm -rf "$probe"
    skip_or_fail "cannot reach $mirror/dists/$codename/InRelease (${msg:-timed out}); Debian $release cannot be installed here"
  fi
  rm -rf "$probe"
  command -v debootstrap >/dev/null || { say "FAIL: debootstrap is not installed (.ci/test-deps installs it)"; exit 1; }
  # (Debian 12's debootstrap has no script for releases named after it, such as forky; its
  # scripts for bookworm and trixie are links to sid's, and later releases are made the same way)
  script=/usr/share/debootstrap/scripts/$codename
  [ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
  [ -e "$script" ] || { say "FAIL: this debootstrap does not know $codename"; exit 1; }
  if awk -v r="$root" 'index($2, r) == 1' /proc/self/mounts | grep -q .; then
    say "FAIL: something is still mounted under $root; not deleting it"; exit 1
  fi
  rm -rf --one-file-system "$root" "$root.new"
  say "debootstrap $codename from $mirror into $root (once)"
  if ! debootstrap --variant=minbase "$codename" "$root.new" "$mirror" "$script" >"$cache/$codename-debootstrap.log" 2>&1; then
    tail -n 20 "$cache/$codename-debootstrap.log"
    say "FAIL: debootstrap failed (log: $cache/$codename-debootstrap.log)"; exit 1
  fi
  mv "$root.new" "$root"
  touch "$root/.dnsfail-debootstrap-ok"
fi

cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount_all

# --- Packages: what the build and the tests need, in one apt-get; refreshed once a week -----
missing=()
for p in "${packages[@]}"; do
  in_root dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
fresh=$(find "$root/.dnsfail-apt-ok" -mtime -7 2>/dev/null || true)
if [ ${#missing[@]} -gt 0 ] || [ -z "$fresh" ]; then
  say "apt-get in the root: ${missing[*]:-upgrade}"
  # (the Release files of Debian's testing and unstable can be past their Valid-Until date)
  apt_opts=(-o Acquire::Check-Valid-Until=false)
  if ! { in_root apt-get "${apt_opts[@]}" update -q && in_root apt-get -y -q upgrade &&
         in_root apt-get install -y -q --no-install-recommends "${packages[@]}"; } >"$cache/$codename-apt.log" 2>&1; then
    tail -n 30 "$cache/$codename-apt.log"
    say "FAIL: installing packages in the root failed (log: $cache/$codename-apt.log)"; exit 1
  fi
  in_root apt-get clean
  touch "$root/.dnsfail-apt-ok"
fi
found=$(in_root dpkg-query -W -f='${Version}' wireshark-dev)
say "wireshark-dev $found, tshark $(in_root dpkg-query -W -f='${Version}' tshark)"
case "$found" in
  "$version".*) ;;
  *) say "FAIL: Debian $release's wireshark-dev is $found, not $version (fix cmake/wireshark-versions.txt)"; exit 1 ;;
esac

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

if [ "$mode" = prepare ]; then
  # The package's clean root too (made, or refreshed weekly, inside this one), so that the
  # test finds it ready.
  if ! in_root /src/dnsfail/tests/packaging/deb_check.sh prepare-root; then
    say "FAIL: the clean Debian $release root for the package could not be made (above)"; exit 1
  fi
  say "PASS: root ready"; exit 0
fi

# --- Build against this version, warnings as errors, and test ------------------------------
say "building against Wireshark $version, warnings as errors"
if ! in_root cmake -S /src/dnsfail -B /build/dnsfail -DDNSFAIL_WERROR=ON -DDNSFAIL_ROOT_TESTS=OFF >/dev/null; then
  say "FAIL: cmake could not configure against Debian $release's Wireshark"; exit 1
fi
targets=() # baselines, gui: the plugin alone (the unit tests and fuzzers left out test the core)
[ "$mode" = suite ] || targets=(--target dnsfail)
if ! in_root cmake --build /build/dnsfail -j"$(nproc)" "${targets[@]}" >"$root/build/dnsfail-build.log" 2>&1; then
  grep -E "error|warning" "$root/build/dnsfail-build.log" | head -n 40
  say "FAIL: the build (plugin and test programs) failed against Wireshark $version"; exit 1
fi
# --- The GUI: the walk-through in this version's wireshark-qt, screenshots copied out ---------
if [ "$mode" = gui ]; then
  say "wireshark-qt $(in_root dpkg-query -W -f='${Version}' wireshark) under Xvfb: tests/gui/gui_walkthrough.sh"
  shots=/build/dnsfail/tests/gui/walkthrough
  rm -rf "$artifacts"
  mkdir -p "$artifacts"
  gui_status=0
  in_root ctest --test-dir /build/dnsfail -V -R '^gui_walkthrough$' >"$artifacts/ctest.log" 2>&1 || gui_status=$?
  cat "$artifacts/ctest.log"
  cp -a "$root$shots/." "$artifacts/" 2>/dev/null || true
  # A skipped test (a tool missing in the root) passes ctest: the screenshots are the proof.
  for shot in 02-filter-dnsfail 03-packet-details 05-dns-failures-statistics; do
    [ -s "$artifacts/$shot.png" ] || { say "FAIL: no $shot.png from the walk-through"; gui_status=1; }
  done
  grep -q 'walk-through done, wireshark exited with status 0' "$artifacts/ctest.log" || gui_status=1
  [ "$gui_status" -eq 0 ] || { say "FAIL: the GUI check failed against Wireshark $version (above; $artifacts)"; exit 1; }
  say "PASS: wireshark-qt $version with the plugin built with warnings as errors: the incident opened, filtered with dnsfail, packet details shown, Statistics > DNS Failures opened, clean exit; screenshots in $artifacts"
  exit 0
fi

select=()
[ -z "$only" ] || select=(-R "$only")
if [ "$mode" = baselines ]; then
  tier=(-L '^quick$' -LE '^(unit|fuzz)$')
  if [ -z "$only" ]; then
    # The sample: plugin_loads, and the quick tier's per-capture checks of the sample's
    # captures (a per-capture test's name ends in _CAPTURE, _CAPTURE_single or _CAPTURE_two-pass).
    for c in "${ci_sample[@]}"; do
      [ -f "$top/captures/$c.pcapng" ] || { say "FAIL: tests/ci_sample_captures.txt names $c, not a capture"; exit 1; }
    done
    wanted=(plugin_loads)
    while read -r t; do
      for c in "${ci_sample[@]}"; do
        if [[ $t =~ ^[a-z_]+_${c}(_single|_two-pass)?$ ]]; then wanted+=("$t"); break; fi
      done
    done < <(in_root ctest --test-dir /build/dnsfail -N "${tier[@]}" | sed -n 's/^ *Test *#[0-9]*: //p')
    [ ${#wanted[@]} -gt $(( ${#ci_sample[@]} * 5 )) ] || { say "FAIL: the sample has only ${wanted[*]}"; exit 1; }
    select=(-R "^($(IFS='|'; echo "${wanted[*]}"))\$")
    say "the sample: ${#wanted[@]} quick checks: plugin_loads, and per capture on ${ci_sample[*]}"
  fi
else
  tier=(-E "$exclude")
fi
say "ctest in the root: ${tier[*]}${only:+; only: $only}"
ctest_log=$root/build/dnsfail-ctest.log
if ! in_root ctest --test-dir /build/dnsfail --output-on-failure -j"$(nproc)" "${tier[@]}" "${select[@]}" 2>&1 | tee "$ctest_log"; then
  say "FAIL: tests failed against Wireshark $version (above)"; exit 1
fi
# A skipped test passes ctest: the checks the full tier promises on each version (valgrind,
# the sanitized plugin, the GUI) must have run.
if [ "$mode" = suite ] && grep -E ' (valgrind_|sanitized_|gui_)[^ ]* .*(\*\*\*Skipped|Not Run)' "$ctest_log"; then
  say "FAIL: tests skipped in the root against Wireshark $version (above); the root has what they need"; exit 1
fi

# --- The Debian package for this version: built, installed with apt, run by a user, purged ----
project_version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$root/build/dnsfail/CMakeCache.txt")
[ -n "$project_version" ] || { say "FAIL: no project version in the root's build"; exit 1; }
say "the Debian package for Wireshark $version: build, install into a clean Debian $release root, run as a user, purge"
if ! in_root /src/dnsfail/tests/packaging/deb_check.sh clean-root /build/dnsfail /build/dnsfail/package \
       "$version" "$project_version" /src/dnsfail/captures /src/dnsfail/tests/integration/fields/expected; then
  say "FAIL: the Debian package check failed against Wireshark $version (above)"; exit 1
fi
say "PASS: built with warnings as errors, loaded and tested ($mode) against Debian $release's Wireshark $version; its Debian package installs, works and purges"
