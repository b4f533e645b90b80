# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared code of the real-Debian end-to-end harness (tests/debian/image,
# tests/debian/suite, tests/debian/boot): the safety wrapper for everything
# that runs in a chroot on the host, the cached Debian 12 root (debootstrap),
# the per-package disk image (mkfs.ext4 -d, no loop mounts), the ESP with a
# Boot Loader Specification entry, and one QEMU boot of that image.
#
# It sources tests/e2e/e2e-lib.bash for the shared helpers (the kernel package
# download, the timestamped QEMU boot, log parsing).
#
# SAFETY: debootstrap's second stage, dpkg and every maintainer script run in
# a chroot on the host, where they could reach the host's kernel (kdump-tools'
# postinst runs invoke-rc.d kdump-tools start, which runs kexec -p).  kxd_safe
# runs them with all three of: the kx-guard seccomp filter (kexec_load,
# kexec_file_load and reboot fail with EPERM for the whole process tree),
# CAP_SYS_BOOT dropped from the bounding, inheritable and ambient sets, and
# /usr/sbin/policy-rc.d exiting 101 in the chroot (no service is started);
# in a private mount, UTS, IPC and PID namespace, so nothing it mounts or
# starts outlives it.  kxd_safe refuses to run anything when the guard is not
# in force.
#
# Environment (besides tests/e2e/e2e-lib.bash's):
#   KX_DEB_CACHE    the cached roots and images (default:
#                   ${XDG_CACHE_HOME:-$HOME/.cache}/kexec-tdx/debian: once per machine)
#   KX_DEB_WORK     per-run overlays and logs (default: $TOP_BUILDDIR/tests/debian/work)
#   KX_DEB_MIRROR   the Debian mirror for debootstrap (default: the first
#                   bookworm URI in /etc/apt, else http://deb.debian.org/debian)
#   KX_DEB_TIMEOUT  seconds per QEMU run (default 900)
#   KX_DEB_MEM      guest memory in MiB (default 2048)
#   KX_DEB_IDLE     end a QEMU run after this many seconds without serial
#                   output (default 300)
#   KX_DEB_GUARD    path of tests/guard/kx-guard (default: from the build tree;
#                   not KX_GUARD, which kx-guard itself sets to 1)

# shellcheck source=tests/e2e/e2e-lib.bash
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/e2e-lib.bash"
KXD_SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KXD_SUITE=bookworm
# What the guest has besides minbase.  makedumpfile is only a Recommends of
# kdump-tools, which debootstrap does not follow; zstd is what initramfs-tools
# compresses with by default.  The kernel is installed afterwards from the
# .deb the busybox suite boots (e2e_kernel_pkg), so both suites run one kernel.
# systemd-boot brings bootctl (its postinst installs nothing without an ESP).
KXD_INCLUDE="systemd-sysv,udev,dbus,kdump-tools,makedumpfile,kexec-tools,busybox,initramfs-tools,kmod,linux-base,zstd,procps,systemd-boot"
# The host tools, each with the Debian package that has it.
KXD_TOOLS="debootstrap:debootstrap mkfs.ext4:e2fsprogs debugfs:e2fsprogs
qemu-img:qemu-utils sfdisk:fdisk mkfs.vfat:dosfstools mcopy:mtools setpriv:util-linux
unshare:util-linux flock:util-linux timeout:coreutils dpkg-deb:dpkg apt-get:apt
zstd:zstd"
KXD_PEER=peer
# Set when a build failed for a reason of the environment (no mirror).
KXD_FAIL_ENV=

kxd_log() {
	echo "# $(date +%T) $*" >&2
}

# kxd_time LABEL START: print how long a step took (START: $EPOCHREALTIME)
kxd_time() {
	kxd_log "$(printf '%-28s %6.1f s' "$1" "$(e2e_tsdiff "$2" "$EPOCHREALTIME")")"
}

