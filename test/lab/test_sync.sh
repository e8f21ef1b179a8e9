#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Connection sync between two dplb directors (LVS's sync daemon, driven by
# VRRP as keepalived's lvs_sync_daemon drives it; VRRPv3, advert_int 0.5):
#   1. with sync: dplb a MASTER sends, dplb b BACKUP installs; N long-lived
#      TCP connections through the VIP (LVS-DR to an echo server) have
#      exchanged a first word, half of them before b started (their first
#      sync message lost: b learns them from the refresh, 2 s, though they
#      are idle); a is SIGKILLed, b takes over, and every connection
#      exchanges its second word: none is reset or stalls.
#      ipvsadm --daemon in ipvsadm's format on both, show sync counters,
#      --start/--stop-daemon messages, tshark: the messages are LVS sync
#      (port 8848, group 224.0.0.81, TTL 1) with good checksums;
#   2. without sync, the same failover breaks every connection (b drops
#      their packets as not a SYN: drop_no_connection);
#   3. and 4. the same two with LVS-NAT, sync messages unicast to the other
#      director: the real server's gateway is a second VIP of the instance,
#      so its replies follow the MASTER too;
#   5. full NAT with sync: the local address is a VIP of the instance, each
#      connection's local port travels in dplb's option.
#
#   client 198.18.1.10/24 ──┐
#   lb     198.18.1.1/24  ──┤ br0   dplb "a" (priority 100), NAT: + 198.18.2.1/24
#   lb2    198.18.1.3/24  ──┤       dplb "b" (priority 90),  NAT: + 198.18.2.3/24
#   rs1    198.18.1.21/24 ──┤       echo server on VIP:9000 (LVS-DR)
#   rs2    198.18.2.11/24 ──┘       echo server on :9000, gateway 198.18.2.254 (LVS-NAT)
#
# usage: test/lab/test_sync.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100 GW=198.18.2.254 LADDR=198.18.2.5 PORT=9000 N=${SYNC_CONNS:-8} MODE=dr
PEER="$LAB_LIB_DIR/tcp_peer.py"
lab_add_lb lb || lab_finish
lab_add_lb lb2 || lab_finish
lab_add_host client 198.18.1.10/24 || lab_finish
lab_add_dr_realserver rs1 198.18.1.21/24 $VIP || lab_finish
lab_bg "${LAB_NS[rs1]}" "$LAB_TMP/echo.log" "$LAB_PY" "$PEER" listen $VIP $PORT echo
lab_add_host rs2 198.18.2.11/24 $GW || lab_finish
lab_bg "${LAB_NS[rs2]}" "$LAB_TMP/echo2.log" "$LAB_PY" "$PEER" listen 0.0.0.0 $PORT echo

body() {	# ADDR PRIORITY SYNC(yes|no); MODE dr|nat|natproxy|fnat
	if [ $MODE = dr ]; then
		echo "$(lab_lb_interfaces "$1/24")
virtual_servers = ( { address = \"$VIP\"; port = $PORT; scheduler = \"rr\"; persistence = 300;
	$(lab_real_servers dr $PORT 198.18.1.21) } );"
	elif [ $MODE = nat ] || [ $MODE = natproxy ]; then
		echo "$(lab_lb_interfaces "$1/24" "${1/198.18.1./198.18.2.}/24")
virtual_servers = ( { address = \"$VIP\"; port = $PORT; scheduler = \"rr\";
	$([ $MODE = natproxy ] && echo "syn_proxy = true;")
	$(lab_real_servers nat $PORT 198.18.2.11) } );"
	else
		echo "$(lab_lb_interfaces "$1/24" "${1/198.18.1./198.18.2.}/24")
virtual_servers = ( { address = \"$VIP\"; port = $PORT; scheduler = \"rr\";
	local_addresses = [ \"$LADDR\" ];
	$(lab_real_servers fnat $PORT 198.18.2.11) } );"
	fi
	echo "vrrp_instances = ( {
	name = \"VI_1\"; interface = \"lab0\"; virtual_router_id = 54; priority = $2;
	version = 3; advert_int = 0.5;
	virtual_ipaddress = [ \"$VIP\"$([ $MODE != dr ] && [ $MODE != fnat ] && echo ", \"$GW\"")$(
		[ $MODE = fnat ] && echo ", \"$LADDR\"") ];
} );"
	# DR: to the multicast group; NAT: unicast to the other director
	[ "$3" = yes ] && echo "sync_daemon = { interface = \"lab0\"; vrrp_instance = \"VI_1\";
	threshold = 0; refresh = 2;
	$([ $MODE != dr ] && echo "peers = [ \"198.18.1.$((4 - ${1##*.}))\" ];") };"
}
vrrp_is() { lab_vrrp_is "@$1" VI_1 "$2"; }
sync_field() {	# INST LINE FIELD: a counter of `show sync`
	lab_dplbctl "@$1" show sync | awk -v l="$2:" -v f="$3" \
		'$1 == l { for (i = 2; i < NF; i++) if ($i == f) print $(i + 1) }'
}
conns_of() { lab_dplbctl "@$1" show connections | awk '{ print $2 }'; }

