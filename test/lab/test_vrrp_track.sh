#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# VRRP tracking against keepalived: vrrp_script weights, a weight-0 script
# and the link, as keepalived's track_script / track_interface.
#
#   client 198.18.1.10/24 ──┐
#   peer   198.18.1.2/24  ──┤ br0   keepalived, VI_1 vrid 51 priority 90 (preempts)
#   lb (af_packet) ─────────┘ dplb 198.18.1.1/24, VI_1 priority 100,
#                             chk_web (weight -20), chk_db (weight 0)
#
# Checks: dplb MASTER; chk_web fails -> priority 80 -> keepalived (90) takes
# over, dplb BACKUP; chk_web passes -> 100 -> dplb preempts back; chk_db
# fails -> dplb FAULT (priority-0 advert, keepalived MASTER at once); back
# -> dplb MASTER again; the lab link down -> FAULT, up -> MASTER.
# VI_2 (VIP2, untracked) is in a vrrp_sync_group with VI_1: it follows VI_1
# to BACKUP, MASTER and FAULT, so keepalived holds both VIPs or neither.
# Notify scripts and the notify FIFO report every transition.
#
# usage: test/lab/test_vrrp_track.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100 VIP2=198.18.1.101
command -v keepalived >/dev/null || { lab_skip "VRRP tracking against keepalived" "no keepalived"; lab_finish; }
lab_add_lb lb || lab_finish
lab_add_host peer 198.18.1.2/24 || lab_finish

WEB=$LAB_TMP/web.ok DB=$LAB_TMP/db.ok
touch "$WEB" "$DB"
KA_CONF=$LAB_TMP/keepalived.conf
printf '%s\n' "global_defs {" "	router_id lab_peer" "}" "vrrp_instance VI_1 {" \
	"	state BACKUP" "	interface ${LAB_IF[peer]}" "	virtual_router_id 51" \
	"	priority 90" "	advert_int 1" \
	"	authentication {" "		auth_type PASS" "		auth_pass secret" "	}" \
	"	virtual_ipaddress {" "		$VIP/24" "	}" "}" >"$KA_CONF"
sed -e 's/VI_1/VI_2/; s/virtual_router_id 51/virtual_router_id 52/' -e "s|$VIP/24|$VIP2/24|" \
	"$KA_CONF" >>"$KA_CONF.2" && cat "$KA_CONF.2" >>"$KA_CONF"
