// SPDX-License-Identifier: MIT
/*
 * arch/i386/mpb.c: the MPB hooks of arch.h for a bare-metal i386 core.
 *
 * Built with I386_ON_SCC (`make TESSERA_I386_SCC=1`), arch_cl1invmb executes the SCC's
 * CL1INVMB (opcode 0F 0A, which RCCE emits as bytes because no assembler knows it): it drops
 * every MPBT line of the L1. Without it (the default: QEMU raises #UD on that opcode) the
 * MPB is ordinary coherent memory behind the ivshmem device and only the order is kept.
 * paging.c maps the chip windows without the MPBT type on either, so no write-combining
 * buffer stands between this core and the MPB: a fence is all a WCB flush has to be. (A
 * kernel that maps the MPB as MPBT must add RCCE's dummy-line write there.)
 */
#include "arch.h"

void arch_cl1invmb(void)
{
#ifdef I386_ON_SCC
	__asm__ volatile(".byte 0x0f, 0x0a" : : : "memory");	/* CL1INVMB */
#else
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
#endif
}

/* A locked instruction: earlier stores are visible before any later load or store. */
void arch_wcb_flush(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/*
 * No `pause`: to a P54C it is `rep; nop`, a plain no-op, but QEMU's TCG makes it leave the
 * translated code and take the big QEMU lock (a yield to other vCPUs of the same VM, of
 * which a tile has none), which slows every turn of a polling loop by microseconds and
 * contends with the VM's main loop, the thread that delivers its doorbell.
 */
void arch_relax(void)
{
	__asm__ volatile("" : : : "memory");
}
