#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# VRRP changes applied by a config reload, without a restart, against
# keepalived on the same segment:
#   1. dplb MASTER (priority 150), keepalived BACKUP (100); a reload down to
#      priority 50 hands MASTER to keepalived (the client's ARP entry for
#      the VIP follows), a reload back to 150 takes it back (preemption);
#   2. a reload adds an instance VI_2 (VRRPv3, no peer): it becomes MASTER
#      and its VIP answers ping; a reload adds a VIP to it: that VIP
#      answers at once, announced by gratuitous ARP; a reload removes VI_2:
#      a priority-0 advert goes out and its VIPs stop answering;
#   3. a reload that adds VI_2 again with a vrrp_sync_group of both is named
#      restart-only, and nothing VRRP changes.
#
#   client 198.18.1.10/24 ──┐
#   peer   198.18.1.2/24  ──┤ br0   keepalived
#   lb     198.18.1.1/24  ──┘       dplb (af_packet)
#
# usage: test/lab/test_vrrp_reload.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100 VIP2=198.18.1.102 VIP3=198.18.1.103
command -v keepalived >/dev/null || { lab_skip "VRRP reload" "no keepalived"; lab_finish; }
lab_add_lb lb || lab_finish
lab_add_host client 198.18.1.10/24 || lab_finish
lab_add_host peer 198.18.1.2/24 || lab_finish
PCAP=$LAB_TMP/sw.pcap
lab_capture sw br0 "ip proto 112 or arp" "$PCAP" 90 || lab_finish

KA_CONF=$LAB_TMP/keepalived.conf KA_LOG=$LAB_TMP/keepalived.log
printf '%s\n' "vrrp_instance VI_1 {" "	state BACKUP" "	interface ${LAB_IF[peer]}" \
	"	virtual_router_id 51" "	priority 100" "	advert_int 1" \
	"	authentication {" "		auth_type PASS" "		auth_pass secret" "	}" \
	"	virtual_ipaddress {" "		$VIP/24" "	}" "}" >"$KA_CONF"
lab_bg "${LAB_NS[peer]}" "$KA_LOG" keepalived -n -l -D -f "$KA_CONF" \
	-p "$LAB_TMP/ka.pid" -r "$LAB_TMP/ka-vrrp.pid" -c "$LAB_TMP/ka-checkers.pid"
KA_PID=$LAB_LAST_PID

