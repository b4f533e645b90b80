/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one seccomp filter in the tree.  kx-guard installs it around every test
 * (kexec_load, kexec_file_load and reboot answer EPERM), tests/helpers/no-openat2
 * stacks it again with openat2 answering ENOSYS (a kernel before 5.6), and
 * guard-probe stacks it with errnos of its own to check the filter number by
 * number.
 */
#ifndef KX_TESTS_GUARD_FILTER_H
#define KX_TESTS_GUARD_FILTER_H

#include <errno.h>

/*
 * lookup_dcookie (212) is an obsolete call nothing uses (the kernel answers
 * ENOSYS); the filter answers ENOTUNIQ instead, so a probe can tell that this
 * filter, not some other one, is installed before it tries anything.
 */
#define GUARD_CANARY_NR		212
#define GUARD_CANARY_ERRNO	ENOTUNIQ

/* What the blocked calls answer: errno values, each in 1..4095. */
struct guard_errnos {
	int kexec;	/* kexec_load and kexec_file_load, in every system call table */
	int reboot;	/* reboot, in every system call table */
	int openat2;	/* openat2; 0 lets it through */
};

/*
 * Install the filter on the calling thread and everything it starts (after
 * setting no_new_privs).  Returns 0 or a negative errno; a filter already
 * installed stays, and for two filters that both answer with an errno the
 * newest one's errno is the one reported (kernel/seccomp.c,
 * seccomp_run_filters(): the first filter with the strongest action wins,
 * walking from the newest).
 */
int guard_install(const struct guard_errnos *answer);

#endif
