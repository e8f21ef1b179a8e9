#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Instructions a packet in lb_worker_process(), per bench_pipeline scenario,
# counted by valgrind's callgrind: the same figure however loud the host
# is, where cycles a packet move by 2x with a neighbour's load. A change
# that saves instructions shows here first; cycles (bench_pipeline on a
# quiet host) still decide, memory stalls being invisible to this count.
#   test/perf/instr_count.sh [BUILD] [NAME] [BENCH_OPTION...]
# NAME: scenarios whose name holds it (bench_pipeline --only), default
# "established"; further options go to bench_pipeline (--tx=null).
# Small tables (--quick) on 4 KB pages: under a minute.
# Needs valgrind and a build that found valgrind/callgrind.h.
set -u

BUILD=${1:-build}
ONLY=${2:-established}
shift 2 2> /dev/null || shift $#
BENCH="$BUILD/test/perf/bench_pipeline"
OUT=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$OUT"' EXIT

if ! command -v valgrind > /dev/null; then
	echo "instr_count.sh: valgrind not found (apt-get install valgrind)" >&2
	exit 2
fi
if [ ! -x "$BENCH" ]; then
	echo "instr_count.sh: $BENCH not found: build first (ninja -C $BUILD)" >&2
	exit 2
fi
valgrind --tool=callgrind --toggle-collect=bench_timed_process --callgrind-out-file="$OUT/cg" \
	"$BENCH" --quick --mem=nohuge --only="$ONLY" "$@" > "$OUT/log" 2> "$OUT/err"
rc=$?
if ! grep -q '^callgrind part:' "$OUT/log"; then
	echo "instr_count.sh: no timed region counted (exit $rc; was $BENCH built" \
	     "with valgrind/callgrind.h?)" >&2
	tail -5 "$OUT/err" >&2
	exit 2
fi
printf '%-18s %8s %9s %12s\n' scenario conns packets instr/pkt
part=0
grep '^callgrind part:' "$OUT/log" | while IFS= read -r line; do
	part=$((part + 1))
	# "callgrind part: NAME, CONNS connections, PKTS packets timed"
	name=$(echo "$line" | sed 's/^callgrind part: \(.*\), [0-9]* connections.*/\1/')
	conns=$(echo "$line" | sed 's/.*, \([0-9]*\) connections.*/\1/')
	pkts=$(echo "$line" | sed 's/.*, \([0-9]*\) packets timed.*/\1/')
	# bench_timed_process's own and callees' (a waiting lcore's spin
	# is in the dump's total too)
	ir=$(callgrind_annotate --inclusive=yes --threshold=100 --auto=no \
		"$OUT/cg.$part" 2> /dev/null |
		awk '/:bench_timed_process / { gsub(",", "", $1); print $1; exit }')
	awk -v n="$name" -v c="$conns" -v p="$pkts" -v i="${ir:-0}" \
		'BEGIN { printf "%-18s %8d %9d %12.1f\n", n, c, p, i / p }'
done
exit "$rc"
