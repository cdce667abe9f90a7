; SPDX-License-Identifier: GPL-2.0-only
; Kernel B (i386): entered by purgatory from entry32_regs, like a Linux
; bzImage's 32-bit entry: flat CS 0x10 / DS 0x18, paging off, %esi pointing
; at its command line here. purgatory has also pushed the ELF core header
; address (first C argument) and a return label. B keeps that frame: if
; b_main returns, B returns through it like a physical-mode program.
bits 32
extern b_main, cpu_setup, nmi_counter
global b_boot_regs
%define B_MAILBOX_NMI_PROBE_OFF 0x3f054
%define B_MAILBOX_NMIS_OFF 0x3f058
%include "tests/qemu/kernel/common/bench_tsc.inc"
section .text.boot
global b_entry
b_entry:
	; make bench: stamp when purgatory starts B, with the two registers
	; the stamp takes put back for the record below (bench_null_boot in
	; jump.asm runs the same instructions).
	mov	[b_boot_regs + 0], eax
	mov	[b_boot_regs + 12], edx
	STAMP	TSC_AT(TSC_BOOT)
	mov	eax, [b_boot_regs + 0]
	mov	edx, [b_boot_regs + 12]
	mov	[b_boot_regs + 0], eax
	mov	[b_boot_regs + 4], ebx
	mov	[b_boot_regs + 8], ecx
	mov	[b_boot_regs + 12], edx
	mov	[b_boot_regs + 16], esi
	mov	[b_boot_regs + 20], edi
	mov	[b_boot_regs + 24], esp
	mov	[b_boot_regs + 28], ebp
	pushfd
	pop	dword [b_boot_regs + 32]
	mov	[b_boot_regs + 36], cs
	mov	[b_boot_regs + 40], ds
	mov	[b_boot_regs + 44], ss
	; While purgatory's IDT is still loaded: take int $2 through its NMI
	; gate as often as A asked (tests that purgatory counts and returns).
	mov	ecx, [0x2000000 + B_MAILBOX_NMI_PROBE_OFF]
.nmi_probe:
	test	ecx, ecx
	jz	.nmi_done
	int	2
	dec	ecx
	jmp	.nmi_probe
.nmi_done:
	mov	eax, [esp + 4]			; the header argument (if pushed)
	mov	[b_boot_arg], eax
	mov	[b_boot_esp], esp
	mov	eax, [esp]
	mov	[b_boot_label], eax
	; The boot stack may be purgatory's own (kexec-tools points it at
	; stack_end), which purgatory uses again at every transition: run on
	; B's stack from here on.
	mov	esp, b_stack_top
	; B's NMIs count in its mailbox, which A reads (tests/qemu/nmi.t).
	mov	dword [nmi_counter], 0x2000000 + B_MAILBOX_NMIS_OFF
	call	cpu_setup			; B's own GDT and IDT
	push	dword [b_boot_arg]
	call	b_main
	mov	esp, [b_boot_esp]		; back to the boot frame, and put
	mov	ecx, [b_boot_label]		; purgatory's return label back in
	mov	[esp], ecx			; case its stack was used meanwhile
	ret					; eax = b_main's value

section .data
b_boot_regs:	times 12 dd 0
b_boot_arg:	dd 0
b_boot_esp:	dd 0
b_boot_label:	dd 0

section .bss
align 16
	resb 16384
b_stack_top:
