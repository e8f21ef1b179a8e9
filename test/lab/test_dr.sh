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
# the packets the real servers get are the client's, unchanged but for
# the TTL (one less, as kernel LVS forwards them);
# `ipvsadm -L -n` lists Route; dplb stops cleanly.
#
# usage: test/lab/test_dr.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100
N=20

lab_add_host client 198.18.1.10/24 || lab_finish
lab_add_lb lb || lab_finish
lab_add_dr_realserver rs1 198.18.1.21/24 $VIP || lab_finish
lab_add_dr_realserver rs2 198.18.1.22/24 $VIP || lab_finish

lab_dplb_start main "${LAB_NS[lb]}" "connections = { max = 65536; };
$(lab_lb_interfaces 198.18.1.1/24)
virtual_servers = ( {
	protocol = \"tcp\"; address = \"$VIP\"; port = 80; scheduler = \"rr\";
	$(lab_real_servers dr 80 198.18.1.21=1 198.18.1.22=1)
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
lab_dplb_wait_neigh 198.18.1.21 198.18.1.22

# Captures: the switch port towards dplb (both directions of the LB's link),
# the client, and both real servers.
SWPORT=$(lab_ifname _lb)
PC_LB=$LAB_TMP/swlb.pcap PC_CL=$LAB_TMP/client.pcap
PC_RS1=$LAB_TMP/rs1.pcap PC_RS2=$LAB_TMP/rs2.pcap
rs_tshark() { lab_tshark "$PC_RS1" "$@"; lab_tshark "$PC_RS2" "$@"; }	# both, one output
lab_capture sw "$SWPORT" "tcp port 80" "$PC_LB" || lab_finish
lab_capture client "${LAB_IF[client]}" "tcp port 80 or arp" "$PC_CL" || lab_finish
lab_capture rs1 "${LAB_IF[rs1]}" "tcp port 80" "$PC_RS1" || lab_finish
lab_capture rs2 "${LAB_IF[rs2]}" "tcp port 80" "$PC_RS2" || lab_finish

# The client has no ARP entry for the VIP yet: its first request resolves it.
lab_in client ip neigh flush dev "${LAB_IF[client]}" 2>/dev/null
lab_requests client $N "http://$VIP/"
lab_captures_stop
lab_check_eq "$N requests through the VIP, none failed" 0 "$LAB_FAILS"
lab_check_eq "rr: rs1 served half" $((N / 2)) "${LAB_SEEN[rs1]:-0}"
lab_check_eq "rr: rs2 served half" $((N / 2)) "${LAB_SEEN[rs2]:-0}"

# Only the director answers ARP for the VIP.
NEIGH=$(lab_in client ip neigh show $VIP dev "${LAB_IF[client]}")
lab_check_eq "the client's ARP entry for the VIP is dplb's MAC" "$DPLB_MAC" \
	"$(awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }' <<<"$NEIGH")"
lab_check_vip_arp "$PC_CL" $VIP "$DPLB_MAC"

STATS=$(lab_dplbctl ipvsadm -L -n --stats)
echo "$STATS"
lab_check_grep "--stats counts $N connections on the service" "^TCP  $VIP:80 +$N " "$STATS"
# Conns InPkts OutPkts InBytes OutBytes: DR sees no reply, so OutPkts is 0
lab_check_grep "--stats: no packet out (replies bypass dplb)" "^TCP  $VIP:80 +$N +[0-9]+ +0 " "$STATS"

# The LB's link: the client's packets to the VIP arrive (to dplb's MAC) and
# leave again (from dplb's MAC to a real server's), no reply crosses it.
ARRIVE=$(lab_tshark "$PC_LB" -Y "ip.dst == $VIP && tcp.dstport == 80 && eth.dst == $DPLB_MAC" | wc -l)
LEAVE=$(lab_tshark "$PC_LB" -Y "ip.dst == $VIP && tcp.dstport == 80 && eth.src == $DPLB_MAC &&
	(eth.dst == $RS1_MAC || eth.dst == $RS2_MAC)" | wc -l)
REPLIES=$(lab_tshark "$PC_LB" -Y "tcp.srcport == 80" | wc -l)
lab_check_ge "LB link: the client's packets to the VIP arrive at dplb" $((N * 4)) "$ARRIVE"
lab_check_eq "LB link: dplb sends each of them on to a real server's MAC" "$ARRIVE" "$LEAVE"
lab_check_eq "LB link: no packet with tcp.srcport == 80 (replies go direct)" 0 "$REPLIES"
[ "$REPLIES" = 0 ] || lab_tshark "$PC_LB" -Y "tcp.srcport == 80" | head -n 5
# dplb breaks no checksum (DR, not touching TCP, passes a bad one on as it is)
lab_check_lb_checksums "LB link" "$PC_LB" "$DPLB_MAC"
BAD_IN=$(lab_tshark "$PC_LB" -Y 'tcp.checksum.status == "Bad" && eth.dst == '"$DPLB_MAC" | wc -l)

# The client: replies come from the VIP, with valid checksums, sent by the
# real servers' MACs.
lab_check_vip_replies "$PC_CL" $VIP $((N * 3))
MACS=$(lab_tshark "$PC_CL" -Y "tcp.srcport == 80" -T fields -e eth.src | sort -u | tr '\n' ' ')
lab_check_eq "client: replies are sent by the real servers' MACs" \
	"$(printf '%s\n' "$RS1_MAC" "$RS2_MAC" | sort | tr '\n' ' ')" "$MACS"

# The real servers get the client's packets unchanged but for the TTL, one
# less (dplb forwards them, as the LVS director's kernel does: "ipvs:
# Decrement ttl") and so the IP checksum (checked good below): same IP ID,
# TCP seq/ack/flags/length/checksum as the client sent them.
fields=(-T fields -e ip.src -e ip.dst -e ip.id -e ip.ttl -e tcp.srcport
	-e tcp.seq_raw -e tcp.ack_raw -e tcp.flags -e tcp.len -e tcp.checksum)
SENT=$(lab_tshark "$PC_CL" -Y "ip.dst == $VIP && tcp.dstport == 80" "${fields[@]}" |
	awk -F'\t' -v OFS='\t' '{ $4 = $4 - 1; print }' | sort)
GOT=$(rs_tshark -Y "ip.dst == $VIP && tcp.dstport == 80 && eth.src == $DPLB_MAC" "${fields[@]}" | sort)
if [ -n "$SENT" ] && [ "$SENT" = "$GOT" ]; then
	lab_pass "real servers got the client's $(wc -l <<<"$SENT") packets unchanged, TTL - 1"
else
	lab_fail "real servers got the client's packets unchanged, TTL - 1" \
		"$(diff <(echo "$SENT") <(echo "$GOT") | head -n 20)"
fi
GOODF="ip.dst == $VIP && tcp.dstport == 80 && eth.src == $DPLB_MAC &&
	ip.checksum.status == \"Good\" && tcp.checksum.status == \"Good\""
GOODRS=$(rs_tshark -Y "$GOODF" | wc -l)
lab_check_eq "real servers: all forwarded packets have good IP and TCP checksums (but any that came bad)" \
	"$(( $(grep -c . <<<"$GOT") - BAD_IN ))" "$GOODRS"

lab_dplb_stop main
lab_finish
