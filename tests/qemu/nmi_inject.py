#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Inject NMIs into a running QEMU guest at random moments (tests/qemu/nmi.t).

Waits for the guest's serial log to say "# NMI injection starts", then sends
QEMU's HMP command `nmi` over the monitor socket after random pauses of
10 to 90 ms until the log says "# NMI injection ends" (or QEMU goes away),
and writes how many it sent to OUT. The pauses come from SEED.

QEMU keeps one NMI pending: a second one sent before the vCPU took the
first would be merged into it, and a host that starves QEMU's vCPU thread
for 10 ms (another QEMU on the same cores) makes that happen. So after each
NMI the injector waits, up to a second, for QEMU's -d int log (INTLOG) to
show it delivered ("v=02"); QEMU logs no interrupt taken in real mode, so
an NMI that lands there (inside a BIOS call) is counted as unconfirmed.
"""
import random
import socket
import sys
import time

sock_path, log_path, out_path, seed, int_log = (sys.argv[1], sys.argv[2], sys.argv[3],
                                                int(sys.argv[4]), sys.argv[5])
rng = random.Random(seed)


def log_says(text):
    try:
        with open(log_path, "rb") as f:
            return text.encode() in f.read()
    except OSError:
        return False


unconfirmed = 0


def finish(sent, why):
    with open(out_path, "w") as f:
        f.write("%d %s %d\n" % (sent, why, unconfirmed))
    sys.exit(0)


int_seen = 0
int_pos = 0
int_tail = b""


def nmis_delivered():
    """How many NMIs QEMU has logged as taken so far."""
    global int_seen, int_pos, int_tail
    try:
        with open(int_log, "rb") as f:
            f.seek(int_pos)
            data = f.read()
    except OSError:
        return int_seen
    int_pos += len(data)
    chunk = int_tail + data
    int_seen += chunk.count(b" v=02 ")
    int_tail = chunk[-8:]
    return int_seen


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
    before = nmis_delivered()
    try:
        mon.sendall(b"nmi\n")
    except OSError:
        finish(sent, "qemu-gone")
    sent += 1
    drain()
    wait_until = time.monotonic() + 1.0
    while nmis_delivered() == before:
        if time.monotonic() > wait_until:
            unconfirmed += 1
            break
        time.sleep(0.002)
