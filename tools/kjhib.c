// SPDX-License-Identifier: GPL-2.0-only
/*
 * kjhib: kexec hibernation through kjump-purgatory (docs/hibernate.md).
 *
 *   kjhib save DIR   in B, after `makedumpfile -c -d 16 /proc/vmcore DIR/vmcore`:
 *                    saves purgatory's memory (A's recorded CPU state is in it)
 *                    and a record of the image to DIR/kjhib
 *   kjhib load DIR   in C, a fresh boot of the same kernel on the same machine:
 *                    checks the image, unpacks A's memory into a restore image,
 *                    and loads it with purgatory's saved memory (kexec_load, two
 *                    segments); `kexec -e` then resumes A through purgatory
 *
 * A refusal prints why, loads nothing, changes nothing on disk and exits 1.
 * A successful load marks the record as used (state 2), so that the image,
 * whose A has run on since, cannot be restored a second time.
 *
 * x86_64 only: the tool reads a 64-bit purgatory and makedumpfile's
 * kdump-compressed format (zlib, -c, or uncompressed) as written on x86_64.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <kjump/abi.h>
#include <kjump/params.h>
#include <kjump/restore.h>
#include "../lib/sha256.h"

#define PAGE		4096ull
#define RECORD_MAGIC	"KJHIBER1"
#define RECORD_VERSION	1u
#define STATE_SAVED	1u
#define STATE_USED	2u
#define MAX_PURGATORY	(4u << 20)

/* DIR/kjhib: this record, then purgatory's memory (purgatory_size bytes). */
struct record {
	char magic[8];
	uint32_t version;
	uint32_t state;			/* STATE_*; not covered by record_sha256 */
	uint64_t used_at;		/* time of the load that used it; not covered */
	uint64_t saved_at;
	uint64_t purgatory_base;	/* physical */
	uint64_t purgatory_size;
	uint64_t entry_start;		/* purgatory_start, physical */
	uint64_t params_offset;		/* struct kjump_params in purgatory's memory */
	uint64_t vmcore_size;
	uint64_t max_pfn;		/* A's max_mapnr, from the dump */
	uint8_t vmcore_sha256[32];
	uint8_t purgatory_sha256[32];
	char release[65];		/* A's OSRELEASE, from the dump's VMCOREINFO */
	char build_id[65];		/* A's BUILD-ID (hex), or "" */
	uint8_t pad[6];
	uint8_t record_sha256[32];	/* of the record with state, used_at and this zeroed */
};

static const char *dir;

static void __attribute__((noreturn, format(printf, 1, 2))) refuse(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kjhib: refused: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; nothing loaded, the image on disk is unchanged\n");
	exit(1);
}

static void sha256(const void *data, size_t len, uint8_t out[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}

static void hex(const uint8_t *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void record_digest(const struct record *r, uint8_t out[32])
{
	struct record c = *r;

	c.state = 0;
	c.used_at = 0;
	memset(c.record_sha256, 0, sizeof(c.record_sha256));
	sha256(&c, sizeof(c), out);
}

/* Whether r is a record of this version whose own SHA-256 matches. */
static int record_valid(const struct record *r)
{
	uint8_t digest[32];

	record_digest(r, digest);
	return !memcmp(r->magic, RECORD_MAGIC, 8) && r->version == RECORD_VERSION &&
	       !memcmp(digest, r->record_sha256, 32);
}

static char *path(const char *name)
{
	static char buf[2][4096];
	static int i;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* A whole file into memory; size in *len. NULL with errno set if it cannot be read. */
static uint8_t *slurp(const char *file, size_t *len)
{
	int fd = open(file, O_RDONLY);
	struct stat st;
	uint8_t *buf;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !(buf = malloc(st.st_size ? st.st_size : 1))) {
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n <= 0) {
			free(buf);
			close(fd);
			errno = n ? errno : EIO;
			return NULL;
		}
		got += n;
	}
	close(fd);
	*len = got;
	return buf;
}

/* --- makedumpfile's kdump-compressed format (its IMPLEMENTATION file) --- */

struct disk_dump_header {
	char signature[8];		/* "KDUMP   " */
	int32_t header_version;
	char utsname[390];
	uint8_t pad[2];
	int64_t timestamp[2];
	uint32_t status;
	int32_t block_size;
	int32_t sub_hdr_size;		/* blocks */
	uint32_t bitmap_blocks;
	uint32_t max_mapnr;
	uint32_t total_ram_blocks;
	uint32_t device_blocks;
	uint32_t written_blocks;
	uint32_t current_cpu;
	int32_t nr_cpus;
};

struct kdump_sub_header {
	uint64_t phys_base;
	int32_t dump_level;
	int32_t split;
	uint64_t start_pfn, end_pfn;
	int64_t offset_vmcoreinfo;
	uint64_t size_vmcoreinfo;
	int64_t offset_note;
	uint64_t size_note;
	int64_t offset_eraseinfo;
	uint64_t size_eraseinfo;
	uint64_t start_pfn_64, end_pfn_64, max_mapnr_64;
};

struct page_desc {
	int64_t offset;
	uint32_t size;
	uint32_t flags;
	uint64_t page_flags;
};

#define DUMP_ZLIB	0x1u
#define DUMP_INCOMPLETE	0x8u	/* disk_dump_header.status: makedumpfile ran out of space */
/*
 * The dump levels a hibernation image may have: zero pages (1: kept as a
 * shared zero page, which unpack() writes as zeros) and free pages (16).
 * Any other level leaves out pages A is using, and A would resume with
 * whatever C left in them.
 */
#define LEVELS_ALLOWED	(1 | 16)

struct dump {
	const uint8_t *buf;
	size_t len;
	const struct disk_dump_header *h;
	struct kdump_sub_header sub;
	uint64_t max_mapnr;
	const uint8_t *bitmap2;		/* dumpable pages */
	uint64_t descs;			/* file offset of the first page_desc */
};

/* The dump's layout, checked against its length; NULL and a reason if it is not one. */
static const char *open_dump(struct dump *d, const uint8_t *buf, size_t len)
{
	uint64_t bs, bitmap_off, bitmap_len;

	memset(d, 0, sizeof(*d));
	d->buf = buf;
	d->len = len;
	if (len < sizeof(*d->h) || memcmp(buf, "KDUMP   ", 8))
		return "not a kdump-compressed dump (makedumpfile -c or without -E)";
	d->h = (const void *)buf;
	bs = (uint64_t)d->h->block_size;
	if (bs != PAGE || d->h->header_version < 6 || d->h->sub_hdr_size < 1)
		return "a dump of another page size or an old header version";
	if (len < 2 * bs)
		return "shorter than its headers";
	memcpy(&d->sub, buf + bs, sizeof(d->sub));
	d->max_mapnr = d->sub.max_mapnr_64;
	bitmap_off = (1 + (uint64_t)d->h->sub_hdr_size) * bs;
	bitmap_len = (uint64_t)d->h->bitmap_blocks * bs;
	/* Each of the two bitmaps has bitmap_len / 2 bytes, 8 pages a byte. */
	if (!d->max_mapnr || d->max_mapnr > bitmap_len * 4 || bitmap_off > len ||
	    bitmap_len > len - bitmap_off)
		return "its bitmaps do not fit the dump";
	if (d->h->status & DUMP_INCOMPLETE)
		return "makedumpfile could not finish it (status: incomplete)";
	if (d->sub.split || d->sub.size_eraseinfo)
		return "it is split into several files, or has parts erased";
	if (d->sub.dump_level & ~LEVELS_ALLOWED)
		return "its dump level leaves out pages A is using: only zero and free pages "
		       "(-d 16, or -d 17) may be left out of a hibernation image";
	d->bitmap2 = buf + bitmap_off + bitmap_len / 2;
	d->descs = bitmap_off + bitmap_len;
	return NULL;
}

/* The value of KEY= in the dump's VMCOREINFO, or "". */
static void vmcoreinfo(const struct dump *d, const char *key, char *out, size_t outlen)
{
	uint64_t off = (uint64_t)d->sub.offset_vmcoreinfo, size = d->sub.size_vmcoreinfo;
	size_t klen = strlen(key);
	const char *p, *end;

	out[0] = 0;
	if (!size || off > d->len || size > d->len - off)
		return;
	p = (const char *)d->buf + off;
	end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n;

		if (!nl)
			nl = end;
		if ((size_t)(nl - p) > klen && !memcmp(p, key, klen) && p[klen] == '=') {
			n = nl - p - klen - 1;
			if (n >= outlen)
				n = outlen - 1;
			memcpy(out, p + klen + 1, n);
			out[n] = 0;
			return;
		}
		p = nl + 1;
	}
}

/* --- save (in B) --- */

static uint64_t cmdline_value(const char *key)
{
	char buf[4096], *p;
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		refuse("cannot read /proc/cmdline: %s", strerror(errno));
	fclose(f);
	for (p = strtok(buf, " \n"); p; p = strtok(NULL, " \n"))
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return strtoull(p + klen + 1, NULL, 0);
	return 0;
}

static int do_save(void)
{
	uint64_t entry = cmdline_value("kexec_jump_back_entry"), base = 0, page;
	struct kjump_header hdr;
	const struct kjump_params *params;
	struct record r;
	struct dump d;
	uint8_t *vmcore, *image;
	size_t vmcore_len;
	const char *why;
	int fd, i, out;

	if (!entry)
		refuse("no kexec_jump_back_entry= on this kernel's command line: this is not a B "
		       "started through purgatory");
	/*
	 * Through mmap: read() of /dev/mem stops at the end of B's own RAM
	 * (high_memory), and purgatory lies right above it in B's map.
	 * STRICT_DEVMEM lets the mapping through: B's map lists purgatory as
	 * ACPI data, not as RAM.
	 */
	fd = open("/dev/mem", O_RDONLY | O_SYNC);
	if (fd < 0)
		refuse("/dev/mem: %s (purgatory's memory is read through it)", strerror(errno));
	/* Purgatory's header: at a page boundary at most 1 MiB below its entry for B. */
	for (i = 0, page = entry & ~(PAGE - 1); i < 256 && page >= PAGE; i++, page -= PAGE) {
		void *m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, (off_t)page);

		if (m == MAP_FAILED)
			continue;
		memcpy(&hdr, m, sizeof(hdr));
		munmap(m, PAGE);
		if (!memcmp(hdr.magic, KJ_HEADER_MAGIC, 8) && page + hdr.entry_from_b == entry) {
			base = page;
			break;
		}
	}
	if (!base)
		refuse("no purgatory header within 1 MiB below kexec_jump_back_entry=0x%llx (or "
		       "/dev/mem would not map it)", (unsigned long long)entry);
	if (hdr.abi_version != KJ_ABI_VERSION || hdr.arch != KJ_ARCH_X86_64 ||
	    hdr.params_size != sizeof(struct kjump_params) || hdr.image_size > MAX_PURGATORY ||
	    hdr.params + hdr.params_size > hdr.image_size)
		refuse("purgatory at 0x%llx is of another ABI or arch (abi %u, arch %u, params %u "
		       "bytes; kjhib knows %u, %u, %zu)", (unsigned long long)base, hdr.abi_version,
		       hdr.arch, hdr.params_size, KJ_ABI_VERSION, KJ_ARCH_X86_64,
		       sizeof(struct kjump_params));
	image = malloc(hdr.image_size);
	{
		size_t maplen = (hdr.image_size + PAGE - 1) & ~(PAGE - 1);
		void *m = mmap(NULL, maplen, PROT_READ, MAP_SHARED, fd, (off_t)base);

		if (!image || m == MAP_FAILED)
			refuse("mapping purgatory's %u bytes at 0x%llx through /dev/mem: %s",
			       hdr.image_size, (unsigned long long)base, strerror(errno));
		memcpy(image, m, hdr.image_size);
		munmap(m, maplen);
	}
	close(fd);
	params = (const void *)(image + hdr.params);
	if (params->magic != KJ_PARAMS_MAGIC || params->running != KJ_SIDE_B ||
	    !params->side_a.cpu.reentry)
		refuse("purgatory at 0x%llx holds no suspended A (running %u, A's re-entry 0x%llx)",
		       (unsigned long long)base, params->running,
		       (unsigned long long)params->side_a.cpu.reentry);

	vmcore = slurp(path("vmcore"), &vmcore_len);
	if (!vmcore)
		refuse("%s: %s (write it first: makedumpfile -c -d 16 /proc/vmcore %s)",
		       path("vmcore"), strerror(errno), path("vmcore"));
	if ((why = open_dump(&d, vmcore, vmcore_len)))
		refuse("%s: %s", path("vmcore"), why);

	memset(&r, 0, sizeof(r));
	memcpy(r.magic, RECORD_MAGIC, 8);
	r.version = RECORD_VERSION;
	r.state = STATE_SAVED;
	r.saved_at = (uint64_t)time(NULL);
	r.purgatory_base = base;
	r.purgatory_size = hdr.image_size;
	r.entry_start = base + hdr.entry_start;
	r.params_offset = hdr.params;
	r.vmcore_size = vmcore_len;
	r.max_pfn = d.max_mapnr;
	sha256(vmcore, vmcore_len, r.vmcore_sha256);
	sha256(image, hdr.image_size, r.purgatory_sha256);
	vmcoreinfo(&d, "OSRELEASE", r.release, sizeof(r.release));
	vmcoreinfo(&d, "BUILD-ID", r.build_id, sizeof(r.build_id));
	if (!r.release[0])
		refuse("%s has no VMCOREINFO (OSRELEASE): the kernel build cannot be checked at "
		       "restore", path("vmcore"));
	record_digest(&r, r.record_sha256);

	out = open(path("kjhib.new"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out < 0 || write(out, &r, sizeof(r)) != sizeof(r) ||
	    write(out, image, hdr.image_size) != (ssize_t)hdr.image_size || fsync(out) ||
	    close(out) || rename(path("kjhib.new"), path("kjhib")))
		refuse("writing %s: %s", path("kjhib"), strerror(errno));
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	{
		char h[65];

		hex(r.vmcore_sha256, 32, h);
		printf("kjhib: saved: purgatory 0x%llx (%llu bytes, A's re-entry 0x%llx), A's "
		       "memory %s (%llu bytes, sha256 %s), kernel %s, build id %s, max pfn 0x%llx\n",
		       (unsigned long long)base, (unsigned long long)r.purgatory_size,
		       (unsigned long long)params->side_a.cpu.reentry, path("vmcore"),
		       (unsigned long long)vmcore_len, h, r.release,
		       r.build_id[0] ? r.build_id : "(none)", (unsigned long long)r.max_pfn);
	}
	return 0;
}

