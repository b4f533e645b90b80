// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guard's seccomp filter, built from a table of (architecture, number,
 * answer) rules.  Numbers are compared exactly, never masked: seccomp sees the
 * number as the program passed it, x32 bit included, before the kernel picks
 * a system call table.
 */
#include "config.h"

#include "tests/guard/guard-filter.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

#define X32_BIT		0x40000000u

enum guard_answer { ANSWER_KEXEC, ANSWER_REBOOT, ANSWER_CANARY, ANSWER_OPENAT2, ANSWER_COUNT };

struct guard_rule {
	unsigned int arch;
	unsigned int nr;
	enum guard_answer answer;
};

/*
 * Numbers from arch/x86/entry/syscalls/syscall_64.tbl and syscall_32.tbl:
 * x86_64 kexec_load is 246 ("64" only), x32 has its own kexec_load, 528
 * ("x32"), and shares kexec_file_load (320) and reboot (169) ("common"), so
 * the x32 forms are the same numbers with the x32 bit.  i386 has kexec_load
 * (283) and reboot (88) but no kexec_file_load.  Before Linux 5.4 (commit
 * 6365b842aae4) one table held both ABIs and the entry code dropped the x32
 * bit, so 528 without the bit and 246 with it reached kexec_load as well:
 * every number is blocked with and without the bit.
 */
static const struct guard_rule guard_rules[] = {
	{ AUDIT_ARCH_X86_64, 246, ANSWER_KEXEC },
	{ AUDIT_ARCH_X86_64, X32_BIT | 246, ANSWER_KEXEC },
	{ AUDIT_ARCH_X86_64, 528, ANSWER_KEXEC },
	{ AUDIT_ARCH_X86_64, X32_BIT | 528, ANSWER_KEXEC },
	{ AUDIT_ARCH_X86_64, 320, ANSWER_KEXEC },
	{ AUDIT_ARCH_X86_64, X32_BIT | 320, ANSWER_KEXEC },
	{ AUDIT_ARCH_X86_64, 169, ANSWER_REBOOT },
	{ AUDIT_ARCH_X86_64, X32_BIT | 169, ANSWER_REBOOT },
	{ AUDIT_ARCH_X86_64, GUARD_CANARY_NR, ANSWER_CANARY },
	/* openat2 is 437 in both tables ("common" in syscall_64.tbl) */
	{ AUDIT_ARCH_X86_64, 437, ANSWER_OPENAT2 },
	{ AUDIT_ARCH_X86_64, X32_BIT | 437, ANSWER_OPENAT2 },
	{ AUDIT_ARCH_I386, 437, ANSWER_OPENAT2 },
	{ AUDIT_ARCH_I386, 283, ANSWER_KEXEC },
	{ AUDIT_ARCH_I386, 88, ANSWER_REBOOT },
};

static const unsigned int guard_arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 };

#define NRULES		(sizeof(guard_rules) / sizeof(guard_rules[0]))
#define NARCHES		(sizeof(guard_arches) / sizeof(guard_arches[0]))
/* 3 instructions per architecture, one per rule, the allow and the answers */
#define PROG_MAX	(3 * NARCHES + NRULES + 1 + ANSWER_COUNT)

#define LOAD(field)	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))

static size_t rules_for(unsigned int arch)
{
	size_t i, n = 0;

	for (i = 0; i < NRULES; i++)
		n += guard_rules[i].arch == arch;
	return n;
}

static struct sock_filter jump_if(unsigned int k, size_t jt, size_t jf)
{
	return (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, (unsigned char)jt,
					    (unsigned char)jf);
}

/*
 * One block per architecture: load arch, skip the block if it differs, load
 * nr, one comparison per rule, each jumping forward to its answer (the
 * answers sit at index 'answers', after the final allow).
 */
static size_t emit_arch(struct sock_filter *prog, size_t n, unsigned int arch, size_t answers)
{
	size_t i;

	prog[n++] = (struct sock_filter)LOAD(arch);
	prog[n] = jump_if(arch, 0, rules_for(arch) + 1);
	n++;
	prog[n++] = (struct sock_filter)LOAD(nr);
	for (i = 0; i < NRULES; i++) {
		if (guard_rules[i].arch != arch)
			continue;
		prog[n] = jump_if(guard_rules[i].nr, answers + guard_rules[i].answer - n - 1, 0);
		n++;
	}
	return n;
}

static struct sock_filter ret_errno(int err)
{
	unsigned int ret = SECCOMP_RET_ERRNO | ((unsigned int)err & SECCOMP_RET_DATA);

	return (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, ret);
}

/* Returns the program's length. */
static size_t build(struct sock_filter *prog, const struct guard_errnos *answer)
{
	size_t i, n = 0, answers = 1;

	for (i = 0; i < NARCHES; i++)
		answers += 3 + rules_for(guard_arches[i]);
	for (i = 0; i < NARCHES; i++)
		n = emit_arch(prog, n, guard_arches[i], answers);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog[n + ANSWER_KEXEC] = ret_errno(answer->kexec);
	prog[n + ANSWER_REBOOT] = ret_errno(answer->reboot);
	prog[n + ANSWER_CANARY] = ret_errno(GUARD_CANARY_ERRNO);
	prog[n + ANSWER_OPENAT2] = answer->openat2 ? ret_errno(answer->openat2) :
			(struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return n + ANSWER_COUNT;
}

int guard_install(const struct guard_errnos *answer)
{
	struct sock_filter prog[PROG_MAX];
	struct sock_fprog fprog = { .filter = prog };

	if (answer->kexec < 1 || answer->kexec > 4095 || answer->reboot < 1 ||
	    answer->reboot > 4095 || answer->openat2 < 0 || answer->openat2 > 4095)
		return -EINVAL;
	fprog.len = (unsigned short)build(prog, answer);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0)
		return -errno;
	return 0;
}
