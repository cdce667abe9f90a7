#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Inject NMIs into a running QEMU guest at random moments (tests/qemu/nmi.t).

Waits for the guest's serial log to say "# NMI injection starts", then sends
QEMU's HMP command `nmi` over the monitor socket after random pauses of
10 to 90 ms until the log says "# NMI injection ends" (or QEMU goes away),
and writes how many it sent to OUT. The pauses come from SEED.
"""
import random
import socket
import sys
import time

sock_path, log_path, out_path, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(seed)


def log_says(text):
    try:
        with open(log_path, "rb") as f:
            return text.encode() in f.read()
    except OSError:
        return False


def finish(sent, why):
    with open(out_path, "w") as f:
        f.write("%d %s\n" % (sent, why))
    sys.exit(0)


deadline = time.monotonic() + 120
mon = None
while mon is None:
    try:
        mon = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        mon.connect(sock_path)
    except OSError:
        mon = None
        if time.monotonic() > deadline:
            finish(0, "no-monitor")
        time.sleep(0.05)
mon.setblocking(False)


def drain():
    try:
        while mon.recv(65536):
            pass
    except BlockingIOError:
        pass
    except OSError:
        pass


while not log_says("# NMI injection starts"):
    if time.monotonic() > deadline:
        finish(0, "never-started")
    drain()
    time.sleep(0.02)
sent = 0
while True:
    time.sleep(rng.uniform(0.010, 0.090))
    if log_says("# NMI injection ends"):
        finish(sent, "ended")
    try:
        mon.sendall(b"nmi\n")
    except OSError:
        finish(sent, "qemu-gone")
    sent += 1
    drain()