/* --- load (in C) --- */

struct range {
	uint64_t start, end;		/* [start, end) */
};

/* This machine's System RAM, from /proc/iomem (top level only). */
static size_t system_ram(struct range *out, size_t max)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	size_t n = 0;

	if (!f)
		refuse("/proc/iomem: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;

		if (line[0] == ' ' || !strstr(line, ": System RAM"))
			continue;
		if (sscanf(line, "%llx-%llx", &s, &e) == 2 && n < max) {
			out[n].start = s;
			out[n].end = e + 1;
			n++;
		}
	}
	fclose(f);
	if (!n)
		refuse("no System RAM in /proc/iomem (run as root)");
	return n;
}

/* This kernel's GNU build id, from /sys/kernel/notes, as hex; "" if none. */
static void own_build_id(char *out, size_t outlen)
{
	size_t len, off = 0;
	uint8_t *notes = slurp("/sys/kernel/notes", &len);

	out[0] = 0;
	if (!notes)
		return;
	while (off + 12 <= len) {
		uint32_t namesz, descsz, type;

		memcpy(&namesz, notes + off, 4);
		memcpy(&descsz, notes + off + 4, 4);
		memcpy(&type, notes + off + 8, 4);
		off += 12;
		if (off + ((namesz + 3) & ~3u) + descsz > len)
			break;
		if (type == 3 && namesz == 4 && !memcmp(notes + off, "GNU", 4) &&
		    2 * descsz < outlen) {
			hex(notes + off + 4, descsz, out);
			break;
		}
		off += ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
	}
	free(notes);
}

