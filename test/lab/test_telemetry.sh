#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# DPDK telemetry: every /dplb/* endpoint read through the telemetry socket
# (test/lab/telemetry.py: SOCK_SEQPACKET to dpdk_telemetry.v2), its values
# checked against the traffic this test sent and what tshark counted.
# Lab: test/lab/lib_obs.sh (NAT to two nginx with TCP_CHECKs, one VRRP
# instance with no peer).
#
# usage: test/lab/test_telemetry.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
. "$LAB_LIB_DIR/lib_obs.sh"
lab_init "${1:-}"
N=20

obs_lab_start || lab_finish
lab_check "the log names the telemetry socket" \
	grep -q "telemetry socket $OBS_SOCK (dpdk-telemetry.py -f $LAB_ID-main)" "${DPLB_LOG[main]}"
tel() { "$LAB_PY" "$LAB_LIB_DIR/telemetry.py" "$OBS_SOCK" "$@"; }
LIST=$(tel /)
lab_check_eq "the socket lists the five /dplb endpoints" \
	"/dplb/health /dplb/realservers /dplb/services /dplb/vrrp /dplb/workers" \
	"$(jq -r '."/"[] | select(startswith("/dplb/"))' <<<"$LIST" | sort | xargs)"
lab_check_grep "/help names the parameter of /dplb/services" "VIP:PORT" \
	"$(tel /help,/dplb/services)"

obs_traffic $N || lab_finish

# the snapshot is refreshed once a second: wait for it to hold the burst
svc_values() {
	tel "/dplb/services,TCP:$OBS_VIP:80" |
		jq -r --arg k "TCP $OBS_VIP:80" '."/dplb/services"[] | objects | select(.service == $k) |
			"\(.conns) \(.inpkts) \(.outpkts) \(.inbytes) \(.outbytes)"'
}
svc_matches() { [ "$(svc_values)" = "$OBS_WANT" ]; }
lab_wait_until 5 svc_matches
lab_check_eq "/dplb/services: conns, in/out packets, in/out bytes are what tshark counted" \
	"$OBS_WANT" "$(svc_values)"
ALL=$(tel /dplb/services)
lab_check_eq "/dplb/services: one service, scheduler rr, 2 real servers" "1 rr 2" \
	"$(jq -r --arg k "TCP $OBS_VIP:80" '."/dplb/services" | (.[] | objects | select(.service == $k)) as $s |
		"\(.services) \($s.scheduler) \($s.realservers)"' <<<"$ALL")"
lab_check_grep "/dplb/services with a bad parameter answers an error" '"error"' \
	"$(tel /dplb/services,nonsense)"

RS=$(tel "/dplb/realservers,$OBS_VIP:80")
echo "$RS"
lab_check_eq "/dplb/realservers: rr gave each real server $((N / 2)) connections" \
	"$((N / 2)) $((N / 2))" "$(jq -r '."/dplb/realservers" | [.[] | objects | .conns] | map(tostring) | join(" ")' <<<"$RS")"
read -r _ in_p out_p in_b out_b <<<"$OBS_WANT"
lab_check_eq "/dplb/realservers: their packets and bytes add up to the service's" \
	"$in_p $out_p $in_b $out_b" \
	"$(jq -r '."/dplb/realservers" | [.[] | objects] |
		"\(map(.inpkts) | add) \(map(.outpkts) | add) \(map(.inbytes) | add) \(map(.outbytes) | add)"' <<<"$RS")"
lab_check_eq "/dplb/realservers: Masq, weight 1" "Masq 1 Masq 1" \
	"$(jq -r '."/dplb/realservers" | [.[] | objects | "\(.forward) \(.weight)"] | join(" ")' <<<"$RS")"

obs_vrrp_master
# the snapshot is up to a second behind the CLI
tel_master() { tel /dplb/vrrp | jq -e '."/dplb/vrrp".VI_OBS.state == "MASTER"' >/dev/null; }
lab_wait_until 5 tel_master
V=$(tel /dplb/vrrp)
echo "$V"
lab_check_eq "/dplb/vrrp: VI_OBS, vrid 61 on lab0, MASTER, priority 100" "61 lab0 MASTER 100" \
	"$(jq -r '."/dplb/vrrp".VI_OBS | "\(.vrid) \(.interface) \(.state) \(.priority)"' <<<"$V")"
lab_check_eq "/dplb/vrrp: became MASTER once (INIT -> BACKUP -> MASTER: 2 transitions)" "1 2" \
	"$(jq -r '."/dplb/vrrp".VI_OBS | "\(.become_master) \(.transitions)"' <<<"$V")"
lab_check_ge "/dplb/vrrp: adverts sent as MASTER" 1 \
	"$(jq -r '."/dplb/vrrp".VI_OBS.tx_adverts' <<<"$V")"

