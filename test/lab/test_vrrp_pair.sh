#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# VRRP takeovers that test_vrrp.sh does not cover:
#   1. keepalived MASTER (priority 150), dplb BACKUP (100); keepalived stops
#      -> dplb takes the VIP, sends its gratuitous ARP burst (tshark), and
#      the client's ARP cache points to dplb;
#   2. two dplb directors, VRRPv3 advert_int 0.1, both with an LVS-DR
#      service on the VIP: the MASTER is killed and the other takes over in
#      under 400 ms, from the old master's last advert to the new one's
#      first in a tshark capture; curl through the VIP works before and
#      after;
#   3. the killed one comes back with nopreempt: it stays BACKUP.
#
#   client 198.18.1.10/24 ──┐
#   peer   198.18.1.2/24  ──┤ br0   keepalived (part 1)
#   lb     198.18.1.1/24  ──┤       dplb "a" (af_packet)
#   lb2    198.18.1.3/24  ──┤       dplb "b" (af_packet, part 2 and 3)
#   rs1    198.18.1.21/24 ──┘       nginx, VIP3 on lo (LVS-DR)
#
# usage: test/lab/test_vrrp_pair.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100 VIP3=198.18.1.103
command -v keepalived >/dev/null || { lab_skip "VRRP takeovers" "no keepalived"; lab_finish; }
lab_add_lb lb || lab_finish
lab_add_lb lb2 || lab_finish
lab_add_host client 198.18.1.10/24 || lab_finish
lab_add_host peer 198.18.1.2/24 || lab_finish
lab_add_dr_realserver rs1 198.18.1.21/24 $VIP3 || lab_finish

PCAP=$LAB_TMP/sw.pcap
lab_capture sw br0 "ip proto 112 or arp" "$PCAP" 120 || lab_finish

# ---- 1. keepalived MASTER, dplb BACKUP; keepalived stops
KA_CONF=$LAB_TMP/keepalived.conf KA_LOG=$LAB_TMP/keepalived.log
printf '%s\n' "vrrp_instance VI_1 {" "	state MASTER" "	interface ${LAB_IF[peer]}" \
	"	virtual_router_id 51" "	priority 150" "	advert_int 1" \
	"	authentication {" "		auth_type PASS" "		auth_pass secret" "	}" \
	"	virtual_ipaddress {" "		$VIP/24" "	}" "}" >"$KA_CONF"
lab_bg "${LAB_NS[peer]}" "$KA_LOG" keepalived -n -l -D -f "$KA_CONF" \
	-p "$LAB_TMP/ka.pid" -r "$LAB_TMP/ka-vrrp.pid" -c "$LAB_TMP/ka-checkers.pid"
KA_PID=$LAB_LAST_PID
lab_check "keepalived becomes MASTER" lab_wait_until 10 \
	grep -q "(VI_1) Entering MASTER STATE" "$KA_LOG"

