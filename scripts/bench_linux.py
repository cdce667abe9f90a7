#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench's real-kernel figures, from one serial log of the tests/linux
chain in kjt_mode=bench (scripts/bench.sh).

    bench_linux.py SERIAL_LOG MIB  ->  "linux_MIB_KEY VALUE" lines

Both kernels print with printk.time=1; their clock is the TSC at 1 GHz
("tsc: Detected 1000.000 MHz" under QEMU -icount shift=0), each from its
own boot. A's and B's shells print the TSC itself (kjtsc) around every
kexec -e, which gives each kernel's offset: its KJT lines carry both a
TSC reading and the log time of the record, a little later. Every kernel
message then falls on one time line, in virtual nanoseconds: one per
instruction while a CPU runs, and a sleep's length while none does.

A jump from X to Y is cut at X's "Freezing user space processes", X's
"Disabling non-boot CPUs ..." (the last message before machine_kexec),
Y's first message after it, and Y's "Restarting tasks ... done.":
  user_out  X's shell and kexec-tools, up to the freeze
  suspend   the freeze and the device suspend in X
  jump      machine_kexec in X, the swap of the window, purgatory, the
            swap back and Y's return path, up to Y's first message
  resume    Y's device resume and thaw
  user_in   Y's shell until it reads the TSC
"""
import re
import sys

LINE = re.compile(r"^\[\s*(\d+)\.(\d{6})\] (.*)$")


def main():
    path, mib = sys.argv[1], sys.argv[2]	# mib: the key's label (64, 128, 128noaux, ...)
    events = []		# (side, log_ns, text)
    side = "A"
    booted_b = False
    for raw in open(path, errors="replace"):
        m = LINE.match(raw.rstrip("\r\n"))
        if not m:
            continue
        ns = int(m.group(1)) * 1_000_000_000 + int(m.group(2)) * 1000
        text = m.group(3)
        if text.startswith("KJT A:"):
            side = "A"
        elif text.startswith("KJT B:"):
            side = "B"
        elif text.startswith("Linux version") and booted_b is False and any(e[2].startswith("KJT A: bench 1 out") for e in events):
            side, booted_b = "B", True
        events.append([side, ns, text])
    # Messages after "Disabling non-boot CPUs" up to the peer's next KJT line
    # are the peer's: the side flips there.
    current = "A"
    for e in events:
        if e[2].startswith("KJT A:"):
            current = "A"
        elif e[2].startswith("KJT B:"):
            current = "B"
        e[0] = current
    for i, e in enumerate(events):
        if e[2].startswith("Disabling non-boot CPUs"):
            # The following messages, until the next KJT line, are the other kernel's.
            other = "B" if e[0] == "A" else "A"
            j = i + 1
            while j < len(events) and not events[j][2].startswith("KJT "):
                events[j][0] = other
                j += 1
    # A kernel's log clock stops while the other runs (its sched_clock is
    # restored at resume, as after a suspend): each stretch of a kernel's
    # messages between two jumps has an offset of its own. A stretch ends
    # with the kernel's "Disabling non-boot CPUs" and its offset is that of
    # the KJT lines in it: the TSC read just before the record, minus the
    # record's time (the largest such difference is the closest).
    stretch = {"A": 0, "B": 0}
    ended = {"A": False, "B": False}
    for e in events:
        s = e[0]
        if ended[s]:
            stretch[s] += 1
            ended[s] = False
        e.append(stretch[s])
        if e[2].startswith("Disabling non-boot CPUs"):
            ended[s] = True
    offset = {}
    for s, ns, text, k in events:
        m = re.match(r"KJT [AB]: bench (?:\d+ (?:out|in)|booted) (\d+)$", text)
        if m:
            o = int(m.group(1)) - ns
            offset[(s, k)] = max(offset.get((s, k), o), o)
    if not any(k[0] == "A" for k in offset) or not any(k[0] == "B" for k in offset):
        sys.exit(f"bench_linux: {path}: no TSC readings from both kernels")
    t = [(s, ns + offset[(s, k)], text) for s, ns, text, k in events if (s, k) in offset]

    def tsc(pattern):
        return {int(m.group(1)): int(m.group(2)) for s, _, text in t
                for m in [re.match(pattern, text)] if m}

    a_out, a_in = tsc(r"KJT A: bench (\d+) out (\d+)$"), tsc(r"KJT A: bench (\d+) in (\d+)$")
    b_out, b_in = tsc(r"KJT B: bench (\d+) out (\d+)$"), tsc(r"KJT B: bench (\d+) in (\d+)$")
    booted = [int(m.group(1)) for s, _, text in t for m in [re.match(r"KJT B: bench booted (\d+)$", text)] if m]
    twice = [m.groups() for s, _, text in t for m in [re.match(r"KJT A: bench kjtsc twice (\d+) (\d+)$", text)] if m]
    if not booted or not twice or 1 not in a_out:
        sys.exit(f"bench_linux: {path}: B's boot or the first round is missing")
    out = {"cold_boot": booted[0] - a_out[1], "kjtsc": int(twice[0][1]) - int(twice[0][0])}

    def phases(start, end, caller, callee):
        """The cut points of one jump between TSC start and end."""
        seg = [(s, g, text) for s, g, text in t if start <= g <= end]
        def first(side, prefix):
            return next((g for s, g, text in seg if s == side and text.startswith(prefix)), None)
        freeze = first(caller, "Freezing user space processes")
        last = first(caller, "Disabling non-boot CPUs")
        after = next((g for s, g, text in seg if s == callee and last is not None and g > last
                      and not text.startswith("KJT ")), None)
        thaw = first(callee, "Restarting tasks")
        if None in (freeze, last, after, thaw):
            return None
        return {"user_out": freeze - start, "suspend": last - freeze, "jump": after - last,
                "resume": thaw - after, "user_in": end - thaw, "total": end - start}

    for name, pairs in (("a_to_b", [(a_out[r], b_in[r - 1], "A", "B") for r in sorted(a_out)
                                    if r >= 2 and r - 1 in b_in]),
                        ("b_to_a", [(b_out[r], a_in[r], "B", "A") for r in sorted(b_out) if r in a_in])):
        rows = [p for p in (phases(*x) for x in pairs) if p]
        if not rows:
            sys.exit(f"bench_linux: {path}: no complete {name} round")
        # The round with the median total, whole, so that its parts add up.
        rows.sort(key=lambda r: r["total"])
        for key, v in rows[len(rows) // 2].items():
            out[f"{name}_{key}"] = v
        out[f"{name}_rounds"] = len(rows)
    for k, v in out.items():
        print(f"linux_{mib}_{k} {v}")


if __name__ == "__main__":
    main()
