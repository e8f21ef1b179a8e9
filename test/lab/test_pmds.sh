#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# dplb over each DPDK PMD it supports: it starts, answers `show interfaces`
# (with the right driver), moves packets where the PMD allows it, and stops
# cleanly. One dplb at a time, all in the LB namespace:
#
#   af_packet  veth to the bridge; the client pings dplb
#   af_xdp     same veth; SKIP (not FAIL) when the kernel refuses AF_XDP
#   tap        dplb's TAP; the LB namespace's kernel pings dplb through it
#   memif      dplb is the server; dpdk-testpmd (client, --no-huge) sends
#              a bounded txonly burst; dplb must count every packet
#   ring, null start/stop; null's endless zero frames are counted as drops
#   pcap       a pcap made by frames.py (runt included: veth cannot carry
#              one) in, dplb's answers out to a pcap checked with tshark
#
# usage: test/lab/test_pmds.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

lab_add_host client 198.18.3.10/24 || lab_finish
lab_add_lb lb || lab_finish
LB=${LAB_NS[lb]}

# pmd_start INST DEVICE ADDR/LEN: dplb with one interface "p0" on DEVICE,
# no exception path. Extra check: `show interfaces` names the driver.
pmd_start() {
	lab_dplb_start "$1" "$LB" "interfaces = ( {
	name = \"p0\"; device = \"$2\"; addresses = [ \"$3\" ]; exception = false; } );" || return 1
	local drv=${2%%[0-9,]*}	# "net_af_packet0,iface=x" -> "net_af_packet"
	lab_check_grep "$1: show interfaces lists p0 with driver $drv" \
		"^p0: port [0-9]+ device .* driver $drv mac " "$(lab_dplbctl show interfaces)"
}

# --- af_packet over the veth: real traffic from the client
if pmd_start af_packet "net_af_packet0,iface=${LAB_IF[lb]}" 198.18.3.1/24; then
	lab_check "af_packet: client pings dplb" lab_in client ping -n -c 3 -i 0.2 -W 2 198.18.3.1
	lab_check_grep "af_packet: link up" "^p0: .* link up$" "$(lab_dplbctl show interfaces)"
	lab_dplb_stop af_packet
fi

# --- af_xdp over the same veth. Needs kernel AF_XDP, XDP on veth and the
# PMD (libxdp/libbpf); a sandbox may refuse any of them.
lab_in client ip neigh flush all
if LAB_TRY=1 pmd_start af_xdp "net_af_xdp0,iface=${LAB_IF[lb]}" 198.18.3.1/24; then
	lab_check "af_xdp: client pings dplb" lab_in client ping -n -c 3 -i 0.2 -W 2 198.18.3.1
	lab_dplb_stop af_xdp
	lab_check_eq "af_xdp: XDP program detached from the veth after stop" "" \
		"$(ip -n "$LB" -d link show "${LAB_IF[lb]}" | grep -o 'prog/xdp id [0-9]*')"
else
	# the first complaint of the PMD or the kernel, not EAL's summary
	why=$(grep -v '^EAL:' "${DPLB_LOG[af_xdp]}" |
		grep -iE 'fail|cannot|error|unable|not (supported|permitted)|denied' | head -n 1)
	lab_skip "af_xdp PMD" "dplb could not start on AF_XDP here: ${why:-see ${DPLB_LOG[af_xdp]}}"
fi

# --- tap: the LB namespace's kernel is the peer
TAP=$(lab_ifname -tp)
if pmd_start tap "net_tap0,iface=$TAP" 198.18.4.1/24; then
	ip -n "$LB" addr add 198.18.4.10/24 dev "$TAP"
	ip -n "$LB" link set "$TAP" up
	lab_check "tap: the kernel behind $TAP pings dplb" \
		ip netns exec "$LB" ping -n -c 3 -i 0.2 -W 2 198.18.4.1
	lab_dplb_stop tap
fi

