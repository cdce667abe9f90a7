; SPDX-License-Identifier: GPL-2.0-only
; Kernel A (i386): a multiboot image (address fields, so QEMU's -kernel
; loads it flat), entered in 32-bit protected mode with paging off.
bits 32
extern a_main, _load_start, _load_end, _bss_end
global multiboot_info
section .multiboot
align 4
mb_header:
	dd 0x1badb002
	dd 0x00010003			; page-align, memory info, address fields
	dd -(0x1badb002 + 0x00010003)
	dd mb_header
	dd _load_start
	dd _load_end
	dd _bss_end
	dd mb_entry

section .text
mb_entry:
	cli
	cld
	mov	esp, boot_stack_top
	mov	[multiboot_info], ebx
	call	cpu_setup
	call	a_main
	ud2
extern cpu_setup

extern raw_call_came_back
; void raw_call(unsigned long entry, unsigned long sp, unsigned long word)
; Enter purgatory with an arbitrary stack and re-entry word (bad-input
; tests). Purgatory must halt; if it ever returns, say so.
global raw_call
raw_call:
	mov	edx, [esp + 4]
	mov	eax, [esp + 12]
	mov	esp, [esp + 8]
	push	eax
	jmp	edx
global raw_call_returned
raw_call_returned:
	mov	esp, fallback_stack_top
	call	raw_call_came_back
	ud2


section .data
multiboot_info:	dd 0

section .bss
align 16
	resb 16384
boot_stack_top:
	resb 4096
fallback_stack_top:
