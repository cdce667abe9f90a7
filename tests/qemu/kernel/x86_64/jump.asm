; SPDX-License-Identifier: GPL-2.0-only
;
; The test kernels' "kexec -e" (x86_64), modelled on Linux's
; relocate_kernel_64 with preserve_context: the caller's registers pushed on
; its own stack, GDT and IDT zapped (6.1), the target reached by `call` from
; the top of a "swap page" stack, and on return the peer's next entry taken
; from the top of the stack (6.1-6.13) or, with convention 614, the
; target's entry pushed before the call and popped after it (6.14+).
;
; Unlike Linux, it loads known sentinels into the callee-saved registers
; and flags before the call and records exactly what it finds at re-entry.
; At re-entry it runs on whatever page tables purgatory chose, so the first
; thing after recording is to reload its own CR3, GDT, IDT and segments.

bits 64
default rel

extern kernel_gdtr, kernel_idtr, kernel_cs, kernel_ds, kernel_cr3
%include "tests/qemu/kernel/common/bench_tsc.inc"

%define W 8
%define NSAVED 6
%define J_ENTRY		0
%define J_STACK_TOP	(1 * W)
%define J_CONV		(2 * W)
%define J_FLAGS_IN	(3 * W)
%define J_ZAP		(4 * W)
%define J_SENT		(5 * W)
%define J_GOT		((5 + NSAVED) * W)
%define J_FLAGS_OUT	((5 + 2 * NSAVED) * W)
%define J_SP		((6 + 2 * NSAVED) * W)
%define J_ARG		((7 + 2 * NSAVED) * W)
%define J_STATUS	((8 + 2 * NSAVED) * W)
%define J_AUX		((9 + 2 * NSAVED) * W)
%define J_WORD		((10 + 2 * NSAVED) * W)
%define J_SAVED_SP	((11 + 2 * NSAVED) * W)
%define NZERO 6
%define J_ZEROED	((12 + 2 * NSAVED) * W)
%define J_GDTR		((12 + 2 * NSAVED + NZERO) * W)
%define J_IDTR		((14 + 2 * NSAVED + NZERO) * W)

section .text

; long kexec_jump(struct jump_ctl *ctl)
global kexec_jump:function hidden
kexec_jump:
	push	rbx
	push	rbp
	push	r12
	push	r13
	push	r14
	push	r15
	pushfq
	mov	[cur_ctl], rdi
	mov	[rdi + J_SAVED_SP], rsp
	mov	rsp, [rdi + J_STACK_TOP]
	cmp	qword [rdi + J_ZAP], 0
	je	.tables_kept
	lgdt	[zero_dtr]			; Linux 6.1 zaps its tables
	lidt	[zero_dtr]
.tables_kept:
	STAMP	TSC_AT(TSC_OUT)			; make bench: leaving
	mov	rdx, [rdi + J_ENTRY]
	cmp	qword [rdi + J_CONV], 614
	jne	.no_entry_push
	push	rdx				; 6.14+: where to enter next time
.no_entry_push:
	push	qword [rdi + J_FLAGS_IN]
	mov	rbx, [rdi + J_SENT + 0 * W]
	mov	rbp, [rdi + J_SENT + 1 * W]
	mov	r12, [rdi + J_SENT + 2 * W]
	mov	r13, [rdi + J_SENT + 3 * W]
	mov	r14, [rdi + J_SENT + 4 * W]
	mov	r15, [rdi + J_SENT + 5 * W]
	xor	eax, eax
	xor	ecx, ecx
	xor	esi, esi
	xor	edi, edi
	popfq
	call	rdx
