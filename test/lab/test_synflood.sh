#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A SYN flood from spoofed sources at the VIP while real clients keep
# requesting through it. The connection table (connections.max 65536) is
# full within a second; dplb then makes room for each new connection by
# evicting a half-open one (never an established one), sweeping the table
# so a half-open entry lives about max / SYN rate (here ~0.5 s) - long
# enough for a real client's handshake, and the real clients' requests
# all succeed. (With syn_proxy a SYN needs no entry at all: test_synproxy.sh.)
#
#   client 198.18.1.10/24 ──┐  (also the flood: raw frames from 198.19.0.0/16)
#   rs1    198.18.2.11/24 ──┤ br0
#   rs2    198.18.2.12/24 ──┤
#   lb (af_packet) ─────────┘ dplb, VIP 198.18.1.100:80 (NAT, rr)
#
# usage: test/lab/test_synflood.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100
MAX=65536
lab_add_nat_hosts 198.18.2.1 || lab_finish
lab_dplb_start main "${LAB_NS[lb]}" "connections = { max = $MAX; };
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
virtual_servers = ( {
	protocol = \"tcp\"; address = \"$VIP\"; port = 80; scheduler = \"rr\";
	$(lab_real_servers nat 80 198.18.2.11 198.18.2.12)
} );" || lab_finish
lab_dplb_wait_neigh 198.18.2.11 198.18.2.12
lab_requests client 4 "http://$VIP/"
lab_check_eq "before the flood: requests through the VIP work" 0 "$LAB_FAILS"
mbufs() { lab_dplbctl show interfaces | awk '$1 == "mbufs" { print $5 }'; }
MBUFS0=$(mbufs)

# the flood (40,000 SYN/s: as fast as one Python sender gets through the
# lab's af_packet rings reliably on 2 shared cores; SYN_RATE=0 for flat out,
# where the rings themselves drop frames, real clients' SYNs among them),
# and meanwhile 40 real requests (bounded: each -m 6, one every 0.2 s;
# TCP retransmits a SYN lost in a full af_packet ring after 1 s and 3 s)
lab_bg "${LAB_NS[client]}" "$LAB_TMP/flood.log" "$LAB_PY" "$LAB_LIB_DIR/synflood.py" \
	"${LAB_IF[client]}" "$(lab_dplb_mac lab0)" $VIP 80 20 "${SYN_RATE:-40000}"
FLOOD=$LAB_LAST_PID
full() { [ "$(lab_dplbctl show connections | awk '{ print $2 }')" -ge $((MAX - 64)) ]; }
lab_check "the flood fills the connection table (>= $((MAX - 64)) of $MAX)" lab_wait_until 10 full
ok=0 bad=0
for i in $(seq 1 40); do
	if lab_in client curl -sf -m 6 -o /dev/null "http://$VIP/"; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
	sleep 0.2
done
PEAK=$(lab_dplbctl show connections | awk '{ print $2 }')
STATS=$(lab_dplbctl show stats)
lab_wait_until 20 sh -c "! kill -0 $FLOOD 2>/dev/null"
echo "    flood: $(cat "$LAB_TMP/flood.log")"
lab_check_grep "the generator flooded" "^sent [0-9]+ in" "$(cat "$LAB_TMP/flood.log")"
lab_check_eq "40 real requests during the flood: none failed" "40 0" "$ok $bad"
lab_check "the table stayed within its maximum ($PEAK <= $MAX)" test "$PEAK" -le "$MAX"
EVICTED=$(awk '$1 == "conn_evicted" { print $2 }' <<<"$STATS")
lab_check_ge "half-open connections were evicted to make room (conn_evicted)" 1000 "${EVICTED:-0}"
echo "$STATS" | sed 's/^/    /'; lab_dplbctl show interfaces | sed 's/^/    /'
lab_check_eq "no new connection refused for a full table (drop_conn_table_full)" 0 \
	"$(awk '$1 == "drop_conn_table_full" { print $2 }' <<<"$STATS" | grep . || echo 0)"

# every mbuf of the flood's 10^6 packets is back in the pool once it is over
settled() { [ "$(mbufs)" = "$MBUFS0" ]; }
lab_check "no mbuf leaked: in use back to $MBUFS0 after the flood" lab_wait_until 5 settled
lab_dplbctl show interfaces | grep '^mbufs' | sed 's/^/    /'

lab_dplb_stop main
lab_finish
