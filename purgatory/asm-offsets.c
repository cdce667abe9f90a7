// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compiled to assembly only, never linked. It turns C layouts into two
 * lists, so that assembly and the .ro exporter never restate an offset:
 *   "->NAME value"       become %define lines in asm-offsets.inc;
 *   "=>symbol off size"  are parameter-block fields that scripts/mkro.py
 *                        exports as ELF symbols under kexec-tools' names;
 *   "~>field off size"   is the whole parameter block, from which
 *                        scripts/kjimage.py renders the table in docs/abi.md.
 */
#include <stddef.h>
#include <kjump/params.h>
#include "desc.h"
#include "realmode.h"
#include "../arch/x86/cpu_bits.h"

#define DEFINE(sym, val) \
	__asm__ volatile("\n.ascii \"->" #sym " %c0\"" : : "i"(val))
#define EXPORT_FIELD(field)                                                 \
	__asm__ volatile("\n.ascii \"=>" #field " %c0 %c1\"" : :          \
			 "i"(offsetof(struct kjump_params, field)),        \
			 "i"(sizeof(((struct kjump_params *)0)->field)))

#define LAYOUT(field)                                                       \
	__asm__ volatile("\n.ascii \"~>" #field " %c0 %c1\"" : :          \
			 "i"(offsetof(struct kjump_params, field)),        \
			 "i"(sizeof(((struct kjump_params *)0)->field)))

_Static_assert(sizeof(struct kjump_header) == 56, "header layout is ABI");

/* Every field, in order: keep in step with include/kjump/params.h. */
void params_layout(void);
void params_layout(void)
{
	LAYOUT(magic); LAYOUT(abi_version); LAYOUT(size); LAYOUT(flags);
	LAYOUT(elfcorehdr); LAYOUT(elfcorehdr_size); LAYOUT(debug_exit_port); LAYOUT(bios_list);
#if defined(__x86_64__)
	LAYOUT(entry64_regs);
#endif
	LAYOUT(entry32_regs); LAYOUT(entry16_regs); LAYOUT(entry16_debug_regs);
	LAYOUT(sha256_regions); LAYOUT(sha256_digest);
	LAYOUT(skip_checks); LAYOUT(reset_vga); LAYOUT(console_vga);
	LAYOUT(console_serial); LAYOUT(panic_kernel); LAYOUT(serial_base);
	LAYOUT(serial_baud); LAYOUT(backup_start); LAYOUT(backup_src_start);
	LAYOUT(backup_src_size); LAYOUT(cmdline_end); LAYOUT(jump_back_entry);
	LAYOUT(running); LAYOUT(last_status); LAYOUT(transitions); LAYOUT(refused);
	LAYOUT(b_boots); LAYOUT(elfcorehdr_passed); LAYOUT(nmis); LAYOUT(bios_calls);
	LAYOUT(side_a); LAYOUT(side_b);
	LAYOUT(cpu_inside); LAYOUT(busy_refused); LAYOUT(busy_halted); LAYOUT(busy_reported);
	LAYOUT(restore_image); LAYOUT(restore_size); LAYOUT(restore_sha256); LAYOUT(restores);
	LAYOUT(b_lost);
	LAYOUT(side_a.cpu.gpr); LAYOUT(side_a.cpu.reentry); LAYOUT(side_a.cpu.flags);
	LAYOUT(side_a.entries);
}

void asm_offsets(void);
void asm_offsets(void)
{
	DEFINE(CPU_GPR, offsetof(struct kjump_cpu, gpr));
	DEFINE(CPU_REENTRY, offsetof(struct kjump_cpu, reentry));
	DEFINE(CPU_FLAGS, offsetof(struct kjump_cpu, flags));
	DEFINE(CPU_CR0, offsetof(struct kjump_cpu, cr0));
	DEFINE(CPU_CR3, offsetof(struct kjump_cpu, cr3));
	DEFINE(CPU_CR4, offsetof(struct kjump_cpu, cr4));
	DEFINE(CPU_EFER, offsetof(struct kjump_cpu, efer));
	DEFINE(CPU_GDTR, offsetof(struct kjump_cpu, gdtr));
	DEFINE(CPU_IDTR, offsetof(struct kjump_cpu, idtr));
	DEFINE(CPU_CS, offsetof(struct kjump_cpu, cs));
	DEFINE(CPU_SS, offsetof(struct kjump_cpu, ss));
	DEFINE(CPU_DS, offsetof(struct kjump_cpu, ds));
	DEFINE(CPU_ES, offsetof(struct kjump_cpu, es));
	DEFINE(CPU_FS, offsetof(struct kjump_cpu, fs));
	DEFINE(CPU_GS, offsetof(struct kjump_cpu, gs));
	DEFINE(DTR_LIMIT, offsetof(struct kjump_dtr, limit));
	DEFINE(PARAMS_NMIS, offsetof(struct kjump_params, nmis));
	DEFINE(PARAMS_CPU_INSIDE, offsetof(struct kjump_params, cpu_inside));
	DEFINE(PARAMS_BUSY_REFUSED, offsetof(struct kjump_params, busy_refused));
	DEFINE(PARAMS_BUSY_HALTED, offsetof(struct kjump_params, busy_halted));
	DEFINE(KJ_EBUSY, KJ_EBUSY);
	DEFINE(KJ_GDT_DATA, KJ_GDT_DATA);
	DEFINE(KJ_EXC_STUB_SIZE, KJ_EXC_STUB_SIZE);
	DEFINE(KJ_STACK_SIZE, KJ_STACK_SIZE);
#if defined(__x86_64__)
	DEFINE(KJ_GDT_CODE64, KJ_GDT_CODE64);
#define R64(r, R) DEFINE(R64_##R, offsetof(struct kjump_regs64, r))
	R64(rax, RAX); R64(rbx, RBX); R64(rcx, RCX); R64(rdx, RDX);
	R64(rsi, RSI); R64(rdi, RDI); R64(rsp, RSP); R64(rbp, RBP);
	R64(r8, R8); R64(r9, R9); R64(r10, R10); R64(r11, R11);
	R64(r12, R12); R64(r13, R13); R64(r14, R14); R64(r15, R15);
	R64(rip, RIP);
	EXPORT_FIELD(entry64_regs);
#else
	DEFINE(KJ_GDT_CODE, KJ_GDT_CODE);
#endif
#define R32(r, R) DEFINE(R32_##R, offsetof(struct kjump_regs32, r))
	R32(eax, EAX); R32(ebx, EBX); R32(ecx, ECX); R32(edx, EDX);
	R32(esi, ESI); R32(edi, EDI); R32(esp, ESP); R32(ebp, EBP);
	R32(eip, EIP);

	EXPORT_FIELD(entry32_regs);
	EXPORT_FIELD(entry16_regs);
	EXPORT_FIELD(entry16_debug_regs);
	EXPORT_FIELD(sha256_regions);
	EXPORT_FIELD(sha256_digest);
	EXPORT_FIELD(skip_checks);
	EXPORT_FIELD(reset_vga);
	EXPORT_FIELD(console_vga);
	EXPORT_FIELD(console_serial);
	EXPORT_FIELD(panic_kernel);
	EXPORT_FIELD(serial_base);
	EXPORT_FIELD(serial_baud);
	EXPORT_FIELD(backup_start);
	EXPORT_FIELD(backup_src_start);
	EXPORT_FIELD(backup_src_size);
	EXPORT_FIELD(cmdline_end);
	EXPORT_FIELD(jump_back_entry);
}

/* The BIOS call's low-memory area (purgatory/realmode.h): offsets from its start. */
#define RMD(sym, field) DEFINE(RMD_##sym, KJ_RM_DATA_OFF + offsetof(struct kj_rm_data, field))
void realmode_offsets(void);
void realmode_offsets(void)
{
	RMD(GDTR, gdtr); RMD(IVTR, ivtr); RMD(NMI_IDTR, nmi_idtr); RMD(NMIS, nmis); RMD(TARGET, target_ip); RMD(ROOT, root);
	RMD(CR4_TRANSIT, cr4_transit); RMD(RETURN_IP, return_ip); RMD(RETURN_SP, return_sp);
	RMD(JUMP, jump); RMD(JUMP_SS, jump_ss); RMD(JUMP_ESP, jump_esp); RMD(JUMP_EIP, jump_eip);
	DEFINE(KJ_RM_JUMP_REAL, KJ_RM_JUMP_REAL); DEFINE(KJ_RM_JUMP_PM32, KJ_RM_JUMP_PM32);
	RMD(IN_EAX, in.eax); RMD(IN_EBX, in.ebx); RMD(IN_ECX, in.ecx); RMD(IN_EDX, in.edx);
	RMD(IN_ESI, in.esi); RMD(IN_EDI, in.edi); RMD(IN_EBP, in.ebp);
	RMD(IN_DS, in.ds); RMD(IN_ES, in.es); RMD(IN_FS, in.fs); RMD(IN_GS, in.gs);
	RMD(IN_EFLAGS, in.eflags);
	RMD(OUT_EAX, out.eax); RMD(OUT_EBX, out.ebx); RMD(OUT_ECX, out.ecx); RMD(OUT_EDX, out.edx);
	RMD(OUT_ESI, out.esi); RMD(OUT_EDI, out.edi); RMD(OUT_EBP, out.ebp);
	RMD(OUT_DS, out.ds); RMD(OUT_ES, out.es); RMD(OUT_FS, out.fs); RMD(OUT_GS, out.gs);
	RMD(OUT_EFLAGS, out.eflags);
	DEFINE(KJ_RM_STACK_TOP, KJ_RM_STACK_TOP);
	DEFINE(MSR_EFER, MSR_EFER); DEFINE(MSR_FS_BASE, MSR_FS_BASE); DEFINE(MSR_GS_BASE, MSR_GS_BASE);
	DEFINE(EFER_LME, EFER_LME); DEFINE(EFER_LMA, EFER_LMA);
	DEFINE(CR0_PG, CR0_PG); DEFINE(CR4_PAE, CR4_PAE); DEFINE(CR4_LA57, CR4_LA57);
	DEFINE(KJ_RM_SEL_CODE32, KJ_RM_SEL_CODE32);
	DEFINE(KJ_RM_SEL_CODE, KJ_RM_SEL_CODE);
	DEFINE(KJ_RM_SEL_DATA, KJ_RM_SEL_DATA);
	DEFINE(KJ_RM_SEL_CODE16, KJ_RM_SEL_CODE16);
	DEFINE(KJ_RM_SEL_DATA16, KJ_RM_SEL_DATA16);
	DEFINE(KJ_RM_GDT_LIMIT, KJ_RM_GDT_ENTRIES * 8 - 1);
	DEFINE(SEGS_CS, offsetof(struct kj_caller_segs, cs));
	DEFINE(SEGS_SS, offsetof(struct kj_caller_segs, ss));
	DEFINE(SEGS_DS, offsetof(struct kj_caller_segs, ds));
	DEFINE(SEGS_ES, offsetof(struct kj_caller_segs, es));
	DEFINE(SEGS_FS, offsetof(struct kj_caller_segs, fs));
	DEFINE(SEGS_GS, offsetof(struct kj_caller_segs, gs));
	DEFINE(SEGS_RELOAD_DATA, offsetof(struct kj_caller_segs, reload_data));
	DEFINE(SEGS_FS_BASE, offsetof(struct kj_caller_segs, fs_base));
	DEFINE(SEGS_GS_BASE, offsetof(struct kj_caller_segs, gs_base));
}
