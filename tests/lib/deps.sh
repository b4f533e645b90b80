# shellcheck shell=bash
# Debian 12 packages the build and the tests need, and a function that
# installs the missing ones (as root).  Sourced by tests/run-all,
# tests/run-demo and .ci/run.
# shellcheck disable=SC2034

KX_BUILD_PKGS="autoconf automake make gcc libc6-dev pkg-config libelf-dev zlib1g-dev liblzma-dev libzstd-dev"
KX_TEST_PKGS="libcmocka-dev bats bats-support bats-assert jq python3-jsonschema xz-utils zstd lz4 gzip cpio busybox-static qemu-system-x86 ca-certificates"
# clang and its libFuzzer runtime: the fuzzing smoke (tests/fuzz/run); time: bats measures bombs
KX_TEST_PKGS="$KX_TEST_PKGS clang libclang-rt-14-dev time"
# the real-Debian guest of tests/debian (debootstrap, mkfs.ext4 -d, debugfs,
# qemu-img, the ESP's GPT and vfat; the vfat also for the e2e Secure Boot chain)
KX_TEST_PKGS="$KX_TEST_PKGS debootstrap e2fsprogs qemu-utils fdisk dosfstools mtools"
# our .deb, built for the Debian guest and checked by tests/debian/pkg-test
KX_TEST_PKGS="$KX_TEST_PKGS dpkg-dev debhelper lintian"

kx_missing_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
	done
}

# apt lists are needed for installs and for the e2e suite's apt-get download
kx_apt_lists() {
	compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null && return 0
	[ "$(id -u)" = 0 ] || return 0
	echo "apt-get update (no package lists yet)" >&2
	apt-get update -qq >/dev/null
}

kx_install_pkgs() {
	local missing
	kx_apt_lists
	# shellcheck disable=SC2046
	missing=$(kx_missing_pkgs "$@" | tr '\n' ' ')
	[ -z "${missing// }" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "missing packages: $missing (run as root to install them)" >&2
		return 1
	fi
	echo "installing: $missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
}
