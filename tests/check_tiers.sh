#!/usr/bin/env bash
# The tiers hold as tests/tiers.cmake says: every registered test carries a tier label, quick
# is part of ci and ci of full, and no tier is empty; a ci tier's NAME.sample has its whole
# run NAME in the full tier, and each other version's ci tests their suite.
#
#   check_tiers.sh BUILD_DIR
set -euo pipefail
build=$1
names() { ctest --test-dir "$build" -N "$@" | sed -n 's/^ *Test *#[0-9]*: //p' | sort; }
all=$(names)
quick=$(names -L '^quick$') ci=$(names -L '^ci$') full=$(names -L '^full$')
status=0
for t in quick ci full; do
  n=$(printf '%s' "${!t}" | grep -c . || true)
  echo "$t: $n tests"
  [ "$n" -gt 0 ] || { echo "FAIL: the $t tier is empty"; status=1; }
done
missing=$(comm -23 <(echo "$all") <(echo "$full"))
[ -z "$missing" ] || { echo "FAIL: tests without the full label:"; echo "$missing"; status=1; }
out=$(comm -23 <(echo "$quick") <(echo "$ci"))
[ -z "$out" ] || { echo "FAIL: quick tests not in ci:"; echo "$out"; status=1; }
out=$(comm -23 <(echo "$ci") <(echo "$full"))
[ -z "$out" ] || { echo "FAIL: ci tests not in full:"; echo "$out"; status=1; }
for t in $(echo "$ci" | grep '\.sample$' || true); do
  echo "$full" | grep -qx -- "${t%.sample}" || { echo "FAIL: $t is in ci, its whole run ${t%.sample} not in full"; status=1; }
done
for t in $(echo "$ci" | grep -E '^wireshark_[0-9]+_[0-9]+_' || true); do
  suite=$(echo "$t" | sed -E 's/^(wireshark_[0-9]+_[0-9]+)_.*/\1_suite/')
  echo "$full" | grep -qx -- "$suite" || { echo "FAIL: $t is in ci, $suite not in full"; status=1; }
done
[ "$status" -ne 0 ] || echo "tiers nested: quick in ci in full, $(echo "$all" | grep -c .) tests in all"
exit "$status"
