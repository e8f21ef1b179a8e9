#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# `make demo`: a guided tour of dplb in network namespaces, no interaction.
# Builds a small lab, starts dplb, and shows each command with its output:
# ARP and ping answered by dplb itself, HTTP to the box reaching the kernel
# through the exception path (TAP), a virtual service load-balancing HTTP
# over two nginx real servers (LVS-NAT; left out, with a note, when the
# build has no virtual services yet), and dplbctl's view. Tears everything
# down at the end (also on Ctrl-C).
#
# usage: test/lab/demo.sh [BUILD]      (root)
#   DEMO_PAUSE=2   seconds to pause between steps (default 0)
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

BOX=198.18.1.1 VIP=198.18.1.100
PAUSE=${DEMO_PAUSE:-0}

say() { echo; echo "### $*"; }		# a step, in plain words
note() { echo "    $*"; }			# an explanation
# show CMD...: print the command as an operator would type it, then run it
# and print its output indented.
show() {
	echo "  \$ $*"
	"$@" 2>&1 | sed 's/^/    /'
	sleep "$PAUSE"
}

cat <<EOF

dplb demo. Everything runs in network namespaces named $LAB_ID-*, on
addresses of 198.18.0.0/15 (reserved for benchmarks): nothing leaves
this machine, and everything is removed at the end.

   client 198.18.1.10 ──┐                 load balancer ($LAB_ID-lb)
   rs1    198.18.2.11 ──┼─ switch (br0) ─ veth ─ dplb (DPDK af_packet PMD)
   rs2    198.18.2.12 ──┘  (nginx)                │ 198.18.1.1, 198.18.2.1
                                                  │ VIP $VIP:80 -> rs1, rs2
                                                  └─ TAP $(lab_ifname -tap) ─ kernel
EOF

say "Building the lab: a client, two real servers, a switch, the LB's namespace"
lab_add_nat_hosts 198.18.2.1 >/dev/null || lab_finish
CL=${LAB_NS[client]} LB=${LAB_NS[lb]}
note "client: namespace $CL, interface ${LAB_IF[client]}, 198.18.1.10/24"
note "rs1, rs2: nginx answering \"rs1\" / \"rs2\"; their gateway is dplb (198.18.2.1)"
note "LB: namespace $LB; dplb drives ${LAB_IF[lb]} (no address, ARP off,"
note "strict rp_filter: the namespace's kernel must leave that port to dplb)"

say "Starting dplb with this configuration"
IFACES=$(lab_lb_interfaces $BOX/24 198.18.2.1/24)
SERVICES="
virtual_servers = ( {
	protocol = \"tcp\"; address = \"$VIP\"; port = 80; scheduler = \"rr\";
	$(lab_real_servers nat 80 198.18.2.11 198.18.2.12)
} );"
# Builds from before virtual services reject the section: demo without it.
echo "$IFACES$SERVICES" >"$LAB_TMP/probe.conf"
if "$DPLB" --config-test -f "$LAB_TMP/probe.conf" >/dev/null 2>&1; then LB_DEMO=1
else LB_DEMO=0 SERVICES=""; fi
lab_dplb_start main "$LB" "$IFACES$SERVICES" >/dev/null ||
	{ cat "${DPLB_LOG[main]}"; lab_finish; }
sed 's/^/    /' "$LAB_TMP/dplb-main.conf"
note "started as: ip netns exec $LB $DPLB -f dplb-main.conf"
note "dplb says:"
grep -E '^(port|exception|cli|dplb):' "${DPLB_LOG[main]}" | sed 's/^/      /'
CTL=(ip netns exec "$LB" "$DPLBCTL" -s "127.0.0.1:${DPLB_PORT[main]}")

say "1. The client pings the box. dplb answers ARP and ICMP echo itself."
lab_capture client "${LAB_IF[client]}" "arp or icmp" "$LAB_TMP/demo.pcap" 30 >/dev/null
show ip netns exec "$CL" ping -n -c 3 -i 0.3 $BOX
lab_captures_stop
note "What crossed the wire (tshark on the client's interface):"
lab_tshark "$LAB_TMP/demo.pcap" | sed 's/^/      /'
note "The client's ARP table now holds dplb's MAC:"
show ip netns exec "$CL" ip neigh show $BOX

say "2. TCP to the box goes to the kernel, through dplb's TAP (exception path)"
note "An HTTP server runs in the LB namespace's kernel, bound to $BOX:"
lab_nginx lb $BOX 80 "hello from the kernel behind dplb ($LB)" >/dev/null
show ip netns exec "$LB" ip -br addr show dev "$(lab_ifname -tap)"
show ip netns exec "$CL" curl -sS -m 5 http://$BOX/
note "(ssh to the box and health-check sockets travel the same way)"

if [ $LB_DEMO -eq 1 ]; then
	say "3. Load balancing: HTTP to the virtual service $VIP:80 (LVS-NAT, round robin)"
	note "dplb picks a real server per connection and rewrites addresses both ways;"
	note "the client only ever talks to $VIP. Six requests:"
	lab_dplb_wait_neigh 198.18.2.12
	for _ in 1 2 3 4 5 6; do
		show ip netns exec "$CL" curl -sS -m 5 http://$VIP/
	done
	show "${CTL[@]}" ipvsadm -L -n --stats
else
	say "3. Load balancing: not in this build yet (it has no virtual services)"
fi

say "4. What dplb reports (dplbctl talks to its CLI)"
show "${CTL[@]}" show interfaces
show "${CTL[@]}" show neigh
show "${CTL[@]}" show stats
note "rx/tx_packets: frames dplb's worker received and sent; to_control:"
note "frames for the box handed to the control lcore (ARP, ping, TCP for the"
note "kernel); from_control: frames it sent back out (answers, kernel replies)."
note "drop_<reason> lines appear only when something was dropped."

say "5. Stopping dplb with SIGTERM"
lab_dplb_stop main >/dev/null
tail -n 3 "${DPLB_LOG[main]}" | sed 's/^/    /'

say "Tearing the lab down"
lab_finish
