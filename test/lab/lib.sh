# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# dplb network-namespace lab: a bash library sourced by test/lab/test_*.sh
# and demo.sh. This file is its core: checks, set-up and teardown, hosts.
# It sources the rest, one file per job:
#   lib_dplb.sh     dplb instances: config pieces, start, dplbctl, stop
#   lib_capture.sh  tshark captures, and checks on what they caught
#
#   . "$(dirname "$0")/lib.sh"
#   lab_init "${1:-}"             # BUILD dir (default: build); root only
#   lab_add_host client 198.18.1.10/24
#   lab_add_lb lb                 # LB namespace + the veth dplb drives
#   lab_dplb_start main "${LAB_NS[lb]}" "$(lab_lb_interfaces 198.18.1.1/24)"
#   lab_check "client pings dplb" lab_in client ping -c 1 -W 1 198.18.1.1
#   lab_dplb_stop main
#   lab_finish                    # tears down, prints "N passed, M failed"
#
# Rules kept here: every name starts with a per-run id, everything built is
# removed on exit (trap, also after failures and on INT/TERM), only
# 198.18.0.0/15 is used, and every wait is bounded.
#
# Topology: each host is a namespace "$LAB_ID-NAME" with one veth whose peer
# is a port of bridge br0 in the switch namespace "$LAB_ID-sw", so all hosts
# share one L2 segment. Every veth has checksum offload off on both ends
# (veth leaves checksums unfilled otherwise, and dplb/af_packet would see
# and send frames with bad checksums) and IPv6 off (keeps dplb's counters
# deterministic: no router solicitations or MLD reports).

LAB_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_REPO=$(cd "$LAB_LIB_DIR/../.." && pwd)
LAB_PY=/usr/bin/python3			# not a pyenv shim: it runs inside netns
[ -x "$LAB_PY" ] || LAB_PY=$(command -v python3)
LAB_HUGEPAGES=${LAB_HUGEPAGES:-auto}	# dplb's eal.hugepages in lab configs
# For a sanitizer build of dplb: known third-party leaks only (lsan.supp).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$LAB_LIB_DIR/lsan.supp:print_suppressions=0}

LAB_PASSED=0 LAB_FAILED=0 LAB_SKIPPED=0
LAB_FINISHED=0 LAB_CLEANED=0
LAB_PIDS=()			# background processes we started
declare -A LAB_NS=()		# host name -> namespace
declare -A LAB_IF=()		# host name -> its interface (in LAB_NS)
declare -A LAB_ADDR=()		# host name -> its address (no prefix length)
LAB_NETNS=()			# namespaces we created, in creation order
LAB_PREFIXES=()			# DPDK --file-prefix values we used
declare -A LAB_SEEN=()		# lab_requests: page -> how many answers

# ---------------------------------------------------------------- checks

lab_pass() { LAB_PASSED=$((LAB_PASSED + 1)); echo "PASS: $1"; }
lab_skip() { LAB_SKIPPED=$((LAB_SKIPPED + 1)); echo "SKIP: $1 ($2)"; }
# lab_fail DESC [DETAIL...]: details are printed indented under the FAIL line.
lab_fail() {
	LAB_FAILED=$((LAB_FAILED + 1))
	echo "FAIL: $1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$@" | tail -n 25 | sed 's/^/    | /'
	return 0
}

# lab_check DESC CMD...: PASS when CMD exits 0; its output is kept in
# $LAB_OUT and shown on failure.
lab_check() {
	local desc=$1 rc
	shift
	LAB_OUT=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then lab_pass "$desc"
	else lab_fail "$desc" "command: $*" "exit $rc" "$LAB_OUT"; fi
	return $rc
}

lab_check_eq() {	# DESC WANT GOT
	if [ "$2" = "$3" ]; then lab_pass "$1 ($3)"
	else lab_fail "$1" "want: $2" "got:  $3"; return 1; fi
}

lab_check_ge() {	# DESC MIN GOT (integers)
	if [[ "$3" =~ ^[0-9]+$ ]] && [ "$3" -ge "$2" ]; then lab_pass "$1 ($3 >= $2)"
	else lab_fail "$1" "want >= $2" "got: $3"; return 1; fi
}

