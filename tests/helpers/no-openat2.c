// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * no-openat2 PROGRAM [ARG]...: run PROGRAM as on a kernel before Linux 5.6,
 * where openat2 answers ENOSYS.  It stacks the guard's own filter
 * (tests/guard/guard-filter.c) with openat2 answering ENOSYS, and kexec_load,
 * kexec_file_load and reboot EPERM as kx-guard does.  Not a test itself; the
 * CLI tests use it to show that a recorded tree is never read unconfined.
 */
#include "config.h"

#include "tests/guard/guard-filter.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int usage(FILE *out, const char *prog, int status)
{
	fprintf(out, "usage: %s PROGRAM [ARG]...\n"
		"Run PROGRAM with openat2 answering ENOSYS (a kernel before Linux 5.6).\n", prog);
	return status;
}

int main(int argc, char *argv[])
{
	static const struct guard_errnos answer = {
		.kexec = EPERM, .reboot = EPERM, .openat2 = ENOSYS,
	};
	int rc;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		return usage(stdout, argv[0], 0);
	if (argc < 2 || argv[1][0] == '-')
		return usage(stderr, argv[0], 2);
	rc = guard_install(&answer);
	if (rc < 0) {
		fprintf(stderr, "%s: cannot install the seccomp filter: %s\n", argv[0],
			strerror(-rc));
		return 1;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
