// SPDX-License-Identifier: GPL-2.0-only
/*
 * A's CPU note in the ELF core header B receives.
 *
 * The PT_NOTE entries of the header point at A's per-CPU crash-note
 * buffers, which A's kernel fills only when it panics. A kexec jump is not a
 * panic, so they are empty, and Linux's /proc/vmcore refuses a core without
 * a single note (6.1: "Zero PT_NOTE entries found", then "Kdump: vmcore not
 * initialized"). Purgatory holds A's registers from the moment A called it;
 * before B runs, it writes them as the NT_PRSTATUS note A would have written
 * had it crashed at that instant, into the first empty buffer (only when A
 * is to be resumed: never on a one-way boot, transition.c). The buffer's
 * previous bytes are kept here and put back before A is resumed, so A finds
 * its memory as it left it.
 *
 * The note is never written into purgatory or into memory the loader loaded
 * for B (sha256_regions): while B runs, those addresses hold B's pages, not
 * A's buffer.
 */
#include "kjump.h"
#include "../lib/string.h"

#define NT_PRSTATUS	1
#define NOTE_NAME	"CORE"
#define NOTE_NAMESZ	5		/* with its NUL */
#define NOTE_NAME_PAD	8		/* namesz rounded up to 4 */
#define NHDR_SIZE	12		/* n_namesz, n_descsz, n_type */

/*
 * struct elf_prstatus as Linux lays it out: pr_reg (user_regs_struct) at
 * PR_REG_OFF within a descriptor of PRSTATUS_SIZE bytes; the fields before
 * it (signal info, pids, times) mean nothing here and stay 0.
 */
#if defined(__x86_64__)
#define PRSTATUS_SIZE	336
#define PR_REG_OFF	112
enum { R_R15, R_R14, R_R13, R_R12, R_BP, R_BX, R_R11, R_R10, R_R9, R_R8, R_AX, R_CX,
       R_DX, R_SI, R_DI, R_ORIG_AX, R_IP, R_CS, R_FLAGS, R_SP, R_SS, R_NREGS = 27 };
#else
#define PRSTATUS_SIZE	144
#define PR_REG_OFF	72
enum { R_BX, R_CX, R_DX, R_SI, R_DI, R_BP, R_AX, R_DS, R_ES, R_FS, R_GS, R_ORIG_AX,
       R_IP, R_CS, R_FLAGS, R_SP, R_SS, R_NREGS = 17 };
#endif

/* Where each of purgatory's saved registers (kjump_cpu.gpr) goes in pr_reg. */
static const uint8_t pr_reg_slot[KJ_NGPR] = {
	[KJ_AX] = R_AX, [KJ_BX] = R_BX, [KJ_CX] = R_CX, [KJ_DX] = R_DX,
	[KJ_SI] = R_SI, [KJ_DI] = R_DI, [KJ_SP] = R_SP, [KJ_BP] = R_BP,
#if defined(__x86_64__)
	[KJ_R8] = R_R8, [KJ_R9] = R_R9, [KJ_R10] = R_R10, [KJ_R11] = R_R11,
	[KJ_R12] = R_R12, [KJ_R13] = R_R13, [KJ_R14] = R_R14, [KJ_R15] = R_R15,
#endif
};

/* One note, then the empty note header that ends the list, as Linux writes it. */
#define NOTE_BYTES	(NHDR_SIZE + NOTE_NAME_PAD + PRSTATUS_SIZE + NHDR_SIZE)

struct note_image {
	uint32_t namesz, descsz, type;
	char name[NOTE_NAME_PAD];
	uint8_t desc[PRSTATUS_SIZE];
	uint32_t end[3];
};
_Static_assert(sizeof(struct note_image) == NOTE_BYTES, "note layout");
_Static_assert(PR_REG_OFF + R_NREGS * sizeof(long) <= PRSTATUS_SIZE, "pr_reg fits");

/* The buffer written for the current A->B transition (addr 0: none). */
static uint64_t note_addr;
static uint8_t note_saved[NOTE_BYTES];
static unsigned int reported_missing;

static int inside_loaded_segments(uint64_t addr, uint64_t len)
{
	const struct kjump_params *p = &kjump_params;
	unsigned int i;

	for (i = 0; i < KJ_SHA256_REGIONS; i++) {
		const struct kjump_sha256_region *r = &p->sha256_regions[i];

		if (r->len && addr < r->start + r->len && addr + len > r->start)
			return 1;
	}
	return 0;
}

static int note_empty(uint64_t addr)
{
	return ((const uint32_t *)(uintptr_t)addr)[0] == 0;	/* n_namesz */
}

static uint64_t find_buffer(uint64_t hdr)
{
	uint64_t addr, size;
	unsigned int i;

	for (i = 0; kj_elfcore_note(hdr, i, &addr, &size); i++) {
		if (size < NOTE_BYTES || (addr & 3) || !kj_reachable(addr, NOTE_BYTES) ||
		    kj_overlaps_image(addr, NOTE_BYTES) || inside_loaded_segments(addr, NOTE_BYTES))
			continue;
		return addr;
	}
	return 0;
}

void kj_crash_note_write(uint64_t hdr, const struct kjump_cpu *a)
{
	uint64_t addr = find_buffer(hdr);
	struct note_image *n = (struct note_image *)(uintptr_t)addr;
	unsigned long *reg = (unsigned long *)(n->desc + PR_REG_OFF);
	unsigned int i;

	if (!addr) {
		if (reported_missing++)
			return;		/* said once; it is the same at every transition */
		kj_log("no empty CPU note buffer of %u bytes outside B's memory in the ELF core "
		       "header; B's core has no registers of A", (unsigned int)NOTE_BYTES);
		return;
	}
	if (arch_map(addr, NOTE_BYTES) != KJ_OK) {
		kj_log("CPU note buffer 0x%llx cannot be mapped; not filled",
		       (unsigned long long)addr);
		return;
	}
	arch_map_commit();
	if (!note_empty(addr))
		return;		/* A's own note (it did crash): keep it */
	memcpy(note_saved, n, NOTE_BYTES);
	note_addr = addr;
	memset(n, 0, NOTE_BYTES);
	n->namesz = NOTE_NAMESZ;
	n->descsz = PRSTATUS_SIZE;
	n->type = NT_PRSTATUS;
	memcpy(n->name, NOTE_NAME, NOTE_NAMESZ);
	/*
	 * A as it will be when purgatory resumes it: at its re-entry address,
	 * with the stack the call's return pops. Segment selectors, orig_ax
	 * and the segment bases are not recorded and stay 0.
	 */
	for (i = 0; i < KJ_NGPR; i++)
		reg[pr_reg_slot[i]] = a->gpr[i];
	reg[R_SP] += sizeof(long);
	reg[R_IP] = a->reentry;
	reg[R_FLAGS] = a->flags;
}

void kj_crash_note_restore(void)
{
	if (!note_addr)
		return;
	if (arch_map(note_addr, NOTE_BYTES) == KJ_OK) {
		arch_map_commit();
		memcpy((void *)(uintptr_t)note_addr, note_saved, NOTE_BYTES);
	} else {
		kj_log("CPU note buffer 0x%llx cannot be mapped; A keeps purgatory's note in it",
		       (unsigned long long)note_addr);
	}
	note_addr = 0;
}
