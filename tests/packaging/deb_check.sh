#!/usr/bin/env bash
# The Debian package, end to end: builds it from a build tree (cmake --build BUILD --target
# deb), checks its control fields and contents, installs it with apt (which must resolve the
# libwireshark dependency itself), runs tshark as an ordinary user (the plugin is listed
# with its version and explains the bundled incident), then purges it and checks that every
# file it installed is gone and tshark no longer knows dnsfail.
#
#   deb_check.sh clean-root BUILD PKG_DIR WS_MINOR VERSION CAPTURES EXPECTED
#   deb_check.sh this-root  BUILD PKG_DIR WS_MINOR VERSION CAPTURES EXPECTED
#   deb_check.sh prepare-root
#
# clean-root (the ctest test debian_package_install_remove, on the host): installs into a
#   throw-away overlay on a minimal Debian root of the host's own release, made with
#   debootstrap once and cached in /var/cache/dnsfail/<codename> (DNSFAIL_PACKAGE_ROOT_CACHE
#   overrides the folder; refreshed weekly). The root has no Wireshark: apt must pull
#   libwireshark from the Depends field. There it also shows that apt refuses the package
#   next to a libwireshark of the next minor version. The host's own packages are never
#   touched. Needs root; skips (77) without it, or when the Debian mirror is unreachable
#   to build the root outside CI; with CI=true that fails.
#   .ci/wireshark_root.sh runs this mode inside each other version's root too, against that
#   root's Wireshark: the clean root is then a minimal root of that release, made inside it.
# this-root: installs into the system it runs in. Only for the disposable Debian roots of
#   .ci/wireshark_root.sh; it refuses anywhere without such a root's marker file
#   /.dnsfail-debootstrap-ok.
# prepare-root: makes or refreshes clean-root's base and stops (.ci/run starts it in the
#   background while the host's tests run, so the test itself finds the base ready).
#
# Exit status: 0 passed, 1 failed, 77 skipped.
set -euo pipefail

mode=${1:-}
if [ "$mode" = prepare-root ]; then
  set -- prepare-root "" "" "" "" "" ""
fi
[ $# -eq 7 ] || { echo "usage: $0 clean-root|this-root BUILD PKG_DIR WS_MINOR VERSION CAPTURES EXPECTED, or $0 prepare-root" >&2; exit 2; }
mode=$1 build=$2 pkg_dir=$3 ws_minor=$4 version=$5 captures=$6 expected=$7
capture=incident-port-unreachable.pcapng
nobody=65534

say() { echo "deb_check: $*"; }
fail() { say "FAIL: $*"; exit 1; }
skip_or_fail() {
  if [ "${CI:-}" = true ]; then fail "$*"; fi
  say "SKIP: $*"; exit 77
}

case "$mode" in
  clean-root|prepare-root) [ "$(id -u)" -eq 0 ] || { say "SKIP: needs root (debootstrap, chroot, mounts)"; exit 77; } ;;
  this-root)
    [ -f /.dnsfail-debootstrap-ok ] || fail "this-root installs packages into the running system; it runs only inside .ci/debian13.sh's root"
    [ "$(id -u)" -eq 0 ] || fail "this-root needs root" ;;
  *) echo "usage: $0 clean-root|this-root BUILD PKG_DIR WS_MINOR VERSION CAPTURES EXPECTED, or $0 prepare-root" >&2; exit 2 ;;
esac

work=$(mktemp -d /tmp/dnsfail-deb.XXXXXX)
chmod 755 "$work"
r="" # the root the package is installed into, as seen from here ("" = this system)
unmount_root() {
  [ -n "$r" ] || return 0
  local m
  awk -v p="$r" '$2 == p || index($2, p "/") == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
}
cleanup() {
  unmount_root
  rm -rf --one-file-system "$work"
  [ "$mode" != this-root ] || rm -rf /tmp/dnsfail-pkg # (in clean-root it goes with the overlay)
}
trap cleanup EXIT

