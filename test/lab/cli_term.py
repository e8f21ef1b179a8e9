#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
#
# Drive dplb's CLI as an operator at a terminal would: a telnet client that
# accepts character mode (DO ECHO), TAB completion, `?` listings, history
# (up arrow), ^C, ^D; then dplbctl with no arguments in a pseudo-terminal.
# Prints one "ok NAME" or "bad NAME: why" line per check.
#
# usage: cli_term.py HOST PORT DPLBCTL
import os
import pty
import re
import select
import socket
import sys
import time

HOST, PORT, DPLBCTL = sys.argv[1], int(sys.argv[2]), sys.argv[3]
IAC, WILL, DO = 255, 251, 253
ANSI = re.compile(rb"\x1b(\[[0-9;]*[A-Za-z]|[A-Za-z])")


def check(name, cond, why=""):
    print(("ok " if cond else "bad ") + name + ("" if cond else ": " + why), flush=True)


def read_for(s, marker, timeout=3.0):
    """Bytes from s until marker (a regex on the text without escapes) or timeout."""
    data, end = b"", time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([s], [], [], 0.1)
        if r:
            chunk = s.recv(65536)
            if not chunk:
                return data, True
            data += chunk
            if re.search(marker, ANSI.sub(b"", data)):
                return data, False
    return data, False


s = socket.create_connection((HOST, PORT), timeout=3)
s.sendall(bytes([IAC, DO, 1, IAC, DO, 3]))        # DO ECHO, DO SGA: character mode
out, _ = read_for(s, rb"> $")
check("dplb offers WILL ECHO, WILL SGA to a telnet client",
      bytes([IAC, WILL, 1]) in out and bytes([IAC, WILL, 3]) in out, repr(out))
check("the prompt shows", out.rstrip().endswith(b">"), repr(out))

s.sendall(b"sh\t")
out, _ = read_for(s, rb"show $")
check("TAB completes 'sh' to 'show '", ANSI.sub(b"", out).endswith(b"show "), repr(out))
s.sendall(b"sta\t\r\x00")                         # Enter as telnet sends it: CR NUL
out, _ = read_for(s, rb"rx_packets[^\n]*\n(.|\n)*> $")
check("'show sta' TAB Enter runs show stats", b"rx_packets" in out, repr(out[-300:]))
check("... with CR LF line ends (a terminal in character mode)",
      re.search(rb"rx_packets [0-9]+\r\n", out) is not None, repr(out[:200]))

s.sendall(b"\x1b[A")                              # up arrow: the last line again
out, _ = read_for(s, rb"show stats $")
check("up arrow recalls 'show stats'", ANSI.sub(b"", out).endswith(b"show stats "), repr(out))
s.sendall(b"\r\n")                                # Enter as CR LF: one command, not two
out, _ = read_for(s, rb"rx_packets[^\n]*\n(.|\n)*> $")
text = ANSI.sub(b"", out)
check("Enter runs it again", b"rx_packets" in out, repr(out[-200:]))
# one total line "rx_packets N" (the per-lcore lines say "worker 0 (lcore 1): rx_packets")
check("... once (CR LF is one Enter)", len(re.findall(rb"(?m)^rx_packets [0-9]+", text)) == 1,
      repr(text[-200:]))

s.sendall(b"show ?")
out, _ = read_for(s, rb"show $")
text = ANSI.sub(b"", out)
check("'show ?' lists what may follow, with help",
      re.search(rb"conn +show conn ", text) is not None and b"vrrp" in text, repr(text))
s.sendall(b"\x03")                                # ^C: drop the line
read_for(s, rb"> $")
s.sendall(b"ipvsadm --per\t")
out, _ = read_for(s, rb"persistent-conn $")
check("TAB completes ipvsadm options (--per -> --persistent-conn)",
      ANSI.sub(b"", out).endswith(b"--persistent-conn "), repr(out))
s.sendall(b"\x03")
read_for(s, rb"> $")
s.sendall(b"frobnicate\r\x00")
out, _ = read_for(s, rb"> $")
check("an unknown command still gets its error", b"unknown command 'frobnicate'" in out, repr(out))
s.sendall(b"\x04")                                # ^D on an empty line: the end
out, closed = read_for(s, rb"$^", timeout=3)
check("^D on an empty line ends the session", closed, repr(out))
s.close()

# dplbctl with no arguments on a terminal: the same editor through it
pid, fd = pty.fork()
if pid == 0:
    os.execv(DPLBCTL, [DPLBCTL, "-s", "%s:%d" % (HOST, PORT)])
data, end = b"", time.time() + 5


def pty_read(marker):
    global data
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                data += os.read(fd, 65536)
            except OSError:
                return
        if re.search(marker, ANSI.sub(b"", data)):
            return


pty_read(rb"> $")
os.write(fd, b"show vr\t\r")
pty_read(rb"(?s)show vrrp .*> $")
check("dplbctl alone: TAB and Enter in an interactive session",
      re.search(rb"(?s)show vrrp .*\n.*> $", ANSI.sub(b"", data)) is not None, repr(data[-300:]))
check("... and no telnet bytes reach the terminal", bytes([IAC]) not in data, repr(data[:100]))
os.write(fd, b"\x04")
_, status = os.waitpid(pid, 0)
check("dplbctl exits 0 when the session ends (^D)", os.WEXITSTATUS(status) == 0, str(status))
