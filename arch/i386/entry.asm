; SPDX-License-Identifier: GPL-2.0-only
;
; i386 entry and exit paths of purgatory: only what cannot be C.
;
; Entry: a kernel reaches purgatory by `call` in 32-bit protected mode with
; paging off (Linux's relocate_kernel_32), interrupts off, the word at
; 0(%esp) being where it wants to be resumed. i386 has no PC-relative data
; addressing, so each stub borrows 12 bytes below the caller's %esp: EFLAGS
; first (before any instruction can change them), then %ebx and a call/pop
; to find its own address. Purgatory has one copy of its state, so one CPU
; at a time may be inside: the stub then takes kjump_params.cpu_inside with
; `lock bts`, and a CPU that finds it taken touches nothing else of
; purgatory's (busy_refuse). The caller's registers then go to kj_incoming,
; and the three words are dead once the stub has run.
;
; Exit: arch_resume and arch_boot "call" the target by pushing a purgatory
; return label and jumping (push/ret): the target finds the label on top of
; its stack exactly as if purgatory code had executed `call`.

bits 32

%include "asm-offsets.inc"
%include "cpu_state.inc"
%include "selectors.inc"

extern _GLOBAL_OFFSET_TABLE_
extern kj_incoming
extern kjump_enter
extern kjump_params
extern kj_resume_selectors


%define IN(field)	ebx + (kj_incoming + field) wrt ..gotoff
%define GPR(n)		(CPU_GPR + (n) * 4)

section .text.entry progbits alloc exec nowrite align=16

; name, entry kind (enum kj_entry)
%macro ENTRY_STUB 2
global %1:function
%1:
	pushfd
	push	ebx
	call	%%here
%%here:
	pop	ebx
	add	ebx, _GLOBAL_OFFSET_TABLE_ + $$ - %%here wrt ..gotpc
	lock bts dword [ebx + (kjump_params + PARAMS_CPU_INSIDE) wrt ..gotoff], 0
	jc	%%busy
	mov	[IN(GPR(0))], eax
	mov	eax, %2
	jmp	common_entry
%%busy:
%if %2 == 4
	jmp	busy_halt		; B's ret left no re-entry word
%else
	lea	eax, [ebx + %1 wrt ..gotoff]	; where the caller finds itself called from
	jmp	busy_refuse
%endif
%endmacro

ENTRY_STUB purgatory_start, 1
ENTRY_STUB kjump_entry_from_a, 2
ENTRY_STUB kjump_entry_from_b, 3
ENTRY_STUB kjump_b_returned, 4
; A kernel's call of the BIOS-call service (purgatory/bios.c): an ordinary
; function call, so 0(%sp) is its return address.
ENTRY_STUB kjump_bios_call, 5

; ebx = GOT, eax = entry kind, 0(%esp) = the caller's %ebx, 4(%esp) its EFLAGS
common_entry:
	pop	dword [IN(GPR(1))]
	pop	dword [IN(CPU_FLAGS)]
	; Purgatory's own EFLAGS, at once, through the word pushfd used: IF, TF,
	; NT, AC, DF and the rest clear (only the reserved bit 1 set). A
	; caller's TF would single-step purgatory into its own 32-entry IDT, NT
	; would make an iret (an NMI's return) a task return, IF would take
	; the first interrupt through that IDT, and C code assumes DF=0. The
	; caller's come back at resume.
	push	dword 2
	popfd
	mov	[IN(GPR(2))], ecx
	mov	[IN(GPR(3))], edx
	mov	[IN(GPR(4))], esi
	mov	[IN(GPR(5))], edi
	mov	[IN(GPR(6))], esp
	mov	[IN(GPR(7))], ebp
	xor	ecx, ecx
	cmp	eax, 4			; B's ret consumed its return address
	je	.no_word
	mov	ecx, [esp]
.no_word:
	mov	[IN(CPU_REENTRY)], ecx
	lea	esp, [ebx + kjump_stack_end wrt ..gotoff]
	mov	ecx, cr0
	mov	[IN(CPU_CR0)], ecx
	mov	ecx, cr3
	mov	[IN(CPU_CR3)], ecx
	mov	ecx, cr4
	mov	[IN(CPU_CR4)], ecx
	sgdt	[IN(CPU_GDTR + DTR_LIMIT)]
	sidt	[IN(CPU_IDTR + DTR_LIMIT)]
	SAVE_SELECTORS
	push	eax
	call	kjump_enter		; does not return
	ud2

; Another CPU is inside purgatory: refuse this one as refuse() would, with
; KJ_EBUSY, touching nothing of purgatory's but the counter. eax = the
; stub's own address, ebx = GOT; 0(%esp) = the caller's %ebx, 4(%esp) its
; EFLAGS, 8(%esp) = S, its re-entry word. It resumes at that word with
; %esp = S - 4, the stub's address on top (so that calling it again
; retries) and KJ_EBUSY where the word was (its first C argument),
; %eax = KJ_EBUSY, %ecx = %edx = 0, every other register and its EFLAGS
; its own: what arch_resume gives a refused caller. It writes [S-16, S+4),
; inside what the entry checks allow. A 0 word (a one-way entry) has
; nothing to return to.
busy_refuse:
	mov	ecx, [esp + 8]			; re-entry word
	test	ecx, ecx
	jz	busy_halt
	lock inc dword [ebx + (kjump_params + PARAMS_BUSY_REFUSED) wrt ..gotoff]
	mov	edx, [esp + 4]			; its EFLAGS
	mov	[esp + 4], eax			; S-4: the stub
	mov	dword [esp + 8], KJ_EBUSY	; S: its first C argument
	mov	eax, [esp]			; its %ebx
	mov	[esp], ecx			; S-8: where the ret below goes
	push	edx				; S-12
	push	eax				; S-16
	mov	eax, KJ_EBUSY
	xor	ecx, ecx
	xor	edx, edx
	pop	ebx
	popfd
	ret

; Another CPU is inside and this one has nothing to be refused to
; (kjump_b_returned, or a one-way purgatory_start): counted, for the CPU
; inside to report, and halted with interrupts off. ebx = GOT.
busy_halt:
	lock inc dword [ebx + (kjump_params + PARAMS_BUSY_HALTED) wrt ..gotoff]
	jmp	arch_halt

; void arch_resume(const struct kjump_cpu *cpu, long status, unsigned long arg,
;                  unsigned long aux, unsigned long return_label, unsigned long cr3)
;
; The target resumes with: %esp = its saved %esp - 4, 0(%esp) = return_label,
; 4(%esp) = arg (its first C argument, where its re-entry word was),
; %eax = status, %edx = aux, its own %ebx %esi %edi %ebp and EFLAGS, its own
; GDTR and IDTR, its CS and SS selectors; %ecx is zero. cr3 is ignored:
; paging is off.
global arch_resume:function
arch_resume:
	mov	ebx, [esp + 4]			; cpu
	; Its CS and SS selectors first, through the bridge GDT
	; (purgatory/bridge_gdt.c says why); DS..GS purgatory never changed.
	push	ebx
	call	kj_resume_selectors		; eax = CS | SS << 16
	add	esp, 4
	LOAD_CS_SS_PACKED
	call	.got
.got:
	pop	edi
	add	edi, _GLOBAL_OFFSET_TABLE_ + $$ - .got wrt ..gotpc
	lea	edi, [edi + (kjump_params + PARAMS_CPU_INSIDE) wrt ..gotoff]
	mov	eax, [esp + 8]			; status
	mov	esi, [esp + 12]			; arg
	mov	edx, [esp + 16]			; aux
	mov	ecx, [esp + 20]			; return_label
	mov	esp, [ebx + GPR(6)]
	add	esp, 4				; as it was before its call
	push	esi
	push	ecx
	push	dword [ebx + CPU_REENTRY]	; consumed by the ret below
	push	dword [ebx + CPU_FLAGS]
	push	dword [ebx + GPR(1)]		; its %ebx, popped last
	mov	ecx, edi
	; Its descriptor tables come back last: with them loaded, a fault
	; would be the target's to handle, so only register moves follow.
	lgdt	[ebx + CPU_GDTR + DTR_LIMIT]
	lidt	[ebx + CPU_IDTR + DTR_LIMIT]
	mov	esi, [ebx + GPR(4)]
	mov	edi, [ebx + GPR(5)]
	mov	ebp, [ebx + GPR(7)]
	; Nothing of purgatory's is read from here on: the next CPU may come in.
	mov	dword [ecx], 0
	xor	ecx, ecx
	pop	ebx
	popfd
	ret

; void arch_boot(const struct kjump_regs32 *regs, unsigned long arg,
;                int pass_arg, unsigned long return_label, unsigned long cr3)
;
; Linux's 32-bit boot protocol: flat __BOOT_CS (0x10) and __BOOT_DS (0x18)
; loaded, interrupts off. With pass_arg, arg is pushed as B's first C
; argument below regs->esp.
global arch_boot:function
arch_boot:
	mov	ebx, [esp + 4]			; regs
	mov	esi, [esp + 8]			; arg
	mov	edi, [esp + 12]			; pass_arg
	mov	edx, [esp + 16]			; return_label
	mov	eax, KJ_GDT_DATA
	mov	ds, eax
	mov	es, eax
	mov	ss, eax
	mov	fs, eax
	mov	gs, eax
	call	.here
.here:
	pop	eax
	add	eax, .cs_loaded - .here
	push	KJ_GDT_CODE
	push	eax
	retf
.cs_loaded:
	call	.got
.got:
	pop	ecx
	add	ecx, _GLOBAL_OFFSET_TABLE_ + $$ - .got wrt ..gotpc
	mov	esp, [ebx + R32_ESP]
	test	edi, edi
	jz	.no_arg
	push	esi
.no_arg:
	push	edx				; a ret from B's entry lands here
	push	dword [ebx + R32_EIP]
	push	dword 2				; EFLAGS: only the reserved bit
	; The next CPU may come in: what is read below, B's boot registers,
	; only a booting CPU writes. (kexec-tools boots B on purgatory's own
	; stack_end: the words popped below are the one thing a CPU entering
	; right now could still overwrite.)
	mov	dword [ecx + (kjump_params + PARAMS_CPU_INSIDE) wrt ..gotoff], 0
	mov	eax, [ebx + R32_EAX]
	mov	ecx, [ebx + R32_ECX]
	mov	edx, [ebx + R32_EDX]
	mov	esi, [ebx + R32_ESI]
	mov	edi, [ebx + R32_EDI]
	mov	ebp, [ebx + R32_EBP]
	mov	ebx, [ebx + R32_EBX]
	popfd
	ret

%include "halt_stack.inc"