H=$(tel /dplb/health)
echo "$H"
lab_check_eq "/dplb/health: two TCP_CHECKs, both UP, their servers ALIVE" "2 UP ALIVE UP ALIVE" \
	"$(jq -r '."/dplb/health" | "\(.checkers) " + ([.[] | objects | "\(.state) \(.realserver)"] | join(" "))' <<<"$H")"
lab_check_eq "/dplb/health: each checker passed, took > 0 us, no error" "ok ok" \
	"$(jq -r '."/dplb/health" | [.[] | objects | if .ok > 0 and .last_duration_us > 0 and .last_error == "" then "ok" else tostring end] | join(" ")' <<<"$H")"

W=$(tel /dplb/workers)
echo "$W"
lab_check_eq "/dplb/workers: worker0 and the control lcore" "control worker0" \
	"$(jq -r '."/dplb/workers" | [to_entries[] | select(.value | type == "object") | .key] | sort | join(" ")' <<<"$W")"
lab_check_ge "/dplb/workers: worker0 received at least the VIP's packets both ways" \
	$((in_p + out_p)) "$(jq -r '."/dplb/workers".worker0.rx_packets' <<<"$W")"
lab_check_ge "/dplb/workers: worker0 sent at least the VIP's packets both ways" \
	$((in_p + out_p)) "$(jq -r '."/dplb/workers".worker0.tx_packets' <<<"$W")"
lab_check_ge "/dplb/workers: busy cycles per packet is counted" 1 \
	"$(jq -r '."/dplb/workers".worker0.busy_cycles_per_packet' <<<"$W")"
lab_check_eq "/dplb/workers: connection table capacity 65536" 65536 \
	"$(jq -r '."/dplb/workers".connections_max' <<<"$W")"
lab_check_ge "/dplb/workers: the $N connections are in the table" $N \
	"$(jq -r '."/dplb/workers".connections' <<<"$W")"
lab_check_eq "dpdk-telemetry.py finds the socket by file prefix" "MASTER" \
	"$(echo /dplb/vrrp | timeout 10 dpdk-telemetry.py -f "$LAB_ID-main" 2>/dev/null |
		tr -d '\n ' | grep -o '"state":"[A-Z]*"' | cut -d'"' -f4)"

lab_dplb_stop main

# a reply larger than DPDK's 16 KB: 60 real servers (null port, no traffic)
RS60=$(for i in $(seq 10 69); do printf '{ address = "198.18.9.%d"; port = 8080; forward = "nat"; },' "$i"; done)
lab_dplb_start big "${LAB_NS[lb]}" "connections = { max = 4096; };
interfaces = ( { name = \"n0\"; device = \"net_null0,no-rx=1\"; addresses = [ \"198.18.9.1/24\" ];
	exception = false; } );
virtual_servers = ( { protocol = \"tcp\"; address = \"198.18.9.100\"; port = 80; scheduler = \"rr\";
	real_servers = ( ${RS60%,} ); } );" || lab_finish
BIG=$("$LAB_PY" "$LAB_LIB_DIR/telemetry.py" "/var/run/dpdk/$LAB_ID-big/dpdk_telemetry.v2" /dplb/realservers)
lab_check_eq "/dplb/realservers with 60: valid JSON, 32 entries, truncated, next 32, the total 60" \
	"32 1 32 60" "$(jq -r '."/dplb/realservers" |
		"\([.[] | objects] | length) \(.truncated) \(.next) \(.realservers)"' <<<"$BIG")"
BIG2=$("$LAB_PY" "$LAB_LIB_DIR/telemetry.py" "/var/run/dpdk/$LAB_ID-big/dpdk_telemetry.v2" \
	/dplb/realservers,32 /dplb/realservers,TCP:198.18.9.100:80,32 /dplb/realservers,x,1)
servers() { jq -r '."/dplb/realservers" | .[] | objects | .server'; }
lab_check_eq "... ,32 gives the other 28, not truncated: with the first page, all 60 once" \
	"28 null 60" "$(sed -n 1p <<<"$BIG2" | jq -r '."/dplb/realservers" | "\([.[] | objects] | length) \(.truncated)"') $( 
		{ servers <<<"$BIG"; sed -n 1p <<<"$BIG2" | servers; } | sort -u | wc -l)"
lab_check_eq "... ,TCP:VIP:PORT,32 gives the same page" "$(sed -n 1p <<<"$BIG2" | servers | sort | xargs)" \
	"$(sed -n 2p <<<"$BIG2" | servers | sort | xargs)"
lab_check_grep "... a bad SKIP answers an error with the syntax" '"error": "parameter must be' \
	"$(tail -n 1 <<<"$BIG2")"
lab_dplb_stop big
lab_finish