lab_dplb_start main "${LAB_NS[lb]}" "$(lab_lb_interfaces 198.18.1.1/24)
vrrp_instances = ( {
	name = \"VI_1\"; interface = \"lab0\"; virtual_router_id = 51;
	priority = 150;
	advert_int = 1; authentication = { type = \"PASS\"; pass = \"secret\"; };
	virtual_ipaddress = [ \"$VIP\" ];
} /*VI_2*/ );" || lab_finish
CONF=$LAB_TMP/dplb-main.conf
cp "$CONF" "$LAB_TMP/base.conf"
vrrp_is() { lab_vrrp_is VI_1 "$@"; }
arp_of() {	# ADDR: the client's ARP entry for ADDR (after one ping)
	lab_in client ping -n -c 1 -W 1 "$1" >/dev/null 2>&1
	lab_in client ip neigh show "$1" | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}
no_ping() { ! lab_in client ping -n -c 1 -W 1 "$1" >/dev/null 2>&1; }
no_vi2() { ! lab_dplbctl show vrrp | grep -q '^VI_2:'; }
reload() {	# SED-EXPRESSION: the base file edited, then `config reload`
	sed "$1" "$LAB_TMP/base.conf" >"$CONF"
	lab_dplbctl config reload 2>&1
}
lab_check "dplb (priority 150) is MASTER" lab_wait_until 6 vrrp_is MASTER 150
lab_check "keepalived (priority 100) is BACKUP" lab_wait_until 5 \
	grep -q "(VI_1) Entering BACKUP STATE" "$KA_LOG"
DMAC=$(lab_dplb_mac lab0)
lab_check_eq "the client reaches the VIP at dplb's MAC" "$DMAC" "$(arp_of $VIP)"

# ---- 1. priority down by reload: keepalived takes over; up again: back
OUT=$(reload 's/priority = 150;/priority = 50;/')
echo "$OUT"
lab_check_grep "reload: says the priority changed" "vrrp_instance VI_1: priority 150 -> 50" "$OUT"
lab_check_eq "... and names nothing restart-only" "" "$(grep 'restart' <<<"$OUT")"
lab_check "dplb is BACKUP at priority 50 (keepalived preempted)" lab_wait_until 6 vrrp_is BACKUP 50
lab_check "keepalived is MASTER" lab_wait_until 5 grep -q "(VI_1) Entering MASTER STATE" "$KA_LOG"
lab_check "the client's ARP entry for the VIP moves to keepalived's MAC" \
	lab_wait_until 5 eval '[ "$(arp_of $VIP)" = "$(lab_mac peer)" ]'
OUT=$(reload 's/priority = 150;/priority = 150;/')
lab_check "a reload back to 150: dplb preempts, MASTER again" lab_wait_until 6 vrrp_is MASTER 150
lab_check "... and the client's ARP entry is dplb's again" \
	lab_wait_until 5 eval '[ "$(arp_of $VIP)" = "$DMAC" ]'

# ---- 2. an instance added, a VIP added to it, the instance removed
VI2="{ name = \"VI_2\"; interface = \"lab0\"; virtual_router_id = 52; priority = 100;
	version = 3; advert_int = 0.1; virtual_ipaddress = [ \"$VIP2\" ]; }"
VI2B=${VI2/\"$VIP2\" ]/\"$VIP2\", \"$VIP3\" ]}
lab_check "VIP2 does not answer before the reload" no_ping $VIP2
OUT=$(reload "s|/\*VI_2\*/|, $(tr '\n' ' ' <<<"$VI2")|")
lab_check_grep "reload: VI_2 added" "vrrp_instance VI_2 added" "$OUT"
lab_check "VI_2 becomes MASTER (no peer)" lab_wait_until 3 lab_vrrp_is VI_2 MASTER
lab_check "VI_1 stayed MASTER through it" vrrp_is MASTER 150
lab_check "VIP2 answers ping" lab_wait_until 3 lab_in client ping -n -c 1 -W 1 $VIP2
lab_check "VIP3 does not answer yet" no_ping $VIP3
GARP_AT=$(date +%s.%N)
OUT=$(reload "s|/\*VI_2\*/|, $(tr '\n' ' ' <<<"$VI2B")|")
lab_check_grep "reload: VI_2's virtual_ipaddress changed" "VI_2: virtual_ipaddress changed" "$OUT"
lab_check "VIP3, added by reload, answers ping at once" lab_in client ping -n -c 1 -W 1 $VIP3
lab_check "VI_2 is still MASTER" lab_vrrp_is VI_2 MASTER
REMOVE_AT=$(date +%s.%N)
OUT=$(reload 's/priority = 150;/priority = 150;/')
lab_check_grep "reload: VI_2 removed" "vrrp_instance VI_2 removed" "$OUT"
lab_check "VIP2 no longer answers" no_ping $VIP2
lab_check "VIP3 no longer answers" no_ping $VIP3
lab_check "VI_2 is gone from show vrrp" no_vi2
lab_check "VI_1 stayed MASTER" vrrp_is MASTER 150

# ---- 3. restart-only: a sync group
OUT=$(reload "s|/\*VI_2\*/|, $(tr '\n' ' ' <<<"$VI2") ); \
vrrp_sync_groups = ( { name = \"G\"; group = [ \"VI_1\", \"VI_2\" ]; }|")
echo "$OUT"
lab_check_grep "VI_2 and a vrrp_sync_group for both: named restart-only" \
	"vrrp_sync_groups changed: VRRP changes apply at the next restart" "$OUT"
lab_check "... VI_2 is not added" no_vi2
lab_check "... VI_1 is untouched (MASTER, 150)" vrrp_is MASTER 150

lab_dplb_stop main
lab_stop_pid "$KA_PID" TERM 5 >/dev/null
lab_captures_stop
N=$(lab_tshark "$PCAP" -Y "arp.isgratuitous && arp.src.proto_ipv4 == $VIP3 && eth.src == $DMAC && frame.time_epoch > $GARP_AT" | wc -l)
lab_check_ge "tshark: gratuitous ARPs for VIP3 after the reload that added it" 5 "$N"
N=$(lab_tshark "$PCAP" -Y "vrrp && vrrp.virt_rtr_id == 52 && vrrp.prio == 0 && frame.time_epoch > $REMOVE_AT" | wc -l)
lab_check_ge "tshark: VI_2 sent a priority-0 advert when the reload removed it" 1 "$N"
lab_finish
