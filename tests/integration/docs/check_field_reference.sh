#!/usr/bin/env bash
# docs/field-reference.md is what docs/tools/gen_field_reference.py writes from tshark with
# the built plugin today: regenerated into the build folder, it must not differ.
#
#   check_field_reference.sh SOURCE_DIR OUT_DIR RUNNER PLUGIN WS_MINOR PYTHON
set -euo pipefail
src=$1 out=$2 runner=$3 plugin=$4 ws_minor=$5 python=$6
mkdir -p "$out"
# The generator imports tshark_fields, which lives in tests/helpers.
PYTHONPATH="$src/tests/helpers${PYTHONPATH:+:$PYTHONPATH}" "$python" "$src/docs/tools/gen_field_reference.py" --runner "$runner" --plugin "$plugin" --ws-minor "$ws_minor" \
  --source-dir "$src" --output "$out/field-reference.md"
if ! diff -u "$src/docs/field-reference.md" "$out/field-reference.md"; then
  echo "FAIL: docs/field-reference.md is stale; regenerate it: cmake --build BUILD --target field_reference"
  exit 1
fi
echo "docs/field-reference.md is current ($(grep -c '^| `dnsfail' "$out/field-reference.md") names)"
