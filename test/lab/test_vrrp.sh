#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# VRRP against keepalived (Debian's) on one L2 segment: v2 with PASS auth
# (default), VRRP_MODE=ah (v2, IPsec AH) or VRRP_MODE=v3 (no auth).
#
#   client 198.18.1.10/24 ──┐
#   peer   198.18.1.2/24  ──┤ br0     keepalived, VI_1 vrid 51 priority 90
#   lb (af_packet) ─────────┘ dplb 198.18.1.1/24, VI_1 vrid 51 priority 100
#                             VIP 198.18.1.100 (virtual_ipaddress of both)
#
# Checks: dplb becomes MASTER and keepalived stays BACKUP (never adds the
# VIP); tshark decodes dplb's adverts with valid VRRP checksums and no
# expert warning; dplb sends the GARP burst and answers ARP and ping for
# the VIP; SIGKILL dplb -> keepalived is MASTER within Master_Down_Interval
# + 0.5 s (measured in the capture) and the client pings the VIP through
# it; dplb started again preempts (keepalived withdraws the VIP); SIGTERM
# sends a priority-0 advert.
#
# usage: test/lab/test_vrrp.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100
VIP2=198.18.1.101		# VI_2: keepalived priority 150, dplb 50
MODE=${VRRP_MODE:-pass}
case $MODE in
pass) VER=2 KA_AUTH=$'authentication {\n\t\tauth_type PASS\n\t\tauth_pass secret\n\t}'
      D_AUTH='authentication = { type = "PASS"; pass = "secret"; };' ;;
ah)   VER=2 KA_AUTH=$'authentication {\n\t\tauth_type AH\n\t\tauth_pass secret\n\t}'
      D_AUTH='authentication = { type = "AH"; pass = "secret"; };' ;;
v3)   VER=3 KA_AUTH="" D_AUTH="" ;;
*)    echo "VRRP_MODE must be pass, ah or v3"; exit 2 ;;
esac
echo "lab: VRRP mode $MODE (version $VER)"
command -v keepalived >/dev/null || { lab_skip "VRRP against keepalived" "no keepalived"; lab_finish; }

lab_add_lb lb || lab_finish
lab_add_host client 198.18.1.10/24 || lab_finish
lab_add_host peer 198.18.1.2/24 || lab_finish
# the peer serves the VIP's web page while keepalived holds the VIP
lab_nginx peer 0.0.0.0 80 peer-web || lab_finish

KA_CONF=$LAB_TMP/keepalived.conf
cat >"$KA_CONF" <<EOF
global_defs {
	router_id lab_peer
	enable_script_security
}
vrrp_instance VI_1 {
	state BACKUP
	interface ${LAB_IF[peer]}
	virtual_router_id 51
	priority 90
	advert_int 1
	version $VER
	$KA_AUTH
	virtual_ipaddress {
		$VIP/24
	}
}
vrrp_instance VI_2 {
	state BACKUP
	interface ${LAB_IF[peer]}
	virtual_router_id 52
	priority 150
	advert_int 1
	version $VER
	$KA_AUTH
	virtual_ipaddress {
		$VIP2/24
	}
}
EOF

