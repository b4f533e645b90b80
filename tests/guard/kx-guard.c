// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kx-guard PROGRAM [ARG]...
 *
 * Run PROGRAM under a seccomp filter that makes kexec_load, kexec_file_load
 * and reboot fail with EPERM, for PROGRAM and every process it starts.  Every
 * test in make check runs under it, so no test can load or execute a kernel
 * on the build host.  The filter (guard-filter.c) covers the x86_64 and x32
 * system call tables and the i386 table reachable through int $0x80.
 */
#include "config.h"

#include "tests/guard/guard-filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kx-guard PROGRAM [ARG]...\n"
		"       kx-guard -- PROGRAM [ARG]...\n"
		"Run PROGRAM with kexec_load, kexec_file_load and reboot answering EPERM\n"
		"(x86_64, x32 and i386 numbers), for PROGRAM and everything it starts.\n"
		"The environment gets KX_GUARD=1; lookup_dcookie (212) answers ENOTUNIQ\n"
		"so that tests/guard/guard-probe --check can see the filter.\n");
}

int main(int argc, char *argv[])
{
	static const struct guard_errnos answer = { .kexec = EPERM, .reboot = EPERM };
	int first = 1, rc;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		first = 2;
	else if (argc > 1 && argv[1][0] == '-') {
		fprintf(stderr, "kx-guard: unknown option %s (expected PROGRAM or --help)\n",
			argv[1]);
		return 2;
	}
	if (first >= argc) {
		usage(stderr);
		return 2;
	}
	rc = guard_install(&answer);
	if (rc < 0) {
		fprintf(stderr, "kx-guard: cannot install the seccomp filter: %s\n", strerror(-rc));
		return 2;	/* never run a test unguarded */
	}
	setenv("KX_GUARD", "1", 1);
	execvp(argv[first], argv + first);
	fprintf(stderr, "kx-guard: cannot run %s: %s\n", argv[first], strerror(errno));
	return 127;
}
