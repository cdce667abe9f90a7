; SPDX-License-Identifier: GPL-2.0-only
;
; Exception stubs for purgatory's IDT. A fault inside purgatory is a bug or
; bad input we failed to catch; rather than let it become a triple fault,
; each stub reports it on the console and halts (kjump_exception). NMIs are
; counted and ignored: one can arrive at any time, even with interrupts off.

bits 64
default rel

%include "asm-offsets.inc"

extern kjump_exception
extern kjump_params

section .text progbits alloc exec nowrite align=16

%include "exception_stubs.inc"

EXCEPTION_STUBS qword

nmi_count:
	lock inc qword [kjump_params + PARAMS_NMIS]
	iretq

; A #PF or #GP at one of arch_probe's two accesses, or at arch_rdmsr_safe's
; rdmsr, is its answer, not a bug: it resumes at probe_failed (returning
; 0), all else as it was.
exception_common:
	cmp	qword [rsp], 14
	je	.maybe_probe
	cmp	qword [rsp], 13
	jne	.report
.maybe_probe:
	push	rax
	lea	rax, [probe_read]
	cmp	[rsp + 24], rax		; rip, above rax, vector and error code
	je	.probe_fault
	lea	rax, [probe_write]
	cmp	[rsp + 24], rax
	je	.probe_fault
	lea	rax, [probe_rdmsr]
	cmp	[rsp + 24], rax
	je	.probe_fault
	pop	rax
	jmp	.report
.probe_fault:
	lea	rax, [probe_failed]
	mov	[rsp + 24], rax
	pop	rax
	add	rsp, 16
	iretq
.report:
	mov	rdi, rsp		; struct kj_exc_frame: vector, error, rip, cs, rflags, rsp, ss
	and	rsp, -16
	call	kjump_exception
	ud2

; int arch_probe(unsigned long addr, int write): 1 if the page tables in use
; let purgatory read the byte at addr (and write it back unchanged, with
; write), 0 if that faults. The CPU walks the tables, so nothing is assumed
; about how the caller's tables are themselves mapped.
global arch_probe:function hidden
arch_probe:
	mov	edx, esi
	mov	eax, 1
probe_read:
	mov	cl, [rdi]
	test	edx, edx
	jz	probe_done
probe_write:
	mov	[rdi], cl
probe_done:
	ret
probe_failed:
	xor	eax, eax
	ret

; int arch_rdmsr_safe(uint32_t msr, uint64_t *value): 1 and the value, or 0
; if the MSR does not exist here (#GP).
global arch_rdmsr_safe:function hidden
arch_rdmsr_safe:
	mov	r8, rsi
	mov	ecx, edi
	mov	r9d, 1
probe_rdmsr:
	rdmsr
	shl	rdx, 32
	or	rax, rdx
	mov	[r8], rax
	mov	eax, r9d
	ret
