#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The operator CLI under normal and hostile use: dplbctl's exit codes and
# messages, help, telnet negotiation, oversize lines, binary garbage, IAC
# storms, 100 simultaneous sessions and a reader that never reads. dplb
# must answer throughout and stop cleanly.
#
# usage: test/lab/test_cli.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

lab_add_host client 198.18.1.10/24 || lab_finish
lab_add_lb lb || lab_finish
lab_dplb_start main "${LAB_NS[lb]}" "$(lab_lb_interfaces 198.18.1.1/24)" || lab_finish

OUT=$(lab_dplbctl help)
lab_check_grep "help lists ipvsadm" "^ipvsadm " "$OUT"
lab_check_grep "help lists show stats" "^show stats " "$OUT"
NSHOW=$(grep -c '^show ' <<<"$OUT")
OUT=$(lab_dplbctl help show)
lab_check_eq "help show: the show commands help lists (at least 10)" \
	"$NSHOW $((NSHOW >= 10))" "$(grep -c '^show ' <<<"$OUT") 1"
lab_check_grep "... and nothing else" "^show" "$(head -n 1 <<<"$OUT")"
OUT=$(lab_dplbctl frobnicate 2>&1); rc=$?
lab_check_eq "an unknown command exits 1" 1 "$rc"
lab_check_grep "... naming it" "unknown command 'frobnicate'" "$OUT"
OUT=$(lab_dplbctl show stats please 2>&1); rc=$?
lab_check_eq "stray words after a command are refused (exit 1)" 1 "$rc"
lab_check_grep "... naming them" "unexpected 'please'" "$OUT"
OUT=$(lab_dplbctl -A -t 198.18.1.100 2>&1); rc=$?
lab_check_eq "a bad ipvsadm line exits 1" 1 "$rc"
lab_check_grep "... naming the bad argument" "198.18.1.100" "$OUT"
OUT=$(ip netns exec "${LAB_NS[lb]}" "$DPLBCTL" -s 127.0.0.1:1 show stats 2>&1); rc=$?
lab_check_eq "dplbctl exits 2 when dplb cannot be reached" 2 "$rc"
# A connect to a port nobody listens on, inside the ephemeral range, can be
# given that port as its source and reach itself: with a one-port range it
# does at once. dplbctl must say so and exit 2, not wait for an answer.
lab_netns selfc
ip netns exec "${LAB_NS[selfc]}" sysctl -qw net.ipv4.ip_local_port_range="40000 40000"
OUT=$(ip netns exec "${LAB_NS[selfc]}" timeout 10 "$DPLBCTL" -s 127.0.0.1:40000 help 2>&1)
rc=$?
lab_check_eq "dplbctl exits 2 on a connection that reached itself (no hang)" 2 "$rc"
lab_check_grep "... saying nothing listens there" "nothing listens there" "$OUT"

ABUSE=$(lab_in lb timeout 120 "$LAB_PY" "$LAB_LIB_DIR/cli_abuse.py" 127.0.0.1 "${DPLB_PORT[main]}")
echo "$ABUSE"
while read -r verdict name; do
	case $verdict in
	ok) lab_pass "$name" ;;
	bad) lab_fail "${name%%:*}" "${name#*: }" ;;
	esac
done <<<"$ABUSE"
lab_check_eq "every hostile-session check ran" 7 "$(grep -c '^\(ok\|bad\) ' <<<"$ABUSE")"
lab_check "dplb still pings after all that" lab_in client ping -n -c 1 -W 2 198.18.1.1

# an operator at a terminal: character mode, TAB, `?`, history, ^C, ^D,
# and dplbctl with no arguments (cli_term.py prints ok/bad per check)
TERM_OUT=$(lab_in lb timeout 60 "$LAB_PY" "$LAB_LIB_DIR/cli_term.py" 127.0.0.1 "${DPLB_PORT[main]}" \
	"$DPLBCTL")
