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

; long start_call(unsigned long entry, unsigned long *next)
;
; Enters purgatory_start the way Linux's relocate_kernel does with a
; preserve-context image: `call`, so 0(%esp) is the re-entry address.
; Purgatory resumes us with 0(%esp) = the peer's next entry (stored in
; *next) and its argument above it, its own CS and SS loaded: this
; kernel's selectors are loaded again here.
extern kernel_cs, kernel_ds
global start_call
section .text
start_call:
	push	ebx
	push	esi
	push	edi
	push	ebp
	mov	eax, [esp + 20]			; entry
	mov	ecx, [esp + 24]			; next
	mov	[next_ptr], ecx
	call	eax
	pop	ecx				; the peer's next entry
	add	esp, 4				; the argument where our return address was
	mov	edx, [next_ptr]
	mov	[edx], ecx
	movzx	ecx, word [kernel_cs]
	push	ecx
	push	.cs_loaded
	retf
.cs_loaded:
	movzx	ecx, word [kernel_ds]
	mov	ss, ecx
	mov	ds, ecx
	mov	es, ecx
	xor	ecx, ecx
	mov	fs, ecx
	mov	gs, ecx
	pop	ebp
	pop	edi
	pop	esi
	pop	ebx
	ret
section .data
next_ptr:	dd 0
