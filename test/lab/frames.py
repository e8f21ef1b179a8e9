#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Hand-made Ethernet frames for the dplb lab: good ones and malformed ones.

  frames.py send IFACE DSTMAC SRCIP DSTIP KIND...
      send one frame of each KIND out of IFACE (raw AF_PACKET socket, root);
      prints "KIND sent LEN" or "KIND refused ERRNO-NAME" per frame.
  frames.py pcap FILE SRCMAC DSTMAC SRCIP DSTIP KIND...
      write the frames to a pcap file instead (for DPDK's pcap PMD).
  frames.py kinds
      list the kinds with the dplb drop reason each should be counted under.

Only for addresses of 198.18.0.0/15; the lab never sends anywhere else.
"""
import errno
import socket
import struct
import sys
import time

# Source port of the forged TCP segments: below Linux's ephemeral range
# (32768-60999), so no connection curl made from the same client can share
# its 4-tuple (tests look the forged port up in `show conn` and expect none)
FORGED_SPORT = 29999
# Source port of the SYN with a bad TCP checksum (tcp_csum), which dplb
# passes on and so makes a connection for
BAD_CSUM_SPORT = 29996

# kind -> (dplb drop reason it must be counted under, or "" when dplb
# answers it / passes it on, description)
KINDS = {
    "runt": ("runt", "10 bytes, shorter than an Ethernet header"),
    "ip_trunc": ("ip_truncated", "IPv4 ethertype, 10 bytes of IP header"),
    "ip_version": ("ip_bad_version", "IPv4 ethertype, header says version 6"),
    "ip_ihl": ("ip_bad_ihl", "IHL 3 (12 bytes), below the 20-byte minimum"),
    "ip_len": ("ip_bad_total_length", "total length 1000 in a 42-byte frame"),
    "ip_csum": ("ip_bad_checksum", "IPv4 header checksum off by one"),
    "ip_src": ("ip_bad_source", "multicast source address 224.0.0.1"),
    "ethertype": ("unknown_ethertype", "ethertype 0x88b5 (local experimental)"),
    "vlan": ("vlan_unsupported", "802.1Q tag, VLAN 100, IPv4 inside"),
    "qinq": ("vlan_unsupported", "802.1ad outer tag, IPv4 inside"),
    "ipv6": ("ipv6_unsupported", "IPv6 ethertype"),
    "arp_trunc": ("arp_truncated", "ARP ethertype, 10 bytes of ARP"),
    "arp_bad": ("arp_malformed", "ARP with hardware length 8"),
    "arp_other": ("arp_not_for_us", "ARP request for an address dplb does not own"),
    "other_host": ("other_host", "unicast to a MAC that is not dplb's"),
    "icmp_csum": ("icmp_malformed", "ICMP echo request with a bad ICMP checksum"),
    "tcp_synfin": ("tcp_bad_flags", "TCP SYN+FIN to DSTIP:80"),
    "tcp_synrst": ("tcp_bad_flags", "TCP SYN+RST to DSTIP:80"),
    "tcp_null": ("tcp_bad_flags", "TCP segment with no flag to DSTIP:80"),
    "tcp_port0": ("zero_port", "TCP SYN to DSTIP port 0"),
    "tcp_ack": ("syn_cookie_invalid", "TCP ACK to DSTIP:80 with no connection, no cookie "
                "(no_connection without a SYN proxy)"),
    "udp_port0": ("zero_port", "UDP from source port 0 to DSTIP:9999"),
    "tcp_ttl1": ("ttl_expired", "TCP SYN to DSTIP:80 with TTL 1 (ICMP time exceeded back)"),
    "tcp_csum": ("", "TCP SYN to DSTIP:80 from port %d, TCP checksum off by one (a "
                 "checksum is updated, not checked: it is passed on bad)" % BAD_CSUM_SPORT),
    "arp_req": ("", "ARP request for DSTIP (dplb answers)"),
    "echo": ("", "ICMP echo request to DSTIP (dplb answers)"),
}


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s >> 16) + (s & 0xFFFF)
    return ~s & 0xFFFF


def mac(text):
    return bytes.fromhex(text.replace(":", ""))


def ipv4(src, dst, payload, proto=1, ihl=5, version=4, tlen=None, bad_csum=False, ttl=64):
    total = tlen if tlen is not None else 20 + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", (version << 4) | ihl, 0, total, 0x1234, 0,
                      ttl, proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    c = csum(hdr)
    if bad_csum:
        c = (c + 1) & 0xFFFF
    return hdr[:10] + struct.pack("!H", c) + hdr[12:] + payload


def icmp_echo(bad_csum=False, ident=0x4C42, seq=1):
    body = b"dplb-lab-frames!"
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    c = csum(hdr + body)
    if bad_csum:
        c = (c + 1) & 0xFFFF
    return hdr[:2] + struct.pack("!H", c) + hdr[4:] + body


def tcp(src, dst, sport, dport, flags, bad_csum=False):
    """A TCP segment with a valid checksum (flags: the flag byte), or one off by one."""
    hdr = struct.pack("!HHIIBBHHH", sport, dport, 0x4C420000, 0, 5 << 4, flags, 8192, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(hdr))
    c = csum(pseudo + hdr)
    if bad_csum:
        c = (c + 1) & 0xFFFF
    return hdr[:16] + struct.pack("!H", c) + hdr[18:]


def udp(src, dst, sport, dport, body=b"dplb"):
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(body), 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, 8 + len(body))
    c = csum(pseudo + hdr + body) or 0xFFFF
    return hdr[:6] + struct.pack("!H", c) + body


def arp(op, sha, sip, tip, hlen=6):
    return struct.pack("!HHBBH", 1, 0x0800, hlen, 4, op) + sha + \
        socket.inet_aton(sip) + b"\0" * 6 + socket.inet_aton(tip)


def build(kind, src_mac, dst_mac, src_ip, dst_ip):
    """One frame of the given kind, as bytes."""
    eth = lambda t, d=dst_mac: d + src_mac + struct.pack("!H", t)
    bcast = b"\xff" * 6
    if kind == "runt":
        return dst_mac + src_mac[:4]
    if kind == "ip_trunc":
        return eth(0x0800) + ipv4(src_ip, dst_ip, b"")[:10]
    if kind == "ip_version":
        return eth(0x0800) + ipv4(src_ip, dst_ip, icmp_echo(), version=6)
    if kind == "ip_ihl":
        return eth(0x0800) + ipv4(src_ip, dst_ip, icmp_echo(), ihl=3)
    if kind == "ip_len":
        return eth(0x0800) + ipv4(src_ip, dst_ip, b"\0" * 8, tlen=1000)
    if kind == "ip_csum":
        return eth(0x0800) + ipv4(src_ip, dst_ip, icmp_echo(), bad_csum=True)
    if kind == "ip_src":
        return eth(0x0800) + ipv4("224.0.0.1", dst_ip, icmp_echo())
    if kind == "ethertype":
        return eth(0x88B5) + b"dplb-lab" * 6
    if kind == "vlan":
        return dst_mac + src_mac + struct.pack("!HHH", 0x8100, 100, 0x0800) + \
            ipv4(src_ip, dst_ip, icmp_echo())
    if kind == "qinq":
        return dst_mac + src_mac + struct.pack("!HHHHH", 0x88A8, 200, 0x8100, 100,
                                               0x0800) + ipv4(src_ip, dst_ip, icmp_echo())
    if kind == "ipv6":
        return eth(0x86DD) + b"\x60" + b"\0" * 39
    if kind == "arp_trunc":
        return eth(0x0806, bcast) + b"\0\x01\x08\x00\x06\x04\0\x01\0\0"
    if kind == "arp_bad":
        return eth(0x0806, bcast) + arp(1, src_mac, src_ip, dst_ip, hlen=8)
    if kind == "arp_other":
        # same subnet as dst_ip, last octet 254: nobody in the lab owns it
        other = ".".join(dst_ip.split(".")[:3] + ["254"])
        return eth(0x0806, bcast) + arp(1, src_mac, src_ip, other)
    if kind == "other_host":
        return eth(0x0800, b"\x02\x00\x5e\x10\x00\x01") + \
            ipv4(src_ip, dst_ip, icmp_echo())
    if kind == "icmp_csum":
        return eth(0x0800) + ipv4(src_ip, dst_ip, icmp_echo(bad_csum=True))
    tcp_kinds = {"tcp_synfin": (80, 0x03), "tcp_synrst": (80, 0x06), "tcp_null": (80, 0x00),
                 "tcp_port0": (0, 0x02), "tcp_ack": (80, 0x10)}
    if kind in tcp_kinds:
        dport, flags = tcp_kinds[kind]
        return eth(0x0800) + ipv4(src_ip, dst_ip, tcp(src_ip, dst_ip, FORGED_SPORT, dport, flags),
                                  proto=6)
    if kind == "tcp_ttl1":
        return eth(0x0800) + ipv4(src_ip, dst_ip, tcp(src_ip, dst_ip, FORGED_SPORT, 80, 0x02),
                                  proto=6, ttl=1)
    if kind == "tcp_csum":
        return eth(0x0800) + ipv4(src_ip, dst_ip, tcp(src_ip, dst_ip, BAD_CSUM_SPORT, 80, 0x02,
                                                      bad_csum=True), proto=6)
    if kind == "udp_port0":
        return eth(0x0800) + ipv4(src_ip, dst_ip, udp(src_ip, dst_ip, 0, 9999), proto=17)
    if kind == "arp_req":
        return eth(0x0806, bcast) + arp(1, src_mac, src_ip, dst_ip)
    if kind == "echo":
        return eth(0x0800) + ipv4(src_ip, dst_ip, icmp_echo())
    raise SystemExit("frames.py: unknown kind %r (see: frames.py kinds)" % kind)


def check_lab_addr(*addrs):
    for a in addrs:
        b = socket.inet_aton(a)
        if not (b[0] == 198 and b[1] in (18, 19)):
            raise SystemExit("frames.py: %s is outside 198.18.0.0/15" % a)


def cmd_send(ifname, dst, src_ip, dst_ip, kinds):
    check_lab_addr(src_ip, dst_ip)
    with open("/sys/class/net/%s/address" % ifname) as f:
        src = mac(f.read().strip())
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    for k in kinds:
        frame = build(k, src, mac(dst), src_ip, dst_ip)
        try:
            print("%s sent %d" % (k, s.send(frame)))
        except OSError as e:
            print("%s refused %s" % (k, errno.errorcode.get(e.errno, e.errno)))
        time.sleep(0.01)


def cmd_pcap(path, src, dst, src_ip, dst_ip, kinds):
    check_lab_addr(src_ip, dst_ip)
    now = int(time.time())
    with open(path, "wb") as f:
        # classic pcap, microsecond timestamps, Ethernet link type
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, k in enumerate(kinds):
            frame = build(k, mac(src), mac(dst), src_ip, dst_ip)
            f.write(struct.pack("<IIII", now, i, len(frame), len(frame)) + frame)
    print("%s: %d frames" % (path, len(kinds)))


def main(argv):
    if len(argv) >= 2 and argv[1] == "kinds":
        for k, (reason, text) in KINDS.items():
            print("%-11s %-20s %s" % (k, reason or "-", text))
    elif len(argv) >= 6 and argv[1] == "send":
        cmd_send(argv[2], argv[3], argv[4], argv[5], argv[6:])
    elif len(argv) >= 7 and argv[1] == "pcap":
        cmd_pcap(argv[2], argv[3], argv[4], argv[5], argv[6], argv[7:])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
