# apt_install.sh - sourced by .ci/setup and .ci/test-deps.
#
#   apt_install LABEL PACKAGE...   installs the packages that are not installed yet (apt-get
#                                  update first, once), with sudo when not root; says which
apt_install() {
  local label=$1 p missing=() sudo_cmd=()
  shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "$label: installing ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}
