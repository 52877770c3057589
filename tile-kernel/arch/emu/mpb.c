// SPDX-License-Identifier: MIT
/*
 * arch/emu/mpb.c: the MPB hooks of arch.h for an emulated core. The board is the host's
 * coherent memory (x86-64), so CL1INVMB has no line to drop and there is no WCB to drain:
 * what is left of each instruction is the order it imposes. The host fake (tests/fake) and
 * the cacheline floor (apps/mpbc-pingpong/host) run on the same memory and link this file.
 */
#include "arch.h"

/* Later loads stay after it (on x86 the compiler alone could move them). */
void arch_cl1invmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

/* mfence: drains the store buffer, the host's analogue of the WCB, and orders earlier stores
 * before later loads (the halt handshake of tk.h needs that order). */
void arch_wcb_flush(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void arch_relax(void)
{
	__builtin_ia32_pause();
}
