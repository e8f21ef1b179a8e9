# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# dpdk-testpmd driven through its interactive prompt, for the memif lab
# benchmark (bench_memif.sh); sourced after test/lab/lib.sh (LAB_ID,
# LAB_TMP, LAB_PIDS, LAB_PREFIXES, lab_wait_until). Each instance NAME
# reads its commands from a FIFO that we hold open, and writes to
# $LAB_TMP/tp-NAME.log; every wait is bounded.
#
#   tp_start NAME NS LCORES VDEV TESTPMD-ARGS...
#   tp_ask NAME CMD REGEX SECONDS     # CMD, then its output once REGEX shows
#   tp_stop NAME

declare -A TP_PID=() TP_FD=() TP_LOG=()
TP_MEM=${TP_MEM:---no-huge -m 256}	# EAL memory options of every instance

# tp_start NAME NS LCORES VDEV ARGS...: testpmd -i in namespace NS with EAL
# --lcores LCORES (e.g. 0@0,1@1), one vdev, 8192 mbufs and ARGS, reading
# commands from a FIFO. Returns once the prompt has shown (or 1 after 20 s,
# the log's tail printed).
tp_start() {
	local name=$1 ns=$2 lcores=$3 vdev=$4 fifo log prefix fd
	shift 4
	fifo=$LAB_TMP/tp-$name.fifo log=$LAB_TMP/tp-$name.log prefix=$LAB_ID-tp-$name
	rm -f "$fifo" "$log"
	mkfifo "$fifo" || return 1
	LAB_PREFIXES+=("$prefix")
	# stdbuf: the log is a file, and testpmd's printf output would sit in
	# its stdio buffer until exit
	# shellcheck disable=SC2086	# TP_MEM is several words
	ip netns exec "$ns" stdbuf -oL dpdk-testpmd --lcores "$lcores" $TP_MEM --no-pci \
		--file-prefix "$prefix" --vdev "$vdev" -- --total-num-mbufs=8192 -i "$@" \
		<"$fifo" >"$log" 2>&1 &
	TP_PID[$name]=$!
	LAB_PIDS+=("$!")
	# testpmd 22.11 may crash on quit (see tp_stop): no job report for it
	disown "$!"
	exec {fd}>"$fifo"
	TP_FD[$name]=$fd TP_LOG[$name]=$log
	if ! lab_wait_until 20 grep -q "^testpmd> " "$log"; then
		echo "testpmd $name did not start:" >&2
		tail -n 8 "$log" >&2
		return 1
	fi
}

# tp_has_after LOG LINE REGEX: a line after the first LINE lines of LOG matches.
tp_has_after() {
	tail -n "+$(($2 + 1))" "$1" | grep -Eq -- "$3"
}

# tp_ask NAME CMD REGEX SECONDS: send CMD and print what testpmd wrote after
# it once a line matches REGEX; 1 when none did within SECONDS.
tp_ask() {
	local log=${TP_LOG[$1]} n
	n=$(wc -l <"$log")
	echo "$2" 1>&"${TP_FD[$1]}" || return 1
	lab_wait_until "$4" tp_has_after "$log" "$n" "$3" || return 1
	tail -n "+$((n + 1))" "$log"
}

# tp_stop NAME: `stop` and `quit`, then SIGTERM if it is still there after
# 10 s. testpmd 22.11 may crash while closing a memif whose peer is gone;
# that is not ours to report, and lab_cleanup removes what it leaves.
tp_stop() {
	local pid=${TP_PID[$1]:-} fd=${TP_FD[$1]:-}
	[ -z "$pid" ] && return 0
	{ echo stop; echo quit; } 1>&"$fd" 2>/dev/null
	exec {fd}>&-
	lab_wait_until 10 eval "! kill -0 $pid" || kill -TERM "$pid" 2>/dev/null
	unset "TP_PID[$1]"
	return 0
}

# tp_value TEXT REGEX: the first number after REGEX in TEXT (empty if none).
tp_value() {
	grep -Eo -- "$2 *[0-9.]+" <<<"$1" | head -n 1 | grep -Eo '[0-9.]+$'
}
