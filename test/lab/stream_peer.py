#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Long-lived TCP streams for the ECMP lab: which real server answers.

  stream_peer.py listen ADDR PORT NAME   serve until killed: each line
      received is answered with "NAME LINE".
  stream_peer.py client ADDR PORT STOPFILE [SECONDS]   one connection; send
      a numbered line every 50 ms and wait for its answer, until STOPFILE
      exists (or SECONDS pass, default 120); print one summary line:
      "sent N answered M servers NAME[,NAME] errors E maxgap_ms G"
      (a connection that survives, on one server: answered == sent,
      one server, errors 0)."""
import os
import socket
import sys
import threading
import time


def serve(c, name):
    with c:
        f = c.makefile("rb")
        for line in f:
            c.sendall(name.encode() + b" " + line)


def listen(addr, port, name):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(128)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c, name), daemon=True).start()


def client(addr, port, stop, seconds):
    sent = answered = errors = 0
    servers = []
    maxgap = 0.0
    end = time.time() + seconds
    try:
        s = socket.create_connection((addr, port), timeout=20)
        f = s.makefile("rb")
        last = time.time()
        while not os.path.exists(stop) and time.time() < end:
            sent += 1
            t0 = time.time()
            s.sendall(b"%d\n" % sent)
            line = f.readline()
            if not line:
                errors += 1
                break
            name, _, n = line.decode(errors="replace").strip().partition(" ")
            if n != str(sent):
                errors += 1
                break
            answered += 1
            if name not in servers:
                servers.append(name)
            now = time.time()
            maxgap = max(maxgap, now - last)
            last = now
            time.sleep(max(0.0, 0.05 - (now - t0)))
        s.close()
    except OSError as e:
        errors += 1
        print("error: %s" % e, file=sys.stderr)
    print("sent %d answered %d servers %s errors %d maxgap_ms %d" %
          (sent, answered, ",".join(servers) or "-", errors, int(maxgap * 1000)),
          flush=True)


def main():
    if sys.argv[1] == "listen":
        listen(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        client(sys.argv[2], int(sys.argv[3]), sys.argv[4],
               float(sys.argv[5]) if len(sys.argv) > 5 else 120.0)


if __name__ == "__main__":
    main()
