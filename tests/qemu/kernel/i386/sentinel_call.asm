; SPDX-License-Identifier: GPL-2.0-only
; long sentinel_call(unsigned long fn, void *arg, unsigned long out[5])
;
; Calls fn(arg) (cdecl) with the callee-saved registers holding known
; values (call_sentinels), then stores what they hold after the call in
; out[0..3] (ebx esi edi ebp) and esp-after minus esp-before in out[4].
bits 32
section .text
global sentinel_call
global call_sentinels
sentinel_call:
	push	ebx
	push	esi
	push	edi
	push	ebp
	mov	eax, [esp + 20]			; fn
	mov	ecx, [esp + 24]			; arg
	mov	edx, [esp + 28]			; out
	mov	[out_ptr], edx
	mov	ebx, [call_sentinels]
	mov	esi, [call_sentinels + 4]
	mov	edi, [call_sentinels + 8]
	mov	ebp, [call_sentinels + 12]
	push	ecx
	mov	[sp_before], esp
	call	eax
	mov	edx, [out_ptr]
	mov	[edx], ebx
	mov	[edx + 4], esi
	mov	[edx + 8], edi
	mov	[edx + 12], ebp
	mov	ecx, esp
	sub	ecx, [sp_before]
	mov	[edx + 16], ecx
	add	esp, 4
	pop	ebp
	pop	edi
	pop	esi
	pop	ebx
	ret
section .data
align 4
call_sentinels:
	dd 0x5e17b1b0, 0x5e17b1b1, 0x5e17b1b2, 0x5e17b1b3
out_ptr:	dd 0
sp_before:	dd 0
