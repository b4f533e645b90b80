// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kx-maxrss [--stop-at kexec_load|kexec_file_load] STATFILE PROGRAM [ARG]...
 *
 * Run PROGRAM, wait for it with wait4() and write one line to STATFILE:
 *
 *	rc=N wall_us=N user_us=N sys_us=N maxrss_kb=N [stopped=0|1]
 *
 * rc is PROGRAM's exit status, or 128 + the signal that killed it; maxrss_kb
 * is its peak resident set (ru_maxrss, in KiB on Linux: getrusage(2)).
 * bench/bench runs it inside the QEMU guest, where busybox has no time -v.
 * The exit status is PROGRAM's, or 127 when it cannot be started.
 *
 * --stop-at SYSCALL (bench/native, on the build machine): PROGRAM is killed
 * by SIGSYS the moment it makes that x86_64 system call, which never runs,
 * so the times are those up to the call; stopped=1 says it got there.  A
 * seccomp filter returning SECCOMP_RET_TRAP does it: that action takes
 * precedence over the SECCOMP_RET_ERRNO of tests/guard/kx-guard, which
 * PROGRAM is expected to be run under (seccomp(2), "return values").
 * RLIMIT_CORE is set to 1, so the SIGSYS leaves no core dump: a core file
 * needs at least one page, and a core pipe skips a process whose limit is 1
 * (fs/coredump.c, do_coredump()).
 */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long usec(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000 + tv->tv_usec;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The x86_64 number of --stop-at's SYSCALL, or -1. */
static long stop_nr(const char *name)
{
	if (!strcmp(name, "kexec_load"))
		return SYS_kexec_load;
	if (!strcmp(name, "kexec_file_load"))
		return SYS_kexec_file_load;
	return -1;
}

/* In the child: SIGSYS at system call @nr (x86_64 table), no core dump. */
static int trap_at(long nr)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
	struct rlimit core = { 1, 1 };

	if (setrlimit(RLIMIT_CORE, &core) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		return -errno;
	return 0;
}

static int report(const char *path, int rc, long long wall, const struct rusage *ru,
		  int stopped)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "kx-maxrss: cannot write %s: %s\n", path, strerror(errno));
		return 127;
	}
	fprintf(f, "rc=%d wall_us=%lld user_us=%lld sys_us=%lld maxrss_kb=%ld", rc, wall,
		usec(&ru->ru_utime), usec(&ru->ru_stime), ru->ru_maxrss);
	if (stopped >= 0)
		fprintf(f, " stopped=%d", stopped);
	fputc('\n', f);
	if (fclose(f) != 0) {
		fprintf(stderr, "kx-maxrss: cannot write %s: %s\n", path, strerror(errno));
		return 127;
	}
	return rc;
}

int main(int argc, char *argv[])
{
	struct rusage ru;
	long nr = -1;
	long long t0;
	int status, rc, err;
	pid_t pid;

	if (argc > 2 && !strcmp(argv[1], "--stop-at")) {
		nr = stop_nr(argv[2]);
		if (nr < 0) {
			fprintf(stderr, "kx-maxrss: --stop-at %s: expected kexec_load or "
				"kexec_file_load\n", argv[2]);
			return 127;
		}
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: kx-maxrss [--stop-at kexec_load|kexec_file_load] "
			"STATFILE PROGRAM [ARG]...\n");
		return 127;
	}
	t0 = now_us();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "kx-maxrss: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		err = nr < 0 ? 0 : trap_at(nr);
		if (err) {
			fprintf(stderr, "kx-maxrss: cannot install the --stop-at filter: %s\n",
				strerror(-err));
			_exit(127);
		}
		execvp(argv[2], argv + 2);
		fprintf(stderr, "kx-maxrss: cannot run %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "kx-maxrss: wait4: %s\n", strerror(errno));
			return 127;
		}
	}
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return report(argv[1], rc, now_us() - t0, &ru,
		      nr < 0 ? -1 : WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS);
}
