; SPDX-License-Identifier: GPL-2.0-only
; Kernel B (x86_64): entered by purgatory from entry64_regs, like a Linux
; bzImage's 64-bit entry: long mode, flat CS 0x10 / DS 0x18, A's page
; tables, %rsi pointing at its command line here and %rdi holding the ELF
; core header (first C argument). 0(%rsp) is purgatory's return label: if
; b_main returns, B returns through it like a physical-mode program.
bits 64
default rel
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
	mov	[b_boot_regs + 0 * 8], rax
	mov	[b_boot_regs + 3 * 8], rdx
	STAMP	TSC_AT(TSC_BOOT)
	mov	rax, [b_boot_regs + 0 * 8]
	mov	rdx, [b_boot_regs + 3 * 8]
	mov	[b_boot_regs + 0 * 8], rax
	mov	[b_boot_regs + 1 * 8], rbx
	mov	[b_boot_regs + 2 * 8], rcx
	mov	[b_boot_regs + 3 * 8], rdx
	mov	[b_boot_regs + 4 * 8], rsi
	mov	[b_boot_regs + 5 * 8], rdi
	mov	[b_boot_regs + 6 * 8], rsp
	mov	[b_boot_regs + 7 * 8], rbp
	mov	[b_boot_regs + 8 * 8], r8
	mov	[b_boot_regs + 9 * 8], r9
	mov	[b_boot_regs + 10 * 8], r10
	mov	[b_boot_regs + 11 * 8], r11
	mov	[b_boot_regs + 12 * 8], r12
	mov	[b_boot_regs + 13 * 8], r13
	mov	[b_boot_regs + 14 * 8], r14
	mov	[b_boot_regs + 15 * 8], r15
	pushfq
	pop	qword [b_boot_regs + 16 * 8]
	mov	ax, cs
	mov	[b_boot_regs + 17 * 8], ax
	mov	ax, ds
	mov	[b_boot_regs + 18 * 8], ax
	mov	ax, ss
	mov	[b_boot_regs + 19 * 8], ax
	; While purgatory's IDT is still loaded: take int $2 through its NMI
	; gate as often as A asked (tests that purgatory counts and returns).
	mov	ecx, [abs 0x2000000 + B_MAILBOX_NMI_PROBE_OFF]
.nmi_probe:
	test	ecx, ecx
	jz	.nmi_done
	int	2
	dec	ecx
	jmp	.nmi_probe
.nmi_done:
	mov	[b_boot_arg], rdi
	mov	[b_boot_rsp], rsp
	mov	rax, [rsp]
	mov	[b_boot_label], rax
	; The boot stack may be purgatory's own (kexec-tools points it at
	; stack_end), which purgatory uses again at every transition: run on
	; B's stack from here on.
	lea	rsp, [b_stack_top]
	; B's NMIs count in its mailbox, which A reads (tests/qemu/nmi.t).
	mov	qword [nmi_counter], 0x2000000 + B_MAILBOX_NMIS_OFF
	call	cpu_setup			; B's own GDT and IDT
	mov	rdi, [b_boot_arg]
	call	b_main
	mov	rsp, [b_boot_rsp]		; back to the boot frame, and put
	mov	rcx, [b_boot_label]		; purgatory's return label back in
	mov	[rsp], rcx			; case its stack was used meanwhile
	ret					; rax = b_main's value

section .data
align 8
b_boot_regs:	times 20 dq 0
b_boot_arg:	dq 0
b_boot_rsp:	dq 0
b_boot_label:	dq 0

section .bss
align 16
	resb 16384
b_stack_top:
