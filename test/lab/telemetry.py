#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Read DPDK telemetry endpoints of a running dplb.

usage: telemetry.py SOCKET CMD [CMD...]

Connects to SOCKET (RUNTIME_DIR/dpdk_telemetry.v2) with SOCK_SEQPACKET,
reads the greeting (version, pid, max_output_len), sends each CMD
("/dplb/services", "/dplb/services,TCP:198.18.1.100:80") and prints one
JSON object per line: the endpoint's reply, keyed by the command without
its parameter (DPDK's format). Exits 1 when the socket cannot be reached
or a reply is not JSON; times out after 5 s per reply.
"""
import json
import socket
import sys


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    try:
        s.connect(sys.argv[1])
        greeting = json.loads(s.recv(16384).decode())
        size = int(greeting.get("max_output_len", 16384))
        for cmd in sys.argv[2:]:
            s.send(cmd.encode())
            print(json.dumps(json.loads(s.recv(size).decode())))
    except (OSError, ValueError) as e:
        print(f"telemetry.py: {sys.argv[1]}: {e}", file=sys.stderr)
        return 1
    finally:
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
