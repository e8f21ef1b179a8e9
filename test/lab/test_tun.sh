#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# LVS-TUN (IP-in-IP) through dplb, with nginx real servers that hold the
# VIP on a tunnel device and curl as the client.
#
#   client 198.18.1.10/24 ──┐
#   rs1    198.18.1.31/24 ──┤ br0     (rs1, rs2: VIP 198.18.1.100/32 on a
#   rs2    198.18.1.32/24 ──┤          tunnel device, arp_ignore=1,
#   lb (af_packet) ─────────┘          arp_announce=2, rp_filter 0)
#                             dplb 198.18.1.1/24, VIP 198.18.1.100:80 (TUN)
#
# The real servers decapsulate with the kernel's ipip device when the lab
# kernel has one; else test/lab/ipip_responder.py does it in user space
# (raw socket for protocol 4, inner packets written to a TUN device); with
# neither, the end-to-end checks are skipped and only the tunnel packets
# are checked (the client's SYNs still reach the real servers).
#
# Checks: `ipvsadm -L -n` lists Tunnel; curl through the VIP works and
# both real servers serve (rr), replies go from the real servers straight
# to the client (none crosses the LB's link) with valid checksums; only
# dplb answers ARP for the VIP; tshark on the real servers' links decodes
# IPIP packets from dplb's address to the real server whose inner packet is
# the client's, unchanged but for the TTL (one less), with valid outer and inner IP checksums and a
# valid inner TCP checksum, the outer DF copied from the inner, no Ethernet
# padding carried into the tunnel (a padded short frame with IP options);
# a request too big for the tunnel gets an ICMP frag-needed back (issue 3:
# DF/MTU handling); dplb stops cleanly.
#
# usage: test/lab/test_tun.sh [BUILD]      (root)
#   LAB_TUN_MODE=python|none   force user-space decapsulation, or none
. "$(dirname "$0")/lib.sh"
lab_init "${1:-}"

VIP=198.18.1.100
BOX=198.18.1.1
N=20
TDEV=$(lab_ifname -tun)
RESPONDERS=()

lab_add_host client 198.18.1.10/24 || lab_finish
lab_add_lb lb || lab_finish

# How will the real servers decapsulate? Try the kernel's ipip first.
lab_netns probe || lab_finish
if ip -n "${LAB_NS[probe]}" link add "$TDEV" type ipip local 198.18.1.31 2>"$LAB_TMP/probe.err"; then
	MODE=kernel
	echo "lab: ipip devices work here: real servers use the kernel's ipip"
elif [ -c /dev/net/tun ] && ip -n "${LAB_NS[probe]}" tuntap add dev "$TDEV" mode tun 2>>"$LAB_TMP/probe.err"; then
	MODE=python WHY="no ipip in this kernel ($(head -n 1 "$LAB_TMP/probe.err"))"
	echo "lab: $WHY: real servers decapsulate with ipip_responder.py"
else
	MODE=none WHY="no ipip in this kernel and no TUN device ($(tr '\n' ' ' <"$LAB_TMP/probe.err"))"
	echo "lab: $WHY: the end-to-end checks are skipped"
fi
ip netns del "${LAB_NS[probe]}"
case ${LAB_TUN_MODE:-} in	# to try the other paths: LAB_TUN_MODE=python|none
python|none) MODE=$LAB_TUN_MODE WHY="LAB_TUN_MODE=$MODE"; echo "lab: $WHY" ;;
esac

