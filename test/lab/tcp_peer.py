#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Small TCP peers for the health-check lab.

  tcp_peer.py listen ADDR PORT MODE   serve until killed; MODE is
      accept  accept and close at once (a TCP_CHECK target),
      silent  accept and never answer (a server slower than connect_timeout),
      echo    echo every byte back (a long-lived service).
  tcp_peer.py hold ADDR PORT FILE     connect, exchange "one", wait (at most
      30 s) until FILE exists, exchange "two" on the same connection, print
      what came back ("one two" when the connection survived)."""
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


def main():
    if sys.argv[1] == "listen":
        listen(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        hold(sys.argv[2], int(sys.argv[3]), sys.argv[4])


if __name__ == "__main__":
    main()
