#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Services changed at runtime with ipvsadm commands through dplbctl (as an
# LVS script with IPVSADM=dplbctl would), while a client keeps requesting:
# nothing fails that was not sent to a removed server.
#
#   client 198.18.1.10/24, dplb 198.18.1.1/24 + 198.18.2.1/24,
#   rs1 198.18.2.11, rs2 198.18.2.12 (gateway dplb), VIP 198.18.1.100:80 NAT
#
# usage: test/lab/test_runtime.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100
lab_add_nat_hosts 198.18.2.1 || lab_finish
lab_dplb_start main "${LAB_NS[lb]}" "connections = { max = 65536; };
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)" || lab_finish

IPVSADM=lab_dplbctl	# what an existing LVS script would set
lab_check "ipvsadm -A -t $VIP:80 -s rr" $IPVSADM -A -t $VIP:80 -s rr
lab_check "ipvsadm -a rs1 -m" $IPVSADM -a -t $VIP:80 -r 198.18.2.11:80 -m -w 1
lab_dplb_wait_neigh 198.18.2.11
lab_check_eq "one real server: curl reaches rs1" rs1 "$(lab_in client curl -sf -m 5 http://$VIP/)"
lab_check "ipvsadm -a rs2 -m" $IPVSADM -a -t $VIP:80 -r 198.18.2.12:80 -m -w 1
lab_dplb_wait_neigh 198.18.2.12
lab_requests client 10 "http://$VIP/"
lab_check_eq "two real servers: rr splits 10 requests 5/5" "5 5" "${LAB_SEEN[rs1]:-0} ${LAB_SEEN[rs2]:-0}"

# mistakes answer as ipvsadm does, and exit non-zero
OUT=$($IPVSADM -a -t $VIP:80 -r 198.18.2.12:80 -m 2>&1); rc=$?
lab_check_eq "adding rs2 again fails" 1 "$rc"
lab_check_grep "... with 'Destination already exists'" "Destination already exists" "$OUT"
OUT=$($IPVSADM -D -t 198.18.1.99:80 2>&1); rc=$?
lab_check_eq "deleting an unknown service fails" 1 "$rc"
lab_check_grep "... with 'Service not defined'" "Service not defined" "$OUT"
OUT=$($IPVSADM -a -t $VIP:80 -r 198.18.9.9 -g 2>&1); rc=$?
lab_check_eq "a DR real server off every subnet is refused" 1 "$rc"
lab_check_grep "... saying why" "must be on the subnet" "$OUT"

# edits under load: a bounded request loop runs while servers come and go
LOG=$LAB_TMP/loop.log
lab_bg "${LAB_NS[client]}" "$LOG" sh -c "for i in \$(seq 1 150); do
	curl -s -m 3 -o /dev/null -w '%{http_code}\n' http://$VIP/; sleep 0.02; done"
LOOP=$LAB_LAST_PID
sleep 0.5
lab_check "under load: ipvsadm -d rs1" $IPVSADM -d -t $VIP:80 -r 198.18.2.11:80
sleep 0.5
lab_check "under load: ipvsadm -a rs1 again" $IPVSADM -a -t $VIP:80 -r 198.18.2.11:80 -m
sleep 0.5
lab_check "under load: ipvsadm -E -s wlc" $IPVSADM -E -t $VIP:80 -s wlc
sleep 0.5
lab_check "under load: ipvsadm -e rs2 -w 3" $IPVSADM -e -t $VIP:80 -r 198.18.2.12:80 -m -w 3
lab_wait_until 30 sh -c "! kill -0 $LOOP 2>/dev/null"
lab_check_eq "150 requests during the edits, all answered 200" 150 "$(grep -c '^200$' "$LOG")"