# A real server for TUN: the VIP on the tunnel device, not announced nor
# answered for on the segment, no reverse-path check on what the tunnel
# delivers (the client is reached through the real server's own link).
add_tun_rs() {	# NAME ADDR/LEN
	local name=$1 addr=${2%/*} ifc ns
	lab_add_host "$name" "$2" || return 1
	ifc=${LAB_IF[$name]} ns=${LAB_NS[$name]}
	lab_in "$name" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
		"net.ipv4.conf.$ifc.arp_ignore=1" "net.ipv4.conf.$ifc.arp_announce=2" \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		"net.ipv4.conf.$ifc.rp_filter=0" || return 1
	case $MODE in
	kernel)
		ip -n "$ns" link add "$TDEV" type ipip local "$addr" || return 1
		;;
	python)
		ip -n "$ns" tuntap add dev "$TDEV" mode tun || return 1
		lab_bg "$ns" "$LAB_TMP/ipip-$name.log" "$LAB_PY" -u "$LAB_LIB_DIR/ipip_responder.py" \
			"$TDEV" "$addr" 120
		RESPONDERS+=("$LAB_LAST_PID")
		lab_wait_until 10 grep -q '^ready' "$LAB_TMP/ipip-$name.log" || {
			lab_fail "ipip_responder.py starts on $name" "$(cat "$LAB_TMP/ipip-$name.log")"
			return 1
		}
		;;
	none)
		ip -n "$ns" addr add "$VIP/32" dev lo	# for nginx only
		lab_nginx "$name" "$VIP" 80
		return
		;;
	esac
	lab_in "$name" sysctl -qw "net.ipv4.conf.$TDEV.rp_filter=0" \
		"net.ipv4.conf.$TDEV.arp_ignore=1" "net.ipv4.conf.$TDEV.arp_announce=2"
	ip -n "$ns" addr add "$VIP/32" dev "$TDEV"
	ip -n "$ns" link set "$TDEV" up
	lab_nginx "$name" "$VIP" 80
}
add_tun_rs rs1 198.18.1.31/24 || lab_finish
add_tun_rs rs2 198.18.1.32/24 || lab_finish

lab_dplb_start main "${LAB_NS[lb]}" "connections = { max = 65536; };
$(lab_lb_interfaces $BOX/24)
virtual_servers = ( {
	protocol = \"tcp\"; address = \"$VIP\"; port = 80; scheduler = \"rr\";
	$(lab_real_servers tun 80 198.18.1.31=1 198.18.1.32=1)
} );" || lab_finish
DPLB_MAC=$(lab_dplb_mac lab0)
echo "dplb mac $DPLB_MAC, rs1 mac $(lab_mac rs1), rs2 mac $(lab_mac rs2)"

LIST=$(lab_dplbctl ipvsadm -L -n)
echo "$LIST"
lab_check_grep "ipvsadm -L -n lists the service" "^TCP  $VIP:80 rr" "$LIST"
lab_check_grep "ipvsadm -L -n lists rs1 as Tunnel, weight 1" "^  -> 198\.18\.1\.31:80 +Tunnel +1 " "$LIST"
lab_check_grep "ipvsadm -L -n lists rs2 as Tunnel, weight 1" "^  -> 198\.18\.1\.32:80 +Tunnel +1 " "$LIST"

# dplb resolves the real servers' MACs by itself within a few seconds
lab_dplb_wait_neigh 198.18.1.31 198.18.1.32

# Captures: the switch port towards dplb, the client, both real servers.
PC_LB=$LAB_TMP/swlb.pcap PC_CL=$LAB_TMP/client.pcap
PC_RS1=$LAB_TMP/rs1.pcap PC_RS2=$LAB_TMP/rs2.pcap
rs_tshark() { lab_tshark "$PC_RS1" "$@"; lab_tshark "$PC_RS2" "$@"; }	# both, one output
lab_capture sw "$(lab_ifname _lb)" "tcp port 80 or ip proto 4" "$PC_LB" || lab_finish
lab_capture client "${LAB_IF[client]}" "tcp port 80 or arp or icmp" "$PC_CL" || lab_finish
lab_capture rs1 "${LAB_IF[rs1]}" "ip proto 4 or tcp port 80" "$PC_RS1" || lab_finish
lab_capture rs2 "${LAB_IF[rs2]}" "ip proto 4 or tcp port 80" "$PC_RS2" || lab_finish

# (1) N requests through the VIP (with no decapsulation: a few SYNs only)
if [ "$MODE" = none ]; then
	for _ in 1 2 3 4; do lab_in client curl -sf -m 1.5 -o /dev/null "http://$VIP/"; done
else
	lab_requests client $N "http://$VIP/"
fi
STATS=$(lab_dplbctl ipvsadm -L -n --stats)

# (2) a short SYN with IP options in a padded 60-byte frame: the tunnel
# must carry the IP packet only, options and all, not the Ethernet padding
SHORT_ID=0x4c54 SHORT_SPORT=40123
lab_check "client sends a padded 60-byte frame: SYN with IP options to the VIP" \
	lab_in client "$LAB_PY" - "${LAB_IF[client]}" "$DPLB_MAC" "$VIP" "$SHORT_ID" "$SHORT_SPORT" <<-'EOF'
	import socket, struct, sys
	ifname, dmac, vip, ipid, sport = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4], 0), int(sys.argv[5])
	def csum(b):
	    b += b"\0" * (len(b) % 2)
	    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
	    while s >> 16:
	        s = (s >> 16) + (s & 0xFFFF)
	    return ~s & 0xFFFF
	s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
	s.bind((ifname, 0))
	smac = s.getsockname()[4]
	src, dst = socket.inet_aton("198.18.1.10"), socket.inet_aton(vip)
	tcp = struct.pack("!HHIIBBHHH", sport, 80, 0x01020304, 0, 5 << 4, 0x02, 8192, 0, 0)
	tcp = tcp[:16] + struct.pack("!H", csum(src + dst + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)) + tcp[18:]
	opts = b"\x01\x01\x01\x00"		# NOP NOP NOP EOL: IHL 6
	ip = struct.pack("!BBHHHBBH4s4s", 0x46, 0, 24 + len(tcp), ipid, 0x4000, 64, 6, 0, src, dst) + opts
	ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
	frame = bytes.fromhex(dmac.replace(":", "")) + smac + b"\x08\x00" + ip + tcp
	frame += b"\0" * (60 - len(frame))	# what a NIC would pad
	print("sent", s.send(frame), "bytes")
	EOF
sleep 0.3

# (3) a request that does not fit into the tunnel: the client's full-size
# segments (DF set) plus the 20-byte outer header exceed dplb's MTU, so
# dplb must answer ICMP frag-needed (mtu 1480) and the retry must pass.
if [ "$MODE" != none ]; then
	head -c 4000 /dev/zero | tr '\0' x >"$LAB_TMP/body"
	BIG=$(lab_in client curl -s -m 5 -o /dev/null -w '%{http_code}' --data-binary @"$LAB_TMP/body" \
		"http://$VIP/")
fi

lab_captures_stop

echo "$STATS"
if [ "$MODE" = none ]; then
	lab_skip "curl through the VIP end to end" "$WHY"
else
	lab_check_eq "$N requests through the VIP, none failed ($MODE decapsulation)" 0 "$LAB_FAILS"
	lab_check_eq "rr: rs1 served half" $((N / 2)) "${LAB_SEEN[rs1]:-0}"
	lab_check_eq "rr: rs2 served half" $((N / 2)) "${LAB_SEEN[rs2]:-0}"
	lab_check_grep "--stats counts $N connections on the service" "^TCP  $VIP:80 +$N " "$STATS"
	# Conns InPkts OutPkts InBytes OutBytes: TUN sees no reply, OutPkts is 0
	lab_check_grep "--stats: no packet out (replies bypass dplb)" \
		"^TCP  $VIP:80 +$N +[0-9]+ +0 " "$STATS"
fi

# Only the director answers ARP for the VIP.
lab_check_vip_arp "$PC_CL" $VIP "$DPLB_MAC"

# The tunnel packets on the real servers' links. Per frame: outer,inner
# values of the IP fields (occurrence=a), the inner TCP's.
check_ipip() {	# NAME ADDR PCAP
	local name=$1 addr=$2 pcap=$3 lines bad
	lines=$(lab_tshark "$pcap" -Y "ip.proto == 4" -T fields -E occurrence=a -E separator=' ' \
		-e eth.src -e ip.src -e ip.dst -e ip.proto -e ip.checksum.status -e ip.len \
		-e ip.flags.df -e tcp.dstport -e tcp.checksum.status -e frame.len -e eth.trailer -e eth.padding)
	lab_check_ge "$name: tshark decodes IPIP packets (ip.proto == 4)" \
		"$([ "$MODE" = none ] && echo 2 || echo $N)" "$(grep -c . <<<"$lines")"
	# every one: from dplb's MAC and address to this RS; inside, TCP from
	# the client to VIP:80; both IP checksums good, the TCP checksum
	# verified (good unless it came bad: checked below); outer length =
	# inner + 20; outer DF = inner DF; no trailer
	bad=$(awk -v mac="$DPLB_MAC" -v box=$BOX -v rs="$addr" -v vip=$VIP '
		{
			split($2, s, ","); split($3, d, ","); split($6, l, ","); split($7, df, ",")
			ok = $1 == mac && s[1] == box && d[1] == rs && s[2] == "198.18.1.10" &&
			     d[2] == vip && $4 == "4,6" && $5 == "1,1" && $8 == 80 && ($9 == 1 || $9 == 0) &&
			     l[1] == l[2] + 20 && df[1] == df[2] && $10 == l[1] + 14 && NF == 10
			if (!ok) print
		}' <<<"$lines")
	if [ -z "$bad" ]; then
		lab_pass "$name: every IPIP packet: outer $BOX -> $addr, inner 198.18.1.10 -> $VIP:80, outer and inner IP checksums good, outer DF = inner DF, length +20, no padding"
	else
		lab_fail "$name: every IPIP packet is well formed (eth.src ip.src ip.dst ip.proto ip.checksum.status ip.len ip.flags.df tcp.dstport tcp.checksum.status frame.len eth.trailer)" \
			"$bad"
	fi
}
check_ipip rs1 198.18.1.31 "$PC_RS1"
check_ipip rs2 198.18.1.32 "$PC_RS2"

# dplb leaves the inner TCP header alone: a bad inner TCP checksum at a
# real server is one the client's kernel sent so (seen on CI's veths now
# and then, lib_capture.sh), never more than came bad to dplb.
INNER_BAD=$(rs_tshark -Y "ip.proto == 4 && tcp.checksum.status == 0" | wc -l)
CAME_BAD=$(lab_tshark "$PC_LB" -Y "!(ip.proto == 4) && ip.dst == $VIP && tcp.dstport == 80 &&
	eth.dst == $DPLB_MAC && tcp.checksum.status == 0" | wc -l)
if [ "$INNER_BAD" -le "$CAME_BAD" ]; then
	lab_pass "inner TCP checksums at the real servers: good but for those that came bad ($INNER_BAD of $CAME_BAD)"
else
	lab_fail "inner TCP checksums at the real servers: good but for those that came bad" \
		"$INNER_BAD bad at the real servers, $CAME_BAD came bad to dplb"
	lab_show_bad_checksums "$PC_RS1"
	lab_show_bad_checksums "$PC_RS2"
fi

# The inner packets are the client's, unchanged but for the TTL, one less
# (forwarded, as kernel LVS does before it encapsulates) and so the inner
# IP checksum (checked good above): same IP ID, TCP ports/seq/ack/flags/
# length/checksum as on the client's link.
fields=(-T fields -E occurrence=l -e ip.src -e ip.dst -e ip.id -e ip.ttl
	-e tcp.srcport -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags -e tcp.len -e tcp.checksum)
# (all that fit into the tunnel: the too-big ones are checked below)
SENT=$(lab_tshark "$PC_CL" -Y "!icmp && ip.dst == $VIP && tcp.dstport == 80 && !(tcp.srcport == $SHORT_SPORT) &&
	ip.len <= 1480" "${fields[@]}" | awk -F'\t' -v OFS='\t' '{ $4 = $4 - 1; print }' | sort)
GOT=$(rs_tshark -Y "ip.proto == 4 && !(tcp.srcport == $SHORT_SPORT)" "${fields[@]}" | sort)
if [ -n "$SENT" ] && [ "$SENT" = "$GOT" ]; then
	lab_pass "the inner packets are the client's $(wc -l <<<"$SENT") packets, unchanged but TTL - 1"
else
	lab_fail "the inner packets are the client's packets, unchanged but TTL - 1" \
		"$(diff <(echo "$SENT") <(echo "$GOT") | head -n 20)"
fi

# The padded short SYN with IP options: one IPIP packet, inner intact.
SHORT=$(rs_tshark -Y "ip.proto == 4 && tcp.srcport == $SHORT_SPORT && tcp.flags.syn == 1" -T fields \
		-E occurrence=a -E separator=' ' -e ip.hdr_len -e ip.len -e ip.id -e frame.len \
		-e eth.trailer -e eth.padding -e ip.checksum.status -e tcp.checksum.status -e ip.opt.type |
	awk '{ split($3, id, ","); $3 = id[2]; print }')
lab_check_grep "padded SYN with IP options: tunnelled once, inner 24-byte header and options kept, outer length 64, frame 78 (no padding), checksums good" \
	"^20,24 64,44 $SHORT_ID 78 1,1 1 1,1,1,0$" "$SHORT"

# Replies: none crosses the LB's link; at the client they come from the
# VIP with valid checksums.
REPLIES=$(lab_tshark "$PC_LB" -Y "tcp.srcport == 80" | wc -l)
# (those that fit into the tunnel: the too-big ones are checked below)
ARRIVE=$(lab_tshark "$PC_LB" -Y "!icmp && !(ip.proto == 4) && ip.dst == $VIP && tcp.dstport == 80 &&
	eth.dst == $DPLB_MAC && ip.len <= 1480" | wc -l)
ENCAP=$(lab_tshark "$PC_LB" -Y "ip.proto == 4 && ip.src == $BOX && eth.src == $DPLB_MAC" | wc -l)
lab_check_ge "LB link: the client's packets to the VIP arrive at dplb" 3 "$ARRIVE"
lab_check_eq "LB link: each that fits leaves again as an IPIP packet from dplb" "$ARRIVE" "$ENCAP"
if [ "$MODE" = none ]; then
	lab_skip "replies go straight from the real servers to the client" "$WHY"
else
	lab_check_eq "LB link: no packet with tcp.srcport == 80 (replies go direct)" 0 "$REPLIES"
	lab_check_vip_replies "$PC_CL" $VIP $((N * 3))

	# DF/MTU: frag-needed back to the client, and the retry gets through
	# (from the VIP, as kernel LVS does, or from dplb's own address; the
	# quoted packet must be the client's)
	FN=$(lab_tshark "$PC_CL" -Y "icmp.type == 3 && icmp.code == 4 && (ip.src == $BOX || ip.src == $VIP) &&
		ip.dst == 198.18.1.10 && eth.src == $DPLB_MAC" -T fields -E occurrence=f \
		-e icmp.mtu -e ip.checksum.status -e icmp.checksum.status | sort -u)
	lab_check_eq "a request too big for the tunnel: dplb sends ICMP frag-needed (mtu 1480, checksums good)" \
		"$(printf '1480\t1\t1')" "$FN" ||
		echo "    | dplb counted drop_too_big $(lab_stat drop_too_big)"
	lab_check_grep "a request too big for the tunnel gets an HTTP answer after the frag-needed" \
		"^[1-5][0-9][0-9]$" "${BIG:-none}"
fi

lab_dplb_stop main
for pid in "${RESPONDERS[@]}"; do lab_stop_pid "$pid" TERM 5 >/dev/null; done
[ "$MODE" = python ] && for n in rs1 rs2; do
	echo "$n: ipip_responder.py $(tail -n 1 "$LAB_TMP/ipip-$n.log")"
done
lab_finish
