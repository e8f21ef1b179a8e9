#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Health checks with keepalived's semantics, against nginx real servers.
#
#   client 198.18.1.10/24 ──┐
#   rs1    198.18.2.11/24 ──┤ br0   (rs1..rs3: default gateway 198.18.2.1)
#   rs2    198.18.2.12/24 ──┤
#   rs3    198.18.2.13/24 ──┤       rs3 is the sorry server
#   lb (af_packet) ─────────┘ dplb 198.18.1.1/24 + 198.18.2.1/24
#
# Checks (each on its own service, checks every 1 s):
#   .100 TCP_CHECK: nginx stopped on rs1 under a curl loop: rs1 is out within
#        delay_loop + connect_timeout + retry x delay_before_retry, and no
#        request fails after that; nginx started: back within a delay_loop.
#   .101 HTTP_GET: a changed page (digest) and a 404 (status code) take a
#        server out; restored pages bring it back.
#   .102 HTTP_GET on a server that accepts and never answers: out on the
#        connect_timeout ("timeout reading response").
#   .103 inhibit_on_failure: a failed server is kept with weight 0 and a
#        long-lived connection through the VIP keeps working.
#   .104 quorum 2 with a sorry server: one server down -> the sorry server
#        serves; back up -> the real servers serve again.
#   .105 MISC_CHECK with misc_dynamic: the script's exit code sets the weight
#        (2..255), takes the server out (1), puts it back (0); notify_down and
#        notify_up scripts run.
#   .106 SSL_GET against nginx with TLS (self-signed): up, the SNI reaches
#        nginx, a 404 takes the server out, the page back brings it in.
#   .107 passive check (beyond keepalived): with a 30 s delay_loop, a
#        stopped nginx is taken out within about a second because the
#        workers saw it refuse connections; stays out while a fresh check
#        at the end of each passive_backoff fails, back once one passes.
#
# usage: test/lab/test_health.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

RS1=198.18.2.11 RS2=198.18.2.12 RS3=198.18.2.13
PEER="$LAB_LIB_DIR/tcp_peer.py"
lab_add_nat_hosts 198.18.2.1 && lab_add_realserver rs3 $RS3/24 198.18.2.1 || lab_finish

WWW1="$LAB_TMP/nginx-rs1-80/www" WWW2="$LAB_TMP/nginx-rs2-80/www"
echo ok >"$WWW2/health.html"
MD5_RS1=$(md5sum <"$WWW1/index.html" | cut -d' ' -f1)

# nginx with TLS on rs2:443 (self-signed), logging the SNI it was sent
TLS=$LAB_TMP/nginx-rs2-443
lab_nginx rs2 $RS2 443 rs2 tls || lab_finish
echo ok >"$TLS/www/health.html"
MD5_OK=$(md5sum <"$TLS/www/health.html" | cut -d' ' -f1)

# python peers: a silent HTTP server, an echo service and TCP_CHECK targets
peer() {	# HOST PORT MODE -> pid in PEER_PID
	lab_bg "${LAB_NS[$1]}" "$LAB_TMP/peer-$1-$2.log" "$LAB_PY" "$PEER" listen \
		"${LAB_ADDR[$1]}" "$2" "$3"
	PEER_PID=$LAB_LAST_PID
}
peer rs2 8081 silent
peer rs1 7000 echo
peer rs1 7001 accept; CHECK_7001=$PEER_PID
peer rs1 8200 accept; CHECK_R1=$PEER_PID
peer rs2 8200 accept

