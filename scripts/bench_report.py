#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench's report: results.txt (and the baseline) -> bench.md, bench.png.

    bench_report.py RESULTS BASELINE REPORT_DIR

RESULTS and BASELINE hold "KEY VALUE" lines as scripts/bench.sh writes
them; BASELINE is the same bench run on the tree before the cuts
(docs/bench-baseline.txt), shown as the "before" column. Prints the table,
writes REPORT_DIR/bench.md and REPORT_DIR/bench.png (gnuplot), and exits
non-zero if a figure the table needs is missing or not a number.
"""
import os
import subprocess
import sys

ARCHES = ("i386", "x86_64")

# (label, key under guest_<arch>_, goal or None)
INSTRUCTIONS = [
    ("first entry, SHA-256 check of the segments", "first_entry_sha", None),
    ("first entry, no digest to check", "first_entry_nosha", None),
    ("A→B (median of the rounds)", "a_to_b_median", 500),
    ("B→A (median of the rounds)", "b_to_a_median", 500),
    ("A→B, KJ_FLAG_TRACE on", "a_to_b_trace_median", None),
    ("B→A, KJ_FLAG_TRACE on", "b_to_a_trace_median", None),
    ("refusal: B's entry before B exists (KJ_ESIDE)", "refusal_eside", None),
    ("refusal: second first entry (KJ_EAGAIN)", "refusal_eagain", None),
    ("BIOS call, handler a single iret", "bios_call", None),
]


def load(path):
    vals = {}
    if not path or not os.path.exists(path):
        return vals
    with open(path) as f:
        for line in f:
            parts = line.split(None, 1)
            if len(parts) == 2:
                vals[parts[0]] = parts[1].strip()
    return vals


def num(vals, key):
    v = vals.get(key)
    if v is None:
        return None
    try:
        return float(v) if "." in v else int(v)
    except ValueError:
        sys.exit(f"bench_report: {key} is not a number: {v!r}")


def need(vals, key):
    v = num(vals, key)
    if v is None:
        sys.exit(f"bench_report: no figure {key} in the results")
    return v


def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.1f}"
    return f"{v:,}"


def ratio(a, b):
    return "–" if a is None or b in (None, 0) else f"{a / b:.2f}×"


def main():
    results, baseline, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
    now, before = load(results), load(baseline)
    lines = []
    out = lines.append

    out("# make bench: what purgatory costs")
    out("")
    out("Written by `make bench` (scripts/bench.sh, scripts/bench_report.py); do not edit by hand.")
    out(f"Run of {now.get('date', '?')} on commit {now.get('commit', '?')}: QEMU {now.get('qemu', '?')}, "
        f"gcc {now.get('gcc', '?')}, kexec-tools {now.get('kexec_tools', '?')} (Debian source "
        f"package), host CPU {now.get('cpu', '?').replace('_', ' ')}.")
    if before:
        out(f"The \"before\" columns are the same bench on commit {before.get('commit', '?')} "
            f"({before.get('date', '?')}), kept in docs/bench-baseline.txt.")
    out("")
    out("## Instructions inside purgatory")
    out("")
    out("Test kernels A and B (tests/qemu) under `qemu-system-<arch> -icount shift=0,align=off,sleep=off`,")
    out("where the guest's TSC advances by one per instruction. The jump routines stamp the TSC")
    out("right before calling purgatory and right after being resumed; the same routine run")
    out("against a stand-in (a bare `ret`) is subtracted, so the figure is purgatory's own")
    out(f"instructions, entry to hand-over. {now.get('rounds', '?')} round trips; the first entry hashes "
        f"{fmt(num(now, 'guest_x86_64_sha_bytes'))} bytes (x86_64), "
        f"{fmt(num(now, 'guest_i386_sha_bytes'))} (i386).")
    out("")
    head = "| entry | goal |"
    rule = "|---|---|"
    for a in ARCHES:
        if before:
            head += f" {a} before | {a} now |"
            rule += "---:|---:|"
        else:
            head += f" {a} |"
            rule += "---:|"
    out(head)
    out(rule)
    plot_rows = []
    for label, key, goal in INSTRUCTIONS:
        row = f"| {label} | {'≤ ' + str(goal) if goal else ''} |"
        vals = []
        for a in ARCHES:
            v = need(now, f"guest_{a}_{key}")
            b = num(before, f"guest_{a}_{key}")
            if before:
                row += f" {fmt(b)} | {fmt(v)} |"
            else:
                row += f" {fmt(v)} |"
            vals.append((b, v))
        out(row)
        plot_rows.append((key, vals))
    # The digest's share of the first entry, per byte: test kernel B (what
    # is hashed) is not the same size from one tree to the next.
    row = "| SHA-256 in the first entry, per byte hashed (C) | |"
    for a in ARCHES:
        def per_byte(v):
            f, n, b = (num(v, f"guest_{a}_{k}") for k in ("first_entry_sha", "first_entry_nosha", "sha_bytes"))
            return None if None in (f, n, b) or not b else (f - n) / b
        b, v = per_byte(before), per_byte(now)
        if before:
            row += f" {fmt(b) if b is not None else '–'} | {fmt(v)} |"
        else:
            row += f" {fmt(v)} |"
    out(row)
    out("")

    out("## SHA-256 (the first entry's digest check)")
    out("")
    out(f"On the host, the same data for every implementation, median of "
        f"{now.get('sha_reps', '?')} runs each, the implementations taking turns in one process "
        "(tools/bench/sha_bench.c; the i386 one built with gcc -m32): a buffer that fits in the "
        f"caches (1 MiB, the hash's own speed) and one that does not ({now.get('sha_mib', '?')} MiB, "
        "as a kernel image mostly is). `memory read` only reads the buffer: no hash of uncached "
        "data can be faster. Both C files are compiled with purgatory's flags for lib/sha256.c "
        f"(the last -O counts): x86_64 `{now.get('sha_flags', '?').replace('_', ' ')}`; i386 "
        f"`{now.get('sha_i386_flags', '?').replace('_', ' ')}`.")
    out("")
    out("| arch | implementation | goal | " + ("before, large | " if before else "") +
        "MB/s, 1 MiB | vs kexec-tools | MB/s, large | vs kexec-tools |")
    out("|---|---|---|" + ("---:|" if before else "") + "---:|---:|---:|---:|")
    for arch, pre in (("x86_64", ""), ("i386", "i386_")):
        kt = num(now, f"sha_{pre}kexec_tools_c")
        kts = num(now, f"sha_small_{pre}kexec_tools_c")
        if kt is None:
            continue
        for label, key, goal in (("kexec-tools util_lib/sha256.c", "kexec_tools_c", None),
                                 ("purgatory, general registers", "purgatory_c", "≥ 2×"),
                                 ("purgatory, SHA extensions", "purgatory_sha_ni", "≥ 5×"),
                                 ("memory read (no hash)", "memory_read", None)):
            v = num(now, f"sha_{pre}{key}")
            vs = num(now, f"sha_small_{pre}{key}")
            b = num(before, f"sha_{pre}{key}")
            row = f"| {arch} | {label} | {goal or ''} |"
            if before:
                row += f" {fmt(b)} ({ratio(b, num(before, f'sha_{pre}kexec_tools_c'))}) |"
            row += f" {fmt(vs)} | {ratio(vs, kts)} | {fmt(v)} | {ratio(v, kt)} |"
            out(row)
    out("")

    out("## Size")
    out("")
    out("purgatory.ro as kexec-tools embeds it; loaded memory is what kexec-tools reserves for it "
        "(allocated sections at their alignment, bss included). kexec-tools' own purgatory.ro is "
        "built in the same run from the same source tree.")
    out("")
    out("| arch | | " + ("before | " if before else "") + "ours | kexec-tools | ours / kexec-tools |")
    out("|---|---|" + ("---:|" if before else "") + "---:|---:|---:|")
    for a in ARCHES:
        for label, ours_key, kt_key in (("purgatory.ro file", f"size_{a}_ours_ro_file", f"size_{a}_kexec_ro_file"),
                                        ("loaded memory", f"size_{a}_ours_ro_memsz", f"size_{a}_kexec_ro_memsz"),
                                        ("purgatory.bin", f"size_{a}_ours_bin", None)):
            v = need(now, ours_key)
            k = need(now, kt_key) if kt_key else None
            row = f"| {a} | {label} |"
            if before:
                row += f" {fmt(num(before, ours_key))} |"
            row += f" {fmt(v)} | {fmt(k)} | {ratio(v, k)} |"
            out(row)
    out("")
    out("![instructions inside purgatory](bench.png)")
    out("")

    profile = {a: sorted(((k[len(f"profile_{a}_"):], int(v)) for k, v in now.items()
                          if k.startswith(f"profile_{a}_")), key=lambda x: -x[1]) for a in ARCHES}
    if any(profile.values()):
        out("## Where a round trip goes")
        out("")
        out("Purgatory's functions by instructions per round trip (A→B plus B→A): QEMU "
            "`-singlestep -d exec` logs every instruction of runs with 10 and 30 round trips, "
            "and the difference over 20 is one round trip, whatever the first entry costs. "
            "Inlined functions count in their caller; `kjump_enter` holds the transition logic "
            "of purgatory/transition.c.")
        out("")
        out("| " + " | ".join(f"{a} function | per round trip" for a in ARCHES) + " |")
        out("|" + "---|---:|" * len(ARCHES))
        rows = max(len(v) for v in profile.values())
        for i in range(min(rows, 14)):
            cells = []
            for a in ARCHES:
                if i < len(profile[a]):
                    cells += [f"`{profile[a][i][0]}`", f"{profile[a][i][1]:,}"]
                else:
                    cells += ["", ""]
            out("| " + " | ".join(cells) + " |")
        cells = []
        for a in ARCHES:
            cells += ["all functions", f"{sum(v for _, v in profile[a]):,}"]
        out("| " + " | ".join(cells) + " |")
        out("")

    linux = {arch: [w for w in ("64", "128", "256", "128noaux")
                    if num(now, f"linux_{pre}{w}_cold_boot") is not None]
             for arch, pre in (("x86_64", ""), ("i386", "i386_"))}
    if any(linux.values()):
        out("## Real Linux: a switch, its parts, and B's cold boot")
        out("")
        out("The Linux 6.1 chains of tests/linux (kexec-tools 2.0.25 with this purgatory) "
            "in `kjt_mode=bench` under `-icount shift=0,align=off,sleep=off`, one CPU, 5 round "
            "trips: the round with the median total, so that its parts add up. The unit is "
            "virtual nanoseconds: one per instruction while the CPU runs; a sleep or a wait for a "
            "timer counts at its length (with `sleep=off` QEMU jumps the clock to the next timer "
            "instead of idling), as on a 1-instruction-per-ns machine. A's and B's shells read "
            "the TSC (`kjtsc`) right before `kexec -e` and right after it returns; both kernels' "
            "logs (`printk.time=1`) are put on the same time line (scripts/bench_linux.py). "
            "kexec-tools fills B's window with B's segments and backup segments, so the kernel "
            "swaps the whole window at every jump. \"No PS/2 mouse\": both kernels booted with "
            "`i8042.noaux=1`.")
        out("")
    for arch, pre in (("x86_64", ""), ("i386", "i386_")):
        wins = linux[arch]
        if not wins:
            continue
        out(f"| {arch}: B's window | " + " | ".join(f"{w[:-5]} MiB, no PS/2 mouse" if w.endswith("noaux")
                                                  else f"{w} MiB" for w in wins) + " |")
        out("|---|" + "---:|" * len(wins))
        def lrow(label, key, scale=1e6, unit="ms"):
            cells = []
            for w in wins:
                v = num(now, f"linux_{pre}{w}_{key}")
                cells.append("–" if v is None else f"{v / scale:,.1f} {unit}")
            out(f"| {label} | " + " | ".join(cells) + " |")
        lrow("B's cold boot: A's `kexec -e` to B's shell", "cold_boot")
        for d, name in (("a_to_b", "A→B"), ("b_to_a", "B→A")):
            lrow(f"**{name}**: shell to shell", f"{d}_total")
            lrow(f"{name}: caller's shell and kexec-tools, to the freeze", f"{d}_user_out")
            lrow(f"{name}: freeze and device suspend in the caller", f"{d}_suspend")
            lrow(f"{name}: the jump: machine_kexec, the window's swap, purgatory, the return path",
                 f"{d}_jump")
            lrow(f"{name}: device resume and thaw in the other kernel", f"{d}_resume")
            lrow(f"{name}: the other kernel's shell", f"{d}_user_in")
        lrow("one `kjtsc` (what each reading costs)", "kjtsc", 1e3, "µs")
        out("")
        pa = num(now, f"guest_{arch}_a_to_b_median")
        if pa:
            out(f"Purgatory's part of a jump ({arch}) is the A→B figure at the top: {pa:,} "
                f"instructions, {pa / 1e3:,.1f} µs on this scale.")
            out("")

    if num(now, "hib_kexec_resume_ns") is not None:
        out("## Hibernation: kexec hibernation through purgatory against Linux's swsusp")
        out("")
        out("The same Linux 6.1 A (x86_64, 2 GiB, one CPU, its disk mounted, a process counting) "
            "hibernated twice in one run (tests/linux/hibernate.sh with KJ_HIB_BENCH=1) under "
            "`-icount shift=0,align=off,sleep=off`, virtual time as above. **kexec**: A jumps to "
            "B, which writes A's memory (`makedumpfile -c -d 16`) and purgatory's (`kjhib save`) "
            "to an ext4 disk and powers off; a cold-booted C loads them (`kjhib load`) and "
            "`kexec -e` resumes A through purgatory (docs/hibernate.md). **swsusp**: A writes its "
            "own image to a swap disk (`echo disk > /sys/power/state`, `/sys/power/disk` "
            "shutdown) and powers off; the next boot, with `resume=`, restores it. Both disks are "
            "virtio. Image: bytes written (kexec: the two files; swsusp: the blocks of the swap "
            "disk it filled). Hibernate: from A's last TSC reading before it asks to the kernel's "
            "\"reboot: Power down\". Resume: from power-on to A's first TSC reading after its "
            "request returns, firmware and the booting kernel included.")
        out("")
        out("| | kexec hibernation | swsusp | kexec / swsusp |")
        out("|---|---:|---:|---:|")
        for label, key, scale, unit in (("image written", "image_bytes", 1 << 20, "MiB"),
                                        ("time to hibernate", "hibernate_ns", 1e6, "ms"),
                                        ("time to resume", "resume_ns", 1e6, "ms")):
            k, s = num(now, f"hib_kexec_{key}"), num(now, f"hib_swsusp_{key}")
            cell = lambda v: "–" if v is None else f"{v / scale:,.1f} {unit}"
            out(f"| {label} | {cell(k)} | {cell(s)} | {ratio(k, s)} |")
        out("")

    out("## Goals")
    out("")
    out("| goal | i386 | x86_64 | reached |")
    out("|---|---:|---:|---|")
    def goal_row(label, vals, ok):
        out(f"| {label} | {vals[0]} | {vals[1]} | {'yes' if ok else 'no'} |")
    worst = {a: max(need(now, f"guest_{a}_a_to_b_median"), need(now, f"guest_{a}_b_to_a_median"))
             for a in ARCHES}
    goal_row("≤ 500 instructions per A→B or B→A (the larger)", [fmt(worst[a]) for a in ARCHES],
             all(v <= 500 for v in worst.values()))
    def sha_ratio(pre, key):
        v, k = num(now, f"sha_{pre}{key}"), num(now, f"sha_{pre}kexec_tools_c")
        return v / k if v and k else None
    c = [sha_ratio(p, "purgatory_c") for p in ("i386_", "")]
    goal_row("SHA-256 ≥ 2× kexec-tools', general registers (large buffer)",
             [f"{r:.2f}×" if r else "–" for r in c], all(r and r >= 2 for r in c))
    ni = [sha_ratio(p, "purgatory_sha_ni") for p in ("i386_", "")]
    goal_row("SHA-256 ≥ 5× kexec-tools', SHA extensions (large buffer)",
             [f"{r:.2f}×" if r else "not measured (no SHA extensions)" for r in ni],
             all(r and r >= 5 for r in ni))
    for label, ours, theirs in (("purgatory.ro ≤ kexec-tools' purgatory.ro", "ours_ro_file", "kexec_ro_file"),
                                ("loaded memory ≤ kexec-tools' purgatory's", "ours_ro_memsz", "kexec_ro_memsz")):
        r = {a: need(now, f"size_{a}_{ours}") / need(now, f"size_{a}_{theirs}") for a in ARCHES}
        goal_row(label, [f"{r[a]:.2f}×" for a in ARCHES], all(v <= 1 for v in r.values()))
    out("")
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "bench-notes.md")
    if os.path.exists(notes):
        out(open(notes).read().rstrip())
        out("")

    text = "\n".join(lines) + "\n"
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "bench.md"), "w") as f:
        f.write(text)
    print(text)
    plot(outdir, plot_rows, bool(before))


def plot(outdir, rows, with_before):
    data = os.path.join(outdir, ".bench-plot.dat")
    with open(data, "w") as f:
        for key, vals in rows:
            cols = []
            for b, v in vals:
                cols += [str(b if b else "NaN"), str(v)]
            f.write(f"{key} {' '.join(cols)}\n")
    png = os.path.join(outdir, "bench.png")
    series = []
    for i, a in enumerate(ARCHES):
        if with_before:
            series.append(f"'{data}' using {2 + 2 * i}:xtic(1) title '{a} before'")
        series.append(f"'{data}' using {3 + 2 * i}:xtic(1) title '{a} now'")
    script = f"""
set terminal pngcairo size 1100,600 noenhanced
set output '{png}'
set title 'Instructions inside purgatory per entry (QEMU -icount)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [10:*]
set grid ytics
set xtics rotate by -30 scale 0
set key top right
plot {', '.join(series)}
"""
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"bench_report: gnuplot failed ({e}); install gnuplot-nox (make deps)")
    finally:
        os.unlink(data)


if __name__ == "__main__":
    main()