# round SYNC: a up, N/2 connections held, b up (so their first messages
# went to nobody: lost), N/2 more, a killed; sets OK (connections that
# exchanged both words) and prints what each got.
round() {
	local i flag="$LAB_TMP/flag-$MODE-$1" pids=()
	rm -f "$flag"
	lab_dplb_start a "${LAB_NS[lb]}" "$(body 198.18.1.1 100 "$1")" || lab_finish
	lab_check "[$MODE, sync $1] dplb a is MASTER" lab_wait_until 5 vrrp_is a MASTER
	lab_wait_until 5 lab_in client ping -n -c 1 -W 1 $VIP >/dev/null
	for ((i = 0; i < N; i++)); do
		if [ $i -eq $((N / 2)) ]; then
			lab_wait_until 10 eval "[ \"\$(conns_of a)\" -ge $i ]"
			lab_dplb_start b "${LAB_NS[lb2]}" \
				"$(LAB_IF[lb]=${LAB_IF[lb2]}; body 198.18.1.3 90 "$1")" || lab_finish
			lab_check "[$MODE, sync $1] dplb b is BACKUP" lab_wait_until 5 vrrp_is b BACKUP
		fi
		lab_bg "${LAB_NS[client]}" "$LAB_TMP/hold-$MODE-$1-$i.log" "$LAB_PY" "$PEER" hold \
			$VIP $PORT "$flag"
		pids+=("$LAB_LAST_PID")
	done
	lab_check "[$MODE, sync $1] dplb a tracks the $N connections" \
		lab_wait_until 10 eval "[ \"\$(conns_of a)\" -ge $N ]"
	if [ "$1" = yes ]; then
		lab_check "[$MODE, sync $1] dplb b installed all $N: the first $((N / 2)) (sent before b ran) from the refresh" \
			lab_wait_until 10 eval "[ \"\$(sync_field b rx installed)\" -ge $N ]"
		lab_check "[$MODE, sync $1] ... and the refresh keeps coming while they are idle (updated)" \
			lab_wait_until 5 eval "[ \"\$(sync_field b rx updated)\" -ge 1 ]"
		SHOW_A=$(lab_dplbctl @a show sync) SHOW_B=$(lab_dplbctl @b show sync)
		PERSIST_A=$(lab_dplbctl @a -L -n --persistent-conn | grep -- "->.*:$PORT")
		PERSIST_B=$(lab_dplbctl @b -L -n --persistent-conn | grep -- "->.*:$PORT")
		DAEMON_A=$(lab_dplbctl @a --daemon) DAEMON_B=$(lab_dplbctl @b -L --daemon)
		STATS_A=$(lab_dplbctl @a show stats)
	else
		sleep 1
	fi
	# on a loaded box a late advert lets b take over for a moment, and
	# connections opened then live on b: the rest would prove nothing
	lab_check "[$MODE, sync $1] b stayed BACKUP until a is killed (no VRRP flap)" \
		bash -c "! grep -q 'VI_1: BACKUP -> MASTER' '${DPLB_LOG[b]}'"
	KILL_AT=$(date +%s.%N)
	kill -KILL "${DPLB_PID[a]}"
	wait "${DPLB_PID[a]}" 2>/dev/null
	lab_check "[$MODE, sync $1] dplb a killed: dplb b is MASTER" lab_wait_until 5 vrrp_is b MASTER
	lab_wait_until 5 lab_in client ping -n -c 1 -W 1 $VIP >/dev/null
	TAKEN_AT=$(date +%s.%N)
	touch "$flag"
	lab_wait_until 20 eval "! kill -0 ${pids[*]} 2>/dev/null"
	OK=0
	for ((i = 0; i < N; i++)); do
		got=$(cat "$LAB_TMP/hold-$MODE-$1-$i.log")
		echo "  connection $i: $got"
		[ "$got" = "one two" ] && OK=$((OK + 1))
	done
}

