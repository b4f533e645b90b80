# shellcheck shell=bash
# shellcheck disable=SC2034  # the fields are read by tests/debian/suite
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The scenarios of tests/debian/suite (issue 9), as data.  Each scn_ID
# function sets, for one scenario:
#
#   TITLE        what it proves (the TAP title, after the package's name)
#   FOR          "ours peer" or "ours": the packages it applies to
#   PEER_RUN     1: the peer runs it by default; 0: only with --all
#   EXPECT_peer, EXPECT_ours
#                empty: the scenario must pass; else "ERE<TAB>reason": an
#                expected failure (TAP "# TODO reason"), which counts only
#                when the serial log matches ERE; a pass is reported as an
#                unexpected pass
#   CMDLINE      extra words for the first kernel's command line
#   ESP_WORDS    extra words for the Boot Loader Specification entry
#   STEP_n       the bash snippet the guest's kxe-runner runs at boot n (it
#                can use kxe_append, kxe_kmsg, kxe_wait_kdump,
#                kxe_kdump_args, kxe_unit, kxe_journal, kxe_bootctl; see
#                tests/debian/guest/kxe-runner), and JOURNAL_n the units
#                whose journal it prints after the step
#   LAST         the boot after whose step the guest powers off
#   RUNS         QEMU runs on the same disk (2: boot again after the first
#                run ended through a firmware reboot or a poweroff)
#   CHECK        the host's check: a function of tests/debian/suite and its
#                arguments (check_kexec SOURCE [ERE], check_kdump,
#                check_nokexec ERE, check_report ERE)
#
# Scenario numbers are issue 9's.  In the guest, K and I below are the
# installed kernel and initrd; every new kernel's command line carries
# kxe.boot=SOURCE (where it came from) and this run's kxe.nonce.

# The fields, cleared before each scn_ID runs.
SCN_FIELDS="TITLE FOR PEER_RUN EXPECT_peer EXPECT_ours CMDLINE ESP_WORDS LAST RUNS CHECK
STEP_1 STEP_2 STEP_3 JOURNAL_1 JOURNAL_2 JOURNAL_3"

# All scenarios, in the order the suite runs them.
SCENARIOS="2 3 3u 6 6s 6c 1 1c 4 5 7"

# (expanded in the guest)
# shellcheck disable=SC2016
K='/boot/vmlinuz-$(uname -r)'
# shellcheck disable=SC2016
I='/boot/initrd.img-$(uname -r)'
# Debian's default reservation (kdump-tools' /etc/default/grub.d/kdump-tools.cfg)
CRASHKERNEL="crashkernel=384M-:128M"
# A recorded host on which a kexec must not happen: Sapphire Rapids with the
# partial-write erratum on Linux 6.18 (tests/fixtures/hosts).
NOGO_HOST=spr-pw-mce-6.18

scn_1() {
	TITLE="kexec -l --tdx-disable K --initrd I --reuse-cmdline, systemctl kexec: the second kernel comes up and kexec-tdx-verify.service reports in the journal"
	FOR="ours"
	STEP_1="kexec -l --tdx-disable $K --initrd $I --reuse-cmdline --append=kxe.boot=tdx && systemctl kexec"
	STEP_2="kxe_unit kexec-tdx-verify.service"
	JOURNAL_2="kexec-tdx-verify.service"
	LAST=2
	CHECK="check_kexec tdx kexec-tdx-verify"
}

# Scenario 1 through kexec_load: our purgatory's TDX gate runs in a kexec
# that systemd starts, and the verify unit reads the record it left.
scn_1c() {
	TITLE="kexec -c -l --tdx-disable K --initrd I --reuse-cmdline, systemctl kexec: the second kernel comes up and kexec-tdx-verify.service reads our purgatory's gate record"
	FOR="ours"
	STEP_1="kexec -c -l --tdx-disable $K --initrd $I --reuse-cmdline --append=kxe.boot=tdxc && systemctl kexec"
	STEP_2="kxe_unit kexec-tdx-verify.service"
	JOURNAL_2="kexec-tdx-verify.service"
	LAST=2
	CHECK="check_kexec tdxc digests-verified"
}

scn_2() {
	TITLE="systemctl kexec with nothing loaded: systemd runs kexec --load from the Boot Loader Specification entry, the second kernel comes up"
	FOR="ours peer"
	PEER_RUN=1
	ESP_WORDS="kxe.boot=bls"
	STEP_1="kxe_bootctl; systemctl kexec"
	LAST=2
	CHECK="check_kexec bls"
}

scn_3() {
	TITLE="kexec -l K --initrd=I --append=..., then reboot: systemctl turns it into a kexec, the second kernel comes up"
	FOR="ours peer"
	PEER_RUN=1
	STEP_1="kexec -l $K --initrd=$I --append=\"\$(kxe_append kxe.boot=staged)\" && reboot"
	LAST=2
	CHECK="check_kexec staged"
}

