#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run dplb's benchmarks and print their tables (`make bench`):
#   test/perf/run.sh [BUILD]
# bench_sched: ns per scheduling decision, pinned to one CPU.
# bench_health: 10,000 TCP checks per 1 s delay_loop through the epoll set
#   (the listener it checks runs in the same loop), on the control CPU.
# bench_pipeline: lb_worker_process() on one worker lcore (the last CPU,
#   the control lcore on the one before), then the 10-million-connection
#   rows in a second process (it skips them itself when memory is short).
# bench_memfloor: dplb's lookup shape (bucket, then entry, prefetched 12
#   and 10 ahead, as app/forward.c) without dplb, and with one line an
#   item, for 1 K and 1 M entries: what a million connections cost on
#   this machine however well the lookup overlaps.
# bench_scale: the pipeline on 1, 2, ... workers at once (as many as there
#   are CPUs, the control lcore asleep on CPU 0 beside the last one).
# bench_ctlload: the pipeline with the control lcore idle, then running
#   VRRP adverts every 10 ms, 1,000 checks/s and an mh rebuild a second.
# bench_memif.sh: dplb against testpmd io and macswap over one memif pair
#   with a testpmd reflector (root; BENCH_MEMIF=0 skips it).
# instr_count.sh: instructions a packet in lb_worker_process() per
#   established scenario, under callgrind (valgrind): what host noise
#   cannot move, to tell a real change from a loud neighbour.
# The figures never fail the run. Exit status: 1 when the pipeline saw
# packets dropped for a reason its scenario does not expect, 2 when a
# benchmark could not run, else 0.
set -u

BUILD=${1:-build}
PERF="$BUILD/test/perf"
NCPU=$(nproc)
WORKER=$((NCPU - 1))
CONTROL=$((NCPU > 1 ? NCPU - 2 : 0))
status=0

for b in bench_sched bench_pipeline bench_memfloor bench_scale bench_ctlload; do
	if [ ! -x "$PERF/$b" ]; then
		echo "run.sh: $PERF/$b not found: build first (ninja -C $BUILD)" >&2
		exit 2
	fi
done
if [ "$NCPU" -lt 2 ]; then
	echo "run.sh: bench_pipeline needs 2 CPUs (a control and a worker lcore); this box has 1" >&2
	exit 2
fi

# Percent of all CPUs busy over one second, from /proc/stat.
cpu_busy() {
	local a b
	a=$(awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $5+$6 }' /proc/stat)
	sleep 1
	b=$(awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $5+$6 }' /proc/stat)
	echo "$a $b" | awk '{ busy = $3 - $1; idle = $4 - $2;
		print (busy + idle) ? int(100 * busy / (busy + idle)) : 0 }'
}

# Say so when something else is running: figures would be inflated.
check_quiet() {
	local busy
	busy=$(cpu_busy)
	if [ "$busy" -gt 10 ]; then
		echo "note: the CPUs were ${busy}% busy before the run; other processes inflate" \
			"the figures (cpu% column):"
		ps -eo pcpu=,psr=,pid=,comm= --sort=-pcpu | head -4 |
			awk '{ printf "      %5s%% cpu %s  pid %s  %s\n", $1, $2, $3, $4 }'
	fi
}

echo "== bench_sched (taskset -c $WORKER)"
taskset -c "$WORKER" "$PERF/bench_sched" 50 || status=2
echo

echo "== bench_health (taskset -c $CONTROL: the control lcore's job)"
[ -x "$PERF/bench_health" ] && { taskset -c "$CONTROL" "$PERF/bench_health" 10000 6 || status=2; }
echo

echo "== bench_pipeline (EAL lcores $CONTROL,$WORKER)"
check_quiet
"$PERF/bench_pipeline" --lcores="$CONTROL,$WORKER" 2>/dev/null
rc=$?
if [ "$rc" -eq 2 ]; then
	# hugepages may have gone between the check and EAL init: once more without
	echo "bench_pipeline could not start; again with --no-huge"
	"$PERF/bench_pipeline" --lcores="$CONTROL,$WORKER" --mem=nohuge 2>/dev/null
	rc=$?
fi
[ "$rc" -gt "$status" ] && status=$rc
echo

echo "== bench_pipeline --conns-10m"
"$PERF/bench_pipeline" --lcores="$CONTROL,$WORKER" --conns-10m 2>/dev/null
rc=$?
[ "$rc" -gt "$status" ] && status=$rc
echo

echo "== bench_memfloor (taskset -c $WORKER): this machine's price for a table out of cache"
taskset -c "$WORKER" "$PERF/bench_memfloor" || status=2
echo

echo "== bench_scale (workers 1..$NCPU)"
check_quiet
hdr=--header
for ((w = 1; w <= NCPU && w <= 8; w++)); do
	"$PERF/bench_scale" --workers="$w" $hdr 2>/dev/null
	rc=$?
	hdr=""
	[ "$rc" -gt "$status" ] && status=$rc
done
echo

echo "== bench_ctlload (EAL lcores $CONTROL,$WORKER)"
check_quiet
"$PERF/bench_ctlload" --lcores="$CONTROL,$WORKER" 2>/dev/null
rc=$?
[ "$rc" -gt "$status" ] && status=$rc
echo

if command -v valgrind > /dev/null; then
	echo "== instr_count.sh (callgrind: instructions a packet, small tables)"
	"$(dirname "$0")/instr_count.sh" "$BUILD" || status=2
	echo
fi

if [ "${BENCH_MEMIF:-1}" != 0 ]; then
	echo "== bench_memif.sh (dplb vs testpmd io/macswap over memif)"
	check_quiet
	"$(dirname "$0")/bench_memif.sh" "$BUILD"
	rc=$?
	[ "$rc" -gt "$status" ] && status=$rc
fi
exit "$status"
