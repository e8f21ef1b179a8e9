# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# The observability lab shared by test_telemetry.sh and test_metrics.sh:
# LVS-NAT to two nginx real servers with TCP_CHECKs, one VRRP instance
# with no peer (it becomes MASTER), the metrics listener on, and a counted
# burst of curl requests through the VIP with tshark at the client.
#
#   client 198.18.1.10 ── br0 ── lb (dplb 198.18.1.1, 198.18.2.1)
#                          └──── rs1 198.18.2.11, rs2 198.18.2.12 (nginx)
#   VIP 198.18.1.100:80 rr, VRRP VI_OBS vrid 61 with 198.18.1.200

OBS_VIP=198.18.1.100
OBS_VRRP_VIP=198.18.1.200
OBS_METRICS_PORT=$((9100 + $$ % 800))

# obs_lab_start: hosts, real servers, dplb (instance "main"); returns 1 on failure.
obs_lab_start() {
	lab_add_nat_hosts 198.18.2.1 || return 1
	lab_dplb_start main "${LAB_NS[lb]}" "connections = { max = 65536; };
metrics = { listen = \"127.0.0.1:$OBS_METRICS_PORT\"; };
$(lab_lb_interfaces 198.18.1.1/24 198.18.2.1/24)
virtual_servers = ( {
	protocol = \"tcp\"; address = \"$OBS_VIP\"; port = 80; scheduler = \"rr\";
	real_servers = (
		{ address = \"198.18.2.11\"; port = 80; forward = \"nat\";
		  checkers = ( { type = \"TCP_CHECK\"; delay_loop = 1; connect_timeout = 1; } ); },
		{ address = \"198.18.2.12\"; port = 80; forward = \"nat\";
		  checkers = ( { type = \"TCP_CHECK\"; delay_loop = 1; connect_timeout = 1; } ); } );
} );
vrrp_instances = ( {
	name = \"VI_OBS\"; interface = \"lab0\"; virtual_router_id = 61; priority = 100;
	advert_int = 1; state = \"BACKUP\"; virtual_ipaddress = [ \"$OBS_VRRP_VIP\" ];
} );" || return 1
	lab_dplb_wait_neigh 198.18.2.11 198.18.2.12
	OBS_SOCK=/var/run/dpdk/$LAB_ID-main/dpdk_telemetry.v2
}

# obs_traffic N: N requests through the VIP, captured at the client. Sets
# OBS_WANT to "CONNS IN_PKTS OUT_PKTS IN_BYTES OUT_BYTES" (tshark's count)
# and counts a failed request as a failed check.
obs_traffic() {
	local pcap=$LAB_TMP/obs-client.pcap
	lab_capture client "${LAB_IF[client]}" "tcp port 80" "$pcap" || return 1
	lab_requests client "$1" "http://$OBS_VIP/"
	lab_captures_stop
	lab_check_eq "$1 requests through the VIP, none failed" 0 "$LAB_FAILS"
	OBS_WANT="$1 $(lab_vip_counts "$pcap" $OBS_VIP 80)"
	echo "lab: tshark at the client: conns, in/out packets, in/out bytes: $OBS_WANT"
}

# obs_vrrp_master: wait (bounded) until VI_OBS is MASTER.
obs_vrrp_master() {
	lab_wait_until 10 lab_vrrp_is VI_OBS MASTER
}
