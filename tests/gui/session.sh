# session.sh - sourced by the GUI tests: a private X display (Xvfb), a runtime folder the
# unprivileged user owns, wireshark-qt started through the test runner, and clean-up of
# all of it on exit.
#
#   gui_require TOOL...                    exit 77 (skipped) when a tool is missing
#   gui_start_display LOGFILE              sets DISPLAY to a new Xvfb, installs the clean-up
#   gui_start_wireshark LOGFILE ARGS...    runner plugin ws_minor wireshark ARGS; sets ws_runner
#   gui_stop_wireshark                     ends wireshark (TERM) and waits for its runner

gui_require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (.ci/setup installs it)"; exit 77; }
  done
}

ws_runner=""
gui_stop_wireshark() {
  [ -n "$ws_runner" ] || return 0
  kill -TERM "$(pgrep -P "$ws_runner" | head -n1)" 2>/dev/null || true
  kill "$ws_runner" 2>/dev/null || true
  wait "$ws_runner" 2>/dev/null || true
  ws_runner=""
}

gui_cleanup() {
  gui_stop_wireshark
  kill "$gui_xvfb" 2>/dev/null || true
  rm -rf "$gui_runtime"
}

gui_start_display() {
  export DISPLAY=":$((90 + RANDOM % 400))"
  Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >"$1" 2>&1 &
  gui_xvfb=$!
  gui_runtime=$(mktemp -d /tmp/dnsfail-xdg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown 65534:65534 "$gui_runtime"
  chmod 700 "$gui_runtime"
  trap gui_cleanup EXIT
  for _ in $(seq 50); do xwininfo -root >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "FAIL: Xvfb did not start on $DISPLAY"; cat "$1"; exit 1
}

# Uses $runner, $plugin and $ws_minor from the calling script.
gui_start_wireshark() {
  local log=$1
  shift
  XDG_RUNTIME_DIR_FOR_TEST=$gui_runtime "$runner" "$plugin" "$ws_minor" wireshark "$@" >"$log" 2>&1 &
  ws_runner=$!
}
