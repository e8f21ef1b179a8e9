#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# LVS-DR (direct routing) through dplb, with nginx real servers that hold
# the VIP on their loopback and curl as the client.
#
#   client 198.18.1.10/24 ──┐
#   rs1    198.18.1.21/24 ──┤ br0     (rs1, rs2: VIP 198.18.1.100/32 on lo,
#   rs2    198.18.1.22/24 ──┤          arp_ignore=1, arp_announce=2,
#   lb (af_packet) ─────────┘          nginx on VIP:80)
#                             dplb 198.18.1.1/24, VIP 198.18.1.100:80 (DR)
#
# Checks: both real servers serve clients through the VIP (rr); only dplb
# answers ARP for the VIP (the client's neighbour entry is dplb's MAC);
# on the switch port towards dplb the client's packets to the VIP arrive
# and leave again unchanged with the real servers' MACs, and no reply
# (tcp.srcport == 80) ever crosses it; the replies reach the client from
# the VIP, sent by the real servers' MACs, with valid IP and TCP checksums;
# the packets the real servers get are the client's, unchanged;
# `ipvsadm -L -n` lists Route; dplb stops cleanly.
#
# usage: test/lab/test_dr.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100
N=20

# cap_start NS IFACE FILTER FILE: tshark in the background (at most 60 s),
# its pid in CAP_PID; waits (bounded) until it captures.
cap_start() {
	lab_bg "$1" "$4.log" tshark -q -n -i "$2" -f "$3" -a duration:60 -w "$4"
	CAP_PID=$LAB_LAST_PID
	lab_wait_until 15 grep -q "Capturing on" "$4.log" || {
		lab_fail "tshark starts on $2" "$(cat "$4.log")"
		return 1
	}
}

# A real server for DR: the VIP on lo, not announced nor answered for on
# the segment, nginx on the VIP.
add_dr_rs() {	# NAME ADDR/LEN
	local ifc
	lab_add_host "$1" "$2" || return 1
	ifc=${LAB_IF[$1]}
	ip -n "${LAB_NS[$1]}" addr add "$VIP/32" dev lo
	lab_in "$1" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
		"net.ipv4.conf.$ifc.arp_ignore=1" "net.ipv4.conf.$ifc.arp_announce=2" || return 1
	lab_nginx "$1" "$VIP" 80
}

lab_add_host client 198.18.1.10/24 || lab_finish
lab_add_lb lb || lab_finish
add_dr_rs rs1 198.18.1.21/24 || lab_finish
add_dr_rs rs2 198.18.1.22/24 || lab_finish

