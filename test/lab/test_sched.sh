#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Schedulers in the lab: 3,000 new connections through a wrr 3:1 NAT service
# land 3:1 within 5 %, counted by the real servers' nginx access logs and by
# `ipvsadm -L -n --stats`; then the same through sh (one client, one server).
#
# usage: test/lab/test_sched.sh [BUILD]      (root)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100 N=3000
lab_add_nat_hosts 198.18.2.1 || lab_finish
lab_dplb_start main "${LAB_NS[lb]}" "connections = { max = 65536; };
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
virtual_servers = ( {
	protocol = \"tcp\"; address = \"$VIP\"; port = 80; scheduler = \"wrr\";
	$(lab_real_servers nat 80 198.18.2.11=3 198.18.2.12=1)
}, {
	protocol = \"tcp\"; address = \"198.18.1.101\"; port = 80; scheduler = \"sh\";
	$(lab_real_servers nat 80 198.18.2.11 198.18.2.12)
} );" || lab_finish
lab_dplb_wait_neigh 198.18.2.12
for f in "$LAB_TMP"/nginx-rs*-80/access.log; do : >"$f"; done

start=$SECONDS
OUT=$(lab_in client "$LAB_PY" "$LAB_LIB_DIR/http_burst.py" $VIP 80 $N)
echo "$OUT (in $((SECONDS - start)) s)"
lab_check_grep "$N new connections through the wrr service, none failed" "^$N ok 0 failed$" "$OUT"
R1=$(grep -c . "$LAB_TMP/nginx-rs1-80/access.log") R2=$(grep -c . "$LAB_TMP/nginx-rs2-80/access.log")
echo "access logs: rs1 $R1, rs2 $R2"
# 3:1 within 5 %: rs1 gets 75 % +- 3.75 points of the requests
lab_check "wrr 3:1 by the access logs: rs1 $R1, rs2 $R2 (3:1 within 5 %)" \
	awk -v a="$R1" -v b="$R2" 'BEGIN { r = a / (a + b); exit !(r > 0.7125 && r < 0.7875 && a + b == '$N') }'
STATS=$(lab_dplbctl ipvsadm -L -n --stats)
echo "$STATS"
S1=$(awk '$2 == "198.18.2.11:80" { print $3; exit }' <<<"$STATS")
S2=$(awk '$2 == "198.18.2.12:80" { print $3; exit }' <<<"$STATS")
lab_check_eq "--stats agrees with the access log for rs1" "$R1" "$S1"
lab_check_eq "--stats agrees with the access log for rs2" "$R2" "$S2"

# sh: one client address always reaches the same real server
OUT=$(lab_in client "$LAB_PY" "$LAB_LIB_DIR/http_burst.py" 198.18.1.101 80 50)
lab_check_eq "sh: 50 connections from one client, one real server" 1 \
	"$(grep -c '^body ' <<<"$OUT")"

lab_dplb_stop main
lab_finish
