#!/usr/bin/env python3
"""Refused-connect storm on loopback, from an interpreter: the same loop as
storm.c, at the pace of a typical client. Prints "<connects> <seconds>".
Usage: storm.py PORT SECONDS"""
import socket
import sys
import time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
start = time.monotonic()
end = start + seconds
n = 0
while n % 256 or time.monotonic() < end:
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port))
        sys.exit(f"port {port} is open: pick a closed one")
    except ConnectionRefusedError:
        pass
    s.close()
    n += 1
print(n, time.monotonic() - start)
