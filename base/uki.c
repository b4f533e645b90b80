// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unified kernel images: the sections systemd-stub boots from, for one
 * profile.  Section lookup mirrors the stub (first match wins, base first,
 * then the profile's range overrides); an empty section in a profile
 * removes the base one, as systemd's bootspec.c reads profiles.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bzimage.h"
#include "base/bytes.h"
#include "base/ctx.h"
#include "base/uki.h"

static const char *const part_names[KX_UKI_NR_PARTS] = {
	[KX_UKI_LINUX] = ".linux",
	[KX_UKI_UCODE] = ".ucode",
	[KX_UKI_INITRD] = ".initrd",
	[KX_UKI_CMDLINE] = ".cmdline",
	[KX_UKI_OSREL] = ".osrel",
	[KX_UKI_UNAME] = ".uname",
	[KX_UKI_PROFILE] = ".profile",
};

const char *kx_uki_part_name(enum kx_uki_part part)
{
	return part_names[part];
}

/*
 * A bzImage carries the setup header's "HdrS" at 0x202 (its EFI stub makes it
 * a PE image too); a UKI is the systemd stub, which has none, plus .linux.
 */
bool kx_uki_looks_like(const void *data, size_t size)
{
	const uint8_t *d = data;

	return kx_pe_magic(data, size) &&
	       !(size > KX_BZ_HEADER + 4 && memcmp(d + KX_BZ_HEADER, "HdrS", 4) == 0);
}

/* Every refusal names the file and what this reader takes. */
#define reject(ctx, name, ...) \
	kx_reject_image(ctx, name, "a unified kernel image (systemd-stub with a .linux section)", __VA_ARGS__)

/* Section range [*from, *to) of profile @profile; the base is [0, first .profile). */
static int profile_range(struct kx_ctx *ctx, const char *name, struct kx_uki *u,
			 unsigned int *base_end, unsigned int *from, unsigned int *to)
{
	const struct kx_pe *pe = &u->pe;
	unsigned int i, k = 0;

	*base_end = pe->nsec;
	*from = *to = pe->nsec;
	for (i = 0; i < pe->nsec; i++) {
		if (strcmp(pe->sec[i].name, ".profile") != 0)
			continue;
		if (k == 0)
			*base_end = i;
		if (k == u->profile)
			*from = i;
		else if (k == u->profile + 1)
			*to = i;
		k++;
	}
	u->nprofiles = k;
	if (k > KX_UKI_MAX_PROFILES)
		return reject(ctx, name, "%u profiles; systemd-stub reads at most %d", k,
			      KX_UKI_MAX_PROFILES);
	if (u->profile >= (k ? k : 1))
		return kx_fail(ctx, -ENOEXEC, "%s: profile %u does not exist: this UKI has %s%u",
			       name, u->profile, k ? "profiles 0 to " : "only profile ",
			       k ? k - 1 : 0);
	return 0;
}

static void set_part(struct kx_uki *u, enum kx_uki_part p, int idx, bool from_profile)
{
	const struct kx_pe_section *s = &u->pe.sec[idx];

	u->part[p].index = s->size ? idx : -1;
	u->part[p].data = s->size ? s->data : NULL;
	u->part[p].size = s->size;
	u->part[p].from_profile = from_profile;
}

/* Key=value text (os-release, .profile): the value of @key, unquoted, into @out. */
static void text_value(const struct kx_uki_sect *s, const char *key, char *out, size_t outlen)
{
	size_t klen = strlen(key), pos = 0, n = 0;
	const char *t = (const char *)s->data;

	while (s->data && pos < s->size) {
		size_t end = pos;

		while (end < s->size && t[end] != '\n' && t[end])
			end++;
		if (end - pos > klen && strncmp(t + pos, key, klen) == 0 && t[pos + klen] == '=') {
			pos += klen + 1;
			if (pos < end && (t[pos] == '"' || t[pos] == '\''))
				pos++;
			while (pos < end && n + 1 < outlen && t[pos] != '"' && t[pos] != '\'') {
				char c = t[pos++];

				out[n++] = (c >= 0x20 && c < 0x7f) ? c : '?';
			}
			break;
		}
		pos = end + 1;
	}
	if (outlen)
		out[n] = '\0';
}

static void read_texts(struct kx_uki *u)
{
	struct kx_uki_sect un = u->part[KX_UKI_UNAME];
	size_t i;

	text_value(&u->part[KX_UKI_PROFILE], "ID", u->profile_id, sizeof(u->profile_id));
	text_value(&u->part[KX_UKI_PROFILE], "TITLE", u->profile_title, sizeof(u->profile_title));
	text_value(&u->part[KX_UKI_OSREL], "PRETTY_NAME", u->os, sizeof(u->os));
	if (!u->os[0])
		text_value(&u->part[KX_UKI_OSREL], "NAME", u->os, sizeof(u->os));
	for (i = 0; un.data && i < un.size && i + 1 < sizeof(u->uname); i++) {
		char c = (char)un.data[i];

		if (c == '\0' || c == '\n')
			break;
		u->uname[i] = (c > 0x20 && c < 0x7f) ? c : '?';
	}
	u->uname[i] = '\0';
}

static int find_parts(struct kx_ctx *ctx, const char *name, struct kx_uki *u)
{
	unsigned int base_end, from, to;
	int p, idx, rc;

	rc = profile_range(ctx, name, u, &base_end, &from, &to);
	if (rc < 0)
		return rc;
	for (p = 0; p < KX_UKI_NR_PARTS; p++) {
		u->part[p].index = -1;
		idx = kx_pe_find(&u->pe, part_names[p], 0, base_end);
		if (idx >= 0)
			set_part(u, (enum kx_uki_part)p, idx, false);
		idx = kx_pe_find(&u->pe, part_names[p], from, to);
		if (idx >= 0)
			set_part(u, (enum kx_uki_part)p, idx, true);
	}
	if (!u->part[KX_UKI_LINUX].data)
		return reject(ctx, name, "it has no .linux section%s",
			      u->nprofiles ? " in the base or the selected profile" : "");
	for (p = KX_UKI_CMDLINE; p < KX_UKI_NR_PARTS; p++)
		if (u->part[p].size > KX_UKI_MAX_TEXT)
			return reject(ctx, name, "its %s section is %zu bytes; systemd reads at "
				      "most %u", part_names[p], u->part[p].size, KX_UKI_MAX_TEXT);
	read_texts(u);
	return 0;
}

int kx_uki_parse(struct kx_ctx *ctx, const char *name, const void *data, size_t size,
		 unsigned int profile, struct kx_uki *u)
{
	int rc;

	memset(u, 0, sizeof(*u));
	u->profile = profile;
	rc = kx_pe_parse(ctx, name, data, size, &u->pe);
	if (rc < 0)
		return rc;
	rc = find_parts(ctx, name, u);
	if (rc < 0)
		kx_uki_free(u);
	return rc;
}

void kx_uki_free(struct kx_uki *u)
{
	kx_pe_free(&u->pe);
}

static bool blank(char c)
{
	return (unsigned char)c <= 0x20 || c == 0x7f;
}

int kx_uki_cmdline(const struct kx_uki *u, char **out)
{
	const struct kx_uki_sect *s = &u->part[KX_UKI_CMDLINE];
	size_t i = 0, n = 0, keep = 0;
	char *res;

	*out = NULL;
	if (!s->data)
		return 0;
	res = malloc(s->size + 1);
	if (!res)
		return -ENOMEM;
	while (i < s->size && s->data[i] && blank((char)s->data[i]))
		i++;
	for (; i < s->size && s->data[i]; i++) {
		char c = (char)s->data[i];

		res[n++] = blank(c) ? ' ' : c;
		if (!blank(c))
			keep = n;
	}
	res[keep] = '\0';
	*out = res;
	return 0;
}
