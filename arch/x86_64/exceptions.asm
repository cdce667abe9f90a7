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

; Vectors that push an error code themselves.
%define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

global kj_exception_stubs:function
align 16
kj_exception_stubs:
%assign v 0
%rep 32
	align KJ_EXC_STUB_SIZE
%if v == 2
	lock inc qword [kjump_params + PARAMS_NMIS]
	iretq
%else
%if !HAS_ERR(v)
	push	qword 0
%endif
	push	qword v
	jmp	exception_common
%endif
%assign v v + 1
%endrep

exception_common:
	mov	rdi, rsp		; struct kj_exc_frame: vector, error, rip, cs, rflags, rsp, ss
	and	rsp, -16
	call	kjump_exception
	ud2
