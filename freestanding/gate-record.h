/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The purgatory's TDX gate: what it checks between the two kernels, and the
 * record it leaves for the new kernel.  Shared by the purgatory, the loader
 * (which reserves the record and fills its "not run yet" state) and
 * `kexec --tdx-verify` (which reads it back in the new kernel from
 * /sys/kernel/boot_params/setup_data/N/{type,data}).  Freestanding.
 *
 * Where the record lives.  The loader allocates a setup_data node of
 * KX_TDX_GATE_NODE_SIZE bytes, links it into boot_params.hdr.setup_data and
 * passes the physical address of its payload (node + 16) as the gate's
 * record address.  The purgatory writes the payload after it has verified
 * every segment's digest, just before the jump (or the reset).
 *
 * The setup_data type, KX_SETUP_TDX_GATE = 0x4b585447 ("KXTG"), is one the
 * kernel ignores, and that is safe:
 *  - arch/x86/include/uapi/asm/setup_data.h (bootparam.h before 6.7)
 *    numbers the types it knows densely from 0 (SETUP_NONE) to
 *    SETUP_ENUM_MAX (10, SETUP_KEXEC_KHO, in 6.16), plus the flag
 *    SETUP_INDIRECT = 1 << 31; new types are added as the next small
 *    number, so a value this large with bit 31 clear collides with neither;
 *  - parse_setup_data() in arch/x86/kernel/setup.c switches on the known
 *    types and skips every other node ("default: break");
 *  - every node, whatever its type, is kept reserved for the life of the
 *    kernel (e820__reserve_setup_data() marks it E820_TYPE_RESERVED_KERN and
 *    memblock_x86_reserve_range_setup_data() reserves it), avoided by KASLR
 *    in the decompressor (mem_avoid_overlap() walks the whole list), and
 *    shown with its type and payload in /sys/kernel/boot_params/setup_data
 *    (arch/x86/kernel/ksysfs.c);
 *  - only a node whose type is exactly SETUP_INDIRECT is followed to
 *    another address, and bit 31 is clear here.
 * The payload also starts with a magic and a version, so a reader never
 * mistakes some other node for ours.
 */
#pragma once

#include <stdint.h>

#define KX_SETUP_TDX_GATE	0x4b585447u	/* setup_data type, "KXTG" */
#define KX_TDX_GATE_MAGIC	0x4754584bu	/* "KXTG" in memory order */
#define KX_TDX_GATE_VERSION	2
#define KX_TDX_GATE_V1_SIZE	128		/* version 1: the fields up to reserved[] */
#define KX_TDX_GATE_V2_SIZE	192		/* version 2 adds checks_known .. reserved2[] */
#define KX_SETUP_DATA_HDR	16		/* struct setup_data: next, type, len */

/* The record's mode field; same numbers as enum kx_gate_mode in kexec/purgatory.h. */
enum kx_tdx_gate_mode {
	KX_TDX_GATE_MODE_OFF = 0,
	KX_TDX_GATE_MODE_RECORD = 1,
	KX_TDX_GATE_MODE_ENFORCE = 2,
};

enum kx_tdx_gate_state {
	KX_TDX_GATE_NOT_RUN = 0,	/* filled by the loader; purgatory has not run */
	KX_TDX_GATE_RAN = 1,		/* the purgatory ran the checks and jumped */
};

enum kx_tdx_gate_verdict {
	KX_TDX_GATE_UNKNOWN = 0,
	KX_TDX_GATE_PASS = 1,		/* no check found a problem */
	KX_TDX_GATE_WARN = 2,		/* nothing certain to stop TDX; a check could not be
					 * made, or a reading's meaning is unconfirmed */
	KX_TDX_GATE_FAIL = 3,		/* a reading certain to stop TDX in the new kernel */
};

/* Index of each raw value, for msr_valid and msr_fault. */
enum kx_tdx_gate_reg {
	KX_GATE_FEATURE_CONTROL = 0,	/* MSR 0x3a IA32_FEATURE_CONTROL */
	KX_GATE_KEYID_PART = 1,		/* MSR 0x87 IA32_MKTME_KEYID_PARTITIONING */
	KX_GATE_MTRRCAP = 2,		/* MSR 0xfe IA32_MTRRCAP */
	KX_GATE_SEAMRR_BASE = 3,	/* MSR 0x1400 IA32_SEAMRR_PHYS_BASE */
	KX_GATE_SEAMRR_MASK = 4,	/* MSR 0x1401 IA32_SEAMRR_PHYS_MASK */
	KX_GATE_NR_MSR = 5,
};

