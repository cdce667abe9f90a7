// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86_64 CPU state purgatory owns: its GDT and IDT, its CS and SS while it
 * runs, and the limits of what it can reach. The caller's GDTR and IDTR
 * were saved by entry.asm and are given back by arch_resume, and so are
 * its CS and SS selectors (see purgatory/bridge_gdt.c).
 */
#include "../../purgatory/kjump.h"
#include "../../lib/string.h"
#include "desc.h"
#include "../../purgatory/bridge_gdt.h"
#include "memenc.h"
#include "../x86/cpu_bits.h"
#include "../x86/cpuid.h"

/* Purgatory's own descriptors (purgatory/tables.c): 32- and 64-bit code, data. */
void arch_own_descriptors(uint64_t *gdt)
{
	gdt[KJ_GDT_CODE32 >> 3] = KJ_DESC_CODE32;
	gdt[KJ_GDT_CODE64 >> 3] = KJ_DESC_CODE64;
	gdt[KJ_GDT_DATA >> 3] = KJ_DESC_DATA;
}

struct kj_idt_gate arch_idt_gate(uintptr_t handler)
{
	return (struct kj_idt_gate){
		.offset_low = handler & 0xffff,
		.selector = KJ_GDT_CODE64,
		.type_attr = 0x8e,	/* present, DPL 0, interrupt gate */
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_high = (uint64_t)handler >> 32,
	};
}

/* CS by a far return to the next instruction, then SS (0 is valid at CPL 0). */
void arch_load_cs_ss(unsigned int cs, unsigned int ss)
{
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\tmovl %1, %%ss"
			 : : "r"((unsigned long)cs), "r"(ss) : "rax", "memory");
}

/*
 * The lower of the CPU's physical address width and what an identity map
 * can hold: virtual addresses are canonical only below 2^47 (2^56 with
 * 5-level paging), and an identity map needs virtual = physical.
 */
/* Their own functions so that idmap.c runs on the host too (tests/idmap.t). */
void arch_write_cr3(uint64_t cr3)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

uint64_t arch_read_cr3(void)
{
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	return cr3;
}

uint64_t arch_phys_limit(void)
{
	/*
	 * The CPU's physical-address width is asked of CPUID once: it is the
	 * same for purgatory's whole life (kept in the image, it survives
	 * the swaps). One limit for 4 levels, one for 5.
	 */
	static uint64_t limit[2];
	unsigned int la57 = (kj_incoming.cr4 & CR4_LA57) != 0;

	if (__builtin_expect(!limit[la57], 0)) {
		uint32_t eax, ebx, ecx, edx, bits = 36;	/* architectural minimum */
		uint32_t virt_bits = la57 ? 56 : 47;

		kj_cpuid(0x80000000u, 0, &eax, &ebx, &ecx, &edx);
		if (eax >= 0x80000008u) {
			kj_cpuid(0x80000008u, 0, &eax, &ebx, &ecx, &edx);
			bits = eax & 0xff;
		}
		limit[la57] = 1ull << (bits < virt_bits ? bits : virt_bits);
	}
	return limit[la57];
}

int arch_rdmsr_safe(uint32_t msr, uint64_t *value);

/* What kj_memenc_reason needs of the CPU (all but the caller's CR3). */
static void read_memenc_cpu(struct kj_memenc_facts *f)
{
	uint32_t unused;

	memset(f, 0, sizeof(*f));
	kj_cpuid(0, 0, &f->max_leaf, &unused, &unused, &unused);
	if (f->max_leaf >= KJ_CPUID_TDX)
		kj_cpuid(KJ_CPUID_TDX, 0, &unused, &f->tdx_ebx, &f->tdx_ecx, &f->tdx_edx);
	kj_cpuid(0x80000000u, 0, &f->max_ext_leaf, &unused, &unused, &unused);
	if (f->max_ext_leaf < KJ_CPUID_AMD_MEMENC)
		return;
	kj_cpuid(KJ_CPUID_AMD_MEMENC, 0, &f->amd_eax, &f->amd_ebx, &unused, &unused);
	if (!(f->amd_eax & 3))
		return;
	/* As Linux's sme_enable() reads them; a hypervisor may still refuse (#GP). */
	f->sev_status_ok = arch_rdmsr_safe(KJ_MSR_SEV_STATUS, &f->sev_status);
	f->syscfg_ok = arch_rdmsr_safe(KJ_MSR_SYSCFG, &f->syscfg);
}

