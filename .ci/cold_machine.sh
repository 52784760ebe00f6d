#!/usr/bin/env bash
# Times README's two commands the way a new CI machine runs them: in a fresh, minimal Debian
# 12 root (debootstrap --variant=minbase: no packages beyond that, no locale configured, no
# /var/cache/dnsfail), with this tree copied in, as root, CI=true. Prints the wall time of
# each command and the per-phase table that .ci/run prints at its end.
#
#   sudo .ci/cold_machine.sh [--keep]
#
# The minimal root is made once (debootstrap, about a minute) and kept in
# /var/cache/dnsfail-cold/base (DNSFAIL_COLD_CACHE overrides the folder); every run works
# on a new copy of it, deleted afterwards unless --keep. The root is bind-mounted onto
# itself and gets proc, sys and dev, so that `ip netns` (which remounts /) and the nested
# debootstrap roots of the tests work inside it. Needs root and the Debian mirror of the
# host's apt sources (DNSFAIL_DEBIAN_MIRROR overrides it).
#
# Exit status: that of the test command (0 passed).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${DNSFAIL_COLD_CACHE:-/var/cache/dnsfail-cold}
keep=no
[ "${1:-}" != --keep ] || keep=yes
say() { echo "cold_machine: $*"; }
[ "$(id -u)" -eq 0 ] || { say "needs root (debootstrap, chroot, mounts)"; exit 2; }

. "$top/.ci/host_apt_uris.sh"
mirror=${DNSFAIL_DEBIAN_MIRROR:-$(host_apt_uris | grep -E '/debian$' | head -n1 || true)}
[ -n "$mirror" ] || { say "no Debian archive in the host's apt sources; set DNSFAIL_DEBIAN_MIRROR"; exit 2; }

mkdir -p "$cache"
if [ ! -f "$cache/base/.dnsfail-cold-ok" ]; then
  rm -rf --one-file-system "$cache/base" "$cache/base.new"
  say "debootstrap bookworm (minbase) from $mirror into $cache/base (once)"
  debootstrap --variant=minbase bookworm "$cache/base.new" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -n 20 "$cache/debootstrap.log"; say "debootstrap failed"; exit 1; }
  touch "$cache/base.new/.dnsfail-cold-ok"
  mv "$cache/base.new" "$cache/base"
fi

run=$(mktemp -d "$cache/run.XXXXXX")
root=$run/root
unmount_all() {
  awk -v r="$root" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/self/mounts | sort -r |
    while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
}
finish() {
  unmount_all
  if [ "$keep" = no ]; then rm -rf --one-file-system "$run"; else say "kept $run"; fi
}
trap finish EXIT

cp -a "$cache/base" "$root"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/src/dnsfail"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
   xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
   tar --null -T - -cf -) | tar -C "$root/src/dnsfail" -xf -

mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mount -t tmpfs tmpfs "$root/run"

in_root() { # a login-like environment with no locale, as on a new machine
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb CI=true \
    DNSFAIL_DEBIAN_MIRROR="$mirror" bash -c "cd /src/dnsfail && $1"
}

t0=$(date +%s)
set +e
in_root ".ci/setup" >"$run/setup.log" 2>&1
setup_rc=$?
t1=$(date +%s)
say "README's first command (.ci/setup): exit $setup_rc, $((t1 - t0)) s"
[ "$setup_rc" -eq 0 ] || { tail -n 40 "$run/setup.log"; keep=yes; exit 1; }
in_root ".ci/run" >"$run/run.log" 2>&1
run_rc=$?
t2=$(date +%s)
set -e
say "README's test command (.ci/run): exit $run_rc, $((t2 - t1)) s"
sed -n '/^dnsfail ci: phases/,$p' "$run/run.log"
[ "$run_rc" -eq 0 ] || { grep -E "Failed|\*\*\*|FAIL" "$run/run.log" | tail -n 40; keep=yes; }
say "logs: $run/setup.log $run/run.log$([ "$keep" = yes ] || echo ' (deleted with the run; --keep keeps them)')"
[ "$keep" = yes ] || { cp "$run/setup.log" "$cache/last-setup.log"; cp "$run/run.log" "$cache/last-run.log"; say "copies: $cache/last-setup.log $cache/last-run.log"; }
exit "$run_rc"
