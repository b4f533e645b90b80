// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Proof that the test guard holds (TAP output).  It first checks that the
 * kx-guard filter is installed on this process (by its canary) and refuses
 * to go further if not, so it never makes a real call on an unguarded host.  Then it calls
 * kexec_load, kexec_file_load and reboot, each with arguments the kernel
 * would reject anyway, and requires EPERM from the filter for each.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* kx-guard answers the obsolete lookup_dcookie (212) with ENOTUNIQ. */
static bool guard_present(void)
{
	errno = 0;
	return syscall(212, 0UL, NULL, 0UL) == -1 && errno == ENOTUNIQ;
}

static int expect_eperm(int n, const char *name, long rc, int err)
{
	if (rc == -1 && err == EPERM) {
		printf("ok %d - %s is refused with EPERM\n", n, name);
		return 0;
	}
	printf("not ok %d - %s returned %ld (%s), expected EPERM from the guard\n", n, name, rc,
	       rc == -1 ? strerror(err) : "success");
	return 1;
}

int main(int argc, char *argv[])
{
	int fails = 0;
	long rc;

	/* --check: only say whether the guard is in force (for other tests). */
	if (argc > 1 && strcmp(argv[1], "--check") == 0)
		return guard_present() ? 0 : 1;

	printf("1..5\n");
	if (!guard_present()) {
		printf("not ok 1 - the kx-guard seccomp filter is not installed on this process\n");
		printf("Bail out! refusing to call kexec_load/kexec_file_load/reboot unguarded\n");
		return 1;
	}
	printf("ok 1 - the kx-guard seccomp filter is installed\n");

	/* Undefined flag bits: the kernel itself would answer EINVAL. */
	errno = 0;
	rc = syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0x8000UL);
	fails += expect_eperm(2, "kexec_load", rc, errno);
	errno = 0;
	rc = syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, 0x80000000UL);
	fails += expect_eperm(3, "kexec_file_load", rc, errno);
	/* Wrong magic: the kernel itself would answer EINVAL. */
	errno = 0;
	rc = syscall(SYS_reboot, 0x1234UL, 0x5678UL, 0x45584543UL, NULL);
	fails += expect_eperm(4, "reboot", rc, errno);

	/* The i386 entry (int $0x80): kexec_load is 283 there. */
	{
		long ret = 283;

		__asm__ volatile("int $0x80" : "+a"(ret) : "b"(0), "c"(0), "d"(0), "S"(0x8000)
				 : "memory");
		if (ret == -ENOSYS)
			printf("ok 5 # skip no i386 system call entry (IA32 emulation off)\n");
		else
			fails += expect_eperm(5, "i386 kexec_load", ret < 0 ? -1 : ret,
					      ret < 0 ? (int)-ret : 0);
	}
	return fails ? 1 : 0;
}