# --- memif: dplb is the server, testpmd the client
SOCK=$LAB_TMP/memif.sock
if pmd_start memif "net_memif0,role=server,socket=$SOCK" 198.18.5.1/24; then
	MAC=$(lab_dplb_mac p0)
	LAB_PREFIXES+=("$LAB_ID-testpmd")
	# txonly: 64-byte UDP frames to dplb's MAC, 198.18.5.10 -> 198.18.5.20
	# (not dplb's address: counted as drop_no_route). Bounded by timeout.
	lab_bg "$LB" "$LAB_TMP/testpmd.log" timeout -s INT 6 dpdk-testpmd -l 0-1 \
		--no-huge -m 256 --file-prefix "$LAB_ID-testpmd" --no-pci \
		--vdev "net_memif0,role=client,socket=$SOCK" -- \
		--total-num-mbufs=4096 --forward-mode=txonly --stats-period 1 \
		--eth-peer="0,$MAC" --tx-ip=198.18.5.10,198.18.5.20
	TP=$LAB_LAST_PID
	if lab_wait_until 5 eval 'lab_dplbctl show interfaces | grep -q "^p0: .* link up$"'; then
		lab_pass "memif: link up once testpmd connects"
	else
		lab_fail "memif: link up once testpmd connects" "$(lab_dplbctl show interfaces)" \
			"$(tail -n 10 "$LAB_TMP/testpmd.log")"
	fi
	lab_wait_until 15 eval "! kill -0 $TP"
	wait "$TP" 2>/dev/null
	SENT=$(awk '/Accumulated forward statistics/ { a = 1 }
		a && /TX-packets:/ { print $2; exit }' "$LAB_TMP/testpmd.log")
	if [ -z "$SENT" ]; then
		lab_fail "memif: testpmd ran and reported what it sent" "$(tail -n 15 "$LAB_TMP/testpmd.log")"
	else
		lab_check_ge "memif: testpmd sent packets" 1 "$SENT"
		lab_wait_until 3 eval '[ "$(lab_stat rx_packets)" -ge "$SENT" ]'
		# testpmd sends at full rate until SIGINT, so when it disconnects
		# its memif ring (1024 slots) may still be full: those are lost
		# with the connection, not by dplb
		RX=$(lab_stat rx_packets)
		lab_check_ge "memif: dplb received what testpmd sent, but for one ring (sent $SENT)" \
			$((SENT - 1024)) "$RX"
		lab_check_eq "memif: ... and counted every one as drop_no_route" "$RX" \
			"$(lab_stat drop_no_route)"
	fi
	lab_dplb_stop memif
fi

# --- ring and null: no peer. null's RX returns zeroed 64-byte frames
# forever (destination MAC 00:00:00:00:00:00, not dplb's: other_host).
if pmd_start ring net_ring0 198.18.6.1/24; then
	lab_dplb_stop ring
fi
if pmd_start null net_null0 198.18.6.1/24; then
	sleep 0.5
	lab_check_ge "null: dplb receives the null PMD's frames" 1000 "$(lab_stat rx_packets)"
	lab_check_ge "null: ... and drops them as other_host" 1000 "$(lab_stat drop_other_host)"
	lab_dplb_stop null
fi

# --- pcap: frames from a file, answers to a file. Destination MAC is
# broadcast so the frames need not know dplb's MAC in advance.
IN=$LAB_TMP/in.pcap OUT=$LAB_TMP/out.pcap
PCAP_KINDS="arp_req echo runt ip_trunc ip_ihl ip_len vlan ethertype"
"$LAB_PY" "$LAB_LIB_DIR/frames.py" pcap "$IN" 02:00:00:00:06:0a ff:ff:ff:ff:ff:ff \
	198.18.6.10 198.18.6.1 $PCAP_KINDS >/dev/null
if pmd_start pcap "net_pcap0,rx_pcap=$IN,tx_pcap=$OUT" 198.18.6.1/24; then
	lab_wait_until 3 eval '[ "$(lab_stat rx_packets)" -ge 8 ]'
	lab_check_eq "pcap: dplb read every frame of the file" 8 "$(lab_stat rx_packets)"
	STATS=$(lab_dplbctl show stats)
	for r in runt ip_truncated ip_bad_ihl ip_bad_total_length vlan_unsupported unknown_ethertype; do
		lab_check_grep "pcap: drop_$r counted once" "^drop_$r 1$" "$STATS"
	done
	lab_check_grep "pcap: dplb sent 2 answers (ARP reply, echo reply)" "^tx_packets 2$" "$STATS"
	lab_dplb_stop pcap	# closing the port flushes the tx pcap
	tsh() { lab_tshark "$OUT" "$@"; }
	lab_check_eq "pcap: tx file holds dplb's ARP reply for 198.18.6.1" 1 \
		"$(tsh -Y 'arp.opcode == 2 && arp.src.proto_ipv4 == 198.18.6.1 && arp.dst.hw_mac == 02:00:00:00:06:0a' | wc -l)"
	lab_check_eq "pcap: tx file holds an echo reply with good checksums" "1	1" \
		"$(tsh -Y 'icmp.type == 0 && ip.src == 198.18.6.1 && ip.dst == 198.18.6.10' \
			-T fields -e ip.checksum.status -e icmp.checksum.status)"
fi

lab_finish
