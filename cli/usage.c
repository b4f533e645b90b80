// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <stdio.h>

#include "base/iface.h"
#include "cli/cli.h"

void kx_cli_version(FILE *out)
{
	fprintf(out, "%s %s (command line compatible with kexec-tools 2.0.32)\n", PACKAGE_NAME,
		PACKAGE_VERSION);
}

static const char usage_text[] =
"Usage: kexec [OPTION]... [kernel]\n"
"Load a new kernel and reboot into it without firmware; check that TDX hands over.\n"
"\n"
"Actions (the last one given wins, as in kexec-tools):\n"
" -l, --load              Load the kernel for a later kexec.\n"
" -p, --load-panic        Load the kernel as the crash (kdump) kernel.\n"
" -u, --unload            Unload the loaded kernel; with -p, the crash kernel.\n"
" -e, --exec              Boot the loaded kernel now (sync, interfaces down, reboot).\n"
" -f, --force             Load and boot at once, without running shutdown.\n"
" -S, --status            Exit 1 if a kernel (crash by default, normal with -l)\n"
"                         is loaded, 0 if not, 255 if it cannot be told.\n"
"     --print-ckr-size    Print the size of the crash kernel reservation.\n"
"                         With no action: load, then run 'shutdown -r now'.\n"
"\n"
"Loading:\n"
" -s, --kexec-file-syscall  Use kexec_file_load(2) only.\n"
" -c, --kexec-syscall     Use kexec_load(2) only, with our purgatory.\n"
" -a, --kexec-syscall-auto  Try kexec_file_load(2), fall back to kexec_load(2)\n"
"                         when the kernel cannot do it and is not locked down\n"
"                         (default).\n"
" -t, --type=TYPE         Load the kernel as this image type (kexec_load only).\n"
"     --initrd=FILE, --ramdisk=FILE  Initial ramdisk for the new kernel; for a\n"
"                         UKI it replaces the .initrd (.ucode stays first).\n"
"     --append=STRING, --command-line=STRING\n"
"                         Command line of the new kernel (the last one wins);\n"
"                         without it (or --reuse-cmdline) a UKI's .cmdline.\n"
"     --uki-profile=N     Boot profile N of a multi-profile UKI (default 0).\n"
"     --reuse-cmdline     Start from this kernel's command line, without\n"
"                         BOOT_IMAGE=, the handover token kexec_tdx.expect=\n"
"                         (and crashkernel= for -p).\n"
" -i, --no-checks         Do not verify segment digests in purgatory.\n"
"     --on-mismatch=reset|halt  On a digest mismatch our purgatory (kexec_load)\n"
"                         prints what differs, then cold-resets through\n"
"                         firmware (reset, the default) or halts (halt).\n"
"     --mem-min=ADDR      Lowest address to place segments at (kexec_load).\n"
"     --mem-max=ADDR      Highest address to place segments at (kexec_load).\n"
"     --no-cma            Do not let the kernel stage the image in CMA.\n"
"     --force-dtb         Pass this boot's device tree on (kexec_file_load).\n"
"     --reuseinitrd       Reuse this boot's initrd (not supported on x86).\n"
"     --hotplug           With -p: let the kernel update the crash header on CPU\n"
"                         and memory hotplug (needs CONFIG_CRASH_HOTPLUG).\n"
"     --load-preserve-context, --load-jump-back-helper, --entry=ADDR\n"
"                         kexec jump (not supported).\n"
"     --load-live-update, --exec-live-update  Xen live update (not supported).\n"
"\n"
"Executing:\n"
" -x, --no-ifdown         Do not take network interfaces down before exec.\n"
" -y, --no-sync           Do not sync file systems before exec.\n"
"\n"
"TDX handover:\n"
"     --tdx-disable       Check before loading (and again before -e) that TDX will\n"
"                         be handed over cleanly; refuse a no-go (exit 4).  On a\n"
"                         TDX host, or with this option, a load (not -p) adds\n"
"                         kexec_tdx.expect=... to the new command line.\n"
"     --tdx-wait=SECONDS  With --tdx-disable: wait up to SECONDS for live TDs\n"
"                         to be destroyed.\n"
"     --tdx-force         Load despite a no-go verdict, and say so.\n"
"     --tdx-status        Print the TDX handover report and exit\n"
"                         (0 go, 5 warn, 4 no-go).\n"
"     --json              Print --tdx-status, --tdx-verify, --show-staged as JSON.\n"
"     --tdx-sysroot=DIR   Read TDX host state from DIR instead of the sysroot.\n"
"     --tdx-verify        In the new kernel: confirm TDX came back up as the\n"
"                         loading kernel expected (its gate record and the\n"
"                         handover token on this command line), and say what\n"
"                         became of the planned kexec; with --tdx-wait, wait\n"
"                         that long for the kernel to bring TDX up.\n"
"     --tdx-restage       The check a kexec reboot starts with (run by\n"
"                         kexec-tdx-preflight.service): load the staged files\n"
"                         again with the full TDX check, or unload (exit 4).\n"
"     --show-staged       Show what kexec-tdx staged (-p: the crash kernel), or\n"
"                         say that the loaded kernel is not one it staged.\n"
"\n"
"General:\n"
" -d, --debug             Print what the loader does, on stderr.\n"
"     --dry-run           Print the plan and the calls instead of making them.\n"
"     --sysroot=DIR       Read /proc, /sys, /dev, /boot and /etc under DIR.\n"
"     --list-interfaces   List the kernel interfaces kexec reads, and why.\n"
" -h, --help              Print this help.\n"
" -v, --version           Print the version.\n"
"\n"
"Image types (-t):\n"
"  bzImage64              x86_64 bzImage, boot protocol 2.12 or later; the file\n"
"                         may be gzip, xz or zstd compressed.\n"
"  elf-x86_64             ELF vmlinux, kexec_load only: PT_LOADs at their\n"
"                         physical addresses, entered at e_entry.\n"
"  uki                    Unified kernel image (systemd-stub): .linux, .ucode,\n"
"                         .initrd, .cmdline, .osrel, .uname, .profile sections.\n"
"\n"
"x86_64 options:\n"
"     --console-serial    Purgatory prints to the serial port.\n"
"     --serial=ttyS0|ttyS1|0xPORT  Serial port for the purgatory (default ttyS0).\n"
"     --serial-baud=RATE  Baud rate, a divisor of 115200 from 9600.\n"
"     --console-vga       Purgatory prints to the VGA text screen.\n"
"     --reset-vga         Purgatory resets a standard VGA device.\n"
"     --noefi             Do not pass EFI runtime information.\n"
"     --reuse-video-type  Keep this boot's video type for an unknown framebuffer.\n"
"     --elf64-core-headers  ELF64 crash headers (the default).\n"
"     --elf32-core-headers  Accepted; the crash header is ELF64 (as kexec-tools).\n"
"     --pass-memmap-cmdline  With -p -c: the crash memory map as memmap= words.\n"
"     --args-linux        Linux boot parameters for an ELF vmlinux (the default;\n"
"                         a bzImage always gets them).\n"
"     --args-elf, --args-none  ELF boot notes or no arguments (not supported).\n"
"     --module=FILE       Multiboot modules (not supported).\n"
"     --real-mode, --entry-32bit  16/32-bit entry (not supported).\n"
"     --dtb=FILE          Device tree for the new kernel (not supported yet).\n"
"\n"
"Exit status: 0 success, 1 usage error (or -S: loaded), 3 not supported,\n"
"4 TDX no-go, 5 TDX warn (--tdx-status), 253 kexec_file_load unavailable,\n"
"254 no crash kernel memory, 255 load, unload or exec failed.\n"
"See kexec(8).\n";

void kx_cli_usage(FILE *out)
{
	kx_cli_version(out);
	fputs(usage_text, out);
}

void kx_cli_list_interfaces(FILE *out)
{
	int i;

	for (i = 0; i < KX_IF_NR; i++) {
		const struct kx_iface *f = kx_iface_get((enum kx_if)i);

		fprintf(out, "%-56s %s (%s)\n", f->path, f->what, f->reader);
	}
}
