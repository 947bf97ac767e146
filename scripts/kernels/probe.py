#!/usr/bin/env python3
"""Makes one failure of each kind netladder reports, as plainly as a program
would, inside the namespace probe.sh made. Each step prints what the
program itself saw, so a missing event can be told from a missing failure.
Usage: probe.py NEIGHBOUR_ADDR NAME"""
import ctypes
import errno
import select
import socket
import struct
import sys
import time

# One command name for every step: the matrix counts only our events.
ctypes.CDLL(None).prctl(15, b"nlk-probe", 0, 0, 0)


def name(e):
    return errno.errorcode.get(e, str(e))


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def listener(backlog=8):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(backlog)
    return srv, srv.getsockname()[1]


def connect_sync():
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", closed_port()))
        return "OK"
    except OSError as e:
        return name(e.errno)


def connect_async():
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", closed_port()))
    select.select([], [s], [], 5)
    return name(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))


def syn_timeout():
    # A full accept queue drops the SYN: no firewall needed. One retry
    # (TCP_SYNCNT) makes the connect give up after about 3 s.
    srv, port = listener(0)
    held = socket.create_connection(("127.0.0.1", port))
    s = socket.socket()
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, 1)
    try:
        s.connect(("127.0.0.1", port))
        return "OK"
    except OSError as e:
        return name(e.errno)
    finally:
        held.close()
        srv.close()


def reset():
    srv, port = listener()
    c = socket.create_connection(("127.0.0.1", port))
    conn, _ = srv.accept()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    try:
        conn.recv(1)
        return "no reset"
    except OSError as e:
        return name(e.errno)


def time_wait():
    srv, port = listener()
    c = socket.create_connection(("127.0.0.1", port))
    conn, _ = srv.accept()
    c.close()
    time.sleep(0.1)
    conn.close()
    return "closed first"


def bind_in_use():
    srv, port = listener()
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        return "OK"
    except OSError as e:
        return name(e.errno)


def neighbour(addr):
    s = socket.socket()
    try:
        s.connect((addr, 80))
        return "OK"
    except OSError as e:
        return name(e.errno)


def getaddrinfo(host):
    try:
        socket.getaddrinfo(host, 80)
        return "OK"
    except socket.gaierror as e:
        return str(e)


for step, run in [
    ("connect sync", connect_sync),
    ("connect async", connect_async),
    ("syn timeout", syn_timeout),
    ("reset", reset),
    ("time_wait", time_wait),
    ("bind", bind_in_use),
    ("neighbour", lambda: neighbour(sys.argv[1])),
    ("getaddrinfo", lambda: getaddrinfo(sys.argv[2])),
]:
    print(f"{step}: {run()}", flush=True)
