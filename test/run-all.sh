#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Every test of dplb, as `make test` and CI run them:
#   1. the CUnit unit tests of the plain build and of the sanitizer build
#      (ASan+UBSan: a sanitizer report fails the run);
#   2. the network-namespace lab (test/lab/test_*.sh) against the plain
#      build, then against the sanitizer build's dplb (set LAB_SAN=0 to
#      skip that second pass).
# Each unit-test binary counts as one check. The last line is the total,
# "N passed, M failed"; the exit status is non-zero when anything failed.
#
# usage: test/run-all.sh BUILD SANBUILD      (root, for the lab)
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-build}" 2>/dev/null && pwd) || BUILD=${1:-build}
SAN=$(cd "${2:-build-san}" 2>/dev/null && pwd) || SAN=${2:-build-san}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-300}
passed=0 failed=0
lines=()			# one result line per stage, repeated at the end
tmp=$(mktemp -d /tmp/dplb-run-all.XXXXXX)
child=""
trap 'rm -rf "$tmp"' EXIT
# On INT/TERM, pass TERM on to what runs now (test/lab/run.sh passes it on
# to the test, whose trap tears its lab down), wait for it, then stop.
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child"; exit 130' INT
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child"; exit 143' TERM

# Leak checking stays on. Plain EAL init/cleanup (what the unit runner
# does: --no-huge, one mempool) leaks nothing under LSan with DPDK 22.11;
# the only third-party leak seen (libxdp, AF_XDP PMD) is suppressed by name.
export LSAN_OPTIONS="suppressions=$REPO/test/lab/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

result() {	# PASS|FAIL TEXT
	if [ "$1" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	echo "$1: $2"
	lines+=("$1: $2")
}

# unit LABEL BINARY: run one unit-test binary, bounded in time.
unit() {
	local label=$1 bin=$2 log pid rc i
	echo "=== unit tests [$label]: $bin"
	if [ ! -x "$bin" ]; then
		result FAIL "unit tests [$label]: $bin not built (is libcunit1-dev there? did ninja fail?)"
		return
	fi
	log="$tmp/unit-$label.log"
	"$bin" >"$log" 2>&1 </dev/null &
	pid=$! child=$!
	for ((i = 0; i < UNIT_TIMEOUT * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	wait "$pid"
	rc=$?
	child=""
	# the runner's EAL uses --file-prefix dplb-unit-PID: remove what it left
	rm -rf "/var/run/dpdk/dplb-unit-$pid"
	# the CUnit summary table, failed assertions and sanitizer reports
	sed -n '/Run Summary/,$p' "$log"
	grep -E -A15 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log" | head -n 40
	grep -E 'FAILED|^ +[0-9]+\. .*:[0-9]+ +- ' "$log" | head -n 30
	if grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log"; then
		result FAIL "unit tests [$label]: sanitizer report (exit $rc)"
	elif [ "$rc" -ne 0 ]; then
		result FAIL "unit tests [$label]: exit $rc$([ $i -ge $((UNIT_TIMEOUT * 10)) ] &&
			echo ", killed after ${UNIT_TIMEOUT}s")"
		tail -n 20 "$log"
	else
		result PASS "unit tests [$label]"
	fi
}

# lab LABEL BUILD: every lab test; add its "N passed, M failed".
lab() {
	local log last p f
	log="$tmp/lab-$1.log"
	"$REPO/test/lab/run.sh" "$2" "$1" >"$log" 2>&1 &
	child=$!
	tail -s 0.2 -n +1 -f --pid="$child" "$log" &
	wait "$child"
	wait	# for tail to print the rest
	child=""
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -z "$last" ]; then
		result FAIL "lab [$1]: no summary from test/lab/run.sh"
		return
	fi
	read -r p _ f _ <<<"$last"
	passed=$((passed + p)) failed=$((failed + f))
	lines+=("lab [$1]: $last")
}

start=$SECONDS
unit plain "$BUILD/test/dplb_unit_tests"
unit sanitizer "$SAN/test/dplb_unit_tests"
if [ "$(id -u)" -ne 0 ]; then
	result FAIL "lab: needs root (network namespaces); run as root"
else
	lab plain "$BUILD"
	if [ "${LAB_SAN:-1}" != 0 ] && [ -x "$SAN/dplb" ]; then
		lab sanitizer "$SAN"
	fi
fi

# fuzz smoke: every libFuzzer target for FUZZ_SECONDS (make fuzz runs longer)
if [ "${FUZZ_SECONDS:-20}" != 0 ]; then
	log="$tmp/fuzz.log"
	"$REPO/test/fuzz/run.sh" "${FUZZ_SECONDS:-20}" 2>&1 | tee "$log"
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -z "$last" ]; then
		result FAIL "fuzz: no summary from test/fuzz/run.sh"
	else
		read -r p _ f _ <<<"$last"
		passed=$((passed + p)) failed=$((failed + f))
		lines+=("fuzz (${FUZZ_SECONDS:-20} s each): $last")
	fi
fi

echo "=== all tests, $((SECONDS - start)) s"
printf '  %s\n' "${lines[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