/*
 * Reasons, one bit each; the bit numbers are stable.  Each has a class
 * (kx_tdx_gate_reason_class()): it fails the gate, only warns (a check could
 * not be made), or is "unconfirmed" (a reading whose meaning comes from
 * out-of-tree patches and was never seen on TDX hardware); a v2 record keeps
 * the classes the purgatory applied (reasons_fail, reasons_unconfirmed).
 */
enum kx_tdx_gate_reason {
	KX_GATE_R_VMX_ON = 0,		/* CR4.VMXE set: VMX was not turned off */
	KX_GATE_R_FC_UNREADABLE = 1,	/* rdmsr 0x3a raised #GP */
	KX_GATE_R_FC_UNLOCKED = 2,	/* IA32_FEATURE_CONTROL bit 0 clear */
	KX_GATE_R_FC_NO_VMX = 3,	/* bit 2 (VMX outside SMX) clear */
	KX_GATE_R_KEYID_UNREADABLE = 4,	/* rdmsr 0x87 raised #GP */
	KX_GATE_R_KEYID_NONE = 5,	/* no TDX private KeyIDs (bits 63:32 == 0) */
	KX_GATE_R_KEYID_TOO_FEW = 6,	/* one TDX KeyID; TDX needs at least 2 */
	KX_GATE_R_MTRRCAP_UNREADABLE = 7, /* rdmsr 0xfe raised #GP */
	KX_GATE_R_SEAMRR_UNREPORTED = 8, /* IA32_MTRRCAP bit 15 clear */
	KX_GATE_R_SEAMRR_UNREADABLE = 9, /* rdmsr 0x1400/0x1401 raised #GP */
	KX_GATE_R_SEAMRR_UNCONFIGURED = 10, /* SEAMRR_PHYS_BASE bit 3 clear */
	KX_GATE_R_SEAMRR_DISABLED = 11,	/* SEAMRR_PHYS_MASK bit 11 clear */
	KX_GATE_R_SEAMRR_UNLOCKED = 12,	/* SEAMRR_PHYS_MASK bit 10 clear */
	KX_GATE_R_NR = 13,
};

/*
 * The checks, one bit each (checks_known, checks_made); the bit numbers are
 * stable.  A check is made when its reading gave an answer: a read that
 * raised #GP counts as made for FEATURE_CONTROL and KEYIDS (the new kernel's
 * own read faults the same way and turns VMX or TDX off) and as not made for
 * the SEAMRR checks.  Nothing here looks at the TDX module itself or at any
 * CPU but the one the purgatory runs on.
 */
enum kx_tdx_gate_check {
	KX_GATE_C_VMXE = 0,		/* CR4.VMXE clear */
	KX_GATE_C_FEATURE_CONTROL = 1,	/* IA32_FEATURE_CONTROL locked, VMX outside SMX on */
	KX_GATE_C_KEYIDS = 2,		/* at least 2 TDX private KeyIDs */
	KX_GATE_C_SEAMRR_CAP = 3,	/* IA32_MTRRCAP reports SEAMRR (meaning unconfirmed) */
	KX_GATE_C_SEAMRR = 4,		/* SEAMRR configured, enabled, locked (unconfirmed) */
	KX_GATE_C_NR = 5,
};
#define KX_GATE_C_KNOWN		((1u << KX_GATE_C_NR) - 1)

/* flags */
#define KX_GATE_F_VERIFIED	(1u << 0)	/* every segment digest matched */
#define KX_GATE_F_CHECKS_SKIPPED (1u << 1)	/* --no-checks: nothing verified */
#define KX_GATE_F_SHANI		(1u << 2)	/* digests checked with SHA-NI */
#define KX_GATE_F_WBINVD	(1u << 3)	/* v1 only: caches written back after the
						 * checks, before the jump (v2 flushes at
						 * entry instead, KX_GATE_F_WBINVD_ENTRY) */
#define KX_GATE_F_WBINVD_ENTRY	(1u << 4)	/* v2: caches written back at entry,
						 * before the digests were checked */

/*
 * Version 2, 192 bytes, little-endian.  Fields the loader fills: magic,
 * version, size, state (NOT_RUN), mode, expect_tdx.  Everything else is
 * written by the purgatory.
 *
 * The growth rule: a later version keeps every field of the earlier ones
 * where it is and only appends (version bumps, size grows), so a reader
 * takes the first KX_TDX_GATE_V1_SIZE bytes of any version >= 1, and the
 * fields of each later version it knows when version and size say they are
 * there.  Since sizes only grow, a record claiming a version at or above the
 * newest one a reader knows must be at least that version's size: a v2 (or
 * v9) record shorter than 192 bytes is corrupt, while a v9 record of 256
 * bytes is read as its v2 part (kx_tdx_gate_record_read(),
 * kx_tdx_gate_record_min_size()).
 */
