#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Prometheus metrics: the config keys are validated; /metrics is scraped
# from the lb namespace's loopback, `promtool check metrics` accepts it,
# and its counters are what this test sent (tshark at the client); VRRP,
# checkers and workers are there; a checker going down shows and is logged
# at NOTICE with its reason; SIGHUP reloads (good and bad) are logged and
# counted; the listener answers abuse with the right status and bounds its
# sessions without stalling the control lcore (the CLI keeps answering).
# Lab: test/lab/lib_obs.sh.
#
# usage: test/lab/test_metrics.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
. "$LAB_LIB_DIR/lib_obs.sh"
lab_init "${1:-}"
N=20

# ---- config validation (no DPDK)
conf_err() {	# BODY: the messages of --config-test on BODY
	printf 'interfaces = ( { name = "x"; device = "net_null0"; } );\n%s\n' "$1" >"$LAB_TMP/m.conf"
	"$DPLB" --config-test -f "$LAB_TMP/m.conf" 2>&1
}
lab_check_grep "metrics.listen on a non-loopback address is refused with why" \
	"metrics.listen '198.18.1.1' is not a loopback address" \
	"$(conf_err 'metrics = { listen = "198.18.1.1:9100"; };')"
lab_check_grep "metrics.listen without a port is refused" \
	"metrics.listen '127.0.0.1' must be ADDR:PORT, like \"127.0.0.1:9100\"" \
	"$(conf_err 'metrics = { listen = "127.0.0.1"; };')"
lab_check_grep "metrics without listen is refused" "metrics needs listen" \
	"$(conf_err 'metrics = { };')"
lab_check_grep "an unknown metrics key is named" "port" \
	"$(conf_err 'metrics = { listen = "127.0.0.1:9100"; port = 1; };')"
lab_check_grep "metrics on the CLI's address is refused" "is the CLI's address" \
	"$(conf_err 'metrics = { listen = "127.0.0.1:2323"; };')"
lab_check_grep "--config-dump prints the metrics group" 'listen = "127.0.0.1:9100"' \
	"$(printf 'interfaces = ( { name = "x"; device = "net_null0"; } );\nmetrics = { listen = "127.0.0.1:9100"; };\n' \
		>"$LAB_TMP/m.conf"; "$DPLB" --config-dump -f "$LAB_TMP/m.conf" 2>&1)"

obs_lab_start || lab_finish
URL=http://127.0.0.1:$OBS_METRICS_PORT/metrics
lab_check "the log gives the metrics URL" grep -q "Prometheus metrics on $URL" "${DPLB_LOG[main]}"
scrape() { lab_in lb curl -sf -m 5 "$URL"; }
metric() {	# NAME{LABELS}: its value in a fresh scrape (empty when absent)
	scrape | awk -v k="$1" 'index($0, k " ") == 1 { print $2 }'
}

obs_traffic $N || lab_finish
read -r _ in_p out_p in_b out_b <<<"$OBS_WANT"
S='proto="TCP",vip="198.18.1.100",port="80"'
svc_values() {
	scrape | awk -v s="$S" '
		index($0, "dplb_service_connections_total{" s "} ") == 1 { c = $2 }
		index($0, "dplb_service_packets_total{" s ",direction=\"in\"} ") == 1 { pi = $2 }
		index($0, "dplb_service_packets_total{" s ",direction=\"out\"} ") == 1 { po = $2 }
		index($0, "dplb_service_bytes_total{" s ",direction=\"in\"} ") == 1 { bi = $2 }
		index($0, "dplb_service_bytes_total{" s ",direction=\"out\"} ") == 1 { bo = $2 }
		END { print c, pi, po, bi, bo }'
}
svc_matches() { [ "$(svc_values)" = "$OBS_WANT" ]; }
lab_wait_until 5 svc_matches
lab_check_eq "service connections, packets and bytes (in, out) are what tshark counted" \
	"$OBS_WANT" "$(svc_values)"

