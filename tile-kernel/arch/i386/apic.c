/* SPDX-License-Identifier: MIT */
/*
 * apic.c: the core's local APIC (the P54C's, QEMU's): switched on so that the doorbell's MSI-X
 * interrupt reaches the core, and its timer used as the one-shot that ends a halt, because the
 * PIT's longest one-shot (55 ms) is too short for a fallback tick that costs an idle VM
 * nothing. The 8259 keeps delivering through LINT0 (ExtINT), so the PIT still works.
 * Registers are reached at the APIC's physical address, which paging.c maps as it is.
 *
 * The timer's rate is measured against the TSC (counts per TSC tick), not against ns, so it
 * stays right when the TSC's rate in ns changes (the host's replaces the PIT's: timer.c).
 * This file also knows when the armed timer fires, so that a halt arms it only when it would
 * not fire in time anyway: arming costs QEMU a wake of its main loop.
 */
#include <errno.h>
#include <stdint.h>
#include "i386_impl.h"

#define CPUID_APIC	(1u << 9)	/* CPUID 1, edx */
#define MSR_APIC_BASE	0x1b
#define APIC_BASE_ENABLE (1u << 11)
#define APIC_BASE_MASK	0xfffff000u

#define APIC_ID		0x020
#define APIC_TPR	0x080
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_LVT_ERROR	0x370
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DIV	0x3e0

#define SVR_ENABLE	0x100
#define LVT_MASKED	0x10000
#define LVT_EXTINT	0x700
#define LVT_NMI		0x400
#define DIV_BY_128	0xa	/* QEMU's 1 GHz bus: 128 ns a count, 549 s at most */
#define CALIB_TICKS	(1ull << 20)	/* TSC ticks: 0.4 ms at 2.6 GHz, 4000 counts on QEMU */
#define MAX_NS		500000000000ull

static uint32_t base;		/* 0: no APIC */
static uint64_t per_tick;	/* timer counts per TSC tick, 32.32 fixed point */
static uint64_t due;		/* TSC when the armed timer fires (0: none armed) */

static uint32_t rd(uint32_t reg)
{
	return *(volatile uint32_t *)(base + reg);
}

static void wr(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(base + reg) = v;
}

uint32_t i386_apic_probe(void)
{
	uint32_t a, b, c, d, lo, hi;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1));
	if (!(d & CPUID_APIC))
		return 0;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_APIC_BASE));
	if (!(lo & APIC_BASE_ENABLE)) {
		lo |= APIC_BASE_ENABLE;
		__asm__ volatile("wrmsr" : : "a"(lo), "d"(hi), "c"(MSR_APIC_BASE));
	}
	base = lo & APIC_BASE_MASK;
	return base;
}

int i386_apic_init(void)
{
	uint64_t t0, t1, counted;

	if (!base)
		return -ENODEV;
	wr(APIC_SVR, SVR_ENABLE | I386_VEC_SPURIOUS);
	wr(APIC_TPR, 0);
	wr(APIC_LVT_LINT0, LVT_EXTINT);		/* the 8259 (PIT) as before */
	wr(APIC_LVT_LINT1, LVT_NMI);
	wr(APIC_LVT_ERROR, LVT_MASKED);
	/* Count down for CALIB_TICKS of TSC, masked, to learn the timer's rate; both run on the
	 * host's real time under QEMU, so a preemption in between does not matter. */
	wr(APIC_TIMER_DIV, DIV_BY_128);
	wr(APIC_LVT_TIMER, LVT_MASKED | I386_VEC_TIMER);
	wr(APIC_TIMER_INIT, 0xffffffffu);
	t0 = rdtsc();
	while ((t1 = rdtsc()) - t0 < CALIB_TICKS)
		;
	counted = 0xffffffffu - rd(APIC_TIMER_CUR);
	t1 = rdtsc() / 2 + t1 / 2;	/* the count was read between the two */
	wr(APIC_TIMER_INIT, 0);
	if (!counted)
		return -EIO;
	per_tick = (counted << 32) / (t1 - t0);
	wr(APIC_LVT_TIMER, I386_VEC_TIMER);	/* one-shot, unmasked */
	return 0;
}

uint32_t i386_apic_id(void)
{
	return rd(APIC_ID) >> 24;
}

void i386_apic_eoi(void)
{
	wr(APIC_EOI, 0);
}

void i386_apic_oneshot(uint64_t ns)
{
	uint64_t ticks, n;

	if (!ns) {
		wr(APIC_TIMER_INIT, 0);
		due = 0;
		return;
	}
	ticks = i386_ns_tsc(ns > MAX_NS ? MAX_NS : ns);
	n = i386_mul32(ticks, per_tick);
	due = rdtsc() + ticks;
	wr(APIC_TIMER_INIT, n < 1 ? 1 : n > 0xffffffffu ? 0xffffffffu : (uint32_t)n);
}

void i386_apic_within(uint64_t ns)
{
	uint64_t now = rdtsc();

	if (due > now && due - now <= i386_ns_tsc(ns))
		return;
	i386_apic_oneshot(ns);
}

void i386_apic_fired(void)
{
	due = 0;
}
