// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel interfaces the program reads.  Where each comes from in Linux is
 * given with the entry when it is not obvious from the path.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "base/iface.h"

#define IF(id, p, w, r) [id] = { .path = p, .what = w, .reader = r }

static const struct kx_iface table[KX_IF_NR] = {
	IF(KX_IF_CPUINFO, "/proc/cpuinfo",
	   "CPU vendor, family, model, flags (tdx_host_platform) and bugs (tdx_pw_mce)",
	   "kx_cpuinfo_read"),
	IF(KX_IF_CMDLINE, "/proc/cmdline",
	   "this kernel's command line (--reuse-cmdline, add_efi_memmap)", "kx_read_cmdline"),
	IF(KX_IF_IOMEM, "/proc/iomem",
	   "physical memory resources: RAM, the crash kernel reservation", "kx_iomem_walk"),
	IF(KX_IF_MEMINFO, "/proc/meminfo", "MemTotal, for the half-of-RAM rule of kexec_load",
	   "kx_mem_total"),
	IF(KX_IF_KALLSYMS, "/proc/kallsyms",
	   "kernel symbols: tdx_sys_disable; _stext for a kdump header's kernel text",
	   "tdx_read_kallsyms, kx_crash_info_read"),
	IF(KX_IF_KCORE, "/proc/kcore",
	   "its program headers only: the direct map base and the kernel text mapping, for a "
	   "kdump header's virtual addresses (fs/proc/kcore.c)", "kx_crash_info_read"),
	IF(KX_IF_OSRELEASE, "/proc/sys/kernel/osrelease", "the running kernel's release",
	   "tdx_read_release"),
	IF(KX_IF_KEXEC_LOAD_DISABLED, "/proc/sys/kernel/kexec_load_disabled",
	   "sysctl: kexec switched off until reboot", "kx_diagnose"),
	IF(KX_IF_KEXEC_LIMIT_REBOOT, "/proc/sys/kernel/kexec_load_limit_reboot",
	   "sysctl: loads of a normal kernel left", "kx_diagnose"),
	IF(KX_IF_KEXEC_LIMIT_PANIC, "/proc/sys/kernel/kexec_load_limit_panic",
	   "sysctl: loads of a crash kernel left", "kx_diagnose"),
	IF(KX_IF_BOOT_ID, "/proc/sys/kernel/random/boot_id",
	   "this boot's id: which boot a record of what was staged belongs to", "kx_boot_id"),
	IF(KX_IF_PROC_COMM, "/proc/%ld/comm",
	   "the name of the program that ran kexec, for the record of what was staged",
	   "kx_cli_staged_record"),
	IF(KX_IF_KEXEC_LOADED, "/sys/kernel/kexec_loaded", "1 when a normal kernel is loaded",
	   "kx_loaded"),
	IF(KX_IF_KEXEC_CRASH_LOADED, "/sys/kernel/kexec_crash_loaded",
	   "1 when a crash kernel is loaded", "kx_loaded"),
	IF(KX_IF_LOCKDOWN, "/sys/kernel/security/lockdown", "the lockdown mode, in brackets",
	   "kx_diagnose"),
	IF(KX_IF_BOOT_PARAMS, "/sys/kernel/boot_params/data", "this boot's boot_params (zero page)",
	   "kx_zp_prepare"),
	IF(KX_IF_SETUP_DATA, "/sys/kernel/boot_params/setup_data",
	   "this boot's setup_data nodes (arch/x86/kernel/ksysfs.c)", "tdx_gate_record_read"),
	IF(KX_IF_SETUP_DATA_NODE, "/sys/kernel/boot_params/setup_data/%s/%s",
	   "one setup_data node's type or data", "tdx_gate_record_read"),
	IF(KX_IF_BTF_VMLINUX, "/sys/kernel/btf/vmlinux", "the kernel's BTF: tdx_sys_disable",
	   "tdx_read_btf"),
	IF(KX_IF_VMCOREINFO, "/sys/kernel/vmcoreinfo",
	   "physical address and size of the vmcoreinfo note, hex (kernel/ksysfs.c)",
	   "kx_crash_info_read"),
	IF(KX_IF_CRASH_ELFCOREHDR_SIZE, "/sys/kernel/crash_elfcorehdr_size",
	   "room the kernel needs to rewrite a kdump header on hotplug (CONFIG_CRASH_HOTPLUG, 6.6+)",
	   "kx_crash_hotplug_size"),
	IF(KX_IF_SYSFS_DEVICES, "/sys/devices", "sysfs devices: is sysfs mounted",
	   "kx_crash_info_read"),
	IF(KX_IF_CPU_DIR, "/sys/devices/system/cpu", "the CPUs sysfs knows", "kx_crash_info_read"),
	IF(KX_IF_CPU_POSSIBLE, "/sys/devices/system/cpu/possible", "the possible CPUs (\"0-3\")",
	   "kx_crash_info_read"),
	IF(KX_IF_CPU_CRASH_NOTES, "/sys/devices/system/cpu/cpu%u/crash_notes",
	   "physical address of a CPU's crash note, hex (drivers/base/cpu.c)", "kx_crash_info_read"),
	IF(KX_IF_CPU_CRASH_NOTES_SIZE, "/sys/devices/system/cpu/cpu%u/crash_notes_size",
	   "size of a CPU's crash note, decimal", "kx_crash_info_read"),
	IF(KX_IF_CPU_CRASH_HOTPLUG, "/sys/devices/system/cpu/crash_hotplug",
	   "1 when the kernel updates the loaded kdump header on CPU hotplug",
	   "kx_crash_hotplug_state"),
	IF(KX_IF_MEMORY_CRASH_HOTPLUG, "/sys/devices/system/memory/crash_hotplug",
	   "1 when the kernel updates the loaded kdump header on memory hotplug",
	   "kx_crash_hotplug_state"),
	IF(KX_IF_FW_MEMMAP, "/sys/firmware/memmap", "the firmware's e820 memory map",
	   "kx_memmap_read_firmware"),
	IF(KX_IF_FW_MEMMAP_ENTRY, "/sys/firmware/memmap/%s/%s",
	   "one memory map entry's start, end or type", "kx_memmap_read_firmware"),
	IF(KX_IF_EFI_SYSTAB, "/sys/firmware/efi/systab", "EFI configuration tables: ACPI, SMBIOS",
	   "kx_zp_prepare"),
	IF(KX_IF_EFI_FW_VENDOR, "/sys/firmware/efi/fw_vendor", "EFI firmware vendor string address",
	   "kx_zp_prepare"),
	IF(KX_IF_EFI_RUNTIME, "/sys/firmware/efi/runtime", "EFI runtime services address",
	   "kx_zp_prepare"),
	IF(KX_IF_EFI_CONFIG_TABLE, "/sys/firmware/efi/config_table", "EFI configuration table address",
	   "kx_zp_prepare"),
	IF(KX_IF_EFI_RUNTIME_MAP, "/sys/firmware/efi/runtime-map/%u/%s",
	   "one EFI runtime map descriptor field", "kx_zp_prepare"),
	IF(KX_IF_EFI_RUNTIME_MAP_DIR, "/sys/firmware/efi/runtime-map",
	   "the EFI runtime map: without it a kdump kernel gets acpi_rsdp=", "kx_crash_acpi_rsdp"),
	IF(KX_IF_TDX_MODULE_VERSION, "/sys/devices/faux/tdx_host/version",
	   "TDX module version (tdx_host driver)", "tdx_read_tdx_host"),
	IF(KX_IF_TDX_SEAMLDR_VERSION, "/sys/devices/faux/tdx_host/seamldr_version",
	   "P-SEAMLDR version", "tdx_read_tdx_host"),
	IF(KX_IF_TDX_SEAMLDR_VERSION_V4, "/sys/devices/faux/tdx_host/seamldr/version",
	   "P-SEAMLDR version (v4 update series layout)", "tdx_read_tdx_host"),
	IF(KX_IF_TDX_REMAINING_UPDATES, "/sys/devices/faux/tdx_host/num_remaining_updates",
	   "TDX module runtime updates left", "tdx_read_tdx_host"),
	IF(KX_IF_TDX_REMAINING_UPDATES_V4, "/sys/devices/faux/tdx_host/seamldr/num_remaining_updates",
	   "TDX module runtime updates left (v4 layout)", "tdx_read_tdx_host"),
	IF(KX_IF_TDX_UPDATE_STATUS, "/sys/class/firmware/tdx_module/status",
	   "TDX module update progress (fw_upload)", "tdx_read_fw_upload"),
	IF(KX_IF_TDX_UPDATE_ERROR, "/sys/class/firmware/tdx_module/error",
	   "TDX module update error (fw_upload)", "tdx_read_fw_upload"),
	IF(KX_IF_KVM_INTEL_TDX, "/sys/module/kvm_intel/parameters/tdx", "kvm_intel.tdx",
	   "tdx_read_kvm"),
	IF(KX_IF_CGROUP2, "/sys/fs/cgroup",
	   "cgroup v2 root: misc.capacity and misc.current \"tdx\" (TD KeyIDs)", "tdx_read_misc"),
	IF(KX_IF_CGROUP1_MISC, "/sys/fs/cgroup/misc", "cgroup v1 misc hierarchy", "tdx_read_misc"),
	IF(KX_IF_MSR, "/dev/cpu/%u/msr", "MSRs of one CPU: IA32_MKTME_KEYID_PARTITIONING",
	   "tdx_read_msr"),
	IF(KX_IF_KMSG, "/dev/kmsg", "the kernel log: TDX module and kexec lines", "tdx_read_kmsg"),
	IF(KX_IF_FB0, "/dev/fb0", "the framebuffer, for the new kernel's screen_info",
	   "kx_zp_prepare"),
	IF(KX_IF_BOOT_CONFIG, "/boot/config-%s", "the configuration a kernel release was built with",
	   "tdx_read_image"),
	IF(KX_IF_POLICY, "/etc/kexec-tdx.conf", "kexec-tdx policy (kexec-tdx.conf(5))",
	   "tdx_read_conf"),
};

const struct kx_iface *kx_iface_get(enum kx_if id)
{
	return &table[id];
}

const char *kx_if(enum kx_if id)
{
	return table[id].path;
}

int kx_if_fmt(char *buf, size_t size, enum kx_if id, ...)
{
	va_list ap;
	int n;

	va_start(ap, id);
	n = vsnprintf(buf, size, table[id].path, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}
