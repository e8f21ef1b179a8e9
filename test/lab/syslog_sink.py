#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A syslog socket for tests: bind a datagram socket at PATH, write every
message received to OUT (one per line, "<PRI>..." as sent), stop after
SECONDS of silence at most.

usage: syslog_sink.py PATH SECONDS OUT
"""
import os
import socket
import sys


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path, limit, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(limit)
    with open(out, "w") as f:
        try:
            while True:
                f.write(s.recv(8192).decode(errors="replace").rstrip("\n") + "\n")
                f.flush()
        except socket.timeout:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
