#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Raw HTTP requests against dplb's metrics listener (abuse checks).

usage: http_raw.py HOST PORT send TEXT     send TEXT (\\r \\n escapes), print the status line
       http_raw.py HOST PORT big N         send an N-byte request head, print the status line
       http_raw.py HOST PORT hold N        hold N silent connections, print the status line
                                           of one more, then the seconds until the server
                                           closed the held ones ("closed N after S s")
Every socket times out after 10 s; "timeout" or "closed" is printed when no
status line came.
"""
import socket
import sys
import time


def status(sock):
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        return "timeout"
    except ConnectionResetError:
        return "reset"
    return data.split(b"\r\n")[0].decode(errors="replace") or "closed"


def connect(host, port):
    s = socket.create_connection((host, port), timeout=10)
    return s


def main():
    host, port, mode, arg = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    if mode == "send":
        s = connect(host, port)
        s.sendall(arg.encode().decode("unicode_escape").encode("latin-1"))
        print(status(s))
    elif mode == "big":
        s = connect(host, port)
        try:
            s.sendall(b"GET /metrics HTTP/1.1\r\nX-Pad: " + b"a" * int(arg))
        except OSError:
            pass
        print(status(s))
    elif mode == "hold":
        held = [connect(host, port) for _ in range(int(arg))]
        time.sleep(0.5)
        extra = connect(host, port)
        extra.sendall(b"GET /metrics HTTP/1.1\r\n\r\n")
        print(status(extra))
        start, closed = time.time(), 0
        for h in held:
            h.settimeout(max(0.1, 10 - (time.time() - start)))
            try:
                if h.recv(1) == b"":
                    closed += 1
            except (socket.timeout, ConnectionResetError):
                pass
        print(f"closed {closed} after {round(time.time() - start)} s")
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
