; SPDX-License-Identifier: GPL-2.0-only
; void kj_sha256_ni_blocks(uint32_t state[8], const uint8_t *data, size_t blocks)
; SHA-256 of `blocks` (at least 1) 64-byte blocks with the SHA extensions;
; the body is arch/x86/sha256_ni.inc, which says what the CPU must offer.
bits 32

section .text progbits alloc exec nowrite align=16

global kj_sha256_ni_blocks:function hidden
kj_sha256_ni_blocks:
%define STATE	edi
%define DATA	esi
%define COUNT	ecx
%define FRAME	esp
%define KBASE	edx
	push	edi
	push	esi
	mov	STATE, [esp + 12]
	mov	DATA, [esp + 16]
	mov	COUNT, [esp + 20]
	sub	esp, 160
	call	.here				; position independent: round_k is
.here:	pop	KBASE				; a fixed distance from here
	add	KBASE, round_k - .here
%include "sha256_ni.inc"
	add	esp, 160
	pop	esi
	pop	edi
	ret

%include "sha256_ni_data.inc"