# Runs a command in the root, as root, with a clean environment.
in_root() {
  local e=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TZ=UTC DEBIAN_FRONTEND=noninteractive)
  if [ -n "$r" ]; then chroot "$r" "${e[@]}" "$@"; else "${e[@]}" "$@"; fi
}
# dnsfail's dpkg state in the root, "" or "not-installed" when dpkg has no trace of it.
dnsfail_state() { in_root dpkg-query -W -f='${Status}' dnsfail 2>/dev/null | awk '{print $NF}' || true; }
# Runs a command in the root as the unprivileged user 65534 with a HOME of its own: the
# product's users are ordinary analysts, not root.
as_user() {
  in_root setpriv --reuid=$nobody --regid=$nobody --clear-groups \
    env -i HOME=/tmp/dnsfail-pkg/home PATH=/usr/bin:/bin LANG=C.UTF-8 TZ=UTC "$@"
}

# --- The clean root's base: a minimal root of the host's release, packages fetched --------------
# Sets base (the folder) and holds its lock (fd 9) until the script ends.
prepare_base() {
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || skip_or_fail "no VERSION_CODENAME in /etc/os-release"
  cache=${DNSFAIL_PACKAGE_ROOT_CACHE:-/var/cache/dnsfail}
  base=$cache/pkgroot-$codename # not $cache/<codename>: .ci/wireshark_root.sh keeps its roots there
  mkdir -p "$cache"
  exec 9>"$cache/$codename.lock"
  flock 9 # one user of this root at a time

  # Builds or refreshes the base: debootstrap once, packages fetched (not installed) weekly.
  fresh=$(find "$base/.dnsfail-base-ok" -mtime -7 2>/dev/null || true)
  if [ -z "$fresh" ]; then
    # The Debian archive (and security archive) the host's apt already uses.
    . "$(dirname "$0")/../../.ci/host_apt_uris.sh"
    uris=$(host_apt_uris)
    mirror=${DNSFAIL_DEBIAN_MIRROR:-$(echo "$uris" | grep -E '/debian$' | head -n1 || true)}
    security=$(echo "$uris" | grep -E '/debian-security$' | head -n1 || true)
    [ -n "$mirror" ] || skip_or_fail "no Debian archive in the host's apt sources; set DNSFAIL_DEBIAN_MIRROR"
    if ! timeout 90 /usr/lib/apt/apt-helper download-file "$mirror/dists/$codename/InRelease" "$work/InRelease" \
         >"$work/probe.log" 2>&1; then
      skip_or_fail "cannot reach $mirror/dists/$codename/InRelease; the clean $codename root cannot be made"
    fi
    base_mounts() { # proc, sys, dev for apt and maintainer scripts in the base; undone after
      mount -t proc proc "$base/proc"; mount -t sysfs sysfs "$base/sys"
      mount --rbind /dev "$base/dev"; mount --make-rslave "$base/dev"
    }
    r=$base
    unmount_root
    if [ ! -f "$base/.dnsfail-debootstrap-ok" ]; then
      command -v debootstrap >/dev/null || fail "debootstrap is not installed (apt-get install debootstrap; .ci/test-deps does)"
      if awk -v p="$base" 'index($2, p) == 1' /proc/self/mounts | grep -q .; then fail "something is mounted under $base"; fi
      rm -rf --one-file-system "$base" "$base.new"
      say "debootstrap $codename from $mirror into $base (once; a few minutes)"
      # (a debootstrap older than the release has no script of its name: such releases are
      # made like sid, which its scripts for bookworm and trixie link to)
      script=/usr/share/debootstrap/scripts/$codename
      [ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
      if ! debootstrap --variant=minbase "$codename" "$base.new" "$mirror" "$script" >"$cache/$codename-debootstrap.log" 2>&1; then
        tail -n 20 "$cache/$codename-debootstrap.log"; fail "debootstrap failed (log: $cache/$codename-debootstrap.log)"
      fi
      mv "$base.new" "$base"
      touch "$base/.dnsfail-debootstrap-ok"
    fi
    {
      echo "deb $mirror $codename main"
      echo "deb $mirror $codename-updates main"
      [ -z "$security" ] || echo "deb $security $codename-security main"
    } >"$base/etc/apt/sources.list"
    cp -L /etc/resolv.conf "$base/etc/resolv.conf" 2>/dev/null || true
    say "refreshing the $codename root: apt-get update, upgrade, and tshark's packages downloaded (not installed)"
    base_mounts
    # (the Release files of Debian's testing and unstable can be past their Valid-Until date)
    if ! { in_root apt-get -o Acquire::Check-Valid-Until=false update -q && in_root apt-get -y -q upgrade &&
           in_root apt-get -y -q install --download-only --no-install-recommends tshark; } >"$cache/$codename-apt.log" 2>&1; then
      unmount_root; tail -n 30 "$cache/$codename-apt.log"; fail "apt-get in the $codename root failed (log: $cache/$codename-apt.log)"
    fi
    unmount_root
    touch "$base/.dnsfail-base-ok"
  fi

}

if [ "$mode" = prepare-root ]; then
  prepare_base
  say "PASS: the clean root's base is ready ($base)"
  exit 0
fi

# --- The package, built the documented way ---------------------------------------------------
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
major=${ws_minor%%.*} minor=${ws_minor#*.}
deb="$pkg_dir/dnsfail_${version}+ws${ws_minor}_${arch}.deb"
start=$(date +%s)
cmake --build "$build" --target deb >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log"; fail "cmake --build $build --target deb failed"; }
[ -f "$deb" ] || { ls -l "$pkg_dir" || true; fail "no $deb after the deb target"; }
[ "$(stat -c %Y "$deb")" -ge "$start" ] || fail "$deb was not rebuilt by the deb target"
say "built $(basename "$deb")"

# --- Control fields ---------------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = dnsfail ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "${version}+ws${ws_minor}" ] || fail "Version is '$(field Version)', not ${version}+ws${ws_minor}"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)'"
[ -n "$(field Maintainer)" ] && [ -n "$(field Section)" ] && [ -n "$(field Description)" ] ||
  fail "Maintainer, Section or Description is empty"

# The ABI package, found independently of the build: the owner of the libwireshark.so.N
# the plugin itself needs.
so_in_build=$(find "$build" -maxdepth 1 -name dnsfail.so | head -n1)
needed=$(readelf -d "$so_in_build" | sed -n 's/.*NEEDED.*\[\(libwireshark\.so\.[0-9]*\)\].*/\1/p')
[ -n "$needed" ] || fail "the plugin needs no libwireshark.so.N?"
libpkg=$(dpkg-query -S "*/$needed" | head -n1 | cut -d: -f1)
[ -n "$libpkg" ] || fail "no package owns $needed"
low="$major.$minor.0" high="$major.$((minor + 1))~"
depends=$(field Depends)
say "Depends: $depends"
case ", $depends," in
  *", $libpkg (>= $low), $libpkg (<< $high),"*) ;;
  *) fail "Depends does not limit $libpkg to Wireshark $ws_minor ($libpkg (>= $low), $libpkg (<< $high))" ;;