DPLB_BODY="$(lab_lb_interfaces 198.18.1.1/24)
vrrp_instances = ( {
	name = \"VI_1\"; interface = \"lab0\"; virtual_router_id = 51; priority = 100;
	advert_int = 1; version = $VER; state = \"BACKUP\";
	$D_AUTH
	virtual_ipaddress = [ \"$VIP\" ];
}, {
	name = \"VI_2\"; interface = \"lab0\"; virtual_router_id = 52; priority = 50;
	advert_int = 1; version = $VER; $D_AUTH
	virtual_ipaddress = [ \"$VIP2\" ];
} );"

peer_has_vip() { lab_has_addr peer $VIP; }
peer_lacks_vip() { ! peer_has_vip; }
dplb_log_has() { grep -q "$1" "${DPLB_LOG[main]}"; }
ka_log_has() { grep -q "$1" "$KA_LOG"; }

PCAP=$LAB_TMP/sw.pcap
lab_capture sw br0 "ip proto 112 or ip proto 51 or arp" "$PCAP" 120 || lab_finish

# keepalived first: it comes up as BACKUP and, alone, takes the VIP;
# dplb (priority 100) must then preempt it. Start dplb first instead so
# the first check is "keepalived never adds the VIP".
lab_dplb_start main "${LAB_NS[lb]}" "$DPLB_BODY" || lab_finish
lab_check "dplb: VI_1 INIT -> BACKUP at startup" lab_wait_until 5 dplb_log_has "VI_1: INIT -> BACKUP"
lab_check "dplb: VI_1 BACKUP -> MASTER (no advert for 3.6 s)" \
	lab_wait_until 8 dplb_log_has "VI_1: BACKUP -> MASTER (no advert for"

KA_LOG=$LAB_TMP/keepalived.log
lab_bg "${LAB_NS[peer]}" "$KA_LOG" keepalived -n -l -D -f "$KA_CONF" \
	-p "$LAB_TMP/ka.pid" -r "$LAB_TMP/ka-vrrp.pid" -c "$LAB_TMP/ka-checkers.pid"
KA_PID=$LAB_LAST_PID
lab_check "keepalived: VI_1 enters BACKUP" lab_wait_until 10 ka_log_has "(VI_1) Entering BACKUP STATE"
# keepalived would take over after 3.65 s without adverts: watch 8 s
vip_seen=0
for i in $(seq 40); do peer_has_vip && vip_seen=1; sleep 0.2; done
lab_check_eq "keepalived stays BACKUP for 8 s: never adds the VIP" 0 "$vip_seen"
lab_check "keepalived never entered MASTER for VI_1" eval "! ka_log_has '(VI_1) Entering MASTER STATE'"
lab_check "keepalived is still running" kill -0 "$KA_PID"

# dplb owns the VIP: ARP and ping answered from its MAC
DMAC=$(lab_dplb_mac lab0)
lab_in client ip neigh flush dev "${LAB_IF[client]}" 2>/dev/null
lab_check "client pings the VIP (dplb is MASTER)" lab_in client ping -n -c 2 -i 0.2 -W 2 $VIP
lab_check_grep "dplbctl show vrrp: VI_1 is MASTER" "^VI_1: vrid 51 on lab0, MASTER, priority 100" \
	"$(lab_dplbctl show vrrp)"
lab_check_eq "client's ARP entry for the VIP is dplb's MAC" "$DMAC" \
	"$(lab_in client ip neigh show $VIP | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')"

# VI_2: dplb (50) took it while alone, keepalived (150) took it back; dplb
# neither answers ARP for VIP2 nor accepts its traffic, and counts it
lab_check "dplb: VI_2 MASTER -> BACKUP on keepalived's priority 150" \
	dplb_log_has "VI_2: MASTER -> BACKUP (advert from 198.18.1.2 with priority 150)"
lab_check "client pings VIP2 (keepalived is MASTER for VI_2)" \
	lab_wait_until 5 lab_in client ping -n -c 1 -W 1 $VIP2
lab_check_eq "client's ARP entry for VIP2 is keepalived's MAC" "$(lab_mac peer)" \
	"$(lab_in client ip neigh show $VIP2 | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')"
before=$(lab_stat drop_vip_not_master)
lab_in client ip neigh replace $VIP2 lladdr "$DMAC" dev "${LAB_IF[client]}"
lab_check "ping to VIP2 sent to dplb's MAC is not answered (dplb is BACKUP for VI_2)" \
	eval "! lab_in client ping -n -c 3 -i 0.2 -W 1 $VIP2"
lab_in client ip neigh del $VIP2 dev "${LAB_IF[client]}"
lab_check_ge "... and dplb counts them as drop_vip_not_master" $((before + 3)) "$(lab_stat drop_vip_not_master)"

# SIGKILL dplb: keepalived takes over within Master_Down_Interval + 0.5 s
KILL_AT=$(date +%s.%N)
kill -KILL "${DPLB_PID[main]}"
lab_wait_until 5 eval "! kill -0 ${DPLB_PID[main]}"
wait "${DPLB_PID[main]}" 2>/dev/null
lab_check "keepalived adds the VIP after dplb is killed" lab_wait_until 8 peer_has_vip
lab_check "keepalived: VI_1 enters MASTER" lab_wait_until 3 ka_log_has "(VI_1) Entering MASTER STATE"
lab_in client ip neigh flush dev "${LAB_IF[client]}" 2>/dev/null
lab_check "client pings the VIP through keepalived's box" \
	lab_wait_until 5 lab_in client ping -n -c 1 -W 1 $VIP
lab_check_eq "curl to the VIP works through keepalived's box (the new master)" peer-web \
	"$(lab_in client curl -sf -m 3 http://$VIP/)"
PMAC=$(lab_mac peer)
lab_check_eq "client's ARP entry for the VIP is keepalived's MAC" "$PMAC" \
	"$(lab_in client ip neigh show $VIP | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')"

# dplb again: it preempts (priority 100 > 90) and keepalived withdraws
lab_dplb_start main "${LAB_NS[lb]}" "$DPLB_BODY" || lab_finish
lab_check "dplb again: BACKUP -> MASTER, preempting keepalived" \
	lab_wait_until 10 dplb_log_has "VI_1: BACKUP -> MASTER (preempting 198.18.1.2 (priority 90 < 100))"
lab_check "keepalived withdraws the VIP" lab_wait_until 5 peer_lacks_vip
lab_check "keepalived: VI_1 back to BACKUP" lab_wait_until 3 \
	eval "[ \$(grep -c '(VI_1) Entering BACKUP STATE' '$KA_LOG') -ge 2 ]"
lab_in client ip neigh flush dev "${LAB_IF[client]}" 2>/dev/null
lab_check "client pings the VIP through dplb again" \
	lab_wait_until 5 lab_in client ping -n -c 1 -W 1 $VIP

# SIGTERM: dplb resigns with a priority-0 advert; keepalived takes over at once
lab_dplb_stop main
lab_check "keepalived takes the VIP after dplb's priority-0 advert (< 2 s)" \
	lab_wait_until 2 peer_has_vip
lab_captures_stop

# ---- the capture
DSRC=198.18.1.1
PSRC=198.18.1.2
ADV=$(lab_tshark "$PCAP" -Y "vrrp && ip.src == $DSRC" | wc -l)
lab_check_ge "tshark decodes dplb's adverts" 5 "$ADV"
BAD=$(lab_tshark "$PCAP" -o vrrp.v3_checksum_as_in_v2:FALSE \
	-Y "vrrp && ip.src == $DSRC && (vrrp.checksum.status != \"Good\" || _ws.expert.severity >= 6291456 || _ws.malformed)" | wc -l)
lab_check_eq "every dplb advert: VRRP checksum Good, no expert warning, not malformed" 0 "$BAD"
FIELDS=$(lab_tshark "$PCAP" -Y "vrrp && ip.src == $DSRC && vrrp.prio > 0 && vrrp.virt_rtr_id == 51" -T fields \
	-e eth.src -e ip.ttl -e ip.dsfield -e vrrp.version -e vrrp.virt_rtr_id -e vrrp.prio \
	-e vrrp.auth_type -e vrrp.ip_addr | sort -u)
echo "$FIELDS"
case $MODE in pass) AT=1 ;; ah) AT=2 ;; v3) AT="" ;; esac
lab_check_eq "dplb's adverts: its MAC, TTL 255, TOS 0xc0, v$VER, vrid 51, prio 100, auth '$AT', the VIP" \
	"$DMAC	255	0xc0	$VER	51	100	$AT	$VIP" "$FIELDS"
lab_check_ge "dplb sent a priority-0 advert on SIGTERM" 1 \
	"$(lab_tshark "$PCAP" -Y "vrrp && ip.src == $DSRC && vrrp.prio == 0 && vrrp.virt_rtr_id == 51" | wc -l)"
GARP=$(lab_tshark "$PCAP" -Y "arp.isgratuitous && arp.src.proto_ipv4 == $VIP && eth.src == $DMAC" | wc -l)
lab_check_ge "dplb sent gratuitous ARP bursts for the VIP (5 per takeover)" 10 "$GARP"

# failover time: last advert of dplb before the kill -> first of keepalived after it
# keepalived priority 90: Master_Down_Interval = 3 * 1 + (256 - 90) / 256 = 3.648 s
GAP=$(lab_vrrp_gap "$PCAP" 51 "$KILL_AT" $DSRC $PSRC)
lab_gap_within "keepalived's first advert within 3.648 + 0.5 s of dplb's last" "$GAP" 4.148

lab_stop_pid "$KA_PID" TERM 10 >/dev/null
lab_finish