lab_check_grep() {	# DESC EXTENDED-REGEX TEXT
	if grep -Eq -- "$2" <<<"$3"; then lab_pass "$1"
	else lab_fail "$1" "no line matches /$2/ in:" "$3"; return 1; fi
}

# lab_wait_until SECONDS CMD...: run CMD every 0.1 s until it succeeds or
# SECONDS pass. Returns CMD's success.
lab_wait_until() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ $SECONDS -ge $end ] && return 1
		sleep 0.1
	done
}

lab_summary() {
	[ $LAB_SKIPPED -gt 0 ] && echo "($LAB_SKIPPED check(s) skipped)"
	echo "$LAB_PASSED passed, $LAB_FAILED failed"
}

# ------------------------------------------------------- set-up, teardown

# lab_init [BUILD]: check we can run, pick the run id, arm the traps.
lab_init() {
	local b=${1:-${LAB_BUILD:-$LAB_REPO/build}} ns
	LAB_BUILD=$(cd "$b" 2>/dev/null && pwd) || LAB_BUILD=$b
	DPLB=$LAB_BUILD/dplb
	DPLBCTL=$LAB_BUILD/dplbctl
	trap lab_on_exit EXIT
	trap 'lab_on_signal INT' INT
	trap 'lab_on_signal TERM' TERM
	if [ "$(id -u)" -ne 0 ]; then
		lab_fail "the lab needs root (network namespaces, raw sockets)"
		exit 1
	fi
	if [ ! -x "$DPLB" ] || [ ! -x "$DPLBCTL" ]; then
		lab_fail "dplb binaries" "no $DPLB or $DPLBCTL: run ninja -C $LAB_BUILD"
		exit 1
	fi
	# The id comes from our pid, so no running lab can hold it; namespaces
	# that carry it were left by a dead run that had the same pid.
	LAB_ID="lb$(printf '%x' $$)"
	for ns in $(ip netns list | awk '{ print $1 }' | grep "^$LAB_ID-"); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	LAB_TMP=$(mktemp -d "/tmp/dplb-lab-$LAB_ID.XXXXXX")
	chmod 711 "$LAB_TMP"	# nginx workers (www-data) read their pages in it
	echo "lab: id $LAB_ID, build $LAB_BUILD, files in $LAB_TMP"
}

