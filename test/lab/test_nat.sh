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
# has valid IP and TCP checksums according to tshark (unless it came bad).
# Also persistence, acl, rate_limit, a client port reused towards a second
# VIP of the same real server, the connection listings, service disable,
# forged segments.
#
# usage: test/lab/test_nat.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100
PVIP=198.18.1.101		# wlc, persistence 3 s (the classic LVS-NAT seed)
RVIP1=198.18.1.102 RVIP2=198.18.1.103	# both to rs2 alone
lab_add_nat_hosts 198.18.2.1 || lab_finish

lab_dplb_start main "${LAB_NS[lb]}" "connections = { max = 65536; };
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
virtual_servers = ( {
	protocol = \"tcp\"; address = \"$VIP\"; port = 80; scheduler = \"rr\";
	$(lab_real_servers nat 80 198.18.2.11 198.18.2.12)
}, {
	protocol = \"tcp\"; address = \"$PVIP\"; port = 80; scheduler = \"wlc\";
	persistence = 3;
	acl = { allow = [ \"198.18.1.0/24\" ]; deny = [ \"198.18.1.66\" ]; };
	$(lab_real_servers nat 80 198.18.2.11 198.18.2.12)
}, {
	protocol = \"tcp\"; address = \"$VIP\"; port = 8080; scheduler = \"rr\";
	rate_limit = { per_source = 1; burst = 5; };
	$(lab_real_servers nat 80 198.18.2.11 198.18.2.12)
}, {
	protocol = \"tcp\"; address = \"$RVIP1\"; port = 80; scheduler = \"rr\";
	$(lab_real_servers nat 80 198.18.2.12)
}, {
	protocol = \"tcp\"; address = \"$RVIP2\"; port = 80; scheduler = \"rr\";
	$(lab_real_servers nat 80 198.18.2.12)
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
DPLB_MAC=$(lab_dplb_mac lab0)

PCAP=$LAB_TMP/client.pcap LPCAP=$LAB_TMP/swlb.pcap
lab_capture client "${LAB_IF[client]}" "tcp port 80" "$PCAP" || lab_finish
lab_capture sw "$(lab_ifname _lb)" "tcp port 80" "$LPCAP" || lab_finish
lab_requests client 20 "http://$VIP/"
lab_captures_stop
lab_check_eq "20 requests through the VIP, none failed" 0 "$LAB_FAILS"
lab_check_eq "rr: rs1 served half" 10 "${LAB_SEEN[rs1]:-0}"
lab_check_eq "rr: rs2 served half" 10 "${LAB_SEEN[rs2]:-0}"

STATS=$(lab_dplbctl ipvsadm -L -n --stats)
echo "$STATS"
lab_check_grep "--stats counts 20 connections on the service" "TCP  $VIP:80 +20 " "$STATS"
# --stats against what tshark saw at the client: packets and IP bytes each way
IN_P=$(lab_tshark "$PCAP" -Y "ip.dst == $VIP && tcp.dstport == 80" -T fields -e ip.len)
OUT_P=$(lab_tshark "$PCAP" -Y "ip.src == $VIP && tcp.srcport == 80" -T fields -e ip.len)
WANT="20 $(wc -l <<<"$IN_P") $(wc -l <<<"$OUT_P") $(awk '{ t += $1 } END { print t }' <<<"$IN_P") $(awk '{ t += $1 } END { print t }' <<<"$OUT_P")"
GOT=$(lab_dplbctl ipvsadm -L -n --stats --exact | awk -v s="$VIP:80" '$1 == "TCP" && $2 == s { print $3, $4, $5, $6, $7 }')
lab_check_eq "--stats --exact: Conns InPkts OutPkts InBytes OutBytes are what tshark counted" "$WANT" "$GOT"

# --rate: the 2-second estimator sees the burst (CPS > 0) within a few seconds
rate_seen() { lab_dplbctl ipvsadm -L -n --rate | awk -v s="$VIP:80" '$2 == s && $3 > 0 { f = 1 } END { exit !f }'; }
lab_check "--rate shows connections per second for the service" lab_wait_until 6 rate_seen
lab_dplbctl ipvsadm -L -n --rate
# a steady 5 requests a second for 12 s: LVS's estimator (2 s samples, 1/4
# weight) then reads 82 % of it, 4.1 CPS; anything in 3..7 is that rate
lab_bg "${LAB_NS[client]}" "$LAB_TMP/steady.log" sh -c "for i in \$(seq 1 60); do
	curl -s -m 1 -o /dev/null http://$VIP/; sleep 0.2; done"
STEADY=$LAB_LAST_PID
lab_wait_until 30 sh -c "! kill -0 $STEADY 2>/dev/null"
CPS=$(lab_dplbctl ipvsadm -L -n --rate | awk -v s="$VIP:80" '$1 == "TCP" && $2 == s { print $3 }')
lab_check "--rate after a steady 5 connections/s: CPS $CPS is in 3..7" test "${CPS:-0}" -ge 3 -a "${CPS:-0}" -le 7

# what reached the client came from the VIP only; dplb broke no checksum
SRCS=$(lab_tshark "$PCAP" -Y "tcp.srcport == 80" -T fields -e ip.src | sort -u)
lab_check_eq "replies reach the client from the VIP only" "$VIP" "$SRCS"
TOTAL=$(lab_tshark "$PCAP" -Y "tcp.srcport == 80" | wc -l)
lab_check_ge "tshark saw the masqueraded replies" 20 "$TOTAL"
lab_check_lb_checksums "NAT" "$LPCAP" "$DPLB_MAC"

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
# the service's acl: 198.18.1.66 is denied, its neighbour .67 is not
ip -n "${LAB_NS[client]}" addr add 198.18.1.66/24 dev "${LAB_IF[client]}"
ip -n "${LAB_NS[client]}" addr add 198.18.1.67/24 dev "${LAB_IF[client]}"
A0=$(lab_stat drop_acl_denied)
lab_in client curl -s -m 2 -o /dev/null --interface 198.18.1.66 "http://$PVIP/"
lab_check_eq "acl deny 198.18.1.66: its connection is refused (curl times out, exit 28)" 28 "$?"
lab_check_ge "... counted as acl_denied" 1 "$(($(lab_stat drop_acl_denied) - A0))"
lab_check "acl: 198.18.1.67 (allowed by 198.18.1.0/24) gets through" \
	lab_in client curl -sf -m 5 -o /dev/null --interface 198.18.1.67 "http://$PVIP/"
lab_check_grep "show config shows the acl" \
	'acl = \{ allow = \[ "198\.18\.1\.0/24" \]; deny = \[ "198\.18\.1\.66/32" \]; \};' \
	"$(lab_dplbctl show config)"
LIST=$(lab_dplbctl ipvsadm -L -n)
lab_check_grep "ipvsadm -L -n shows the service as persistent 3" "^TCP  $PVIP:80 wlc persistent 3" "$LIST"

# rate_limit per_source 1, burst 5 on VIP:8080: 20 connections opened at
# once from one address, 5 get through; another address has its own 5
BURST="import select,socket,sys,time
socks=[]
for i in range(20):
    s=socket.socket(); s.setblocking(False); s.bind((sys.argv[1],0))
    s.connect_ex((sys.argv[2],8080)); socks.append(s)
time.sleep(0.6)
_,w,_=select.select([],socks,[],0)
print(sum(1 for s in w if s.getsockopt(socket.SOL_SOCKET,socket.SO_ERROR)==0))"
ip -n "${LAB_NS[client]}" addr add 198.18.1.68/24 dev "${LAB_IF[client]}"
# a client dplb has never resolved: its SYN-ACK waits in dplb for the ARP
# answer (parked), not lost to wait for the real server's retry a second later
T=$(lab_in client curl -s -m 5 -o /dev/null -w '%{time_total}' --interface 198.18.1.68 "http://$VIP/")
lab_check "a new client's first request is answered at once (${T} s, < 0.5; no lost SYN-ACK)" \
	awk -v t="$T" 'BEGIN { exit !(t > 0 && t < 0.5) }'
R0=$(lab_stat drop_source_rate_limited)
lab_check_eq "rate_limit: 20 connections at once from 198.18.1.10, the burst of 5 connects" 5 \
	"$(lab_in client "$LAB_PY" -c "$BURST" 198.18.1.10 $VIP)"
lab_check_eq "... and 5 from 198.18.1.68, its own bucket" 5 "$(lab_in client "$LAB_PY" -c "$BURST" 198.18.1.68 $VIP)"
lab_check_ge "... the others counted as source_rate_limited" 30 "$(($(lab_stat drop_source_rate_limited) - R0))"
lab_check "... VIP:80 (no rate_limit) still takes 198.18.1.10 at once" \
	lab_in client curl -sf -m 2 -o /dev/null "http://$VIP/"

# a client reusing its port towards another VIP of the same real server,
# its first connection in TIME_WAIT: rs2 sees one socket pair twice, and its
# replies belong to the newer connection (curl does this now and then: a
# port is not kept from other destinations; the answer used to go to the
# old connection and the new one hung in SYN_RECV)
REUSE_SPORT=29998	# below the ephemeral range: no curl connection holds it
lab_check_eq "one client port to $RVIP1, then at once to $RVIP2 (both rs2): both answered" \
	"rs2 rs2" "$(lab_in client "$LAB_PY" "$LAB_LIB_DIR/tcp_peer.py" get $RVIP1 80 $REUSE_SPORT) $(
		lab_in client "$LAB_PY" "$LAB_LIB_DIR/tcp_peer.py" get $RVIP2 80 $REUSE_SPORT)"
lab_check_eq "... two connections of that port listed, one to each VIP" "$RVIP1:80 $RVIP2:80" \
	"$(lab_dplbctl ipvsadm -L -n -c | awk -v s="198.18.1.10:$REUSE_SPORT" '$4 == s { print $5 }' |
	   sort | xargs)"

# ... but an established connection keeps its replies: a second connection
# from its port to the other VIP (a forged SYN would look the same) gets no
# answer, and the first one still works (with the newest taking the
# replies, rs2's challenge ACK reached the second socket, whose RST reset
# the first connection at rs2)
lab_check_eq "an established connection's port to $RVIP2 as well: unanswered, the first one still served" \
	"second-unanswered HTTP/1.1 200 OK" \
	"$(lab_in client "$LAB_PY" "$LAB_LIB_DIR/tcp_peer.py" twice $RVIP1 $RVIP2 29997)"

# the connection table: ipvsadm -L -c in ipvsadm's columns, show conn with
# filters; one connection held open through the VIP (python client: connect,
# wait, then one request) must show ESTABLISHED and outlive `service disable`
HOLD="import socket,sys,time
s=socket.create_connection((sys.argv[1],80),timeout=10); time.sleep(float(sys.argv[2]))
s.sendall(b'GET / HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n')
print(s.recv(200).split(b'\\r\\n')[0].decode())"
lab_bg "${LAB_NS[client]}" "$LAB_TMP/hold.log" "$LAB_PY" -c "$HOLD" $VIP 4
HOLD_PID=$LAB_LAST_PID
held() { lab_dplbctl show conn client 198.18.1.10 vip $VIP:80 state established | grep -q '^TCP ESTABLISHED'; }
lab_check "show conn client .. vip .. state established: the held connection" lab_wait_until 3 held
lab_in client curl -sf -m 5 -o /dev/null "http://$PVIP/"	# a fresh template
CONNS=$(lab_dplbctl ipvsadm -L -c -n)
echo "$CONNS" | head -n 12
lab_check_eq "ipvsadm -L -c: ipvsadm's two header lines" \
	"IPVS connection entries|pro expire state       source             virtual            destination" \
	"$(head -n 2 <<<"$CONNS" | paste -sd '|')"
lab_check_eq "ipvsadm -L -c: every entry in ipvsadm's columns (%-3s %-6s %-11s %-18s %-18s %s)" "" \
	"$(tail -n +3 <<<"$CONNS" | while read -r p e st s v d; do
		l=$(printf '%-3s %-6s %-11s %-18s %-18s %s' "$p" "$e" "$st" "$s" "$v" "$d")
		grep -qxF -- "$l" <<<"$CONNS" || echo "bad: $l"; done)"
lab_check_grep "ipvsadm -lnc: the held connection, 900 s timeout counting down" \
	"^TCP 1[45]:[0-9]{2}  ESTABLISHED 198\.18\.1\.10:[0-9]+ +$VIP:80 +198\.18\.2\.1[12]:80$" \
	"$(lab_dplbctl ipvsadm -lnc)"
lab_check_grep "ipvsadm -L -c: the persistence template of $PVIP (NONE, client port 0)" \
	"^TCP 00:0[0-3]  NONE        198\.18\.1\.10:0 +$PVIP:80 +198\.18\.2\.1[12]:80$" "$CONNS"
lab_check_grep "show conn state template: the same template" "^TCP TEMPLATE .* 198\.18\.1\.10:0 +$PVIP:80 " \
	"$(lab_dplbctl show conn state template)"
lab_check_grep "show conn udp: nothing (no UDP flow yet)" "^0 shown of [0-9]+ in the tables$" \
	"$(lab_dplbctl show conn udp)"
OUT=$(lab_dplbctl show conn vip 198.18.1.300 2>&1); rc=$?
lab_check_grep "show conn with a bad address names it (exit $rc)" "vip '198.18.1.300' is not A.B.C.D" "$OUT"
lab_check "service disable tcp VIP:80" lab_dplbctl service disable tcp $VIP:80
lab_in client curl -s -m 2 -o /dev/null "http://$VIP/"
lab_check_eq "a disabled service takes no new connection (curl times out, exit 28)" 28 "$?"
lab_check_ge "... counted as service_disabled" 1 "$(lab_stat drop_service_disabled)"
lab_stop_pid "$HOLD_PID" CONT 10
lab_check_eq "the connection established before the disable carries on: 200" "HTTP/1.1 200 OK" \
	"$(cat "$LAB_TMP/hold.log")"
lab_check "service enable tcp VIP:80" lab_dplbctl service enable tcp $VIP:80
lab_check "enabled again: curl through the VIP works" lab_in client curl -sf -m 5 -o /dev/null "http://$VIP/"

# forged segments to the VIP: flag sets no stack sends and port 0, each
# dropped before any connection is made and counted under its reason; they
# come from frames.py's FORGED_SPORT, outside the ephemeral range of curl's
# connections above
FORGED="tcp_synfin tcp_synrst tcp_null tcp_port0 udp_port0" FORGED_SPORT=29999
B_FLAGS=$(lab_stat drop_tcp_bad_flags) B_ZERO=$(lab_stat drop_zero_port)
SENT=$(lab_in client "$LAB_PY" "$LAB_LIB_DIR/frames.py" send "${LAB_IF[client]}" \
	"$DPLB_MAC" 198.18.1.10 $VIP $FORGED)
lab_check_eq "frames.py sent the five forged segments" 5 "$(grep -c ' sent ' <<<"$SENT")"
forged_counted() { [ $(($(lab_stat drop_tcp_bad_flags) - B_FLAGS)) -eq 3 ] &&
	[ $(($(lab_stat drop_zero_port) - B_ZERO)) -eq 2 ]; }
lab_check "SYN+FIN, SYN+RST, no flags: drop_tcp_bad_flags +3; port 0: drop_zero_port +2" \
	lab_wait_until 3 forged_counted
lab_check_grep "... and no connection was made for them (show conn client 198.18.1.10:$FORGED_SPORT)" \
	"^0 shown of" "$(lab_dplbctl show conn client 198.18.1.10:$FORGED_SPORT)"

# a SYN whose TTL runs out at dplb (which forwards it, as the LVS director's
# kernel does): dropped before it makes a connection, ICMP time exceeded back
# from the VIP, as a router answers traceroute; every forwarded packet's TTL
# goes down by one (test_dr/test_tun check that on the wire)
B_TTL=$(lab_stat drop_ttl_expired)
lab_capture client "${LAB_IF[client]}" "icmp" "$LAB_TMP/ttl.pcap" 20 || lab_finish
lab_in client "$LAB_PY" "$LAB_LIB_DIR/frames.py" send "${LAB_IF[client]}" \
	"$DPLB_MAC" 198.18.1.10 $VIP tcp_ttl1 >/dev/null
ttl_counted() { [ $(($(lab_stat drop_ttl_expired) - B_TTL)) -eq 1 ]; }
lab_check "TTL 1 SYN to the VIP: drop_ttl_expired +1" lab_wait_until 3 ttl_counted
lab_captures_stop
lab_check_eq "... answered by ICMP time exceeded (11/0) from the VIP, checksum good" \
	"$VIP 11 0 1" "$(lab_tshark "$LAB_TMP/ttl.pcap" -Y "icmp.type == 11" -T fields -E occurrence=f -e ip.src \
		-e icmp.type -e icmp.code -e icmp.checksum.status | head -n 1 | xargs)"
lab_check_grep "... and no connection was made for it" \
	"^0 shown of" "$(lab_dplbctl show conn client 198.18.1.10:$FORGED_SPORT)"

# a SYN whose TCP checksum is bad: dplb updates checksums, it does not check
# them (as LVS), so the SYN goes on to a real server still bad, and the
# checksum check on dplb's link tells that from one dplb broke
BAD_CSUM_SPORT=29996	# frames.py's
lab_capture sw "$(lab_ifname _lb)" "tcp port 80" "$LAB_TMP/badsum.pcap" 20 || lab_finish
lab_in client "$LAB_PY" "$LAB_LIB_DIR/frames.py" send "${LAB_IF[client]}" \
	"$DPLB_MAC" 198.18.1.10 $VIP tcp_csum >/dev/null
lab_captures_stop
lab_check_eq "a SYN with a bad TCP checksum leaves dplb for a real server, still bad" 1 \
	"$(lab_tshark "$LAB_TMP/badsum.pcap" -Y "tcp.srcport == $BAD_CSUM_SPORT && tcp.flags.syn == 1 &&
		eth.src == $DPLB_MAC && tcp.checksum.status == \"Bad\"" | wc -l)"
lab_check_lb_checksums "bad checksum passed on" "$LAB_TMP/badsum.pcap" "$DPLB_MAC"

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
