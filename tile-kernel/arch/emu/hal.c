// SPDX-License-Identifier: MIT
/*
 * arch/emu/hal.c: the arch hooks for an emulated core, run natively by a core runner
 * (host-driver/backend/emu/runner.c). Paravirtual: halting, yielding, waking another core,
 * stopping and the clock go through the runner's struct tessera_emu_ops (include/tessera/
 * emu.h), which may run many cores in one process and switch between them without entering
 * the host kernel; the rest are raw system calls, only those the runner's seccomp filter
 * allows (futex, clock_gettime, sched_yield, exit_group, write to stderr). No libc of the
 * host is involved.
 */
#include <stdint.h>
#include "arch.h"
#include "tk_impl.h"
#include "emu_impl.h"
#include "tessera/emu.h"

_Static_assert(EMU_NOTE_ABI == TESSERA_ABI_VERSION, "note abi");

#define SYS_write		1
#define SYS_futex		202
#define FUTEX_WAKE		1
/* The runner's entry table, set by entry.S before anything else runs. */
const struct tessera_emu_ops *tk_emu_ops;

static long sys3(long n, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

void arch_halt(volatile uint32_t *word, uint64_t timeout_ns)
{
	tk_emu_ops->halt(word, timeout_ns);
}

int arch_yield(void)
{
	tk_emu_ops->yield();
	return 1;
}

int arch_halt_is_switch(void)
{
	return tk_emu_ops->ncores > 1;
}

/* A QEMU core (boardreg relay) sleeps in `hlt`, not on a futex: the host rings its doorbell
 * when vm_bell moves (host-driver/backend/qemu/relay.c). */
void arch_wake(uint32_t core, volatile uint32_t *word)
{
	volatile struct tessera_boardreg_global *g;

	if (!__atomic_load_n(&tk_boardreg_core(core)->relay, __ATOMIC_RELAXED)) {
		/* A core alone in its process sleeps on `word` itself, which need not be its
		 * interrupt word (det.c's turn); a runner of many finds its sleeper itself. */
		if (!__atomic_load_n(&tk_boardreg_core(core)->runner, __ATOMIC_ACQUIRE))
			sys3(SYS_futex, (long)word, FUTEX_WAKE, 1);
		else
			tk_emu_ops->wake(core);
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
	return tk_emu_ops->time_ns();
}

/* About 20 us at 2.5 GHz: a halt and its wake-up cost an emulated core two system calls and
 * a context switch each (~5-10 us here). */
uint64_t arch_spin_cycles(void)
{
	return 50000u;
}

/* The core's own CPU clock, which the runner keeps (its thread's clock, or its share of it
 * in a runner of many cores). */
uint64_t arch_cpu_ns(void)
{
	return tk_emu_ops->cpu_ns();
}

uint64_t arch_cycles(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

void arch_stop(int status)
{
	tk_emu_ops->stop(status);
}

/* The runner maps the alias under --coherence=strict only (runner.c, map_strict). */
uint64_t arch_mpb_alias(void)
{
	return tk_emu_ops->mpb_alias;
}

int arch_mpb_seal(uintptr_t addr, uint64_t bytes)
{
	return tk_emu_ops->seal(addr, bytes);
}

void arch_early_write(const char *s, unsigned long n)
{
	sys3(SYS_write, 2, (long)s, (long)n);
}
