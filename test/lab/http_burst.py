#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""N HTTP/1.0 GETs to ADDR:PORT, each on a new TCP connection (new flows for
the load balancer to schedule). Prints one line: "<ok> ok <failed> failed"
and, per distinct body, "body <text> <count>". Bounded: N requests, each
with a timeout."""
import socket
import sys
from collections import Counter


def get(addr, port, timeout):
    with socket.create_connection((addr, port), timeout=timeout) as s:
        s.sendall(b"GET / HTTP/1.0\r\nHost: lab\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200") and not head.startswith(b"HTTP/1.0 200"):
        raise OSError("status " + head.split(b"\r\n")[0].decode(errors="replace"))
    return body.decode(errors="replace").strip()


def main():
    addr, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    bodies, failed = Counter(), 0
    for _ in range(n):
        try:
            bodies[get(addr, port, 3.0)] += 1
        except OSError:
            failed += 1
    print(f"{sum(bodies.values())} ok {failed} failed")
    for body, count in sorted(bodies.items()):
        print(f"body {body} {count}")


if __name__ == "__main__":
    main()