struct image {
	struct kjump_restore_run *runs;
	size_t nruns, runs_cap;
	uint8_t *data;
	size_t data_len, data_cap;
	uint64_t bytes;
};

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	while (*cap < need)
		*cap = *cap ? *cap * 2 : 4096;
	p = realloc(p, *cap * elem);
	if (!p)
		refuse("out of memory building the restore image");
	return p;
}

/* Append [dst, dst + len) of one page: zeros (data NULL) or the bytes at data. */
static void add_piece(struct image *im, uint64_t dst, uint64_t len, const uint8_t *data)
{
	struct kjump_restore_run *last = im->nruns ? &im->runs[im->nruns - 1] : NULL;
	uint64_t flags = data ? 0 : KJ_RUN_ZERO;

	im->bytes += len;
	if (data) {
		im->data = grow(im->data, &im->data_cap, im->data_len + len, 1);
		memcpy(im->data + im->data_len, data, len);
	}
	if (last && last->flags == flags && last->dst + last->len == dst &&
	    (!data || last->src + last->len == im->data_len)) {
		last->len += len;
	} else {
		im->runs = grow(im->runs, &im->runs_cap, im->nruns + 1, sizeof(*im->runs));
		im->runs[im->nruns++] = (struct kjump_restore_run){
			.dst = dst, .len = len, .src = data ? im->data_len : 0, .flags = flags };
	}
	if (data)
		im->data_len += len;
}

