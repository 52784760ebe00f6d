#!/usr/bin/env bash
# The analyst's walk through an incident in wireshark-qt with the plugin, under Xvfb, driven
# with xdotool as a person would drive it, with a screenshot of each step (docs/user-guide.md
# shows them; update_doc_screenshots.sh copies them into docs/images/):
#
#   1. open the capture                                  01-capture-opened.png
#   2. type the display filter dnsfail, press Enter       02-filter-dnsfail.png
#   3. expand DNS Failure Analysis of the first frame     03-packet-details.png
#   4. File > Export Specified Packets (displayed) to a file: 3 port unreachables
#   5. Analyze > Expert Information                       04-expert-information.png
#   6. Statistics > DNS Failures                          05-dns-failures-statistics.png
#   7. Help > About Wireshark > Plugins                   06-about-plugins.png
#   8. Ctrl+Q: wireshark exits with status 0
#
# What is checked from outside: each window appears with its title; the GUI compiled and
# applied the typed filter (wireshark's own DFilter log: a filter naming a field the
# plugin did not register would fail to compile and never be applied; 4.0's log also names
# where each compilation came from); the packets it then
# displays are the three port unreachables (exported from the GUI, read back with tshark);
# wireshark is still running after every step; nothing in its log names a plugin problem;
# the exit status. The status bar's "Displayed: 3 (27.3%)" and the plugin's row in
# About > Plugins are only in the screenshots: Qt draws them as pixels, and no tool
# installed here reads them back.
#
#   gui_walkthrough.sh RUNNER PLUGIN.so WS_MINOR CAPTURE OUTDIR
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3 capture=$4 out=$5
. "$(dirname "$0")/session.sh"
gui_require wireshark Xvfb xwininfo xdotool import
mkdir -p "$out"
rm -f "$out"/*.png
log=$out/wireshark.log
name=$(basename "$capture")

# close_dialog WINDOW WHAT: wireshark survived with the dialog open; Escape closes it.
close_dialog() {
  alive_or_fail "with $2 open"
  gui_focus "$1"
  xdotool key Escape
  gui_wait_gone "$1" || fail "$2 did not close"
}

# A taller screen than the smoke tests' so the packet details show the whole dnsfail tree.
gui_start_display "$out/xvfb.log" 1280x1024x24
# --log-debug DFilter: wireshark logs each display filter it compiles, and from where
# (checkDisplayFilter() while typing, cf_filter_packets() when applying). The layout
# options put the packet details under the list, full width, without the bytes pane,
# so the screenshots are readable; the defaults are otherwise untouched.
gui_start_wireshark "$log" --log-debug DFilter -o gui.layout_type:1 -o gui.layout_content_3:NONE \
  -r "$capture"

step "1. open $name"
main=$(gui_wait_window "^${name//./\\.}\$" 90) || { alive_or_fail "at start-up"; fail "the main window did not appear"; }
gui_place "$main" 0 0 1240 990
# The packet list needs only its 11 rows: the details pane gets the room.
gui_raise_details "$main" 320
gui_shot "$main" "$out/01-capture-opened.png"
alive_or_fail "after opening the capture"

step "2. type the display filter dnsfail and press Enter"
gui_focus "$main"
xdotool key --clearmodifiers ctrl+slash   # "Apply a display filter ... <Ctrl-/>"
sleep 0.5
xdotool type --delay 60 dnsfail
# The filter bar turns green only for a filter that compiles: wait for that check first.
# Every version logs each successful compilation ("Compiled display filter: dnsfail");
# Wireshark 4.0 also names the caller, checkDisplayFilter() while typing and
# cf_filter_packets() when applying. Later versions do not, so the filter applied is the
# next compilation of dnsfail after the check (and step 4 counts the packets it shows).
compiled() { grep -c 'Compiled display filter: dnsfail$' "$log" || true; }
gui_wait_log "$log" 'Compiled display filter: dnsfail$' 20 \
  || fail "wireshark did not check the typed filter 'dnsfail'"
checked=$(compiled)
xdotool key Return
deadline=$((SECONDS + 30))
while [ "$(compiled)" -le "$checked" ] && [ $SECONDS -lt $deadline ]; do alive_or_fail "while applying"; sleep 0.3; done
[ "$(compiled)" -gt "$checked" ] || fail "Enter did not apply the filter 'dnsfail'"
if grep -q 'compiling filter: dnsfail$' "$log"; then   # 4.0: the callers, in order
  grep -q 'called from checkDisplayFilter(), compiling filter: dnsfail$' "$log" \
    || fail "wireshark did not check the typed filter 'dnsfail'"
  grep -A1 -E 'called from cf_filter_packets\(\), compiling filter: dnsfail$' "$log" \
    | grep -q 'Compiled display filter: dnsfail$' || fail "the GUI could not compile the filter 'dnsfail'"
fi
if grep -Eq 'Compiling filter failed with error: dnsfail |error compiling filter: dnsfail' "$log"; then
  fail "the field dnsfail is unknown to the GUI (plugin not loaded)"
fi
sleep 1.5
gui_shot "$main" "$out/02-filter-dnsfail.png"
alive_or_fail "after filtering"

step "3. first failure: expand DNS Failure Analysis in the packet details"
# Tab leaves the filter bar for the packet list; Home selects its first row (frame 6);
# Tab again goes on to the packet details, where End selects the last top-level item,
# DNS Failure Analysis (dnsfail adds its tree after the layers it analyses), and
# Shift+Right expands it with its subtrees.
xdotool key Tab
sleep 0.3
xdotool key Home
sleep 1.5
xdotool key Tab
sleep 0.5
xdotool key End
sleep 0.5
xdotool key shift+Right
sleep 1.5
gui_shot "$main" "$out/03-packet-details.png"
alive_or_fail "after expanding the packet details"

step "4. File > Export Specified Packets: the displayed packets, to count them"
# The status bar's "Displayed: 3" cannot be read from outside; the packets the GUI displays
# can: this dialog exports them (Packet Range: All packets, Displayed, by default). The
# menu's seventh item down (Save is disabled for an unchanged file and skipped); a wrong
# count opens another window and fails on its title, and never reaches Close or Quit.
gui_focus "$main"
xdotool key --clearmodifiers alt+f
sleep 0.7
for _ in $(seq 7); do xdotool key Down; sleep 0.1; done
xdotool key Return
export_dialog=$(gui_wait_window '^Wireshark · Export Specified Packets$' 20) \
  || { alive_or_fail "while opening Export Specified Packets"; fail "File > Export Specified Packets did not open"; }
gui_place "$export_dialog" 20 40 700 580
gui_shot "$export_dialog" "$out/export-specified-packets.png"
exported=$gui_runtime/displayed.pcapng   # the unprivileged user wireshark runs as owns it
gui_focus "$export_dialog"
xdotool type --delay 20 "$exported"
xdotool key Return
gui_wait_gone "$export_dialog" 20 || fail "Export Specified Packets did not close"
for _ in $(seq 40); do [ -s "$exported" ] && break; sleep 0.3; done
[ -s "$exported" ] || fail "the displayed packets were not exported to $exported"
sleep 1   # the file is complete once wireshark closes it; it is small
cp "$exported" "$out/displayed.pcapng"
"$runner" none "$ws_minor" tshark -r "$out/displayed.pcapng" -T fields -E occurrence=f -e ip.src -e icmp.type -e icmp.code \
  >"$out/displayed.txt" 2>&1 || fail "tshark could not read the exported packets: $(cat "$out/displayed.txt")"
# The three ICMP port unreachables from the server, and nothing else.
if [ "$(sort -u "$out/displayed.txt")" != "$(printf '203.0.113.2\t3\t3')" ] || [ "$(wc -l <"$out/displayed.txt")" -ne 3 ]; then
  fail "the GUI displayed other packets than the 3 port unreachables: $(cat "$out/displayed.txt")"
fi
alive_or_fail "after exporting"

step "5. Analyze > Expert Information"
expert=$(gui_menu_open "$main" a "^Wireshark · Expert Information · ${name//./\\.}\$" 4) \
  || { alive_or_fail "while opening Expert Information"; fail "Analyze > Expert Information did not open"; }
gui_place "$expert" 20 40 1200 320
# Expand the first group (with the filter applied the dialog is limited to the displayed
# packets: the warnings on the ICMP errors); the tree has the keyboard once the dialog does.
gui_focus "$expert"
xdotool key Home shift+Right
sleep 1
gui_shot "$expert" "$out/04-expert-information.png"
close_dialog "$expert" "Expert Information"

step "6. Statistics > DNS Failures"
stats=$(gui_menu_open "$main" s "^Wireshark · DNS Failures · ${name//./\\.}\$" 6) \
  || { alive_or_fail "while opening DNS Failures"; fail "Statistics > DNS Failures did not open"; }
gui_place "$stats" 20 40 900 640
gui_shot "$stats" "$out/05-dns-failures-statistics.png"
close_dialog "$stats" "DNS Failures"

step "7. Help > About Wireshark > Plugins"
about=$(gui_menu_open "$main" h '^About Wireshark$' 3) \
  || { alive_or_fail "while opening About"; fail "Help > About Wireshark did not open"; }
gui_place "$about" 20 40 760 420
gui_focus "$about"
# Wireshark, Authors, Folders, Plugins: the fourth tab.
for _ in 1 2 3; do xdotool key ctrl+Tab; sleep 0.3; done
sleep 1
gui_shot "$about" "$out/06-about-plugins.png"
close_dialog "$about" "About Wireshark"

step "8. Ctrl+Q"
gui_quit_or_fail "$main"

if grep -Ei "couldn't load|undefined symbol|dnsfail.*(error|failed)|segmentation|assert" "$log" \
   | grep -v 'DFilter'; then
  fail "wireshark reported a problem with the plugin"
fi
for shot in 01-capture-opened 02-filter-dnsfail 03-packet-details 04-expert-information \
            05-dns-failures-statistics 06-about-plugins; do
  [ -s "$out/$shot.png" ] || fail "screenshot $shot.png missing"
done
echo "walk-through done, wireshark exited with status 0; screenshots in $out"
