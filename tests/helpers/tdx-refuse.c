// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-tdx-refuse PROGRAM [ARG]...: run PROGRAM with kexec_load and
 * kexec_file_load answering EOPNOTSUPP, as Linux 6.18 does on a CPU with
 * the TDX partial-write erratum (machine_kexec_prepare()).  The calls stay
 * blocked: this filter is stacked on kx-guard's, and when two filters both
 * return an errno the newest filter's errno is the one reported
 * (Documentation/userspace-api/seccomp_filter.rst), so the kernel is never
 * reached.  Not a test itself; the CLI tests use it.
 */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

/* arch/x86/entry/syscalls/syscall_64.tbl */
#define NR64_KEXEC_LOAD		246u
#define NR64_KEXEC_FILE_LOAD	320u

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))

static struct sock_filter filter[] = {
	LOAD(arch),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	LOAD(nr),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR64_KEXEC_LOAD, 2, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR64_KEXEC_FILE_LOAD, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EOPNOTSUPP & SECCOMP_RET_DATA)),
};

int main(int argc, char *argv[])
{
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };

	if (argc < 2) {
		fprintf(stderr, "usage: %s PROGRAM [ARG]...\n", argv[0]);
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("seccomp");
		return 1;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
