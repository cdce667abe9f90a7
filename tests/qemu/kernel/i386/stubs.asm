; SPDX-License-Identifier: GPL-2.0-only
; Exception stubs for the test kernels' IDT: report and exit QEMU, except
; a single-step trap (#DB, vector 1): common/db_trap.inc counts it and
; returns (the test of a caller with TF set).
bits 32
extern kernel_exception
section .text
%define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)
global exception_stubs
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
	push	dword 0
%endif
	push	dword v
	jmp	exception_common
%endif
%assign v v + 1
%endrep
exception_common:
	mov	eax, [esp]		; vector
	mov	edx, [esp + 4]		; error code
	mov	ecx, [esp + 8]		; eip
	mov	esp, exc_stack_top
	push	ecx
	push	edx
	push	eax
	call	kernel_exception
	ud2
; An NMI is counted where nmi_counter points (A: a variable of its own;
; B: its mailbox, which A reads) and returns: tests/qemu/nmi.t injects
; them at random moments. The 64-bit counter's low half is enough here.
global nmi_counter
nmi_count:
	push	eax
	mov	eax, [nmi_counter]
	lock inc dword [eax]
	pop	eax
	iretd
section .data
align 4
nmi_counter:	dd nmi_sink
section .bss
align 16
nmi_sink:	resq 1
	resb 4096
exc_stack_top:

global db_traps, db_rips
%define W 4
%define WSIZE dword
%define R_AX eax
%define R_CX ecx
%define R_DX edx
%define R_SP esp
%define IRET iret
%include "tests/qemu/kernel/common/db_trap.inc"
