// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading back, in the new kernel, the record our purgatory's TDX gate left
 * in a setup_data node (freestanding/gate-record.h), through
 * /sys/kernel/boot_params/setup_data/N/{type,data} (arch/x86/kernel/ksysfs.c).
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "base/iface.h"
#include "base/read.h"
#include "base/parse.h"
#include "base/sysroot.h"
#include "freestanding/gate-logic.h"
#include "tdx/tdx-internal.h"

/* The node's type file holds "0x%x\n" (arch/x86/kernel/ksysfs.c type_show). */
static int node_type(struct kx_ctx *ctx, const char *node, uint64_t *type)
{
	char path[384];
	int rc = kx_if_fmt(path, sizeof(path), KX_IF_SETUP_DATA_NODE, node, "type");

	return rc < 0 ? rc : kx_read_u64(ctx, path, 16, type);
}

/* Why kx_tdx_gate_record_read() refused the @len bytes at @buf, as a sentence. */
static int refused(struct kx_ctx *ctx, const char *path, const uint8_t *buf, size_t len)
{
	uint32_t magic = 0;
	uint16_t version = 0, size = 0;

	if (len >= 8) {
		memcpy(&magic, buf, 4);
		memcpy(&version, buf + 4, 2);
		memcpy(&size, buf + 6, 2);
	}
	if (len >= 8 && magic != KX_TDX_GATE_MAGIC)
		return kx_fail(ctx, -EINVAL, "%s: not a kexec-tdx gate record (magic 0x%08x)", path,
			       magic);
	if (len < KX_TDX_GATE_V1_SIZE)
		return kx_fail(ctx, -EINVAL, "%s: %zu bytes; a gate record has at least %u", path, len,
			       KX_TDX_GATE_V1_SIZE);
	if (size > len)
		return kx_fail(ctx, -EINVAL, "%s: %zu bytes, but the gate record says %u: truncated",
			       path, len, size);
	if (version == 0)
		return kx_fail(ctx, -EINVAL, "%s: gate record version 0 is not a version", path);
	return kx_fail(ctx, -EINVAL, "%s: gate record version %u of %u bytes; version %u has at "
		       "least %u (records only grow)", path, version, size, version,
		       kx_tdx_gate_record_min_size(version));
}

/*
 * The record under the growth rule of freestanding/gate-record.h (any
 * version >= 1; the fields of the versions this program knows), then the
 * ranges of the fields it interprets.
 */
static int check_record(struct kx_ctx *ctx, const char *path, const uint8_t *buf, size_t len,
			struct kx_tdx_gate_record *r)
{
	if (kx_tdx_gate_record_read(buf, len, r) < 0)
		return refused(ctx, path, buf, len);
	if (r->state > KX_TDX_GATE_RAN || r->mode > KX_TDX_GATE_MODE_ENFORCE ||
	    r->verdict > KX_TDX_GATE_FAIL)
		return kx_fail(ctx, -EINVAL, "%s: gate record fields out of range (state %u, mode %u, "
			       "verdict %u)", path, r->state, r->mode, r->verdict);
	return 0;
}

static int read_node(struct kx_ctx *ctx, const char *node, struct tdx_gate_found *out)
{
	char path[384], *buf;
	size_t len;
	int rc;

	rc = kx_if_fmt(path, sizeof(path), KX_IF_SETUP_DATA_NODE, node, "data");
	if (rc == 0)
		rc = kx_sysroot_read(ctx->root, path, 4096, &buf, &len);
	if (rc < 0)
		return kx_fail(ctx, rc, "cannot read %s: %s", path, strerror(-rc));
	rc = check_record(ctx, path, (const uint8_t *)buf, len, &out->rec);
	free(buf);
	if (rc == 0)
		out->node = (unsigned int)strtoul(node, NULL, 10);
	return rc;
}

int tdx_gate_record_read(struct tdx_ctx *t, struct tdx_gate_found *out)
{
	struct kx_ctx *ctx = &t->kx;
	struct dirent *de;
	uint64_t type;
	DIR *dir;
	int rc = -ENOENT;

	kx_clear_err(ctx);
	if (kx_sysroot_opendir(ctx->root, kx_if(KX_IF_SETUP_DATA), &dir) < 0)
		return -ENOENT;
	while (rc == -ENOENT && (de = readdir(dir)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		rc = node_type(ctx, de->d_name, &type);
		if (rc == 0 && type != KX_SETUP_TDX_GATE)
			rc = -ENOENT;
		else if (rc == 0)
			rc = read_node(ctx, de->d_name, out);
	}
	closedir(dir);
	return rc;
}