echo 0 >"$LAB_TMP/misc.code"
FAST='delay_loop = 1; connect_timeout = 1; delay_before_retry = 0.5;'
tcp_rs() {	# ADDR PORT [CHECKER SETTINGS] [RS SETTINGS]
	echo "{ address = \"$1\"; port = $2; $4 checkers = ( { type = \"TCP_CHECK\"; $3 } ); }"
}
lab_dplb_start main "${LAB_NS[lb]}" "
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
virtual_servers = ( {
	address = \"198.18.1.100\"; port = 80; scheduler = \"rr\"; $FAST retry = 1;
	real_servers = ( $(tcp_rs $RS1 80), $(tcp_rs $RS2 80) );
}, {
	address = \"198.18.1.101\"; port = 80; scheduler = \"rr\"; $FAST retry = 0;
	real_servers = (
		{ address = \"$RS1\"; port = 80; checkers = ( { type = \"HTTP_GET\";
			urls = ( { path = \"/\"; digest = \"$MD5_RS1\"; } ); } ); },
		{ address = \"$RS2\"; port = 80; checkers = ( { type = \"HTTP_GET\";
			http_protocol = \"1.1\"; virtualhost = \"rs2.lab\";
			urls = ( { path = \"/health.html\"; status_code = 200; } ); } ); } );
}, {
	address = \"198.18.1.102\"; port = 80; scheduler = \"rr\"; $FAST retry = 0;
	real_servers = ( { address = \"$RS1\"; port = 80; },
		{ address = \"$RS2\"; port = 80; checkers = ( { type = \"HTTP_GET\";
			connect_port = 8081; urls = ( { path = \"/\"; } ); } ); } );
}, {
	address = \"198.18.1.103\"; port = 7000; scheduler = \"rr\"; $FAST retry = 0;
	real_servers = ( $(tcp_rs $RS1 7000 'connect_port = 7001;' 'inhibit_on_failure = true;') );
}, {
	address = \"198.18.1.104\"; port = 80; scheduler = \"rr\"; $FAST retry = 0;
	quorum = 2; sorry_server = { address = \"$RS3\"; port = 80; };
	real_servers = ( $(tcp_rs $RS1 80 'connect_port = 8200;'),
			 $(tcp_rs $RS2 80 'connect_port = 8200;') );
}, {
	address = \"198.18.1.105\"; port = 80; scheduler = \"rr\"; delay_loop = 0.5; retry = 0;
	real_servers = ( { address = \"$RS1\"; port = 80;
		notify_up = \"touch $LAB_TMP/notified.up\"; notify_down = \"touch $LAB_TMP/notified.down\";
		checkers = ( { type = \"MISC_CHECK\"; misc_path = \"exit \$(cat $LAB_TMP/misc.code)\";
			misc_timeout = 2; misc_dynamic = true; } ); } );
}, {
	address = \"198.18.1.106\"; port = 443; scheduler = \"rr\"; $FAST retry = 0;
	real_servers = ( { address = \"$RS2\"; port = 443; checkers = ( { type = \"SSL_GET\";
		virtualhost = \"rs2.lab\"; enable_sni = true;
		urls = ( { path = \"/health.html\"; digest = \"$MD5_OK\"; } ); } ); } );
}, {
	address = \"198.18.1.107\"; port = 80; scheduler = \"rr\"; delay_loop = 30;
	passive_failures = 1; passive_backoff = 2;
	real_servers = ( $(tcp_rs $RS1 80), $(tcp_rs $RS2 80) );
} );" || lab_finish
lab_dplb_wait_neigh $RS1 $RS2

# `ipvsadm -L -n` lists ADDR:PORT under service VIP:VPORT (with weight W)
listed() {	# VIP:VPORT RS:PORT [WEIGHT]
	lab_dplbctl ipvsadm -L -n | awk -v s="$1" -v r="$2" -v w="${3:-}" '
		$1 == "TCP" { in_svc = ($2 == s) }
		in_svc && $1 == "->" && $2 == r && (w == "" || $4 == w) { f = 1 }
		END { exit !f }'
}
not_listed() { ! listed "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

lab_check "every checked server starts in its pool" lab_wait_until 5 \
	eval "listed 198.18.1.100:80 $RS1:80 && listed 198.18.1.100:80 $RS2:80 &&
	      listed 198.18.1.101:80 $RS1:80 && listed 198.18.1.101:80 $RS2:80"
SHOW=$(lab_dplbctl show health)
echo "$SHOW"
lab_check_grep "show health: TCP_CHECK on rs1 is UP" "TCP_CHECK 198\.18\.2\.11:80 +UP" "$SHOW"
lab_check_grep "show health: the HTTP_GET url of rs2 is listed" "HTTP_GET +198\.18\.2\.12:80/health\.html" "$SHOW"

# ---- .100: nginx stops under a curl loop, then comes back
LOOP=$LAB_TMP/curl-loop.log
lab_bg "${LAB_NS[client]}" "$LOOP" bash -c '
	for i in $(seq 1 120); do
		t=$(($(date +%s%N) / 1000000))
		if page=$(curl -sf -m 2 http://198.18.1.100/); then echo "$t ok $page"
		else echo "$t fail"; fi
		sleep 0.05
	done'
LOOP_PID=$LAB_LAST_PID
sleep 1
NGINX1_PID=$(cat "$LAB_TMP/nginx-rs1-80/nginx.pid")
t_stop=$(now_ms)
kill -TERM "$NGINX1_PID"
lab_check "TCP_CHECK: rs1 leaves 198.18.1.100 after nginx stops" \
	lab_wait_until 6 not_listed 198.18.1.100:80 $RS1:80
t_out=$(now_ms)
# delay_loop 1 + connect_timeout 1 + retry 1 x (0.5 + 1), plus the polling
lab_check "... within delay_loop + connect_timeout + retry x delay_before_retry ($((t_out - t_stop)) ms)" \
	test $((t_out - t_stop)) -le 4000
SHOW=$(lab_dplbctl show health)
lab_check_grep "show health: rs1 is DEAD with the connect error" \
	"TCP_CHECK 198\.18\.2\.11:80 +DOWN .*last error: connect: Connection refused" "$SHOW"
lab_wait_until 30 eval "! kill -0 $LOOP_PID"
late=$(awk -v t=$((t_out + 200)) '$1 > t && $2 == "fail"' "$LOOP" | wc -l)
after=$(awk -v t=$((t_out + 200)) '$1 > t' "$LOOP" | wc -l)
lab_check_ge "the curl loop went on after rs1 left" 20 "$after"
lab_check_eq "no request failed once rs1 was out ($after requests)" 0 "$late"

lab_nginx rs1 $RS1 80 || true
t_start=$(now_ms)
lab_check "TCP_CHECK: rs1 is back after nginx starts" \
	lab_wait_until 5 listed 198.18.1.100:80 $RS1:80
t_back=$(now_ms)
lab_check "... within one delay_loop ($((t_back - t_start)) ms)" test $((t_back - t_start)) -le 2000
lab_requests client 10 http://198.18.1.100/
lab_check_eq "rr over both again: rs1 serves half" 5 "${LAB_SEEN[rs1]:-0}"

# ---- .101: HTTP_GET digest and status code
lab_check "HTTP_GET: rs1 is in 198.18.1.101 (its page matches the digest)" \
	lab_wait_until 5 listed 198.18.1.101:80 $RS1:80
echo "rs1 changed" >"$WWW1/index.html"
lab_check "HTTP_GET: a changed page (digest) takes rs1 out" \
	lab_wait_until 5 not_listed 198.18.1.101:80 $RS1:80
lab_check_grep "show health: the digest error is named" "MD5 digest [0-9a-f]{32} differs" \
	"$(lab_dplbctl show health)"
lab_check "... the TCP-checked service keeps rs1" listed 198.18.1.100:80 $RS1:80
echo rs1 >"$WWW1/index.html"
lab_check "HTTP_GET: the original page brings rs1 back" \
	lab_wait_until 5 listed 198.18.1.101:80 $RS1:80
rm -f "$WWW2/health.html"
lab_check "HTTP_GET: a 404 (status code) takes rs2 out" \
	lab_wait_until 5 not_listed 198.18.1.101:80 $RS2:80
lab_check_grep "show health: the status error is named" "HTTP status code 404 not accepted" \
	"$(lab_dplbctl show health)"
lab_requests client 6 http://198.18.1.101/
lab_check_eq "all requests go to rs1 meanwhile" 6 "${LAB_SEEN[rs1]:-0}"
echo ok >"$WWW2/health.html"
lab_check "HTTP_GET: the page back brings rs2 back" \
	lab_wait_until 5 listed 198.18.1.101:80 $RS2:80
lab_check "HTTP_GET sends HTTP/1.1 requests for /health.html" \
	grep -q 'GET /health.html HTTP/1.1' "$LAB_TMP/nginx-rs2-80/access.log"

# ---- .102: accepts, never answers
lab_check "HTTP_GET: a server silent past connect_timeout is out" \
	lab_wait_until 5 not_listed 198.18.1.102:80 $RS2:80
lab_check_grep "show health: timeout reading response" \
	"198\.18\.2\.12:8081/ +DOWN .*timeout reading response" "$(lab_dplbctl show health)"
lab_check "... its unchecked neighbour rs1 stays" listed 198.18.1.102:80 $RS1:80

# ---- .103: inhibit_on_failure keeps established connections
FLAG=$LAB_TMP/hold.flag
lab_bg "${LAB_NS[client]}" "$LAB_TMP/hold.log" "$LAB_PY" "$PEER" hold 198.18.1.103 7000 "$FLAG"
HOLD_PID=$LAB_LAST_PID
lab_wait_until 5 grep -q . "$LAB_TMP/peer-rs1-7000.log" 2>/dev/null; sleep 0.5
lab_stop_pid "$CHECK_7001" TERM 5
lab_check "inhibit_on_failure: rs1 stays listed with weight 0" \
	lab_wait_until 5 listed 198.18.1.103:7000 $RS1:7000 0
touch "$FLAG"
lab_wait_until 10 eval "! kill -0 $HOLD_PID"
lab_check_eq "the long-lived connection through the VIP still works" "one two" \
	"$(cat "$LAB_TMP/hold.log")"
peer rs1 7001 accept
lab_check "inhibit_on_failure: the weight comes back when the check passes" \
	lab_wait_until 5 listed 198.18.1.103:7000 $RS1:7000 1

# ---- .104: quorum and sorry server
lab_requests client 4 http://198.18.1.104/
lab_check_eq "quorum met: the real servers serve (not the sorry server)" 0 "${LAB_SEEN[rs3]:-0}"
lab_stop_pid "$CHECK_R1" TERM 5
lab_check "quorum lost: the sorry server enters the pool" \
	lab_wait_until 5 listed 198.18.1.104:80 $RS3:80
lab_check "... and the live rs2 leaves it" not_listed 198.18.1.104:80 $RS2:80
lab_check_grep "show health: quorum LOST, sorry server ACTIVE" \
	"198\.18\.1\.104:80 +quorum LOST .*sorry_server 198\.18\.2\.13:80 ACTIVE" \
	"$(lab_dplbctl show health)"
lab_requests client 4 http://198.18.1.104/
lab_check_eq "clients get the sorry server's page" 4 "${LAB_SEEN[rs3]:-0}"
peer rs1 8200 accept
lab_check "quorum regained: the sorry server leaves" \
	lab_wait_until 5 not_listed 198.18.1.104:80 $RS3:80
lab_requests client 4 http://198.18.1.104/
lab_check_eq "the real servers serve again (rs1 rs2 rs3 failed)" "2 2 0 0" \
	"${LAB_SEEN[rs1]:-0} ${LAB_SEEN[rs2]:-0} ${LAB_SEEN[rs3]:-0} $LAB_FAILS"

# ---- .105: MISC_CHECK, misc_dynamic, notify scripts
lab_check "MISC_CHECK: exit 0 keeps rs1 with its weight" listed 198.18.1.105:80 $RS1:80 1
echo 7 >"$LAB_TMP/misc.code"
lab_check "misc_dynamic: exit 7 sets weight 5" lab_wait_until 5 listed 198.18.1.105:80 $RS1:80 5
echo 1 >"$LAB_TMP/misc.code"
lab_check "MISC_CHECK: exit 1 takes rs1 out" lab_wait_until 5 not_listed 198.18.1.105:80 $RS1:80
lab_check "notify_down ran" lab_wait_until 3 test -e "$LAB_TMP/notified.down"
lab_check_grep "show health: the script's exit code is the error" \
	"MISC_CHECK exit .*DOWN .*last error: script exited with 1" "$(lab_dplbctl show health)"
echo 0 >"$LAB_TMP/misc.code"
lab_check "MISC_CHECK: exit 0 puts rs1 back with the dynamic weight 5" \
	lab_wait_until 5 listed 198.18.1.105:80 $RS1:80 5
lab_check "notify_up ran" lab_wait_until 3 test -e "$LAB_TMP/notified.up"

# ---- .106: SSL_GET
lab_check "SSL_GET: rs2 (TLS, digest) is in 198.18.1.106" listed 198.18.1.106:443 $RS2:443
lab_check_grep "show health: the SSL_GET checker is UP" \
	"SSL_GET +198\.18\.2\.12:443/health\.html +UP" "$(lab_dplbctl show health)"
lab_check "SSL_GET sends the virtualhost as SNI (nginx logged it)" \
	grep -q '^rs2.lab "GET /health.html HTTP/1.0" 200' "$TLS/access.log"
lab_check_eq "curl through the VIP gets the page over TLS" ok \
	"$(lab_in client curl -skf -m 5 https://198.18.1.106/health.html)"
rm -f "$TLS/www/health.html"
lab_check "SSL_GET: a 404 takes rs2 out" lab_wait_until 5 not_listed 198.18.1.106:443 $RS2:443
echo ok >"$TLS/www/health.html"
lab_check "SSL_GET: the page back brings rs2 back" \
	lab_wait_until 5 listed 198.18.1.106:443 $RS2:443

# ---- .107: passive check
kill -TERM "$(cat "$LAB_TMP/nginx-rs1-80/nginx.pid")"
lab_wait_until 5 eval "! lab_in rs1 curl -s -m 1 -o /dev/null http://$RS1/"
t_stop=$(now_ms)
lab_requests client 4 http://198.18.1.107/
t_req=$(now_ms)
lab_check "passive: rs1 is out of .107 long before its 30 s delay_loop" \
	lab_wait_until 3 not_listed 198.18.1.107:80 $RS1:80
lab_check "... within 3 s of nginx stopping ($(( $(now_ms) - t_stop )) ms; the 4 requests took $(( t_req - t_stop )) ms, $LAB_FAILS failed)" \
	test $(( $(now_ms) - t_stop )) -le 3000
lab_check_grep "show health: rs1 is in its passive back-off" \
	"198\.18\.2\.11:80 +DEAD .*passive back-off" "$(lab_dplbctl show health)"
lab_requests client 10 http://198.18.1.107/
lab_check_eq "no request fails once rs1 is out" "0 10" "$LAB_FAILS ${LAB_SEEN[rs2]:-0}" ||
	{ echo "curl exit codes: $LAB_FAIL_RCS"; lab_dplbctl ipvsadm -L -n -c | grep -F 198.18.1.107
	  lab_dplbctl show health | grep -A3 107; }
# its checker passed before nginx stopped (30 s delay_loop): that stale pass
# must not let it back in; a fresh check at the end of the back-off fails
lab_check "passive: at the end of the back-off a fresh check fails" lab_wait_until 6 eval \
	"grep -q '198\.18\.2\.11:80 of TCP 198\.18\.1\.107:80: passive back-off over but a fresh check failed' '${DPLB_LOG[main]}'"
lab_check "... so rs1 stays out" not_listed 198.18.1.107:80 $RS1:80
lab_nginx rs1 $RS1 80 || true
lab_check "passive: rs1 is back after its back-off (its checker passes)" \
	lab_wait_until 6 listed 198.18.1.107:80 $RS1:80
lab_check_grep "the log names the passive reason" \
	"198\.18\.2\.11:80 of TCP 198\.18\.1\.107:80 is DOWN \(passive: [0-9]+ connection\(s\) refused in 1 s" \
	"$(grep "health:" "${DPLB_LOG[main]}")"

LOG_HEALTH=$(grep "health:" "${DPLB_LOG[main]}")
echo "$LOG_HEALTH"
lab_check_grep "the log names each change" \
	"real server 198\.18\.2\.11:80 of TCP 198\.18\.1\.100:80 is DOWN \(connect: Connection refused \(after 1 retries\)\)" \
	"$LOG_HEALTH"
lab_dplb_stop main
lab_finish