lab_dplb_start main "${LAB_NS[lb]}" "
connections = { max = 65536; };
interfaces = ( {
	name = \"lab0\";
	device = \"net_af_packet0,iface=${LAB_IF[lb]}\";
	addresses = [ \"198.18.1.1/24\" ];
	exception = \"$(lab_ifname -tap)\";
} );
virtual_servers = ( {
	protocol = \"tcp\"; address = \"$VIP\"; port = 80; scheduler = \"rr\";
	real_servers = (
		{ address = \"198.18.1.21\"; port = 80; weight = 1; forward = \"dr\"; },
		{ address = \"198.18.1.22\"; port = 80; weight = 1; forward = \"dr\"; } );
} );" || lab_finish
DPLB_MAC=$(lab_dplb_mac lab0)
RS1_MAC=$(lab_mac rs1) RS2_MAC=$(lab_mac rs2)
echo "dplb mac $DPLB_MAC, rs1 mac $RS1_MAC, rs2 mac $RS2_MAC"

LIST=$(lab_dplbctl ipvsadm -L -n)
echo "$LIST"
lab_check_grep "ipvsadm -L -n lists the service" "^TCP  $VIP:80 rr" "$LIST"
lab_check_grep "ipvsadm -L -n lists rs1 as Route, weight 1" "^  -> 198\.18\.1\.21:80 +Route +1 " "$LIST"
lab_check_grep "ipvsadm -L -n lists rs2 as Route, weight 1" "^  -> 198\.18\.1\.22:80 +Route +1 " "$LIST"

# dplb resolves the real servers' MACs by itself within a few seconds
lab_wait_until 10 sh -c "ip netns exec ${LAB_NS[lb]} $DPLBCTL -s 127.0.0.1:${DPLB_PORT[main]} show neigh |
	grep -q '^198.18.1.21 ' && ip netns exec ${LAB_NS[lb]} $DPLBCTL -s 127.0.0.1:${DPLB_PORT[main]} show neigh |
	grep -q '^198.18.1.22 '"

# Captures: the switch port towards dplb (both directions of the LB's link),
# the client, and both real servers.
SWPORT=$(lab_ifname _lb)
PC_LB=$LAB_TMP/swlb.pcap PC_CL=$LAB_TMP/client.pcap
PC_RS1=$LAB_TMP/rs1.pcap PC_RS2=$LAB_TMP/rs2.pcap
cap_start "${LAB_NS[sw]}" "$SWPORT" "tcp port 80" "$PC_LB" || lab_finish
CAPS=("$CAP_PID")
cap_start "${LAB_NS[client]}" "${LAB_IF[client]}" "tcp port 80 or arp" "$PC_CL" || lab_finish
CAPS+=("$CAP_PID")
cap_start "${LAB_NS[rs1]}" "${LAB_IF[rs1]}" "tcp port 80" "$PC_RS1" || lab_finish
CAPS+=("$CAP_PID")
cap_start "${LAB_NS[rs2]}" "${LAB_IF[rs2]}" "tcp port 80" "$PC_RS2" || lab_finish
CAPS+=("$CAP_PID")
sleep 0.5	# "Capturing on" comes just before the capture really runs

# The client has no ARP entry for the VIP yet: its first request resolves it.
lab_in client ip neigh flush dev "${LAB_IF[client]}" 2>/dev/null
declare -A seen=()
fails=0
for _ in $(seq 1 $N); do
	page=$(lab_in client curl -sf -m 5 "http://$VIP/") || { fails=$((fails + 1)); continue; }
	seen[$page]=$(( ${seen[$page]:-0} + 1 ))
done
sleep 0.5	# let the last frames reach the captures
for pid in "${CAPS[@]}"; do lab_stop_pid "$pid" INT 10 >/dev/null; done
lab_check_eq "$N requests through the VIP, none failed" 0 "$fails"
lab_check_eq "rr: rs1 served half" $((N / 2)) "${seen[rs1]:-0}"
lab_check_eq "rr: rs2 served half" $((N / 2)) "${seen[rs2]:-0}"

# Only the director answers ARP for the VIP.
NEIGH=$(lab_in client ip neigh show $VIP dev "${LAB_IF[client]}")
lab_check_eq "the client's ARP entry for the VIP is dplb's MAC" "$DPLB_MAC" \
	"$(awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }' <<<"$NEIGH")"

tsh() {	# PCAP ARGS...: tshark with IP and TCP checksum validation on
	local f=$1
	shift
	tshark -n -r "$f" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE "$@" 2>/dev/null
}
ARP_REQ=$(tsh "$PC_CL" -Y "arp.opcode == 1 && arp.dst.proto_ipv4 == $VIP" | wc -l)
ARP_REP=$(tsh "$PC_CL" -Y "arp.opcode == 2 && arp.src.proto_ipv4 == $VIP" -T fields -e arp.src.hw_mac)
lab_check_ge "client: asked ARP for the VIP" 1 "$ARP_REQ"
lab_check_eq "client: one ARP reply per request for the VIP, all from dplb's MAC" \
	"$(for _ in $(seq "$ARP_REQ"); do echo "$DPLB_MAC"; done)" "$ARP_REP"

STATS=$(lab_dplbctl ipvsadm -L -n --stats)
echo "$STATS"
lab_check_grep "--stats counts $N connections on the service" "^TCP  $VIP:80 +$N " "$STATS"
# Conns InPkts OutPkts InBytes OutBytes: DR sees no reply, so OutPkts is 0
lab_check_grep "--stats: no packet out (replies bypass dplb)" "^TCP  $VIP:80 +$N +[0-9]+ +0 " "$STATS"

# The LB's link: the client's packets to the VIP arrive (to dplb's MAC) and
# leave again (from dplb's MAC to a real server's), no reply crosses it.
ARRIVE=$(tsh "$PC_LB" -Y "ip.dst == $VIP && tcp.dstport == 80 && eth.dst == $DPLB_MAC" | wc -l)
LEAVE=$(tsh "$PC_LB" -Y "ip.dst == $VIP && tcp.dstport == 80 && eth.src == $DPLB_MAC &&
	(eth.dst == $RS1_MAC || eth.dst == $RS2_MAC)" | wc -l)
REPLIES=$(tsh "$PC_LB" -Y "tcp.srcport == 80" | wc -l)
lab_check_ge "LB link: the client's packets to the VIP arrive at dplb" $((N * 4)) "$ARRIVE"
lab_check_eq "LB link: dplb sends each of them on to a real server's MAC" "$ARRIVE" "$LEAVE"
lab_check_eq "LB link: no packet with tcp.srcport == 80 (replies go direct)" 0 "$REPLIES"
[ "$REPLIES" = 0 ] || tsh "$PC_LB" -Y "tcp.srcport == 80" | head -n 5
BAD=$(tsh "$PC_LB" -Y "ip.checksum.status == \"Bad\" || tcp.checksum.status == \"Bad\"" | wc -l)
lab_check_eq "LB link: no bad IP/TCP checksum (tshark validation)" 0 "$BAD"

# The client: replies come from the VIP, sent by the real servers' MACs,
# with valid checksums.
SRCS=$(tsh "$PC_CL" -Y "tcp.srcport == 80" -T fields -e ip.src | sort -u)
lab_check_eq "client: replies come from the VIP only" "$VIP" "$SRCS"
MACS=$(tsh "$PC_CL" -Y "tcp.srcport == 80" -T fields -e eth.src | sort -u | tr '\n' ' ')
lab_check_eq "client: replies are sent by the real servers' MACs" \
	"$(printf '%s\n' "$RS1_MAC" "$RS2_MAC" | sort | tr '\n' ' ')" "$MACS"
TOTAL=$(tsh "$PC_CL" -Y "tcp.srcport == 80" | wc -l)
GOOD=$(tsh "$PC_CL" -Y "tcp.srcport == 80 && ip.checksum.status == \"Good\" &&
	tcp.checksum.status == \"Good\"" | wc -l)
lab_check_ge "client: tshark saw the replies" $((N * 3)) "$TOTAL"
lab_check_eq "client: all $TOTAL replies have good IP and TCP checksums" "$TOTAL" "$GOOD"

# The real servers get the client's packets unchanged: same IP ID, TTL,
# IP checksum, TCP seq/ack/flags/length/checksum as the client sent them.
fields=(-T fields -e ip.src -e ip.dst -e ip.id -e ip.ttl -e ip.checksum -e tcp.srcport
	-e tcp.seq_raw -e tcp.ack_raw -e tcp.flags -e tcp.len -e tcp.checksum)
SENT=$(tsh "$PC_CL" -Y "ip.dst == $VIP && tcp.dstport == 80" "${fields[@]}" | sort)
GOT=$( (tsh "$PC_RS1" -Y "ip.dst == $VIP && tcp.dstport == 80 && eth.src == $DPLB_MAC" "${fields[@]}"
	tsh "$PC_RS2" -Y "ip.dst == $VIP && tcp.dstport == 80 && eth.src == $DPLB_MAC" "${fields[@]}") | sort)
if [ -n "$SENT" ] && [ "$SENT" = "$GOT" ]; then
	lab_pass "real servers got the client's $(wc -l <<<"$SENT") packets unchanged"
else
	lab_fail "real servers got the client's packets unchanged" \
		"$(diff <(echo "$SENT") <(echo "$GOT") | head -n 20)"
fi
GOODF="ip.dst == $VIP && tcp.dstport == 80 && eth.src == $DPLB_MAC &&
	ip.checksum.status == \"Good\" && tcp.checksum.status == \"Good\""
GOODRS=$( (tsh "$PC_RS1" -Y "$GOODF"; tsh "$PC_RS2" -Y "$GOODF") | wc -l)
lab_check_eq "real servers: all forwarded packets have good IP and TCP checksums" \
	"$(grep -c . <<<"$GOT")" "$GOODRS"

lab_dplb_stop main
lab_finish
