// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host driver for tests/unit.t: purgatory/resume_gdt.c, built for the
 * host with one arch's desc.h (-Iarch/i386 or -Iarch/x86_64), for every
 * CS and SS a caller can have below 0x110 (RPL and TI bits included).
 *
 * It replays a resume step by step as arch_resume performs it and checks,
 * at every step, what an NMI arriving there needs: the GDT loaded holds a
 * code descriptor at CS's index and at the index purgatory's IDT gates
 * name, and a data descriptor at SS's (or SS is null where that is
 * valid). It also checks that no entry of purgatory's loaded GDT changes,
 * that the caller gets its own selectors back whenever they can be
 * placed, and that the ones that cannot are refused with a log line.
 * Prints TAP.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../purgatory/kjump.h"
#include "../../purgatory/resume_gdt.h"

uint64_t kj_gdt[KJ_GDT_ENTRIES];
struct kj_idt_gate kj_idt[KJ_IDT_GATES];
static int logged;

void kj_log(const char *fmt, ...)
{
	(void)fmt;
	logged++;
}

void kj_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	printf("\nnot ok - kj_fatal called\n");
	exit(1);
}

void arch_load_cs_ss(unsigned int cs, unsigned int ss)
{
	(void)cs;
	(void)ss;
}

/* Purgatory's own GDT and IDT, as arch_load_tables leaves them. */
static void load_tables(void)
{
	unsigned int i;

	memset(kj_gdt, 0, sizeof(kj_gdt));
#ifdef KJ_GDT_CODE64
	kj_gdt[KJ_GDT_CODE32 >> 3] = KJ_DESC_CODE32;
#endif
	kj_gdt[KJ_GDT_OWN_CODE >> 3] = KJ_DESC_OWN_CODE;
	kj_gdt[KJ_GDT_DATA >> 3] = KJ_DESC_DATA;
	for (i = 0; i < KJ_IDT_GATES; i++)
		kj_idt[i].selector = KJ_GDT_OWN_CODE;
}

static const char *fault;

static void need(int ok, const char *what)
{
	if (!ok && !fault)
		fault = what;
}

static int is_code(const uint64_t *gdt, unsigned int sel)
{
	return sel >= 8 && (sel & 7) == 0 && (sel >> 3) < KJ_GDT_ENTRIES &&
	       gdt[sel >> 3] == KJ_DESC_OWN_CODE;
}

static int is_stack(const uint64_t *gdt, unsigned int sel)
{
	if (sel == 0)
		return KJ_NULL_SS_OK;
	return (sel & 7) == 0 && (sel >> 3) < KJ_GDT_ENTRIES && gdt[sel >> 3] == KJ_DESC_DATA;
}

/* What an NMI needs with gdt loaded, CS and SS as given. */
static void nmi_safe(const uint64_t *gdt, unsigned int cs, unsigned int ss, const char *step)
{
	unsigned int i;

	need(is_code(gdt, cs), step);
	need(is_stack(gdt, ss), step);
	for (i = 0; i < KJ_IDT_GATES; i++)
		need(is_code(gdt, kj_idt[i].selector), step);
}

static int placeable(unsigned int sel)
{
	return (sel & 7) == 0 && sel >= 8 && (sel >> 3) < KJ_GDT_ENTRIES;
}

int main(void)
{
	static const char *steps[] = {
		"0: purgatory's GDT, its own CS and SS",
		"1: bridge pair and gates written into purgatory's GDT",
		"2: CS and SS on the bridge pair",
		"3: resume GDT loaded",
		"4: the caller's CS and SS loaded",
	};
	unsigned int cs, ss, pairs = 0, refused = 0, failed = 0, t = 0;
	uint64_t before[KJ_GDT_ENTRIES], resume[KJ_GDT_ENTRIES];
	struct kj_resume_sels s;

	for (cs = 0; cs < 0x110; cs++)
		for (ss = 0; ss < 0x110; ss++) {
			int status, want_placed = placeable(cs) && (placeable(ss) || (ss == 0 && KJ_NULL_SS_OK)) &&
						  cs >> 3 != ss >> 3;

			load_tables();
			memcpy(before, kj_gdt, sizeof(before));
			fault = NULL;
			nmi_safe(kj_gdt, KJ_GDT_OWN_CODE, KJ_GDT_DATA, steps[0]);
			logged = 0;
			memset(resume, 0xa5, sizeof(resume));
			status = kj_resume_gdt(resume, cs, ss, &s);
			for (unsigned int i = 0; i < KJ_GDT_ENTRIES; i++)
				need(before[i] == 0 || kj_gdt[i] == before[i],
				     "1: an entry of purgatory's loaded GDT changed");
			nmi_safe(kj_gdt, KJ_GDT_OWN_CODE, KJ_GDT_DATA, steps[1]);
			nmi_safe(kj_gdt, s.bridge_cs, s.bridge_ss, steps[2]);
			nmi_safe(resume, s.bridge_cs, s.bridge_ss, steps[3]);
			nmi_safe(resume, s.cs, s.ss, steps[4]);
			if (want_placed) {
				need(status == 0 && !logged, "placeable selectors refused");
				need(s.cs == cs && s.ss == ss, "the caller's own selectors not given back");
			} else {
				need(status == -1 && logged == 1, "unplaceable selectors not refused with a log line");
				need(s.cs == KJ_GDT_OWN_CODE && s.ss == KJ_GDT_DATA,
				     "a refused caller not resumed on purgatory's own selectors");
				refused++;
			}
			pairs++;
			if (fault) {
				failed++;
				if (failed <= 5)
					printf("# CS 0x%x SS 0x%x: %s (bridge 0x%x/0x%x, given back 0x%x/0x%x)\n",
					       cs, ss, fault, s.bridge_cs, s.bridge_ss, s.cs, s.ss);
			}
		}
	printf("%s %u - %s: %u CS/SS pairs below 0x110 resumed with every step NMI-safe, "
	       "purgatory's GDT untouched, the caller's selectors back (%u refused as unplaceable)\n",
	       failed ? "not ok" : "ok", ++t, KJ_ARCH_NAME, pairs, refused);
	printf("1..%u\n", t);
	return failed != 0;
}
