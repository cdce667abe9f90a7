; SPDX-License-Identifier: GPL-2.0-only
;
; x86_64 BIOS calls: the entry, the way from long mode down to the shared
; real-mode code and back, and the return to the caller. The layers, as in
; a librm-style mode switch:
;
;   purgatory (64-bit, its own map)  arch_bios_call
;     -> compatibility mode in the area     rm_compat_down: paging off, EFER.LME off
;     -> flat 32-bit protected mode         rm_pm32_down  (realmode16.inc)
;     -> 16-bit protected, real mode, the interrupt, and back up to
;     -> flat 32-bit protected mode         rm_pm32_up_arch: CR3, EFER.LME, paging on
;     -> 64-bit code in the area            rm_lm64: purgatory's stack and return address
;   purgatory (64-bit)                      .back in arch_bios_call
;
; What each step changes is put back by the step that mirrors it, and the
; caller's own state (GDTR, IDTR, CR0, CR3, CR4, EFER, selectors, FS/GS
; bases, RFLAGS) by arch_bios_return from what the entry saved.

bits 64
default rel

%include "asm-offsets.inc"
%include "selectors.inc"
%include "cpu_state.inc"

extern kjump_params
extern kj_resume_selectors

; Offset of a blob label inside the area (the blob is copied to its start).
%define RM(label)	((label) - kj_rm_blob)


section .text

; void arch_bios_call(unsigned long area /*rdi*/): the area is filled in.
global arch_bios_call:function
arch_bios_call:
	push	rbx
	push	rbp
	push	r12
	push	r13
	push	r14
	push	r15
	mov	rax, cr3
	push	rax				; purgatory's map
	mov	rax, cr4
	push	rax				; the caller's CR4, which purgatory runs with
	sub	rsp, 32
	sgdt	[rsp]
	sidt	[rsp + 16]
	mov	[rdi + RMD_RETURN_SP], rsp
	lea	rax, [.back]
	mov	[rdi + RMD_RETURN_IP], rax
	; CR4 with only PAE (and LA57, which cannot change under paging):
	; PCIDE must be clear before paging goes off.
	mov	eax, [rdi + RMD_CR4_TRANSIT]
	mov	cr4, rax
	mov	eax, [rdi + RMD_ROOT]
	mov	cr3, rax			; the same map, its root below 1 MiB
	lgdt	[rdi + RMD_GDTR]
	lidt	[rdi + RMD_NMI_IDTR]		; an NMI handler for every mode from here
	lea	rax, [rdi + RM(rm_compat_down)]
	push	KJ_RM_SEL_CODE32
	push	rax
	o64 retf

.back:
	; 64-bit again, on the area's GDT and root copy; rsp is ours. The IDT
	; first: purgatory's gates name 0x10, which is 64-bit code in both GDTs.
	lidt	[rsp + 16]
	lgdt	[rsp]
	add	rsp, 32
	pop	rax
	mov	cr4, rax			; before CR3: PCIDE wants a CR3 with PCID 0
	pop	rax
	mov	cr3, rax
	LOAD_OWN_DATA_SELECTORS
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbp
	pop	rbx
	ret

; void arch_bios_return(const struct kjump_cpu *cpu /*rdi*/,
;                       const struct kj_caller_segs *segs /*rsi*/, long status /*rdx*/)
;
; Back to the caller as from an ordinary function: %rax = status, its
; callee-saved registers, %rsp above its return address, and all of its
; CPU state as the entry found it. The caller-saved registers are zeroed
; rather than left holding purgatory's values.
global arch_bios_return:function
arch_bios_return:
	; In an order that keeps every NMI deliverable (docs/bios.md, "NMIs";
	; tests/qemu/bios-nmi.t stops at each labelled step): the caller's
	; paging first, which maps purgatory where the caller called it, while
	; purgatory's IDT and GDT stay live; then its CS and SS through the
	; bridge GDT, as arch_resume does (purgatory/bridge_gdt.c); then its
	; IDT, whose gates name its CS, flat in the bridge table, and whose
	; handlers its paging maps; its GDT last.
	mov	r8, rdx				; status
	mov	rax, [rdi + CPU_CR4]
	mov	cr4, rax			; before CR3, as above
	mov	rax, [rdi + CPU_CR3]
	mov	cr3, rax
	mov	ecx, MSR_EFER
	mov	eax, [rdi + CPU_EFER]
	mov	edx, [rdi + CPU_EFER + 4]
	wrmsr
	mov	rax, [rdi + CPU_CR0]
	mov	cr0, rax
after_caller_paging:
	push	rdi
	push	rsi
	push	r8
	call	kj_resume_selectors		; eax = CS | SS << 16
	pop	r8
	pop	rsi
	pop	rdi
	LOAD_CS_SS_PACKED r10
