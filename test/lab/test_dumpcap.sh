#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Packet capture with dpdk-dumpcap while dplb runs: dplb initialises
# rte_pdump, so dpdk-dumpcap (a DPDK secondary process, --file-prefix of
# dplb's EAL) lists dplb's ports and captures on the data port while curl
# goes through the VIP; tshark reads the pcapng file and finds the client's
# requests to the VIP and the NATed packets to the real servers. Needs
# hugepages (a secondary process maps the primary's memory): with dplb on
# --no-huge the capture checks are skipped with a message.
#
#   client 198.18.1.10 ── br0 ── lb (dplb: af_packet lab0) ── rs1, rs2 (nginx)
#
# usage: test/lab/test_dumpcap.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"
VIP=198.18.1.100
N=6

lab_add_nat_hosts 198.18.2.1 || lab_finish
# a small connection table: dplb then fits in ~90 free hugepages; its memory
# mapped far from where shared libraries load, so dpdk-dumpcap (a secondary
# process, which must map it at the same addresses) always finds room
# (seen: an ASan dplb's default layout clashed, and dumpcap gave up)
lab_dplb_start main "${LAB_NS[lb]}" "connections = { max = 65536; };
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
virtual_servers = ( {
	protocol = \"tcp\"; address = \"$VIP\"; port = 80; scheduler = \"rr\";
	$(lab_real_servers nat 80 198.18.2.11 198.18.2.12)
} );" --base-virtaddr=0x200000000000 || lab_finish
lab_dplb_wait_neigh 198.18.2.11 198.18.2.12
PREFIX=$LAB_ID-main

if grep -q "unavailable: EAL runs --no-huge" "${DPLB_LOG[main]}"; then
	lab_skip "dpdk-dumpcap captures" "dplb runs --no-huge (too few free hugepages): a secondary process cannot map its memory; free 2 MB hugepages (scripts/hugepages.sh)"
	lab_dplb_stop main
	lab_finish
fi
lab_check "the log tells how to capture" \
	grep -q "packet capture: dpdk-dumpcap --file-prefix=$PREFIX -i PORT" "${DPLB_LOG[main]}"

LIST=$(timeout 30 dpdk-dumpcap --file-prefix="$PREFIX" -D 2>&1)
echo "$LIST"
lab_check_grep "dpdk-dumpcap -D lists dplb's af_packet port" "^0\. net_af_packet0" "$LIST"

PCAP=$LAB_TMP/dumpcap.pcapng
lab_bg "" "$LAB_TMP/dumpcap.log" timeout 40 dpdk-dumpcap --file-prefix="$PREFIX" -i net_af_packet0 -p \
	-f "tcp port 80" -a duration:30 -w "$PCAP"
DUMPCAP=$LAB_LAST_PID
if ! lab_wait_until 20 grep -q "^File: " "$LAB_TMP/dumpcap.log"; then
	lab_fail "dpdk-dumpcap starts capturing on net_af_packet0" "$(cat "$LAB_TMP/dumpcap.log")"
	lab_dplb_stop main
	lab_finish
fi
lab_pass "dpdk-dumpcap starts capturing on net_af_packet0"
sleep 0.5
lab_requests client $N "http://$VIP/"
lab_check_eq "$N requests through the VIP while capturing, none failed" 0 "$LAB_FAILS"
sleep 0.5
lab_stop_pid "$DUMPCAP" INT 15
cat "$LAB_TMP/dumpcap.log"
lab_check "dpdk-dumpcap wrote a capture file" test -s "$PCAP"

SYN_VIP=$(lab_tshark "$PCAP" -Y "ip.src == 198.18.1.10 && ip.dst == $VIP && tcp.flags.syn == 1 && tcp.flags.ack == 0" | wc -l)
lab_check_eq "tshark reads the capture: the client's $N SYNs to the VIP" $N "$SYN_VIP"
GETS=$(lab_tshark "$PCAP" -Y "ip.dst == $VIP && http.request.method == \"GET\"" | wc -l)
lab_check_eq "... its $N GET requests (dissected as HTTP)" $N "$GETS"
NAT=$(lab_tshark "$PCAP" -Y "ip.src == 198.18.1.10 && (ip.dst == 198.18.2.11 || ip.dst == 198.18.2.12) && tcp.flags.syn == 1 && tcp.flags.ack == 0" -T fields -e ip.dst | sort | uniq -c | awk '{ print $1 }' | xargs)
lab_check_eq "... and dplb's NATed SYNs to rs1 and rs2 on the way out, $((N / 2)) each" \
	"$((N / 2)) $((N / 2))" "$NAT"
lab_check "dplb still answers after the capture ended" lab_in client curl -sf -m 5 -o /dev/null "http://$VIP/"

lab_dplb_stop main
lab_finish
