/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel A's loader half (loader.c): the state kexec-tools and Linux keep
 * for a preserve-context image, and the steps that set it up, shared with
 * the suite in kernel_a.c.
 */
#ifndef KJ_TEST_LOADER_H
#define KJ_TEST_LOADER_H

#include <kjump/abi.h>
#include "testbed.h"

#define SIDE_A 1

/* An address no purgatory can reach: past 2^47 on x86_64, across 4 GiB on i386. */
#if defined(__x86_64__)
#define UNREACHABLE_ADDR (1ull << 50)
#else
#define UNREACHABLE_ADDR 0xfffffff0ull
#endif

/* One byte over the longest range purgatory maps (KJ_MAP_RANGE_MAX, abi.md). */
#define HDR_SIZE_TOO_LONG ((2ul << 20) + 1)

/* Values purgatory must load from the register block when it boots B. */
#define BOOT_REG(i) (0xb0070000ul + (i) * 0x111ul)
#define B_BOOT_STACK (B_BASE + 0x3d000ul)

/* The command line: load=ADDR conv=61|614 rounds=N mode=... entry16= spread= */
struct a_config {
	unsigned long load;
	unsigned long conv;
	unsigned long rounds;
	char mode[32];
	unsigned long entry16;	/* purgatory's entry16, offset in the image; 0: unknown */
	unsigned long spread;	/* x86_64: run test_spread_map */
};
extern struct a_config cfg;
extern unsigned long image_size;	/* rounded up to a word */
extern struct kjump_header hdr;		/* copy of purgatory's header */
extern int verbose;

/* A's ELF core header: what B would read as /proc/vmcore. */
#if defined(__x86_64__)
struct core_hdr {
	struct {
		uint8_t ident[16];
		uint16_t type, machine;
		uint32_t version;
		uint64_t entry, phoff, shoff;
		uint32_t flags;
		uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
	} e;
	struct {
		uint32_t type, flags;
		uint64_t offset, vaddr, paddr, filesz, memsz, align;
	} ph[2];
};
#define CORE_CLASS 2
#define CORE_MACHINE 62
#else
struct core_hdr {
	struct {
		uint8_t ident[16];
		uint16_t type, machine;
		uint32_t version, entry, phoff, shoff, flags;
		uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
	} e;
	struct {
		uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
	} ph[2];
};
#define CORE_CLASS 1
#define CORE_MACHINE 3
#endif
extern struct core_hdr core_hdr;
/* What the PT_NOTE points at: empty, as a kernel that has not crashed leaves it. */
extern uint8_t crash_note[CRASH_NOTE_BYTES];
void build_core_hdr(void);
void corrupt_core_hdr(enum hdr_corruption how);

/* Purgatory's parameters and B's mailbox where they are while A runs (SRC). */
struct kjump_params *params_in_src(void);
struct b_mailbox *mailbox_in_src(void);
/* In before a jump, out after it, like Linux's swap_pages. */
void swap_image(void);
/* A's own data under the image: written once, checked after swaps. */
void fill_displaced(void);
void check_displaced(void);

void parse_cmdline(const char *s);
void set_boot_regs(struct kjump_params *p, unsigned long cmdline);
void set_boot_ip(struct kjump_params *p, unsigned long ip);
void set_boot_sp(struct kjump_params *p, unsigned long sp);
void set_digest(struct kjump_params *p, unsigned long bsize, unsigned long cmdline_len);
/* kexec-tools' other options (panic_kernel's backup, console_vga, reset_vga). */
extern uint8_t backup_src[4096], backup_dst[4096];
extern const uint8_t crtc_mode3[25];
void kexec_tools_extras_on(struct kjump_params *p);
/* Purgatory and B copied to their source pages, the parameters filled in. */
void stage(void);

#endif
