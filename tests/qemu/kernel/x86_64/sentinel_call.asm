; SPDX-License-Identifier: GPL-2.0-only
; long sentinel_call(unsigned long fn, void *arg, unsigned long out[7])
;
; Calls fn(arg) with the callee-saved registers holding known values
; (call_sentinels), then stores what they hold after the call in out[0..5]
; (rbx rbp r12 r13 r14 r15) and rsp-after minus rsp-before in out[6]: an
; ordinary function leaves 0 there and every sentinel in place.
bits 64
default rel
section .text
global sentinel_call:function hidden
global call_sentinels:data hidden
sentinel_call:
	push	rbx
	push	rbp
	push	r12
	push	r13
	push	r14
	push	r15
	sub	rsp, 8				; 16-byte aligned at the call
	mov	[out_ptr], rdx
	mov	rax, rdi
	mov	rdi, rsi
	mov	rbx, [call_sentinels]
	mov	rbp, [call_sentinels + 8]
	mov	r12, [call_sentinels + 16]
	mov	r13, [call_sentinels + 24]
	mov	r14, [call_sentinels + 32]
	mov	r15, [call_sentinels + 40]
	mov	[sp_before], rsp
	call	rax
	mov	rdx, [out_ptr]
	mov	[rdx], rbx
	mov	[rdx + 8], rbp
	mov	[rdx + 16], r12
	mov	[rdx + 24], r13
	mov	[rdx + 32], r14
	mov	[rdx + 40], r15
	mov	rcx, rsp
	sub	rcx, [sp_before]
	mov	[rdx + 48], rcx
	add	rsp, 8
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbp
	pop	rbx
	ret
section .data
align 8
call_sentinels:
	dq 0x5e17b1c5000000b0, 0x5e17b1c5000000b1, 0x5e17b1c5000000b2
	dq 0x5e17b1c5000000b3, 0x5e17b1c5000000b4, 0x5e17b1c5000000b5
out_ptr:	dq 0
sp_before:	dq 0

; long start_call(unsigned long entry, unsigned long *next)
;
; Enters purgatory_start the way Linux's relocate_kernel does with a
; preserve-context image: `call`, so 0(%rsp) is the re-entry address.
; Purgatory resumes us with %rsp at that slot, which now holds the peer's
; next entry (stored in *next), its own CS and SS loaded, and the data
; selectors it left: this kernel's selectors are loaded again here.
extern kernel_cs, kernel_ds
global start_call:function hidden
section .text
start_call:
	push	rbx
	push	rbp
	push	r12
	push	r13
	push	r14
	push	r15
	mov	[next_ptr], rsi
	call	rdi
	pop	rcx				; the peer's next entry
	mov	rdx, [next_ptr]
	mov	[rdx], rcx
	movzx	ecx, word [kernel_cs]
	push	rcx
	lea	rcx, [.cs_loaded]
	push	rcx
	o64 retf
.cs_loaded:
	movzx	ecx, word [kernel_ds]
	mov	ss, ecx
	mov	ds, ecx
	mov	es, ecx
	xor	ecx, ecx
	mov	fs, ecx
	mov	gs, ecx
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbp
	pop	rbx
	ret
section .data
next_ptr:	dq 0
