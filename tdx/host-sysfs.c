// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TDX driver's sysfs files (drivers/virt/coco/tdx-host/tdx-host.c and
 * Documentation/ABI/testing/sysfs-devices-faux-tdx-host), the fw_upload
 * state of the module updater (drivers/base/firmware_loader/sysfs_upload.c),
 * kvm_intel's tdx parameter, and the misc cgroup's "tdx" resource
 * (kernel/cgroup/misc.c): one HKID is charged per TD, to its cgroup and
 * every ancestor.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/iface.h"
#include "tdx/tdx-internal.h"
#include "base/parse.h"
#include "base/sysroot.h"

/* The misc cgroup's files (kernel/cgroup/misc.c), in the root or a child. */
#define MISC_CAPACITY "misc.capacity"
#define MISC_CURRENT "misc.current"

static void read_version(struct tdx_ctx *t, enum kx_if id, struct tdx_ver *v)
{
	const char *path = kx_if(id);
	char *buf;

	tdx_fact_init(&v->f, path);
	if (tdx_read_line(t, path, 64, &buf, &v->f) < 0)
		return;
	if (tdx_parse_version(buf, v) < 0)
		tdx_fact_malformed(&v->f, "expected a version major.minor.update (such as 1.5.08), "
				   "found '%.30s'", buf);
	else
		tdx_fact_known(&v->f);
	free(buf);
}

static void read_count(struct tdx_ctx *t, enum kx_if id, struct tdx_num *n)
{
	const char *path = kx_if(id);
	char *buf;

	tdx_fact_init(&n->f, path);
	if (tdx_read_line(t, path, 64, &buf, &n->f) < 0)
		return;
	if (kx_parse_u64(buf, 10, &n->v) < 0)
		tdx_fact_malformed(&n->f, "expected a decimal count, found '%.30s'", buf);
	else
		tdx_fact_known(&n->f);
	free(buf);
}

void tdx_read_tdx_host(struct tdx_ctx *t, struct tdx_facts *f)
{
	read_version(t, KX_IF_TDX_MODULE_VERSION, &f->module_version);
	/* Mainline flattened the v4 series' seamldr/ attribute group. */
	read_version(t, KX_IF_TDX_SEAMLDR_VERSION, &f->seamldr_version);
	if (f->seamldr_version.f.state == TDX_ABSENT)
		read_version(t, KX_IF_TDX_SEAMLDR_VERSION_V4, &f->seamldr_version);
	if (f->seamldr_version.f.state == TDX_ABSENT)
		tdx_fact_source(&f->seamldr_version.f, "%s", kx_if(KX_IF_TDX_SEAMLDR_VERSION));
	read_count(t, KX_IF_TDX_REMAINING_UPDATES, &f->remaining_updates);
	if (f->remaining_updates.f.state == TDX_ABSENT)
		read_count(t, KX_IF_TDX_REMAINING_UPDATES_V4, &f->remaining_updates);
	if (f->remaining_updates.f.state == TDX_ABSENT)
		tdx_fact_source(&f->remaining_updates.f, "%s", kx_if(KX_IF_TDX_REMAINING_UPDATES));
}

static const char *const fw_progress[] = {
	"idle", "receiving", "preparing", "transferring", "programming", NULL,
};

static const char *const fw_errors[] = {
	"hw-error", "timeout", "user-abort", "device-busy", "invalid-file-size",
	"read-write-error", "flash-wearout", "firmware-invalid", "unknown-error", NULL,
};

static bool in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && strncmp(*list, s, n) == 0)
			return true;
	return false;
}

static void read_fw_status(struct tdx_ctx *t, struct tdx_str *s)
{
	char *buf;

	tdx_fact_init(&s->f, kx_if(KX_IF_TDX_UPDATE_STATUS));
	if (tdx_read_line(t, s->f.source, 64, &buf, &s->f) < 0)
		return;
	if (!in_list(fw_progress, buf, strlen(buf)))
		tdx_fact_malformed(&s->f, "expected idle, receiving, preparing, transferring or "
				   "programming, found '%.30s'", buf);
	else {
		tdx_copy_str(s->v, sizeof(s->v), buf, strlen(buf));
		tdx_fact_known(&s->f);
	}
	free(buf);
}

/* "" when the last update did not fail, else "<progress>:<error>". */
static void read_fw_error(struct tdx_ctx *t, struct tdx_str *s)
{
	char *buf, *colon;

	tdx_fact_init(&s->f, kx_if(KX_IF_TDX_UPDATE_ERROR));
	if (tdx_read_line(t, s->f.source, 64, &buf, &s->f) < 0)
		return;
	colon = strchr(buf, ':');
	if (buf[0] && (!colon || !in_list(fw_progress, buf, (size_t)(colon - buf)) ||
		       !in_list(fw_errors, colon + 1, strlen(colon + 1))))
		tdx_fact_malformed(&s->f, "expected nothing or <progress>:<error> "
				   "(such as transferring:firmware-invalid), found '%.40s'", buf);
	else {
		tdx_copy_str(s->v, sizeof(s->v), buf, strlen(buf));
		tdx_fact_known(&s->f);
	}
	free(buf);
}

void tdx_read_fw_upload(struct tdx_ctx *t, struct tdx_facts *f)
{
	read_fw_status(t, &f->update_status);
	read_fw_error(t, &f->update_error);
}

void tdx_read_kvm(struct tdx_ctx *t, struct tdx_facts *f)
{
	char *buf;

	tdx_fact_init(&f->kvm_tdx.f, kx_if(KX_IF_KVM_INTEL_TDX));
	if (tdx_read_line(t, f->kvm_tdx.f.source, 16, &buf, &f->kvm_tdx.f) < 0)
		return;
	/* a bool module parameter reads Y or N (param_get_bool) */
	if (strcmp(buf, "Y") != 0 && strcmp(buf, "N") != 0)
		tdx_fact_malformed(&f->kvm_tdx.f, "expected Y or N, found '%.20s'", buf);
	else {
		f->kvm_tdx.v = buf[0] == 'Y';
		tdx_fact_known(&f->kvm_tdx.f);
	}
	free(buf);
}

/*
 * The "tdx" line of a misc.capacity or misc.current file: lines "<name> <n>".
 * No line means 0: the kernel prints a resource only while its capacity or
 * usage is not zero.
 */
static void misc_tdx_value(struct tdx_fact *fact, char *text, uint64_t *v)
{
	char *line = text, *end, *sp;

	*v = 0;
	for (; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end) {
			tdx_fact_malformed(fact, "expected lines ending in a newline");
			return;
		}
		*end = '\0';
		sp = strchr(line, ' ');
		if (!sp || sp == line || kx_parse_u64(sp + 1, 10, v) < 0) {
			tdx_fact_malformed(fact, "expected '<resource> <count>' lines, "
					   "found '%.40s'", line);
			return;
		}
		if (sp - line == 3 && strncmp(line, "tdx", 3) == 0) {
			tdx_fact_known(fact);
			return;
		}
	}
	*v = 0;
	tdx_fact_known(fact);
}

static void read_misc_file(struct tdx_ctx *t, const char *path, struct tdx_num *n)
{
	char *buf;

	tdx_fact_init(&n->f, path);
	if (tdx_read_text(t, path, 4096, &buf, NULL, &n->f) < 0)
		return;
	misc_tdx_value(&n->f, buf, &n->v);
	free(buf);
}

/* The cgroup v2 root, or a cgroup v1 misc hierarchy. */
static const char *misc_base(struct tdx_ctx *t)
{
	struct stat st;
	char path[128];

	snprintf(path, sizeof(path), "%s/" MISC_CAPACITY, kx_if(KX_IF_CGROUP2));
	if (kx_sysroot_stat(t->root, path, &st) == 0)
		return kx_if(KX_IF_CGROUP2);
	snprintf(path, sizeof(path), "%s/" MISC_CAPACITY, kx_if(KX_IF_CGROUP1_MISC));
	if (kx_sysroot_stat(t->root, path, &st) == 0)
		return kx_if(KX_IF_CGROUP1_MISC);
	return kx_if(KX_IF_CGROUP2);
}

static bool is_subdir(struct tdx_ctx *t, const char *base, const struct dirent *d)
{
	char path[512];
	struct stat st;

	if (d->d_name[0] == '.')
		return false;
	if (d->d_type == DT_DIR)
		return true;
	if (d->d_type != DT_UNKNOWN)
		return false;
	snprintf(path, sizeof(path), "%s/%s", base, d->d_name);
	return kx_sysroot_stat(t->root, path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Kernels before misc.current existed in the root cgroup: every child's
 * count includes its descendants, so the sum over the root's children is
 * the total (less any TD of a process in the root cgroup itself).
 */
static void sum_children(struct tdx_ctx *t, const char *base, struct tdx_facts *f)
{
	struct tdx_num *n = &f->live_tds, one;
	struct dirent *d;
	char path[512];
	uint64_t sum = 0;
	DIR *dir;
	int rc = kx_sysroot_opendir(t->root, base, &dir);

	f->live_tds_cgroups = 0;
	if (rc < 0) {
		tdx_fact_errno(&n->f, rc);
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		if (!is_subdir(t, base, d))
			continue;
		snprintf(path, sizeof(path), "%s/%s/" MISC_CURRENT, base, d->d_name);
		read_misc_file(t, path, &one);
		if (one.f.state == TDX_ABSENT)
			continue;
		if (one.f.state != TDX_KNOWN) {
			*n = one;
			closedir(dir);
			return;
		}
		sum += one.v;
		f->live_tds_cgroups++;
	}
	closedir(dir);
	snprintf(n->f.source, sizeof(n->f.source), "%s/*/" MISC_CURRENT, base);
	n->v = sum;
	if (f->live_tds_cgroups)
		tdx_fact_known(&n->f);
	else
		tdx_fact_errno(&n->f, ENOENT);
}

void tdx_read_live_tds(struct tdx_ctx *t, struct tdx_facts *f)
{
	const char *base = misc_base(t);
	char path[128];

	snprintf(path, sizeof(path), "%s/" MISC_CURRENT, base);
	read_misc_file(t, path, &f->live_tds);
	f->live_tds_cgroups = 0;
	if (f->live_tds.f.state == TDX_ABSENT)
		sum_children(t, base, f);
}

void tdx_misc_sources(struct tdx_facts *f)
{
	tdx_fact_source(&f->keyid_capacity.f, "%s/" MISC_CAPACITY, kx_if(KX_IF_CGROUP2));
	tdx_fact_source(&f->live_tds.f, "%s/" MISC_CURRENT, kx_if(KX_IF_CGROUP2));
}

void tdx_read_misc(struct tdx_ctx *t, struct tdx_facts *f)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/" MISC_CAPACITY, misc_base(t));
	read_misc_file(t, path, &f->keyid_capacity);
	tdx_read_live_tds(t, f);
}
