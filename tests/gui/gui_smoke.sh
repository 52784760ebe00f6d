#!/usr/bin/env bash
# wireshark-qt with the plugin, under Xvfb: start it on a capture with the given
# options (e.g. -Y dnsfail, or -z dnsfail,tree to open the DNS Failures statistics),
# check that a window whose title matches TITLE appears, that the program is still
# running after a while (a plugin can crash the GUI at start-up while tshark is fine),
# save a screenshot SHOT.png, and close it.
#
#   gui_smoke.sh RUNNER PLUGIN.so WS_MINOR CAPTURE OUTDIR SHOT TITLE [WIRESHARK OPTIONS...]
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3 capture=$4 out=$5 shot=$6 title=$7
shift 7

. "$(dirname "$0")/session.sh"
gui_require wireshark Xvfb xwininfo import
mkdir -p "$out"
gui_start_display "$out/$shot.xvfb.log"
gui_start_wireshark "$out/$shot.log" -r "$capture" "$@"

found=no
for _ in $(seq 60); do
  if xwininfo -root -tree 2>/dev/null | grep -q -- "$title"; then found=yes; break; fi
  kill -0 "$ws_runner" 2>/dev/null || break
  sleep 1
done
sleep 4
alive=no
kill -0 "$ws_runner" 2>/dev/null && alive=yes
import -window root "$out/$shot.png" 2>/dev/null || true
xwininfo -root -tree >"$out/$shot.windows.txt" 2>&1 || true

status=0
[ "$found" = yes ] || { echo "FAIL: no window titled with '$title' appeared"; cat "$out/$shot.windows.txt"; status=1; }
[ "$alive" = yes ] || { wait "$ws_runner" || echo "FAIL: wireshark exited with status $?"; status=1; }
if grep -Ei "couldn't load|undefined symbol|dnsfail.*(error|failed)|segmentation|assert" "$out/$shot.log"; then
  echo "FAIL: wireshark reported a problem with the plugin"; status=1
fi
if grep -q "is not a valid\|isn't a valid\|Invalid" "$out/$shot.windows.txt" 2>/dev/null; then
  echo "FAIL: an option was refused (plugin not loaded?)"; status=1
fi
[ "$alive" = yes ] && gui_stop_wireshark
[ $status -eq 0 ] && echo "wireshark-qt ran with the plugin ($*): '$title' shown; screenshot: $out/$shot.png"
exit $status
