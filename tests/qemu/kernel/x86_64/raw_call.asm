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