after_caller_cs:
	lidt	[rdi + CPU_IDTR + DTR_LIMIT]
after_caller_idt:
	lgdt	[rdi + CPU_GDTR + DTR_LIMIT]
after_caller_gdt:
	; Data selectors from the caller's GDT, if real mode changed them
	; (purgatory/bios.c checked they load); loading FS and GS sets their
	; bases from it, so the saved MSR values go back afterwards.
	cmp	word [rsi + SEGS_RELOAD_DATA], 0
	je	.data_untouched
	mov	ds, [rsi + SEGS_DS]
	mov	es, [rsi + SEGS_ES]
	mov	fs, [rsi + SEGS_FS]
	mov	gs, [rsi + SEGS_GS]
	mov	ecx, MSR_FS_BASE
	mov	eax, [rsi + SEGS_FS_BASE]
	mov	edx, [rsi + SEGS_FS_BASE + 4]
	wrmsr
	mov	ecx, MSR_GS_BASE
	mov	eax, [rsi + SEGS_GS_BASE]
	mov	edx, [rsi + SEGS_GS_BASE + 4]
	wrmsr
.data_untouched:
	; CS, SS, RSP, RFLAGS and RIP come back together, by iretq, from a
	; frame on the caller's stack, [S-32, S+8) for its %rsp S (the slot of
	; its consumed return address and the four words below, which the
	; entry checks allow): purgatory's own stack is free for the next CPU
	; as soon as cpu_inside is clear.
	mov	rdx, [rdi + GPR(6)]		; S
	movzx	eax, word [rsi + SEGS_SS]
	mov	[rdx], rax
	lea	rax, [rdx + 8]			; past the return address, as ret would leave it
	mov	[rdx - 8], rax
	mov	rax, [rdi + CPU_FLAGS]
	mov	[rdx - 16], rax
	movzx	eax, word [rsi + SEGS_CS]
	mov	[rdx - 24], rax
	mov	rax, [rdi + CPU_REENTRY]
	mov	[rdx - 32], rax
	lea	rsp, [rdx - 32]
	LOAD_CALLEE_SAVED rdi
	mov	rax, r8
	xor	ecx, ecx
	xor	edx, edx
	xor	esi, esi
	xor	edi, edi
	xor	r8d, r8d
	xor	r9d, r9d
	xor	r10d, r10d
	xor	r11d, r11d
	mov	dword [kjump_params + PARAMS_CPU_INSIDE], 0	; the next CPU may come in
	iretq

; The blob copied to the area. Position-independent by construction: it
; refers to itself only through RM() differences and to its data through
; RMD_* offsets, both plain numbers.
section .rodata.realmode progbits alloc noexec nowrite align=16
global kj_rm_blob:data
global kj_rm_blob_end:data
kj_rm_blob:

bits 32
rm_compat_down:
	; Compatibility mode, CS = flat 32-bit code, edi = area.
	mov	eax, cr0
	and	eax, ~CR0_PG
	mov	cr0, eax			; paging off: long mode is no longer active
rm_compat_legacy:				; (legacy protected mode: tests/qemu/bios-nmi.t)
	mov	ecx, MSR_EFER
	rdmsr
	and	eax, ~EFER_LME
	wrmsr
	jmp	rm_pm32_down

%include "realmode16.inc"

bits 32
rm_pm32_up_arch:
	; Flat 32-bit protected mode, ebx = area: long mode again, with the
	; root copy (CR3 takes 32 bits here) and the CR4 of the way down.
	mov	eax, [ebx + RMD_CR4_TRANSIT]
	mov	cr4, eax
	mov	eax, [ebx + RMD_ROOT]
	mov	cr3, eax
	mov	ecx, MSR_EFER
	rdmsr
	or	eax, EFER_LME
	wrmsr
	mov	eax, cr0
	or	eax, CR0_PG
	mov	cr0, eax			; compatibility mode
	lea	eax, [ebx + RM(rm_lm64)]
	push	dword KJ_RM_SEL_CODE
	push	eax
	retf

bits 64
rm_lm64:
	mov	ebx, ebx			; the upper half is undefined after compatibility mode
	mov	rsp, [rbx + RMD_RETURN_SP]
	jmp	[rbx + RMD_RETURN_IP]

; The NMI table's 64-bit gate (purgatory/realmode.h), for compatibility
; and 64-bit mode on both ways; the count is RIP-relative to the blob's
; start, which is the area's.
global kj_rm_nmi64:function
kj_rm_nmi64:
	inc	dword [rel kj_rm_blob + RMD_NMIS]
	iretq

kj_rm_blob_end:
