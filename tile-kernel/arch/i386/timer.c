/* SPDX-License-Identifier: MIT */
/*
 * timer.c: time on a bare-metal core: the 8259 PICs (only the PIT's IRQ 0 unmasked), the
 * PIT's channel 0 as a one-shot timer that ends a halt, and the TSC calibrated against the
 * PIT at boot for arch_cycles and arch_time_ns.
 *
 * Under QEMU (TCG) both the PIT and the guest TSC run on the host's real time, so the
 * calibration holds however loaded the host is; preemption during a measurement can only
 * lengthen the TSC interval, so the smallest of a few measurements is kept.
 *
 * The clock's origin: arch_time_ns must be the host's CLOCK_MONOTONIC. The guest TSC counts
 * from the moment QEMU starts the VM, and the host passes its monotonic time of the start
 * (the backend's start_ns, taken just before QEMU runs), so the clock lags the host's by
 * QEMU's set-up time. (QEMU 7.2's vmport answers GETVERSION but not GETTIME here, so it
 * offers no host clock.)
 */
#include <stdint.h>
#include "arch.h"
#include "i386_impl.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_HZ		1193182u
#define PIT_ONESHOT	0x30	/* channel 0, low then high byte, mode 0 (irq at count 0) */
#define PIT_LATCH0	0x00
#define CALIB_TICKS	2400u	/* ~2 ms of PIT per measurement */
#define CALIB_RUNS	3

static uint32_t ns_mult;	/* ns per TSC tick, 8.24 fixed point (TSC above 4 MHz) */
static uint64_t ns_base;	/* host monotonic ns at TSC 0 */

static void pic_init(void)
{
	/* ICW1..4: cascade, edge triggered, vectors 32..47, 8086 mode; then the masks. */
	outb(PIC1_CMD, 0x11);
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, I386_VEC_PIC);
	outb(PIC2_DATA, I386_VEC_PIC + 8);
	outb(PIC1_DATA, 0x04);
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01);
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xfe);	/* IRQ 0 only */
	outb(PIC2_DATA, 0xff);
}

static uint16_t pit_read(void)
{
	uint8_t lo, hi;

	outb(PIT_CMD, PIT_LATCH0);
	lo = inb(PIT_CH0);
	hi = inb(PIT_CH0);
	return (uint16_t)(hi << 8 | lo);
}

static void pit_start(uint16_t count)
{
	outb(PIT_CMD, PIT_ONESHOT);
	outb(PIT_CH0, count & 0xff);
	outb(PIT_CH0, count >> 8);
}

/* TSC ticks per CALIB_TICKS PIT ticks, measured once (channel 0 counting down, no irq). */
static uint64_t measure(void)
{
	uint64_t t0, t1;
	uint16_t p0, p;

	pit_start(0xffff);
	while (pit_read() == 0xffff)	/* wait for the count to be loaded */
		;
	t0 = rdtsc();
	p0 = pit_read();
	do
		p = pit_read();
	while ((uint16_t)(p0 - p) < CALIB_TICKS);
	t1 = rdtsc();
	return (t1 - t0) * CALIB_TICKS / (uint16_t)(p0 - p);
}

/* TSC ticks to ns with the calibration: (t * ns_mult) >> 24 without a 96-bit product. */
static uint64_t tsc_ns(uint64_t t)
{
	return (t >> 24) * ns_mult + (((t & 0xffffffu) * ns_mult) >> 24);
}

/*
 * Set up the PICs and the PIT and calibrate the TSC. start_ns: the host's monotonic time
 * that the guest TSC's zero stands for.
 */
void i386_timer_init(uint64_t start_ns)
{
	uint64_t best = ~0ull, tsc_hz;

	pic_init();
	for (int i = 0; i < CALIB_RUNS; i++) {
		uint64_t t = measure();

		if (t < best)
			best = t;
	}
	tsc_hz = best * PIT_HZ / CALIB_TICKS;
	if (tsc_hz < 4000000)
		tsc_hz = 4000000;
	ns_mult = (uint32_t)((1000000000ull << 24) / tsc_hz);
	ns_base = start_ns;
}

void i386_timer_oneshot(uint64_t ns)
{
	uint64_t n = ns * PIT_HZ / 1000000000u;

	pit_start(n < 2 ? 2 : n > 0xffff ? 0xffff : (uint16_t)n);
}

uint64_t arch_cycles(void)
{
	return rdtsc();
}

uint64_t arch_time_ns(void)
{
	return ns_base + tsc_ns(rdtsc());
}
