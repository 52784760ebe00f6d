#!/usr/bin/env bash
# Copies the screenshots of the last gui_walkthrough, gui_io_graph and gui_resolver_chain runs in
# BUILD_DIR into docs/images/, the pictures of docs/user-guide.md, and the packet details from
# each other Wireshark version's walk-through (wireshark_X_Y_gui, when it ran) as
# wireshark-X.Y-packet-details.png, made small for the repository: metadata stripped
# (ImageMagick writes dates into PNGs, which would change the files on every run) and
# reduced to a 256-colour palette, which flat GUI screenshots survive without visible loss.
#
#   tests/gui/update_doc_screenshots.sh BUILD_DIR
#
# Run the tests first: ctest --test-dir BUILD_DIR -R 'gui_walkthrough|gui_io_graph|gui_resolver_chain|wireshark_.*_gui'
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$1
src=$build/tests/gui
top=$(cd "$(dirname "$0")/../.." && pwd)
dest=$top/docs/images
command -v convert >/dev/null || { echo "ImageMagick's convert is needed (apt-get install imagemagick)" >&2; exit 1; }

# Each as TEST_FOLDER/NAME under BUILD_DIR/tests/gui.
shots=(walkthrough/01-capture-opened walkthrough/02-filter-dnsfail walkthrough/03-packet-details
       walkthrough/04-expert-information walkthrough/05-dns-failures-statistics walkthrough/06-about-plugins
       io-graph/07-io-graph resolver-chain/08-resolver-chain resolver-chain/09-upstream-explains)
for shot in "${shots[@]}"; do
  [ -s "$src/$shot.png" ] || { echo "$src/$shot.png missing: run ctest --test-dir $build -R 'gui_walkthrough|gui_io_graph|gui_resolver_chain' first" >&2; exit 1; }
done

# The other versions' walk-throughs (BUILD/tests/gui/wireshark-X.Y/, from .ci/wireshark_root.sh gui)
copies=()
for shot in "${shots[@]}"; do copies+=("$shot:$(basename "$shot")"); done
for dir in "$src"/wireshark-*; do
  [ -s "$dir/03-packet-details.png" ] || continue
  copies+=("$(basename "$dir")/03-packet-details:$(basename "$dir")-packet-details")
done

mkdir -p "$dest"
total=0
for copy in "${copies[@]}"; do
  shot=${copy%%:*} name=${copy#*:}
  # -define png:exclude-chunks=date,time: no creation/modification times in the file.
  convert "$src/$shot.png" -strip -dither None -colors 256 \
    -define png:exclude-chunks=date,time -define png:compression-level=9 "PNG8:$dest/$name.png"
  size=$(stat -c %s "$dest/$name.png")
  total=$((total + size))
  printf '%-34s %7d bytes\n' "$name.png" "$size"
done
printf '%-32s %7d bytes in %s\n' total "$total" "$dest"
# The user guide should stay light to clone: a few hundred KB for all pictures.
[ "$total" -le 600000 ] || { echo "the screenshots take more than 600 KB: make them smaller" >&2; exit 1; }
