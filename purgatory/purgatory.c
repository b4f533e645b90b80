// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory: runs on one CPU between the old kernel's relocate_kernel
 * and the new kernel.  In order: when the TDX gate runs, write back and
 * invalidate the caches; catch exceptions, bring up the consoles the user
 * asked for, check the SHA-256 of every loaded segment, run the TDX gate,
 * and jump.  A digest mismatch prints what differs and, as on_mismatch
 * says, cold-resets through firmware (the default) or halts: we never jump
 * into an image that is not the one that was loaded.
 */
#include "purgatory/cpu.h"
#include "freestanding/gate-logic.h"
#include "purgatory/params.h"
#include "purgatory/purgatory-internal.h"
#include "freestanding/digest-verify.h"

/*
 * Filled by the loader, by name.  The explicit zero initialisers keep them
 * in .data (with -fno-zero-initialized-in-bss): the loader cannot patch
 * .bss, which is not part of the image it copies.
 */
uint8_t console_serial = 0;
uint16_t serial_base = 0;
uint32_t serial_baud = 0;
uint8_t console_vga = 0;
uint8_t reset_vga = 0;
uint8_t skip_checks = 0;
uint8_t on_mismatch = KX_MISMATCH_RESET;
uint8_t gate_mode = 0;
uint8_t gate_expect_tdx = 0;
uint64_t gate_record = 0;
struct kx_dtab digest_table = { 0 };
uint64_t backup_src_start = 0;
uint64_t backup_src_size = 0;
uint64_t backup_start = 0;

#define MAX_REPORTED	8

struct report_ctx {
	struct kx_con *con;
	unsigned int reported;
};

/*
 * SSE for SHA-NI.  relocate_kernel leaves CR4 without OSFXSR, so SSE
 * instructions would raise #UD; set OSFXSR/OSXMMEXCPT and CR0.MP, clear
 * CR0.EM/TS (SDM vol. 3, 13.1.3).  Restored before the jump.
 */
static enum kx_sha256_impl enable_sha(uint64_t cr0, uint64_t cr4)
{
	write_cr0((cr0 & ~(KX_CR0_EM | KX_CR0_TS)) | KX_CR0_MP);
	write_cr4(cr4 | KX_CR4_OSFXSR | KX_CR4_OSXMMEXCPT);
	return kx_sha256_have_shani() ? KX_SHA256_SHANI : KX_SHA256_SCALAR;
}

static void report(void *arg, const struct kx_dtab *t, const struct kx_verify_bad *bad)
{
	struct report_ctx *rc = arg;
	char text[KX_VERIFY_DESCRIBE_MAX];

	if (rc->reported++ >= MAX_REPORTED)
		return;
	kx_verify_describe(t, bad, text, sizeof(text));
	kx_con_puts(rc->con, "purgatory: ");
	kx_con_puts(rc->con, text);
}

static void print_summary(struct kx_con *con, const struct kx_verify_stats *st,
			  uint64_t ticks, enum kx_sha256_impl impl)
{
	kx_con_puts(con, "purgatory: ");
	kx_con_dec(con, digest_table.nseg);
	kx_con_puts(con, " segments, ");
	kx_con_dec(con, digest_table.total >> 10);
	kx_con_puts(con, " KiB verified (");
	kx_con_dec(con, st->hashed >> 10);
	kx_con_puts(con, " KiB hashed");
	kx_con_puts(con, impl == KX_SHA256_SHANI ? " with SHA-NI, " : ", ");
	kx_con_dec(con, st->scanned >> 10);
	kx_con_puts(con, " KiB zero) in ");
	kx_con_dec(con, ticks);
	kx_con_puts(con, " TSC ticks\n");
}

/* Never jump into a corrupt image: reset through firmware, or halt, as on_mismatch says. */
__attribute__((noreturn)) static void mismatch(struct kx_con *con)
{
	if (on_mismatch == KX_MISMATCH_HALT) {
		kx_con_puts(con, "purgatory: halted (--on-mismatch=halt)\n");
		kx_con_drain(con);
		kx_halt();
	}
	kx_con_puts(con, "purgatory: cold reset through firmware (--on-mismatch=reset)\n");
	kx_con_drain(con);
	kx_cold_reset();
}

/* Returns the KX_GATE_F_* flags for the record; does not return on a mismatch. */
static uint32_t verify_segments(struct kx_con *con, enum kx_sha256_impl impl,
				uint64_t *bytes, uint64_t *ticks)
{
	struct report_ctx rc = { .con = con, .reported = 0 };
	struct kx_verify_stats st;
	uint64_t t0;
	int bad;

	*bytes = *ticks = 0;
	if (skip_checks) {
		kx_con_puts(con, "purgatory: digest checks skipped (--no-checks)\n");
		return KX_GATE_F_CHECKS_SKIPPED;
	}
	t0 = rdtsc();
	bad = kx_verify_dtab(&digest_table, impl, report, &rc, &st);
	*ticks = rdtsc() - t0;
	if (bad < 0) {
		kx_con_puts(con, "purgatory: the digest table is malformed (error ");
		kx_con_dec(con, (uint64_t)-bad);
		kx_con_puts(con, "); not jumping into an image that cannot be checked\n");
		mismatch(con);
	}
	if (bad > 0) {
		kx_con_puts(con, "purgatory: ");
		kx_con_dec(con, (uint64_t)bad);
		kx_con_puts(con, " region(s) differ from what was loaded; "
			    "not jumping into a corrupt image\n");
		mismatch(con);
	}
	print_summary(con, &st, *ticks, impl);
	*bytes = st.hashed + st.scanned;
	return KX_GATE_F_VERIFIED | (impl == KX_SHA256_SHANI ? KX_GATE_F_SHANI : 0);
}

