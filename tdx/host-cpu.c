// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CPU facts: vendor, family, model, the tdx_host_platform flag and the
 * tdx_pw_mce / seamret_invd_vmcs bugs from /proc/cpuinfo (base/cpuinfo.c);
 * the running kernel's release;
 * MSR 0x87 (IA32_MKTME_KEYID_PARTITIONING: bits 63:32 count TDX KeyIDs).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cpuinfo.h"
#include "base/iface.h"
#include "tdx/tdx-internal.h"
#include "base/parse.h"
#include "base/sysroot.h"

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
	const char *src = kx_if(KX_IF_CPUINFO);

	tdx_fact_init(&f->vendor.f, src);
	tdx_fact_init(&f->family.f, src);
	tdx_fact_init(&f->model.f, src);
	tdx_fact_init(&f->tdx_host_platform.f, src);
	tdx_fact_init(&f->tdx_pw_mce.f, src);
	tdx_fact_init(&f->seamret_invd_vmcs.f, src);
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
	struct kx_cpuinfo ci;
	int rc;

	cpu_init(f);
	tdx_fact_init(&file, kx_if(KX_IF_CPUINFO));
	kx_clear_err(&t->kx);
	rc = kx_cpuinfo_read(&t->kx, &ci);
	if (rc < 0) {
		tdx_fact_errno(&file, rc);
		if (rc == -EBADMSG)
			tdx_fact_detail(&file, "%s", t->kx.err);
		cpu_all(f, &file);
		return;
	}
	tdx_copy_str(f->vendor.v, sizeof(f->vendor.v), ci.vendor, strlen(ci.vendor));
	tdx_fact_known(&f->vendor.f);
	set_num(&f->family, ci.family, "cpu family");
	set_num(&f->model, ci.model, "model");
	set_word(&f->tdx_host_platform, ci.flags, "tdx_host_platform");
	set_word(&f->tdx_pw_mce, ci.bugs, "tdx_pw_mce");
	set_word(&f->seamret_invd_vmcs, ci.bugs, "seamret_invd_vmcs");
	kx_cpuinfo_free(&ci);
}

void tdx_read_release(struct tdx_ctx *t, struct tdx_facts *f)
{
	char *buf;

	tdx_fact_init(&f->release.f, kx_if(KX_IF_OSRELEASE));
	if (tdx_read_line(t, kx_if(KX_IF_OSRELEASE), 256, &buf, &f->release.f) < 0)
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

#define MSR_KEYID_PARTITIONING 0x87

void tdx_read_msr(struct tdx_ctx *t, struct tdx_facts *f)
{
	char dev[64];
	uint8_t b[8];
	int rc, i;

	kx_if_fmt(dev, sizeof(dev), KX_IF_MSR, 0u);
	tdx_fact_init(&f->msr_keyids.f, dev);
	/* msr(4): the file offset is the MSR index; EIO when the CPU has no such MSR */
	rc = kx_sysroot_pread(t->root, dev, MSR_KEYID_PARTITIONING, b, sizeof(b));
	if (rc < 0) {
		tdx_fact_errno(&f->msr_keyids.f, rc);
		return;
	}
	f->msr_keyids.v = 0;
	for (i = 7; i >= 0; i--)
		f->msr_keyids.v = (f->msr_keyids.v << 8) | b[i];
	tdx_fact_known(&f->msr_keyids.f);
}
