// SPDX-License-Identifier: GPL-2.0-only
/*
 * kjexit: end the QEMU run on purpose, for the real-kernel test.
 *
 *   kjexit CODE
 *
 * Writes CODE (1-127) to QEMU's isa-debug-exit port (0xf4, as the test
 * configures it), so QEMU exits with status CODE * 2 + 1. A run that ends
 * in a reset or a triple fault exits with 0 under -no-reboot instead, so
 * the test can tell a planned end from a crash. Exits 1 if the port
 * cannot be reached (no ioperm) or QEMU did not stop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long code = argc == 2 ? strtol(argv[1], NULL, 0) : 0;

	if (code < 1 || code > 127) {
		fprintf(stderr, "usage: kjexit CODE (1-127)\n");
		return 2;
	}
	if (ioperm(0xf4, 4, 1)) {
		perror("kjexit: ioperm 0xf4");
		return 1;
	}
	outl((unsigned int)code, 0xf4);
	sleep(5);
	fprintf(stderr, "kjexit: QEMU is still running: no isa-debug-exit device at 0xf4?\n");
	return 1;
}
