#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# VRRP by unicast (unicast_peer) against keepalived, on a segment whose
# switch floods no multicast (mcast_flood off on every br0 port: 224.0.0.18
# never leaves the bridge; the capture on br0 still sees what is sent to it).
#
#   client 198.18.1.10/24 ──┐
#   peer   198.18.1.2/24  ──┤ br0    keepalived VI_1 vrid 51 priority 90,
#   rogue  198.18.1.3/24  ──┤        unicast_peer { 198.18.1.1 }
#   lb (af_packet) ─────────┘ dplb 198.18.1.1/24, VI_1 vrid 51 priority 100,
#                             unicast_peer = [ "198.18.1.2" ]
#
# Checks: dplb becomes MASTER and keepalived stays BACKUP (never adds the
# VIP); a keepalived not in dplb's unicast_peer list (rogue, priority 200)
# is refused (rx_not_a_peer) and dplb stays MASTER; SIGKILL dplb ->
# keepalived MASTER within Master_Down_Interval + 0.5 s (capture); dplb
# started again preempts; SIGTERM sends the priority-0 advert to the peer.
# tshark: every advert on the wire is unicast; every dplb advert goes to
# 198.18.1.2 (keepalived's MAC), TTL 255, VRRP checksum Good. VRRP_VERSION=3
# runs it with VRRPv3 (pseudo-header checksum over the unicast destination).
#
# usage: test/lab/test_vrrp_unicast.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100 RVIP=198.18.1.150
VER=${VRRP_VERSION:-2}
DSRC=198.18.1.1 PSRC=198.18.1.2 RSRC=198.18.1.3
command -v keepalived >/dev/null || { lab_skip "VRRP unicast against keepalived" "no keepalived"; lab_finish; }
echo "lab: VRRP unicast_peer, version $VER"

lab_add_lb lb || lab_finish
lab_add_host client 198.18.1.10/24 || lab_finish
lab_add_host peer $PSRC/24 || lab_finish
lab_add_host rogue $RSRC/24 || lab_finish

# the switch forwards no multicast to any port (ARP is broadcast: still flooded)
block_mcast() {
	local port
	for port in $(ip -n "${LAB_NS[sw]}" -o link show master br0 | awk -F': ' '{ print $2 }' |
		      cut -d@ -f1); do
		bridge -n "${LAB_NS[sw]}" link set dev "$port" mcast_flood off || return 1
		bridge -n "${LAB_NS[sw]}" -d link show dev "$port" | grep -q "mcast_flood off" ||
			return 1
	done
}
if block_mcast 2>"$LAB_TMP/br.err"; then
	lab_pass "switch floods no multicast (mcast_flood off on every br0 port)"
else
	lab_skip "multicast blocked on the switch" "bridge: $(head -n 1 "$LAB_TMP/br.err")"
fi

ka_conf() {	# FILE IFACE PRIORITY SRC PEER VIP
	cat >"$1" <<EOF
global_defs {
	router_id lab_$2
	enable_script_security
}
vrrp_instance VI_1 {
	state BACKUP
	interface $2
	virtual_router_id 51
	priority $3
	advert_int 1
	version $VER
	unicast_src_ip $4
	unicast_peer {
		$5
	}
	virtual_ipaddress {
		$6/24
	}
}
EOF
}
KA_CONF=$LAB_TMP/keepalived.conf KA_LOG=$LAB_TMP/keepalived.log
RG_CONF=$LAB_TMP/rogue.conf RG_LOG=$LAB_TMP/rogue.log
ka_conf "$KA_CONF" "${LAB_IF[peer]}" 90 $PSRC $DSRC $VIP
ka_conf "$RG_CONF" "${LAB_IF[rogue]}" 200 $RSRC $DSRC $RVIP

# the keepalived.conf reader takes unicast_peer / unicast_src_ip as they are
lab_check "dplb --config-test -k accepts keepalived's unicast_peer and unicast_src_ip" \
	ip netns exec "${LAB_NS[peer]}" "$DPLB" --config-test -k "$KA_CONF"
