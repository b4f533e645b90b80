/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every call that changes the running kernel goes through one ops table:
 * kexec_load, kexec_file_load, reboot(KEXEC), and the steps around an exec
 * (sync, taking interfaces down, running shutdown).  The real table makes the
 * calls; the recorder keeps a copy of what would have been called, which is
 * what --dry-run prints and what the tests inspect.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kexec/abi.h"

struct kx_plan_seg {
	const char *what;	/* "kernel", "initrd", "purgatory", ... */
	const void *buf;
	uint64_t bufsz;
	uint64_t mem;		/* physical destination, page aligned */
	uint64_t memsz;		/* page multiple; bytes past bufsz are zeroed */
};

/* A complete kexec_load(2) request. */
struct kx_plan {
	struct kx_plan_seg seg[KX_MAX_SEGMENTS];
	size_t nr;
	uint64_t entry;
	unsigned long flags;	/* including the arch bits */
};

/* A complete kexec_file_load(2) request. */
struct kx_file_req {
	int kernel_fd;		/* -1 with KEXEC_FILE_UNLOAD */
	int initrd_fd;		/* -1 with KEXEC_FILE_NO_INITRAMFS */
	const char *kernel_path;
	const char *initrd_path;
	bool kernel_decompressed; /* kernel_fd is a memfd holding a decompressed copy */
	const char *cmdline;	/* NUL-terminated; "" when none */
	size_t cmdline_len;	/* including the NUL */
	unsigned long flags;
};

struct kx_ops {
	const char *name;
	int (*kexec_load)(void *data, const struct kx_plan *plan);
	int (*kexec_file_load)(void *data, const struct kx_file_req *req);
	int (*reboot_kexec)(void *data);
	void (*sync)(void *data);
	int (*ifdown)(void *data);
	int (*shutdown)(void *data);		/* shutdown -r now */
	/* -1: no opinion, read /sys/kernel/kexec_{,crash_}loaded instead */
	int (*loaded)(void *data, bool crash);
};

/* The real kernel.  All return 0 or -errno; reboot_kexec returns only on failure. */
extern const struct kx_ops kx_ops_real;

/* The recorder. */
enum kx_call_kind {
	KX_CALL_KEXEC_LOAD,
	KX_CALL_KEXEC_FILE_LOAD,
	KX_CALL_REBOOT_KEXEC,
	KX_CALL_SYNC,
	KX_CALL_IFDOWN,
	KX_CALL_SHUTDOWN,
};

/* The recorder keeps a copy of each kexec_load buffer up to this size. */
#define KX_RECORD_KEEP (64 * 1024)

struct kx_call {
	enum kx_call_kind kind;
	struct kx_plan plan;		/* KEXEC_LOAD; seg[].buf is not kept... */
	uint8_t *seg_data[KX_MAX_SEGMENTS];	/* ...but a copy of the small ones */
	uint8_t seg_sha256[KX_MAX_SEGMENTS][32];
	struct kx_file_req file;	/* KEXEC_FILE_LOAD; strings are owned copies */
	uint64_t kernel_size, initrd_size;
};

struct kx_recorder {
	struct kx_call *calls;
	size_t nr;
	bool loaded, crash_loaded;	/* what the recorded calls would have left */
	bool known, crash_known;	/* ... once one of them succeeded */
	/* Tests: the kernel's answer to every load (-errno), as if it refused it;
	 * 0 answers success.  The call is recorded either way. */
	int load_errno;
	int unload_errno;	/* the same for every unload */
};

extern const struct kx_ops kx_ops_recorder;
void kx_recorder_free(struct kx_recorder *rec);
const char *kx_call_name(enum kx_call_kind kind);
