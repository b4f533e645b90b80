#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/tdx-status.sh [KEXEC] [PROFILE|/] [RUNS]
#
# How long `kexec --tdx-status` takes on a recorded host profile (default
# tests/fixtures/hosts/spr-pw-mce-7.2-disable) or on this host ("/"): the
# mean wall time of RUNS runs (default 300), next to `kexec --version`
# (process start and exit alone), so that the difference is the TDX check
# itself.  The commands take turns within each round, so a change of CPU
# speed during the run affects them alike.  With hyperfine installed it is
# used instead.  It only reads; nothing is loaded.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
kexec=${1:-$here/../build/cli/kexec}
profile=${2:-$here/../tests/fixtures/hosts/spr-pw-mce-7.2-disable}
runs=${3:-300}

[ -x "$kexec" ] || { echo "tdx-status.sh: no kexec at $kexec (give it as the first argument)" >&2; exit 1; }
[ "${BASH_VERSINFO[0]}" -ge 5 ] || { echo "tdx-status.sh: needs bash 5 (EPOCHREALTIME)" >&2; exit 1; }

echo "kexec:   $kexec"
echo "profile: $profile"
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 20 --runs "$runs" -i "$kexec --version" \
		"$kexec --tdx-status --sysroot $profile" "$kexec --tdx-status --json --sysroot $profile"
	exit 0
fi


cmds=("$kexec --version" "$kexec --tdx-status --sysroot $profile"
      "$kexec --tdx-status --json --sysroot $profile")
sum=(0 0 0)
for ((i = 0; i < runs + 10; i++)); do
	for c in 0 1 2; do
		t0=${EPOCHREALTIME/[.,]/}
		# shellcheck disable=SC2086 # the command lines are split on purpose
		${cmds[c]} >/dev/null 2>&1 || true
		t1=${EPOCHREALTIME/[.,]/}
		((i < 10)) || sum[c]=$((sum[c] + t1 - t0))	# the first 10 rounds warm up
	done
done
ms() {
	awk -v t="$1" -v n="$runs" 'BEGIN { printf "%8.3f", t / n / 1000 }'
}
echo "mean wall time of $runs runs each:"
echo "  kexec --version              $(ms "${sum[0]}") ms"
echo "  kexec --tdx-status           $(ms "${sum[1]}") ms"
echo "  kexec --tdx-status --json    $(ms "${sum[2]}") ms"
echo "  the TDX check itself         $(ms $((sum[1] - sum[0]))) ms (--tdx-status less --version)"
