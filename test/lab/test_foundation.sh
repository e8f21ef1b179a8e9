#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Foundation: dplb as a host on one L2 segment, over af_packet on a veth.
#
#   client 198.18.1.10/24 ──┐
#   rs1    198.18.1.21/24 ──┤ br0 (switch ns)
#   lb (veth, af_packet) ───┘   dplb 198.18.1.1/24, TAP exception path
#
# (a) the client's ARP for 198.18.1.1 is answered by dplb, once, with the
#     MAC `show interfaces` prints; (b) ping works, no duplicate replies,
#     checksums valid on the wire (tshark); (c) TCP to a server in the LB
#     namespace's kernel works through the exception path; (d) malformed
#     frames are counted under the right drop reasons and dplb keeps
#     answering; (e) dplb stops cleanly.
#
# usage: test/lab/test_foundation.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

BOX=198.18.1.1
lab_add_host client 198.18.1.10/24 || lab_finish
lab_add_lb lb || lab_finish
lab_add_realserver rs1 198.18.1.21/24 || lab_finish
lab_check "client reaches real server rs1 over the bridge (lab sanity)" \
	lab_in client curl -sf -m 5 http://198.18.1.21/ && lab_check_eq "rs1 page" rs1 "$LAB_OUT"

lab_dplb_start main "${LAB_NS[lb]}" "$(lab_lb_interfaces $BOX/24)" || lab_finish
DPLB_MAC=$(lab_dplb_mac lab0)
echo "dplb's port: mac $DPLB_MAC, exception TAP $(lab_ifname -tap)"

# Everything the client sees from here to the end of (c) goes to a pcap.
PCAP=$LAB_TMP/client.pcap
lab_capture client "${LAB_IF[client]}" "arp or icmp or tcp port 8080" "$PCAP" || lab_finish

# (b) ping, which also makes the client ARP for the box: (a)
lab_check "(b) client pings dplb at $BOX" \
	lab_in client ping -n -c 3 -i 0.2 -W 2 $BOX
if grep -q DUP <<<"$LAB_OUT"; then lab_fail "(b) no duplicate ping replies" "$LAB_OUT"
else lab_pass "(b) no duplicate ping replies (the kernel did not answer too)"; fi

# (a) the client's neighbour entry holds dplb's MAC
NEIGH=$(lab_in client ip neigh show $BOX dev "${LAB_IF[client]}")
lab_check_eq "(a) client resolved $BOX to dplb's MAC" "$DPLB_MAC" \
	"$(awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }' <<<"$NEIGH")"
# ... and dplb learnt the client from its request
lab_check_grep "(a) dplb learnt the client in show neigh" \
	"^198\.18\.1\.10 +$(lab_mac client | tr a-f A-F) +0 " "$(lab_dplbctl show neigh)"

# (c) TCP to the box reaches the LB namespace's kernel through the TAP
lab_nginx lb $BOX 8080 "kernel behind dplb" || true
ok=0
for _ in 1 2 3 4 5; do
	[ "$(lab_in client curl -sf -m 5 http://$BOX:8080/)" = "kernel behind dplb" ] && ok=$((ok + 1))
done
lab_check_eq "(c) 5 HTTP requests to $BOX:8080 answered by the LB's kernel" 5 "$ok"
lab_check_ge "kernel dropped frames that arrived on the veth (rp_filter)" 1 \
	"$(lab_in lb nstat -asz TcpExtIPReversePathFilter | awk '$1 == "TcpExtIPReversePathFilter" { print $2 }')"

lab_captures_stop
# Dissect what the client saw (checksum status 1 means "Good").
tsh() { lab_tshark "$PCAP" "$@"; }
n_req=$(tsh -Y "arp.opcode == 1 && arp.dst.proto_ipv4 == $BOX" | wc -l)
n_rep=$(tsh -Y "arp.opcode == 2 && arp.src.proto_ipv4 == $BOX" | wc -l)
lab_check_ge "(a) client sent ARP requests for $BOX" 1 "$n_req"
lab_check_eq "(a) exactly one ARP reply per request, from dplb's MAC" "$n_req" \
	"$(tsh -Y "arp.opcode == 2 && arp.src.proto_ipv4 == $BOX && arp.src.hw_mac == $DPLB_MAC" | wc -l)"
