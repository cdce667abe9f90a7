// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host driver for tests/memenc.t: arch/x86_64/memenc.c's decision, for
 * CPUID and MSR values as an Intel TD, an AMD SEV guest, an AMD host with
 * SME in use or merely allowed, and CPUs without either would report them.
 * Prints TAP.
 */
#include <stdio.h>
#include <string.h>
#include "../../arch/x86_64/memenc.h"

#define C_BIT	47
#define SME	1u
#define SEV	2u

static unsigned int n, failed;

/* want: 0 (not refused) or a word the reason must contain. */
static void check(const char *what, const struct kj_memenc_facts *f, const char *want)
{
	const char *got = kj_memenc_reason(f);
	int ok = want ? got && strstr(got, want) : !got;

	n++;
	failed += !ok;
	printf("%s %u - %s: %s\n", ok ? "ok" : "not ok", n, what,
	       got ? got : "not refused");
}

static struct kj_memenc_facts amd(uint32_t eax)
{
	struct kj_memenc_facts f = { .max_leaf = 0x10, .max_ext_leaf = 0x80000021u,
				     .amd_eax = eax, .amd_ebx = C_BIT };

	return f;
}

int main(void)
{
	struct kj_memenc_facts f;

	f = (struct kj_memenc_facts){ .max_leaf = 0xd, .max_ext_leaf = 0x80000008u };
	check("a CPU without leaf 0x8000001f (QEMU's qemu64)", &f, 0);
	f = amd(0);
	check("AMD leaf 0x8000001f with neither SME nor SEV", &f, 0);
	f = amd(SME);
	f.syscfg_ok = 1;
	f.syscfg = 1ull << 23;
	f.cr3 = 0x1000;
	check("SME allowed by SYSCFG, kernel without the C-bit in CR3", &f, 0);
	f.cr3 = 0x1000 | 1ull << C_BIT;
	check("SME allowed by SYSCFG, C-bit in the caller's CR3", &f, "SME");
	f.syscfg = 0;
	check("C-bit position set in CR3 but SYSCFG does not allow SME", &f, 0);
	f.syscfg_ok = 0;
	f.syscfg = 1ull << 23;
	check("SYSCFG unreadable (#GP under a hypervisor)", &f, 0);
	f = amd(SME | SEV);
	f.sev_status_ok = 1;
	f.sev_status = 1;
	check("SEV guest (SEV_STATUS bit 0)", &f, "SEV");
	f.sev_status = 0x6;	/* ES and SNP bits without bit 0: not a guest state Linux knows */
	check("SEV_STATUS without bit 0", &f, 0);
	f.sev_status_ok = 0;
	f.sev_status = 1;
	check("SEV_STATUS unreadable", &f, 0);
	f = amd(0);
	f.sev_status_ok = 1;
	f.sev_status = 1;
	check("SEV_STATUS bit 0 without the CPUID bits (not read by purgatory then)", &f, 0);
	f = amd(SME);
	f.amd_ebx = 0;
	f.syscfg_ok = 1;
	f.syscfg = 1ull << 23;
	f.cr3 = 1;
	check("SME with C-bit position 0 (no bit to test)", &f, 0);
	f = (struct kj_memenc_facts){ .max_leaf = 0x21, .tdx_ebx = 0x65746e49u,
				      .tdx_edx = 0x5844546cu, .tdx_ecx = 0x20202020u };
	check("Intel TD (leaf 0x21 \"IntelTDX    \")", &f, "TDX");
	f.max_leaf = 0x20;
	check("TDX signature above the highest leaf (stale values)", &f, 0);
	f.max_leaf = 0x21;
	f.tdx_ecx = 0;
	check("leaf 0x21 without the whole signature", &f, 0);
	printf("1..%u\n", n);
	return failed != 0;
}
