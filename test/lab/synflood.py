#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
#
# A SYN flood from spoofed sources in 198.19.0.0/16 (never answered) to
# VIP:PORT through IFNAME for SECONDS, at RATE SYNs a second (0: as fast
# as one Python process sends raw frames). Prints "sent N in S s: R SYN/s".
#
# usage: synflood.py IFNAME DST_MAC VIP PORT SECONDS [RATE]
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import frames  # noqa: E402

ifname, dst_mac, vip, port, seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), \
    float(sys.argv[5])
rate = float(sys.argv[6]) if len(sys.argv) > 6 else 0
frames.check_lab_addr(vip)
with open("/sys/class/net/%s/address" % ifname) as f:
    src_mac = frames.mac(f.read().strip())
eth = frames.mac(dst_mac) + src_mac + b"\x08\x00"
pkts = []
for i in range(120000):                    # distinct 4-tuples: each SYN a new flow
    src = "198.19.%d.%d" % ((i >> 8) & 0xFF, (i & 0xFF) or 1)  # wraps at 65536: port differs
    seg = frames.tcp(src, vip, 1024 + (i % 60000), port, 0x02)
    pkts.append(eth + frames.ipv4(src, vip, seg, proto=6))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
sent, start = 0, time.time()
end = start + seconds
while time.time() < end:
    for p in pkts[sent % len(pkts):sent % len(pkts) + 1000]:
        try:
            s.send(p)
            sent += 1
        except OSError:
            pass
    if rate > 0:                            # paced: sleep off the batch's share
        ahead = start + sent / rate - time.time()
        if ahead > 0:
            time.sleep(ahead)
took = time.time() - start
print("sent %d in %.1f s: %d SYN/s" % (sent, took, sent / took))
