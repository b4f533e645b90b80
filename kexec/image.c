// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <string.h>

#include "kexec/image.h"

const struct kx_image_type kx_image_types[] = {
	{
		.name = "bzImage64",
		.probe = kx_bzimage64_probe,
		.load = kx_bzimage64_load,
		.cleanup = kx_bzimage64_cleanup,
		.usage = "x86_64 bzImage, boot protocol 2.12 or later, entered at its 64-bit entry point",
	},
	{ .name = NULL },
};

const struct kx_image_type *kx_image_type_find(const char *name)
{
	const struct kx_image_type *t;

	for (t = kx_image_types; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}