# Stop what we started, delete what we created. Safe to call twice.
lab_cleanup() {
	local pid ns p i
	[ $LAB_CLEANED -eq 1 ] && return 0
	LAB_CLEANED=1
	for pid in "${LAB_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for i in $(seq 50); do	# up to 5 s for them to go
		p=0
		for pid in "${LAB_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && p=1; done
		[ $p -eq 0 ] && break
		sleep 0.1
	done
	for pid in "${LAB_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
	# Anything still in our namespaces (nginx workers, ...) was started
	# by us too; a namespace goes away with its last process.
	for ((i = ${#LAB_NETNS[@]} - 1; i >= 0; i--)); do
		ns=${LAB_NETNS[i]}
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	# DPDK runtime files and hugepage files left by our EAL instances
	for p in "${LAB_PREFIXES[@]}"; do
		rm -rf "/var/run/dpdk/$p"
		rm -f /dev/hugepages/"$p"map_* 2>/dev/null
	done
	[ -n "${LAB_TMP:-}" ] && [ -z "${LAB_KEEP:-}" ] && rm -rf "$LAB_TMP"
	[ -n "${LAB_KEEP:-}" ] && echo "lab: kept $LAB_TMP (LAB_KEEP set)"
	return 0
}

# lab_finish: tear down, check nothing is left, print the summary, exit.
lab_finish() {
	local left
	lab_cleanup
	left=$(ip netns list | grep "^$LAB_ID-")
	if [ -z "$left" ]; then lab_pass "lab torn down (no $LAB_ID-* namespaces left)"
	else lab_fail "lab torn down" "left: $left"; fi
	LAB_FINISHED=1
	lab_summary
	[ $LAB_FAILED -eq 0 ]
	exit $?
}

lab_on_exit() {
	local rc=$?
	[ $LAB_FINISHED -eq 1 ] && return
	lab_cleanup
	lab_fail "test script ended before lab_finish (exit $rc)"
	lab_summary
	exit 1
}

lab_on_signal() {
	echo "lab: interrupted by SIG$1, cleaning up"
	lab_cleanup
	lab_fail "interrupted by SIG$1"
	LAB_FINISHED=1
	lab_summary
	[ "$1" = INT ] && exit 130
	exit 143
}

# lab_bg NS LOG CMD...: run CMD in the background in NS ("" = here), output
# to LOG; the pid is tracked for cleanup and left in LAB_LAST_PID.
lab_bg() {
	local ns=$1 log=$2
	shift 2
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@" >"$log" 2>&1 </dev/null &
	else
		"$@" >"$log" 2>&1 </dev/null &
	fi
	LAB_LAST_PID=$!
	LAB_PIDS+=("$LAB_LAST_PID")
}

# lab_stop_pid PID SIGNAL SECONDS: signal it, wait (bounded) for it to go;
# returns its exit status, or 124 when it had to be killed.
lab_stop_pid() {
	kill -"$2" "$1" 2>/dev/null
	if lab_wait_until "$3" eval "! kill -0 $1"; then
		wait "$1" 2>/dev/null
		return $?
	fi
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 124
}

# ------------------------------------------------------------- topology

lab_ifname() {	# SUFFIX -> "$LAB_ID$SUFFIX", at most 15 characters
	local n="$LAB_ID$1"
	[ ${#n} -le 15 ] || { echo "lab: interface name $n too long" >&2; return 1; }
	echo "$n"
}

# lab_netns NAME: a fresh namespace "$LAB_ID-NAME" with lo up and IPv6 off.
lab_netns() {
	local ns="$LAB_ID-$1"
	ip netns add "$ns" || return 1
	LAB_NETNS+=("$ns")
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	LAB_NS[$1]=$ns
}

# lab_bridge: the switch namespace with bridge br0 (made on first use).
# With br_netfilter loaded (Docker hosts), a bridge runs frames through
# netfilter, which drops malformed IPv4/IPv6 before they reach dplb; a
# switch must pass them on as they are. The net.bridge sysctls are per
# namespace (and OR'ed with the per-bridge nf_call_* options): turn off both.
lab_bridge() {
	[ -n "${LAB_NS[sw]:-}" ] && return 0
	lab_netns sw || return 1
	ip netns exec "${LAB_NS[sw]}" sysctl -qw net.bridge.bridge-nf-call-iptables=0 \
		net.bridge.bridge-nf-call-ip6tables=0 net.bridge.bridge-nf-call-arptables=0 \
		2>/dev/null	# absent when br_netfilter is not loaded: fine
	ip -n "${LAB_NS[sw]}" link add br0 type bridge stp_state 0 forward_delay 0 \
		nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 \
		mcast_snooping 0	# no IGMP reports from br0 itself; flood multicast
	ip -n "${LAB_NS[sw]}" link set br0 up
	[ -n "${LAB_PCAP:-}" ] && lab_switch_pcap
	return 0
}

# With LAB_PCAP=DIR set, every frame crossing the switch goes into
# DIR/TEST-ID.pcap for the whole run (capture on "any": each frame twice,
# once in from its sender's port, once out to each port it leaves by, so a
# frame lost in the switch or never sent shows). For runs that fail now
# and then; the file outlives the lab.
lab_switch_pcap() {
	local f
	mkdir -p "$LAB_PCAP" || return 1
	f="$LAB_PCAP/$(basename "$0" .sh)-$LAB_ID.pcap"
	lab_bg "${LAB_NS[sw]}" "$f.log" tshark -q -n -i any -F pcap -w "$f" -a duration:3600
	lab_wait_until 15 grep -q "Capturing on" "$f.log" || echo "lab: no switch capture: $(cat "$f.log")"
	echo "lab: switch capture in $f"
}

# lab_plug NAME: a veth from host NAME's namespace to a br0 port; sets
# LAB_IF[NAME]. Offloads off on both ends, both ends up.
lab_plug() {
	local tag=${1:0:5} ns=${LAB_NS[$1]} sw
	local ifc port
	lab_bridge || return 1
	sw=${LAB_NS[sw]}
	ifc=$(lab_ifname "-$tag") && port=$(lab_ifname "_$tag") || return 1
	ip link add "$ifc" netns "$ns" type veth peer name "$port" netns "$sw" || return 1
	ip -n "$sw" link set "$port" master br0
	ip netns exec "$sw" ethtool -K "$port" tx off rx off >/dev/null
	ip netns exec "$ns" ethtool -K "$ifc" tx off rx off >/dev/null
	ip -n "$sw" link set "$port" up
	ip -n "$ns" link set "$ifc" up
	LAB_IF[$1]=$ifc
}

# lab_add_host NAME ADDR/LEN [GATEWAY]: a host on the segment.
lab_add_host() {
	lab_netns "$1" && lab_plug "$1" || { lab_fail "create host $1"; return 1; }
	ip -n "${LAB_NS[$1]}" addr add "$2" dev "${LAB_IF[$1]}"
	# shellcheck disable=SC2034	# for the tests
	LAB_ADDR[$1]=${2%/*}
	[ -n "${3:-}" ] && ip -n "${LAB_NS[$1]}" route add default via "$3"
	return 0
}

# lab_add_lb NAME: the load balancer's namespace and the veth dplb drives
# (af_packet device "net_af_packet0,iface=${LAB_IF[NAME]}"). dplb's TAP
# (its exception path) gives the kernel of this namespace the box's
# address, and the kernel still sees every frame on the veth too, so:
#   - the veth has no address and `arp off`: else the kernel would also
#     answer ARP for the box's address on it (two replies per request);
#   - rp_filter=1 (strict) on all and on the veth: the route back to any
#     sender is via the TAP, so the kernel drops IP arriving on the veth
#     instead of answering it as well (duplicate ping replies, a second
#     SYN-ACK or a RST for every TCP SYN to the box);
#   - IPv6 off on it: no link-local address, no ND/MLD from the kernel;
#   - arp_ignore=8 (never answer) as well, should ARP be turned back on.
# test_foundation.sh checks the result: one ARP reply, no duplicate pings.
lab_add_lb() {
	local ns ifc
	lab_netns "$1" && lab_plug "$1" || { lab_fail "create LB host $1"; return 1; }
	ns=${LAB_NS[$1]} ifc=${LAB_IF[$1]}
	ip -n "$ns" link set dev "$ifc" arp off
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=1 \
		"net.ipv4.conf.$ifc.rp_filter=1" "net.ipv4.conf.$ifc.arp_ignore=8" \
		"net.ipv6.conf.$ifc.disable_ipv6=1"
}

# lab_in NAME CMD...: run CMD in host NAME's namespace.
lab_in() { local ns=${LAB_NS[$1]}; shift; ip netns exec "$ns" "$@"; }

# lab_has_addr NAME ADDR: host NAME's interface holds IPv4 address ADDR
# (e.g. keepalived added its VIP).
lab_has_addr() {
	ip -n "${LAB_NS[$1]}" -4 addr show dev "${LAB_IF[$1]}" | grep -q " $2/"
}

lab_mac() {	# NAME: the MAC of host NAME's interface, lower case
	lab_in "$1" cat "/sys/class/net/${LAB_IF[$1]}/address"
}

# lab_nginx NAME ADDR PORT [BODY] [tls]: nginx in host NAME's namespace
# serving BODY (default: NAME) at http://ADDR:PORT/, or https:// with a
# self-signed certificate (CN NAME.lab) when the fifth word is "tls"; the
# access log then starts each line with the SNI the client sent. Files in
# $LAB_TMP/nginx-NAME-PORT (pages in www/). Waits until it answers.
lab_nginx() {
	local name=$1 addr=$2 port=$3 body=${4:-$1} tls=${5:-} d listen scheme=http
	local logfmt=""
	d="$LAB_TMP/nginx-$name-$port"
	mkdir -p "$d/www" "$d/tmp"
	echo "$body" >"$d/www/index.html"
	listen="listen $addr:$port;"
	if [ "$tls" = tls ]; then
		openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$name.lab" \
			-keyout "$d/key.pem" -out "$d/cert.pem" >/dev/null 2>&1
		listen="listen $addr:$port ssl; ssl_certificate $d/cert.pem; ssl_certificate_key $d/key.pem;"
		logfmt="log_format sni '\$ssl_server_name \"\$request\" \$status';"
		scheme=https
	fi
	cat >"$d/nginx.conf" <<-EOF
		# generated by test/lab/lib.sh: real server $name
		daemon off;
		worker_processes 1;
		pid $d/nginx.pid;
		error_log $d/error.log notice;
		events { worker_connections 256; }
		http {
			$logfmt
			access_log $d/access.log${logfmt:+ sni};
			client_body_temp_path $d/tmp;
			default_type text/plain;
			server { $listen root $d/www; }
		}
	EOF
	lab_bg "${LAB_NS[$name]}" "$d/stderr.log" nginx -e "$d/error.log" -p "$d" -c "$d/nginx.conf"
	if ! lab_wait_until 10 lab_in "$name" curl -skf -m 1 -o /dev/null "$scheme://$addr:$port/"; then
		lab_fail "nginx on $name ($addr:$port) starts" \
			"$(cat "$d/stderr.log" "$d/error.log" 2>/dev/null | tail -n 5)"
		return 1
	fi
}

# lab_add_realserver NAME ADDR/LEN [GATEWAY]: a host running nginx on port
# 80 that answers "NAME" (so a client sees which real server it reached).
lab_add_realserver() {
	lab_add_host "$@" && lab_nginx "$1" "${2%/*}" 80
}

# lab_add_dr_realserver NAME ADDR/LEN VIP: a real server for LVS-DR: the
# VIP on lo, neither announced nor answered for on the segment
# (arp_ignore=1, arp_announce=2), nginx on the VIP answering "NAME".
lab_add_dr_realserver() {
	local ifc
	lab_add_host "$1" "$2" || return 1
	ifc=${LAB_IF[$1]}
	ip -n "${LAB_NS[$1]}" addr add "$3/32" dev lo
	lab_in "$1" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
		"net.ipv4.conf.$ifc.arp_ignore=1" "net.ipv4.conf.$ifc.arp_announce=2" || return 1
	lab_nginx "$1" "$3" 80
}

# lab_add_nat_hosts [GATEWAY]: the two-subnet lab of the NAT-style tests:
# client 198.18.1.10/24, the LB host "lb", and nginx real servers rs1
# 198.18.2.11/24 and rs2 198.18.2.12/24, with their default route via
# GATEWAY (dplb's 198.18.2.1 for NAT; none for FNAT). dplb takes
# 198.18.1.1/24 and 198.18.2.1/24 (lab_lb_interfaces).
lab_add_nat_hosts() {
	lab_add_host client 198.18.1.10/24 && lab_add_lb lb &&
		lab_add_realserver rs1 198.18.2.11/24 "${1:-}" &&
		lab_add_realserver rs2 198.18.2.12/24 "${1:-}"
}

# lab_requests NAME N URL: N requests `curl -sf -m 5 URL` from host NAME,
# one after the other. LAB_SEEN[PAGE] counts the answers by page (a real
# server's page is its name), LAB_FAILS the requests that failed and
# LAB_FAIL_RCS their curl exit codes.
lab_requests() {
	local page i rc
	LAB_SEEN=() LAB_FAILS=0 LAB_FAIL_RCS=""
	for ((i = 0; i < $2; i++)); do
		rc=0
		page=$(lab_in "$1" curl -sf -m 5 "$3") || rc=$?
		if [ $rc -ne 0 ]; then	# curl's exit codes: 7 refused, 28 timeout, 56 reset
			LAB_FAILS=$((LAB_FAILS + 1)) LAB_FAIL_RCS+="${LAB_FAIL_RCS:+ }$rc"
			continue
		fi
		LAB_SEEN[$page]=$((${LAB_SEEN[$page]:-0} + 1))
	done
}

. "$LAB_LIB_DIR/lib_dplb.sh"
. "$LAB_LIB_DIR/lib_capture.sh"