static int all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Every page the dump holds, clipped to this machine's RAM, into im. */
static void unpack(const struct dump *d, const struct range *ram, size_t nram, struct image *im)
{
	uint64_t pfn, desc_at = d->descs;
	uint8_t page[PAGE];
	size_t i;

	for (pfn = 0; pfn < d->max_mapnr; pfn++) {
		struct page_desc pd;
		uint64_t pa = pfn * PAGE, covered = 0;

		if (!(d->bitmap2[pfn / 8] & (1u << (pfn % 8))))
			continue;
		if (desc_at + sizeof(pd) > d->len)
			refuse("the dump's page descriptors end early (pfn 0x%llx)",
			       (unsigned long long)pfn);
		memcpy(&pd, d->buf + desc_at, sizeof(pd));
		desc_at += sizeof(pd);
		if (pd.offset < 0 || (uint64_t)pd.offset > d->len || pd.size > d->len - pd.offset)
			refuse("page 0x%llx's data lies outside the dump", (unsigned long long)pfn);
		if (pd.flags & DUMP_ZLIB) {
			uLongf out = PAGE;

			if (uncompress(page, &out, d->buf + pd.offset, pd.size) != Z_OK || out != PAGE)
				refuse("page 0x%llx does not decompress", (unsigned long long)pfn);
		} else if (!pd.flags && pd.size == PAGE) {
			memcpy(page, d->buf + pd.offset, PAGE);
		} else {
			refuse("page 0x%llx is compressed with flags 0x%x: kjhib reads zlib "
			       "(makedumpfile -c) or uncompressed dumps", (unsigned long long)pfn,
			       pd.flags);
		}
		for (i = 0; i < nram; i++) {
			uint64_t s = pa > ram[i].start ? pa : ram[i].start;
			uint64_t e = pa + PAGE < ram[i].end ? pa + PAGE : ram[i].end;

			if (s >= e)
				continue;
			add_piece(im, s, e - s, all_zero(page + (s - pa), e - s) ? NULL : page + (s - pa));
			covered += e - s;
		}
		if (!covered)
			refuse("the image holds page 0x%llx, which is not RAM on this machine",
			       (unsigned long long)pfn);
	}
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * Where the restore image can go: page-aligned, in this machine's RAM above
 * 1 MiB, clear of every run (memory A needs), of purgatory and of the
 * low-memory backup area. The runs are sorted, so a gap between them is
 * memory A does not need: free in A, or B's window.
 */
static uint64_t place(const struct image *im, const struct range *ram, size_t nram,
		      uint64_t size, const struct record *r, const struct kjump_params *p)
{
	size_t i, k;

	for (i = 0; i < nram; i++) {
		uint64_t at = (ram[i].start + PAGE - 1) & ~(PAGE - 1);

		if (at < (1u << 20))
			at = 1u << 20;
		while (at + size <= ram[i].end) {
			uint64_t next = 0;

			if (overlaps(at, size, r->purgatory_base, r->purgatory_size))
				next = r->purgatory_base + r->purgatory_size;
			if (p->backup_src_size && overlaps(at, size, p->backup_start, p->backup_src_size))
				next = p->backup_start + p->backup_src_size;
			for (k = 0; !next && k < im->nruns; k++)
				if (overlaps(at, size, im->runs[k].dst, im->runs[k].len))
					next = im->runs[k].dst + im->runs[k].len;
			if (!next)
				return at;
			at = (next + PAGE - 1) & ~(PAGE - 1);
		}
	}
	return 0;
}

/* The record's first bytes on disk, flushed. */
static int write_record(const struct record *r)
{
	int fd = open(path("kjhib"), O_WRONLY);

	if (fd < 0)
		return -1;
	if (pwrite(fd, r, sizeof(*r), 0) != sizeof(*r) || fsync(fd)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * kjhib unmark DIR: a used image made restorable again. Only for a restore
 * that stopped in purgatory, before A ran (its console says why): once A
 * has run, its image is stale.
 */
static int do_unmark(void)
{
	struct record r;
	int fd = open(path("kjhib"), O_RDONLY);

	if (fd < 0 || read(fd, &r, sizeof(r)) != sizeof(r))
		refuse("%s: %s", path("kjhib"), fd < 0 ? strerror(errno) : "too short");
	close(fd);
	if (!record_valid(&r))
		refuse("%s is not a kjhib record of version %u, or it is corrupted", path("kjhib"),
		       RECORD_VERSION);
	if (r.state != STATE_USED)
		refuse("%s is not marked used", path("kjhib"));
	r.state = STATE_SAVED;
	r.used_at = 0;
	if (write_record(&r))
		refuse("writing %s: %s", path("kjhib"), strerror(errno));
	printf("kjhib: %s may be restored again\n", path("kjhib"));
	return 0;
}

struct kexec_segment {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

static int do_load(void)
{
	struct record r;
	uint8_t *file, *vmcore, *purg, digest[32], *restore;
	size_t file_len, vmcore_len, nram, total, k;
	struct range ram[64];
	struct dump d;
	struct image im = { 0 };
	struct kjump_params *params;
	struct kjump_restore_header rh;
	struct kexec_segment seg[2];
	struct utsname u;
	char id[65], h[65];
	const char *why;
	uint64_t at, max_pfn = 0;

	file = slurp(path("kjhib"), &file_len);
	if (!file)
		refuse("no hibernation image: %s: %s", path("kjhib"), strerror(errno));
	if (file_len < sizeof(r))
		refuse("%s is truncated (%zu bytes, the record alone is %zu)", path("kjhib"),
		       file_len, sizeof(r));
	memcpy(&r, file, sizeof(r));
	if (!record_valid(&r))
		refuse("%s is not a kjhib record of version %u, or it is corrupted (its SHA-256 "
		       "does not match)", path("kjhib"), RECORD_VERSION);
	if (r.state == STATE_USED)
		refuse("this image was restored already (saved at %llu, marked used at %llu, in "
		       "seconds since 1970), and A has run since: its memory on disk is stale. "
		       "Hibernate A again", (unsigned long long)r.saved_at,
		       (unsigned long long)r.used_at);
	if (r.state != STATE_SAVED)
		refuse("%s has state %u", path("kjhib"), r.state);
	if (file_len != sizeof(r) + r.purgatory_size || r.purgatory_size > MAX_PURGATORY ||
	    r.purgatory_size < sizeof(struct kjump_params) ||
	    r.params_offset > r.purgatory_size - sizeof(struct kjump_params) ||
	    r.entry_start < r.purgatory_base || r.entry_start - r.purgatory_base >= r.purgatory_size)
		refuse("%s is truncated or too long (%zu bytes, %llu expected)", path("kjhib"),
		       file_len, (unsigned long long)(sizeof(r) + r.purgatory_size));
	purg = file + sizeof(r);
	sha256(purg, r.purgatory_size, digest);
	if (memcmp(digest, r.purgatory_sha256, 32))
		refuse("purgatory's saved memory in %s is corrupted (SHA-256 mismatch)", path("kjhib"));

	vmcore = slurp(path("vmcore"), &vmcore_len);
	if (!vmcore)
		refuse("A's memory image %s: %s", path("vmcore"), strerror(errno));
	if (vmcore_len != r.vmcore_size)
		refuse("%s is truncated or was changed: %zu bytes, %llu saved", path("vmcore"),
		       vmcore_len, (unsigned long long)r.vmcore_size);
	sha256(vmcore, vmcore_len, digest);
	if (memcmp(digest, r.vmcore_sha256, 32))
		refuse("%s is corrupted: its SHA-256 differs from the one saved", path("vmcore"));
	if ((why = open_dump(&d, vmcore, vmcore_len)))
		refuse("%s: %s", path("vmcore"), why);
	if (d.max_mapnr != r.max_pfn)
		refuse("%s ends at pfn 0x%llx, its record says 0x%llx", path("vmcore"),
		       (unsigned long long)d.max_mapnr, (unsigned long long)r.max_pfn);

	/* Same kernel build: A's kernel comes back, and C is the check that it fits here. */
	uname(&u);
	own_build_id(id, sizeof(id));
	if (strcmp(u.release, r.release) || (r.build_id[0] && strcmp(id, r.build_id)))
		refuse("the image is of kernel %s (build id %s); this kernel is %s (build id %s): "
		       "boot the kernel A ran", r.release, r.build_id[0] ? r.build_id : "(none)",
		       u.release, id[0] ? id : "(none)");
	/* Same memory: every page of A's must be RAM here, and the top the same. */
	nram = system_ram(ram, 64);
	for (k = 0; k < nram; k++)
		if (ram[k].end / PAGE > max_pfn)
			max_pfn = ram[k].end / PAGE;
	if (max_pfn != r.max_pfn)
		refuse("the image is of a machine whose memory ends at pfn 0x%llx (%llu MiB); "
		       "this one ends at 0x%llx (%llu MiB)", (unsigned long long)r.max_pfn,
		       (unsigned long long)(r.max_pfn >> 8), (unsigned long long)max_pfn,
		       (unsigned long long)(max_pfn >> 8));

	params = (void *)(purg + r.params_offset);
	if (params->magic != KJ_PARAMS_MAGIC || params->abi_version != KJ_ABI_VERSION ||
	    params->size != sizeof(*params) || params->running != KJ_SIDE_B ||
	    !params->side_a.cpu.reentry)
		refuse("purgatory's saved memory holds no suspended A of ABI %u", KJ_ABI_VERSION);

	unpack(&d, ram, nram, &im);
	/*
	 * What purgatory checks too, and would halt on after C is gone: A's
	 * memory over purgatory itself or over the low-memory backup area.
	 */
	for (k = 0; k < im.nruns; k++)
		if (overlaps(im.runs[k].dst, im.runs[k].len, r.purgatory_base, r.purgatory_size) ||
		    (params->backup_src_size && overlaps(im.runs[k].dst, im.runs[k].len,
							 params->backup_start, params->backup_src_size)))
			refuse("A's memory at 0x%llx (+0x%llx) lies over purgatory or its low-memory "
			       "backup area", (unsigned long long)im.runs[k].dst,
			       (unsigned long long)im.runs[k].len);
	total = sizeof(rh) + im.nruns * sizeof(*im.runs) + im.data_len;
	at = place(&im, ram, nram, total, &r, params);
	if (!at)
		refuse("no %zu MiB of RAM that A does not need is free for the restore image",
		       total >> 20);
	restore = malloc(total);
	if (!restore)
		refuse("out of memory for the restore image (%zu MiB)", total >> 20);
	rh = (struct kjump_restore_header){
		.magic = KJ_RESTORE_MAGIC, .version = KJ_RESTORE_VERSION, .header_size = sizeof(rh),
		.nruns = im.nruns, .data_offset = sizeof(rh) + im.nruns * sizeof(*im.runs),
		.total_size = total, .bytes = im.bytes };
	for (k = 0; k < im.nruns; k++)
		im.runs[k].src += rh.data_offset * !(im.runs[k].flags & KJ_RUN_ZERO);
	memcpy(restore, &rh, sizeof(rh));
	memcpy(restore + sizeof(rh), im.runs, im.nruns * sizeof(*im.runs));
	memcpy(restore + rh.data_offset, im.data, im.data_len);
	params->restore_image = at;
	params->restore_size = total;
	sha256(restore, total, params->restore_sha256);

	seg[0] = (struct kexec_segment){ purg, r.purgatory_size, (void *)(uintptr_t)r.purgatory_base,
					 (r.purgatory_size + PAGE - 1) & ~(PAGE - 1) };
	seg[1] = (struct kexec_segment){ restore, total, (void *)(uintptr_t)at,
					 (total + PAGE - 1) & ~(PAGE - 1) };
	if (at < r.purgatory_base) {
		struct kexec_segment t = seg[0];

		seg[0] = seg[1];
		seg[1] = t;
	}
	/*
	 * Marked used before it is loaded: once loaded, a kexec -e may follow
	 * at any moment, and A, resumed, moves on from the image. A load that
	 * fails puts the mark back.
	 */
	r.state = STATE_USED;
	r.used_at = (uint64_t)time(NULL);
	if (write_record(&r))
		refuse("marking %s as used: %s", path("kjhib"), strerror(errno));
	if (syscall(SYS_kexec_load, (unsigned long)r.entry_start, 2ul, seg, 0ul)) {
		int err = errno;

		r.state = STATE_SAVED;
		r.used_at = 0;
		if (write_record(&r))
			fprintf(stderr, "kjhib: the record stays marked used: %s\n", strerror(errno));
		refuse("kexec_load: %s", strerror(err));
	}
	hex(params->restore_sha256, 32, h);
	printf("kjhib: loaded: purgatory 0x%llx (%llu bytes, entry 0x%llx), restore image 0x%llx "
	       "(%zu bytes, %zu runs, %llu bytes of A's memory, sha256 %s), kernel %s; "
	       "image marked used; kexec -e resumes A\n",
	       (unsigned long long)r.purgatory_base, (unsigned long long)r.purgatory_size,
	       (unsigned long long)r.entry_start, (unsigned long long)at, total, im.nruns,
	       (unsigned long long)im.bytes, h, r.release);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "save")) {
		dir = argv[2];
		return do_save();
	}
	if (argc == 3 && !strcmp(argv[1], "load")) {
		dir = argv[2];
		return do_load();
	}
	if (argc == 3 && !strcmp(argv[1], "unmark")) {
		dir = argv[2];
		return do_unmark();
	}
	fprintf(stderr, "usage: kjhib save DIR     (in B, after makedumpfile -c -d 16 /proc/vmcore DIR/vmcore)\n"
			"       kjhib load DIR     (in C; then kexec -e)\n"
			"       kjhib unmark DIR   (a restore that stopped in purgatory, before A ran)\n");
	return 2;
}
