// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kx-maxrss STATFILE PROGRAM [ARG]...
 *
 * Run PROGRAM, wait for it with wait4() and write one line to STATFILE:
 *
 *	rc=N wall_us=N user_us=N sys_us=N maxrss_kb=N
 *
 * rc is PROGRAM's exit status, or 128 + the signal that killed it; maxrss_kb
 * is its peak resident set (ru_maxrss, in KiB on Linux: getrusage(2)).
 * bench/bench runs it inside the QEMU guest, where busybox has no time -v.
 * The exit status is PROGRAM's, or 127 when it cannot be started.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
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

static int report(const char *path, int rc, long long wall, const struct rusage *ru)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "kx-maxrss: cannot write %s: %s\n", path, strerror(errno));
		return 127;
	}
	fprintf(f, "rc=%d wall_us=%lld user_us=%lld sys_us=%lld maxrss_kb=%ld\n", rc, wall,
		usec(&ru->ru_utime), usec(&ru->ru_stime), ru->ru_maxrss);
	if (fclose(f) != 0) {
		fprintf(stderr, "kx-maxrss: cannot write %s: %s\n", path, strerror(errno));
		return 127;
	}
	return rc;
}

int main(int argc, char *argv[])
{
	struct rusage ru;
	long long t0;
	int status, rc;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: kx-maxrss STATFILE PROGRAM [ARG]...\n");
		return 127;
	}
	t0 = now_us();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "kx-maxrss: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
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
	return report(argv[1], rc, now_us() - t0, &ru);
}
