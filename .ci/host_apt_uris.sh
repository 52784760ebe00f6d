# host_apt_uris.sh - sourced by .ci/debian13.sh and tests/packaging/deb_check.sh, which
# both make Debian roots from the archive the host's apt already uses.
#
#   host_apt_uris     prints every http(s)/ftp URI of the host's apt sources (deb822
#                     .sources files and one-line .list files), without trailing slashes
#
# mirror+file: and similar indirections are not followed: set DNSFAIL_DEBIAN_MIRROR then.
host_apt_uris() {
  { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | cut -d: -f2- | tr ' ' '\n'
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | sed 's/\[[^]]*\]//' | awk '{print $2}'
  } | sed 's:/*$::' | grep -E '^[a-z]+://' || true
}