# ---- 1. with sync
PCAP=$LAB_TMP/sync.pcap
lab_capture sw br0 "udp port 8848" "$PCAP" 90 || lab_finish
round yes
echo "failover: a killed at $KILL_AT, b MASTER and the VIP answering at $TAKEN_AT"
lab_check_eq "with sync: all $N connections carry on through dplb b (one two)" "$N" "$OK"
lab_check_eq "ipvsadm --daemon on the MASTER (ipvsadm's format)" \
	"master sync daemon (mcast=lab0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)" \
	"$DAEMON_A"
lab_check_eq "ipvsadm -L --daemon on the BACKUP" \
	"backup sync daemon (mcast=lab0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)" \
	"$DAEMON_B"
echo "$SHOW_A"
echo "$SHOW_B"
lab_check_eq "b's real server counts match a's (ipvsadm -L -n --persistent-conn: the persistence template and $N active)" \
	"$PERSIST_A" "$PERSIST_B"
lab_check_grep "... which are 1 template and $N ESTABLISHED" "^  -> 198.18.1.21:$PORT +1 +1 +$N +0 *$" "$PERSIST_B"
lab_check_grep "show sync on a: driven by VI_1 (MASTER), messages sent, no event dropped" \
	"driven by: vrrp_instance VI_1 \(MASTER\)" "$SHOW_A"
lab_check_grep "... tx counts messages, no drops" "tx: msgs [1-9][0-9]* conns [1-9].* events_dropped 0 no_mbuf 0" "$SHOW_A"
lab_check_grep "show sync on b: messages received, $N connections and the template installed, nothing refused" \
	"rx: msgs [1-9][0-9]* conns [1-9][0-9]* installed $((N + 1)) updated [0-9]+ own 0 bad_udp 0 not_a_peer 0 install_ring_full 0 no_service 0 no_dest 0 create_failed 0" \
	"$SHOW_B"
lab_check_grep "... no message dropped as malformed" \
	"rx_dropped: short 0 bad_size 0 bad_version 0 other_syncid 0 truncated 0 bad_conn_version 0 bad_option 0 trailing_bytes 0" \
	"$SHOW_B"
lab_check_grep "b's log: BACKUP -> MASTER starts its master sync daemon" \
	"master sync daemon started on lab0" "$(cat "${DPLB_LOG[b]}")"
lab_check_grep "CLI: --start-daemon of a running role says so (ipvsadm's words)" \
	"Daemon has already run" "$(lab_dplbctl @b --start-daemon master --mcast-interface lab0 2>&1)"
lab_check_grep "CLI: --stop-daemon backup of a MASTER: No daemon is running" \
	"No daemon is running" "$(lab_dplbctl @b --stop-daemon backup 2>&1)"
lab_check_grep "CLI: a bad --mcast-ttl is refused, naming the value" "illegal mcast-ttl specified '0'" \
	"$(lab_dplbctl @b --start-daemon backup --mcast-ttl 0 2>&1)"
lab_dplbctl @b --stop-daemon master >/dev/null
lab_check_eq "CLI: --stop-daemon master: nothing left in --daemon" "" "$(lab_dplbctl @b --daemon)"
lab_dplb_stop b
lab_captures_stop
MSGS=$(lab_tshark "$PCAP" -Y "ip.src == 198.18.1.1 && ip.dst == 224.0.0.81 && udp.dstport == 8848 && ip.ttl == 1" | wc -l)
lab_check_ge "tshark: a's sync messages to 224.0.0.81:8848, TTL 1" 1 "$MSGS"
lab_check_eq "tshark: every sync message has good IP/UDP checksums" 0 "$(lab_bad_checksums "$PCAP")"
lab_check_eq "tshark's IPVS sync dissector reads them all, nothing malformed" 0 \
	"$(lab_tshark "$PCAP" -Y "!ipvs || _ws.malformed || _ws.expert.severity >= 6291456" | wc -l)"
lab_check_eq "... the template carries the template flag and LVS-DR (0x1003), client port 0" 1 \
	"$(lab_tshark "$PCAP" -Y "ipvs.flags.v1 == 0x1003 && ipvs.cport == 0" | wc -l | awk '{ print ($1 > 0) }')"
lab_check_eq "tshark: every message (a's, then b's as MASTER) starts 0, SYNCID, SIZE, COUNT, version 1" \
	"$(lab_tshark "$PCAP" -Y "udp.dstport == 8848" | wc -l)" \
	"$(lab_tshark "$PCAP" -Y "udp.dstport == 8848" -T fields -e udp.payload |
		awk 'substr($1, 1, 2) == "00" && substr($1, 11, 2) == "01"' | wc -l)"

# ---- 2. without sync: the same failover breaks them
round no
lab_check_eq "without sync: no connection survives the failover" 0 "$OK"
lab_check_ge "... b drops their packets (drop_no_connection)" 1 "$(lab_stat @b drop_no_connection)"
lab_dplb_stop b

# ---- 3. and 4. LVS-NAT
MODE=nat
round yes
lab_check_eq "NAT with sync: all $N connections carry on through dplb b (one two)" "$N" "$OK"
lab_check_grep "... a sends unicast to its peer b" "peers: 198.18.1.3" "$SHOW_A"
lab_check_grep "... which received them" \
	"rx: msgs [1-9][0-9]* conns [1-9][0-9]* installed $N " "$SHOW_B"
lab_check_grep "... b answers ARP for the real server's gateway now" "$GW" \
	"$(lab_in rs2 ip neigh show $GW | grep -i "$(lab_dplb_mac @b lab0)")"
lab_dplb_stop b
round no
lab_check_eq "NAT without sync: no connection survives the failover" 0 "$OK"
lab_dplb_stop b

# ---- 5. full NAT: the local address (a VIP of the instance too) and each
# connection's local port go with the connection
MODE=fnat
round yes
lab_check_eq "FNAT with sync: all $N connections carry on through dplb b (one two)" "$N" "$OK"
lab_check_grep "... b installed them with their local ports" \
	"rx: msgs [1-9][0-9]* conns [1-9][0-9]* installed $N .* create_failed 0" "$SHOW_B"
lab_dplb_stop b

# ---- 6. LVS-NAT behind the SYN proxy: each connection's sequence
# translation (LVS's own sequence option) goes with it, so the real
# server's numbers still reach the client in the cookie's space
MODE=natproxy
round yes
lab_check_eq "SYN proxy with sync: all $N connections carry on through dplb b (one two)" "$N" \
	"$OK"
lab_check_ge "... they were proxied: a answered their SYNs with cookies" "$N" \
	"$(awk '$1 == "syn_cookies_ok" { print $2 }' <<<"$STATS_A" | grep . || echo 0)"
lab_dplb_stop b
lab_finish