PAGE=$LAB_TMP/metrics.txt
scrape >"$PAGE"
OUT=$(promtool check metrics <"$PAGE" 2>&1); rc=$?
lab_check_eq "promtool check metrics accepts the exposition ($(wc -l <"$PAGE") lines)" "0 " "$rc $OUT"
for rs in 198.18.2.11 198.18.2.12; do
	lab_check_eq "real server $rs: $((N / 2)) connections (rr)" $((N / 2)) \
		"$(awk -v k="dplb_realserver_connections_total{$S,server=\"$rs\",server_port=\"80\"}" \
			'$1 == k { print $2 }' "$PAGE")"
	lab_check_eq "checker of $rs is up" 1 \
		"$(grep -F "dplb_checker_up{$S,server=\"$rs\",server_port=\"80\",check=\"TCP_CHECK\"" "$PAGE" |
			awk '{ print $2 }')"
done
lab_check_eq "the real servers' packets add up to the service's" "$in_p $out_p" \
	"$(awk '/^dplb_realserver_packets_total\{.*direction="in"/ { i += $2 }
		/^dplb_realserver_packets_total\{.*direction="out"/ { o += $2 } END { print i, o }' "$PAGE")"
obs_vrrp_master
lab_check_eq "dplb_vrrp_state: VI_OBS is MASTER (1), not BACKUP (0)" "1 0" \
	"$(metric 'dplb_vrrp_state{instance="VI_OBS",vrid="61",state="MASTER"}') $(metric 'dplb_vrrp_state{instance="VI_OBS",vrid="61",state="BACKUP"}')"
lab_check_eq "dplb_vrrp_transitions_total: INIT -> BACKUP -> MASTER" 2 \
	"$(metric 'dplb_vrrp_transitions_total{instance="VI_OBS",vrid="61"}')"
lab_check_ge "dplb_worker_rx_packets_total of worker 0 covers the VIP's packets" $((in_p + out_p)) \
	"$(metric 'dplb_worker_rx_packets_total{worker="0",lcore="1"}' | cut -d. -f1)"
lab_check_grep "dplb_worker_drops_total has a series per reason" \
	'^dplb_worker_drops_total\{worker="0",lcore="1",reason="no_connection"\} [0-9]+$' "$(cat "$PAGE")"
lab_check_ge "dplb_connections counts the $N connections" $N "$(metric dplb_connections)"
lab_check_eq "dplb_connections_max is the configured 65536" 65536 "$(metric dplb_connections_max)"
rate_seen() { awk '$1 > 0 { f = 1 } END { exit !f }' <<<"$(metric "dplb_service_connections_per_second{$S}")"; }
lab_check "dplb_service_connections_per_second rises after the burst" lab_wait_until 6 rate_seen

# a checker going down: metrics and a NOTICE with the reason
kill -QUIT "$(cat "$LAB_TMP/nginx-rs2-80/nginx.pid")"
down() { [ "$(metric "dplb_checker_up{$S,server=\"198.18.2.12\",server_port=\"80\",check=\"TCP_CHECK\",target=\"\"}")" = 0 ]; }
lab_check "nginx stopped on rs2: dplb_checker_up goes 0" lab_wait_until 10 down
lab_check_grep "... and the log says so at NOTICE with the reason" \
	"NOTICE.*real server 198\.18\.2\.12:80 of TCP 198\.18\.1\.100:80 is DOWN \(.+\)|real server 198\.18\.2\.12:80 of TCP 198\.18\.1\.100:80 is DOWN \(.+\)" \
	"$(cat "${DPLB_LOG[main]}")"
lab_check_grep "the VRRP transition is logged with its reason" "VI_OBS: BACKUP -> MASTER \(.+\)" \
	"$(cat "${DPLB_LOG[main]}")"

# reloads: SIGHUP with the same file, then with a broken one
kill -HUP "${DPLB_PID[main]}"
reloaded() { [ "$(metric 'dplb_config_reloads_total{result="ok"}')" = 1 ]; }
lab_check "SIGHUP: dplb_config_reloads_total{result=\"ok\"} 1" lab_wait_until 5 reloaded
lab_check_grep "SIGHUP: the reload is logged with why" "config reload \(SIGHUP\): .*virtual service\(s\)" \
	"$(cat "${DPLB_LOG[main]}")"
cp "$LAB_TMP/dplb-main.conf" "$LAB_TMP/good.conf"
echo 'workers = "many";' >>"$LAB_TMP/dplb-main.conf"
kill -HUP "${DPLB_PID[main]}"
failed() { [ "$(metric 'dplb_config_reloads_total{result="failed"}')" = 1 ]; }
lab_check "SIGHUP with a broken file: dplb_config_reloads_total{result=\"failed\"} 1" lab_wait_until 5 failed
lab_check_grep "... logged with the file's error and what dplb keeps running" \
	"config reload \(SIGHUP\): .*still running the previous configuration" "$(cat "${DPLB_LOG[main]}")"
sed "s/127.0.0.1:$OBS_METRICS_PORT/127.0.0.1:$((OBS_METRICS_PORT + 1))/" "$LAB_TMP/good.conf" \
	>"$LAB_TMP/dplb-main.conf"
kill -HUP "${DPLB_PID[main]}"
reloaded2() { [ "$(metric 'dplb_config_reloads_total{result="ok"}')" = 2 ]; }
lab_check "SIGHUP with another metrics.listen: reloaded, the listener stays where it was" \
	lab_wait_until 5 reloaded2
lab_check_grep "... and the log says it applies at the next restart" \
	"config reload \(SIGHUP\): reload: metrics changed: it applies at the next restart" \
	"$(cat "${DPLB_LOG[main]}")"
cp "$LAB_TMP/good.conf" "$LAB_TMP/dplb-main.conf"

# HTTP: methods, paths, versions, sizes, session bound
H=127.0.0.1:$OBS_METRICS_PORT
raw() { lab_in lb "$LAB_PY" "$LAB_LIB_DIR/http_raw.py" 127.0.0.1 "$OBS_METRICS_PORT" "$@"; }
lab_check_eq "HEAD /metrics: 200 and no body" "200 0" \
	"$(lab_in lb curl -s -I -m 5 -o /dev/null -w '%{http_code} %{size_download}' "$URL")"
lab_check_eq "GET /nothing: 404" 404 "$(lab_in lb curl -s -m 5 -o /dev/null -w '%{http_code}' "http://$H/nothing")"
lab_check_eq "POST /metrics: 405" 405 "$(lab_in lb curl -s -m 5 -o /dev/null -w '%{http_code}' -d x "$URL")"
lab_check_eq "a garbage request line: 400" "HTTP/1.1 400 Bad Request" "$(raw send 'hello\r\n\r\n')"
lab_check_eq "HTTP/2.0: 505" "HTTP/1.1 505 HTTP Version Not Supported" "$(raw send 'GET /metrics HTTP/2.0\r\n\r\n')"
lab_check_eq "a NUL in the head: 400" "HTTP/1.1 400 Bad Request" "$(raw send 'GET /metrics\x00 HTTP/1.1\r\n\r\n')"
lab_check_eq "a 100 kB request head: 431" "HTTP/1.1 431 Request Header Fields Too Large" "$(raw big 100000)"
lab_bg "${LAB_NS[lb]}" "$LAB_TMP/hold.log" "$LAB_PY" "$LAB_LIB_DIR/http_raw.py" 127.0.0.1 "$OBS_METRICS_PORT" hold 8
HOLD=$LAB_LAST_PID
sleep 1.5
start=$(date +%s%N)
lab_check "while 8 silent sessions are held, the CLI answers at once" lab_dplbctl show stats
ms=$(( ($(date +%s%N) - start) / 1000000 ))
lab_check "... within 1 s (${ms} ms)" test "$ms" -lt 1000
lab_wait_until 15 eval "! kill -0 $HOLD"
lab_check_eq "a 9th session gets 503; the 8 silent ones are closed after 5 s" \
	"HTTP/1.1 503 Service Unavailable|closed 8 after 5 s" "$(paste -sd '|' "$LAB_TMP/hold.log")"
lab_check_eq "after all that, /metrics still answers 200" 200 \
	"$(lab_in lb curl -s -m 5 -o /dev/null -w '%{http_code}' "$URL")"

lab_dplb_stop main
lab_finish
