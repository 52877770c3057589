/* SPDX-License-Identifier: MIT */
/*
 * serial.c: COM1 output, polled, for early boot and panics only (arch_early_write). Normal
 * console output goes through the host window's console ring, not here.
 */
#include <stdint.h>
#include "arch.h"
#include "i386_impl.h"

#define COM1		0x3f8
#define COM_DATA	0
#define COM_IER		1
#define COM_FCR		2
#define COM_LCR		3
#define COM_MCR		4
#define COM_LSR		5
#define COM_LSR_THRE	0x20	/* transmit holding register empty */
#define COM_LCR_DLAB	0x80

void i386_serial_init(void)
{
	outb(COM1 + COM_IER, 0);		/* no interrupts: we poll */
	outb(COM1 + COM_LCR, COM_LCR_DLAB);
	outb(COM1 + COM_DATA, 1);		/* divisor 1: 115200 baud */
	outb(COM1 + COM_IER, 0);
	outb(COM1 + COM_LCR, 0x03);		/* 8 bits, no parity, one stop bit */
	outb(COM1 + COM_FCR, 0xc7);		/* FIFO on and cleared */
	outb(COM1 + COM_MCR, 0x03);
}

static void putc_raw(char c)
{
	int spins = 100000;

	/* Bounded: with no UART behind the port (a real board) output is dropped, not hung. */
	while (!(inb(COM1 + COM_LSR) & COM_LSR_THRE) && --spins)
		;
	outb(COM1 + COM_DATA, (uint8_t)c);
}

void arch_early_write(const char *s, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		if (s[i] == '\n')
			putc_raw('\r');
		putc_raw(s[i]);
	}
}

void i386_serial_puts(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	arch_early_write(s, n);
}

void i386_serial_hex(const char *label, uint32_t v)
{
	char buf[11] = "0x";

	for (int i = 0; i < 8; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
	buf[10] = 0;
	i386_serial_puts(label);
	i386_serial_puts(buf);
}

void i386_serial_dec(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do
		buf[--i] = (char)('0' + v % 10);
	while (v /= 10);
	i386_serial_puts(buf + i);
}
