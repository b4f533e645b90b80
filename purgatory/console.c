// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Polled output for the purgatory.  8250/16550 registers (offsets from the
 * base port): 0 THR / divisor low, 1 IER / divisor high, 2 FCR, 3 LCR
 * (bit 7 DLAB), 4 MCR, 5 LSR (bit 5 THR empty, bit 6 transmitter empty).  The divisor is
 * 115200 / baud.  The VGA text screen is 80x25 cells of {char, attribute}
 * at 0xb8000.
 */
#include "purgatory/console.h"
#include "purgatory/cpu.h"

#define UART_THR	0
#define UART_DLL	0
#define UART_IER	1
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40
#define UART_LCR_DLAB	0x80
#define UART_LCR_8N1	0x03
#define UART_CLOCK_DIV	115200u
/* Bound on the wait for the transmitter: never hang on a missing UART. */
#define UART_SPIN	200000

#define VGA_TEXT	0xb8000ul
#define VGA_COLS	80
#define VGA_ROWS	25
#define VGA_ATTR	0x07	/* light grey on black */

typedef volatile uint16_t vga_cell;

static vga_cell *vga_screen(void)
{
	return (vga_cell *)VGA_TEXT;
}

static void serial_init(uint16_t port, uint32_t baud)
{
	outb(0x00, port + UART_IER);		/* no interrupts */
	if (baud) {
		uint32_t div = UART_CLOCK_DIV / baud;

		if (!div)
			div = 1;
		outb(UART_LCR_DLAB, port + UART_LCR);
		outb((uint8_t)div, port + UART_DLL);
		outb((uint8_t)(div >> 8), port + UART_DLM);
	}
	outb(UART_LCR_8N1, port + UART_LCR);	/* 8N1, DLAB off */
	outb(0x07, port + UART_FCR);		/* FIFOs on and cleared */
	outb(0x03, port + UART_MCR);		/* DTR, RTS */
}

static void serial_putc(uint16_t port, char ch)
{
	int i;

	for (i = 0; i < UART_SPIN; i++) {
		if (inb(port + UART_LSR) & UART_LSR_THRE)
			break;
		cpu_relax();
	}
	outb((uint8_t)ch, port + UART_THR);
}

static void vga_clear(struct kx_con *c)
{
	vga_cell *s = vga_screen();
	int i;

	for (i = 0; i < VGA_COLS * VGA_ROWS; i++)
		s[i] = VGA_ATTR << 8 | ' ';
	c->row = c->col = 0;
}

static void vga_newline(struct kx_con *c)
{
	vga_cell *s = vga_screen();
	int i;

	c->col = 0;
	if (++c->row < VGA_ROWS)
		return;
	for (i = 0; i < VGA_COLS * (VGA_ROWS - 1); i++)
		s[i] = s[i + VGA_COLS];
	for (; i < VGA_COLS * VGA_ROWS; i++)
		s[i] = VGA_ATTR << 8 | ' ';
	c->row = VGA_ROWS - 1;
}

static void vga_putc(struct kx_con *c, char ch)
{
	if (ch == '\n') {
		vga_newline(c);
		return;
	}
	vga_screen()[c->row * VGA_COLS + c->col] = VGA_ATTR << 8 | (uint8_t)ch;
	if (++c->col == VGA_COLS)
		vga_newline(c);
}

void kx_con_init(struct kx_con *c, int serial, uint16_t port, uint32_t baud, int vga)
{
	c->serial = serial && port;
	c->vga = !!vga;
	c->port = port;
	c->row = c->col = 0;
	if (c->serial)
		serial_init(port, baud);
	if (c->vga)
		vga_clear(c);
}

void kx_con_putc(struct kx_con *c, char ch)
{
	if (c->serial) {
		if (ch == '\n')
			serial_putc(c->port, '\r');
		serial_putc(c->port, ch);
	}
	if (c->vga)
		vga_putc(c, ch);
}

void kx_con_drain(struct kx_con *c)
{
	int i;

	for (i = 0; c->serial && i < UART_SPIN; i++) {
		if (inb(c->port + UART_LSR) & UART_LSR_TEMT)
			break;
		cpu_relax();
	}
}

void kx_con_puts(struct kx_con *c, const char *s)
{
	while (*s)
		kx_con_putc(c, *s++);
}

void kx_con_hex(struct kx_con *c, uint64_t v, unsigned int digits)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int n = 16;

	while (n > digits && n > 1 && !(v >> (4 * (n - 1))))
		n--;
	kx_con_puts(c, "0x");
	while (n--)
		kx_con_putc(c, hex[(v >> (4 * n)) & 0xf]);
}

void kx_con_dec(struct kx_con *c, uint64_t v)
{
	char buf[24];
	int i = 0;

	do {
		buf[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		kx_con_putc(c, buf[--i]);
}
