// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --reset-vga: put a VGA-compatible card back into 80x25 colour text mode
 * (BIOS mode 3) by programming the standard register set, so that the new
 * kernel's VGA console (and our VGA console) can be seen after a kernel
 * that left the card in a graphics mode.
 *
 * What this does: synchronous sequencer reset, Miscellaneous Output, the 5
 * sequencer, 25 CRT controller (after unlocking CR0-CR7 through CR11 bit 7),
 * 9 graphics controller and 21 attribute controller registers, then the
 * display is re-enabled.  What it does not do: reload the text font into
 * plane 2 or the DAC palette, so a card whose font RAM was overwritten shows
 * garbled glyphs until the new kernel reloads them.  Register values are the
 * documented mode 3 defaults of the IBM VGA (e.g. the FreeVGA register
 * reference); ports are the colour ones (0x3d4/0x3da).
 */
#include <stdint.h>

#include "purgatory/console.h"
#include "purgatory/cpu.h"

#define VGA_ATTR_INDEX	0x3c0
#define VGA_MISC_WRITE	0x3c2
#define VGA_SEQ_INDEX	0x3c4
#define VGA_GC_INDEX	0x3ce
#define VGA_CRTC_INDEX	0x3d4
#define VGA_INPUT_STAT1	0x3da	/* reading it resets the attribute flip-flop */

static const uint8_t seq_mode3[5] = { 0x03, 0x00, 0x03, 0x00, 0x02 };

static const uint8_t crtc_mode3[25] = {
	0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f,
	0x00, 0x4f, 0x0d, 0x0e, 0x00, 0x00, 0x00, 0x00,
	0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff,
};

static const uint8_t gc_mode3[9] = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x00, 0xff };

static const uint8_t attr_mode3[21] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07,
	0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
	0x0c, 0x00, 0x0f, 0x08, 0x00,
};

/* Write @n registers through an index/data port pair, index in the low byte. */
static void write_indexed(uint16_t port, const uint8_t *val, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		outw((uint16_t)(val[i] << 8 | i), port);
}

void kx_vga_reset(void)
{
	unsigned int i;

	outw(0x0100, VGA_SEQ_INDEX);		/* SR0 = 1: synchronous reset */
	outb(0x67, VGA_MISC_WRITE);		/* colour ports, 28 MHz clock, RAM on */
	write_indexed(VGA_SEQ_INDEX, seq_mode3, 5);	/* SR0 = 3 ends the reset */

	outw(0x0e11, VGA_CRTC_INDEX);		/* CR11 bit 7 clear: CR0-CR7 writable */
	write_indexed(VGA_CRTC_INDEX, crtc_mode3, 25);
	write_indexed(VGA_GC_INDEX, gc_mode3, 9);

	for (i = 0; i < 21; i++) {
		(void)inb(VGA_INPUT_STAT1);
		outb((uint8_t)i, VGA_ATTR_INDEX);
		outb(attr_mode3[i], VGA_ATTR_INDEX);
	}
	(void)inb(VGA_INPUT_STAT1);
	outb(0x20, VGA_ATTR_INDEX);		/* palette address source: display on */
}
