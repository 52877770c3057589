/* SPDX-License-Identifier: MIT */
/*
 * hal.c: the arch hooks of arch.h for a bare-metal i386 core (a QEMU VM or a real P54C):
 * halting until the timer tick, waking and notifying (both through the host's doorbell),
 * stopping, and the crash report of a CPU exception.
 *
 * A VM cannot reach the host kernel: it has no futex to wake an emulated core or the host.
 * So a halted i386 core wakes itself on a one-shot PIT tick and looks at its interrupt
 * word; the interval starts short and doubles while nothing comes (I386_HALT_*_NS), so an
 * idle VM costs the host a few wake-ups a second. Waking another core only sets its word
 * (done by the caller) and rings the host's doorbell, which the qemu backend watches
 * (host-driver/backend/qemu/forward.c): it forwards the wake to an emulated core that
 * sleeps on its futex.
 */
#include <stdint.h>
#include "arch.h"
#include "i386_impl.h"
#include "tk_impl.h"

int i386_paging_on;


void arch_halt(volatile uint32_t *word, uint64_t timeout_ns)
{
	uint64_t start = arch_time_ns(), interval = I386_HALT_FIRST_NS;

	for (;;) {
		uint64_t now = arch_time_ns(), step = interval;

		if (__atomic_load_n(word, __ATOMIC_SEQ_CST))
			return;
		if (timeout_ns) {
			if (now - start >= timeout_ns)
				return;
			if (start + timeout_ns - now < step)
				step = start + timeout_ns - now;
		}
		i386_timer_oneshot(step);
		/* Interrupts are off everywhere but here; sti's one-instruction shadow makes
		 * "sti; hlt" atomic, so the tick cannot slip in between and be missed. */
		if (!__atomic_load_n(word, __ATOMIC_SEQ_CST))
			__asm__ volatile("sti; hlt; cli" : : : "memory");
		if (interval < I386_HALT_MAX_NS)
			interval *= 2;
	}
}

/* A VM has its host CPU to itself as far as the guest can tell: nothing to give away. */
void arch_yield(void)
{
	__asm__ volatile("pause");
}

/* No call chains from i386 cores yet (their registers are 32-bit, numbered otherwise). */
unsigned arch_regs_here(uint64_t regs[TESSERA_FAULT_REGS])
{
	(void)regs;
	return 0;
}

/* A halt puts the whole VM to sleep. */
int arch_halt_is_switch(void)
{
	return 0;
}

void arch_wake(uint32_t core, volatile uint32_t *word)
{
	(void)core;
	(void)word;
	arch_host_notify();
}

void arch_host_notify(void)
{
	/* No futex wake from a VM: the qemu backend's forwarder watches this counter. */
	__atomic_fetch_add(&tk_boardreg_global()->host_doorbell, 1, __ATOMIC_SEQ_CST);
}

void arch_stop(int status)
{
	__asm__ volatile("cli");
	/* isa-debug-exit ends QEMU at once (exit code (v << 1) | 1); elsewhere nothing is
	 * behind the port and the core halts for good with interrupts off. */
	outb(I386_DEBUG_EXIT_PORT, (uint8_t)(status ? 1 : 0));
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void say(const char *what, uint32_t vector, uint32_t eip, uint32_t addr)
{
	i386_serial_puts("tessera: i386 core: ");
	i386_serial_puts(what);
	i386_serial_hex(": vector ", vector);
	i386_serial_puts(" (");
	i386_serial_puts(tessera_i386_exception_name(vector));
	i386_serial_puts(")");
	i386_serial_hex(" at eip ", eip);
	i386_serial_hex(", address ", addr);
	i386_serial_puts("\n");
}

/*
 * A CPU exception ends the core: published as TESSERA_CORE_CRASHED with signal TESSERA_SIGNAL_VECTOR + vector,
 * fault_addr (cr2 of a page fault) and fault_pc (eip); the host names function and line
 * from the image. Also said on the serial port, which is all there is before paging.
 */
void i386_crash(uint32_t vector, uint32_t eip, uint32_t addr)
{
	static int crashing;
	volatile struct tessera_status *st;

	if (crashing++) {
		say("fault while reporting a fault", vector, eip, addr);
		arch_stop(1);
	}
	say("crashed", vector, eip, addr);
	if (i386_paging_on) {
		st = &tk_hostwin()->status;
		st->signal = TESSERA_SIGNAL_VECTOR + vector;
		st->fault_addr = addr;
		st->fault_pc = eip;
		__atomic_store_n(&st->state, TESSERA_CORE_CRASHED, __ATOMIC_RELEASE);
		arch_host_notify();
	}
	arch_stop(1);
}

void i386_die(const char *why)
{
	i386_serial_puts("tessera: i386 boot: ");
	i386_serial_puts(why);
	i386_serial_puts("\n");
	arch_stop(1);
}
