#!/usr/bin/env bash
# The dnsfail profile's I/O graph in wireshark-qt under Xvfb: the capture opened with the
# profile and Statistics > I/O Graphs (-z io,stat), a screenshot of the dialog
# (07-io-graph.png, shown in docs/user-guide.md; update_doc_screenshots.sh copies it).
#
# What is checked from outside: the dialog appears and no other window does; the failures
# graph is drawn with data: its red (#D62728) covers far more of the picture than the
# colour swatch in the graph table, which is all there is when no frame matches
# dnsfail.failed (and there is none when Wireshark could not read the profile's io_graphs:
# it falls back to its default graphs without a word); likewise the blue of the queries'
# line; wireshark survives and logs no plugin problem.
#
#   gui_io_graph.sh RUNNER PLUGIN.so WS_MINOR CAPTURE PROFILE_DIR OUTDIR
set -euo pipefail
runner=$1 plugin=$2 ws_minor=$3 capture=$4 profile=$5 out=$6
. "$(dirname "$0")/session.sh"
gui_require wireshark Xvfb xwininfo xdotool import convert
mkdir -p "$out"
rm -f "$out"/*.png
log=$out/wireshark.log
name=$(basename "$capture")
shot=$out/07-io-graph.png

export DNSFAIL_TEST_PROFILE_DIR=$profile
gui_start_display "$out/xvfb.log" 1280x800x24
gui_start_wireshark "$log" -C dnsfail -r "$capture" -z io,stat,1
dialog=$(gui_wait_window "^Wireshark · I/O Graphs · ${name//./\\.}\$" 90) || fail "the I/O Graphs dialog did not appear"
gui_place "$dialog" 0 0 1000 620
sleep 3   # the graph is drawn once the file is read and retapped
gui_alive || fail "wireshark exited with the I/O graph open"
gui_shot "$dialog" "$shot"
others=$(xwininfo -root -tree | grep -E '^ +0x[0-9a-f]+ "' | grep -vE '"(Wireshark|Qt Selection Owner for wireshark|'"${name//./\\.}"'|Wireshark · I/O Graphs · '"${name//./\\.}"')":' || true)
[ -z "$others" ] || fail "another window opened (a profile file refused?): $others"

# Pixels of one colour, within FUZZ of it: the bars are flat, the line is antialiased.
pixels() {
  convert "$shot" -alpha off -fuzz "$2" -fill black +opaque "$1" -fill white -opaque "$1" \
    -format '%[fx:round(mean*w*h)]' info:
}
red=$(pixels '#D62728' 0)
blue=$(pixels '#1F77B4' 15%)
echo "red (failures) pixels: $red; blue (queries) pixels: $blue"
[ "$red" -gt 2000 ] || fail "the failures graph shows no bars ($red red pixels): dnsfail.failed matched nothing?"
[ "$blue" -gt 1000 ] || fail "the queries graph is not drawn ($blue blue pixels)"
if grep -Ei "couldn't load|undefined symbol|dnsfail.*(error|failed)|segmentation|assert" "$log"; then
  fail "wireshark reported a problem with the plugin"
fi
gui_stop_wireshark
echo "I/O graph of the dnsfail profile drawn on $name; screenshot: $shot"
