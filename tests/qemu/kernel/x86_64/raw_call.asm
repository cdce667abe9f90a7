; SPDX-License-Identifier: GPL-2.0-only
; void raw_call(unsigned long entry, unsigned long sp, unsigned long word)
; Enter purgatory with an arbitrary stack and re-entry word (bad-input
; tests). Purgatory must halt; if it ever returns, say so.
bits 64
default rel
extern raw_call_came_back
section .text
global raw_call:function hidden
global raw_call_returned:function hidden
raw_call:
	mov	rsp, rsi
	push	rdx
	jmp	rdi
raw_call_returned:
	lea	rsp, [fallback_stack_top]
	call	raw_call_came_back
	ud2
section .bss
align 16
	resb 4096
fallback_stack_top:

; void raw_call_zero(unsigned long entry, unsigned long sp)
; Linux 6.14 to 7.0's entry without preserve context (before upstream
; 786a45757dcd): %rsp = sp, the end of the control page, with the entry
; pushed below it and consumed by ret, every general register zero, and
; nothing at 0(%rsp) that belongs to the caller.
global raw_call_zero:function hidden
section .text
raw_call_zero:
	mov	rsp, rsi
	push	rdi
	xor	eax, eax
	xor	ebx, ebx
	xor	ecx, ecx
	xor	edx, edx
	xor	esi, esi
	xor	edi, edi
	xor	ebp, ebp
	xor	r8d, r8d
	xor	r9d, r9d
	xor	r10d, r10d
	xor	r11d, r11d
	xor	r12d, r12d
	xor	r13d, r13d
	xor	r14d, r14d
	xor	r15d, r15d
	ret
