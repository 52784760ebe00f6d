#!/usr/bin/env bash
# Runs tshark (or another Wireshark program) with the freshly built plugin and nothing else.
#
#   tshark_as_user.sh PLUGIN.so|none WS_MINOR PROGRAM [ARGS...]
#
# With "none", the program runs the same way without any plugin, for comparisons.
# Wireshark ignores personal plugin folders and WIRESHARK_PLUGIN_DIR when run as root,
# and CI runs as root; so as root the program runs as the unprivileged user 65534, with
# its own HOME. Files named in ARGS are copied where that user can read them. The plugin
# folder replaces the global one, so an installed dnsfail cannot be loaded twice.
set -euo pipefail

plugin=$1 ws_minor=$2 program=$3
shift 3

work=$(mktemp -d /tmp/dnsfail-run.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugins/$ws_minor/epan" "$work/home" "$work/files"
[ "$plugin" = none ] || cp "$plugin" "$work/plugins/$ws_minor/epan/"

args=()
for a in "$@"; do
  if [ -f "$a" ]; then
    cp "$a" "$work/files/"
    args+=("$work/files/$(basename "$a")")
  elif [ "${a#lua_script:}" != "$a" ] && [ -f "${a#lua_script:}" ]; then
    cp "${a#lua_script:}" "$work/files/"
    args+=("lua_script:$work/files/$(basename "${a#lua_script:}")")
  else
    args+=("$a")
  fi
done
# For the documentation's commands (unset otherwise): DNSFAIL_TEST_CONFIG_DIR is a personal
# configuration folder (what ~/.config/wireshark holds, disabled_protos for example),
# copied into the temporary HOME.
if [ -n "${DNSFAIL_TEST_CONFIG_DIR:-}" ]; then
  mkdir -p "$work/home/.config"
  cp -R "$DNSFAIL_TEST_CONFIG_DIR" "$work/home/.config/wireshark"
fi
# For the tests of profile/ (unset otherwise): DNSFAIL_TEST_PROFILE_DIR is a configuration
# profile folder, copied into the temporary HOME's personal profiles; its folder name is
# the profile's name (tshark -C NAME).
if [ -n "${DNSFAIL_TEST_PROFILE_DIR:-}" ]; then
  mkdir -p "$work/home/.config/wireshark/profiles"
  cp -R "$DNSFAIL_TEST_PROFILE_DIR" "$work/home/.config/wireshark/profiles/"
fi
chmod -R a+rX "$work"

env_vars=(HOME="$work/home" WIRESHARK_PLUGIN_DIR="$work/plugins" PATH=/usr/sbin:/usr/bin:/sbin:/bin
          LANG=C.UTF-8 TZ=UTC)
[ -n "${DISPLAY:-}" ] && env_vars+=(DISPLAY="$DISPLAY")
# A plugin built with AddressSanitizer needs its runtime loaded first (Debian's tshark has none).
if [ -n "${ASAN_TEST_PRELOAD:-}" ]; then
  # wmem's block allocators hide overreads from ASan: give every allocation its own malloc.
  env_vars+=(LD_PRELOAD="$ASAN_TEST_PRELOAD" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
             UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
             WIRESHARK_DEBUG_WMEM_OVERRIDE=simple G_SLICE=always-malloc)
fi
# For the plugin built with its test hook (build/test-hooks): the frame whose analysis throws.
[ -n "${DNSFAIL_TEST_THROW_FRAME:-}" ] && env_vars+=(DNSFAIL_TEST_THROW_FRAME="$DNSFAIL_TEST_THROW_FRAME")
[ -n "${XDG_RUNTIME_DIR_FOR_TEST:-}" ] && env_vars+=(XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR_FOR_TEST")
# For the benchmark only (bench.py --same-seeds): a library preloaded into the program.
[ -n "${DNSFAIL_BENCH_PRELOAD:-}" ] && [ -z "${ASAN_TEST_PRELOAD:-}" ] && env_vars+=(LD_PRELOAD="$DNSFAIL_BENCH_PRELOAD")
if [ "$(id -u)" -eq 0 ]; then
  chown -R 65534:65534 "$work/home"
  exec_prefix=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
  exec_prefix=()
fi
cd "$work"
"${exec_prefix[@]}" env -i "${env_vars[@]}" "$program" "${args[@]}"
