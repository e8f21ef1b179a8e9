#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The SYN proxy (syn_proxy): dplb answers SYNs with cookies, connects to
# the real server only for a client whose ACK proves one, and translates
# sequence numbers for the rest of the connection. Checked against nginx
# and the kernels' TCP stacks at both ends, on the wire (tshark) and in
# counters; then under a spoofed SYN flood with cookies switched on by
# the half-open rate.
#
#   client 198.18.1.10/24 ──┐  (also the flood: raw frames from 198.19.0.0/16)
#   rs1    198.18.2.11/24 ──┤ br0
#   rs2    198.18.2.12/24 ──┤
#   lb (af_packet) ─────────┘ dplb, VIP 198.18.1.100:
#       80    NAT rr, syn_proxy always          81   NAT to rs1:81 (closed)
#       8080  NAT, syn_proxy threshold 1000/s   8081 FNAT from 198.18.2.5
#
# usage: test/lab/test_synproxy.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100 LADDR=198.18.2.5 MAX=65536
lab_add_nat_hosts 198.18.2.1 || lab_finish
svc() {	# PORT RS_PORT FORWARD SYN_PROXY [EXTRA]
	echo "{ protocol = \"tcp\"; address = \"$VIP\"; port = $1; scheduler = \"rr\";
	syn_proxy = $4; $5
	$(lab_real_servers "$3" "$2" 198.18.2.11 198.18.2.12) }"
}
lab_dplb_start main "${LAB_NS[lb]}" "connections = { max = $MAX; };
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
virtual_servers = (
	$(svc 80 80 nat true),
	{ protocol = \"tcp\"; address = \"$VIP\"; port = 81; syn_proxy = true;
	  real_servers = ( { address = \"198.18.2.11\"; port = 81; } ); },
	$(svc 8080 80 nat '{ threshold = 1000; }'),
	$(svc 8081 80 fnat true "local_addresses = [ \"$LADDR\" ];")
);" || lab_finish
lab_dplb_wait_neigh 198.18.2.11 198.18.2.12
stat() { lab_dplbctl show stats | awk -v k="$1" '$1 == k { print $2 }' | grep . || echo 0; }
mbufs() { lab_dplbctl show interfaces | awk '$1 == "mbufs" { print $5 }'; }
MBUFS0=$(mbufs)

# --- requests through the proxy, watched at the client and at rs1
head -c 1048576 /dev/urandom >"$LAB_TMP/big.bin"
for rs in rs1 rs2; do cp "$LAB_TMP/big.bin" "$LAB_TMP/nginx-$rs-80/www/big.bin"; done
CPCAP=$LAB_TMP/client.pcap RPCAP=$LAB_TMP/rs1.pcap LPCAP=$LAB_TMP/swlb.pcap
lab_capture sw "$(lab_ifname _lb)" "tcp port 80" "$LPCAP" || lab_finish
lab_capture client "${LAB_IF[client]}" "tcp port 80" "$CPCAP" || lab_finish
lab_capture rs1 "${LAB_IF[rs1]}" "tcp port 80" "$RPCAP" || lab_finish
lab_requests client 10 "http://$VIP/"
WANT=$(md5sum <"$LAB_TMP/big.bin")
dl=0
for i in 1 2 3 4; do
	got=$(lab_in client curl -sf -m 10 "http://$VIP/big.bin" | md5sum)
	[ "$got" = "$WANT" ] && dl=$((dl + 1))
done
lab_captures_stop
lab_check_eq "10 requests through the proxied VIP, none failed" 0 "$LAB_FAILS"
lab_check_eq "both real servers served (rr)" "5 5" "${LAB_SEEN[rs1]:-0} ${LAB_SEEN[rs2]:-0}"
lab_check_eq "4 downloads of 1 MiB arrive whole (md5) through the translation" 4 "$dl"
lab_check_ge "SYNs answered with cookies (syn_cookies_sent)" 14 "$(stat syn_cookies_sent)"
lab_check_ge "ACKs proved their cookie (syn_cookies_ok)" 14 "$(stat syn_cookies_ok)"

SYNACK_OPTS=$(lab_tshark "$CPCAP" -Y "tcp.flags.syn == 1 && tcp.flags.ack == 1" \
	-T fields -e tcp.option_kind | sort -u | xargs)
lab_check_eq "the cookie SYN-ACKs carry the MSS option alone (no wscale, SACK, timestamps)" \
	"2" "$SYNACK_OPTS"
RS_SYN_OPTS=$(lab_tshark "$RPCAP" -Y "tcp.flags.syn == 1 && tcp.flags.ack == 0" \
	-T fields -e tcp.option_kind | sort -u | xargs)
lab_check_eq "rs1 gets SYNs with the MSS option alone" "2" "$RS_SYN_OPTS"
# the real server sees the client's own ISN: each of its SYNs is a client SYN's port+seq
syns() { lab_tshark "$1" -Y "tcp.flags.syn == 1 && tcp.flags.ack == 0" \
	-T fields -e tcp.srcport -e tcp.seq_raw | sort -u; }
syns "$CPCAP" >"$LAB_TMP/c.syns"
syns "$RPCAP" >"$LAB_TMP/r.syns"
lab_check_ge "rs1 saw SYNs" 5 "$(wc -l <"$LAB_TMP/r.syns")"
lab_check_eq "every SYN rs1 saw has a client's port and ISN" 0 \
	"$(comm -13 "$LAB_TMP/c.syns" "$LAB_TMP/r.syns" | wc -l)"
lab_check_lb_checksums "the SYN proxy's link" "$LPCAP" "$(lab_dplb_mac lab0)"
# no SYN-ACK of the real server's ever reaches the client: only the cookie's
RS_ISNS=$(lab_tshark "$RPCAP" -Y "tcp.flags.syn == 1 && tcp.flags.ack == 1" -T fields \
	-e tcp.seq_raw | sort -u)
C_ISNS=$(lab_tshark "$CPCAP" -Y "tcp.flags.syn == 1 && tcp.flags.ack == 1" -T fields \
	-e tcp.seq_raw | sort -u)
lab_check_eq "the client never sees a real server's ISN" "" \
	"$(comm -12 <(echo "$RS_ISNS") <(echo "$C_ISNS") | grep . || true)"

# --- FNAT through the proxy
lab_requests client 4 "http://$VIP:8081/"
lab_check_eq "FNAT service with syn_proxy: 4 requests, none failed" 0 "$LAB_FAILS"

# --- a real server that refuses: the client gets the RST, in its numbers, at once
start=$(date +%s%N)
lab_in client curl -s -m 5 -o /dev/null "http://$VIP:81/"
curl_rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
# (curl says 7 when the RST beats its connect check, 55 when it lands as
# the request is being sent, else 52 or 56; a lost RST would be 28, a timeout)
reset_fast() { [[ " 7 52 55 56 " == *" $curl_rc "* ]] && [ "$ms" -lt 3000 ]; }
lab_check "closed real server port: curl sees a reset (exit 7/52/55/56, got $curl_rc) in ${ms} ms" \
	reset_fast

# --- an ACK that proves no cookie opens nothing
BAD0=$(stat drop_syn_cookie_invalid)
lab_in client "$LAB_PY" "$LAB_LIB_DIR/frames.py" send "${LAB_IF[client]}" \
	"$(lab_dplb_mac lab0)" 198.18.1.10 $VIP tcp_ack tcp_ack tcp_ack >/dev/null
lab_check_eq "3 forged ACKs dropped as syn_cookie_invalid" 3 \
	"$(( $(stat drop_syn_cookie_invalid) - BAD0 ))"

# --- a spoofed flood at the threshold service: cookies take over once 1000
# SYNs in a second went unanswered, the table stops growing, real clients
# keep being served
lab_bg "${LAB_NS[client]}" "$LAB_TMP/flood.log" "$LAB_PY" "$LAB_LIB_DIR/synflood.py" \
	"${LAB_IF[client]}" "$(lab_dplb_mac lab0)" $VIP 8080 12 "${SYN_RATE:-40000}"
FLOOD=$LAB_LAST_PID
COOKIES0=$(stat syn_cookies_sent)
sleep 3
CONNS3=$(lab_dplbctl show connections | awk '{ print $2 }')
ok=0 bad=0
for i in $(seq 1 30); do
	if lab_in client curl -sf -m 6 -o /dev/null "http://$VIP:8080/"; then ok=$((ok + 1))
	else bad=$((bad + 1)); fi
	sleep 0.2
done
CONNS_END=$(lab_dplbctl show connections | awk '{ print $2 }')
COOKIES=$(( $(stat syn_cookies_sent) - COOKIES0 ))
lab_wait_until 20 sh -c "! kill -0 $FLOOD 2>/dev/null"
echo "    flood: $(cat "$LAB_TMP/flood.log"); connections at 3 s $CONNS3, at the end $CONNS_END"
lab_check_eq "30 real requests during the flood: none failed" "30 0" "$ok $bad"
lab_check_ge "the flood was answered with cookies" 50000 "$COOKIES"
lab_check "the table stopped growing once cookies took over ($CONNS3 -> $CONNS_END)" \
	test "$CONNS_END" -le $((CONNS3 + 100))
lab_check "about the threshold's worth of half-open entries were made ($CONNS_END <= 1100)" \
	test "$CONNS_END" -le 1100
lab_check_eq "no half-open connection had to be evicted" 0 "$(stat conn_evicted)"
lab_dplbctl show stats | sed 's/^/    /'

# after the flood the half-open rate is back under the threshold: no cookies
for i in 1 2 3; do lab_in client curl -sf -m 5 -o /dev/null "http://$VIP:8080/"; sleep 1.2; done
C0=$(stat syn_cookies_sent)
lab_requests client 3 "http://$VIP:8080/"
lab_check_eq "after the flood, SYNs go through without cookies (3 requests)" "0 0" \
	"$LAB_FAILS $(( $(stat syn_cookies_sent) - C0 ))"

settled() { [ "$(mbufs)" = "$MBUFS0" ]; }
lab_check "no mbuf leaked: in use back to $MBUFS0" lab_wait_until 5 settled

lab_dplb_stop main
lab_finish