echo "$TERM_OUT"
while read -r verdict name; do
	case $verdict in
	ok) lab_pass "$name" ;;
	bad) lab_fail "${name%%:*}" "${name#*: }" ;;
	esac
done <<<"$TERM_OUT"
lab_check_eq "every terminal check ran" 17 "$(grep -c '^\(ok\|bad\) ' <<<"$TERM_OUT")"
OUT=$(lab_dplbctl show '?')
lab_check_grep "a line ending in '?' (nc, scripts) lists what may follow" "^  conn +show conn " "$OUT"

# the running configuration, in native syntax: it loads as a config file
lab_dplbctl show config >"$LAB_TMP/shown.conf"
lab_check "show config: the running configuration loads back (dplb --config-test)" \
	"$DPLB" --config-test -f "$LAB_TMP/shown.conf"
lab_check_grep "log level health debug" "^log level of dplb\.health: debug$" \
	"$(lab_dplbctl log level health debug)"
OUT=$(lab_dplbctl log level health loud 2>&1)
lab_check_grep "log level with a bad level names it" "level 'loud' is not one of" "$OUT"
OUT=$(lab_dplbctl vrrp set-priority VI_9 100 2>&1)
lab_check_grep "vrrp set-priority of an unknown instance says so" "no vrrp_instance 'VI_9'" "$OUT"
OUT=$(lab_dplbctl real-server drain 198.18.1.100:80 198.18.1.11 2>&1)
lab_check_grep "real-server drain with a bad address shows its usage" \
	"real-server drain \[tcp\|udp\] VIP:PORT RIP:PORT" "$OUT"

lab_dplb_stop main

# a CLI reachable from elsewhere asks for the password (stored hashed)
HASH=$(echo "s3cret pw" | "$DPLB" --hash-password)
lab_check_grep "dplb --hash-password prints sha256\$SALT\$DIGEST" '^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$' "$HASH"
export DPLB_PASSWORD="s3cret pw"
LAB_CLI_ADDR=0.0.0.0 LAB_CLI_EXTRA="password_hash = \"$HASH\";" \
	lab_dplb_start pw "${LAB_NS[lb]}" "$(lab_lb_interfaces 198.18.1.1/24)" || lab_finish
lab_check "with DPLB_PASSWORD, dplbctl runs commands" lab_dplbctl @pw show stats
OUT=$(DPLB_PASSWORD="wrong" lab_dplbctl @pw show stats 2>&1)
lab_check_grep "a wrong password is refused" "error: wrong password" "$OUT"
OUT=$(unset DPLB_PASSWORD; lab_dplbctl @pw show connections 2>&1)
rc=$?
lab_check_eq "without the password no command runs (dplbctl fails)" "2 0" \
	"$rc $(grep -c '^connections ' <<<"$OUT")"
lab_check_grep "dplb logs the wrong password" "CLI: wrong password" "$(cat "${DPLB_LOG[pw]}")"
lab_dplb_stop pw
unset DPLB_PASSWORD

# idle_sleep_us: an idle dplb leaves its worker's core alone (labs, VMs),
# and still answers at once: CPU seconds over 3 s of /proc/PID/stat
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
lab_dplb_start idle "${LAB_NS[lb]}" "idle_sleep_us = 200;
$(lab_lb_interfaces 198.18.1.1/24)" || lab_finish
t0=$(cpu_ticks "${DPLB_PID[idle]}")
sleep 3
USED=$(( ($(cpu_ticks "${DPLB_PID[idle]}") - t0) * 100 / $(getconf CLK_TCK) / 3 ))
lab_check "idle_sleep_us 200: the idle dplb uses ${USED} % of a core (< 30; polling takes 100)" \
	test "$USED" -lt 30
lab_check "... and answers ping at once" lab_in client ping -n -c 3 -i 0.2 -W 1 198.18.1.1
lab_dplb_stop idle
lab_finish
