// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel A (x86_64) as an EFI application, for OVMF. It does with firmware
 * services only what the multiboot path gets from its loader: read the
 * command line (kjtest.cmdline next to the application), reserve the fixed
 * regions the test uses (B, the source pages, purgatory's load address),
 * then leaves boot services and becomes the same kernel A: its own identity
 * map of 8 GiB, its own GDT and IDT, its own stack, a_main().
 */
#include <efi.h>
#include <efilib.h>
#include "../common/testbed.h"

void a_main(void);
void cpu_setup(void);
const char *boot_cmdline(void);

static char cmdline[512];
static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[8][512] __attribute__((aligned(4096)));
static unsigned char a_stack[65536] __attribute__((aligned(16)));

const char *boot_cmdline(void)
{
	return cmdline;
}

static unsigned long cmdline_load(void)
{
	const char *s = cmdline;

	while (*s && !(s[0] == 'l' && s[1] == 'o' && s[2] == 'a' && s[3] == 'd' && s[4] == '='))
		s++;
	if (!*s)
		return 0x1000000;
	s += 7;		/* "load=0x" */
	{
		unsigned long n = 0;

		for (; *s && *s != ' '; s++)
			n = n * 16 + (unsigned long)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
		return n;
	}
}

static EFI_STATUS read_cmdline(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *li;
	EFI_FILE_HANDLE root, file;
	UINTN size = sizeof(cmdline) - 1;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st))
		return st;
	root = LibOpenRoot(li->DeviceHandle);
	if (!root)
		return EFI_NOT_FOUND;
	st = uefi_call_wrapper(root->Open, 5, root, &file, L"kjtest.cmdline", EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	st = uefi_call_wrapper(file->Read, 3, file, &size, cmdline);
	cmdline[EFI_ERROR(st) ? 0 : size] = 0;
	uefi_call_wrapper(file->Close, 1, file);
	return st;
}

static int reserve(const char *what, unsigned long base, unsigned long len)
{
	EFI_PHYSICAL_ADDRESS addr = base;
	EFI_STATUS st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress, EfiLoaderData,
					  (len + 4095) / 4096, &addr);

	if (EFI_ERROR(st)) {
		Print(L"not ok - cannot reserve %a at 0x%lx (+0x%lx): %r\n", what, base, len, st);
		return 0;
	}
	return 1;
}

static void leave_boot_services(EFI_HANDLE image)
{
	UINTN size = 0, key, desc_size;
	UINT32 desc_version;
	EFI_MEMORY_DESCRIPTOR *map = 0;
	EFI_STATUS st;

	for (;;) {
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, map, &key, &desc_size, &desc_version);
		if (st == EFI_BUFFER_TOO_SMALL) {
			size += 4 * desc_size;
			uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, size, (void **)&map);
			continue;
		}
		st = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
		if (!EFI_ERROR(st))
			return;
		/* The map changed under us (e.g. the pool allocation): try again. */
	}
}

static void become_kernel_a(void)
{
	unsigned int i, j;

	__asm__ volatile("cli");
	pml4[0] = (uint64_t)pdpt | 3;
	for (i = 0; i < 8; i++) {
		pdpt[i] = (uint64_t)pd[i] | 3;
		for (j = 0; j < 512; j++)
			pd[i][j] = ((uint64_t)(i * 512 + j) << 21) | 0x83;
	}
	__asm__ volatile("mov %0, %%cr3" : : "r"((uint64_t)pml4) : "memory");
	cpu_setup();
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "call a_main\n\t"
			 "ud2"
			 : : "r"(a_stack + sizeof(a_stack)) : "memory");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	unsigned long load;

	InitializeLib(image, systab);
	if (EFI_ERROR(read_cmdline(image))) {
		Print(L"not ok - cannot read kjtest.cmdline\n");
		return EFI_LOAD_ERROR;
	}
	load = cmdline_load();
	if (!reserve("kernel B", B_BASE, B_SIZE) ||
	    !reserve("source pages", SRC_BASE, SRC_B + B_SIZE - SRC_BASE) ||
	    !reserve("purgatory", load, PURG_MAX))
		qemu_exit(EXIT_SETUP);
	leave_boot_services(image);
	become_kernel_a();
	return EFI_SUCCESS;
}
