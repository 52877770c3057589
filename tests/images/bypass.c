// SPDX-License-Identifier: MIT
/*
 * bypass: a tile program that reaches board memory with a plain pointer instead of tk_mpb_*,
 * as argv[1] says: mpb (its own MPB share at its SCC address), mpb-alias (the same through
 * the own-tile alias), channels (mpb-channels' part of shared DRAM, after mpbc_init), heap
 * (shared DRAM above that part, what programs are handed, e.g. MPI_Win_allocate_shared).
 * Under --coherence=host each prints "<what>: <value>"; under strict the first three fault
 * on emu (docs/coherence.md) and the last one prints. unseal asks the host kernel to make
 * the MPB readable and writable again (mprotect), which the runner's filter refuses.
 */
#include <stdio.h>
#include <string.h>
#include "mpbc.h"
#include "tk.h"

/* Write v at a, read it back, with plain volatile accesses (the bypass under test). */
static uint32_t poke(uintptr_t a, uint32_t v)
{
	volatile uint32_t *p = (volatile uint32_t *)a;

	*p = v;
	return *p;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "mpb";
	uint32_t mine = tessera_core_mpb_addr(tk_geom(), tk_core());
	uintptr_t a;

	if (mpbc_init() < 0) {
		printf("mpbc_init failed\n");
		return 2;
	}
	if (!strcmp(what, "mpb"))
		a = mine + tessera_core_mpb_bytes(tk_geom()) - 4;	/* not the channels' words */
	else if (!strcmp(what, "mpb-alias"))
		a = tk_own_addr(TESSERA_ADDR_OWN_MPB + (mine - tessera_mpb_addr(tk_geom(),
			tessera_core_tile(tk_geom(), tk_core()))) + tessera_core_mpb_bytes(tk_geom()) - 4);
	else if (!strcmp(what, "channels"))	/* a word of its own: the ranks run at once */
		a = TESSERA_ADDR_SHARED + 4 * tk_rank();
#ifdef __x86_64__	/* an emu core: a host system call */
	else if (!strcmp(what, "unseal")) {
		long rc;

		__asm__ volatile("syscall" : "=a"(rc) : "a"(10L), "D"((long)mine & ~4095L),
				 "S"(4096L), "d"(3L) : "rcx", "r11", "memory");	/* mprotect RW */
		printf("unseal: %ld\n", rc);
		return 0;
	}
#endif
	else if (!strcmp(what, "heap"))
		a = TESSERA_ADDR_SHARED + (((uint64_t)tk_geom()->shared_mb << 20) - 4096) +
		    4 * tk_rank();
	else
		return 2;
	printf("%s: %u\n", what, poke(a, 4242 + tk_rank()));
	return 0;
}