/*
 * Read once, at the first entry: CPUID (a VM exit under a hypervisor) and
 * the MSRs do not change while purgatory lives, and every entry asks.
 */
static struct kj_memenc_facts memenc_cpu;
static int memenc_cpu_read;

static void memenc_facts(const struct kjump_cpu *caller, struct kj_memenc_facts *f)
{
	if (!memenc_cpu_read) {
		read_memenc_cpu(&memenc_cpu);
		memenc_cpu_read = 1;
	}
	*f = memenc_cpu;
	f->cr3 = caller->cr3;
}

/*
 * Executing these instructions means long mode with paging; what is left
 * to refuse is memory encryption, which purgatory's unencrypted page tables
 * cannot serve (memenc.c).
 */
int arch_check_paging(const struct kjump_cpu *caller)
{
	struct kj_memenc_facts f;
	const char *why;

	memenc_facts(caller, &f);
	why = kj_memenc_reason(&f);
	if (!why)
		return KJ_OK;
	kj_log("memory encryption in use: %s; purgatory's page tables carry no encryption bit",
	       why);
	return KJ_EPAGING;
}

int arch_compatible(const struct kjump_cpu *target)
{
	/* Switching between 4- and 5-level paging needs paging off: not here. */
	return (target->cr4 & CR4_LA57) == (kj_incoming.cr4 & CR4_LA57);
}

struct kj_exc_frame {
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

/* A switch, not a table of pointers: pointers in data would need relocation. */
static const char *exception_name(uint64_t vector)
{
	switch (vector) {
	case 0: return "#DE divide error";
	case 1: return "#DB debug";
	case 3: return "#BP breakpoint";
	case 4: return "#OF overflow";
	case 5: return "#BR bound range";
	case 6: return "#UD invalid opcode";
	case 7: return "#NM device not available";
	case 8: return "#DF double fault";
	case 10: return "#TS invalid TSS";
	case 11: return "#NP segment not present";
	case 12: return "#SS stack fault";
	case 13: return "#GP general protection";
	case 14: return "#PF page fault";
	case 16: return "#MF x87 error";
	case 17: return "#AC alignment check";
	case 18: return "#MC machine check";
	case 19: return "#XM SIMD error";
	case 21: return "#CP control protection";
	}
	return "reserved vector";
}

noreturn void kjump_exception(const struct kj_exc_frame *f);
noreturn void kjump_exception(const struct kj_exc_frame *f)
{
	unsigned long cr2;
	const char *name = exception_name(f->vector);

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	kj_fatal("CPU exception %llu (%s) inside purgatory: error 0x%llx rip 0x%llx "
		 "(image offset 0x%llx) rsp 0x%llx rflags 0x%llx cr2 0x%lx",
		 (unsigned long long)f->vector, name, (unsigned long long)f->error,
		 (unsigned long long)f->rip,
		 (unsigned long long)(f->rip - (uintptr_t)_image_start),
		 (unsigned long long)f->rsp, (unsigned long long)f->rflags, cr2);
}

int arch_probe(unsigned long addr, int write);

/*
 * Page by page, through arch_probe: a fault is caught by purgatory's own
 * IDT, loaded before anything is read, so a caller's tables that do not
 * map the range (or that are not themselves identity-mapped) give 0, not
 * a fatal page fault.
 */
int arch_accessible(uint64_t addr, uint64_t len, int write)
{
	uint64_t page, end;

	if (!len || !kj_reachable(addr, len))
		return 0;
	end = addr + len;
	for (page = addr; page < end; page = (page | 0xfff) + 1)
		if (!arch_probe((unsigned long)page, write))
			return 0;
	return 1;
}
