// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Proof that the test guard holds (TAP, written one line at a time).  It first
 * checks that the kx-guard filter is installed on this process (by its canary)
 * and refuses to go further if not, so it never makes a real call on an
 * unguarded host.  Then a forked child makes every blocked call, each with
 * arguments the kernel would reject anyway, in every table: x86_64, x32 and
 * i386 (int $0x80), and each must answer EPERM from the filter.  ENOSYS would
 * mean the filter let the number through to the kernel.
 *
 * Without CAP_SYS_BOOT the kernel answers EPERM itself, so a second child
 * stacks the same filter (guard-filter.c) with errnos of its own and checks
 * that every number gets them: that proves each rule on any host, privileged
 * or not, with x32 enabled or not.
 *
 * int $0x80 faults (SIGSEGV) where the kernel has no i386 entry (booted with
 * ia32_emulation=0, built without IA32_EMULATION, some sandboxes); the child
 * takes that fault, and the i386 test points are skipped with the reason.
 *
 * guard-probe --check: exit 0 if the kx-guard filter is in force, 1 if not.
 * guard-probe --simulate-int80-fault: make the i386 entry fault in the child
 * (a privileged instruction takes the same #GP), to see the skip path.
 */
#include "config.h"

#include "tests/guard/guard-filter.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define X32_BIT		0x40000000L

enum abi { ABI_64, ABI_I386 };
enum kind { KIND_KEXEC, KIND_REBOOT, KIND_ENTRY };

struct probe_call {
	const char *name;
	enum abi abi;
	long nr;
	enum kind kind;
	unsigned long arg[5];
};

/*
 * Arguments the kernel refuses with EINVAL (or EPERM without CAP_SYS_BOOT)
 * should a call get through: an undefined kexec flag, a reboot without its
 * magic numbers.
 */
#define LOAD_ARGS	{ 0, 0, 0, 0x8000 }
#define FILE_ARGS	{ -1UL, -1UL, 0, 0, 0x80000000UL }
#define REBOOT_ARGS	{ 0x1234, 0x5678, 0x45584543, 0 }

/*
 * The numbers, written here independently of guard-filter.c (see the
 * tables cited there).  The i386 calls come last, after an i386 getpid that
 * shows whether the i386 entry exists: a fault there ends the child.
 */
static const struct probe_call calls[] = {
	{ "kexec_load (246)", ABI_64, 246, KIND_KEXEC, LOAD_ARGS },
	{ "kexec_file_load (320)", ABI_64, 320, KIND_KEXEC, FILE_ARGS },
	{ "reboot (169)", ABI_64, 169, KIND_REBOOT, REBOOT_ARGS },
	{ "x32 kexec_load (528 | x32 bit)", ABI_64, X32_BIT | 528, KIND_KEXEC, LOAD_ARGS },
	{ "x32 kexec_file_load (320 | x32 bit)", ABI_64, X32_BIT | 320, KIND_KEXEC, FILE_ARGS },
	{ "x32 reboot (169 | x32 bit)", ABI_64, X32_BIT | 169, KIND_REBOOT, REBOOT_ARGS },
	{ "246 | x32 bit (kexec_load before Linux 5.4)", ABI_64, X32_BIT | 246, KIND_KEXEC,
	  LOAD_ARGS },
	{ "528 without the x32 bit (x32 kexec_load before Linux 5.4)", ABI_64, 528, KIND_KEXEC,
	  LOAD_ARGS },
	{ "i386 getpid (20), the entry probe", ABI_I386, 20, KIND_ENTRY, { 0 } },
	{ "i386 kexec_load (283)", ABI_I386, 283, KIND_KEXEC, LOAD_ARGS },
	{ "i386 reboot (88)", ABI_I386, 88, KIND_REBOOT, REBOOT_ARGS },
};

#define NCALLS		(sizeof(calls) / sizeof(calls[0]))
#define ENTRY_PROBE	8	/* index of the i386 getpid in calls[] */
/* the canary, one point per blocked call, the stacked filter, the fault path */
#define NTESTS		(1 + (NCALLS - 1) + 1 + 1)

/* What the stacked filter answers: errnos no kernel gives for these calls. */
static const struct guard_errnos own = { .kexec = EDOM, .reboot = ERANGE };

/* What one probe child did. */
struct outcome {
	pid_t pid;
	int status;		/* from waitpid() */
	size_t got;		/* answers received, in the order of calls[] */
	long ret[NCALLS];	/* each a return value or -errno */
};

/* kx-guard answers the obsolete lookup_dcookie with ENOTUNIQ. */
static bool guard_present(void)
{
	errno = 0;
	return syscall(GUARD_CANARY_NR, 0UL, NULL, 0UL) == -1 && errno == GUARD_CANARY_ERRNO;
}

/* The i386 entry from 64-bit code; r8-r11 are not preserved by every kernel. */
static long int80(long nr, const unsigned long *a, bool fault)
{
	long ret = nr;

	if (fault)
		__asm__ volatile("hlt");	/* #GP at CPL 3, like a missing int $0x80 gate */
	__asm__ volatile("int $0x80"
			 : "+a"(ret)
			 : "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3])
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	return ret;
}

static long make_call(const struct probe_call *c, bool fault)
{
	long rc;

	if (c->abi == ABI_I386)
		return int80(c->nr, c->arg, fault);
	errno = 0;
	rc = syscall(c->nr, c->arg[0], c->arg[1], c->arg[2], c->arg[3], c->arg[4]);
	return rc == -1 ? -errno : rc;
}

/*
 * SIG_DFL for the fault signals, through the system call itself.  ASan's
 * handler turns a fault into a report and exit(1); its sigaction()
 * interceptor drops a new SIGSEGV action under ASAN_OPTIONS=handle_segv=2
 * (both seen with GCC 12's libasan).  The kernel's struct sigaction on x86_64.
 */
struct kernel_sigaction {
	unsigned long handler;
	unsigned long flags;
	unsigned long restorer;
	unsigned long mask;
};

static void default_fault_signals(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL };
	struct kernel_sigaction dfl = { .handler = 0 };	/* SIG_DFL */
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		syscall(SYS_rt_sigaction, sigs[i], &dfl, NULL, sizeof(dfl.mask));
}

/* The child: only raw calls, write() and _exit(), never stdio. */
static void __attribute__((noreturn)) child(int fd, const struct guard_errnos *stack,
					     bool fault)
{
	size_t i;

	default_fault_signals();
	if (stack && guard_install(stack) < 0)
		_exit(3);
	for (i = 0; i < NCALLS; i++) {
		long r = make_call(&calls[i], fault);

		if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(4);
	}
	_exit(0);
}

static void collect(int fd, struct outcome *o)
{
	char *buf = (char *)o->ret;
	size_t have = 0;
	ssize_t n;

	while (have < sizeof(o->ret)) {
		n = read(fd, buf + have, sizeof(o->ret) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	o->got = have / sizeof(long);
}

/* Run one probe child; returns 0 or -errno (the outcome says how it ended). */
static int run_child(const struct guard_errnos *stack, bool fault, struct outcome *o)
{
	int fds[2];

	memset(o, 0, sizeof(*o));
	if (pipe(fds) != 0)
		return -errno;
	fflush(stdout);
	o->pid = fork();
	if (o->pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (o->pid == 0) {
		close(fds[0]);
		child(fds[1], stack, fault);
	}
	close(fds[1]);
	collect(fds[0], o);
	close(fds[0]);
	while (waitpid(o->pid, &o->status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGSYS: return "SIGSYS";
	case SIGKILL: return "SIGKILL";
	default: return strsignal(sig);
	}
}

static void describe_end(const struct outcome *o, char *buf, size_t len)
{
	if (WIFSIGNALED(o->status))
		snprintf(buf, len, "probe child killed by %s", signal_name(WTERMSIG(o->status)));
	else
		snprintf(buf, len, "probe child exited with status %d", WEXITSTATUS(o->status));
}

/*
 * Whether the i386 entry is missing on this kernel; if so, writes the skip
 * reason.  A fault signal before the entry probe answered means int $0x80
 * faults; ENOSYS from the entry probe means the entry is there but empty.
 */
static bool i386_missing(const struct outcome *o, char *why, size_t len)
{
	char end[128];
	int sig;

	if (o->got > ENTRY_PROBE) {
		if (o->ret[ENTRY_PROBE] != -ENOSYS)
			return false;
		snprintf(why, len, "no i386 system call entry on this kernel (int $0x80 "
			 "answers ENOSYS)");
		return true;
	}
	if (o->got < ENTRY_PROBE || !WIFSIGNALED(o->status))
		return false;
	sig = WTERMSIG(o->status);
	if (sig != SIGSEGV && sig != SIGBUS && sig != SIGILL)
		return false;
	describe_end(o, end, sizeof(end));
	snprintf(why, len, "int $0x80 faults on this kernel (%s)", end);
	return true;
}

static const char *errno_name(long ret)
{
	switch (ret) {
	case -EPERM: return "EPERM";
	case -ENOSYS: return "ENOSYS";
	case -EINVAL: return "EINVAL";
	case -EDOM: return "EDOM";
	case -ERANGE: return "ERANGE";
	default: return ret < 0 ? strerror((int)-ret) : "success";
	}
}

/* One test point: calls[i] under kx-guard must answer EPERM. */
static int report_call(int n, size_t i, const struct outcome *o, const char *skip)
{
	const struct probe_call *c = &calls[i];
	char end[128];
	long ret = o->ret[i];

	if (c->abi == ABI_I386 && skip) {
		printf("ok %d - %s # SKIP %s\n", n, c->name, skip);
		return 0;
	}
	if (i >= o->got) {
		describe_end(o, end, sizeof(end));
		printf("not ok %d - %s: no answer, %s\n", n, c->name, end);
		return 1;
	}
	if (ret == -EPERM) {
		printf("ok %d - %s is refused with EPERM\n", n, c->name);
		return 0;
	}
	if (ret == -ENOSYS)
		printf("not ok %d - %s returned ENOSYS: the guard let it through to the kernel\n",
		       n, c->name);
	else
		printf("not ok %d - %s returned %ld (%s), expected EPERM from the guard\n", n,
		       c->name, ret, errno_name(ret));
	return 1;
}

static int check_guard(int first, bool fault)
{
	struct outcome o;
	char why[192];
	const char *skip;
	int fails = 0, n = first, rc;
	size_t i;

	rc = run_child(NULL, fault, &o);
	if (rc < 0) {
		printf("Bail out! cannot start the probe child: %s\n", strerror(-rc));
		exit(1);
	}
	skip = i386_missing(&o, why, sizeof(why)) ? why : NULL;
	if (!skip && o.got > ENTRY_PROBE && o.ret[ENTRY_PROBE] != o.pid)
		printf("# the i386 getpid answered %ld, not %d\n", o.ret[ENTRY_PROBE], (int)o.pid);
	for (i = 0; i < NCALLS; i++) {
		if (calls[i].kind != KIND_ENTRY)
			fails += report_call(n++, i, &o, skip);
	}
	return fails;
}

/* Whether calls[i] got the stacked filter's own errno; prints a diagnostic if not. */
static bool own_answer(size_t i, const struct outcome *o)
{
	int want = calls[i].kind == KIND_KEXEC ? own.kexec : own.reboot;

	if (i < o->got && o->ret[i] == -want)
		return true;
	if (i < o->got)
		printf("# %s returned %ld (%s), expected %s\n", calls[i].name, o->ret[i],
		       errno_name(o->ret[i]), errno_name(-want));
	else
		printf("# %s: no answer\n", calls[i].name);
	return false;
}

/* One test point: the filter itself answers every number, whatever the host. */
static int check_filter(int n, bool fault)
{
	struct outcome o;
	char why[192], end[128];
	const char *skip;
	size_t i, checked = 0, bad = 0;

	if (run_child(&own, fault, &o) < 0 || (WIFEXITED(o.status) && WEXITSTATUS(o.status) == 3)) {
		printf("not ok %d - cannot stack the guard filter in a child\n", n);
		return 1;
	}
	skip = i386_missing(&o, why, sizeof(why)) ? why : NULL;
	for (i = 0; i < NCALLS; i++) {
		if (calls[i].kind == KIND_ENTRY || (calls[i].abi == ABI_I386 && skip))
			continue;
		checked++;
		bad += !own_answer(i, &o);
	}
	if (bad) {
		describe_end(&o, end, sizeof(end));
		printf("not ok %d - the guard filter stacked with EDOM/ERANGE missed %zu of %zu "
		       "numbers (%s)\n", n, bad, checked, end);
		return 1;
	}
	printf("ok %d - the guard filter stacked with EDOM/ERANGE answers all %zu numbers "
	       "itself%s%s\n", n, checked, skip ? "; i386 not checked: " : "", skip ? skip : "");
	return 0;
}

/* One test point: a fault in the child is seen as one, also under the sanitizers. */
static int check_fault_path(int n)
{
	struct outcome o;
	char why[192];

	if (run_child(NULL, true, &o) == 0 && i386_missing(&o, why, sizeof(why)) &&
	    o.got == ENTRY_PROBE) {
		printf("ok %d - a fault in the probe child is recognised and ends only the "
		       "child (simulated with hlt: %s)\n", n, why);
		return 0;
	}
	describe_end(&o, why, sizeof(why));
	printf("not ok %d - a simulated fault in the probe child was not recognised "
	       "(%zu answers, %s)\n", n, o.got, why);
	return 1;
}

int main(int argc, char *argv[])
{
	bool fault = false;
	int fails;

	/* --check: only say whether the guard is in force (for other tests). */
	if (argc > 1 && strcmp(argv[1], "--check") == 0)
		return guard_present() ? 0 : 1;
	if (argc > 1 && strcmp(argv[1], "--simulate-int80-fault") == 0)
		fault = true;
	else if (argc > 1) {
		bool help = strcmp(argv[1], "--help") == 0;

		fprintf(help ? stdout : stderr,
			"usage: guard-probe [--check | --simulate-int80-fault]\n"
			"Run under tests/guard/kx-guard; prints TAP.\n");
		return help ? 0 : 2;
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%zu\n", NTESTS);
	if (!guard_present()) {
		printf("not ok 1 - the kx-guard seccomp filter is not installed on this process\n");
		printf("Bail out! refusing to call kexec_load/kexec_file_load/reboot unguarded\n");
		return 1;
	}
	printf("ok 1 - the kx-guard seccomp filter is installed\n");
	fails = check_guard(2, fault);
	fails += check_filter((int)NCALLS + 1, fault);
	fails += check_fault_path((int)NCALLS + 2);
	return fails ? 1 : 0;
}
