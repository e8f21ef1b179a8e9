#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Hot reload (SIGHUP and `config reload`) under load, with nginx real servers.
#
#   client 198.18.1.10/24 ──┐
#   rs1..rs3 198.18.2.11-13 ┤ br0  (default gateway 198.18.2.1)
#   lb (af_packet) ─────────┘ dplb, VIP 198.18.1.100:80 (NAT)
#
# Checks: 20 reloads alternating between {rs1, rs2} and {rs1, rs2, rs3} while
# wrk holds keep-alive connections through the VIP and a curl loop opens new
# ones: no wrk socket error or failed request, no failed curl; ipvsadm -L -n
# follows the file; a broken file is refused with its FILE:LINE message and
# the running services stay; a real server that was down stays out across a
# reload until its check passes; SIGHUP reloads too.
#
# usage: test/lab/test_reload.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

RS3=198.18.2.13
lab_add_nat_hosts 198.18.2.1 && lab_add_realserver rs3 $RS3/24 198.18.2.1 || lab_finish

rs() { echo "{ address = \"$1\"; port = 80; checkers = ( { type = \"TCP_CHECK\"; } ); }"; }
lab_dplb_start main "${LAB_NS[lb]}" "
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
virtual_servers = ( {
	address = \"198.18.1.100\"; port = 80; scheduler = \"rr\";
	delay_loop = 1; connect_timeout = 1; retry = 0;
	real_servers = ( $(rs 198.18.2.11), $(rs 198.18.2.12) /*RS3*/ );
} );" || lab_finish
CONF=$LAB_TMP/dplb-main.conf
cp "$CONF" "$LAB_TMP/two.conf"
sed "s|/\*RS3\*/|, $(rs $RS3)|" "$CONF" >"$LAB_TMP/three.conf"
lab_dplb_wait_neigh 198.18.2.11 198.18.2.12

listed() {	# ADDR: the real server is in the VIP's service
	lab_dplbctl ipvsadm -L -n | grep -Eq "^  -> $1:80 "
}
not_listed() { ! listed "$@"; }

cp "$LAB_TMP/three.conf" "$CONF"
OUT=$(lab_dplbctl config reload 2>&1)
echo "$OUT"
lab_check_grep "config reload: says what is in effect" \
	"reload: .*dplb-main\.conf: 1 virtual service\(s\), 3 checker\(s\) in effect" "$OUT"
lab_check "config reload: rs3 joins the service" listed $RS3
lab_dplb_wait_neigh $RS3

# ---- 20 reloads under load
WRK=$LAB_TMP/wrk.log CURLS=$LAB_TMP/curls.log
lab_bg "${LAB_NS[client]}" "$WRK" wrk -t1 -c8 -d10s --timeout 3s http://198.18.1.100/
WRK_PID=$LAB_LAST_PID
lab_bg "${LAB_NS[client]}" "$CURLS" bash -c '
	for i in $(seq 1 150); do
		curl -sf -m 3 -o /dev/null http://198.18.1.100/ && echo ok || echo fail
		sleep 0.03
	done'
CURL_PID=$LAB_LAST_PID
fails=0
for i in $(seq 1 20); do
	if [ $((i % 2)) -eq 1 ]; then cp "$LAB_TMP/two.conf" "$CONF"; else cp "$LAB_TMP/three.conf" "$CONF"; fi
	lab_dplbctl config reload >/dev/null || fails=$((fails + 1))
	sleep 0.35
done
lab_check_eq "20 reloads under load, each accepted" 0 "$fails"
lab_wait_until 20 eval "! kill -0 $WRK_PID && ! kill -0 $CURL_PID"
cat "$WRK"
REQS=$(awk '/requests in/ { print $1 }' "$WRK")
lab_check_ge "wrk made requests through the VIP during the reloads" 500 "${REQS:-0}"
lab_check "wrk: no socket error (no established connection dropped)" \
	bash -c "! grep -q 'Socket errors' '$WRK'"
lab_check "wrk: no failed request (no non-2xx response)" bash -c "! grep -q 'Non-2xx' '$WRK'"
lab_check_eq "curl loop (a new connection each): none of 150 failed" "150 0" \
	"$(grep -c ok "$CURLS") $(grep -c fail "$CURLS")"
lab_check "after the last reload (three servers) rs3 is listed" listed $RS3

# ---- a broken file is refused; the running services stay
sed -i 's/scheduler = "rr"/scheduler = "nope"/' "$CONF"
OUT=$(lab_dplbctl config reload 2>&1)
rc=$?
echo "$OUT"
lab_check_eq "config reload of a broken file fails" 1 "$rc"
lab_check_grep "... naming the file and line" "dplb-main\.conf:[0-9]+: .*scheduler 'nope' is unknown" "$OUT"
lab_check_grep "... and keeping the previous configuration" "still running the previous configuration" "$OUT"
lab_check "... rs3 is still listed" listed $RS3

# ---- health state survives a reload; SIGHUP reloads
cp "$LAB_TMP/three.conf" "$CONF"
kill -TERM "$(cat "$LAB_TMP/nginx-rs2-80/nginx.pid")"
lab_check "rs2 goes out when nginx stops" lab_wait_until 5 not_listed 198.18.2.12
kill -HUP "${DPLB_PID[main]}"
lab_check "SIGHUP reloads (the log says so)" lab_wait_until 5 \
	grep -q "reload: .*3 checker(s) in effect" "${DPLB_LOG[main]}"
lab_check "rs2, down before the reload, stays out after it" not_listed 198.18.2.12
lab_nginx rs2 198.18.2.12 80 || true
lab_check "rs2 is back once its check passes" lab_wait_until 5 listed 198.18.2.12

lab_dplb_stop main
lab_finish