esac
# The range holds the Wireshark this was built against, and nothing of the next minor version.
satisfies() { dpkg --compare-versions "$1" ge "$low" && dpkg --compare-versions "$1" lt "$high"; }
built_against=$(dpkg-query -W -f='${Version}' "$libpkg")
satisfies "$built_against" || fail "the range does not admit the $libpkg it was built with ($built_against)"
for v in "$major.$((minor + 1)).0-1" "$major.$((minor + 1))~rc1-1" "$((major - 1)).99.0-1"; do
  if satisfies "$v"; then fail "the range admits $libpkg $v"; fi
done

# --- Contents: the plugin in the global folder, the copyright file, nothing per user -------
global="/usr/lib/$multiarch/wireshark/plugins/$ws_minor/epan"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's:^\./:/:' >"$work/contents"
grep -v '/$' "$work/contents" >"$work/files"
grep -qx "$global/dnsfail.so" "$work/files" || fail "the package has no $global/dnsfail.so"
grep -qx /usr/share/doc/dnsfail/copyright "$work/files" || fail "the package has no copyright file"
if grep -Ev '^/usr/' "$work/contents"; then fail "the package installs outside /usr (above)"; fi
say "contents ($(wc -l <"$work/files") files): $(tr '\n' ' ' <"$work/files")"

