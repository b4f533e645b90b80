/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The purgatory's consoles: a polled 8250 UART and the VGA text screen. */
#pragma once

#include <stdint.h>

struct kx_con {
	uint8_t serial, vga;
	uint16_t port;
	uint16_t row, col;
};

/* Program the UART (divisor only when @baud is not 0) and clear the screen. */
void kx_con_init(struct kx_con *c, int serial, uint16_t port, uint32_t baud, int vga);
void kx_con_putc(struct kx_con *c, char ch);
void kx_con_puts(struct kx_con *c, const char *s);
/* @v in hex with "0x" and at least @digits digits. */
void kx_con_hex(struct kx_con *c, uint64_t v, unsigned int digits);
void kx_con_dec(struct kx_con *c, uint64_t v);
/* Wait (bounded) until the UART has sent every character, before a reset or halt. */
void kx_con_drain(struct kx_con *c);

/* Reset a VGA card to 80x25 text mode 3 (vga.c). */
void kx_vga_reset(void);