global kexec_jump_reentry:function hidden
kexec_jump_reentry:
	mov	[re_rbx], rbx
	mov	[re_rbp], rbp
	mov	[re_r12], r12
	mov	[re_r13], r13
	mov	[re_r14], r14
	mov	[re_r15], r15
	mov	[re_rax], rax
	mov	[re_rdx], rdx
	mov	[re_rdi], rdi
	mov	[re_rsp], rsp
	mov	[re_zero + 0 * W], rcx
	mov	[re_zero + 1 * W], rsi
	mov	[re_zero + 2 * W], r8
	mov	[re_zero + 3 * W], r9
	mov	[re_zero + 4 * W], r10
	mov	[re_zero + 5 * W], r11
	sgdt	[re_gdtr + 6]			; the tables purgatory handed back
	sidt	[re_idtr + 6]
	mov	[re_cs], cs			; and the selectors
	mov	[re_ss], ss
	pushfq
	pop	qword [re_flags]
	mov	rax, [rsp]			; both conventions read the same word;
	mov	[re_word], rax			; 614 also pops it, which the restore
						; of %rsp below makes moot
	mov	rax, cr3			; the map purgatory resumed us under
	mov	[resume_cr3], rax
	mov	rax, [kernel_cr3]
	mov	cr3, rax
	STAMP	TSC_AT(TSC_IN)			; make bench: resumed
	lgdt	[kernel_gdtr]
	lidt	[kernel_idtr]
	movzx	eax, word [kernel_cs]
	push	rax
	lea	rax, [.cs_loaded]
	push	rax
	o64 retf
.cs_loaded:
	mov	ax, [kernel_ds]
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	rdx, [cur_ctl]
	mov	rax, [re_rbx]
	mov	[rdx + J_GOT + 0 * W], rax
	mov	rax, [re_rbp]
	mov	[rdx + J_GOT + 1 * W], rax
	mov	rax, [re_r12]
	mov	[rdx + J_GOT + 2 * W], rax
	mov	rax, [re_r13]
	mov	[rdx + J_GOT + 3 * W], rax
	mov	rax, [re_r14]
	mov	[rdx + J_GOT + 4 * W], rax
	mov	rax, [re_r15]
	mov	[rdx + J_GOT + 5 * W], rax
	mov	rax, [re_flags]
	mov	[rdx + J_FLAGS_OUT], rax
	mov	rax, [re_rsp]
	mov	[rdx + J_SP], rax
	mov	rax, [re_rdi]
	mov	[rdx + J_ARG], rax
	mov	rax, [re_rdx]
	mov	[rdx + J_AUX], rax
	mov	rax, [re_word]
	mov	[rdx + J_WORD], rax
	mov	rax, [re_rax]
	mov	[rdx + J_STATUS], rax
	xor	ecx, ecx
	lea	rsi, [re_zero]			; zeroed[], gdtr, idtr, cs, ss: contiguous
.copy:	mov	rax, [rsi + rcx * 8]
	mov	[rdx + J_ZEROED + rcx * 8], rax
	inc	ecx
	cmp	ecx, NZERO + 6
	jb	.copy
	mov	rsp, [rdx + J_SAVED_SP]
	popfq
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbp
	pop	rbx
	ret

%ifndef KERNEL_B
; make bench's stand-ins for purgatory (bench.c): what the jump routine
; costs by itself, resumed at once (a bare ret) or "booted" through the
; same first instructions as B's boot entry (boot_b.asm).
global bench_null_resume:function hidden
bench_null_resume:
	ret
global bench_null_boot:function hidden
bench_null_boot:
	mov	[null_saved + 0], rax
	mov	[null_saved + 8], rdx
	STAMP	TSC_AT(TSC_BOOT)
	mov	rax, [null_saved + 0]
	mov	rdx, [null_saved + 8]
	ret
%endif

section .data
align 16
%ifndef KERNEL_B
global jump_tsc:data hidden
jump_tsc:	times 3 dq 0
null_saved:	times 2 dq 0
%endif
zero_dtr:	dw 0
		dq 0
align 8
cur_ctl:	dq 0
global resume_cr3:data hidden
resume_cr3:	dq 0
re_rbx:		dq 0
re_rbp:		dq 0
re_r12:		dq 0
re_r13:		dq 0
re_r14:		dq 0
re_r15:		dq 0
re_rax:		dq 0
re_rdx:		dq 0
re_rdi:		dq 0
re_rsp:		dq 0
re_flags:	dq 0
re_word:	dq 0
re_zero:	times NZERO dq 0		; keep these five together: copied as one
re_gdtr:	times 2 dq 0
re_idtr:	times 2 dq 0
re_cs:		dq 0				; 16-bit stores: the high words stay 0
re_ss:		dq 0
