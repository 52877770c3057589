// SPDX-License-Identifier: MIT
/*
 * arch/emu/hal.c: the arch hooks for an emulated core, a host process that runs the image
 * natively. Paravirtual: it reaches the host kernel through raw system calls, and only the
 * ones the core process's seccomp filter allows (futex, clock_gettime, exit_group, write to
 * stderr). No libc of the host is involved.
 */
#include <stdint.h>
#include "arch.h"
#include "tk_impl.h"

#define SYS_write		1
#define SYS_sched_yield		24
#define SYS_futex		202
#define SYS_clock_gettime	228
#define SYS_exit_group		231
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define CLOCK_MONOTONIC		1
#define CLOCK_THREAD_CPUTIME_ID	3

struct emu_timespec {
	long tv_sec;
	long tv_nsec;
};

static long sys3(long n, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static long sys4(long n, long a, long b, long c, long d)
{
	long ret;
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The futexes are shared ones (no FUTEX_PRIVATE_FLAG): the words live in the board file,
 * which every core process and the host map. */
void arch_halt(volatile uint32_t *word, uint64_t timeout_ns)
{
	struct emu_timespec ts, *tsp = 0;

	if (timeout_ns) {
		ts.tv_sec = (long)(timeout_ns / 1000000000u);
		ts.tv_nsec = (long)(timeout_ns % 1000000000u);
		tsp = &ts;
	}
	sys4(SYS_futex, (long)word, FUTEX_WAIT, 0, (long)tsp);
}

int arch_yield(void)
{
	sys3(SYS_sched_yield, 0, 0, 0);
	return 1;
}

/* A QEMU core (boardreg relay) sleeps in `hlt`, not on a futex: the host rings its doorbell
 * when vm_bell moves (host-driver/backend/qemu/relay.c). */
void arch_wake(uint32_t core, volatile uint32_t *word)
{
	volatile struct tessera_boardreg_global *g;

	if (!__atomic_load_n(&tk_boardreg_core(core)->relay, __ATOMIC_RELAXED)) {
		sys3(SYS_futex, (long)word, FUTEX_WAKE, 1);
		return;
	}
	g = tk_boardreg_global();
	__atomic_fetch_add(&g->vm_bell, 1, __ATOMIC_SEQ_CST);
	sys3(SYS_futex, (long)&g->vm_bell, FUTEX_WAKE, 1);
}

void arch_host_notify(void)
{
	volatile struct tessera_boardreg_global *g = tk_boardreg_global();

	__atomic_fetch_add(&g->host_doorbell, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&g->host_waiting, __ATOMIC_SEQ_CST))
		sys3(SYS_futex, (long)&g->host_doorbell, FUTEX_WAKE, 1);
}

uint64_t arch_time_ns(void)
{
	struct emu_timespec ts;

	sys3(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* About 20 us at 2.5 GHz: a halt and its wake-up cost an emulated core two system calls and
 * a context switch each (~5-10 us here). */
uint64_t arch_spin_cycles(void)
{
	return 50000u;
}

/* A core process is one thread: its CPU clock is the core's. */
uint64_t arch_cpu_ns(void)
{
	struct emu_timespec ts;

	sys3(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, (long)&ts, 0);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t arch_cycles(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

void arch_stop(int status)
{
	for (;;)
		sys3(SYS_exit_group, status & 0xff, 0, 0);
}

void arch_early_write(const char *s, unsigned long n)
{
	sys3(SYS_write, 2, (long)s, (long)n);
}