# --- The root -----------------------------------------------------------------------------------
if [ "$mode" = clean-root ]; then
  prepare_base
  # Every run gets its own copy of the base (an overlay): always clean, whatever a failed
  # run left behind; the base itself is never changed by a test.
  mkdir -p "$work/upper" "$work/overlay-work" "$work/root"
  mount -t overlay overlay -o "lowerdir=$base,upperdir=$work/upper,workdir=$work/overlay-work" "$work/root"
  r=$work/root
  mount -t proc proc "$r/proc"
  mount --rbind /dev "$r/dev"; mount --make-rslave "$r/dev"
  if in_root dpkg-query -W -f='${Status}' "$libpkg" 2>/dev/null | grep -q "ok installed"; then
    fail "$libpkg is already installed in the clean root; apt would not have to resolve it"
  fi
else
  state=$(dnsfail_state)
  if [ -n "$state" ] && [ "$state" != not-installed ]; then
    say "dnsfail is $state in this root (an earlier run stopped?); purging it first"
    in_root apt-get purge -y -q dnsfail >/dev/null
  fi
  [ ! -e "$global/dnsfail.so" ] || fail "$global/dnsfail.so exists before the package is installed"
fi

rm -rf "$r/tmp/dnsfail-pkg"
mkdir -p "$r/tmp/dnsfail-pkg/home"
cp "$deb" "$captures/$capture" "$r/tmp/dnsfail-pkg/"
chmod -R a+rX "$r/tmp/dnsfail-pkg"
chown $nobody:$nobody "$r/tmp/dnsfail-pkg/home"
in_deb=/tmp/dnsfail-pkg/$(basename "$deb")

# --- apt refuses it next to the next minor version's libwireshark (clean root only: a fake
# libwireshark package must not replace the real one in a root that is used further) -------
if [ "$mode" = clean-root ]; then
  fake_version="$major.$((minor + 1)).0-1"
  mkdir -p "$work/fake/DEBIAN"
  printf 'Package: %s\nVersion: %s\nArchitecture: %s\nMaintainer: dnsfail tests <tests@invalid>\nDescription: stands for Wireshark %s.%s\n' \
    "$libpkg" "$fake_version" "$arch" "$major" "$((minor + 1))" >"$work/fake/DEBIAN/control"
  dpkg-deb --build "$work/fake" "$r/tmp/dnsfail-pkg/fake.deb" >/dev/null
  in_root dpkg -i /tmp/dnsfail-pkg/fake.deb >/dev/null
  if in_root apt-get -s install "$in_deb" >"$work/mismatch.log" 2>&1; then
    cat "$work/mismatch.log"; fail "apt would install the package next to $libpkg $fake_version"
  fi
  grep -F "Depends: $libpkg (< $high)" "$work/mismatch.log" ||
    { cat "$work/mismatch.log"; fail "apt refused, but not for the libwireshark range"; }
  in_root dpkg --purge "$libpkg" >/dev/null
  say "apt refuses the package next to $libpkg $fake_version"
fi

# --- Install with apt: the dependency is resolved from the archive --------------------------
if ! in_root apt-get install -y -q "$in_deb" >"$work/install.log" 2>&1; then
  tail -n 30 "$work/install.log"; fail "apt-get install ./$(basename "$deb") failed"
