#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Hostile and odd CLI sessions against dplb at HOST:PORT, one check per
line printed as "ok NAME" or "bad NAME: why". Bounded in time and data."""
import os
import random
import socket
import sys
import time

HOST, PORT = sys.argv[1], int(sys.argv[2])
IAC, DO, WILL, SB, SE = 255, 253, 251, 250, 240


def session(timeout=3.0):
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    return s


def read_until(s, marker, limit=1 << 20, timeout=3.0):
    data, end = b"", time.time() + timeout
    s.settimeout(0.2)
    while marker not in data and len(data) < limit and time.time() < end:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        data += chunk
    return data


def check(name, cond, why=""):
    print(("ok " if cond else "bad ") + name + ("" if cond else ": " + why))


def alive():
    s = session()
    s.sendall(b"batch\nshow stats\nquit\n")
    out = read_until(s, b"%% ")
    s.close()
    return b"rx_packets" in out and b"%% ok" in out


# 1. telnet negotiation in the middle of commands is ignored
s = session()
s.sendall(bytes([IAC, WILL, 1, IAC, DO, 3, IAC, SB, 31, 0, 80, 0, 24, IAC, SE]) +
          b"sh" + bytes([IAC, DO, 34]) + b"ow stats\r\n")
out = read_until(s, b"rx_packets")
check("telnet IAC sequences are skipped", b"rx_packets" in out, repr(out[-200:]))
s.close()

# 2. a line longer than the limit is refused, the session goes on
s = session()
read_until(s, b"dplb> ")
s.sendall(b"x" * 10000 + b"\nshow stats\n")
out = read_until(s, b"rx_packets")
check("oversize line: error, then the session still works",
      b"line too long" in out and b"rx_packets" in out, repr(out[-200:]))
s.close()

# 3. binary garbage, then a normal session
rnd = random.Random(7)
s = session()
for _ in range(64):
    s.sendall(bytes(rnd.getrandbits(8) for _ in range(1024)))
s.close()
check("64 KiB of random bytes, then the CLI still answers", alive())

# 4. an IAC storm
s = session()
s.sendall(bytes([IAC, WILL, 24] * 20000) + bytes([IAC, SB]) + b"x" * 5000 + bytes([IAC, SE]))
s.sendall(b"show stats\n")
out = read_until(s, b"rx_packets")
check("IAC storm: skipped, the command after it runs", b"rx_packets" in out, repr(out[-200:]))
s.close()

# 5. 100 sessions at once: the extra ones are refused, nothing blocks
socks = []
for _ in range(100):
    try:
        socks.append(session())
    except OSError:
        break
time.sleep(0.5)
refused = 0
for c in socks:
    data = read_until(c, b"\n", timeout=0.3)
    if b"too many sessions" in data:
        refused += 1
check("100 simultaneous sessions: every connection accepted or refused cleanly",
      len(socks) == 100 and refused >= 100 - 32, f"{len(socks)} opened, {refused} refused")
for c in socks:
    c.close()
time.sleep(0.3)
check("after 100 sessions the CLI answers", alive())

# 6. a reader that never reads does not stall the control lcore
slow = session()
slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
try:
    slow.sendall(b"show interfaces\n" * 20000)
except OSError:
    pass
time.sleep(0.5)
t0 = time.time()
ok = alive()
check("a stuck reader does not block other sessions", ok and time.time() - t0 < 2.0,
      f"answer took {time.time() - t0:.2f} s")
slow.close()
