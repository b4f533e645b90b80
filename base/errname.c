// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <string.h>

#include "base/errname.h"

struct errno_name {
	int err;
	const char *name;
};

/* The errnos kernel files and our readers give; others are shown by number. */
static const struct errno_name errno_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" }, { ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
	{ EINVAL, "EINVAL" }, { EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" },
	{ EROFS, "EROFS" }, { EPIPE, "EPIPE" }, { ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" },
	{ ELOOP, "ELOOP" }, { ENODATA, "ENODATA" }, { EBADMSG, "EBADMSG" },
	{ EOVERFLOW, "EOVERFLOW" }, { EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
	{ ESTALE, "ESTALE" }, { EXDEV, "EXDEV" }, { ENOEXEC, "ENOEXEC" }, { E2BIG, "E2BIG" },
	{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { EKEYREJECTED, "EKEYREJECTED" },
	{ ENOKEY, "ENOKEY" }, { EMSGSIZE, "EMSGSIZE" }, { ELIBBAD, "ELIBBAD" },
	{ ENOPKG, "ENOPKG" }, { ENAMETOOLONG, "ENAMETOOLONG" },
};

const char *kx_errno_name(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return NULL;
}

int kx_errno_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (strcmp(errno_names[i].name, name) == 0)
			return errno_names[i].err;
	return 0;
}