LIST=$($IPVSADM -L -n)
echo "$LIST"
lab_check_grep "the table shows wlc" "^TCP  $VIP:80 wlc" "$LIST"
lab_check_grep "... and rs2 with weight 3" "^  -> 198\.18\.2\.12:80 +Masq +3 " "$LIST"
SAVE=$($IPVSADM -S -n)
lab_check_eq "ipvsadm -S prints the rules" "-A -t $VIP:80 -s wlc
-a -t $VIP:80 -r 198.18.2.11:80 -m -w 1
-a -t $VIP:80 -r 198.18.2.12:80 -m -w 3" "$SAVE"

lab_check "ipvsadm --set 900 120 300" $IPVSADM --set 900 120 300
lab_check "ipvsadm -A a second service on the VIP (:8080)" $IPVSADM -A -t $VIP:8080 -s rr
lab_check "ipvsadm -D the first service" $IPVSADM -D -t $VIP:80
lab_in client curl -s -m 5 -o /dev/null http://$VIP/
lab_check_eq "the deleted service's port is refused by a RST (curl exit 7)" 7 "$?"
lab_check "ipvsadm -D the last service on the VIP" $IPVSADM -D -t $VIP:8080
before=$(lab_stat drop_no_route)
lab_in client curl -s -m 2 -o /dev/null http://$VIP/
lab_check_eq "with no service left the VIP is gone: curl times out (exit 28)" 28 "$?"
lab_check "... and dplb counted the packets as no_route" test "$(lab_stat drop_no_route)" -gt "$before"
lab_check "ipvsadm -C" $IPVSADM -C
lab_check_eq "ipvsadm -S after -C is empty" "" "$($IPVSADM -S -n)"

# A classic LVS-NAT setup script, unchanged but for IPVSADM, and ipvsadm's
# -L -n output byte for byte (formats from ipvsadm's print_service_entry)
WRAP=$LAB_TMP/dplbctl
printf '#!/bin/sh\nexec ip netns exec %s %s -s 127.0.0.1:%s "$@"\n' \
	"${LAB_NS[lb]}" "$DPLBCTL" "${DPLB_PORT[main]}" >"$WRAP"
chmod +x "$WRAP"
cat >"$LAB_TMP/lvs-nat.sh" <<EOS
#!/bin/sh
set -e
IPVSADM=\${IPVSADM:-/sbin/ipvsadm}
\$IPVSADM -C
\$IPVSADM -A -t $VIP:80 -s wlc -p 3
\$IPVSADM -a -t $VIP:80 -r 198.18.2.12:80 -m -w 1
\$IPVSADM -a -t $VIP:80 -r 198.18.2.11:80 -m -w 1
EOS
lab_check "a classic LVS-NAT script runs with IPVSADM=dplbctl" \
	env IPVSADM="$WRAP" sh "$LAB_TMP/lvs-nat.sh"
WANT=$( {
	echo "IP Virtual Server version 1.2.1 (size=4096)"
	echo "Prot LocalAddress:Port Scheduler Flags"
	echo "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn"
	echo "TCP  $VIP:80 wlc persistent 3"
	printf '  -> %-28s %-7s %-6d %-10u %-10u\n' 198.18.2.11:80 Masq 1 0 0
	printf '  -> %-28s %-7s %-6d %-10u %-10u\n' 198.18.2.12:80 Masq 1 0 0
} )
lab_check_eq "ipvsadm -L -n is byte for byte ipvsadm's" "$WANT" "$("$WRAP" -L -n)"
WANT=$( {
	echo "IP Virtual Server version 1.2.1 (size=4096)"
	printf '%-33s %8s %8s %8s %8s %8s\n' "Prot LocalAddress:Port" Conns InPkts OutPkts InBytes OutBytes
	echo "  -> RemoteAddress:Port"
	printf '%-33s%9u%9u%9u%9u%9u\n' "TCP  $VIP:80" 0 0 0 0 0
	printf '  -> %-28s%9u%9u%9u%9u%9u\n' 198.18.2.11:80 0 0 0 0 0
	printf '  -> %-28s%9u%9u%9u%9u%9u\n' 198.18.2.12:80 0 0 0 0 0
} )
lab_check_eq "ipvsadm -L -n --stats is byte for byte ipvsadm's" "$WANT" "$("$WRAP" -L -n --stats)"
# ipvsadm's listing with a header line and one row format for both servers
# (rs1, rs2: weight 1, no thresholds, no connections yet)
listing() {	# HEADER ROW-FORMAT COLUMN-VALUES...
	local head=$1 fmt=$2
	shift 2
	echo "IP Virtual Server version 1.2.1 (size=4096)"
	echo "$head"
	echo "  -> RemoteAddress:Port"
	echo "TCP  $VIP:80 wlc persistent 3"
	printf "$fmt" 198.18.2.11:80 "$@"
	printf "$fmt" 198.18.2.12:80 "$@"
}
lab_check_eq "ipvsadm -L -n --thresholds is byte for byte ipvsadm's" \
	"$(listing "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn" \
		   '  -> %-28s %-10u %-10u %-10u %-10u\n' 0 0 0 0)" \
	"$("$WRAP" -L -n --thresholds)"
