/* SPDX-License-Identifier: MIT */
/*
 * hal.c: the arch hooks of arch.h for a bare-metal i386 core (a QEMU VM or a real P54C):
 * halting until an interrupt, waking other cores and the host through the doorbell (bell.c),
 * stopping, and the crash report of a CPU exception.
 *
 * A halted core executes `hlt` with interrupts on and is woken by its doorbell's interrupt;
 * its local APIC's timer ends a halt that has a timeout, and otherwise only after
 * i386_tick_ns (the fallback tick: a VM idles at no cost). Waking core c rings peer c, a VM
 * directly; an emulated core (a futex sleeper) through the host, whose peer ids lead to its
 * relay (host-driver/backend/qemu/relay.c). Without a working doorbell the core falls back
 * to a one-shot PIT tick that starts short and doubles while nothing comes (I386_HALT_*_NS)
 * and can only leave a count in host_doorbell for the host to find.
 */
#include <errno.h>
#include <stdint.h>
#include "arch.h"
#include "i386_impl.h"
#include "tk_impl.h"

int i386_paging_on;
uint64_t i386_tick_ns;


/* Halt until *word is set (a doorbell interrupt came), the timeout, or forever. */
static void halt_bell(volatile uint32_t *word, uint64_t timeout_ns)
{
	uint64_t start = arch_time_ns();

	while (!__atomic_load_n(word, __ATOMIC_SEQ_CST)) {
		uint64_t now = arch_time_ns(), step = i386_tick_ns;

		if (timeout_ns) {
			if (now - start >= timeout_ns)
				break;
			if (!step || start + timeout_ns - now < step)
				step = start + timeout_ns - now;
		}
		/* a timer already due within step (an earlier halt's tick) is left alone: a busy
		 * core arms the fallback once a tick, not once a halt */
		if (step)
			i386_apic_within(step);
		/* An interrupt between the look and `hlt` stays pending with interrupts off, and
		 * sti's one-instruction shadow makes "sti; hlt" atomic: no wake is lost. */
		if (!__atomic_load_n(word, __ATOMIC_SEQ_CST))
			__asm__ volatile("sti; hlt; cli" : : : "memory");
	}
}

void arch_halt(volatile uint32_t *word, uint64_t timeout_ns)
{
	uint64_t start = arch_time_ns(), interval = I386_HALT_FIRST_NS;

	if (i386_bell_on) {
		halt_bell(word, timeout_ns);
		return;
	}
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

/*
 * A VM's wake-up costs its host four thread switches (the doorbell's eventfd goes to QEMU's
 * main loop, which raises the interrupt and wakes the vCPU thread; both sleep again after),
 * 30-60 us on the 2-CPU development machine: a VM that polled for less would halt on most
 * waits of a ping-pong and never get back to catching replies spinning.
 */
uint64_t arch_spin_cycles(void)
{
	return i386_ns_tsc(I386_SPIN_NS);
}

/* A VM cannot give its host CPU away but by halting (pausing would burn the CPU that the core
 * it waits for needs): the caller halts instead, and the doorbell wakes it. */
int arch_yield(void)
{
	return 0;
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
	(void)word;
	if (i386_bell_on)
		i386_bell_ring(core);
	else
		arch_host_notify();
}

/* The kernel maps the board once, at its SCC addresses, for every access (paging.c): a VM
 * has no second mapping for the model, so strict coherence does not fault on a bypass here. */
uint64_t arch_mpb_alias(void)
{
	return 0;
}

int arch_mpb_seal(uintptr_t addr, uint64_t bytes)
{
	(void)addr, (void)bytes;
	return -ENOSYS;
}

void arch_host_notify(void)
{
	volatile struct tessera_boardreg_global *g = tk_boardreg_global();

	__atomic_fetch_add(&g->host_doorbell, 1, __ATOMIC_SEQ_CST);
	/* The host looks at host_doorbell before it sleeps: only a sleeping host needs a ring. */
	if (i386_bell_on && __atomic_load_n(&g->host_waiting, __ATOMIC_SEQ_CST))
		i386_bell_ring(tessera_doorbell_host_peer(&i386_bootinfo->geom));
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
