# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# dplb network-namespace lab, sourced by lib.sh: packet captures. Start
# any number of tshark captures on any lab namespace and interface
# (lab_capture), stop them all (lab_captures_stop; lab_cleanup ends any
# still running), read them with checksum validation on (lab_tshark,
# lab_bad_checksums), and the checks the DR and TUN tests both make on the
# client's capture (lab_check_vip_arp, lab_check_vip_replies).
#
# tshark checks no IP, TCP or UDP checksum unless asked to; lab_tshark
# asks, so ip/tcp/udp.checksum.status is "Good" (1) or "Bad" (0).

LAB_CAPS=()			# pids of the captures running
# display filter: a frame with a bad IP, TCP or UDP checksum
LAB_BAD_CSUM='(ip.checksum.status == "Bad" || tcp.checksum.status == "Bad" ||
	udp.checksum.status == "Bad")'

# lab_capture NAME IFACE FILTER FILE [MAX_S]: tshark on IFACE in host NAME's
# namespace ("sw": the switch's), capture filter FILTER, into FILE, for at
# most MAX_S (60) seconds. Returns once it captures (bounded; FAIL if
# tshark does not start).
lab_capture() {
	local log="$4.log"
	lab_bg "${LAB_NS[$1]}" "$log" tshark -q -n -i "$2" -f "$3" -a "duration:${5:-60}" -w "$4"
	LAB_CAPS+=("$LAB_LAST_PID")
	# "Capturing on" comes just before the capture really runs, and before
	# tshark checks FILTER: give it a moment, then it must still be running.
	if ! lab_wait_until 15 grep -q "Capturing on" "$log" || ! sleep 0.5 ||
	   ! kill -0 "$LAB_LAST_PID" 2>/dev/null; then
		lab_fail "tshark starts on $2 (filter: $3)" "$(cat "$log")"
		return 1
	fi
}