fi
in_root dpkg-query -W -f='${Status} ${Version}\n' dnsfail | grep -q "^install ok installed ${version}+ws${ws_minor}$" ||
  fail "dnsfail is not installed after apt-get install"
in_root dpkg-query -W -f='${Status}\n' "$libpkg" | grep -q "ok installed" || fail "$libpkg was not installed with the package"
if [ "$mode" = clean-root ]; then
  grep -q "^Setting up $libpkg" "$work/install.log" || fail "apt did not install $libpkg for the package (log above)"
  say "apt-get install pulled in $(in_root dpkg-query -W -f='${Package} ${Version}' "$libpkg")"
  in_root apt-get install -y -q --no-install-recommends tshark >"$work/tshark.log" 2>&1 ||
    { tail -n 30 "$work/tshark.log"; fail "apt-get install tshark failed in the clean root"; }
fi
while read -r f; do [ -e "$r$f" ] || fail "$f is listed in the package but not installed"; done <"$work/files"

# --- tshark as an ordinary user -------------------------------------------------------------------
as_user tshark -G plugins >"$work/plugins.txt" 2>&1 || { cat "$work/plugins.txt"; fail "tshark -G plugins failed"; }
grep -P "^dnsfail\.so *\t\Q$version\E\t.*\t\Q$global/dnsfail.so\E$" "$work/plugins.txt" ||
  { cat "$work/plugins.txt"; fail "tshark -G plugins (as uid $nobody) does not list $global/dnsfail.so $version"; }
# The failed attempts of the incident, as the baseline has them: frame, name, attempt.
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            { print $col["frame.number"] "\t" $col["dnsfail.qry.name"] "\t" $col["dnsfail.attempt"] }' \
  "$expected/${capture%.pcapng}.single.tsv" >"$work/want.tsv"
[ -s "$work/want.tsv" ] || fail "no expected rows in $expected/${capture%.pcapng}.single.tsv"
as_user tshark -r "/tmp/dnsfail-pkg/$capture" -Y dnsfail -T fields -e frame.number -e dnsfail.qry.name -e dnsfail.attempt \
  >"$work/got.tsv" 2>"$work/got.err" || { cat "$work/got.err"; fail "tshark -r $capture -Y dnsfail failed"; }
diff -u "$work/want.tsv" "$work/got.tsv" || fail "dnsfail's fields on $capture differ from the baseline"
say "tshark $(in_root dpkg-query -W -f='${Version}' tshark) as uid $nobody: lists dnsfail.so $version; $(wc -l <"$work/got.tsv") failed attempts of $(cut -f2 "$work/got.tsv" | sort -u | tr '\n' ' ')on $capture"

# --- Purge: every file gone, the plugin no longer listed --------------------------------------
in_root apt-get purge -y -q dnsfail >"$work/purge.log" 2>&1 || { tail -n 30 "$work/purge.log"; fail "apt-get purge dnsfail failed"; }
state=$(dnsfail_state)
[ -z "$state" ] || [ "$state" = not-installed ] || fail "dnsfail is '$state' after purge, not gone"
left=0
while read -r f; do
  if [ -e "$r$f" ]; then say "left after purge: $f"; left=1; fi
done < <(grep -v '/$' "$work/contents"; grep '/$' "$work/contents" | grep dnsfail | sed 's:/$::')
[ "$left" -eq 0 ] || fail "files of the package are left after purge"
as_user tshark -G plugins >"$work/plugins-after.txt" 2>&1 || fail "tshark -G plugins failed after purge"
if grep -F dnsfail "$work/plugins-after.txt"; then fail "tshark still lists dnsfail after purge"; fi
if as_user tshark -r "/tmp/dnsfail-pkg/$capture" -Y dnsfail >"$work/after.txt" 2>&1; then
  fail "tshark still accepts the dnsfail filter after purge"
fi
say "purged: $(wc -l <"$work/files") files gone, tshark no longer lists or knows dnsfail ($(head -n1 "$work/after.txt"))"
say "PASS ($mode, Wireshark $ws_minor)"
