// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CPU facts: vendor, family, model, the tdx_host_platform flag and the
 * tdx_pw_mce / seamret_invd_vmcs bugs from /proc/cpuinfo (only the first
 * processor's block is read: the kernel generates the file one CPU at a
 * time, and every CPU shows the same flags); the running kernel's release;
 * MSR 0x87 (IA32_MKTME_KEYID_PARTITIONING: bits 63:32 count TDX KeyIDs).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tdx/tdx-internal.h"
#include "base/parse.h"
#include "base/sysroot.h"

#define CPUINFO "/proc/cpuinfo"
#define CPUINFO_MAX (64 * 1024)

/* Read /proc/cpuinfo up to the blank line that ends the first processor. */
static int read_first_block(struct tdx_ctx *t, char **out, size_t *outlen)
{
	char *buf = malloc(CPUINFO_MAX + 1);
	size_t len = 0;
	ssize_t r = 0;
	int fd;

	if (!buf)
		return -ENOMEM;
	fd = kx_sysroot_open(t->root, CPUINFO, O_RDONLY);
	if (fd < 0) {
		free(buf);
		return fd == -ENOENT && tdx_recorded_errno(t, CPUINFO) ?
			-tdx_recorded_errno(t, CPUINFO) : fd;
	}
	while (len < CPUINFO_MAX) {
		size_t from = len ? len - 1 : 0;

		r = read(fd, buf + len, CPUINFO_MAX - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = '\0';
		if (strstr(buf + from, "\n\n"))
			break;
	}
	if (r < 0) {
		int err = -errno;

		close(fd);
		free(buf);
		return err;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

struct cpu_lines {
	const char *vendor, *family, *model, *flags, *bugs;
};

/* Split the first block into "key : value" lines; NULs replace the separators. */
static int split_block(struct tdx_fact *f, char *buf, struct cpu_lines *l)
{
	char *line = buf, *end;

	memset(l, 0, sizeof(*l));
	for (; *line && *line != '\n'; line = end + 1) {
		char *colon, *k;

		end = strchr(line, '\n');
		if (!end) {
			tdx_fact_malformed(f, "the first processor's block does not end in a "
					   "newline");
			return -EBADMSG;
		}
		*end = '\0';
		colon = strchr(line, ':');
		if (!colon || colon == line) {
			tdx_fact_malformed(f, "expected 'name : value' lines, found '%.40s'", line);
			return -EBADMSG;
		}
		for (k = colon; k > line && (k[-1] == '\t' || k[-1] == ' '); k--)
			;
		*k = '\0';
		colon += colon[1] == ' ' ? 2 : 1;
		if (strcmp(line, "vendor_id") == 0)
			l->vendor = colon;
		else if (strcmp(line, "cpu family") == 0)
			l->family = colon;
		else if (strcmp(line, "model") == 0)
			l->model = colon;
		else if (strcmp(line, "flags") == 0)
			l->flags = colon;
		else if (strcmp(line, "bugs") == 0)
			l->bugs = colon;
	}
	return 0;
}

static void set_num(struct tdx_num *n, const char *s, const char *what)
{
	if (!s) {
		tdx_fact_errno(&n->f, ENOENT);
		return;
	}
	if (kx_parse_u64(s, 10, &n->v) < 0) {
		tdx_fact_malformed(&n->f, "expected a decimal %s, found '%.20s'", what, s);
		return;
	}
	tdx_fact_known(&n->f);
}

static void set_word(struct tdx_bool *b, const char *list, const char *word)
{
	if (!list) {
		tdx_fact_errno(&b->f, ENOENT);
		return;
	}
	b->v = kx_has_word(list, word);
	tdx_fact_known(&b->f);
}

static void cpu_init(struct tdx_facts *f)
{
	tdx_fact_init(&f->vendor.f, CPUINFO);
	tdx_fact_init(&f->family.f, CPUINFO);
	tdx_fact_init(&f->model.f, CPUINFO);
	tdx_fact_init(&f->tdx_host_platform.f, CPUINFO);
	tdx_fact_init(&f->tdx_pw_mce.f, CPUINFO);
	tdx_fact_init(&f->seamret_invd_vmcs.f, CPUINFO);
}

static void cpu_all(struct tdx_facts *f, const struct tdx_fact *from)
{
	tdx_fact_copy(&f->vendor.f, from);
	tdx_fact_copy(&f->family.f, from);
	tdx_fact_copy(&f->model.f, from);
	tdx_fact_copy(&f->tdx_host_platform.f, from);
	tdx_fact_copy(&f->tdx_pw_mce.f, from);
	tdx_fact_copy(&f->seamret_invd_vmcs.f, from);
}

void tdx_read_cpuinfo(struct tdx_ctx *t, struct tdx_facts *f)
{
	struct tdx_fact file;
	struct cpu_lines l;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	cpu_init(f);
	tdx_fact_init(&file, CPUINFO);
	rc = read_first_block(t, &buf, &len);
	if (rc < 0)
		tdx_fact_errno(&file, rc);
	else if (strlen(buf) != len)
		tdx_fact_malformed(&file, "expected text, found a NUL byte");
	else if (split_block(&file, buf, &l) == 0 && !l.vendor)
		tdx_fact_malformed(&file, "no vendor_id line in the first processor's block "
				   "(expected an x86 /proc/cpuinfo)");
	if (file.state == TDX_UNREADABLE || file.state == TDX_ABSENT) {
		cpu_all(f, &file);
		free(buf);
		return;
	}
	tdx_copy_str(f->vendor.v, sizeof(f->vendor.v), l.vendor, strlen(l.vendor));
	tdx_fact_known(&f->vendor.f);
	set_num(&f->family, l.family, "cpu family");
	set_num(&f->model, l.model, "model");
	set_word(&f->tdx_host_platform, l.flags, "tdx_host_platform");
	set_word(&f->tdx_pw_mce, l.bugs, "tdx_pw_mce");
	set_word(&f->seamret_invd_vmcs, l.bugs, "seamret_invd_vmcs");
	free(buf);
}

void tdx_read_release(struct tdx_ctx *t, struct tdx_facts *f)
{
	char *buf;

	tdx_fact_init(&f->release.f, "/proc/sys/kernel/osrelease");
	if (tdx_read_line(t, "/proc/sys/kernel/osrelease", 256, &buf, &f->release.f) < 0)
		return;
	if (!buf[0] || strpbrk(buf, " \t"))
		tdx_fact_malformed(&f->release.f, "expected one word (a kernel release), "
				   "found '%.40s'", buf);
	else {
		tdx_copy_str(f->release.v, sizeof(f->release.v), buf, strlen(buf));
		tdx_fact_known(&f->release.f);
	}
	free(buf);
}

#define MSR_DEV "/dev/cpu/0/msr"
#define MSR_KEYID_PARTITIONING 0x87

void tdx_read_msr(struct tdx_ctx *t, struct tdx_facts *f)
{
	uint8_t b[8];
	int rc, i;

	tdx_fact_init(&f->msr_keyids.f, MSR_DEV);
	/* msr(4): the file offset is the MSR index; EIO when the CPU has no such MSR */
	rc = kx_sysroot_pread(t->root, MSR_DEV, MSR_KEYID_PARTITIONING, b, sizeof(b));
	if (rc == -ENOENT && tdx_recorded_errno(t, MSR_DEV))
		rc = -tdx_recorded_errno(t, MSR_DEV);
	if (rc < 0) {
		tdx_fact_errno(&f->msr_keyids.f, rc);
		return;
	}
	f->msr_keyids.v = 0;
	for (i = 7; i >= 0; i--)
		f->msr_keyids.v = (f->msr_keyids.v << 8) | b[i];
	tdx_fact_known(&f->msr_keyids.f);
}