lab_check_grep "... and dumps them natively" 'unicast_peer = \[ "198\.18\.1\.1" \];' \
	"$(ip netns exec "${LAB_NS[peer]}" "$DPLB" --config-dump -k "$KA_CONF" 2>&1)"

DPLB_BODY="$(lab_lb_interfaces $DSRC/24)
vrrp_instances = ( {
	name = \"VI_1\"; interface = \"lab0\"; virtual_router_id = 51; priority = 100;
	advert_int = 1; version = $VER; state = \"BACKUP\";
	unicast_peer = [ \"$PSRC\" ]; unicast_src_ip = \"$DSRC\";
	virtual_ipaddress = [ \"$VIP\" ];
} );"

peer_has_vip() { lab_has_addr peer $VIP; }
peer_lacks_vip() { ! peer_has_vip; }
dplb_log_has() { grep -q "$1" "${DPLB_LOG[main]}"; }
ka_log_has() { grep -q "$1" "$KA_LOG"; }
vrrp_is() { lab_dplbctl show vrrp | grep -Eq "^VI_1: vrid 51 on lab0, $1,"; }

PCAP=$LAB_TMP/sw.pcap
lab_capture sw br0 "ip proto 112 or arp" "$PCAP" 150 || lab_finish

lab_dplb_start main "${LAB_NS[lb]}" "$DPLB_BODY" || lab_finish
lab_check "dplb: VI_1 BACKUP -> MASTER (no advert for 3.6 s)" \
	lab_wait_until 8 dplb_log_has "VI_1: BACKUP -> MASTER (no advert for"
lab_check_grep "show vrrp names the unicast peer" "^  unicast_peer $PSRC tx_unresolved [0-9]+$" \
	"$(lab_dplbctl show vrrp)"

lab_bg "${LAB_NS[peer]}" "$KA_LOG" keepalived -n -l -D -f "$KA_CONF" \
	-p "$LAB_TMP/ka.pid" -r "$LAB_TMP/ka-vrrp.pid" -c "$LAB_TMP/ka-checkers.pid"
KA_PID=$LAB_LAST_PID
lab_check "keepalived: VI_1 enters BACKUP" lab_wait_until 10 ka_log_has "(VI_1) Entering BACKUP STATE"
vip_seen=0
for i in $(seq 30); do peer_has_vip && vip_seen=1; sleep 0.2; done
lab_check_eq "keepalived stays BACKUP for 6 s on dplb's unicast adverts: never adds the VIP" \
	0 "$vip_seen"
lab_check "keepalived never entered MASTER" eval "! ka_log_has '(VI_1) Entering MASTER STATE'"
lab_in client ip neigh flush dev "${LAB_IF[client]}" 2>/dev/null
lab_check "client pings the VIP (dplb is MASTER)" lab_in client ping -n -c 2 -i 0.2 -W 2 $VIP

# a keepalived that is not in dplb's list, with a higher priority: refused
lab_bg "${LAB_NS[rogue]}" "$RG_LOG" keepalived -n -l -D -f "$RG_CONF" \
	-p "$LAB_TMP/rg.pid" -r "$LAB_TMP/rg-vrrp.pid" -c "$LAB_TMP/rg-checkers.pid"
RG_PID=$LAB_LAST_PID
lab_check "rogue keepalived (priority 200, not a peer) becomes MASTER on its own" \
	lab_wait_until 10 grep -q "(VI_1) Entering MASTER STATE" "$RG_LOG"
sleep 2
not_peer() { lab_dplbctl show vrrp | awk '/^  rx_not_a_peer / { print $2; exit }'; }
lab_check_ge "dplb refuses its adverts: rx_not_a_peer" 2 "$(not_peer)"
lab_check "dplb is still MASTER (priority 200 from a non-peer is ignored)" vrrp_is MASTER
lab_check "dplb never left MASTER" eval "! dplb_log_has 'VI_1: MASTER -> BACKUP'"
lab_stop_pid "$RG_PID" TERM 10 >/dev/null

# SIGKILL dplb: keepalived takes over within Master_Down_Interval + 0.5 s
KILL_AT=$(date +%s.%N)
kill -KILL "${DPLB_PID[main]}"
lab_wait_until 5 eval "! kill -0 ${DPLB_PID[main]}"
wait "${DPLB_PID[main]}" 2>/dev/null
lab_check "keepalived adds the VIP after dplb is killed" lab_wait_until 8 peer_has_vip
lab_check "keepalived: VI_1 enters MASTER" lab_wait_until 3 ka_log_has "(VI_1) Entering MASTER STATE"

# dplb again: it preempts (priority 100 > 90) on keepalived's unicast adverts
lab_dplb_start main "${LAB_NS[lb]}" "$DPLB_BODY" || lab_finish
lab_check "dplb again: BACKUP -> MASTER, preempting keepalived" \
	lab_wait_until 10 dplb_log_has "VI_1: BACKUP -> MASTER (preempting $PSRC (priority 90 < 100))"
lab_check "keepalived withdraws the VIP" lab_wait_until 5 peer_lacks_vip
lab_in client ip neigh flush dev "${LAB_IF[client]}" 2>/dev/null
lab_check "client pings the VIP through dplb again" \
	lab_wait_until 5 lab_in client ping -n -c 1 -W 1 $VIP
echo "$(lab_dplbctl show vrrp | sed -n '1,4p')"

# SIGTERM: the priority-0 advert goes to the peer; keepalived takes over at once
lab_dplb_stop main
lab_check "keepalived takes the VIP after dplb's priority-0 advert (< 2 s)" \
	lab_wait_until 2 peer_has_vip
lab_captures_stop

# ---- the capture
PMAC=$(lab_mac peer)
MCAST=$(lab_tshark "$PCAP" -Y "vrrp && ip.dst == 224.0.0.18" | wc -l)
lab_check_eq "no multicast advert on the wire, from anyone" 0 "$MCAST"
ADV=$(lab_tshark "$PCAP" -Y "vrrp && ip.src == $DSRC" | wc -l)
lab_check_ge "tshark decodes dplb's adverts" 8 "$ADV"
lab_tshark "$PCAP" -o vrrp.v3_checksum_as_in_v2:FALSE -Y "vrrp && ip.src == $DSRC" -T fields \
	-e eth.dst -e ip.dst -e ip.ttl -e vrrp.version -e vrrp.prio -e vrrp.checksum.status | sort | uniq -c
OFF=$(lab_tshark "$PCAP" -o vrrp.v3_checksum_as_in_v2:FALSE -Y "vrrp && ip.src == $DSRC &&
	!(eth.dst == $PMAC && ip.dst == $PSRC && ip.ttl == 255 && vrrp.version == $VER &&
	  vrrp.virt_rtr_id == 51 && vrrp.checksum.status == \"Good\" && ip.checksum.status == \"Good\")" | wc -l)
lab_check_eq "every dplb advert: to $PSRC at keepalived's MAC, TTL 255, v$VER, VRRP and IP checksums Good" \
	0 "$OFF"
BAD=$(lab_tshark "$PCAP" -o vrrp.v3_checksum_as_in_v2:FALSE \
	-Y "vrrp && (vrrp.checksum.status != \"Good\" || _ws.expert.severity >= 6291456 || _ws.malformed)" | wc -l)
lab_check_eq "every advert on the wire (dplb's and keepalived's): checksum Good, no warning" 0 "$BAD"
lab_check_ge "dplb's priority-0 advert went to the peer" 1 \
	"$(lab_tshark "$PCAP" -Y "vrrp && ip.src == $DSRC && ip.dst == $PSRC && vrrp.prio == 0" | wc -l)"
lab_check_ge "keepalived's adverts came to dplb by unicast" 3 \
	"$(lab_tshark "$PCAP" -Y "vrrp && ip.src == $PSRC && ip.dst == $DSRC" | wc -l)"

# keepalived priority 90: Master_Down_Interval = 3 * 1 + (256 - 90) / 256 = 3.648 s
GAP=$(lab_vrrp_gap "$PCAP" 51 "$KILL_AT" $DSRC $PSRC)
lab_gap_within "unicast: keepalived's first advert within 3.648 + 0.5 s of dplb's last" "$GAP" 4.148

lab_stop_pid "$KA_PID" TERM 10 >/dev/null
lab_finish
