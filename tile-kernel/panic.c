// SPDX-License-Identifier: MIT
/*
 * panic.c: how a core stops: a normal exit with a status, or a panic with a reason. Either
 * way the outcome is published in the host window before the core stops, so the host can
 * tell an exit from a crash.
 */
#include <stdarg.h>
#include <stdio.h>
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"

void tk_exit(int status)
{
	volatile struct tessera_status *st = &tk_hostwin()->status;

	tk_vt_now();		/* the final virtual time, for the run's summary */
	/* A failed rank ends the job (the host stops the others as soon as it sees the status):
	 * under --deterministic it keeps the turn, so that the others stop where they stood,
	 * not wherever the host's reaction time let them run to (the trace and the summary's
	 * clocks would differ from run to run). */
	if (tk_det_on() && status == 0)
		tk_det_exit();
	st->exit_code = status;
	__atomic_store_n(&st->state, TESSERA_CORE_EXITED, __ATOMIC_RELEASE);
	arch_host_notify();
	arch_stop(status);
}

void tk_panic(const char *fmt, ...)
{
	volatile struct tessera_status *st = &tk_hostwin()->status;
	char msg[sizeof(st->panic)];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	uint64_t regs[TESSERA_FAULT_REGS];

	for (unsigned i = 0; i < sizeof(msg); i++)
		st->panic[i] = msg[i];
	st->fault_nregs = arch_regs_here(regs);	/* the host unwinds the chain from here */
	for (unsigned i = 0; i < TESSERA_FAULT_REGS; i++)
		st->fault_regs[i] = regs[i];
	st->fault_pc = (uint64_t)(uintptr_t)__builtin_return_address(0);
	__atomic_store_n(&st->state, TESSERA_CORE_PANICKED, __ATOMIC_RELEASE);
	arch_host_notify();
	arch_early_write("tessera: tile panic: ", 21);
	arch_early_write(msg, (unsigned long)(n < (int)sizeof(msg) ? n : (int)sizeof(msg) - 1));
	arch_early_write("\n", 1);
	arch_stop(134);
}
