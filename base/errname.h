/* SPDX-License-Identifier: GPL-2.0-or-later */
/* errno names ("EACCES"), for reports and for the errno sidecars of recorded host trees. */
#pragma once

/* The name of errno @err (either sign); NULL for one this table does not know. */
const char *kx_errno_name(int err);
/* The positive errno named @name; 0 if unknown. */
int kx_errno_from_name(const char *name);
