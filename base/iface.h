/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table of every kernel interface the program reads (/proc, /sys, /dev),
 * and the files of the system it reads besides (/boot, /etc): the path, what
 * it is, and which reader uses it.  Every path is written here and nowhere
 * else (tests/lint/paths checks it); a reader asks for its entry, and opens
 * it through the sysroot (base/sysroot.h), so a recorded host tree stands in
 * for the running system.  `kexec --list-interfaces` prints the table.
 *
 * A path with a conversion (%u, %s) names a family of files; kx_if_fmt()
 * fills it in.
 */
#pragma once

#include <stddef.h>

enum kx_if {
	/* /proc */
	KX_IF_CPUINFO,
	KX_IF_CMDLINE,
	KX_IF_IOMEM,
	KX_IF_MEMINFO,
	KX_IF_KALLSYMS,
	KX_IF_KCORE,
	KX_IF_OSRELEASE,
	KX_IF_KEXEC_LOAD_DISABLED,
	KX_IF_KEXEC_LIMIT_REBOOT,
	KX_IF_KEXEC_LIMIT_PANIC,
	KX_IF_BOOT_ID,
	KX_IF_PROC_COMM,
	/* /sys/kernel */
	KX_IF_KEXEC_LOADED,
	KX_IF_KEXEC_CRASH_LOADED,
	KX_IF_LOCKDOWN,
	KX_IF_BOOT_PARAMS,
	KX_IF_SETUP_DATA,
	KX_IF_SETUP_DATA_NODE,
	KX_IF_BTF_VMLINUX,
	KX_IF_VMCOREINFO,
	KX_IF_CRASH_ELFCOREHDR_SIZE,
	/* /sys/devices/system */
	KX_IF_SYSFS_DEVICES,
	KX_IF_CPU_DIR,
	KX_IF_CPU_POSSIBLE,
	KX_IF_CPU_CRASH_NOTES,
	KX_IF_CPU_CRASH_NOTES_SIZE,
	KX_IF_CPU_CRASH_HOTPLUG,
	KX_IF_MEMORY_CRASH_HOTPLUG,
	/* /sys/firmware */
	KX_IF_FW_MEMMAP,
	KX_IF_FW_MEMMAP_ENTRY,
	KX_IF_EFI_SYSTAB,
	KX_IF_EFI_FW_VENDOR,
	KX_IF_EFI_RUNTIME,
	KX_IF_EFI_CONFIG_TABLE,
	KX_IF_EFI_RUNTIME_MAP,
	KX_IF_EFI_RUNTIME_MAP_DIR,
	/* the TDX driver, its updater, KVM, the misc cgroup */
	KX_IF_TDX_MODULE_VERSION,
	KX_IF_TDX_SEAMLDR_VERSION,
	KX_IF_TDX_SEAMLDR_VERSION_V4,
	KX_IF_TDX_REMAINING_UPDATES,
	KX_IF_TDX_REMAINING_UPDATES_V4,
	KX_IF_TDX_UPDATE_STATUS,
	KX_IF_TDX_UPDATE_ERROR,
	KX_IF_KVM_INTEL_TDX,
	KX_IF_CGROUP2,
	KX_IF_CGROUP1_MISC,
	/* /dev */
	KX_IF_MSR,
	KX_IF_KMSG,
	KX_IF_FB0,
	/* /boot, /etc */
	KX_IF_BOOT_CONFIG,
	KX_IF_POLICY,
	KX_IF_NR
};

struct kx_iface {
	const char *path;	/* absolute; may hold one or two conversions */
	const char *what;	/* what it is, for a person */
	const char *reader;	/* the function that reads it */
};

/* The entry of @id (never NULL for a valid id). */
const struct kx_iface *kx_iface_get(enum kx_if id);
/* The path of @id. */
const char *kx_if(enum kx_if id);
/* The path of a family member: @id's path filled in with the arguments.  0 or -ENAMETOOLONG. */
int kx_if_fmt(char *buf, size_t size, enum kx_if id, ...);