/*
 * kdump: keep what the crashed kernel had in the low RAM range the crash
 * kernel will reuse, for /proc/vmcore.  After verification, because the
 * destination is a loaded (zero) segment.
 */
static void copy_backup(struct kx_con *con)
{
	if (!backup_start || !backup_src_size)
		return;
	memcpy((void *)(uintptr_t)backup_start, (const void *)(uintptr_t)backup_src_start,
	       backup_src_size);
	kx_con_puts(con, "purgatory: backed up ");
	kx_con_hex(con, backup_src_size, 1);
	kx_con_puts(con, " bytes at ");
	kx_con_hex(con, backup_src_start, 1);
	kx_con_puts(con, " for the crash kernel\n");
}

void kx_exception(uint64_t vector, uint64_t error, uint64_t rip)
{
	struct kx_con con;

	kx_con_init(&con, console_serial, serial_base, 0, 0);
	kx_con_puts(&con, "purgatory: unexpected exception ");
	kx_con_dec(&con, vector);
	kx_con_puts(&con, " error ");
	kx_con_hex(&con, error, 1);
	kx_con_puts(&con, " at ");
	kx_con_hex(&con, rip, 1);
	kx_con_puts(&con, "; halted\n");
	kx_halt();
}

/*
 * When the TDX gate runs, write back and invalidate the caches before a
 * single loaded byte is read.  The old kernel may leave dirty lines of a TDX
 * KeyID for addresses the segments now occupy (hardware keeps no coherency
 * across KeyIDs); written back after the digest check, such a line would
 * change memory already verified, written back now it is caught by the check.
 * Linux's relocate_kernel (arch/x86/kernel/relocate_kernel_64.S,
 * identity_mapped) does a WBINVD before swap_pages only when machine_kexec()
 * passes RELOC_KERNEL_CACHE_INCOHERENT, i.e. on 6.18 and later kernels whose
 * per-CPU cache_state_incoherent flag a SEAMCALL set (commits 83214a775f33,
 * 10df8607bf1a; ../shared/ref/kernel-tdx.md 2.3); older and vendor kernels do
 * none.  After this point nothing runs a SEAMCALL, so nothing dirties a line
 * of a TDX KeyID again (the kernel's own argument for one flush per CPU), and
 * no second flush is needed before the jump: what the purgatory writes from
 * here on (the gate record, the kdump backup, its stack) goes through KeyID 0,
 * coherent with the new kernel's reads, and the new kernel flushes every CPU
 * itself before the TDX module uses the global KeyID (config_global_keyid()
 * in arch/x86/virt/vmx/tdx/tdx.c).  This flushes this CPU's caches and the
 * caches it shares; the other CPUs were stopped by the old kernel, whose
 * stop_this_cpu() flushes them under the same flag.
 */
static uint64_t flush_at_entry(void)
{
	uint64_t t0;

	if (gate_mode == KX_TDX_GATE_MODE_OFF)
		return 0;
	t0 = rdtsc();
	wbinvd();
	return (rdtsc() - t0) | 1;	/* never 0: 0 means "not done" in the record */
}

void purgatory_main(void)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4(), flush_tsc = flush_at_entry();
	struct kx_gate_run run = { .entry_cr4 = cr4, .entry_wbinvd_tsc = flush_tsc };
	enum kx_sha256_impl impl;
	struct kx_con con;

	kx_idt_install();
	if (reset_vga)
		kx_vga_reset();
	kx_con_init(&con, console_serial, serial_base, serial_baud, console_vga);
	kx_con_puts(&con, "purgatory: kexec-tdx purgatory running\n");
	if (flush_tsc) {
		kx_con_puts(&con, "purgatory: caches written back and invalidated (WBINVD) "
			    "before the digest check, in ");
		kx_con_dec(&con, flush_tsc);
		kx_con_puts(&con, " TSC ticks\n");
	}

	impl = enable_sha(cr0, cr4);
	run.flags = verify_segments(&con, impl, &run.verify_bytes, &run.verify_tsc);
	if (flush_tsc)
		run.flags |= KX_GATE_F_WBINVD_ENTRY;
	copy_backup(&con);
	kx_gate_run(&con, &run);

	kx_con_puts(&con, "purgatory: jumping to ");
	kx_con_hex(&con, entry64_regs.rip, 1);
	kx_con_putc(&con, '\n');
	write_cr4(cr4);
	write_cr0(cr0);
	kx_idt_clear();
	kx_jump_to_kernel();
}
