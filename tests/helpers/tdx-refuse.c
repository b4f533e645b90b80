// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-tdx-refuse PROGRAM [ARG]...: run PROGRAM with kexec_load and
 * kexec_file_load answering EOPNOTSUPP, as Linux 6.18 does on a CPU with
 * the TDX partial-write erratum (machine_kexec_prepare()).  It installs the
 * guard's own filter (tests/guard/guard-filter.c) with EOPNOTSUPP for the load
 * calls and EPERM for reboot, stacked on kx-guard's: for two filters that
 * both answer with an errno the newest one's errno is reported, so the
 * kernel is never reached.  Not a test itself; the CLI tests use it.
 */
#include "config.h"

#include "tests/guard/guard-filter.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int usage(FILE *out, const char *prog, int status)
{
	fprintf(out, "usage: %s PROGRAM [ARG]...\n"
		"Run PROGRAM with kexec_load and kexec_file_load answering EOPNOTSUPP.\n", prog);
	return status;
}

int main(int argc, char *argv[])
{
	static const struct guard_errnos answer = { .kexec = EOPNOTSUPP, .reboot = EPERM };
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
