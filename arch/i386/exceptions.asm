; SPDX-License-Identifier: GPL-2.0-only
;
; Exception stubs for purgatory's IDT: report and halt instead of a triple
; fault (kjump_exception). NMIs are counted and ignored.

bits 32

%include "asm-offsets.inc"

extern _GLOBAL_OFFSET_TABLE_
extern kjump_exception
extern kjump_params

section .text progbits alloc exec nowrite align=16

%include "exception_stubs.inc"

EXCEPTION_STUBS dword

nmi_count:
	push	ebx
	call	.here
.here:
	pop	ebx
	add	ebx, _GLOBAL_OFFSET_TABLE_ + $$ - .here wrt ..gotpc
	add	dword [ebx + (kjump_params + PARAMS_NMIS) wrt ..gotoff], 1
	adc	dword [ebx + (kjump_params + PARAMS_NMIS + 4) wrt ..gotoff], 0
	pop	ebx
	iretd

exception_common:
	mov	eax, esp		; struct kj_exc_frame: vector, error, eip, cs, eflags
	and	esp, -16
	sub	esp, 12
	push	eax
	call	kjump_exception
	ud2
