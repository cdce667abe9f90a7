; SPDX-License-Identifier: GPL-2.0-only
;
; The test kernels' "kexec -e" (i386), modelled on Linux's relocate_kernel_32
; with preserve_context: paging off, the caller's registers pushed on its own
; stack, the target reached by `call` from the top of a "swap page" stack,
; and on return the peer's next entry taken from the top of the stack
; (6.1-6.13) or, with convention 614, the target's entry pushed before the
; call and popped after it (6.14+).
;
; Unlike Linux, it loads known sentinels into the callee-saved registers
; and flags before the call and records exactly what it finds at re-entry,
; so the C side can check purgatory's register and stack contract.

bits 32

extern kernel_gdtr, kernel_idtr, kernel_cs, kernel_ds
%include "tests/qemu/kernel/common/bench_tsc.inc"

%define W 4
%define NSAVED 4
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
%define NZERO 1
%define J_ZEROED	((12 + 2 * NSAVED) * W)

section .text

; long kexec_jump(struct jump_ctl *ctl)
global kexec_jump
kexec_jump:
	mov	eax, [esp + 4]
	push	ebx
	push	esi
	push	edi
	push	ebp
	pushfd
	mov	[cur_ctl], eax
	mov	[eax + J_SAVED_SP], esp
	mov	esp, [eax + J_STACK_TOP]
	cmp	dword [eax + J_ZAP], 0
	je	.tables_kept
	lgdt	[zero_dtr]		; Linux zaps its tables before the jump
	lidt	[zero_dtr]
.tables_kept:
	mov	ecx, eax
	STAMP	TSC_AT(TSC_OUT)			; make bench: leaving
	mov	eax, ecx
	mov	edx, [eax + J_ENTRY]
	cmp	dword [eax + J_CONV], 614
	jne	.no_entry_push
	push	edx			; 6.14+: where to enter next time
.no_entry_push:
	push	dword [eax + J_FLAGS_IN]
	mov	ebx, [eax + J_SENT + 0 * W]
	mov	esi, [eax + J_SENT + 1 * W]
	mov	edi, [eax + J_SENT + 2 * W]
	mov	ebp, [eax + J_SENT + 3 * W]
	xor	ecx, ecx
	xor	eax, eax
	popfd
	call	edx
global kexec_jump_reentry
kexec_jump_reentry:
	; Record before anything changes; the statics are absolute (paging off).
	mov	[re_ebx], ebx
	mov	[re_esi], esi
	mov	[re_edi], edi
	mov	[re_ebp], ebp
	mov	[re_eax], eax
	mov	[re_edx], edx
	mov	[re_esp], esp
	mov	[re_zero], ecx
	sgdt	[re_gdtr + 2]			; the tables purgatory handed back
	sidt	[re_idtr + 2]
	mov	[re_cs], cs			; and the selectors
	mov	[re_ss], ss
	pushfd
	pop	dword [re_flags]
	STAMP	TSC_AT(TSC_IN)			; make bench: resumed
	mov	eax, [esp + 4]
	mov	[re_arg], eax
	mov	eax, [esp]		; both conventions read the same word;
	mov	[re_word], eax		; 614 also pops it, which the restore of
					; %esp below makes moot
	lgdt	[kernel_gdtr]
	lidt	[kernel_idtr]
	movzx	eax, word [kernel_cs]
	push	eax
	push	.cs_loaded
	retf
.cs_loaded:
	mov	ax, [kernel_ds]
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	fs, ax
	mov	gs, ax
	mov	edx, [cur_ctl]
	mov	eax, [re_ebx]
	mov	[edx + J_GOT + 0 * W], eax
	mov	eax, [re_esi]
	mov	[edx + J_GOT + 1 * W], eax
	mov	eax, [re_edi]
	mov	[edx + J_GOT + 2 * W], eax
	mov	eax, [re_ebp]
	mov	[edx + J_GOT + 3 * W], eax
	mov	eax, [re_flags]
	mov	[edx + J_FLAGS_OUT], eax
	mov	eax, [re_esp]
	mov	[edx + J_SP], eax
	mov	eax, [re_arg]
	mov	[edx + J_ARG], eax
	mov	eax, [re_edx]
	mov	[edx + J_AUX], eax
	mov	eax, [re_word]
	mov	[edx + J_WORD], eax
	mov	eax, [re_eax]
	mov	[edx + J_STATUS], eax
	xor	ecx, ecx
.copy:	mov	eax, [re_zero + ecx * 4]	; zeroed[], gdtr, idtr, cs, ss: contiguous
	mov	[edx + J_ZEROED + ecx * 4], eax
	inc	ecx
	cmp	ecx, NZERO + 6
	jb	.copy
	mov	esp, [edx + J_SAVED_SP]
	popfd
	pop	ebp
	pop	edi
	pop	esi
	pop	ebx
	ret

%ifndef KERNEL_B
; make bench's stand-ins for purgatory (bench.c): what the jump routine
; costs by itself, resumed at once (a bare ret) or "booted" through the
; same first instructions as B's boot entry (boot_b.asm).
global bench_null_resume
bench_null_resume:
	ret
global bench_null_boot
bench_null_boot:
	mov	[null_saved + 0], eax
	mov	[null_saved + 4], edx
	STAMP	TSC_AT(TSC_BOOT)
	mov	eax, [null_saved + 0]
	mov	edx, [null_saved + 4]
	ret
%endif

section .data
align 8
%ifndef KERNEL_B
global jump_tsc
jump_tsc:	times 6 dd 0
null_saved:	times 2 dd 0
%endif
zero_dtr:	dw 0
		dd 0
cur_ctl:	dd 0
re_ebx:		dd 0
re_esi:		dd 0
re_edi:		dd 0
re_ebp:		dd 0
re_eax:		dd 0
re_edx:		dd 0
re_esp:		dd 0
re_flags:	dd 0
re_arg:		dd 0
re_word:	dd 0
re_zero:	times NZERO dd 0		; keep these five together: copied as one
re_gdtr:	times 2 dd 0
re_idtr:	times 2 dd 0
re_cs:		dd 0				; 16-bit stores: the high words stay 0
re_ss:		dd 0
