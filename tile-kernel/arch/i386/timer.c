/* SPDX-License-Identifier: MIT */
/*
 * timer.c: time on a bare-metal core: the 8259 PICs (only the PIT's IRQ 0 unmasked), the
 * PIT's channel 0 as a one-shot timer that ends a halt when there is no doorbell, and the TSC
 * for arch_cycles and arch_time_ns.
 *
 * arch_time_ns must be the host's CLOCK_MONOTONIC: ns = ns0 + (tsc - tsc0) * mult. At first
 * the rate comes from calibrating the TSC against the PIT (both run on the host's real time
 * under QEMU's TCG; preemption can only lengthen a TSC interval, so the smallest of a few is
 * kept) and the origin from start_ns, the host's time just before it ran QEMU: the guest TSC
 * starts at 0 only once QEMU has set the VM up, so that clock lags the host's by QEMU's
 * set-up (60-150 ms). Once the doorbell works, i386_clock_sync asks the host for its clock
 * (boardreg clock_*): a few exchanges, the one with the shortest round trip kept, its middle
 * taken for the host's answer; the host's TSC rate, measured over a much longer span, replaces
 * the PIT's. (QEMU 7.2's vmport answers GETVERSION but not GETTIME, so QEMU offers no host
 * clock of its own.)
 */
#include <errno.h>
#include <stdint.h>
#include "arch.h"
#include "i386_impl.h"
#include "tk_impl.h"

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
#define PAIR_SLACK	8u		/* PIT ticks (7 us) */
#define SYNC_ROUNDS	8
#define SYNC_GOOD_NS	10000u		/* a round trip this short ends the exchanges */
#define SYNC_SAY_NS	100000u		/* a best round trip this long is said on the serial port */
#define SYNC_WAIT_NS	200000000ull	/* a round the host has not answered by then ends them */
#define SYNC_QUIET_NS	100000u		/* unanswered this long: the host no longer looks, ring */
#define SYNC_SPIN_NS	200000u		/* then halt until the host rings */

static uint64_t mult;		/* ns per TSC tick, 32.32 fixed point */
static uint64_t tsc0;		/* TSC at ns0 */
static uint64_t ns0;		/* host monotonic ns */

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

/* The TSC and the PIT's count at one moment: read again while the PIT moved more than
 * PAIR_SLACK ticks around the TSC read (the VM was preempted there). */
static void pair(uint64_t *t, uint16_t *p)
{
	for (int i = 0; i < 64; i++) {
		uint16_t a = pit_read();

		*t = rdtsc();
		*p = pit_read();
		if ((uint16_t)(a - *p) <= PAIR_SLACK)
			return;
	}
}

/* TSC ticks per CALIB_TICKS PIT ticks, measured once (channel 0 counting down, no irq). */
static uint64_t measure(void)
{
	uint64_t t0, t1;
	uint16_t p0, p1;

	pit_start(0xffff);
	while (pit_read() == 0xffff)	/* wait for the count to be loaded */
		;
	pair(&t0, &p0);
	do
		pair(&t1, &p1);
	while ((uint16_t)(p0 - p1) < CALIB_TICKS);
	return (t1 - t0) * CALIB_TICKS / (uint16_t)(p0 - p1);
}

uint64_t i386_tsc_ns(uint64_t ticks)
{
	return i386_mul32(ticks, mult);
}

uint64_t i386_ns_tsc(uint64_t ns)
{
	/* TSC ticks a millisecond, then ms and the rest apart: no product overflows. */
	uint64_t per_ms = (1000000ull << 32) / mult;

	return ns / 1000000u * per_ms + ns % 1000000u * per_ms / 1000000u;
}

/*
 * Set up the PICs and the PIT and calibrate the TSC. start_ns: the host's monotonic time
 * that the guest TSC's zero stands for.
 */
