#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# LVS-NAT through dplb, with nginx real servers and curl as the client.
#
#   client 198.18.1.10/24 ──┐
#   rs1    198.18.2.11/24 ──┤ br0     (rs1, rs2: default gateway 198.18.2.1)
#   rs2    198.18.2.12/24 ──┤
#   lb (af_packet) ─────────┘ dplb 198.18.1.1/24 + 198.18.2.1/24,
#                             VIP 198.18.1.100:80 (NAT to rs1, rs2)
#
# Checks: both real servers serve clients through the VIP (rr), replies are
# masqueraded back (the client talks only to the VIP), `ipvsadm -L -n`
# lists the service, connections are counted, and every packet dplb sent
# towards the client has valid IP and TCP checksums according to tshark.
#
# usage: test/lab/test_nat.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100
PVIP=198.18.1.101		# wlc, persistence 3 s (the classic LVS-NAT seed)
lab_add_nat_hosts 198.18.2.1 || lab_finish

lab_dplb_start main "${LAB_NS[lb]}" "connections = { max = 65536; };
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
virtual_servers = ( {
	protocol = \"tcp\"; address = \"$VIP\"; port = 80; scheduler = \"rr\";
	$(lab_real_servers nat 80 198.18.2.11 198.18.2.12)
}, {
	protocol = \"tcp\"; address = \"$PVIP\"; port = 80; scheduler = \"wlc\";
	persistence = 3;
	$(lab_real_servers nat 80 198.18.2.11 198.18.2.12)
}, {
	protocol = \"udp\"; address = \"$VIP\"; port = 9999; scheduler = \"rr\";
	$(lab_real_servers nat 9999 198.18.2.11)
} );" || lab_finish

LIST=$(lab_dplbctl ipvsadm -L -n)
echo "$LIST"
lab_check_grep "ipvsadm -L -n lists the service" "^TCP  $VIP:80 rr" "$LIST"
lab_check_grep "ipvsadm -L -n lists rs1 as Masq, weight 1" "^  -> 198\.18\.2\.11:80 +Masq +1 " "$LIST"
lab_check_grep "ipvsadm -L -n lists rs2 as Masq, weight 1" "^  -> 198\.18\.2\.12:80 +Masq +1 " "$LIST"

# the real servers' ARP entries are resolved by dplb within a few seconds
lab_dplb_wait_neigh 198.18.2.12

PCAP=$LAB_TMP/client.pcap
lab_capture client "${LAB_IF[client]}" "tcp port 80" "$PCAP" || lab_finish
lab_requests client 20 "http://$VIP/"
lab_captures_stop
lab_check_eq "20 requests through the VIP, none failed" 0 "$LAB_FAILS"
lab_check_eq "rr: rs1 served half" 10 "${LAB_SEEN[rs1]:-0}"
lab_check_eq "rr: rs2 served half" 10 "${LAB_SEEN[rs2]:-0}"

STATS=$(lab_dplbctl ipvsadm -L -n --stats)
echo "$STATS"
lab_check_grep "--stats counts 20 connections on the service" "TCP  $VIP:80 +20 " "$STATS"
# --rate: the 2-second estimator sees the burst (CPS > 0) within a few seconds
rate_seen() { lab_dplbctl ipvsadm -L -n --rate | awk -v s="$VIP:80" '$2 == s && $3 > 0 { f = 1 } END { exit !f }'; }
lab_check "--rate shows connections per second for the service" lab_wait_until 6 rate_seen
lab_dplbctl ipvsadm -L -n --rate

# what reached the client came from the VIP only, checksums valid
SRCS=$(lab_tshark "$PCAP" -Y "tcp.srcport == 80" -T fields -e ip.src | sort -u)
lab_check_eq "replies reach the client from the VIP only" "$VIP" "$SRCS"
TOTAL=$(lab_tshark "$PCAP" -Y "tcp.srcport == 80" | wc -l)
lab_check_ge "tshark saw the masqueraded replies" 20 "$TOTAL"
lab_check_eq "no bad IP/TCP checksum among $TOTAL replies (tshark validation)" 0 \
	"$(lab_bad_checksums "$PCAP")"

# persistence: one client keeps its real server; fresh clients spread (wlc)
first=$(lab_in client curl -sf -m 5 "http://$PVIP/")
same=0
for i in 1 2 3 4 5; do
	[ "$(lab_in client curl -sf -m 5 "http://$PVIP/")" = "$first" ] && same=$((same + 1))
done
lab_check_eq "persistent service: 5 more requests from one client hit the same server ($first)" 5 "$same"
declare -A pseen=()
for i in $(seq 30 39); do
	ip -n "${LAB_NS[client]}" addr add "198.18.1.$i/24" dev "${LAB_IF[client]}"
	page=$(lab_in client curl -sf -m 5 --interface "198.18.1.$i" "http://$PVIP/") &&
		pseen[$page]=1
done
lab_check_eq "persistent service: ten fresh client addresses reach both servers" \
	"rs1 rs2" "$(printf '%s\n' "${!pseen[@]}" | sort | xargs)"
LIST=$(lab_dplbctl ipvsadm -L -n)
lab_check_grep "ipvsadm -L -n shows the service as persistent 3" "^TCP  $PVIP:80 wlc persistent 3" "$LIST"

# a VIP answers like a host: ping, RST on a TCP port without a service,
# ICMP port unreachable on such a UDP port
lab_check "the VIP answers ping" lab_in client ping -n -c 2 -i 0.2 -W 2 $VIP
start=$(date +%s%N)
lab_in client curl -s -m 5 -o /dev/null "http://$VIP:81/"
rc=$? ms=$(( ($(date +%s%N) - start) / 1000000 ))
lab_check_eq "curl to VIP:81 (no service) is refused at once by a RST (exit 7)" 7 "$rc"
lab_check "... within 1 s (${ms} ms)" test "$ms" -lt 1000
UDP_PROBE="import socket,sys
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(3)
s.connect((sys.argv[1],int(sys.argv[2]))); s.send(b'x')
try:
    s.recv(100); print('answer')
except ConnectionRefusedError: print('refused')
except socket.timeout: print('timeout')"
lab_check_eq "UDP to VIP:53 (no service): ICMP port unreachable from dplb" refused \
	"$(lab_in client "$LAB_PY" -c "$UDP_PROBE" $VIP 53)"
# rs1 has nothing on UDP 9999: its ICMP error must be translated back to the
# client as coming from the VIP about VIP:9999, or the client never sees it
lab_check_eq "UDP VIP:9999 -> rs1 (closed): the real server's ICMP error is translated" \
	refused "$(lab_in client "$LAB_PY" -c "$UDP_PROBE" $VIP 9999)"

lab_dplb_stop main
lab_finish
