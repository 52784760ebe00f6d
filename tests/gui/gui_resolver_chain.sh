#!/usr/bin/env bash
# A resolver's chain in wireshark-qt under Xvfb: the client-facing SERVFAIL names its
# upstream cause as a link, and following the link lands on the upstream failure.
#
#   1. open the capture filtered with dnsfail, on the client's SERVFAIL (-g FRAME)
#   2. expand DNS Failure Analysis, select its first "Caused by upstream failure in"
#      item                                               08-resolver-chain.png
#   3. Go > Go to Linked Packet
#   4. File > Export Specified Packets, Selected packets only: the packet the GUI moved to
#      is the upstream failure (read back with tshark)
#   5. there, select "Explains failure in: FRAME"         09-upstream-explains.png
#      Go to Linked Packet, export: FRAME again
#   6. Ctrl+Q: wireshark exits with status 0
#
# The row of the cause_in item is counted in tshark's text of the same tree (-V: every
# subtree open, as Shift+Right opens them), so a field added above it moves the count,
# not the test. A wrong row leaves Go to Linked Packet disabled or follows another link:
# the exported packet is then not the expected one and the test fails.
#
#   gui_resolver_chain.sh RUNNER PLUGIN.so WS_MINOR CAPTURE FRAME OUTDIR
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3 capture=$4 frame=$5 out=$6
. "$(dirname "$0")/session.sh"
gui_require wireshark Xvfb xwininfo xdotool import
mkdir -p "$out"
rm -f "$out"/*.png
log=$out/wireshark.log
name=$(basename "$capture")

tshark_fields() { "$runner" "$plugin" "$ws_minor" tshark -2 -r "$capture" "$@" 2>/dev/null; }

# What the GUI should show and where the link should lead, from tshark.
cause=$(tshark_fields -Y "frame.number == $frame" -T fields -E occurrence=f -e dnsfail.cause_in)
[ -n "$cause" ] || fail "frame $frame of $name has no dnsfail.cause_in: not a linked failure"
explains=$(tshark_fields -Y "frame.number == $cause" -T fields -e dnsfail.explains_in)
[[ ",$explains," == *",$frame,"* ]] || fail "frame $cause does not point back to $frame (explains_in: $explains)"
rows=$(tshark_fields -Y "frame.number == $frame" -V -O dnsfail \
  | awk -v f="$cause" '/^DNS Failure Analysis/ { top = NR }
                       top && index($0, "Caused by upstream failure in: " f " ") { print NR - top; exit }')
[ -n "$rows" ] || fail "no 'Caused by upstream failure in: $cause' item under DNS Failure Analysis of frame $frame"
stamp() { tshark_fields -Y "frame.number == $1" -T fields -e frame.time_epoch; }
cause_time=$(stamp "$cause")
back_rows=$(tshark_fields -Y "frame.number == $cause" -V -O dnsfail \
  | awk -v f="$frame" 'index($0, "Explains failure in: " f) { print NR - 1; exit }')
[ -n "$back_rows" ] || fail "no 'Explains failure in: $frame' item in frame $cause"
echo "frame $frame: cause_in $cause (row $rows under DNS Failure Analysis); frame $cause explains_in $explains"

gui_start_display "$out/xvfb.log" 1280x1024x24
# Details under the list, full width, no bytes pane (as gui_walkthrough.sh).
gui_start_wireshark "$log" -o gui.layout_type:1 -o gui.layout_content_3:NONE \
  -r "$capture" -Y dnsfail -g "$frame"

step "1. open $name filtered with dnsfail, on frame $frame"
main=$(gui_wait_window "^${name//./\\.}\$" 90) || { alive_or_fail "at start-up"; fail "the main window did not appear"; }
gui_place "$main" 0 0 1240 990
# The filtered list has about 15 rows: the details pane gets room for the whole dnsfail tree.
gui_raise_details "$main" 250
alive_or_fail "after opening the capture"

step "2. expand DNS Failure Analysis, select the cause_in item (row $rows)"
# In the details (frame $frame selected by -g), End selects the last top-level item, DNS
# Failure Analysis; Shift+Right opens it with its subtrees.
gui_focus_details "$main"
xdotool key End
sleep 0.5
xdotool key shift+Right
sleep 1
for _ in $(seq "$rows"); do xdotool key Down; sleep 0.05; done
sleep 1.5
gui_shot "$main" "$out/08-resolver-chain.png"
alive_or_fail "after selecting the cause"

# "Go to &Linked Packet" in the Go menu: enabled only when the selected field is a frame link.
follow_link() {
  gui_focus "$main"
  xdotool key --clearmodifiers alt+g
  sleep 0.7
  xdotool key l
  sleep 2
  alive_or_fail "after following the link"
}

# export_selected TAG FRAME TIME: File > Export Specified Packets with "Selected packets
# only"; the one packet written must be FRAME (its time stamp, from tshark).
export_selected() {
  local tag=$1 want=$2 want_time=$3 dialog exported
  gui_focus "$main"
  xdotool key --clearmodifiers alt+f
  sleep 0.7
  for _ in $(seq 7); do xdotool key Down; sleep 0.1; done
  xdotool key Return
  dialog=$(gui_wait_window '^Wireshark · Export Specified Packets$' 20) \
    || { alive_or_fail "while opening Export Specified Packets"; fail "File > Export Specified Packets did not open"; }
  gui_place "$dialog" 20 40 700 580
  gui_focus "$dialog"
  exported=$gui_runtime/$tag.pcapng   # the unprivileged user wireshark runs as owns it
  xdotool type --delay 20 "$exported"
  # "&Selected packets only" shares its mnemonic with "&Save": Alt+S only gives it the
  # keyboard, Space checks it. Had Save taken it, every displayed packet would be written.
  xdotool key --clearmodifiers alt+s
  sleep 0.3
  xdotool key space
  sleep 0.5
  gui_shot "$dialog" "$out/export-$tag.png"
  xdotool key Return
  gui_wait_gone "$dialog" 20 || fail "Export Specified Packets did not close"
  for _ in $(seq 40); do [ -s "$exported" ] && break; sleep 0.3; done
  [ -s "$exported" ] || fail "the selected packet was not exported to $exported"
  sleep 1
  cp "$exported" "$out/$tag.pcapng"
  "$runner" none "$ws_minor" tshark -r "$out/$tag.pcapng" -T fields -e frame.time_epoch \
    >"$out/$tag.txt" 2>&1 || fail "tshark could not read the exported packet: $(cat "$out/$tag.txt")"
  [ "$(wc -l <"$out/$tag.txt")" -eq 1 ] || fail "not one packet exported: $(cat "$out/$tag.txt")"
  [ "$(cat "$out/$tag.txt")" = "$want_time" ] \
    || fail "the GUI is not on frame $want (time $want_time) after following the link: exported $(cat "$out/$tag.txt")"
  alive_or_fail "after exporting"
}

step "3. Go > Go to Linked Packet: frame $cause"
follow_link

step "4. File > Export Specified Packets, Selected packets only: frame $cause"
export_selected cause "$cause" "$cause_time"

step "5. the back-link: select Explains failure in: $frame (row $back_rows), Go to Linked Packet"
# Home selects the first row (Frame); DNS Failure Analysis keeps its subtrees open from
# step 2, so the rows below are those of tshark's text.
gui_focus_details "$main"
xdotool key Home
sleep 0.5
for _ in $(seq "$back_rows"); do xdotool key Down; sleep 0.05; done
sleep 1
gui_shot "$main" "$out/09-upstream-explains.png"
follow_link
export_selected back "$frame" "$(stamp "$frame")"

step "6. Ctrl+Q"
gui_quit_or_fail "$main"
if grep -Ei "couldn't load|undefined symbol|dnsfail.*(error|failed)|segmentation|assert" "$log"; then
  fail "wireshark reported a problem with the plugin"
fi
for shot in 08-resolver-chain 09-upstream-explains; do
  [ -s "$out/$shot.png" ] || fail "screenshot $shot.png missing"
done
echo "the link of frame $frame led the GUI to frame $cause; screenshots in $out"
