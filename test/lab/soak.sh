#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Soak: SOAK_MINUTES (default 20) of wrk load through the VIP while one of
# three nginx real servers is stopped for 5 s every minute (TCP_CHECK takes
# it out and back) and the config is reloaded every 30 s (rs3's weight
# alternating 1 / 2). A curl loop beside wrk logs every request with its
# time: a failure is allowed only within 3 s of a real server's stop (what
# was in flight or sent to the stopped server before its check noticed:
# a request that started up to 3 s, its timeout, before the stop or 4 s
# after it, delay_loop 1 + connect_timeout 1 + slack). At the end the
# mbufs in use are back where they started and dplb's memory is stable.
# Not part of `make test` (too long): `make soak`, or
#   SOAK_MINUTES=2 bash test/lab/soak.sh build      (root)
# SOAK_SYN_PROXY=1 puts the service behind the SYN proxy (every connection
# a cookie handshake and a translated stream).
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

MINUTES=${SOAK_MINUTES:-20}
VIP=198.18.1.100
lab_add_nat_hosts 198.18.2.1 && lab_add_realserver rs3 198.18.2.13/24 198.18.2.1 || lab_finish

rs() { echo "{ address = \"$1\"; port = 80; weight = $2; checkers = ( { type = \"TCP_CHECK\"; } ); }"; }
conf() {	# RS3_WEIGHT
	echo "$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
virtual_servers = ( {
	address = \"$VIP\"; port = 80; scheduler = \"wlc\";
	$([ "${SOAK_SYN_PROXY:-0}" = 1 ] && echo "syn_proxy = true;")
	delay_loop = 1; connect_timeout = 1; retry = 0;
	real_servers = ( $(rs 198.18.2.11 1), $(rs 198.18.2.12 1), $(rs 198.18.2.13 "$1") );
} );"
}
lab_dplb_start main "${LAB_NS[lb]}" "$(conf 1)" || lab_finish
CONF=$LAB_TMP/dplb-main.conf
lab_dplb_wait_neigh 198.18.2.11 198.18.2.12 198.18.2.13
lab_requests client 6 "http://$VIP/"
lab_check_eq "before the soak: requests through the VIP work" 0 "$LAB_FAILS"

mbufs() { lab_dplbctl show interfaces | awk '$1 == "mbufs" { print $5 }'; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/${DPLB_PID[main]}/status"; }
MBUFS0=$(mbufs)

END=$(($(date +%s) + MINUTES * 60))
lab_bg "${LAB_NS[client]}" "$LAB_TMP/wrk.log" wrk -t1 -c16 -d"${MINUTES}m" --timeout 3s "http://$VIP/"
WRK=$LAB_LAST_PID
# one request at a time, each logged as "EPOCH.MS CODE": bounded by END and a count
lab_bg "${LAB_NS[client]}" "$LAB_TMP/curls.log" bash -c "
	for i in \$(seq 1 $((MINUTES * 60 * 20))); do
		[ \$(date +%s) -ge $END ] && break
		echo \"\$(date +%s.%3N) \$(curl -s -m 3 -o /dev/null -w '%{http_code}' http://$VIP/)\"
		sleep 0.05
	done"
CURLS=$LAB_LAST_PID

STOPS=$LAB_TMP/stops.log
: >"$STOPS"
minute=0 reloads=0 reload_fail=0 RSS1=
while [ "$(date +%s)" -lt $((END - 10)) ]; do
	t0=$(date +%s)
	# the minute's real server: stopped 5 s, then started again
	name="rs$((minute % 3 + 1))" addr="198.18.2.1$((minute % 3 + 1))"
	pidf="$LAB_TMP/nginx-$name-80/nginx.pid"
	echo "$(date +%s.%3N) $name" >>"$STOPS"
	kill -TERM "$(cat "$pidf")" 2>/dev/null
	sleep 5
	lab_nginx "$name" "$addr" 80 >/dev/null || echo "    minute $minute: $name did not restart"
	# reloads at +15 s and +45 s, rs3's weight alternating
	for at in 15 45; do
		while [ $(($(date +%s) - t0)) -lt $at ] && [ "$(date +%s)" -lt $((END - 10)) ]; do sleep 1; done
		[ "$(date +%s)" -ge $((END - 10)) ] && break
		conf $((reloads % 2 + 1)) >"$CONF"
		lab_dplbctl config reload >/dev/null || reload_fail=$((reload_fail + 1))
		reloads=$((reloads + 1))
	done
	# memory from minute 3 on: by then TIME_WAIT entries (120 s) come and go
	[ -z "$RSS1" ] || [ "$minute" -lt 2 ] || [ -n "${RSS_SET:-}" ] || { RSS1=$(rss_kb); RSS_SET=1; }
	[ -z "$RSS1" ] && RSS1=$(rss_kb)
	while [ $(($(date +%s) - t0)) -lt 60 ] && [ "$(date +%s)" -lt $((END - 10)) ]; do sleep 1; done
	minute=$((minute + 1))
	echo "    minute $minute: $(wc -l <"$LAB_TMP/curls.log") curls, rss $(rss_kb) kB, mbufs $(mbufs)"
done
lab_wait_until 40 eval "! kill -0 $WRK 2>/dev/null && ! kill -0 $CURLS 2>/dev/null"
cat "$LAB_TMP/wrk.log" | sed 's/^/    wrk: /'

lab_check_eq "$reloads config reloads, each accepted" 0 "$reload_fail"
lab_check_ge "a real server was stopped every minute" $((MINUTES - 1)) "$(wc -l <"$STOPS")"
TOTAL=$(wc -l <"$LAB_TMP/curls.log")
BAD=$(awk -v stops="$STOPS" '
	BEGIN { while ((getline l < stops) > 0) { split(l, f, " "); s[++n] = f[1] } }
	$2 != "200" { ok = 0; d = 1e9
		      for (i = 1; i <= n; i++) {
			      if ($1 >= s[i] - 3 && $1 <= s[i] + 4) ok = 1
			      if ($1 - s[i] < d && $1 >= s[i]) d = $1 - s[i]
		      }
		      if (!ok) printf "%s %s (%.1f s after the last stop)\n", $1, $2, d }' "$LAB_TMP/curls.log")
INWIN=$(awk '$2 != "200"' "$LAB_TMP/curls.log" | wc -l)
lab_check_ge "the curl loop made requests all along" $((MINUTES * 60)) "$TOTAL"
mkdir -p /tmp/dplb-soak-last && cp "$LAB_TMP/curls.log" "$STOPS" "$LAB_TMP/wrk.log" /tmp/dplb-soak-last/
lab_check_eq "no failed request but those in flight to a stopped server ($TOTAL requests, $INWIN failed in all)" \
	"" "$BAD"
REQS=$(awk '/requests in/ { print $1 }' "$LAB_TMP/wrk.log")
lab_check_ge "wrk kept the VIP busy" $((MINUTES * 60 * 100)) "${REQS:-0}"
settled() { [ "$(mbufs)" = "$MBUFS0" ]; }
lab_check "no mbuf leaked: in use back to $MBUFS0" lab_wait_until 10 settled
RSS2=$(rss_kb)
lab_check "memory stable: dplb's RSS ${RSS1} kB at minute 3, ${RSS2} kB at the end (< +8 MB)" \
	test "$RSS2" -le $((RSS1 + 8192))

lab_dplb_stop main
lab_finish
