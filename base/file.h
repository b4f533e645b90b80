/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input files (kernel, initrd) in memory.  A file that is not compressed is
 * mapped, not copied; a gzip, xz or zstd file is decompressed into memory,
 * as kexec-tools' slurp_decompress_file does for kernels.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/decompress.h"

struct kx_ctx;

struct kx_file {
	char *path;
	int fd;			/* the file as given; -1 when closed */
	uint64_t file_size;	/* size on disk */
	uint8_t *data;		/* contents (decompressed when comp != NONE) */
	size_t size;
	enum kx_comp comp;	/* compression of the file on disk */
	bool mapped;		/* data is a read-only mapping of fd */
	char desc[512];		/* kx_file_desc() */
};

/* Initialiser for a struct kx_file that may be closed before it is opened. */
#define KX_FILE_INIT { .fd = -1 }

/*
 * Open @path and bring its contents into memory.  With @decompress, a
 * compressed file is decompressed as a kernel image, never past the size its
 * headers give (kx_decompress_image; an unsupported compression is -ENOEXEC
 * with ctx->err saying which).  Returns 0 or -errno with ctx->err set.
 */
int kx_file_open(struct kx_ctx *ctx, const char *what, const char *path, bool decompress,
		 struct kx_file *f);
void kx_file_close(struct kx_file *f);
/*
 * Open @path for reading if it is a regular file, at once: a FIFO, a device
 * or a directory is -EINVAL naming what it is, and opening never waits (for a
 * FIFO's writer, a tty).  Returns the fd (*@size its size), or -errno with
 * ctx->err set.
 */
int kx_file_open_fd(struct kx_ctx *ctx, const char *what, const char *path, uint64_t *size);

/*
 * Fault a mapped file's pages in with one call (MADV_POPULATE_READ, Linux
 * 5.14) instead of one page fault per page later; a no-op otherwise.
 */
void kx_file_populate(struct kx_file *f);

/* "path" or "path (gzip-compressed)", for messages about the contents. */
const char *kx_file_desc(struct kx_file *f);
