#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Small TCP peers for the labs.

  tcp_peer.py listen ADDR PORT MODE   serve until killed; MODE is
      accept  accept and close at once (a TCP_CHECK target),
      silent  accept and never answer (a server slower than connect_timeout),
      echo    echo every byte back (a long-lived service).
  tcp_peer.py hold ADDR PORT FILE     connect, exchange "one", wait (at most
      30 s) until FILE exists, exchange "two" on the same connection, print
      what came back ("one two" when the connection survived).
  tcp_peer.py get ADDR PORT SPORT     HTTP/1.1 GET / from local port SPORT
      (SO_REUSEADDR: taken again while its last connection is in
      TIME_WAIT), closing first as curl does; print the body, or
      "error:..." (5 s timeout).
  tcp_peer.py twice ADDR1 ADDR2 SPORT connect from SPORT to ADDR1:80, then
      from SPORT to ADDR2:80 as well (3 s), then GET / on the first; print
      "second-connected" or "second-unanswered", then the first one's
      status line or "first-failed ERROR"."""
import os
import socket
import sys
import threading
import time


def echo(c):
    with c:
        while True:
            data = c.recv(4096)
            if not data:
                return
            c.sendall(data)


def listen(addr, port, mode):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(128)
    held = []
    while True:
        c, _ = s.accept()
        if mode == "accept":
            c.close()
        elif mode == "silent":
            held.append(c)
        else:
            threading.Thread(target=echo, args=(c,), daemon=True).start()


def exchange(s, word):
    s.sendall(word.encode())
    got = b""
    while len(got) < len(word):
        data = s.recv(100)
        if not data:
            break
        got += data
    return got.decode(errors="replace")


def hold(addr, port, flag):
    out = []
    try:
        with socket.create_connection((addr, port), timeout=5) as s:
            out.append(exchange(s, "one"))
            end = time.time() + 30
            while not os.path.exists(flag) and time.time() < end:
                time.sleep(0.05)
            out.append(exchange(s, "two"))
    except OSError as e:
        out.append("error:" + str(e))
    print(" ".join(out), flush=True)


def bound(sport, timeout):
    """A TCP socket on local port sport, which other sockets may hold too."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", sport))
    s.settimeout(timeout)
    return s


def get(addr, port, sport):
    try:
        with bound(sport, 5) as s:
            s.connect((addr, port))
            s.sendall(b"GET / HTTP/1.1\r\nHost: lab\r\n\r\n")
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    raise OSError("closed before the header ended")
                data += chunk
            head, body = data.split(b"\r\n\r\n", 1)
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(body) < length:
                chunk = s.recv(4096)
                if not chunk:
                    raise OSError("closed before the body ended")
                body += chunk
        print(body.decode(errors="replace").strip(), flush=True)
    except (OSError, ValueError) as e:
        print("error:" + str(e), flush=True)


def twice(addr1, addr2, sport):
    with bound(sport, 3) as a, bound(sport, 3) as b:
        a.connect((addr1, 80))
        try:
            b.connect((addr2, 80))
            second = "second-connected"
        except OSError:
            second = "second-unanswered"
        a.sendall(b"GET / HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n")
        try:
            first = a.recv(200).split(b"\r\n")[0].decode(errors="replace")
        except OSError as e:
            first = "first-failed " + str(e)
    print(second, first, flush=True)


def main():
    if sys.argv[1] == "listen":
        listen(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif sys.argv[1] == "get":
        get(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "twice":
        twice(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        hold(sys.argv[2], int(sys.argv[3]), sys.argv[4])


if __name__ == "__main__":
    main()
