// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Cold reset.  The reset control register at I/O port 0xcf9 (Intel PCH and
 * ICH datasheets; QEMU's PIIX3 and ICH9 model it): bit 1 SYS_RST selects a
 * system reset, bit 2 RST_CPU starts the reset on its 0->1 transition,
 * bit 3 FULL_RST makes it a cold one (power cycled).  Linux's
 * arch/x86/kernel/reboot.c (BOOT_CF9_FORCE) writes the same two steps.  If
 * nothing happens, a triple fault shuts the CPU down, which the platform
 * turns into a reset.
 */
#include "purgatory/cpu.h"
#include "purgatory/purgatory-internal.h"

#define RST_CNT		0xcf9
#define RST_SYS		0x02
#define RST_CPU		0x04
#define RST_FULL	0x08

/* Roughly @n microseconds: an I/O write to the POST port takes about one. */
static void io_delay(unsigned int n)
{
	while (n--)
		outb(0, 0x80);
}

void kx_cold_reset(void)
{
	uint8_t v = inb(RST_CNT) & (uint8_t)~(RST_SYS | RST_CPU | RST_FULL);

	outb(v | RST_SYS, RST_CNT);
	io_delay(50);
	outb(v | RST_FULL | RST_CPU | RST_SYS, RST_CNT);	/* 0x0e */
	io_delay(100000);
	kx_triple_fault();
}
