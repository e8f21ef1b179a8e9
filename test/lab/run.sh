#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run every test/lab/test_*.sh against one build and add up their checks.
# Each test prints "N passed, M failed" as its last line; a test that
# prints no such line, or exits non-zero with no failure counted, counts as
# one failure. Prints the total as its own last line and exits non-zero
# when anything failed. Used by `make test-lab` and test/run-all.sh.
#
# usage: test/lab/run.sh [BUILD] [LABEL]     (root)
#   LAB_TESTS="foundation pmds"   run only these (default: all)
#   LAB_TEST_TIMEOUT=600          seconds allowed per test script
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-build}
LABEL=${2:-lab}
passed=0 failed=0

if [ -n "${LAB_TESTS:-}" ]; then
	tests=()
	for t in $LAB_TESTS; do tests+=("$HERE/test_$t.sh"); done
else
	tests=("$HERE"/test_*.sh)
fi

for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	log=$(mktemp "/tmp/dplb-$name.XXXXXX")
	echo "=== [$LABEL] $name ($BUILD)"
	start=$SECONDS
	# The test's own TERM trap tears its lab down if the timeout fires.
	timeout -k 30 "${LAB_TEST_TIMEOUT:-600}" bash "$t" "$BUILD" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	rm -f "$log"
	if [ -z "$last" ]; then
		echo "FAIL: $name printed no summary (exit $rc)"
		failed=$((failed + 1))
	else
		read -r p _ f _ <<<"$last"
		passed=$((passed + p)) failed=$((failed + f))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "FAIL: $name exited $rc with no failed check"
			failed=$((failed + 1))
		fi
	fi
	echo "=== [$LABEL] $name: ${last:-no summary}, $((SECONDS - start)) s"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
