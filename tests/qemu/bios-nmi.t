#!/usr/bin/env bash
# NMIs inside the BIOS call's mode switch (docs/bios.md, "NMIs"): for each
# mode the way down and up passes through, and in the return to the caller,
# QEMU stops at one instruction of it (a gdb hardware breakpoint on the
# area's copy of the code, or on purgatory's), its
# monitor injects an NMI (`monitor nmi`), and the call goes on. The NMI is
# taken right there, by the handler the switch has in place for that mode
# (purgatory/realmode.h, the NMI table): the guest must finish all its
# calls with exact results, purgatory must have counted exactly that NMI,
# and nothing may reset (a triple fault ends QEMU with status 0).
. "$(dirname "$0")/lib.sh"

area=0x10000
load=0x1000000
# In purgatory's return to the caller, after each step (arch_bios_return):
# its paging, its CS and SS, its IDT (from here its own handler counts),
# its GDT.
points_return="after_caller_paging after_caller_cs after_caller_idt after_caller_gdt"
port_base=$((20000 + $$ % 10000))
# One instruction in every mode of the way, and right after each write of
# CR0.PE (rm_pm16_real, rm_real_pe), where CS still holds the other mode's
# value; rm_real_up is real mode after the interrupt, once the NMI table is
# loaded again.
points_i386="rm_pm32_down rm_pm16 rm_pm16_real rm_real rm_real_up rm_real_pe rm_pm32_up rm_pm32_up_arch"
points_x86_64="rm_compat_down rm_compat_legacy rm_pm32_down rm_pm16 rm_pm16_real rm_real rm_real_up rm_real_pe rm_pm32_up rm_pm32_up_arch rm_lm64"
n=0
for arch in i386 x86_64; do
	elf=$KJ_O/$arch/purgatory.elf
	blob=0x$(nm "$elf" | awk '$3 == "kj_rm_blob" { print $1 }')
	eval points=\$points_$arch
	for point in $points $points_return; do
		n=$((n + 1))
		off=0x$(nm "$elf" | awk -v s="$point" '$3 == s { print $1 }')
		if [ "$off" = 0x ]; then
			kj_not_ok "$arch: no symbol $point in $elf"
			continue
		fi
		case $point in
		rm_*) addr=$(printf '0x%x' $((area + off - blob))) ;;	# the area's copy
		*) addr=$(printf '0x%x' $((load + off))) ;;		# purgatory itself
		esac
		port=$((port_base + n))
		cmds=$KJ_LOGDIR/$arch-bios-nmi-$point.gdb
		cat > "$cmds" <<-GDB
		set pagination off
		set confirm off
		target remote 127.0.0.1:$port
		hbreak *$addr
		continue
		monitor nmi
		delete
		continue
		GDB
		# gdb attaches once QEMU listens; QEMU waits for it (-S).
		( for _ in $(seq 100); do
			ss -ltn | grep -q "127.0.0.1:$port " && break
			sleep 0.1
		  done
		  gdb -nx -batch -x "$cmds" > "$KJ_LOGDIR/$arch-bios-nmi-$point.gdb.log" 2>&1 ) &
		KJ_KERNEL=bios_kernel KJ_TESTS=3 kj_run $arch-bios-nmi-$point $arch seabios \
			"load=$load lowload=0x40000 area=$area bounce=0x14000 calls=3 high=1 nmis=1" 1 \
			"" -- -m 64 -S -gdb tcp:127.0.0.1:$port
		wait
		# gdb names the stop by EIP, which in 16-bit code is the offset
		# from the area (CS's base there), and as a trap, not a breakpoint.
		rel=$(printf '%x' $((addr - area)))
		if grep -Eq "^(Breakpoint 1, 0x0*${addr#0x}|0x0*$rel) in " \
			"$KJ_LOGDIR/$arch-bios-nmi-$point.gdb.log"; then
			kj_ok "$arch: the NMI was injected at $point ($addr)"
		else
			kj_not_ok "$arch: gdb did not stop at $point ($addr): see $arch-bios-nmi-$point.gdb.log"
		fi
	done
done
kj_done