# Issue 8: an upgrade keeps a staged kernel staged.  dpkg -i of the same
# package over itself runs the upgrade paths of the maintainer scripts (prerm
# upgrade, postinst configure with the old version); our record and the
# loaded kernel must survive them, and the reboot must still kexec.
scn_3u() {
	TITLE="kexec -l K --initrd=I --append=..., dpkg -i of our package again (the maintainer scripts' upgrade path), then reboot: still staged and recorded (--show-staged), the second kernel comes up"
	FOR="ours"
	STEP_1="kexec -l $K --initrd=$I --append=\"\$(kxe_append kxe.boot=upgraded)\" && dpkg -i /usr/local/share/kxe/pkg.deb && kexec --show-staged >/tmp/staged && cat /tmp/staged && grep -q '^a kernel is loaded; kexec-tdx staged it:' /tmp/staged && reboot"
	LAST=2
	CHECK="check_kexec upgraded"
}

# scn_kdump ARGS: kdump-tools with KDUMP_KEXEC_ARGS=ARGS ("" keeps the
# default file): sysrq-c, the crash kernel saves a dump holding this run's
# marker.
scn_kdump() {
	FOR="ours peer"
	CMDLINE=$CRASHKERNEL
	STEP_1="${1:+kxe_kdump_args $1 && }kxe_wait_kdump && kdump-config show && kxe_kmsg KXE-MARK-\$NONCE && sync && echo c >/proc/sysrq-trigger"
	LAST=1
	CHECK="check_kdump"
}

scn_6() {
	TITLE="kdump-tools, default KDUMP_KEXEC_ARGS: sysrq-c, the crash kernel saves a readable dump holding this run's marker"
	scn_kdump ""
	PEER_RUN=1
}

scn_6s() {
	TITLE="kdump-tools, KDUMP_KEXEC_ARGS=-s: sysrq-c, the crash kernel saves a readable dump holding this run's marker"
	scn_kdump "-s"
	PEER_RUN=0
}

scn_6c() {
	TITLE="kdump-tools, KDUMP_KEXEC_ARGS=-c: sysrq-c, the crash kernel saves a readable dump holding this run's marker"
	scn_kdump "-c"
	PEER_RUN=0
}

# The recorded no-go host is simulated system-wide (kxe-fake-tdx-host) after
# the load, so the TDX check at reboot time, not at load time, must stop it.
scn_4() {
	TITLE="a TDX no-go at reboot time (recorded host $NOGO_HOST bind-mounted system-wide after the load), systemctl kexec: no kexec, the machine reboots through firmware, the serial log shows our report"
	FOR="ours peer"
	PEER_RUN=1
	EXPECT_peer=$'KXE:UP n=2 \tDebian\'s kexec-tools has no TDX check: the kexec happens'
	STEP_1="kexec -l $K --initrd=$I --append=\"\$(kxe_append kxe.boot=staged)\" && kxe-fake-tdx-host $NOGO_HOST && systemctl kexec"
	LAST=2
	CHECK="check_nokexec no-go"
}

scn_5() {
	TITLE="the systemd v260 path: a kernel loaded with kexec_file_load by another program (kxe-kfload) on the simulated no-go host, systemctl kexec: the preflight unit unloads it, no kexec"
	FOR="ours peer"
	PEER_RUN=0
	EXPECT_peer=$'KXE:UP n=2 \tDebian\'s kexec-tools has no preflight unit: the kexec happens'
	STEP_1="kxe-fake-tdx-host $NOGO_HOST && kxe-kfload $K $I \"\$(kxe_append kxe.boot=kfload)\" && systemctl kexec"
	LAST=2
	CHECK="check_nokexec no-go"
}

scn_7() {
	TITLE="after scenario 4's firmware reboot, the next boot reports that the planned kexec did not happen, and why"
	FOR="ours"
	STEP_1="kexec -l $K --initrd=$I --append=\"\$(kxe_append kxe.boot=staged)\" && kxe-fake-tdx-host $NOGO_HOST && systemctl kexec"
	STEP_2="kxe_unit kexec-tdx-verify.service"
	JOURNAL_2="kexec-tdx-verify.service"
	LAST=2
	RUNS=2
	CHECK="check_report did.not.happen"
}

# scn_load ID: clear the fields and set them for scenario ID.
scn_load() {
	local f
	for f in $SCN_FIELDS; do
		unset "$f"
	done
	FOR="ours peer" PEER_RUN=0 EXPECT_peer='' EXPECT_ours='' CMDLINE='' ESP_WORDS='' LAST=1 RUNS=1
	declare -F "scn_$1" >/dev/null || return 1
	"scn_$1"
}
