# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared code of the QEMU end-to-end tests (tests/e2e/suite, tests/e2e/demo,
# tests/e2e/setup, bench/bench): host tools, the Debian packages the guests
# need, the guest initramfs, one QEMU boot with a timestamped serial log, and
# reading that log.
#
# Nothing here loads or executes a kernel on the host.  Debian's kexec-tools
# is unpacked with dpkg-deb, never installed, and both loaders run only
# inside the guests.  The guest is a stock Debian cloud kernel under QEMU TCG
# (KVM is not used: where /dev/kvm is kvm_pvm it cannot run a stock kernel).
#
# Environment:
#   TOP_BUILDDIR   build tree (default: DIR when KEXEC is DIR/cli/kexec,
#                  else the current directory)
#   KEXEC          our kexec (default: $TOP_BUILDDIR/cli/kexec; the scripts'
#                  --kexec PATH sets it)
#   KX_E2E_CACHE   downloaded and unpacked .debs (default: $KX_E2E_WORK/cache)
#   KX_E2E_WORK    initramfs builds and logs (default: $TOP_BUILDDIR/tests/e2e/work)
#   KX_E2E_KERNEL_PKG  the linux-image-* package to boot (default: what
#                  linux-image-cloud-amd64 depends on)
#   KX_E2E_KERNEL612_PKG  the newer kernel of the cross-kernel scenarios
#                  (default: what linux-image-6.12-cloud-amd64 depends on,
#                  from bookworm-security)
#   KX_E2E_TIMEOUT seconds per boot (default 300)
#   KX_E2E_QEMU    the QEMU binary (default: qemu-system-x86_64)
#   KX_E2E_QEMU_ARGS  extra qemu-system-x86_64 arguments (word-split)

E2E_SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_TOOLS_PKGS="qemu-system-x86 busybox-static cpio gzip xz-utils zstd lz4 binutils mtools fdisk dosfstools"
# shellcheck disable=SC2034  # read by the scripts that source this file
E2E_TOOLS_CMD="apt-get install --no-install-recommends $E2E_TOOLS_PKGS"
E2E_PREFIX=${E2E_PREFIX:-error: }

# A setup error; under TAP (E2E_PREFIX="Bail out! ") it goes to stdout.
e2e_fatal() {
	if [ "$E2E_PREFIX" = "Bail out! " ]; then
		echo "${E2E_PREFIX}$*"
	else
		echo "${E2E_PREFIX}$*" >&2
	fi
	exit 2
}

e2e_log() {
	echo "# $*" >&2
}

# The build tree is TOP_BUILDDIR, else the one KEXEC was built in (when it is
# DIR/cli/kexec), else the current directory.
e2e_init_paths() {
	local top=${TOP_BUILDDIR:-.}
	if [ -z "${TOP_BUILDDIR:-}" ] && [[ ${KEXEC:-} == */cli/kexec ]]; then
		top=${KEXEC%/cli/kexec}
	fi
	BUILDDIR=$(cd "$top" && pwd) || e2e_fatal "no build tree $top"
	KX_KEXEC=${KEXEC:-$BUILDDIR/cli/kexec}
	[ ! -e "$KX_KEXEC" ] || KX_KEXEC=$(readlink -f "$KX_KEXEC")
	WORK=${KX_E2E_WORK:-$BUILDDIR/tests/e2e/work}
	mkdir -p "$WORK" || e2e_fatal "cannot create $WORK"
	WORK=$(cd "$WORK" && pwd)
	CACHE=${KX_E2E_CACHE:-$WORK/cache}
	mkdir -p "$CACHE/debs" "$CACHE/x" || e2e_fatal "cannot create $CACHE"
	CACHE=$(cd "$CACHE" && pwd)
	E2E_TIMEOUT=${KX_E2E_TIMEOUT:-300}
}

# ---------------------------------------------------------------- host tools

# The commands the harness runs, each with the Debian package that has it.
e2e_missing_tools() {
	local c p missing=()
	while read -r c p; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$p")
	done <<-EOF
		${KX_E2E_QEMU:-qemu-system-x86_64} qemu-system-x86
		cpio cpio
		gzip gzip
		xz xz-utils
		zstd zstd
		lz4 lz4
		objcopy binutils
		dpkg-deb dpkg
		apt-get apt
		flock util-linux
		timeout coreutils
		ldd libc-bin
		mcopy mtools
		sfdisk fdisk
		mkfs.vfat dosfstools
	EOF
	[ -x /bin/busybox ] || missing+=(busybox-static)
	echo "${missing[*]}"
}

e2e_check_tools() {
	local missing
	missing=$(e2e_missing_tools)
	[ -z "$missing" ] || e2e_fatal "missing host tools; install them with" \
		"'apt-get install --no-install-recommends $missing' (as root)," \
		"or run tests/e2e/setup --install"
}