lab_dplb_start a "${LAB_NS[lb]}" "$(lab_lb_interfaces 198.18.1.1/24)
vrrp_instances = ( {
	name = \"VI_1\"; interface = \"lab0\"; virtual_router_id = 51; priority = 100;
	advert_int = 1; authentication = { type = \"PASS\"; pass = \"secret\"; };
	virtual_ipaddress = [ \"$VIP\" ];
} );" || lab_finish
vrrp_is() { lab_vrrp_is "@$1" VI_1 "$2"; }	# INST STATE: dplb INST's VI_1
lab_check "dplb a stays BACKUP under keepalived's priority 150" lab_wait_until 5 vrrp_is a BACKUP
sleep 2
lab_check "... for good (never MASTER)" bash -c "! grep -q 'VI_1: BACKUP -> MASTER' '${DPLB_LOG[a]}'"
lab_in client ping -n -c 1 -W 1 $VIP >/dev/null 2>&1
lab_check_eq "client's ARP entry for the VIP is keepalived's MAC" "$(lab_mac peer)" \
	"$(lab_in client ip neigh show $VIP | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')"
STOP_AT=$(date +%s.%N)
lab_stop_pid "$KA_PID" TERM 10 >/dev/null
lab_check "keepalived stopped: dplb a takes over (MASTER)" lab_wait_until 3 vrrp_is a MASTER
lab_check_grep "... because keepalived resigned (priority 0)" \
	"VI_1: BACKUP -> MASTER \(master 198\.18\.1\.2 resigned \(priority 0\)\)" "$(cat "${DPLB_LOG[a]}")"
DMAC=$(lab_dplb_mac @a lab0)
lab_check "client pings the VIP through dplb a" lab_wait_until 5 lab_in client ping -n -c 1 -W 1 $VIP
lab_check_eq "client's ARP entry for the VIP is now dplb a's MAC (the GARP updated it)" "$DMAC" \
	"$(lab_in client ip neigh show $VIP | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')"
lab_dplb_stop a

# ---- 2. two dplb, VRRPv3 advert_int 0.1
pair_body() {	# ADDR PRIORITY [EXTRA]
	echo "$(lab_lb_interfaces "$1/24")
vrrp_instances = ( {
	name = \"VI_1\"; interface = \"lab0\"; virtual_router_id = 53; priority = $2;
	version = 3; advert_int = 0.1; ${3:-}
	virtual_ipaddress = [ \"$VIP3\" ];
} );
virtual_servers = ( { address = \"$VIP3\"; port = 80; scheduler = \"rr\";
	$(lab_real_servers dr 80 198.18.1.21) } );"
}
lab_dplb_start a "${LAB_NS[lb]}" "$(pair_body 198.18.1.1 100)" || lab_finish
lab_dplb_start b "${LAB_NS[lb2]}" "$(LAB_IF[lb]=${LAB_IF[lb2]}; pair_body 198.18.1.3 90)" || lab_finish
lab_check "dplb a (priority 100) is MASTER" lab_wait_until 5 vrrp_is a MASTER
lab_check "dplb b (priority 90) is BACKUP" lab_wait_until 5 vrrp_is b BACKUP
lab_check_eq "curl through VIP3 (dplb a, DR to rs1)" rs1 \
	"$(lab_wait_until 5 lab_in client curl -sf -m 2 -o /dev/null http://$VIP3/; lab_in client curl -sf -m 2 http://$VIP3/)"
sleep 1
KILL_AT=$(date +%s.%N)
kill -KILL "${DPLB_PID[a]}"
wait "${DPLB_PID[a]}" 2>/dev/null
lab_check "dplb a killed: dplb b is MASTER" lab_wait_until 3 vrrp_is b MASTER
lab_check "client pings VIP3 through dplb b" lab_wait_until 5 lab_in client ping -n -c 1 -W 1 $VIP3
lab_check_eq "curl through VIP3 keeps working through dplb b" rs1 \
	"$(lab_wait_until 5 lab_in client curl -sf -m 2 -o /dev/null http://$VIP3/; lab_in client curl -sf -m 2 http://$VIP3/)"

# ---- 3. a comes back with nopreempt: b stays MASTER
lab_dplb_start a "${LAB_NS[lb]}" "$(pair_body 198.18.1.1 100 'nopreempt = true;')" || lab_finish
lab_check "dplb a back with nopreempt: BACKUP" lab_wait_until 5 vrrp_is a BACKUP
sleep 2
lab_check "... and stays BACKUP (does not preempt b's priority 90)" vrrp_is a BACKUP
lab_check "dplb b is still MASTER" vrrp_is b MASTER
lab_dplb_stop a
lab_dplb_stop b
lab_captures_stop

# the capture: GARP of part 1, failover gap of part 2
GARP=$(lab_tshark "$PCAP" -Y "arp.isgratuitous && arp.src.proto_ipv4 == $VIP && eth.src == $DMAC && frame.time_epoch > $STOP_AT" | wc -l)
lab_check_ge "tshark sees dplb a's gratuitous ARP burst for the VIP after keepalived stopped" 5 "$GARP"
TIMES=$(lab_tshark "$PCAP" -Y "vrrp && vrrp.prio > 0 && vrrp.virt_rtr_id == 53" \
	-T fields -e frame.time_epoch -e ip.src)
LAST_A=$(awk -v k="$KILL_AT" '$2 == "198.18.1.1" && $1 < k { t = $1 } END { print t }' <<<"$TIMES")
FIRST_B=$(awk -v k="$KILL_AT" '$2 == "198.18.1.3" && $1 > k { print $1; exit }' <<<"$TIMES")
GAP=$(awk -v a="$LAST_A" -v b="$FIRST_B" 'BEGIN { if (a == "" || b == "") print "none"; else printf "%.3f", b - a }')
echo "v3 0.1 s failover: last advert of a $LAST_A, first of b $FIRST_B: $GAP s (Master_Down_Interval 0.365 s)"
lab_check "dplb b's first advert within 400 ms of dplb a's last ($GAP s)" \
	awk -v g="$GAP" 'BEGIN { exit !(g != "none" && g + 0 > 0 && g + 0 < 0.4) }'
BAD=$(lab_tshark "$PCAP" -Y "vrrp && vrrp.virt_rtr_id == 53 && (vrrp.checksum.status != \"Good\" || _ws.expert.severity >= 6291456)" | wc -l)
lab_check_eq "every v3 advert: checksum Good, no expert warning" 0 "$BAD"
lab_finish
