#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# FNAT (full NAT) through dplb: the real servers have no route back to the
# client, because dplb rewrites the source to one of its local addresses.
#
#   client 198.18.1.10/24 ──┐
#   rs1    198.18.2.11/24 ──┤ br0     (rs1, rs2: NO default route)
#   rs2    198.18.2.12/24 ──┤
#   lb (af_packet) ─────────┘ dplb 198.18.1.1/24 + 198.18.2.1/24,
#                             VIP 198.18.1.100:80, FNAT from 198.18.2.5
#
# usage: test/lab/test_fnat.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100 LADDR=198.18.2.5
lab_add_nat_hosts || lab_finish	# no gateway
lab_check "rs1 has no route to the client (the point of FNAT)" \
	sh -c "! ip -n ${LAB_NS[rs1]} route get 198.18.1.10 >/dev/null 2>&1"

lab_dplb_start main "${LAB_NS[lb]}" "connections = { max = 65536; };
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
virtual_servers = ( {
	protocol = \"tcp\"; address = \"$VIP\"; port = 80; scheduler = \"rr\";
	local_addresses = [ \"$LADDR\" ];
	$(lab_real_servers fnat 80 198.18.2.11 198.18.2.12)
} );" || lab_finish

LIST=$(lab_dplbctl ipvsadm -L -n)
echo "$LIST"
lab_check_grep "ipvsadm -L -n lists rs1 as FullNat" "^  -> 198\.18\.2\.11:80 +FullNat +1 " "$LIST"

# forget the start-up checks nginx logged (curl from the real servers themselves)
for f in "$LAB_TMP"/nginx-rs*-80/access.log; do : >"$f"; done
PCAP=$LAB_TMP/client.pcap LPCAP=$LAB_TMP/swlb.pcap
lab_capture client "${LAB_IF[client]}" "tcp port 80" "$PCAP" || lab_finish
lab_capture sw "$(lab_ifname _lb)" "tcp port 80" "$LPCAP" || lab_finish
lab_requests client 10 "http://$VIP/"
lab_captures_stop
lab_check_eq "10 requests through the VIP, none failed" 0 "$LAB_FAILS"
lab_check_eq "both real servers served (rr)" "5 5" "${LAB_SEEN[rs1]:-0} ${LAB_SEEN[rs2]:-0}"

# the real servers saw dplb's local address, not the client
CLIENTS=$(cat "$LAB_TMP"/nginx-rs*-80/access.log 2>/dev/null | awk '{ print $1 }' | sort -u | xargs)
lab_check_eq "nginx logged the FNAT local address as the client" "$LADDR" "$CLIENTS"

SRCS=$(lab_tshark "$PCAP" -Y "tcp.srcport == 80" -T fields -e ip.src | sort -u)
lab_check_eq "replies reach the client from the VIP only" "$VIP" "$SRCS"
lab_check_lb_checksums "FNAT" "$LPCAP" "$(lab_dplb_mac lab0)"

lab_dplb_stop main
lab_finish
