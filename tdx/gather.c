// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Read every host fact, in an order that keeps the preflight cheap: the
 * costly readers (the symbol lookup, the kernel log) run only where their
 * answer can matter, on an Intel CPU whose kernel enabled TDX.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/iface.h"
#include "base/sysroot.h"
#include "tdx/tdx-internal.h"

static void not_read(struct tdx_fact *f, enum kx_if id)
{
	tdx_fact_init(f, kx_if(id));
}

static void mark_unread(struct tdx_facts *f)
{
	char msr[64];

	kx_if_fmt(msr, sizeof(msr), KX_IF_MSR, 0u);
	tdx_fact_init(&f->msr_keyids.f, msr);
	not_read(&f->module_version.f, KX_IF_TDX_MODULE_VERSION);
	not_read(&f->seamldr_version.f, KX_IF_TDX_SEAMLDR_VERSION);
	not_read(&f->remaining_updates.f, KX_IF_TDX_REMAINING_UPDATES);
	not_read(&f->update_status.f, KX_IF_TDX_UPDATE_STATUS);
	not_read(&f->update_error.f, KX_IF_TDX_UPDATE_ERROR);
	not_read(&f->kvm_tdx.f, KX_IF_KVM_INTEL_TDX);
	tdx_misc_sources(f);
	not_read(&f->disable_path.f, KX_IF_KALLSYMS);
	not_read(&f->kexec_flush.f, KX_IF_KALLSYMS);
	f->flush_src = TDX_SYM_NONE;
	not_read(&f->kmsg.f, KX_IF_KMSG);
	tdx_fact_init(&f->image_version.f, "the kernel image");
	tdx_fact_init(&f->image_config.f, "the kernel image's configuration");
	tdx_fact_init(&f->cfg_tdx_host.f, "the kernel image's configuration");
	tdx_fact_init(&f->cfg_hibernation.f, "the kernel image's configuration");
	tdx_fact_init(&f->cmdline.f, "the new command line");
	f->disable_src = TDX_SYM_NONE;
	f->live_tds_cgroups = 0;
	f->kmsg.seen = 0;
	f->kmsg.complete = false;
	f->kmsg.records = 0;
}

/*
 * The kernel log costs about a microsecond a record; read it only when the
 * files above leave open what it can tell: whether the module was
 * initialized, or why the kernel did not enable TDX the BIOS set up.
 */
static bool kmsg_needed(const struct tdx_facts *f)
{
	const struct tdx_bool *flag = &f->tdx_host_platform;

	if (flag->f.state == TDX_KNOWN && !flag->v)
		return f->msr_keyids.f.state == TDX_KNOWN && (f->msr_keyids.v >> 32) > 0;
	if (f->module_version.f.state == TDX_KNOWN ||
	    (f->module_version.f.state == TDX_UNREADABLE && f->module_version.f.err == ENXIO))
		return false;
	if (f->kvm_tdx.f.state == TDX_KNOWN && f->kvm_tdx.v)
		return false;
	return !(f->keyid_capacity.f.state == TDX_KNOWN && f->keyid_capacity.v > 0);
}

/*
 * Kernels from 6.18 have the cache flush TDX needs at kexec; an older
 * release is asked whether it carries it as a backport.
 */
static bool flush_needed(const struct tdx_facts *f)
{
	if (tdx_host_enabled(f) == NO)
		return false;
	/* unparseable (-EINVAL) counts as older: the symbols tell */
	return f->release.f.state != TDX_KNOWN || tdx_release_cmp(f->release.v, 6, 18) < 0;
}

/* The image facts stay "not read" unless tdx_read_image() runs afterwards. */
static bool maybe_intel(const struct tdx_facts *f)
{
	return f->vendor.f.state != TDX_KNOWN || strcmp(f->vendor.v, "GenuineIntel") == 0;
}

int tdx_read_host_brief(struct tdx_ctx *t, struct tdx_facts *f)
{
	snprintf(f->root, sizeof(f->root), "%s", kx_sysroot_dir(t->root));
	f->recorded = !kx_sysroot_is_host(t->root);
	tdx_read_cpuinfo(t, f);
	tdx_read_release(t, f);
	tdx_read_conf(t, f);
	mark_unread(f);
	if (!maybe_intel(f))
		return 0;
	tdx_read_tdx_host(t, f);
	tdx_read_kvm(t, f);
	tdx_read_misc(t, f);
	return 0;
}

enum tdx_answer tdx_is_host(const struct tdx_facts *f)
{
	switch (tdx_host_enabled(f)) {
	case YES:
		return TDX_ANSWER_YES;
	case NO:
		return TDX_ANSWER_NO;
	default:
		return TDX_ANSWER_UNSURE;
	}
}

int tdx_read_host(struct tdx_ctx *t, struct tdx_facts *f)
{
	tdx_read_host_brief(t, f);
	if (!maybe_intel(f))
		return 0;
	tdx_read_msr(t, f);
	tdx_read_fw_upload(t, f);
	if (tdx_host_enabled(f) != NO)
		tdx_read_disable_path(t, f);
	if (kmsg_needed(f))
		tdx_read_kmsg(t, f);
	if (flush_needed(f))
		tdx_read_kexec_flush(t, f);
	return 0;
}