struct kx_tdx_gate_record {
	uint32_t magic;			/* 0x00 KX_TDX_GATE_MAGIC */
	uint16_t version;		/* 0x04 KX_TDX_GATE_VERSION */
	uint16_t size;			/* 0x06 sizeof(struct kx_tdx_gate_record) */
	uint8_t state;			/* 0x08 enum kx_tdx_gate_state */
	uint8_t mode;			/* 0x09 enum kx_tdx_gate_mode */
	uint8_t expect_tdx;		/* 0x0a the loading kernel ran on a TDX host */
	uint8_t verdict;		/* 0x0b enum kx_tdx_gate_verdict */
	uint32_t reasons;		/* 0x0c bit KX_GATE_R_* set for each finding */
	uint32_t msr_valid;		/* 0x10 bit KX_GATE_* set: msr[] holds a value read */
	uint32_t msr_fault;		/* 0x14 bit KX_GATE_* set: the read raised #GP */
	uint32_t flags;			/* 0x18 KX_GATE_F_* */
	uint32_t reserved0;		/* 0x1c */
	uint64_t cr4;			/* 0x20 CR4 at purgatory entry */
	uint64_t msr[KX_GATE_NR_MSR];	/* 0x28 raw values, indexed by KX_GATE_* */
	uint64_t verify_bytes;		/* 0x50 bytes whose digests were checked */
	uint64_t verify_tsc;		/* 0x58 TSC ticks the check took */
	uint64_t gate_tsc;		/* 0x60 TSC when the gate ran */
	uint64_t reserved[3];		/* 0x68 zero */
	/* version 2 */
	uint32_t checks_known;		/* 0x80 KX_GATE_C_* this purgatory knows */
	uint32_t checks_made;		/* 0x84 KX_GATE_C_* that gave an answer */
	uint32_t reasons_fail;		/* 0x88 KX_GATE_R_* that fail in this purgatory */
	uint32_t reasons_unconfirmed;	/* 0x8c KX_GATE_R_* whose meaning is unconfirmed */
	uint32_t apic_id;		/* 0x90 initial APIC ID of the CPU that ran the gate */
	uint32_t reserved1;		/* 0x94 zero */
	uint64_t entry_wbinvd_tsc;	/* 0x98 TSC ticks of the WBINVD at entry, 0: none */
	uint64_t reserved2[4];		/* 0xa0 zero */
};

_Static_assert(sizeof(struct kx_tdx_gate_record) == KX_TDX_GATE_V2_SIZE, "gate record layout");

/*
 * The least size a record claiming @version can have under the growth rule:
 * 0 for version 0 (not a version), 128 for version 1, and for version 2 and
 * every later one the size of version 2, the newest this code knows.
 */
static inline uint32_t kx_tdx_gate_record_min_size(uint32_t version)
{
	if (version == 0)
		return 0;
	return version == 1 ? KX_TDX_GATE_V1_SIZE : KX_TDX_GATE_V2_SIZE;
}

/* Bytes the loader allocates for the setup_data node (header + record). */
#define KX_TDX_GATE_NODE_SIZE	(KX_SETUP_DATA_HDR + sizeof(struct kx_tdx_gate_record))

/*
 * Fill a setup_data node for the gate at @node (KX_TDX_GATE_NODE_SIZE bytes,
 * 8-byte aligned):
 * header {next, KX_SETUP_TDX_GATE, sizeof record} and the record in its
 * "not run yet" state.  The record address to give the purgatory is the
 * node's physical address + KX_SETUP_DATA_HDR.
 */
static inline void kx_tdx_gate_node_init(void *node, uint64_t next, uint8_t mode,
					 int expect_tdx)
{
	uint8_t *b = (uint8_t *)node;
	struct kx_tdx_gate_record *r = (void *)(b + KX_SETUP_DATA_HDR);
	uint32_t type = KX_SETUP_TDX_GATE, len = sizeof(*r);
	unsigned int i;

	for (i = 0; i < KX_TDX_GATE_NODE_SIZE; i++)
		b[i] = 0;
	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(next >> (8 * i));
	for (i = 0; i < 4; i++) {
		b[8 + i] = (uint8_t)(type >> (8 * i));
		b[12 + i] = (uint8_t)(len >> (8 * i));
	}
	r->magic = KX_TDX_GATE_MAGIC;
	r->version = KX_TDX_GATE_VERSION;
	r->size = sizeof(*r);
	r->state = KX_TDX_GATE_NOT_RUN;
	r->mode = mode;
	r->expect_tdx = !!expect_tdx;
}
