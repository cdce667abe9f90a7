; SPDX-License-Identifier: GPL-2.0-only
; void kj_sha256_ni_blocks(uint32_t state[8], const uint8_t *data, size_t blocks)
; SHA-256 of `blocks` (at least 1) 64-byte blocks with the SHA extensions;
; the body is arch/x86/sha256_ni.inc, which says what the CPU must offer.
bits 64
default rel

section .text progbits alloc exec nowrite align=16

global kj_sha256_ni_blocks:function hidden
kj_sha256_ni_blocks:
%define STATE	rdi
%define DATA	rsi
%define COUNT	rdx
%define FRAME	rsp
%define KBASE	rax
	sub	rsp, 160
	lea	KBASE, [round_k]
%include "sha256_ni.inc"
	add	rsp, 160
	ret

%include "sha256_ni_data.inc"
