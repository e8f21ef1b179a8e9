#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# dplb --log-target: syslog gets dplb's messages at the syslog priority of
# their rte_log level (facility daemon: NOTICE is <29>, INFO <30>), a
# SIGHUP reload is logged at NOTICE with why, stderr keeps only what EAL
# printed before dplb took its log over (DPDK sends those to stdout and
# syslog); `both` writes to both. dplb runs
# on a null port (no traffic) inside a private mount namespace whose /dev
# is a tmpfs holding /dev/null, /dev/zero, /dev/urandom, /dev/shm and, as
# /dev/log, a socket of test/lab/syslog_sink.py: nothing reaches the
# machine's own syslog. Skipped with why when unshare cannot do that here.
#
# usage: test/lab/test_logging.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

PREFIX=$LAB_ID-log
LAB_PREFIXES+=("$PREFIX")
printf '%s\n' \
	"eal = { hugepages = \"no\"; file_prefix = \"$PREFIX\"; };" \
	"workers = 1;" \
	"cli = { listen = \"127.0.0.1:$((20000 + $$ % 9000))\"; };" \
	"connections = { max = 4096; };" \
	"interfaces = ( { name = \"n0\"; device = \"net_null0,no-rx=1\";" \
	"	addresses = [ \"198.18.9.1/24\" ]; exception = false; } );" >"$LAB_TMP/log.conf"

# in_private_dev DIR CMD...: exec CMD in a private mount namespace with /dev
# rebuilt as described above (DIR/log.sock becomes /dev/log). It replaces
# the calling shell (unshare, sh and CMD keep its pid): call it in a subshell.
in_private_dev() {
	local dir=$1
	shift
	[ -n "$dir" ] && [ -d "$dir" ] || return 1
	exec unshare -m sh -c '
		set -e
		mount --make-rprivate /
		old=$0/olddev; mkdir -p "$old"; mount --rbind /dev "$old"
		mount -t tmpfs dplb-lab-dev /dev
		for d in null zero urandom random; do touch /dev/$d; mount --bind "$old/$d" /dev/$d; done
		mkdir /dev/shm; mount --rbind "$old/shm" /dev/shm
		touch /dev/log; mount --bind "$0/log.sock" /dev/log
		exec "$@"' "$dir" "$@"
}

# run_dplb TARGET: dplb --log-target TARGET until it says it runs, then one
# SIGHUP, then SIGTERM (bounded); its syslog goes to $LAB_TMP/syslog-TARGET.txt,
# its stderr to stderr-TARGET.txt.
run_dplb() {
	local t=$1 sink pid i
	# a fresh socket for each run (the last run's file would pass test -S at
	# once), and a sink that outlasts a slow EAL start: it is stopped below
	rm -f "$LAB_TMP/log.sock"
	lab_bg "" "$LAB_TMP/sink-$t.log" "$LAB_PY" "$LAB_LIB_DIR/syslog_sink.py" \
		"$LAB_TMP/log.sock" 60 "$LAB_TMP/syslog-$t.txt"
	sink=$LAB_LAST_PID
	lab_wait_until 5 test -S "$LAB_TMP/log.sock"
	in_private_dev "$LAB_TMP" "$DPLB" --log-target "$t" -f "$LAB_TMP/log.conf" \
		>"$LAB_TMP/stderr-$t.txt" 2>&1 </dev/null &
	pid=$!
	LAB_PIDS+=("$pid")
	for i in $(seq 1 100); do
		grep -qs "dplb: running:" "$LAB_TMP/stderr-$t.txt" "$LAB_TMP/syslog-$t.txt" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -HUP "$pid" 2>/dev/null
	for i in $(seq 1 100); do	# until the reload is logged, 10 s at most
		grep -qs "config reload (SIGHUP)" "$LAB_TMP/stderr-$t.txt" "$LAB_TMP/syslog-$t.txt" && break
		sleep 0.1
	done
	lab_stop_pid "$pid" TERM 15
	sleep 0.2			# the last datagrams reach the sink
	lab_stop_pid "$sink" TERM 5 >/dev/null
}

: >"$LAB_TMP/log.sock"	# a stand-in for the probe; syslog_sink.py replaces it
if ! (in_private_dev "$LAB_TMP" true) 2>"$LAB_TMP/unshare.err"; then
	lab_skip "dplb logs to syslog" "cannot build a private /dev here: $(head -n 1 "$LAB_TMP/unshare.err")"
	lab_check_eq "no sanitizer report in any run" "" \
	"$(grep -hE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$LAB_TMP"/stderr-*.txt)"
lab_finish
fi

run_dplb syslog
SL=$(cat "$LAB_TMP/syslog-syslog.txt")
ER=$(cat "$LAB_TMP/stderr-syslog.txt")
lab_check_grep "syslog: the start-up NOTICE, facility daemon priority notice (<29>)" \
	"^<29>.* dplb\[[0-9]+\]: dplb: running: 1 worker\(s\), 1 interface\(s\)" "$SL"
lab_check_grep "syslog: INFO messages at priority info (<30>)" "^<30>.* dplb\[[0-9]+\]: lcore: control lcore 0" "$SL"
lab_check_grep "syslog: the SIGHUP reload at NOTICE with why" \
	"^<29>.*config reload \(SIGHUP\): reload: .*virtual service\(s\)" "$SL"
lab_check_grep "syslog: the stop at NOTICE" "^<29>.*dplb: stopping on signal" "$SL"
lab_check_eq "stderr: none of dplb's module messages" "" \
	"$(grep -E '^(lcore:|dplb: running|dplb: config reload)' <<<"$ER")"
lab_check_grep "stderr: the clean stop" "^dplb: stopped cleanly" "$ER"

run_dplb both
lab_check_grep "both: the reload in syslog" "^<29>.*config reload \(SIGHUP\)" \
	"$(cat "$LAB_TMP/syslog-both.txt")"
lab_check_grep "both: and on stderr" "^dplb: config reload \(SIGHUP\)" \
	"$(cat "$LAB_TMP/stderr-both.txt")"

run_dplb stderr
# (EAL's own start-up lines, before dplb takes the log over, go where DPDK sends them)
lab_check_eq "stderr (default): none of dplb's messages sent to syslog" 0 \
	"$(grep -cE 'dplb: running|config reload|lcore: control' "$LAB_TMP/syslog-stderr.txt")"
lab_check_grep "stderr: the reload there" "^dplb: config reload \(SIGHUP\)" \
	"$(cat "$LAB_TMP/stderr-stderr.txt")"
lab_check_eq "no sanitizer report in any run" "" \
	"$(grep -hE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$LAB_TMP"/stderr-*.txt)"
lab_finish