NOTIFY=$LAB_TMP/notify.sh NLOG=$LAB_TMP/notify.log FIFO=$LAB_TMP/vrrp.fifo FLOG=$LAB_TMP/fifo.log
printf '#!/bin/sh\necho "$@" >>%s\n' "$NLOG" >"$NOTIFY"
chmod +x "$NOTIFY"
mkfifo "$FIFO"
# the reader holds the FIFO open read-write: it never sees an end of file
lab_bg "" "$FLOG" bash -c 'exec 3<>"$0"; exec cat <&3' "$FIFO"
KA_LOG=$LAB_TMP/keepalived.log
lab_dplb_start main "${LAB_NS[lb]}" "router_id = \"lb-a\";
$(lab_lb_interfaces 198.18.1.1/24)
vrrp_scripts = (
	{ name = \"chk_web\"; script = \"test -e $WEB\"; interval = 0.2; weight = -20; },
	{ name = \"chk_db\"; script = \"test -e $DB\"; interval = 0.2; weight = 0; }
);
vrrp_instances = ( {
	name = \"VI_1\"; interface = \"lab0\"; virtual_router_id = 51; priority = 100;
	advert_int = 1; state = \"MASTER\";
	authentication = { type = \"PASS\"; pass = \"secret\"; };
	virtual_ipaddress = [ \"$VIP\" ];
	track_scripts = [ \"chk_web\", \"chk_db\" ];
	notify = \"$NOTIFY\";
}, {
	name = \"VI_2\"; interface = \"lab0\"; virtual_router_id = 52; priority = 100;
	advert_int = 1; state = \"MASTER\";
	authentication = { type = \"PASS\"; pass = \"secret\"; };
	virtual_ipaddress = [ \"$VIP2\" ];
	notify_master = \"touch $LAB_TMP/vi2.master\"; notify_fault = \"touch $LAB_TMP/vi2.fault\";
} );
vrrp_sync_groups = ( { name = \"G1\"; group = [ \"VI_1\", \"VI_2\" ]; } );
vrrp_notify_fifo = \"$FIFO\";" || lab_finish
lab_bg "${LAB_NS[peer]}" "$KA_LOG" keepalived -n -l -D -f "$KA_CONF" \
	-p "$LAB_TMP/ka.pid" -r "$LAB_TMP/ka-vrrp.pid" -c "$LAB_TMP/ka-checkers.pid"
KA_PID=$LAB_LAST_PID

vrrp_is() { lab_vrrp_is "${3:-VI_1}" "$1" "$2"; }	# STATE PRIORITY [INSTANCE]
peer_has_vip() { lab_has_addr peer $VIP; }
peer_lacks_vip() { ! peer_has_vip; }
peer_has_vip2() { lab_has_addr peer $VIP2; }
ka_masters() { grep -c "(VI_1) Entering MASTER STATE" "$KA_LOG"; }

lab_check "dplb is MASTER with priority 100" lab_wait_until 10 vrrp_is MASTER 100
lab_check "keepalived is BACKUP" lab_wait_until 10 grep -q "(VI_1) Entering BACKUP STATE" "$KA_LOG"
PROMPT_PY='import socket,sys
s=socket.create_connection(("127.0.0.1",int(sys.argv[1])),timeout=3); b=b""
while not b.endswith(b"> "): b+=s.recv(1)
print(b.decode())'
lab_check_eq "the CLI prompt shows the router_id and the VRRP state" "lb-a(MASTER)> " \
	"$(lab_in lb "$LAB_PY" -c "$PROMPT_PY" "${DPLB_PORT[main]}")"
lab_check_grep "show vrrp lists the scripts, OK" "vrrp_script chk_web: OK, weight -20" \
	"$(lab_dplbctl show vrrp)"

# chk_web fails: 100 - 20 = 80 < 90, keepalived preempts
rm -f "$WEB"
lab_check "chk_web fails: dplb priority 80, BACKUP (keepalived preempted)" \
	lab_wait_until 6 vrrp_is BACKUP 80
lab_check "keepalived holds the VIP" lab_wait_until 5 peer_has_vip
lab_check "sync group: VI_2 followed VI_1 to BACKUP" lab_wait_until 3 vrrp_is BACKUP 100 VI_2
lab_check_grep "... saying why" "VI_2: MASTER -> BACKUP \(sync group G1: VI_1 is BACKUP\)" \
	"$(cat "${DPLB_LOG[main]}")"
lab_check "keepalived holds VIP2 too" lab_wait_until 5 peer_has_vip2
lab_check_grep "the log names the reason" "VI_1: priority 100 -> 80 \(tracked scripts\)" \
	"$(cat "${DPLB_LOG[main]}")"
touch "$WEB"
lab_check "chk_web passes again: priority 100, dplb preempts back to MASTER" \
	lab_wait_until 6 vrrp_is MASTER 100
lab_check "keepalived withdraws the VIP" lab_wait_until 5 peer_lacks_vip
lab_check "sync group: VI_2 followed VI_1 back to MASTER" lab_wait_until 3 vrrp_is MASTER 100 VI_2

# chk_db (weight 0) fails: FAULT; the priority-0 advert hands over at once
n=$(ka_masters)
rm -f "$DB"
t0=$(date +%s%N)
lab_check "chk_db fails: dplb enters FAULT" lab_wait_until 5 vrrp_is FAULT 100
lab_check "keepalived takes the VIP at once (priority-0 advert)" lab_wait_until 3 peer_has_vip
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
lab_check "... within 2 s of the script failing ($ms ms)" test "$ms" -lt 2000
lab_check_grep "the log says why" "VI_1: (MASTER|BACKUP) -> FAULT \(vrrp_script chk_db failed\)" \
	"$(cat "${DPLB_LOG[main]}")"
lab_check "sync group: VI_2 is FAULT with VI_1" lab_wait_until 3 vrrp_is FAULT 100 VI_2
lab_check "keepalived holds VIP2 as well" lab_wait_until 5 peer_has_vip2
touch "$DB"
lab_check "chk_db passes: dplb leaves FAULT and preempts to MASTER" \
	lab_wait_until 8 vrrp_is MASTER 100
lab_check_ge "keepalived was MASTER once more meanwhile" $((n + 1)) "$(ka_masters)"

# the CLI: vrrp set-priority hands over and back without a restart
lab_check "vrrp set-priority VI_1 50" lab_dplbctl vrrp set-priority VI_1 50
lab_check "... keepalived (90) takes over, dplb BACKUP with priority 50" \
	lab_wait_until 6 vrrp_is BACKUP 50
lab_check "vrrp set-priority VI_1 100: dplb preempts back" \
	eval "lab_dplbctl vrrp set-priority VI_1 100 && lab_wait_until 6 vrrp_is MASTER 100"

# the link: the af_packet port follows the kernel interface
ip -n "${LAB_NS[lb]}" link set dev "${LAB_IF[lb]}" down
if lab_wait_until 4 vrrp_is FAULT 100; then
	lab_pass "link down: dplb enters FAULT"
	lab_check_grep "... saying so" "VI_1: MASTER -> FAULT \(link down on lab0\)" \
		"$(cat "${DPLB_LOG[main]}")"
	ip -n "${LAB_NS[lb]}" link set dev "${LAB_IF[lb]}" up
	lab_check "link up: dplb leaves FAULT and is MASTER again" \
		lab_wait_until 10 vrrp_is MASTER 100
else
	ip -n "${LAB_NS[lb]}" link set dev "${LAB_IF[lb]}" up
	lab_skip "link down -> FAULT" "this af_packet PMD does not report the link state"
fi

lab_dplb_stop main
lab_stop_pid "$KA_PID" TERM 10 >/dev/null
cat "$NLOG"
lab_check_grep "notify: run with INSTANCE VI_1 MASTER 100" "^INSTANCE VI_1 MASTER 100$" "$(cat "$NLOG")"
lab_check_grep "notify: ... INSTANCE VI_1 BACKUP 80" "^INSTANCE VI_1 BACKUP 80$" "$(cat "$NLOG")"
lab_check_grep "notify: ... INSTANCE VI_1 FAULT" "^INSTANCE VI_1 FAULT 100$" "$(cat "$NLOG")"
lab_check_grep "notify: ... INSTANCE VI_1 STOP on shutdown" "^INSTANCE VI_1 STOP 100$" "$(cat "$NLOG")"
lab_check "notify_master and notify_fault of VI_2 ran" \
	test -e "$LAB_TMP/vi2.master" -a -e "$LAB_TMP/vi2.fault"
cat "$FLOG"
lab_check_grep "notify FIFO: keepalived's line format" '^INSTANCE "VI_2" MASTER 100$' "$(cat "$FLOG")"
lab_check_ge "notify FIFO: a line per transition of both instances" 10 "$(wc -l <"$FLOG")"
lab_finish
