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
#   LAB_KEEP=1                    keep each lab's files (/tmp/dplb-lab-*)
#   LAB_PCAP=DIR                  every frame through the switch, one pcap
#                                 a test in DIR (lib.sh lab_switch_pcap)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-build}
LABEL=${2:-lab}
passed=0 failed=0
log="" child=""

# On INT/TERM, pass TERM on to the running test (its trap tears its lab
# down), wait for it, then stop.
on_signal() {
	[ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child"
	rm -f "$log"
	exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

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
	# Its output goes to the log and, through tail, to our output.
	timeout -k 30 "${LAB_TEST_TIMEOUT:-600}" bash "$t" "$BUILD" >"$log" 2>&1 &
	child=$!
	tail -s 0.2 -n +1 -f --pid="$child" "$log" &
	wait "$child"
	rc=$?
	wait	# for tail to print the rest
	child=""
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
