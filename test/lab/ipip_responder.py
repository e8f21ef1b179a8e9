#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""IPIP decapsulation in user space, for a lab kernel without the ipip module.

usage: ipip_responder.py TUNDEV LOCAL_ADDR [MAX_SECONDS]

Reads IP-in-IP packets (protocol 4) addressed to LOCAL_ADDR from a raw
socket and writes each inner packet, unchanged, to the TUN device TUNDEV
(made beforehand with `ip tuntap add TUNDEV mode tun`), so the kernel of
this namespace receives it as if a tunnel device had decapsulated it: the
real server holds the VIP, its nginx answers, and the reply leaves
through its ordinary interface straight to the client (LVS-TUN). An open
raw socket for protocol 4 also keeps the kernel from answering the outer
packets with ICMP protocol unreachable.

Prints "ready" once both sockets are open; exits after MAX_SECONDS
(default 120) or on SIGTERM/SIGINT, printing how many packets it passed.
"""
import fcntl
import os
import select
import signal
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    dev, local = sys.argv[1], socket.inet_aton(sys.argv[2])
    deadline = time.monotonic() + (float(sys.argv[3]) if len(sys.argv) > 3 else 120.0)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    tun = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", dev.encode(), IFF_TUN | IFF_NO_PI))
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, 4)
    print("ready", flush=True)

    passed = ignored = 0
    while not stop and time.monotonic() < deadline:
        try:
            r, _, _ = select.select([raw], [], [], 0.2)
        except InterruptedError:
            continue
        if not r:
            continue
        pkt = raw.recv(65535)
        # the outer header as the kernel received it (already validated)
        ihl = (pkt[0] & 0xF) * 4 if pkt else 0
        if len(pkt) < ihl + 20 or pkt[0] >> 4 != 4 or pkt[16:20] != local:
            ignored += 1
            continue
        tot = struct.unpack_from("!H", pkt, 2)[0]
        inner = pkt[ihl:min(tot, len(pkt))]
        if inner[0] >> 4 != 4 or struct.unpack_from("!H", inner, 2)[0] > len(inner):
            ignored += 1
            continue
        os.write(tun, inner)
        passed += 1
    print(f"passed {passed} inner packets, ignored {ignored}", flush=True)


if __name__ == "__main__":
    main()
