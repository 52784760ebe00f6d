# session.sh - sourced by the GUI tests: a private X display (Xvfb), a runtime folder the
# unprivileged user owns, wireshark-qt started through the test runner, and clean-up of
# all of it on exit.
#
#   gui_require TOOL...                    exit 77 (skipped) when a tool is missing
#   gui_start_display LOGFILE              sets DISPLAY to a new Xvfb, installs the clean-up
#   gui_start_wireshark LOGFILE ARGS...    runner plugin ws_minor wireshark ARGS; sets ws_runner
#   gui_stop_wireshark                     ends wireshark (TERM) and waits for its runner
#
# For the walk-through (gui_walkthrough.sh), which drives wireshark step by step:
#   gui_start_display LOGFILE [WxHxD]      the same, with another screen size
#   gui_wait_window REGEX [SECONDS]        prints the id of the visible window whose title
#                                          matches REGEX; fails on timeout or if wireshark exits
#   gui_wait_gone WINDOW [SECONDS]         waits until WINDOW is no longer shown
#   gui_wait_log FILE REGEX [SECONDS]      waits until a line of FILE matches REGEX
#   gui_focus WINDOW                       gives WINDOW the keyboard (there is no window manager)
#   gui_place WINDOW X Y W H               moves and resizes WINDOW, waits for it to be redrawn
#   gui_menu_open WINDOW ALT_KEY REGEX N   opens the menu ALT_KEY of WINDOW and chooses the item
#                                          1, 2, ... N up from its bottom until a window titled
#                                          REGEX appears; prints its id
#   gui_shot WINDOW FILE                   screenshot of one window (PNG)
#   fail MESSAGE                           prints it, the windows shown and the tail of $log; exit 1
#   step MESSAGE                           prints it with the time
#   alive_or_fail WHEN                     fails, with wireshark's exit status, unless it runs
#   gui_quit_or_fail WINDOW                Ctrl+Q in WINDOW; fails unless wireshark exits 0 in 30 s

# xwininfo and xdotool read window titles ("Wireshark · DNS Failures · ...") in the locale's
# charset: without a UTF-8 locale (a new machine has none set) xwininfo cannot convert them.
export LANG=C.UTF-8 LC_ALL=C.UTF-8

gui_require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (.ci/test-deps installs it)"; exit 77; }
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
  Xvfb "$DISPLAY" -screen 0 "${2:-1280x800x24}" -nolisten tcp >"$1" 2>&1 &
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

# Every wait below polls with a deadline rather than sleeping a fixed time: on a loaded
# 2-CPU machine wireshark-qt may take many seconds to draw a window, on an idle one less
# than one.
gui_alive() { [ -n "$ws_runner" ] && kill -0 "$ws_runner" 2>/dev/null; }

gui_wait_window() {
  local regex=$1 seconds=${2:-60} id deadline
  deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    id=$(xdotool search --onlyvisible --name "$regex" 2>/dev/null | head -n1 || true)
    [ -n "$id" ] && { echo "$id"; return 0; }
    gui_alive || return 1
    sleep 0.5
  done
  return 1
}

gui_wait_gone() {
  local window=$1 seconds=${2:-20} deadline
  deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    xdotool search --onlyvisible --name . 2>/dev/null | grep -qx "$window" || return 0
    sleep 0.3
  done
  return 1
}

gui_wait_log() {
  local file=$1 regex=$2 seconds=${3:-30} deadline
  deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    grep -Eq -- "$regex" "$file" 2>/dev/null && return 0
    gui_alive || return 1
    sleep 0.3
  done
  return 1
}

# Without a window manager xdotool cannot "activate" a window (_NET_ACTIVE_WINDOW): it
# sets the X input focus instead, which Qt accepts as activation.
gui_focus() {
  xdotool windowfocus --sync "$1" 2>/dev/null || xdotool windowfocus "$1"
  sleep 0.3
}

# A window partly off the screen is captured only in part, so place it first. Qt lays the
# window out again after the resize; the geometry is polled, then one more moment given.
gui_place() {
  local window=$1 x=$2 y=$3 w=$4 h=$5 deadline
  xdotool windowmove "$window" "$x" "$y" windowsize "$window" "$w" "$h" 2>/dev/null || true
  deadline=$((SECONDS + 10))
  while [ $SECONDS -lt $deadline ]; do
    xwininfo -id "$window" 2>/dev/null | grep -q "Width: $w\$" && break
    sleep 0.3
  done
  sleep 1
}

# The main window is placed at 1240x990: the splitter under the packet list sits halfway
# between the filter bar (its bottom at about 92 px) and the status bar. Dragging it up to
# y gives the details pane the room; if the drag misses, only the picture suffers.
gui_raise_details() {
  local window=$1 y=$2 split=$(( (92 + 990 - 24) / 2 + 1 ))
  xdotool mousemove --window "$window" 600 "$split" mousedown 1 mousemove --window "$window" 600 "$y" mouseup 1
  sleep 1
}

# The keyboard to the packet details: Ctrl+/ puts it in the filter bar, Tab leads to the
# packet list, Tab again to the details.
gui_focus_details() {
  gui_focus "$1"
  xdotool key --clearmodifiers ctrl+slash
  sleep 0.5
  xdotool key Tab
  sleep 0.5
  xdotool key Tab
  sleep 0.5
}

# Menus are walked from the bottom up because the items a plugin adds (Statistics) and the
# last items of Analyze and Help are at the bottom, and their distance from the top changes
# with what else is installed. An item that opens something else is closed with Escape.
gui_menu_open() {
  local window=$1 key=$2 regex=$3 max=$4 ups id
  for ups in $(seq "$max"); do
    gui_focus "$window"
    xdotool key --clearmodifiers "alt+$key"
    sleep 0.7
    for _ in $(seq "$ups"); do xdotool key Up; sleep 0.1; done
    xdotool key Return
    if id=$(gui_wait_window "$regex" 8); then echo "$id"; return 0; fi
    gui_alive || return 1
    xdotool key Escape; sleep 0.3; xdotool key Escape; sleep 0.3
    for id in $(xdotool search --onlyvisible --name "^Wireshark · " 2>/dev/null); do
      xdotool key --window "$id" Escape 2>/dev/null || true
    done
  done
  return 1
}

gui_shot() {
  import -window "$1" "$2" 2>/dev/null || { echo "FAIL: no screenshot of window $1"; return 1; }
}

# The scripts' reporting: $log is the script's wireshark log, set before the first call.
fail() {
  echo "FAIL: $*"
  xwininfo -root -tree 2>/dev/null | grep '"' || true
  tail -n 40 "$log" 2>/dev/null || true
  exit 1
}
step() { echo "[$(date +%T)] $*"; }
alive_or_fail() {
  gui_alive && return 0
  local status=0
  wait "$ws_runner" || status=$?
  ws_runner=""
  fail "wireshark exited (status $status) $*"
}
gui_quit_or_fail() {
  gui_focus "$1"
  xdotool key --clearmodifiers ctrl+q
  local status=timeout
  for _ in $(seq 60); do
    if ! kill -0 "$ws_runner" 2>/dev/null; then
      status=0
      wait "$ws_runner" || status=$?
      ws_runner=""
      break
    fi
    sleep 0.5
  done
  [ "$status" = 0 ] || fail "wireshark did not exit cleanly after Ctrl+Q (status: $status)"
}
