/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel ABI numbers for kexec on x86_64.  Defined here rather than taken from
 * libc headers, which lack most of them.
 * Sources: include/uapi/linux/kexec.h, include/uapi/linux/reboot.h,
 * arch/x86/entry/syscalls/syscall_64.tbl.
 */
#pragma once

#define KX_NR_KEXEC_LOAD		246
#define KX_NR_KEXEC_FILE_LOAD		320

/* kexec_load(2) flags */
#define KX_KEXEC_ON_CRASH		0x1UL
#define KX_KEXEC_PRESERVE_CONTEXT	0x2UL
#define KX_KEXEC_UPDATE_ELFCOREHDR	0x4UL
#define KX_KEXEC_ARCH_X86_64		(62UL << 16)	/* EM_X86_64 << 16 */

/* kexec_file_load(2) flags */
#define KX_KEXEC_FILE_UNLOAD		0x1UL
#define KX_KEXEC_FILE_ON_CRASH		0x2UL
#define KX_KEXEC_FILE_NO_INITRAMFS	0x4UL
#define KX_KEXEC_FILE_DEBUG		0x8UL
#define KX_KEXEC_FILE_NO_CMA		0x10UL
#define KX_KEXEC_FILE_FORCE_DTB		0x20UL

#define KX_MAX_SEGMENTS			16	/* KEXEC_SEGMENT_MAX */

/* reboot(2): LINUX_REBOOT_CMD_KEXEC, "EXEC" in ASCII */
#define KX_REBOOT_CMD_KEXEC		0x45584543

#define KX_PAGE_SIZE			4096UL
#define KX_ALIGN_UP(x, a)		(((x) + ((a) - 1)) & ~((uint64_t)(a) - 1))
#define KX_ALIGN_DOWN(x, a)		((x) & ~((uint64_t)(a) - 1))