lab_check_eq "ipvsadm -L -n --persistent-conn is byte for byte ipvsadm's" \
	"$(listing "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn" \
		   '  -> %-28s %-9u %-11u %-10u %-10u\n' 1 0 0 0)" \
	"$("$WRAP" -L -n --persistent-conn)"
SAVED=$("$WRAP" -S -n)
"$WRAP" -C
lab_check_eq "ipvsadm -C empties the table" "" "$("$WRAP" -S -n)"
lab_check "ipvsadm -R reads the -S rules from stdin" sh -c "'$WRAP' -R" <<<"$SAVED"
lab_check_eq "ipvsadm -S -n | ipvsadm -R round trip is identity" "$SAVED" "$("$WRAP" -S -n)"
lab_check_eq "ipvsadm -L --timeout" "Timeout (tcp tcpfin udp): 900 120 300" "$("$WRAP" -L --timeout)"

# --stats counts what went through; -Z starts the counters again from zero
lab_dplb_wait_neigh 198.18.2.11 198.18.2.12
lab_requests client 6 "http://$VIP/"
STATS=$("$WRAP" -L -n --stats)
lab_check_grep "--stats: 6 connections on the service" "^TCP  $VIP:80 +6 " "$STATS"
lab_check "ipvsadm -Z -t VIP:80" "$WRAP" -Z -t $VIP:80
lab_check_grep "after -Z: the service's counters read 0" "^TCP  $VIP:80 +0 +0 +0 +0 +0$" \
	"$("$WRAP" -L -n --stats)"
lab_requests client 2 "http://$VIP/"
lab_check_grep "... and count again from there (2 connections)" "^TCP  $VIP:80 +2 " \
	"$("$WRAP" -L -n --stats)"
OUT=$("$WRAP" -Z -t 198.18.1.199:80 2>&1)
lab_check_eq "ipvsadm -Z of an unknown service: ipvsadm's message" "error: No such service" "$OUT"

# real-server drain: weight 0, new connections go elsewhere
lab_check "real-server drain $VIP:80 198.18.2.12:80" lab_dplbctl real-server drain $VIP:80 198.18.2.12:80
lab_check_grep "ipvsadm -L -n shows rs2 with weight 0" "^  -> 198\.18\.2\.12:80 +Masq +0 " \
	"$("$WRAP" -L -n)"
# the service is persistent (-p 3): the client's template may still point
# at rs2 (LVS keeps quiesced templates), so ask from fresh addresses
drained=0
for i in $(seq 50 55); do
	ip -n "${LAB_NS[client]}" addr add "198.18.1.$i/24" dev "${LAB_IF[client]}"
	[ "$(lab_in client curl -sf -m 5 --interface "198.18.1.$i" "http://$VIP/")" = rs1 ] &&
		drained=$((drained + 1))
done
lab_check_eq "after the drain every new client goes to rs1" 6 "$drained"

lab_dplb_stop main
lab_finish