# The missing host tools as Debian package names (empty: all there).
kxd_missing_tools() {
	local t missing=()
	for t in $KXD_TOOLS "${KX_E2E_QEMU:-qemu-system-x86_64}:qemu-system-x86"; do
		command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t#*:}")
	done
	printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# kxd_init: set BUILDDIR, KX_KEXEC, WORK, CACHE (e2e_init_paths), DCACHE,
# DWORK, MIRROR, GUARD, PROBE, DTIMEOUT.
kxd_init() {
	e2e_init_paths
	DCACHE=${KX_DEB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kexec-tdx/debian}
	mkdir -p "$DCACHE" || e2e_fatal "cannot create $DCACHE (KX_DEB_CACHE)"
	DCACHE=$(cd "$DCACHE" && pwd)
	DWORK=${KX_DEB_WORK:-$BUILDDIR/tests/debian/work}
	mkdir -p "$DWORK" || e2e_fatal "cannot create $DWORK (KX_DEB_WORK)"
	DWORK=$(cd "$DWORK" && pwd)
	MIRROR=${KX_DEB_MIRROR:-$(kxd_host_mirror)}
	GUARD=${KX_DEB_GUARD:-$BUILDDIR/tests/guard/kx-guard}
	PROBE=$(dirname "$GUARD")/guard-probe
	DTIMEOUT=${KX_DEB_TIMEOUT:-900}
}

# The Debian mirror the host's apt uses (deb822 or one-line sources).
kxd_host_mirror() {
	local m
	m=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
		awk '/^URIs:/ && !/security/ { print $2; exit }
		     /^deb / && / bookworm / && !/security/ { print $2; exit }')
	echo "${m:-http://deb.debian.org/debian}"
}

# kxd_cannot_run: why this machine cannot build or boot the image (empty: it can).
kxd_cannot_run() {
	local missing
	missing=$(kxd_missing_tools)
	if [ -n "$missing" ]; then
		echo "missing host tools: apt-get install --no-install-recommends $missing"
	elif [ "$(id -u)" != 0 ]; then
		echo "debootstrap, chroot and mkfs.ext4 -d of a root file system need root"
	elif [ ! -x "$GUARD" ] || [ ! -x "$PROBE" ]; then
		echo "no $GUARD or $PROBE (make tests/guard/kx-guard tests/guard/guard-probe)"
	elif [ "$(uname -m)" != x86_64 ]; then
		echo "the guest is x86_64 and this host is $(uname -m)"
	fi
}

# ---------------------------------------------------------------- safety

# kxd_safe CMD [ARG...]: run CMD under the guard, without CAP_SYS_BOOT, in
# private namespaces (see the top of this file).  Refuses (exit 3) unless
# the guard is provably in force in the process that runs CMD.
kxd_safe() {
	if [ ! -x "$GUARD" ] || [ ! -x "$PROBE" ]; then
		e2e_fatal "kxd_safe: no guard ($GUARD, $PROBE)"
	fi
	# shellcheck disable=SC2016  # the script is for the inner bash
	unshare --mount --propagation private --uts --ipc --pid --fork --kill-child -- \
		setpriv --bounding-set -sys_boot --inh-caps -sys_boot --ambient-caps -sys_boot -- \
		"$GUARD" bash -c '
			"$1" --check || { echo "kxd_safe: the kx-guard filter is not in force" >&2; exit 3; }
			# CAP_SYS_BOOT is bit 22 of the bounding set (include/uapi/linux/capability.h)
			bnd=$(awk "/^CapBnd:/ { print \$2 }" /proc/self/status)
			if (( (16#$bnd >> 22) & 1 )); then
				echo "kxd_safe: CAP_SYS_BOOT is still in the bounding set" >&2
				exit 3
			fi
			shift
			exec "$@"' kxd-safe "$PROBE" "$@"
}

# kxd_chroot ROOT CMD [ARG...]: run CMD in the chroot ROOT under kxd_safe,
# with the policy-rc.d that refuses service starts and a clean environment.
# The chroot gets its own /proc (of the private PID namespace) with
# /proc/sysrq-trigger covered by /dev/null, and an empty read-only /sys: no
# sysfs knob of the host (power/state, kexec_crash_size...) is in reach.
# debootstrap's second stage keeps these (its umount of /proc fails while
# something is mounted on it, and it only unmounts /sys when it is not empty).
# KXD_FAKE_IOMEM=FILE is bind-mounted over the chroot's /proc/iomem (the
# guard test's crashkernel= reservation).
kxd_chroot() {
	local root=$1
	shift
	kxd_policy_rc "$root"
	mkdir -p "$root/proc" "$root/sys"
	# shellcheck disable=SC2016  # the script is for the inner bash
	kxd_safe bash -c '
		root=$1; shift
		mount -t proc proc "$root/proc" &&
		{ [ ! -e "$root/proc/sysrq-trigger" ] ||
			mount --bind /dev/null "$root/proc/sysrq-trigger"; } &&
		mount -t tmpfs -o size=4k tmpfs "$root/sys" &&
		touch "$root/sys/no-sysfs-in-this-chroot" &&
		mount -o remount,ro "$root/sys" || exit 3
		if [ -n "${KXD_FAKE_IOMEM:-}" ]; then
			mount --bind "$KXD_FAKE_IOMEM" "$root/proc/iomem" || exit 3
		fi
		exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
			DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true \
			chroot "$root" "$@"' kxd-chroot "$root" "$@"
}

# kxd_policy_rc ROOT: the policy-rc.d that refuses every service start
# (invoke-rc.d and deb-systemd-invoke ask it; 101 = action forbidden).
kxd_policy_rc() {
	mkdir -p "$1/usr/sbin"
	printf '#!/bin/sh\n# kexec-tdx test harness: no service starts in this chroot\nexit 101\n' \
		>"$1/usr/sbin/policy-rc.d"
	chmod 755 "$1/usr/sbin/policy-rc.d"
}

# ---------------------------------------------------------------- the root

# kxd_key WORD...: a short hash of the words and of the files named by
# words that are paths.
kxd_key() {
	local w
	for w in "$@"; do
		if [ -f "$w" ]; then
			sha256sum "$w" | cut -d' ' -f1
		else
			echo "$w"
		fi
	done | sha256sum | cut -c1-16
}

# kxd_root: sets ROOTFS (a directory) and ROOT_KEY: the Debian 12 root with
# the kernel installed, built with debootstrap once per set of inputs (the
# suite, the mirror, the package list, the kernel .deb, the functions that
# build it and the initramfs hook).
kxd_root() {
	local kpkg kdeb dir t0
	kpkg=$(e2e_kernel_pkg)
	e2e_download "$kpkg"
	kdeb=$(e2e_deb_of "$kpkg")
	# the code that builds the root, not the whole file: editing the image or
	# boot code does not throw away the root
	ROOT_KEY=$(kxd_key "$KXD_SUITE" "$MIRROR" "$KXD_INCLUDE" "$(basename "$kdeb")" \
		"$(declare -f kxd_safe kxd_chroot kxd_policy_rc kxd_debootstrap \
			kxd_guest_initramfs kxd_install_kernel kxd_kdump_first_boot)" \
		"$KXD_SRCDIR/guest/kxe-initramfs-hook")
	dir=$DCACHE/root-$ROOT_KEY
	ROOTFS=$dir/root
	[ -f "$dir/.done" ] && return 0
	t0=$EPOCHREALTIME
	kxd_log "building the Debian $KXD_SUITE root in $dir (once; several minutes)"
	rm -rf "$dir"
	mkdir -p "$dir" "$DCACHE/debootstrap-debs"
	kxd_debootstrap "$dir" || return 1
	kxd_install_kernel "$kdeb" "$dir/kernel.log" ||
		{ kxd_fail_log "installing $kdeb failed" "$dir/kernel.log"; return 1; }
	kxd_kdump_first_boot "$ROOTFS" >>"$dir/kernel.log" 2>&1 ||
		{ kxd_fail_log "kdump-config symlinks failed" "$dir/kernel.log"; return 1; }
	find "$DCACHE" -maxdepth 1 -name 'root-*' ! -name "root-$ROOT_KEY" -mtime +7 \
		-exec rm -rf {} +
	touch "$dir/.done"
	kxd_time "root built" "$t0"
}

kxd_fail_log() {
	echo "$1; the last lines of $2:" >&2
	tail -n 25 "$2" | sed 's/^/    /' >&2
}

# kxd_debootstrap DIR: the two stages, the second one in the chroot under
# kxd_safe with the policy-rc.d and the initramfs settings in place first.
kxd_debootstrap() {
	local dir=$1 root=$1/root t0=$EPOCHREALTIME
	if ! kxd_safe debootstrap --foreign --variant=minbase --include="$KXD_INCLUDE" \
		--cache-dir="$DCACHE/debootstrap-debs" "$KXD_SUITE" "$root" "$MIRROR" \
		>"$dir/stage1.log" 2>&1; then
		kxd_fail_log "debootstrap (first stage) from $MIRROR failed" "$dir/stage1.log"
		# shellcheck disable=SC2034  # read by the suite
		grep -q -E 'Failed getting release|Couldn.t download|Temporary failure' \
			"$dir/stage1.log" && KXD_FAIL_ENV="debootstrap could not download from $MIRROR"
		return 1
	fi
	kxd_time "debootstrap first stage" "$t0"
	t0=$EPOCHREALTIME
	kxd_policy_rc "$root"
	kxd_guest_initramfs "$root"
	if ! kxd_chroot "$root" /debootstrap/debootstrap --second-stage \
		>"$dir/stage2.log" 2>&1; then
		kxd_fail_log "debootstrap --second-stage failed" "$dir/stage2.log"
		return 1
	fi
	kxd_time "debootstrap second stage" "$t0"
}

# Small initramfs images for both kernels (the normal one and kdump-tools'
# crash kernel): MODULES=list plus the virtio drivers the guest's disks need
# (the cloud kernel builds them as modules; ext4 is built in).  MODULES=dep
# would look at the build host's devices from the chroot.
kxd_guest_initramfs() {
	mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/etc/initramfs-tools/hooks"
	echo "MODULES=list" >"$1/etc/initramfs-tools/conf.d/kxe"
	install -m 755 "$KXD_SRCDIR/guest/kxe-initramfs-hook" "$1/etc/initramfs-tools/hooks/kxe-virtio"
}

# kxd_install_kernel DEB LOG: dpkg -i the cloud kernel in the root (its
# postinst runs update-initramfs and kdump-tools' hook for the crash initrd).
kxd_install_kernel() {
	local t0=$EPOCHREALTIME
	cp "$1" "$ROOTFS/tmp/kernel.deb"
	kxd_chroot "$ROOTFS" dpkg -i /tmp/kernel.deb >"$2" 2>&1 || return 1
	rm -f "$ROOTFS/tmp/kernel.deb"
	kxd_time "kernel installed" "$t0"
}

# kxd_kdump_first_boot ROOT: what kdump-tools does at its first load, done
# once here: record the sysctl overrides its crash initrd was built with and
# point /var/lib/kdump/{vmlinuz,initrd.img} at the kernel (kdump-config
# symlinks).  Otherwise every boot of a fresh overlay rebuilds the crash
# initrd first (kdump-config load: check_sysctl_change), which takes about
# 100 s under TCG.
kxd_kdump_first_boot() {
	local root=$1 kver
	kver=$(basename "$(compgen -G "$root/boot/vmlinuz-*" | head -n 1)")
	kver=${kver#vmlinuz-}
	cp "$root/etc/kdump/sysctl.conf" "$root/var/lib/kdump/latest_sysctls-$kver"
	kxd_chroot "$root" kdump-config symlinks "$kver"
}

# ---------------------------------------------------------------- the image

# kxd_pkg_id PKG: "peer", or the path of a .deb (checked).
kxd_pkg_check() {
	local pkg=$1
	[ "$pkg" = "$KXD_PEER" ] && return 0
	[ -f "$pkg" ] || e2e_fatal "no such .deb: $pkg (expected 'peer' or the path of kexec-tdx_*.deb)"
	dpkg-deb -f "$pkg" Package >/dev/null 2>&1 ||
		e2e_fatal "$pkg is not a Debian package (dpkg-deb -f failed)"
}

# The guest's files that go into every image.
kxd_guest_files() {
	find "$KXD_SRCDIR/guest" -type f | LC_ALL=C sort
}

# kxd_image PKG: sets IMG (a directory with root.img, vmlinuz, initrd.img,
# kver and pkg.txt): the root with PKG installed ("peer": Debian's
# kexec-tools as debootstrap installed it; else our .deb, installed the way
# apt would) and the harness's guest files, as an ext4 image.  Cached per
# set of inputs.
kxd_image() {
	local pkg=$1 key stage t0 f
	kxd_pkg_check "$pkg"
	# shellcheck disable=SC2046
	key=$(kxd_key "$ROOT_KEY" "$pkg" $(kxd_guest_files) "$KXD_SRCDIR/debian-lib.bash")
	IMG=$DCACHE/img-$key
	[ -f "$IMG/.done" ] && return 0
	t0=$EPOCHREALTIME
	kxd_log "building the disk image in $IMG (package: $pkg)"
	rm -rf "$IMG"
	mkdir -p "$IMG"
	stage=$IMG/stage
	cp -a --reflink=auto "$ROOTFS" "$stage" || e2e_fatal "cannot copy $ROOTFS"
	kxd_time "root copied" "$t0"
	if [ "$pkg" != "$KXD_PEER" ]; then
		kxd_install_deb "$stage" "$pkg" "$IMG/dpkg.log" ||
			{ kxd_fail_log "installing $pkg failed" "$IMG/dpkg.log"; rm -rf "$stage"; return 1; }
	fi
	kxd_configure_guest "$stage"
	# shellcheck disable=SC2016  # dpkg-query's format
	kxd_chroot "$stage" dpkg-query -W -f '${Package} ${Version} ${Status}\n' \
		>"$IMG/packages.txt" 2>&1 || true
	grep -E '^(kexec|kdump|makedumpfile|systemd |linux-image)' "$IMG/packages.txt" \
		>"$IMG/pkg.txt" || true
	rm -f "$stage/usr/sbin/policy-rc.d"
	rm -rf "$stage/debootstrap" "$stage/var/cache/apt/archives/"*.deb
	f=$(compgen -G "$stage/boot/vmlinuz-*" | head -n 1)
	[ -n "$f" ] || e2e_fatal "the image has no /boot/vmlinuz-*"
	cp "$f" "$IMG/vmlinuz"
	echo "${f##*/vmlinuz-}" >"$IMG/kver"
	cp "$stage/boot/initrd.img-$(cat "$IMG/kver")" "$IMG/initrd.img" ||
		e2e_fatal "the image has no initrd for $(cat "$IMG/kver")"
	t0=$EPOCHREALTIME
	mkfs.ext4 -q -F -L kxe-root -d "$stage" "$IMG/root.img" 3G >"$IMG/mkfs.log" 2>&1 ||
		{ kxd_fail_log "mkfs.ext4 -d failed" "$IMG/mkfs.log"; return 1; }
	kxd_time "mkfs.ext4 -d" "$t0"
	rm -rf "$stage"
	find "$DCACHE" -maxdepth 1 -name 'img-*' ! -name "img-$key" -mtime +2 -exec rm -rf {} +
	touch "$IMG/.done"
}

# kxd_install_deb ROOT DEB LOG: install DEB as apt would: when it conflicts
# with kexec-tools, remove kexec-tools first (kdump-tools' dependency on it is
# then met by DEB's Provides), then dpkg -i; dpkg --audit must be clean.
# The .deb stays in the image as /usr/local/share/kxe/pkg.deb, for the
# scenario that upgrades the package with a kernel staged.
kxd_install_deb() {
	local root=$1 deb=$2 log=$3 conflicts re='(^|[ ,])kexec-tools([ ,(]|$)'
	cp "$deb" "$root/tmp/pkg.deb"
	conflicts=$(dpkg-deb -f "$deb" Conflicts)
	{
		if [[ $conflicts =~ $re ]]; then
			echo "# $deb conflicts with kexec-tools: removing it first"
			kxd_chroot "$root" dpkg --remove --force-depends kexec-tools || return 1
		fi
		kxd_chroot "$root" dpkg -i /tmp/pkg.deb || return 1
		kxd_chroot "$root" dpkg --audit || return 1
	} >"$log" 2>&1
	mkdir -p "$root/usr/local/share/kxe"
	mv "$root/tmp/pkg.deb" "$root/usr/local/share/kxe/pkg.deb"
}

# kxd_configure_guest ROOT: fstab, hostname, a fixed machine-id (no first-boot
# presets), no getty on the serial console, the scenario runner.
kxd_configure_guest() {
	local root=$1 g=$KXD_SRCDIR/guest
	printf '%s\n' '/dev/vda / ext4 rw,errors=remount-ro 0 1' \
		'/dev/vdb1 /efi vfat umask=0077,nofail 0 2' >"$root/etc/fstab"
	mkdir -p "$root/efi"
	echo kxe-guest >"$root/etc/hostname"
	kxd_key "$ROOT_KEY" machine-id | cut -c1-16 | sed 's/.*/&&/' >"$root/etc/machine-id"
	ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
	install -m 755 "$g/kxe-runner" "$root/usr/local/sbin/kxe-runner"
	install -m 755 "$g/kxe-fake-tdx-host" "$root/usr/local/sbin/kxe-fake-tdx-host"
	install -m 755 "$g/kxe-kfload" "$root/usr/local/sbin/kxe-kfload"
	install -m 644 "$g/kxe-runner.service" "$root/etc/systemd/system/kxe-runner.service"
	mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
	ln -sf ../kxe-runner.service "$root/etc/systemd/system/multi-user.target.wants/"
	mkdir -p "$root/usr/local/share/kxe"
	cp -a "$KXD_SRCDIR/../fixtures/hosts" "$root/usr/local/share/kxe/hosts"
	mkdir -p "$root/var/lib/kxe"
}

# ---------------------------------------------------------------- one boot

# kxd_esp FILE CMDLINE: a GPT disk with one EFI System Partition (vfat)
# holding the image's kernel and initrd and a Boot Loader Specification
# entry with CMDLINE: what systemctl kexec looks for (systemd v252 finds the
# ESP at /efi, /boot or /boot/efi: vfat, the root of its file system, on a
# GPT partition of the ESP type; src/shared/find-esp.c, verify_esp()).
kxd_esp() {
	local file=$1 cmdline=$2 d
	d=$(dirname "$file")/esp
	rm -rf "$d"
	mkdir -p "$d/loader/entries" "$d/kxe"
	printf 'default kxe.conf\ntimeout 0\n' >"$d/loader/loader.conf"
	printf 'title Debian GNU/Linux 12 (kexec-tdx harness)\nlinux /kxe/vmlinuz\ninitrd /kxe/initrd.img\noptions %s\n' \
		"$cmdline" >"$d/loader/entries/kxe.conf"
	cp "$IMG/vmlinuz" "$IMG/initrd.img" "$d/kxe/"
	e2e_esp_disk "$file" 96 KXE-ESP "$d"
	rm -rf "$d"
}

# kxd_cfg FILE NAME=VALUE...: the scenario's configuration disk: the
# assignments as shell text, padded with zeros to 64 KiB.
kxd_cfg() {
	local file=$1 kv
	shift
	for kv in "$@"; do
		echo "${kv%%=*}=$(e2e_q "${kv#*=}")"
	done >"$file"
	truncate -s 64K "$file"
}

# kxd_base_cmdline: the first kernel's command line, without kxe.* words.
kxd_base_cmdline() {
	echo "root=/dev/vda rw console=ttyS0,115200 panic=-1 loglevel=6"
}

# kxd_watchdog DIR IDLE: end DIR's QEMU (by the pid in DIR/qemu.pid) when its
# serial log has not grown for IDLE seconds (a guest stuck half-way through a
# shutdown prints nothing more); leaves DIR/idle behind when it did.
kxd_watchdog() {
	local dir=$1 idle=$2 pid age
	while sleep 10; do
		if [ ! -f "$dir/serial.log" ] || [ ! -f "$dir/qemu.pid" ]; then
			continue
		fi
		pid=$(cat "$dir/qemu.pid" 2>/dev/null) || continue
		grep -q -F "$dir/root.qcow2" "/proc/$pid/cmdline" 2>/dev/null || continue
		age=$(($(date +%s) - $(stat -c %Y "$dir/serial.log")))
		if [ "$age" -ge "$idle" ]; then
			echo "$idle" >"$dir/idle"
			kill "$pid"
			return
		fi
	done
}

# kxd_boot DIR CMDLINE: boot the image (a new qcow2 overlay DIR/root.qcow2
# unless one is there), DIR/esp.img and DIR/cfg.img; the serial console goes
# to DIR/serial.log, timestamped (e2e_boot).  QEMU is ended after
# KX_DEB_IDLE (300) seconds without serial output.  Sets QEMU_RC.
kxd_boot() {
	local dir=$1 cmdline=$2 mem=${KX_DEB_MEM:-2048} wd
	if [ ! -f "$dir/root.qcow2" ]; then
		qemu-img create -q -f qcow2 -F raw -b "$IMG/root.img" "$dir/root.qcow2" ||
			e2e_fatal "qemu-img create failed in $dir"
	fi
	local VMLINUZ=$IMG/vmlinuz E2E_TIMEOUT=$DTIMEOUT
	# one line: e2e_boot reads it with read -a
	local KX_E2E_QEMU_ARGS="${KX_E2E_QEMU_ARGS:-} -pidfile $dir/qemu.pid -drive file=$dir/root.qcow2,if=virtio,format=qcow2,cache=unsafe -drive file=$dir/esp.img,if=virtio,format=raw,cache=unsafe -drive file=$dir/cfg.img,if=virtio,format=raw,readonly=on"
	rm -f "$dir/idle" "$dir/qemu.pid"
	kxd_watchdog "$dir" "${KX_DEB_IDLE:-300}" &
	wd=$!
	e2e_boot "$dir/serial.log" "$IMG/initrd.img" "$mem" "$cmdline"
	kill "$wd" 2>/dev/null || true
	wait "$wd" 2>/dev/null || true
	rm -f "$dir/qemu.pid"
}

# ---------------------------------------------------------------- reading the disk

# kxd_raw DIR: DIR/root.raw, the overlay flattened (qemu-img convert), for
# debugfs.
kxd_raw() {
	[ -f "$1/root.raw" ] && return 0
	qemu-img convert -O raw "$1/root.qcow2" "$1/root.raw.tmp" &&
		mv "$1/root.raw.tmp" "$1/root.raw"
}

# kxd_debugfs RAW REQUEST: run one debugfs request read-only.
kxd_debugfs() {
	debugfs -R "$2" "$1" 2>/dev/null
}
