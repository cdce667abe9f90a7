// SPDX-License-Identifier: GPL-2.0-only
/*
 * kjflip: run a kexec command and corrupt one byte of what it loads.
 *
 *   kjflip KEXEC [ARGS...]
 *
 * kexec-tools computes the SHA-256 of the segments it loads and stores it
 * in purgatory; the point of the check is to catch segments that changed
 * afterwards. To make one change without modifying kexec-tools, kjflip
 * runs it under ptrace and, when it enters kexec_load(2), flips one bit in
 * the middle of the largest segment's buffer. The kernel then loads bytes
 * that no longer match the digest, and purgatory must refuse to start them.
 * Exit status: kexec's, or 3 if no kexec_load call was seen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

/* kexec_load(entry, nr_segments, segments, flags): the number and the
 * segments' argument registers at syscall entry. */
#if defined(__x86_64__)
#define SYSCALL_NR(r)	((r).orig_rax)
#define SYSCALL_ARG2(r)	((r).rsi)
#define SYSCALL_ARG3(r)	((r).rdx)
#elif defined(__i386__)
#define SYSCALL_NR(r)	((unsigned long)(r).orig_eax)
#define SYSCALL_ARG2(r)	((unsigned long)(r).ecx)
#define SYSCALL_ARG3(r)	((unsigned long)(r).edx)
#else
#error "kjflip knows the syscall registers of x86_64 and i386 only"
#endif

struct kexec_segment_user {	/* struct kexec_segment of <linux/kexec.h> */
	unsigned long buf, bufsz, mem, memsz;
};

static long peek(pid_t pid, unsigned long addr)
{
	errno = 0;
	return ptrace(PTRACE_PEEKDATA, pid, (void *)addr, NULL);
}

static int flip(pid_t pid, unsigned long nr, unsigned long segs)
{
	struct kexec_segment_user s, big = { 0 };
	unsigned long i, best = 0, addr, word;

	for (i = 0; i < nr; i++) {
		unsigned long *w = (unsigned long *)&s;

		for (unsigned int k = 0; k < 4; k++)
			w[k] = peek(pid, segs + i * sizeof(s) + k * sizeof(long));
		if (errno)
			return -1;
		if (s.buf && s.bufsz > big.bufsz) {
			big = s;
			best = i;
		}
	}
	if (!big.bufsz)
		return -1;
	addr = (big.buf + big.bufsz / 2) & ~(sizeof(long) - 1);
	word = peek(pid, addr);
	if (errno || ptrace(PTRACE_POKEDATA, pid, (void *)addr, (void *)(word ^ 1)))
		return -1;
	printf("kjflip: flipped bit 0 at offset 0x%lx of segment %lu (%lu bytes, loaded at 0x%lx)\n",
	       addr - big.buf, best, big.bufsz, big.mem);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	int status, in_call = 0, flipped = 0, pending = 0;
	pid_t pid;

	/* One write per line: the test's init sends stdout to /dev/kmsg, one record a write. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: kjflip KEXEC [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execv(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)PTRACE_O_TRACESYSGOOD);
	for (int sig = 0;; sig = 0) {
		ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)pending);
		pending = 0;
		if (waitpid(pid, &status, 0) < 0 || WIFEXITED(status) || WIFSIGNALED(status))
			break;
		sig = WSTOPSIG(status);
		if (sig == (SIGTRAP | 0x80)) {
			struct user_regs_struct r;

			/* Syscall stops alternate: entry, exit, entry, ... */
			in_call = !in_call;
			ptrace(PTRACE_GETREGS, pid, NULL, &r);
			if (in_call && SYSCALL_NR(r) == SYS_kexec_load && !flipped) {
				if (flip(pid, SYSCALL_ARG2(r), SYSCALL_ARG3(r))) {
					fprintf(stderr, "kjflip: could not corrupt a segment\n");
					kill(pid, SIGKILL);
					return 2;
				}
				flipped = 1;
			}
		} else if (sig != SIGTRAP) {
			pending = sig;	/* a real signal for kexec: deliver it */
		}
	}
	if (!flipped) {
		fprintf(stderr, "kjflip: no kexec_load call seen\n");
		return 3;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
