; SPDX-License-Identifier: GPL-2.0-only
; Exception stubs for the test kernels' IDT: report and exit QEMU, except
; a single-step trap (#DB, vector 1): common/db_trap.inc counts it and
; returns (the test of a caller with TF set).
bits 64
default rel
extern kernel_exception
section .text
%define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)
global exception_stubs:function hidden
align 16
exception_stubs:
%assign v 0
%rep 32
	align 16
%if v == 1
	jmp	db_trap
%elif v == 2
	jmp	nmi_count
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
	mov	rdi, [rsp]			; vector
	mov	rsi, [rsp + 8]			; error code
	mov	rdx, [rsp + 16]			; rip
	lea	rsp, [exc_stack_top]
	call	kernel_exception
	ud2
; An NMI is counted where nmi_counter points (A: a variable of its own;
; B: its mailbox, which A reads) and returns: tests/qemu/nmi.t injects
; them at random moments.
global nmi_counter:data hidden
nmi_count:
	push	rax
	mov	rax, [rel nmi_counter]
	lock inc qword [rax]
	pop	rax
	iretq
section .data
align 8
nmi_counter:	dq nmi_sink
section .bss
align 16
nmi_sink:	resq 1
	resb 4096
exc_stack_top:

global db_traps:data hidden, db_rips:data hidden
%define W 8
%define WSIZE qword
%define R_AX rax
%define R_CX rcx
%define R_DX rdx
%define R_SP rsp
%define IRET iretq
%include "tests/qemu/kernel/common/db_trap.inc"
