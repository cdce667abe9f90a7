#!/usr/bin/env bash
# NMIs at random moments (issue 12, "Faults to survive"): QEMU's monitor
# injects an NMI every 10 to 90 ms (tests/qemu/nmi_inject.py) while the
# standalone suite makes 10,000 transitions per arch (mode=nmi: 5,000
# round trips, every step verified as in the suite) and, with
# KJ_NMI_BIOS=1 (make soak), while the BIOS-call kernel makes 20,000 BIOS
# calls (1,000 take well under a second here). Every NMI lands in a handler that counts
# it: the kernel's own (A's, B's), purgatory's, or during a BIOS call the
# IVT's, which the BIOS kernel points at a counter. The counts must add up
# to what was injected, and no CPU may reset (QEMU's -d cpu_reset log
# holds only the resets of power-on). Each NMI is sent only once QEMU has
# taken the previous one (nmi_inject.py says why).
. "$(dirname "$0")/lib.sh"

seed=${KJ_SEED:-$(( $(date +%s) % 100000 ))}
echo "# NMI pauses from seed $seed (KJ_SEED=$seed repeats them)"
nmi_run() {
	local name=$1 arch=$2 tests=$3 cmdline=$4
	local sock=$KJ_LOGDIR/$name.mon resets=$KJ_LOGDIR/$name.resets out=$KJ_LOGDIR/$name.injected
	rm -f "$sock" "$out" "$resets"
	python3 "$(dirname "$0")/nmi_inject.py" "$sock" "$KJ_LOGDIR/$name.log" "$out" "$seed" "$resets" &
	KJ_KERNEL=${5:-kernel_a} KJ_TESTS=$tests kj_run "$name" "$arch" seabios "$cmdline" 1 "" -- -m 256 \
		-monitor "unix:$sock,server=on,wait=off" -d int,cpu_reset -D "$resets"
	wait
	local injected why unconfirmed counted line
	read -r injected why unconfirmed < "$out" 2>/dev/null || { injected=0; why=no-result; }
	line=$(grep -a '^# NMIs counted:' "$KJ_LOGDIR/$name.log" | tail -1)
	line=${line%$'\r'}
	counted=${line##* total }
	if [ "$why" = ended ] && [ "$injected" -gt 0 ] && [ "$counted" = "$injected" ]; then
		kj_ok "$name: $injected NMIs injected ($unconfirmed taken in real mode, where QEMU logs none), every one counted (${line#\# NMIs counted: })"
	else
		kj_not_ok "$name: $injected NMIs injected ($why), counted: ${line:-nothing}"
	fi
	# QEMU logs two resets of the CPU at power-on (machine creation and
	# system reset); any more is the guest's.
	local n
	n=$(grep -c "^CPU Reset" "$resets" 2>/dev/null || echo 0)
	if [ "$n" -le 2 ]; then
		kj_ok "$name: no CPU reset after power-on ($n logged)"
	else
		kj_not_ok "$name: $n CPU resets logged (a triple fault or a reset)"
	fi
}

for arch in i386 x86_64; do
	nmi_run $arch-nmi-rounds $arch 2 "load=0x1000000 conv=61 rounds=5000 mode=nmi"
	# BIOS calls under random NMIs only on request (make soak): QEMU's TCG
	# takes an NMI inside the MOV SS shadow of SeaBIOS's stack switch and
	# then returns to 0000:0000 (docs/bios.md, "NMIs"), about once in 1,500
	# NMIs that land in the BIOS; tests/qemu/bios-nmi.t covers purgatory's
	# own part of a call deterministically.
	[ "${KJ_NMI_BIOS:-0}" = 1 ] &&
		nmi_run $arch-nmi-bios $arch 1 "load=0x1000000 lowload=0x40000 area=0x10000 bounce=0x14000 calls=20000 high=1 nmisoak=1" bios_kernel
done
kj_done
