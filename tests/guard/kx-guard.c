// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kx-guard PROGRAM [ARG]...
 *
 * Run PROGRAM under a seccomp filter that makes kexec_load, kexec_file_load
 * and reboot fail with EPERM, for PROGRAM and every process it starts.  Every
 * test in make check runs under it, so no test can load or execute a kernel
 * on the build host.  The filter covers the x86_64 and x32 system call
 * tables and the i386 table reachable through int $0x80.
 */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define X32_SYSCALL_BIT		0x40000000u
/* arch/x86/entry/syscalls/syscall_64.tbl and syscall_32.tbl */
#define NR64_REBOOT		169u
#define NR64_KEXEC_LOAD		246u
#define NR64_KEXEC_FILE_LOAD	320u
#define NR32_REBOOT		88u
#define NR32_KEXEC_LOAD		283u

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define DENY_IF(nr, skip) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), (skip), 0)

/*
 * lookup_dcookie is an obsolete call nothing uses (the kernel answers ENOSYS);
 * the filter answers ENOTUNIQ instead, so a probe can tell that this filter,
 * not some other one, is installed before it tries anything.
 */
#define NR64_CANARY		212u
#define CANARY_ERRNO		ENOTUNIQ

static struct sock_filter filter[] = {
	/* 0 */ LOAD(arch),
	/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 7),
	/* x86_64 and x32: compare the number without the x32 bit */
	/* 2 */ LOAD(nr),
	/* 3 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~X32_SYSCALL_BIT),
	/* 4 */ DENY_IF(NR64_KEXEC_LOAD, 9),
	/* 5 */ DENY_IF(NR64_KEXEC_FILE_LOAD, 8),
	/* 6 */ DENY_IF(NR64_REBOOT, 7),
	/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR64_CANARY, 7, 0),
	/* 8 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	/* i386 */
	/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 3),
	/* 10 */ LOAD(nr),
	/* 11 */ DENY_IF(NR32_KEXEC_LOAD, 2),
	/* 12 */ DENY_IF(NR32_REBOOT, 1),
	/* 13 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	/* 14 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
	/* 15 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (CANARY_ERRNO & SECCOMP_RET_DATA)),
};

int main(int argc, char *argv[])
{
	struct sock_fprog prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = filter,
	};

	if (argc < 2) {
		fprintf(stderr, "usage: kx-guard PROGRAM [ARG]...\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		fprintf(stderr, "kx-guard: cannot install the seccomp filter: %s\n", strerror(errno));
		return 2;	/* never run a test unguarded */
	}
	setenv("KX_GUARD", "1", 1);
	execvp(argv[1], argv + 1);
	fprintf(stderr, "kx-guard: cannot run %s: %s\n", argv[1], strerror(errno));
	return 127;
}