void i386_timer_init(uint64_t start_ns, int rough)
{
	uint64_t best = ~0ull, tsc_hz;

	pic_init();
	/* Two runs will do where the host's rate is to replace it: each spins 2 ms of CPU, and
	 * the smaller drops one that a preemption of over 55 ms made wrap the PIT. */
	for (int i = 0; i < (rough ? 2 : CALIB_RUNS); i++) {
		uint64_t t = measure();

		if (t < best)
			best = t;
	}
	tsc_hz = best * PIT_HZ / CALIB_TICKS;
	if (tsc_hz < 4000000)
		tsc_hz = 4000000;
	mult = (1000000000ull << 32) / tsc_hz;
	tsc0 = 0;
	ns0 = start_ns;
}

/*
 * One exchange: the host's clock (*host), its TSC rate (*hmult) and the round trip in TSC
 * ticks (*rtt) with its middle (*mid). 0, or -ETIMEDOUT. The first rings the host; the host
 * then keeps looking for a while (relay.c), so the next ones only ring if it does not answer
 * soon: a ring and the host thread's wake-up would be most of a round trip.
 */
static int exchange(uint32_t core, int ring, uint64_t *host, uint64_t *hmult, uint64_t *mid,
		    uint64_t *rtt)
{
	volatile struct tessera_boardreg_core *r = tk_boardreg_core(core);
	uint32_t seq = r->clock_req + 1, seen = i386_bell_rings;
	uint32_t host_peer = tessera_doorbell_host_peer(&i386_bootinfo->geom);
	uint64_t g0, g1, waited;

	g0 = rdtsc();
	__atomic_store_n(&r->clock_req, seq, __ATOMIC_SEQ_CST);
	if (ring)
		i386_bell_ring(host_peer);
	while (__atomic_load_n(&r->clock_resp, __ATOMIC_ACQUIRE) != seq) {
		waited = i386_tsc_ns(rdtsc() - g0);
		if (waited > SYNC_WAIT_NS)
			return -ETIMEDOUT;
		if (!ring && waited > SYNC_QUIET_NS) {
			i386_bell_ring(host_peer);
			ring = 1;
		}
		if (waited < SYNC_SPIN_NS)
			continue;
		/* The host rings once it has answered. */
		i386_apic_oneshot(SYNC_WAIT_NS - waited);
		if (i386_bell_rings == seen && __atomic_load_n(&r->clock_resp, __ATOMIC_ACQUIRE) != seq)
			__asm__ volatile("sti; hlt; cli" : : : "memory");
		seen = i386_bell_rings;
	}
	g1 = rdtsc();
	i386_apic_oneshot(0);
	*host = r->clock_ns;
	*hmult = r->clock_mult;
	*mid = g0 + (g1 - g0) / 2;
	*rtt = g1 - g0;
	return 0;
}

int i386_clock_sync(uint32_t core)
{
	uint64_t best = ~0ull, host = 0, hmult = 0, mid = 0;

	for (int i = 0; i < SYNC_ROUNDS; i++) {
		uint64_t h, m, md, rtt;

		if (exchange(core, i == 0, &h, &m, &md, &rtt))
			break;
		if (rtt < best)
			best = rtt, host = h, hmult = m, mid = md;
		if (i386_tsc_ns(best) < SYNC_GOOD_NS)
			break;
	}
	if (best == ~0ull)
		return -ETIMEDOUT;
	if (i386_tsc_ns(best) > SYNC_SAY_NS)
	{
		i386_serial_puts("tessera: i386 boot: this core's clock is the host's to within ");
		i386_serial_dec((uint32_t)(i386_tsc_ns(best) / 2000));
		i386_serial_puts(" us only (the host was busy)\n");
	}
	/* The host's rate, measured over far longer than the PIT calibration's 2 ms, which a
	 * busy host can skew many times over (48 VMs booting on 2 CPUs). The APIC timer was
	 * calibrated with the old rate. */
	if (hmult)
		mult = hmult;
	tsc0 = mid;
	ns0 = host;
	return 0;
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
	return ns0 + i386_mul32(rdtsc() - tsc0, mult);
}

/* A bare-metal core is a CPU of its own and never idles but in halts: its CPU time is its
 * time (virtual time is refused on qemu cores this round: docs/timing.md). */
uint64_t arch_cpu_ns(void)
{
	return arch_time_ns();
}
