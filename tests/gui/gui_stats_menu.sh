#!/usr/bin/env bash
# The GUI's Statistics menu has "DNS Failures", and choosing it opens the stats tree on
# the capture without crashing wireshark-qt. Driven like a person would: xdotool opens
# the menu with Alt+S and walks up from the bottom, where plugin trees are listed.
#
#   gui_stats_menu.sh RUNNER PLUGIN.so WS_MINOR CAPTURE OUTDIR
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3 capture=$4 out=$5
. "$(dirname "$0")/session.sh"
gui_require wireshark Xvfb xwininfo xdotool import
mkdir -p "$out"
gui_start_display "$out/menu.xvfb.log"
gui_start_wireshark "$out/menu.log" -r "$capture"
name=$(basename "$capture" .pcapng)
main=""
for _ in $(seq 60); do
  main=$(xdotool search --name "^$name" 2>/dev/null | head -n1 || true)
  [ -n "$main" ] && break
  kill -0 "$ws_runner" 2>/dev/null || { echo "FAIL: wireshark exited at start-up"; cat "$out/menu.log"; exit 1; }
  sleep 1
done
[ -n "$main" ] || { echo "FAIL: the main window did not appear"; exit 1; }
sleep 2

stats_window() { xwininfo -root -tree 2>/dev/null | grep -o '"Wireshark · DNS Failures · [^"]*"' | head -n1 || true; }
opened=""
for ups in 1 2 3 4 5 6; do
  xdotool windowactivate --sync "$main" 2>/dev/null || xdotool windowfocus "$main"
  xdotool key --clearmodifiers alt+s
  sleep 0.7
  for _ in $(seq "$ups"); do xdotool key Up; sleep 0.1; done
  xdotool key Return
  for _ in $(seq 12); do   # a loaded machine may take a while to draw the dialog
    sleep 0.5
    opened=$(stats_window)
    [ -n "$opened" ] && break
  done
  [ -n "$opened" ] && break
  # Something else opened (another dialog or a submenu): close it and try one item higher.
  xdotool key Escape; sleep 0.3; xdotool key Escape; sleep 0.3
  for w in $(xdotool search --name "^Wireshark · " 2>/dev/null); do xdotool key --window "$w" Escape 2>/dev/null || true; done
  kill -0 "$ws_runner" 2>/dev/null || break
done
sleep 2
import -window root "$out/dns-failures-statistics.png" 2>/dev/null || true
if ! kill -0 "$ws_runner" 2>/dev/null; then
  wait "$ws_runner" || echo "FAIL: wireshark exited with status $?"
  cat "$out/menu.log"
  exit 1
fi
[ -n "$opened" ] || { echo "FAIL: no 'DNS Failures' window from the Statistics menu"; xwininfo -root -tree | grep '"'; exit 1; }
echo "Statistics > DNS Failures opened $opened; screenshot: $out/dns-failures-statistics.png"
