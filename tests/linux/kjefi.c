// SPDX-License-Identifier: GPL-2.0-only
/*
 * kjefi: call an EFI runtime service from user space, for the real-kernel
 * test under OVMF: both kernels must still reach the firmware's runtime
 * services after every jump.
 *
 *   kjefi time
 *
 * Calls GetTime through the kernel's efi_test driver (/dev/efi_test,
 * CONFIG_EFI_TEST) and prints "time YYYY-MM-DD HH:MM:SS status N".
 * Exit status 0 when the call returned EFI_SUCCESS with a plausible date,
 * 1 when it failed, 2 when the driver is missing. (GetVariable is tested
 * through efivarfs, the way users read variables.)
 *
 * The ioctl's layout is the efi_test driver's ABI
 * (drivers/firmware/efi/test/efi_test.h, not a uapi header): one packed
 * struct of three pointers, command _IOR('p', 0x03, that struct).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct efi_time {			/* EFI_TIME, UEFI spec 8.3 */
	uint16_t year;
	uint8_t month, day, hour, minute, second, pad1;
	uint32_t nanosecond;
	int16_t timezone;
	uint8_t daylight, pad2;
};

struct efi_time_cap {			/* EFI_TIME_CAPABILITIES */
	uint32_t resolution, accuracy;
	uint8_t sets_to_zero;
};

struct efi_test_gettime {
	struct efi_time *time;
	struct efi_time_cap *capabilities;
	unsigned long *status;
} __attribute__((packed));

#define KJ_EFI_RUNTIME_GET_TIME _IOR('p', 0x03, struct efi_test_gettime)

int main(int argc, char **argv)
{
	struct efi_time t;
	struct efi_time_cap cap;
	unsigned long status = ~0ul;
	struct efi_test_gettime req = { &t, &cap, &status };
	int fd;

	/* One write per line: the test's init sends stdout to /dev/kmsg, one record a write. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2 || strcmp(argv[1], "time")) {
		fprintf(stderr, "usage: kjefi time\n");
		return 2;
	}
	fd = open("/dev/efi_test", O_RDWR);
	if (fd < 0) {
		perror("kjefi: /dev/efi_test (CONFIG_EFI_TEST)");
		return 2;
	}
	memset(&t, 0, sizeof(t));
	memset(&cap, 0, sizeof(cap));
	if (ioctl(fd, KJ_EFI_RUNTIME_GET_TIME, &req)) {
		perror("kjefi: GetTime");
		return 1;
	}
	printf("time %04u-%02u-%02u %02u:%02u:%02u status %lu\n", t.year, t.month, t.day,
	       t.hour, t.minute, t.second, status);
	return status == 0 && t.year >= 2000 && t.month >= 1 && t.month <= 12 && t.day >= 1 &&
	       t.day <= 31 ? 0 : 1;
}