[ "$n_rep" = "$n_req" ] || lab_fail "(a) no other ARP replies for $BOX" "$(tsh -Y arp)"
ECHO=$(tsh -Y "icmp.type == 0 && ip.src == $BOX" -T fields -e ip.checksum.status -e icmp.checksum.status)
lab_check_eq "(b) echo replies on the wire" 3 "$(grep -c . <<<"$ECHO")"
lab_check_eq "(b) echo replies with good IP and ICMP checksums (tshark)" 3 \
	"$(grep -c $'^1\t1$' <<<"$ECHO")"
TCPS=$(tsh -Y "ip.src == $BOX && tcp" -T fields -e tcp.checksum.status -e tcp.flags.syn \
	-e tcp.flags.ack -e tcp.flags.reset)
lab_check_ge "(c) TCP segments from $BOX on the wire" 10 "$(grep -c . <<<"$TCPS")"
lab_check_eq "(c) TCP segments from $BOX with bad checksums (tshark)" 0 \
	"$(grep -vc $'^1\t' <<<"$TCPS")"
lab_check_eq "(c) one SYN-ACK per SYN: 5 (no duplicate answer from the kernel)" 5 \
	"$(awk -F'\t' '$2 == "1" && $3 == "1"' <<<"$TCPS" | wc -l)"
lab_check_eq "(c) no RST from $BOX" 0 "$(awk -F'\t' '$4 == "1"' <<<"$TCPS" | wc -l)"

# (d) malformed frames from the client: each must be counted under its drop
# reason, once. IPv6 is off everywhere and no one else sends broadcasts now,
# so the deltas are exact. The kinds are defined in frames.py.
declare -A WANT=()
KINDS="ip_trunc ip_version ip_ihl ip_len ip_csum ip_src ethertype vlan qinq ipv6 arp_trunc arp_bad arp_other other_host icmp_csum"
for k in $KINDS; do
	r=$("$LAB_PY" "$LAB_LIB_DIR/frames.py" kinds | awk -v k="$k" '$1 == k { print $2 }')
	WANT[$r]=$((${WANT[$r]:-0} + 1))
done
declare -A BEFORE=()
for r in "${!WANT[@]}"; do BEFORE[$r]=$(lab_stat "drop_$r"); done
rx0=$(lab_stat rx_packets)
SENT=$(lab_in client "$LAB_PY" "$LAB_LIB_DIR/frames.py" send "${LAB_IF[client]}" \
	"$DPLB_MAC" 198.18.1.10 $BOX runt $KINDS)
echo "$SENT" | sed 's/^/    frames: /'
if grep -q "^runt refused" <<<"$SENT"; then
	lab_skip "(d) runt over veth" "the kernel refuses frames shorter than 14 bytes on an Ethernet device; test_pmds.sh feeds one through the pcap PMD"
else
	WANT[runt]=1 BEFORE[runt]=0
fi
all_in() { [ $(($(lab_stat rx_packets) - rx0)) -ge "$(grep -c " sent " <<<"$SENT")" ]; }
lab_wait_until 3 all_in		# dplb has counted every frame sent
for r in $(printf '%s\n' "${!WANT[@]}" | sort); do
	lab_check_eq "(d) drop_$r counts its malformed frame(s)" "${WANT[$r]}" \
		"$(($(lab_stat "drop_$r") - ${BEFORE[$r]}))"
done
lab_check "(d) dplb still answers ping after the malformed frames" \
	lab_in client ping -n -c 2 -i 0.2 -W 2 $BOX
STATS=$(lab_dplbctl show stats)
echo "$STATS" | sed 's/^/    show stats: /'
lab_check_eq "no resource drops (ring_full, tx_full, no_mbuf, no_exception_path)" "" \
	"$(grep -E '^drop_(ring_full|tx_full|no_mbuf|no_exception_path) ' <<<"$STATS")"
W=$(grep -E '^worker 0 \(lcore [0-9]+\): rx_packets [0-9]+, tx_packets [0-9]+, busy_cycles_per_packet [0-9]+, drops [0-9]+' <<<"$STATS")
C=$(grep -E '^control \(lcore [0-9]+\): rx_packets [0-9]+, ' <<<"$STATS")
lab_check_eq "show stats: worker and control lines; their drops add up to the drop_ lines" \
	"$(grep -E '^drop_' <<<"$STATS" | awk '{ t += $2 } END { print t + 0 }')" \
	"$(printf '%s\n%s\n' "$W" "$C" | sed -E 's/.*, drops ([0-9]+).*/\1/' | awk '{ t += $1 } END { print t + 0 }')"

# (e)
lab_dplb_stop main
lab_finish