# ---------------------------------------------------------------- packages

# e2e_download PKG...: apt-get download into the cache unless a .deb is there.
e2e_download() {
	local p need=() out
	for p in "$@"; do
		compgen -G "$CACHE/debs/${p}_*.deb" >/dev/null || need+=("$p")
	done
	[ ${#need[@]} = 0 ] && return 0
	e2e_log "apt-get download ${need[*]} into $CACHE/debs"
	out=$(cd "$CACHE/debs" && apt-get download "${need[@]}" 2>&1) ||
		e2e_fatal "apt-get download ${need[*]} failed (run 'apt-get update' as root," \
			"or tests/e2e/setup --install):"$'\n'"$out"
}

e2e_deb_of() {
	local f
	f=$(compgen -G "$CACHE/debs/${1}_*.deb" | sort -V | tail -n 1)
	[ -n "$f" ] || e2e_fatal "no .deb of $1 in $CACHE/debs"
	echo "$f"
}

# e2e_unpack PKG [MEMBER...]: unpack a cached .deb into $CACHE/x/PKG once;
# with MEMBERs (such as ./boot) only those.
e2e_unpack() {
	local p=$1 d=$CACHE/x/$1 deb
	shift
	deb=$(e2e_deb_of "$p")
	[ -f "$d/.done" ] && [ "$(cat "$d/.done")" = "$(basename "$deb")" ] && return 0
	rm -rf "$d"
	mkdir -p "$d"
	if [ $# -gt 0 ]; then
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$d" "$@" ||
			e2e_fatal "cannot unpack $* from $deb"
	else
		dpkg-deb -x "$deb" "$d" || e2e_fatal "cannot unpack $deb"
	fi
	basename "$deb" >"$d/.done"
}

# e2e_kernel_pkg [ENV META GLOB]: the versioned kernel package: $ENV, else
# what the metapackage META depends on, else (offline) the newest one in the
# cache matching GLOB.  Default: KX_E2E_KERNEL_PKG, linux-image-cloud-amd64.
e2e_kernel_pkg() {
	local env=${1:-KX_E2E_KERNEL_PKG} meta=${2:-linux-image-cloud-amd64}
	local glob=${3:-linux-image-[0-9]*-cloud-amd64} pkg f
	pkg=${!env:-}
	if [ -z "$pkg" ]; then
		pkg=$(apt-cache depends "$meta" 2>/dev/null |
			awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	fi
	if [ -z "$pkg" ]; then
		f=$(compgen -G "$CACHE/debs/${glob}_*.deb" | sort -V | tail -n 1)
		[ -n "$f" ] && pkg=$(basename "${f%%_*}")
	fi
	[ -n "$pkg" ] || e2e_fatal "apt-cache cannot resolve $meta and the cache has no kernel:" \
		"run 'apt-get update' (as root) or tests/e2e/setup --install"
	echo "$pkg"
}

# e2e_fetch_kernel_pkg PKG: download and unpack PKG (./boot only); sets
# E2E_VMLINUZ to its vmlinuz.
e2e_fetch_kernel_pkg() {
	local pkg=$1 o cfg vmlinuz
	e2e_download "$pkg"
	e2e_unpack "$pkg" ./boot
	vmlinuz=$(compgen -G "$CACHE/x/$pkg/boot/vmlinuz-*" | head -n 1)
	cfg=$(compgen -G "$CACHE/x/$pkg/boot/config-*" | head -n 1)
	if [ -z "$vmlinuz" ] || [ -z "$cfg" ]; then
		e2e_fatal "$pkg has no /boot/vmlinuz-* or config-*"
	fi
	for o in KEXEC KEXEC_FILE BLK_DEV_INITRD SERIAL_8250_CONSOLE DEVTMPFS; do
		grep -q "^CONFIG_$o=y" "$cfg" || e2e_fatal "$pkg: kernel config lacks CONFIG_$o=y"
	done
	E2E_VMLINUZ=$vmlinuz
}

# Sets VMLINUZ and KVER: the cloud kernel, unpacked (./boot only).
e2e_fetch_kernel() {
	e2e_fetch_kernel_pkg "$(e2e_kernel_pkg)"
	VMLINUZ=$E2E_VMLINUZ
	KVER=${VMLINUZ##*/vmlinuz-}
}

# Sets VMLINUZ612 and KVER612: Debian 12's 6.12 cloud kernel (bookworm-security).
e2e_fetch_kernel612() {
	e2e_fetch_kernel_pkg "$(e2e_kernel_pkg KX_E2E_KERNEL612_PKG \
		linux-image-6.12-cloud-amd64 'linux-image-6.12.*-cloud-amd64')"
	VMLINUZ612=$E2E_VMLINUZ
	KVER612=${VMLINUZ612##*/vmlinuz-}
}

# Sets UKI_STUB: systemd-stub of Debian's systemd-boot-efi (unpacked, never installed).
e2e_fetch_stub() {
	e2e_download systemd-boot-efi
	e2e_unpack systemd-boot-efi ./usr/lib/systemd/boot/efi
	UKI_STUB=$CACHE/x/systemd-boot-efi/usr/lib/systemd/boot/efi/linuxx64.efi.stub
	[ -f "$UKI_STUB" ] || e2e_fatal "systemd-boot-efi has no linuxx64.efi.stub"
}

# The Secure Boot chain of a Debian machine, unpacked, never installed:
# OVMF built with Secure Boot and SMM, its variable store with Microsoft's
# keys enrolled (SB_CODE, SB_VARS), Microsoft-signed shim with Debian's CA
# built in (SB_SHIM) and Debian-signed GRUB (SB_GRUB).
e2e_fetch_sb() {
	local f
	e2e_download ovmf shim-signed grub-efi-amd64-signed
	e2e_unpack ovmf ./usr/share/OVMF
	e2e_unpack shim-signed
	e2e_unpack grub-efi-amd64-signed
	SB_CODE=$CACHE/x/ovmf/usr/share/OVMF/OVMF_CODE_4M.secboot.fd
	SB_VARS=$CACHE/x/ovmf/usr/share/OVMF/OVMF_VARS_4M.ms.fd
	SB_SHIM=$CACHE/x/shim-signed/usr/lib/shim/shimx64.efi.signed
	SB_GRUB=$CACHE/x/grub-efi-amd64-signed/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed
	for f in "$SB_CODE" "$SB_VARS" "$SB_SHIM" "$SB_GRUB"; do
		[ -f "$f" ] || e2e_fatal "the Secure Boot chain lacks $f"
	done
}

# Sets PEER_KEXEC, PEER_VERSION (2.0.25), PEER_DEBVER and PEER_LIBDIRS: Debian's kexec-tools and the libxen*
# libraries its binary links (found with apt-cache depends --recurse).
e2e_fetch_peer() {
	local xen libs p
	e2e_download kexec-tools
	e2e_unpack kexec-tools
	PEER_KEXEC=$CACHE/x/kexec-tools/sbin/kexec
	[ -x "$PEER_KEXEC" ] || e2e_fatal "kexec-tools .deb has no sbin/kexec"
	PEER_DEBVER=$(basename "$(e2e_deb_of kexec-tools)" | cut -d_ -f2)
	PEER_DEBVER=${PEER_DEBVER//%3a/:}
	PEER_VERSION=${PEER_DEBVER#*:}
	PEER_VERSION=${PEER_VERSION%%-*}
	PEER_LIBDIRS=
	xen=$(apt-cache depends kexec-tools 2>/dev/null | awk '/Depends: libxen/ { print $2; exit }')
	if [ -n "$xen" ]; then
		libs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
			--no-breaks --no-replaces --no-enhances "$xen" | grep -E '^libxen' | sort -u)
		echo "$libs" >"$CACHE/x/kexec-tools.libs"
	elif [ -f "$CACHE/x/kexec-tools.libs" ]; then
		libs=$(cat "$CACHE/x/kexec-tools.libs")	# offline: what we resolved before
	fi
	# shellcheck disable=SC2086
	[ -z "$libs" ] || e2e_download $libs
	for p in $libs; do
		e2e_unpack "$p"
		PEER_LIBDIRS=$PEER_LIBDIRS:$CACHE/x/$p/usr/lib/x86_64-linux-gnu
	done
	PEER_LIBDIRS=${PEER_LIBDIRS#:}
}

# ---------------------------------------------------------------- initramfs

# e2e_copy_bin ROOT SRC DST [LIBDIRS]: copy a program into ROOT and every
# shared library ldd reports for it (ldd only reads the program, it does not
# run it).  Host libraries keep their path; unpacked ones go to the multiarch
# directory.
e2e_copy_bin() {
	local root=$1 src=$2 dst=$3 libdirs=${4:-} out lib to
	mkdir -p "$root/$(dirname "$dst")"
	cp "$src" "$root/$dst"
	chmod 755 "$root/$dst"
	out=$(LD_LIBRARY_PATH=$libdirs ldd "$src" 2>&1) || true
	if grep -q 'not found' <<<"$out"; then
		e2e_fatal "unresolved shared libraries of $src:"$'\n'"$out"
	fi
	awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]*ld-linux/ { print $1 }' <<<"$out" |
	while read -r lib; do
		to=$lib
		case $lib in "$CACHE"/*) to=/usr/lib/x86_64-linux-gnu/$(basename "$lib") ;; esac
		[ -e "$root$to" ] && continue
		mkdir -p "$root$(dirname "$to")"
		cp -L "$lib" "$root$to"
	done
}

e2e_cpio() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet)
}

# e2e_build_base [EXTRA_BIN...]: sets BASE, the inner archive shared by all
# boots: busybox, /init, both loaders with their libraries, EXTRA_BINs in
# /opt/bin, and the directory $KX_E2E_EXTRA (if set) as /e2e-extra.  It is
# rebuilt only when an input changes.
e2e_build_base() {
	local key dir root a b
	[ -x "$KX_KEXEC" ] || e2e_fatal "our kexec is not built: $KX_KEXEC (run make, or set KEXEC)"
	key=$({
		sha256sum "$E2E_SRCDIR/guest-init" /bin/busybox "$KX_KEXEC" "$PEER_KEXEC" "$@"
		echo "$PEER_LIBDIRS"
		if [ -n "${KX_E2E_EXTRA:-}" ]; then
			(cd "$KX_E2E_EXTRA" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
		fi
	} | sha256sum | cut -c1-16)
	dir=$WORK/base-$key
	BASE=$dir/base.cpio
	[ -f "$BASE" ] && return 0
	e2e_log "building the guest initramfs in $dir"
	find "$WORK" -maxdepth 1 -name 'base-*' -mtime +1 -exec rm -rf {} +
	rm -rf "$dir"
	root=$dir/root
	mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,opt/bin}
	e2e_copy_bin "$root" /bin/busybox /bin/busybox
	for a in $(/bin/busybox --list); do
		[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
	done
	cp "$E2E_SRCDIR/guest-init" "$root/init"
	chmod 755 "$root/init"
	e2e_copy_bin "$root" "$KX_KEXEC" /opt/kx/sbin/kexec
	e2e_copy_bin "$root" "$PEER_KEXEC" /opt/kt/sbin/kexec "$PEER_LIBDIRS"
	for b in "$@"; do
		e2e_copy_bin "$root" "$b" "/opt/bin/$(basename "$b")"
	done
	if [ -n "${KX_E2E_EXTRA:-}" ]; then
		mkdir -p "$root/e2e-extra"
		cp -a "$KX_E2E_EXTRA/." "$root/e2e-extra/" || e2e_fatal "cannot copy $KX_E2E_EXTRA"
	fi
	e2e_cpio "$root" >"$dir/base.cpio.tmp" || e2e_fatal "cpio failed in $root"
	rm -rf "$root"
	mv "$dir/base.cpio.tmp" "$BASE"
}

# Sets KDIR: the kernel, its gzip, xz and zstd compressed copies and its
# vmlinux; KDIR612: the 6.12 kernel, when it was fetched.
e2e_kernel_variants() {
	KDIR=$WORK/kernel-$KVER
	mkdir -p "$KDIR"
	[ -f "$KDIR/vmlinuz" ] || cp "$VMLINUZ" "$KDIR/vmlinuz"
	[ -f "$KDIR/vmlinuz.gz" ] || { gzip -6 -c "$VMLINUZ" >"$KDIR/gz.tmp" && mv "$KDIR/gz.tmp" "$KDIR/vmlinuz.gz"; }
	[ -f "$KDIR/vmlinuz.xz" ] || { xz -3 -T1 -c "$VMLINUZ" >"$KDIR/xz.tmp" && mv "$KDIR/xz.tmp" "$KDIR/vmlinuz.xz"; }
	[ -f "$KDIR/vmlinuz.zst" ] || { zstd -q -3 -c "$VMLINUZ" >"$KDIR/zst.tmp" && mv "$KDIR/zst.tmp" "$KDIR/vmlinuz.zst"; }
	e2e_vmlinux "$VMLINUZ" "$KDIR/vmlinux"
	if [ -n "${VMLINUZ612:-}" ]; then
		KDIR612=$WORK/kernel-$KVER612
		mkdir -p "$KDIR612"
		[ -f "$KDIR612/vmlinuz" ] || cp "$VMLINUZ612" "$KDIR612/vmlinuz"
	fi
}

# e2e_vmlinux BZIMAGE OUT: the ELF vmlinux inside a bzImage: the payload
# (setup_sects, payload_offset and payload_length of the setup header,
# Documentation/arch/x86/boot.rst) without the 4-byte size the build appends,
# decompressed with lz4 (Debian's 6.1) or zstd (6.12).
e2e_vmlinux() {
	local bz=$1 out=$2 ss po pl magic
	[ -f "$out" ] && return 0
	ss=$(od -An -tu1 -j $((0x1f1)) -N1 "$bz" | tr -d ' ')
	po=$(od -An -tu4 -j $((0x248)) -N4 "$bz" | tr -d ' ')
	pl=$(od -An -tu4 -j $((0x24c)) -N4 "$bz" | tr -d ' ')
	if [ "${ss:-0}" -eq 0 ] || [ "${pl:-0}" -le 4 ]; then
		e2e_fatal "$bz: no payload in the setup header"
	fi
	magic=$(od -An -tx1 -j $(((ss + 1) * 512 + po)) -N4 "$bz" | tr -d ' ')
	local dec
	case $magic in
	02214c18) dec="lz4 -dc" ;;
	28b52ffd) dec="zstd -dcq" ;;
	*) e2e_fatal "$bz: payload magic $magic is neither lz4 nor zstd" ;;
	esac
	dd if="$bz" iflag=skip_bytes,count_bytes skip=$(((ss + 1) * 512 + po)) count=$((pl - 4)) \
		bs=1M status=none | $dec >"$out.tmp" ||
		e2e_fatal "cannot decompress the payload of $bz"
	[ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
		e2e_fatal "the payload of $bz is not an ELF vmlinux"
	mv "$out.tmp" "$out"
}

# e2e_make_uki OUT KERNEL INITRD CMDLINE0 CMDLINE1 UCODE: a unified kernel
# image from Debian's systemd-stub with objcopy, as systemd-stub(7) of
# systemd 252 assembles one (no ukify in Debian 12): .osrel, .uname,
# .cmdline, .ucode, .linux, .initrd in the base, then two profiles
# (.profile sections, systemd 257 and later): profile 0 (ID=base) and
# profile 1 (ID=alt) with its own .cmdline.  objcopy cannot add a second
# section with a name it already has, so those are renamed afterwards.
e2e_make_uki() {
	local out=$1 kernel=$2 initrd=$3 c0=$4 c1=$5 ucode=$6 d vinit vp
	d=$(dirname "$out")/uki.d
	mkdir -p "$d"
	printf 'ID=debian\nVERSION_ID=12\nPRETTY_NAME="Debian GNU/Linux 12 (e2e UKI)"\n' >"$d/osrel"
	printf '%s' "${KVER_UKI:-e2e}" >"$d/uname"
	printf '%s' "$c0" >"$d/cmdline0"
	printf '%s' "$c1" >"$d/cmdline1"
	printf 'ID=base\nTITLE=Base\n' >"$d/profile0"
	printf 'ID=alt\nTITLE=Alternative command line\n' >"$d/profile1"
	[ "$(stat -c %s "$kernel")" -lt $((0x1000000)) ] || e2e_fatal "$kernel does not fit below .initrd"
	vinit=0x3000000
	vp=$(printf '0x%x' $(((0x3000000 + $(stat -c %s "$initrd") + 0xfffff) & ~0xfffff)))
	objcopy \
		--add-section .osrel="$d/osrel" --change-section-vma .osrel=0x20000 \
		--add-section .uname="$d/uname" --change-section-vma .uname=0x28000 \
		--add-section .cmdline="$d/cmdline0" --change-section-vma .cmdline=0x30000 \
		--add-section .ucode="$ucode" --change-section-vma .ucode=0x38000 \
		--add-section .linux="$kernel" --change-section-vma .linux=0x2000000 \
		--add-section .initrd="$initrd" --change-section-vma .initrd=$vinit \
		--add-section .profile="$d/profile0" --change-section-vma .profile="$vp" \
		--add-section .prof1="$d/profile1" --change-section-vma .prof1=$((vp + 0x1000)) \
		--add-section .cmd1="$d/cmdline1" --change-section-vma .cmd1=$((vp + 0x2000)) \
		"$UKI_STUB" "$d/uki.tmp" || e2e_fatal "objcopy could not build a UKI from $UKI_STUB"
	objcopy --rename-section .prof1=.profile --rename-section .cmd1=.cmdline "$d/uki.tmp" "$out" ||
		e2e_fatal "objcopy could not rename the profile sections"
	rm -rf "$d"
}

# All of the setup, under a lock so concurrent invocations share the cache.
e2e_setup() {
	e2e_check_tools
	exec 9>"$WORK/.setup.lock"
	flock 9
	e2e_fetch_kernel
	e2e_fetch_kernel612
	e2e_fetch_stub
	e2e_fetch_sb
	e2e_fetch_peer
	e2e_kernel_variants
	e2e_build_base "$@"
	flock -u 9
}

e2e_nonce() {
	od -An -N8 -tx1 /dev/urandom | tr -d ' \n'
}

# shell-quote for the guest's /etc/e2e-run.conf (busybox sh)
e2e_q() {
	local s=${1//\'/\'\\\'\'}
	printf "'%s'" "$s"
}

# e2e_prepare DIR KERNEL_FILE [INITRD_TAIL] NAME=VALUE...: write the outer
# archive DIR/outer.cpio of one boot.  The second kernel's initrd is the base
# archive plus /etc/e2e-marker holding a fresh nonce (in DIR/marker), plus
# INITRD_TAIL if given (a file appended as is); stage 1 does not have the
# marker; E2E_INITRD_SIZE, if set, pads it with zeros (which the kernel
# skips) to that size.  NAME=VALUEs go to /etc/e2e-run.conf.  Sets MARKER.
# With E2E_UKI_CMDLINE0/1 set, /vmlinuz is a UKI (e2e_make_uki) of KERNEL_FILE
# and that initrd, whose .ucode puts /etc/e2e-ucode into the second kernel's
# root file system; the initrd is then not in the archive by itself, unless
# E2E_UKI_INITRD=1 (kdump from a UKI: kdumpctl passes its own initrd).
e2e_prepare() {
	local dir=$1 kernel=$2 tail=$3 kv
	shift 3
	rm -rf "$dir"
	mkdir -p "$dir"/m/etc "$dir"/c/etc "$dir"/p
	MARKER=$(e2e_nonce)
	echo "$MARKER" >"$dir/m/etc/e2e-marker"
	echo "$MARKER" >"$dir/marker"
	for kv in "$@"; do
		echo "${kv%%=*}=$(e2e_q "${kv#*=}")"
	done >"$dir/c/etc/e2e-run.conf"
	{
		cat "$BASE"
		e2e_cpio "$dir/m"
		[ -z "$tail" ] || cat "$tail"
	} >"$dir/initrd.img"
	if [ -n "${E2E_INITRD_SIZE:-}" ]; then
		[ "$(stat -c %s "$dir/initrd.img")" -le "$E2E_INITRD_SIZE" ] ||
			e2e_fatal "the initrd is larger than E2E_INITRD_SIZE=$E2E_INITRD_SIZE"
		truncate -s "$E2E_INITRD_SIZE" "$dir/initrd.img"
	fi
	local files="vmlinuz initrd.img"
	if [ -n "${E2E_UKI_CMDLINE0:-}" ]; then
		mkdir -p "$dir/u/etc"
		echo "$MARKER" >"$dir/u/etc/e2e-ucode"
		e2e_cpio "$dir/u" >"$dir/ucode.cpio"
		e2e_make_uki "$dir/uki.efi" "$kernel" "$dir/initrd.img" "$E2E_UKI_CMDLINE0" \
			"${E2E_UKI_CMDLINE1:-}" "$dir/ucode.cpio"
		kernel=../uki.efi
		[ "${E2E_UKI_INITRD:-0}" = 1 ] || files=vmlinuz
	fi
	ln -s "$kernel" "$dir/p/vmlinuz"
	ln -s ../initrd.img "$dir/p/initrd.img"
	{
		cat "$BASE"
		e2e_cpio "$dir/c"
		# shellcheck disable=SC2086
		(cd "$dir/p" && printf '%s\n' $files | cpio -o -H newc -R 0:0 -L --quiet)
	} >"$dir/outer.cpio"
	rm -rf "$dir"/m "$dir"/c "$dir"/p "$dir"/u "$dir/initrd.img" "$dir/ucode.cpio" "$dir/uki.efi"
}

# ---------------------------------------------------------------- boot

# e2e_watch LOG PIDFILE: once a line of LOG matches E2E_STOP_RE, wait
# E2E_STOP_GRACE seconds (default 3; whatever the guest prints meanwhile is
# logged), then stop the QEMU whose pid is in PIDFILE and say so in
# LOG.stopped.  For a guest that is meant to halt for ever: the run ends
# seconds after the halt instead of at the timeout.  SIGTERM ends the watch.
e2e_watch() {
	local log=$1 pidf=$2 grace=${E2E_STOP_GRACE:-3} pid sp=
	trap '[ -z "$sp" ] || kill "$sp" 2>/dev/null; exit 0' TERM
	until grep -a -q -E "$E2E_STOP_RE" "$log" 2>/dev/null; do
		sleep 0.5 &
		sp=$!
		wait "$sp"
		sp=
	done
	sleep "$grace" &
	sp=$!
	wait "$sp"
	sp=
	pid=$(cat "$pidf" 2>/dev/null) || return 0
	case $(cat "/proc/$pid/comm" 2>/dev/null) in
	qemu*)
		echo "$EPOCHREALTIME # host: stopped qemu, still running ${grace}s after /$E2E_STOP_RE/" \
			>"$log.stopped"
		kill "$pid" 2>/dev/null || true
		;;
	esac
}

# e2e_esp_disk DISK MIB LABEL DIR: DISK becomes a GPT disk with one EFI
# System Partition of MIB MiB at 1 MiB (vfat, LABEL) holding what DIR holds;
# the GPT backup header needs the last 33 sectors, so the disk is 2 MiB
# larger.  No loop mounts (mtools).
e2e_esp_disk() {
	local disk=$1 mib=$2 label=$3 dir=$4 part=$1.part
	rm -f "$part" "$disk"
	truncate -s "${mib}M" "$part"
	mkfs.vfat -F 32 -n "$label" "$part" >/dev/null || e2e_fatal "mkfs.vfat failed on $part"
	MTOOLS_SKIP_CHECK=1 mcopy -s -i "$part" "$dir"/* :: || e2e_fatal "mcopy into $part failed"
	truncate -s "$((mib + 2))M" "$disk"
	printf 'label: gpt\nstart=2048, size=%d, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=ESP\n' \
		"$((mib * 2048))" | sfdisk -q "$disk" >/dev/null || e2e_fatal "sfdisk failed on $disk"
	dd if="$part" of="$disk" bs=1M seek=1 conv=notrunc status=none
	rm -f "$part"
}

# e2e_sb_disk DISK KERNEL OUTER CMDLINE: a GPT disk with an EFI System
# Partition as a Debian machine boots it with Secure Boot: shim as the
# removable-media loader (EFI/BOOT/BOOTX64.EFI), GRUB beside it, whose
# built-in configuration falls back to grub.cfg next to it ($cmdpath), and
# KERNEL with OUTER as its initrd.
e2e_sb_disk() {
	local disk=$1 kernel=$2 outer=$3 cmdline=$4 d=$1.d
	rm -rf "$d"
	mkdir -p "$d/EFI/BOOT"
	cp "$SB_SHIM" "$d/EFI/BOOT/BOOTX64.EFI"
	cp "$SB_GRUB" "$d/EFI/BOOT/grubx64.efi"
	printf 'set timeout=0\nmenuentry e2e {\n\tlinux /vmlinuz %s\n\tinitrd /outer.cpio\n}\n' \
		"$cmdline" >"$d/EFI/BOOT/grub.cfg"
	cp "$kernel" "$d/vmlinuz"
	cp "$outer" "$d/outer.cpio"
	e2e_esp_disk "$disk" 256 E2E-ESP "$d"
	rm -rf "$d"
}

# e2e_boot LOG OUTER MEM CMDLINE: boot the cloud kernel (E2E_FIRST_KERNEL if
# set, else VMLINUZ) on E2E_SMP CPUs (default 1) with OUTER as its initramfs; every serial line goes to LOG with a host timestamp
# ($EPOCHREALTIME) in front.  Sets QEMU_RC (124: timed out) and QEMU_STOPPED
# (1 when E2E_STOP_RE, if set, matched and the host stopped QEMU; see
# e2e_watch).  With E2E_SB=1 the machine boots through the Secure Boot chain
# (e2e_sb_disk) instead: q35 with SMM, OVMF enforcing Secure Boot with
# Microsoft's keys, shim, GRUB, the kernel.
e2e_boot() {
	local log=$1 outer=$2 mem=$3 cmdline=$4 extra qemu line watch='' boot
	read -r -a extra <<<"${KX_E2E_QEMU_ARGS:-}"
	if [ "${E2E_SB:-0}" = 1 ]; then
		e2e_sb_disk "$log.esp" "${E2E_FIRST_KERNEL:-$VMLINUZ}" "$outer" "$cmdline"
		cp "$SB_VARS" "$log.vars"
		# shellcheck disable=SC2054  # the commas are QEMU's
		boot=(-M q35,smm=on -global driver=cfi.pflash01,property=secure,value=on
			-drive "if=pflash,format=raw,unit=0,readonly=on,file=$SB_CODE"
			-drive "if=pflash,format=raw,unit=1,file=$log.vars"
			-drive "if=virtio,format=raw,file=$log.esp")
	else
		boot=(-M pc -kernel "${E2E_FIRST_KERNEL:-$VMLINUZ}" -initrd "$outer" -append "$cmdline")
	fi
	qemu=("${KX_E2E_QEMU:-qemu-system-x86_64}" -accel tcg -m "$mem" -smp "${E2E_SMP:-1}" -nodefaults -no-user-config
		-display none -monitor none -serial stdio -no-reboot -pidfile "$log.pid" "${extra[@]}"
		"${boot[@]}")
	rm -f "$log.pid" "$log.stopped"
	{
		echo "# ${qemu[*]}"
		echo "$EPOCHREALTIME # qemu start"
	} >"$log"
	if [ -n "${E2E_STOP_RE:-}" ]; then
		e2e_watch "$log" "$log.pid" &
		watch=$!
	fi
	{
		timeout -k 5 "$E2E_TIMEOUT" "${qemu[@]}" </dev/null 2>&1
		echo $? >"$log.rc"
	} | while IFS= read -r line || [ -n "$line" ]; do
		printf '%s %s\n' "$EPOCHREALTIME" "${line%$'\r'}"
	done >>"$log"
	if [ -n "$watch" ]; then
		kill "$watch" 2>/dev/null || true
		wait "$watch" 2>/dev/null || true
	fi
	QEMU_RC=$(cat "$log.rc")
	# shellcheck disable=SC2034  # read by the callers
	QEMU_STOPPED=0
	if [ -f "$log.stopped" ]; then
		# shellcheck disable=SC2034  # read by the callers
		QEMU_STOPPED=1
		cat "$log.stopped" >>"$log"
	fi
	rm -f "$log.rc" "$log.pid" "$log.stopped" "$log.esp" "$log.vars"
	echo "$EPOCHREALTIME # qemu exit rc=$QEMU_RC" >>"$log"
}

# e2e_stage1_cmdline NONCE [WORD...]
e2e_stage1_cmdline() {
	local nonce=$1
	shift
	echo "BOOT_IMAGE=/vmlinuz-e2e console=ttyS0 panic=-1 stage=1 e2e_nonce=$nonce $*"
}

# ---------------------------------------------------------------- reading logs

# e2e_field LOG TAG KEY: the value of KEY=... on the first line with TAG.
e2e_field() {
	awk -v tag="$2" -v key="$3" '
		index($0, tag) {
			for (i = 1; i <= NF; i++)
				if (index($i, key "=") == 1) { print substr($i, length(key) + 2); exit }
			exit
		}' "$1"
}

# e2e_ts LOG ERE [AFTER]: host timestamp of the first line matching ERE
# (after timestamp AFTER, if given).
e2e_ts() {
	awk -v re="$2" -v after="${3:-0}" '$1 + 0 > after + 0 && $0 ~ re { print $1; exit }' "$1"
}

e2e_tsdiff() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "NA"; else printf "%.2f", b - a }'
}

# e2e_check_stage2 LOG NONCE MARKER: did a second kernel report in with this
# run's nonce on its command line, this run's marker from its initrd, a new
# boot_id and stage 1's boot_id handed over (not checked with
# E2E_NO_S1BOOT=1: a UKI's .cmdline is fixed before stage 1 boots)?  Sets
# WHY on failure.
e2e_check_stage2() {
	local log=$1 nonce=$2 marker=$3 s1 s2 s2s1 cmd
	WHY=
	s1=$(e2e_field "$log" "E2E:S1:INIT" boot_id)
	if ! grep -q "E2E:S2:OK " "$log"; then
		WHY="no second kernel reported in"
		grep -q "E2E:RESULT fail" "$log" && WHY=$(grep -m1 -o "E2E:RESULT fail.*" "$log")
		[ "$QEMU_RC" = 124 ] && WHY="$WHY (timed out after ${E2E_TIMEOUT}s)"
		return 1
	fi
	s2=$(e2e_field "$log" "E2E:S2:OK" boot_id)
	s2s1=$(e2e_field "$log" "E2E:S2:OK" s1_boot_id)
	cmd=$(grep -m1 -o "E2E:S2:CMDLINE .*" "$log")
	if [[ " $cmd " != *" e2e_nonce=$nonce "* ]]; then
		WHY="second kernel's command line lacks e2e_nonce=$nonce"
	elif [ "$(e2e_field "$log" "E2E:S2:OK" nonce)" != "$nonce" ]; then
		WHY="second kernel's init did not read this run's nonce"
	elif ! grep -q "E2E:S2:MARKER $marker\$" "$log"; then
		WHY="second kernel's initrd marker is not $marker"
	elif [ -z "$s1" ] || [ -z "$s2" ] || [ "$s1" = "$s2" ]; then
		WHY="boot_id did not change (stage 1 '$s1', stage 2 '$s2')"
	elif [ "${E2E_NO_S1BOOT:-0}" != 1 ] && [ "$s2s1" != "$s1" ]; then
		WHY="stage 1's boot_id was not handed over ($s2s1 != $s1)"
	fi
	[ -z "$WHY" ]
}

# e2e_tail LOG: the lines of a log worth showing after a failure.
e2e_tail() {
	{
		grep -a -E 'E2E:|  \| |Kernel panic|kexec|Nothing has been|Cannot|failed' "$1" | tail -n 25
		echo "---- last lines of $1"
		tail -n 8 "$1"
	} | cut -c1-300
}
