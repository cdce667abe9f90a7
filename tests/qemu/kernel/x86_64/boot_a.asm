; SPDX-License-Identifier: GPL-2.0-only
; Kernel A (x86_64) for SeaBIOS: a flat multiboot image (address fields, so
; QEMU's -kernel loads it although it is 64-bit code). The 32-bit stub builds
; an identity map of the first 8 GiB with 2 MiB pages (A "knows" all RAM,
; like a Linux kernel's kexec identity map) and enters long mode: with five
; levels (CR4.LA57) when the CPU has them (QEMU -cpu max,+la57), as Linux
; does, so that purgatory's map is tested at both depths.
extern a_main, cpu_setup, _load_start, _load_end, _bss_end
global multiboot_info

section .multiboot
bits 32
align 4
mb_header:
	dd 0x1badb002
	dd 0x00010003
	dd -(0x1badb002 + 0x00010003)
	dd mb_header
	dd _load_start
	dd _load_end
	dd _bss_end
	dd mb_entry

section .text
bits 32
mb_entry:
	cli
	cld
	mov	esp, boot_stack_top
	mov	[multiboot_info], ebx
	mov	dword [pml4], pdpt + 3
	xor	ecx, ecx
.pdpt:	mov	eax, ecx
	shl	eax, 12
	add	eax, pd + 3
	mov	[pdpt + ecx * 8], eax
	inc	ecx
	cmp	ecx, 8
	jb	.pdpt
	xor	ecx, ecx
.pd:	mov	eax, ecx
	shl	eax, 21
	or	eax, 0x83			; present, writable, 2 MiB
	mov	[pd + ecx * 8], eax
	mov	eax, ecx
	shr	eax, 11
	mov	[pd + ecx * 8 + 4], eax
	inc	ecx
	cmp	ecx, 8 * 512
	jb	.pd
	mov	dword [pml5], pml4 + 3
	xor	ebx, ebx			; CR4 bits beyond PAE
	mov	edi, pml4			; the root
	xor	eax, eax
	cpuid
	cmp	eax, 7
	jb	.depth_known
	mov	eax, 7
	xor	ecx, ecx
	cpuid
	test	ecx, 1 << 16			; LA57
	jz	.depth_known
	mov	ebx, 1 << 12
	mov	edi, pml5
.depth_known:
	mov	cr3, edi
	mov	eax, cr4
	or	eax, 1 << 5			; PAE
	or	eax, ebx
	mov	cr4, eax
	mov	ecx, 0xc0000080
	rdmsr
	or	eax, 1 << 8			; LME
	wrmsr
	mov	eax, cr0
	or	eax, 0x80000001
	mov	cr0, eax
	lgdt	[boot_gdt_ptr]
	jmp	0x08:long_mode

bits 64
long_mode:
	mov	eax, 0x10
	mov	ds, eax
	mov	es, eax
	mov	ss, eax
	mov	rsp, boot_stack_top
	call	cpu_setup
	call	a_main
	ud2

section .data
align 8
boot_gdt:
	dq 0
	dq 0x00af9a000000ffff			; 0x08: 64-bit code
	dq 0x00cf92000000ffff			; 0x10: data
boot_gdt_end:
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dd boot_gdt
multiboot_info:	dd 0

section .bss
align 4096
pml5:	resb 4096
pml4:	resb 4096
pdpt:	resb 4096
pd:	resb 8 * 4096
	resb 16384
boot_stack_top:
