; SPDX-License-Identifier: GPL-2.0-only
; A 32-bit entry for kernel A's one-way test (mode=one-way-probe): booted
; by purgatory from entry32_regs, as kexec-tools' 32-bit loader boots a
; kernel, it reports how purgatory left the machine and ends the run. It
; is 32-bit code on both arches (an x86_64 purgatory reaches it through
; its way down from long mode) and uses no memory of its own.
;
; In: ebx = A's crash-note buffer, ecx = its size, edx = 1 if CR4 must be
; 0 (x86_64's way down). Out: QEMU's debug-exit port gets 0x10, plus 1 if
; CR4 was not 0, plus 2 if the crash-note buffer is not all zero.
bits 32
section .text
global one_way_probe32:function hidden
one_way_probe32:
	xor	eax, eax
	test	edx, edx
	jz	.note
	mov	edx, cr4
	test	edx, edx
	jz	.note
	or	eax, 1
.note:
	jecxz	.report
.byte:
	cmp	byte [ebx], 0
	jne	.written
	inc	ebx
	loop	.byte
	jmp	.report
.written:
	or	eax, 2
.report:
	or	eax, 0x10
	mov	dx, 0xf4			; DEBUG_EXIT_PORT (testbed.h)
	out	dx, eax
.halt:
	cli
	hlt
	jmp	.halt
