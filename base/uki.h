/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unified kernel images (systemd-stub(7), UAPI.5 "Unified Kernel Image"): a
 * PE image whose sections carry the kernel (.linux), initrd (.initrd),
 * microcode (.ucode), command line (.cmdline), os-release (.osrel) and the
 * kernel's release (.uname).  A multi-profile UKI (systemd 257 and later)
 * adds .profile sections: the sections before the first .profile are the
 * base, the k-th .profile starts profile k, and a profile's sections
 * replace the base ones of the same name (systemd src/boot/pe.c
 * pe_locate_profile_sections; src/shared/bootspec.c: an empty one removes
 * it).  Without .profile sections the base is profile 0.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pe.h"

struct kx_ctx;

enum kx_uki_part {
	KX_UKI_LINUX,
	KX_UKI_UCODE,
	KX_UKI_INITRD,
	KX_UKI_CMDLINE,
	KX_UKI_OSREL,
	KX_UKI_UNAME,
	KX_UKI_PROFILE,
	KX_UKI_NR_PARTS,
};

#define KX_UKI_MAX_PROFILES	256	/* systemd's UNIFIED_PROFILES_MAX */
#define KX_UKI_MAX_TEXT		(4u << 20)	/* bootspec's cap on .cmdline, .osrel, .profile */

struct kx_uki_sect {
	const uint8_t *data;	/* NULL: the UKI has none (for this profile) */
	size_t size;
	int index;		/* section table index, -1 when absent */
	bool from_profile;	/* found in the profile's range, not the base */
};

struct kx_uki {
	struct kx_pe pe;
	unsigned int nprofiles;		/* .profile sections; 0: only the implied profile 0 */
	unsigned int profile;		/* the one selected */
	struct kx_uki_sect part[KX_UKI_NR_PARTS];
	char profile_id[64];		/* ID= and TITLE= of the profile's .profile, or "" */
	char profile_title[128];
	char os[128];			/* PRETTY_NAME (else NAME) of .osrel, or "" */
	char uname[128];		/* .uname, or "" */
};

/* The section name of @part (".linux", ...). */
const char *kx_uki_part_name(enum kx_uki_part part);

/* Does @data look like a UKI: a PE image without a bzImage setup header? */
bool kx_uki_looks_like(const void *data, size_t size);

/*
 * Parse @data (the file @name) as a UKI and select @profile.  Returns 0,
 * -ENOEXEC with ctx->err saying what is wrong (a bad PE, no .linux, a
 * profile that does not exist, a text section over 4 MiB), or -ENOMEM.
 * Free with kx_uki_free().
 */
int kx_uki_parse(struct kx_ctx *ctx, const char *name, const void *data, size_t size,
		 unsigned int profile, struct kx_uki *u);
void kx_uki_free(struct kx_uki *u);

/*
 * The .cmdline as the kernel should get it, malloc'd in *out: up to the
 * first NUL, control characters as spaces, trailing white space dropped
 * (as systemd-stub mangles it).  *out is NULL when the UKI has none.
 */
int kx_uki_cmdline(const struct kx_uki *u, char **out);
