// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The uki image type (kexec_load through our purgatory: the .linux is a
 * bzImage, loaded as bzImage64 loads one) and the parts kexec_file_load
 * gets in memfds (kexec/load-file.c).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "base/io.h"
#include "kexec/image.h"
#include "kexec/load.h"
#include "kexec/uki-image.h"

#define PAD4(x) (((x) + 3) & ~(size_t)3)

const char *kx_uki_part_origin(const struct kx_uki_parts *p, enum kx_uki_part part, char *buf,
			       size_t len)
{
	if (p->uki.part[part].from_profile)
		snprintf(buf, len, "%s of profile %u", kx_uki_part_name(part), p->uki.profile);
	else
		snprintf(buf, len, "%s of the base", kx_uki_part_name(part));
	return buf;
}

static void add_piece(struct kx_uki_parts *p, const uint8_t *data, size_t size, const char *from)
{
	struct kx_uki_piece *pc = &p->initrd[p->ninitrd++];

	snprintf(pc->from, sizeof(pc->from), "%s", from);
	pc->data = data;
	pc->size = size;
	p->initrd_size += PAD4(size);
}

int kx_uki_parts_get(struct kx_ctx *ctx, const char *name, const void *data, size_t size,
		     unsigned int profile, const char *user_name, const void *user_initrd,
		     size_t user_size, struct kx_uki_parts *p)
{
	const struct kx_uki_sect *s;
	char from[192];
	int rc;

	memset(p, 0, sizeof(*p));
	rc = kx_uki_parse(ctx, name, data, size, profile, &p->uki);
	if (rc < 0)
		return rc;
	s = &p->uki.part[KX_UKI_LINUX];
	kx_uki_part_origin(p, KX_UKI_LINUX, p->kernel_from, sizeof(p->kernel_from));
	snprintf(p->name, sizeof(p->name), "%s (%s)", name, p->kernel_from);
	rc = kx_bzimage_parse(ctx, p->name, s->data, s->size, &p->bz);
	if (rc < 0) {
		kx_uki_free(&p->uki);
		return rc;
	}
	s = &p->uki.part[KX_UKI_UCODE];
	if (s->data)
		add_piece(p, s->data, s->size, kx_uki_part_origin(p, KX_UKI_UCODE, from,
								  sizeof(from)));
	s = &p->uki.part[KX_UKI_INITRD];
	if (user_initrd) {
		snprintf(from, sizeof(from), "--initrd %s%s", user_name,
			 s->data ? " (instead of the UKI's .initrd)" : "");
		add_piece(p, user_initrd, user_size, from);
	} else if (s->data) {
		add_piece(p, s->data, s->size, kx_uki_part_origin(p, KX_UKI_INITRD, from,
								   sizeof(from)));
	}
	return 0;
}

void kx_uki_parts_free(struct kx_uki_parts *p)
{
	kx_uki_free(&p->uki);
}

int kx_uki_initrd_concat(const struct kx_uki_parts *p, uint8_t **out)
{
	uint8_t *buf = calloc(1, p->initrd_size ? p->initrd_size : 1);
	size_t i, off = 0;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < p->ninitrd; i++) {
		memcpy(buf + off, p->initrd[i].data, p->initrd[i].size);
		off += PAD4(p->initrd[i].size);
	}
	*out = buf;
	return 0;
}

int kx_uki_initrd_write(struct kx_ctx *ctx, const struct kx_uki_parts *p, int fd)
{
	static const uint8_t zeros[4];
	size_t i;
	int rc = 0;

	for (i = 0; i < p->ninitrd && rc == 0; i++) {
		rc = kx_write_all(fd, p->initrd[i].data, p->initrd[i].size);
		if (rc == 0 && PAD4(p->initrd[i].size) != p->initrd[i].size)
			rc = kx_write_all(fd, zeros, PAD4(p->initrd[i].size) - p->initrd[i].size);
	}
	if (rc < 0)
		return kx_fail(ctx, rc, "cannot write the UKI's initrd into a memfd: %s",
			       strerror(-rc));
	return 0;
}

/* ---- the image type ---------------------------------------------------- */

int kx_uki_probe(struct kx_ctx *ctx, const char *name, const void *data, size_t size)
{
	struct kx_uki u;
	int rc;

	if (!kx_uki_looks_like(data, size))
		return kx_fail(ctx, -ENOEXEC, "%s is not a PE/EFI image; expected a unified kernel "
			       "image", name);
	rc = kx_uki_parse(ctx, name, data, size, 0, &u);
	if (rc == 0)
		kx_uki_free(&u);
	return rc;
}

bool kx_uki_claims(const void *data, size_t size)
{
	return kx_uki_looks_like(data, size);
}

struct uki_state {
	struct kx_uki_parts parts;
	uint8_t *initrd;	/* the concatenation, when there is more than one piece */
	void *bz;		/* the bzImage64 loader's state */
};

int kx_uki_load(struct kx_classic *st)
{
	const struct kx_load_req *req = st->req;
	struct uki_state *s = calloc(1, sizeof(*s));
	const void *initrd = NULL;
	size_t isize = 0;
	int rc;

	st->loader_data = s;
	if (!s)
		return -ENOMEM;
	rc = kx_uki_parts_get(st->ctx, req->kernel, st->kernel.data, st->kernel.size,
			      req->uki_profile, req->initrd, st->initrd.data, st->initrd.size,
			      &s->parts);
	if (rc < 0)
		return rc;
	if (s->parts.ninitrd == 1) {
		initrd = s->parts.initrd[0].data;
		isize = s->parts.initrd[0].size;
	} else if (s->parts.ninitrd > 1) {
		rc = kx_uki_initrd_concat(&s->parts, &s->initrd);
		if (rc < 0)
			return rc;
		initrd = s->initrd;
		isize = s->parts.initrd_size;
	}
	kx_dbg(st->ctx, "uki: kernel from %s, %zu initrd piece(s), %zu bytes", s->parts.kernel_from,
	       s->parts.ninitrd, isize);
	return kx_bzimage64_load_buf(st, s->parts.name, s->parts.uki.part[KX_UKI_LINUX].data,
				     s->parts.uki.part[KX_UKI_LINUX].size, initrd, isize, &s->bz);
}

void kx_uki_cleanup(struct kx_classic *st)
{
	struct uki_state *s = st->loader_data;

	if (!s)
		return;
	kx_bzimage64_free(s->bz);
	kx_uki_parts_free(&s->parts);
	free(s->initrd);
	free(s);
	st->loader_data = NULL;
}