# lab_captures_stop: end every capture running (SIGINT: tshark writes out
# what it caught), up to 10 s for all of them; then their FILEs are whole.
lab_captures_stop() {
	local pid
	[ ${#LAB_CAPS[@]} -gt 0 ] || return 0
	sleep 0.5	# let the last frames reach the captures
	for pid in "${LAB_CAPS[@]}"; do kill -INT "$pid" 2>/dev/null; done
	lab_wait_until 10 eval "! kill -0 ${LAB_CAPS[*]}"
	for pid in "${LAB_CAPS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	LAB_CAPS=()
	return 0
}

# lab_tshark PCAP ARGS...: tshark reading PCAP (no name resolution) with
# IP, TCP and UDP checksum validation on; its complaints are dropped.
lab_tshark() {
	local f=$1
	shift
	tshark -n -r "$f" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-o udp.check_checksum:TRUE "$@" 2>/dev/null
}

lab_bad_checksums() {	# PCAP: how many frames have a bad IP/TCP/UDP checksum
	lab_tshark "$1" -Y "$LAB_BAD_CSUM" | wc -l
}

lab_show_bad_checksums() {	# PCAP: the first 5 such frames and the first's bytes, for the log
	local name
	name=$(basename "$1")
	lab_tshark "$1" -Y "$LAB_BAD_CSUM" -T fields -e frame.number -e frame.time_relative \
		-e frame.cap_len -e frame.len -e eth.src -e ip.src -e ip.dst -e tcp.srcport \
		-e tcp.dstport -e tcp.flags.str -e tcp.seq_raw -e tcp.len -e ip.checksum.status \
		-e tcp.checksum -e tcp.checksum.status -e _ws.expert.message | head -5 |
		sed "s#^#    | $name bad (frame, time, caplen, len, mac, src, dst, ports, flags, seq, tcp len, ip, tcp csum, tcp, expert): #"
	lab_tshark "$1" -Y "$LAB_BAD_CSUM" -x | awk 'NF == 0 { exit } { print }' | sed "s#^#    | $name first: #"
}

# lab_check_vip_arp PCAP VIP MAC: two checks on a capture of the client's
# link: the client asked ARP for VIP, and got exactly one reply to each
# request, every one from MAC (dplb's: no real server answered too).
lab_check_vip_arp() {
	local req rep
	req=$(lab_tshark "$1" -Y "arp.opcode == 1 && arp.dst.proto_ipv4 == $2" | wc -l)
	rep=$(lab_tshark "$1" -Y "arp.opcode == 2 && arp.src.proto_ipv4 == $2" -T fields -e arp.src.hw_mac)
	lab_check_ge "client: asked ARP for the VIP" 1 "$req"
	lab_check_eq "client: one ARP reply per request for the VIP, all from dplb's MAC" \
		"$(for _ in $(seq "$req"); do echo "$3"; done)" "$rep"
}

# lab_check_vip_replies PCAP VIP MIN: two checks on a capture of the
# client's link: the HTTP replies (tcp.srcport == 80) come from VIP only,
# and there are at least MIN. Their checksums are dplb's business only where
# they cross it (lab_check_lb_checksums): with DR and TUN they come straight
# from a real server's kernel, so a bad one here is only noted.
lab_check_vip_replies() {
	local total good
	lab_check_eq "client: replies come from the VIP only" "$2" \
		"$(lab_tshark "$1" -Y "tcp.srcport == 80" -T fields -e ip.src | sort -u)"
	total=$(lab_tshark "$1" -Y "tcp.srcport == 80" | wc -l)
	good=$(lab_tshark "$1" -Y 'tcp.srcport == 80 && ip.checksum.status == "Good" &&
		tcp.checksum.status == "Good"' | wc -l)
	lab_check_ge "client: tshark saw the replies" "$3" "$total"
	[ "$total" = "$good" ] ||
		echo "    note: $((total - good)) of $total replies at the client had a bad checksum"
}

# lab_check_lb_checksums NAME PCAP MAC: on a capture of dplb's own link
# (the switch port towards it; not for IPIP frames, whose outer IP ID is
# dplb's), dplb (eth.src MAC) sent frames, and each has good IP/TCP/UDP
# checksums unless it is excused by a frame that came to dplb (eth.dst MAC)
# bad already, one for one: same IP ID, IP length and TCP flags, and the
# same error (stored minus right checksum, one's complement), which an
# incremental update (RFC 1624, as LVS) keeps. Kernels at the ends do send
# one now and then on these veths (CI saw the client's in test_dr and 8 in
# test_synproxy; none could be made here): noted, not failed.
lab_check_lb_checksums() {
	local sent made
	sent=$(lab_tshark "$2" -Y "ip && eth.src == $3" | wc -l)
	lab_bad_keys "$2" "$LAB_BAD_CSUM && eth.dst == $3" >"$LAB_TMP/bad_in"
	lab_bad_keys "$2" "$LAB_BAD_CSUM && eth.src == $3" >"$LAB_TMP/bad_out"
	made=$(comm -13 "$LAB_TMP/bad_in" "$LAB_TMP/bad_out" | wc -l)
	lab_check_ge "$1: dplb sent frames on its link" 1 "$sent"
	lab_check_eq "$1: all $sent frames dplb sent have good checksums but any that came bad" \
		0 "$made"
	[ -s "$LAB_TMP/bad_in" ] &&
		echo "    note: $(wc -l <"$LAB_TMP/bad_in") frame(s) came to dplb with a bad checksum"
	[ "$made" = 0 ] && [ ! -s "$LAB_TMP/bad_in" ] || lab_show_bad_checksums "$2"
}

# lab_bad_keys PCAP FILTER: one line per frame FILTER matches, sorted: IP
# ID, IP length, TCP flags and the L4 checksum's error ("ip" when the IP
# header's checksum is bad)
lab_bad_keys() {
	lab_tshark "$1" -Y "$2" -T fields -e ip.id -e ip.len -e tcp.flags -e ip.checksum.status \
		-e tcp.checksum -e tcp.checksum_calculated -e udp.checksum -e udp.checksum_calculated |
		awk -F'\t' 'function hex(x,  i, n) {	# mawk has no strtonum
				x = tolower(x); sub(/^0x/, "", x); n = 0
				for (i = 1; i <= length(x); i++)
					n = n * 16 + index("0123456789abcdef", substr(x, i, 1)) - 1
				return n
			}
			{
			s = $5 != "" ? $5 : $7; c = $6 != "" ? $6 : $8
			e = "ip"
			if ($4 != "0" && s != "" && c != "") {
				e = (hex(s) - hex(c)) % 65535
				if (e < 0) e += 65535
			}
			print $1, $2, $3, e
		}' | sort
}

# lab_vrrp_gap PCAP VRID AT OLD NEW: seconds (3 decimals) from OLD's last
# advert (priority > 0) of VRID before time AT (epoch) to NEW's first one
# after it, as the capture saw them; "none" when either is missing. Prints
# "failover: ..." on stderr.
lab_vrrp_gap() {
	local times last first gap
	times=$(lab_tshark "$1" -Y "vrrp && vrrp.prio > 0 && vrrp.virt_rtr_id == $2" -T fields \
		-e frame.time_epoch -e ip.src)
	last=$(awk -v k="$3" -v s="$4" '$2 == s && $1 < k { t = $1 } END { print t }' <<<"$times")
	first=$(awk -v k="$3" -v s="$5" '$2 == s && $1 > k { print $1; exit }' <<<"$times")
	gap=$(awk -v a="$last" -v b="$first" \
		'BEGIN { if (a == "" || b == "") print "none"; else printf "%.3f", b - a }')
	echo "failover: last advert of $4 $last, first of $5 $first: $gap s" >&2
	echo "$gap"
}

# lab_gap_within DESC GAP MAX: one check that 0 < GAP <= MAX (seconds).
lab_gap_within() {
	lab_check "$1 ($2 s)" awk -v g="$2" -v m="$3" 'BEGIN { exit !(g != "none" && g + 0 > 0 && g + 0 <= m + 0) }'
}

# lab_vip_counts PCAP VIP PORT: "IN_PKTS OUT_PKTS IN_BYTES OUT_BYTES" that a
# capture at the client holds for VIP:PORT (TCP; bytes are IP total
# lengths, as LVS counts them): what dplb's per-service counters must say.
lab_vip_counts() {
	local in out
	in=$(lab_tshark "$1" -Y "ip.dst == $2 && tcp.dstport == $3" -T fields -e ip.len)
	out=$(lab_tshark "$1" -Y "ip.src == $2 && tcp.srcport == $3" -T fields -e ip.len)
	awk -v i="$in" -v o="$out" 'BEGIN {
		ni = split(i, a, "\n"); no = split(o, b, "\n")
		for (k = 1; k <= ni; k++) ti += a[k]
		for (k = 1; k <= no; k++) to += b[k]
		print ni, no, ti, to }'
}
