// SPDX-License-Identifier: MIT
/*
 * neighbours: what cores that share a core runner keep apart. Modes:
 *  distinct   every rank stores its rank in a global and on its stack, waits until all have
 *             (a board counter), then prints both addresses and values: each must be its own
 *  overrun    writes just past the end of its private DRAM: must fault (the guard gap)
 *  underrun   writes just below its private DRAM: must fault
 *  spinwait   rank 0 spins on shared DRAM, without halting or yielding, until rank 1 has
 *             written there: a runner must take the CPU from a core that never gives it up
 */
#include <stdio.h>
#include <string.h>
#include "tk.h"

#define ARRIVED 1	/* board counter */

static volatile uint32_t global;

static void all_here(void)
{
	tk_counter_add(ARRIVED, 1);
	while (tk_counter_add(ARRIVED, 0) < tk_nranks())
		tk_yield();
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "distinct";
	volatile uint32_t local = tk_rank() * 10 + 1;
	volatile uint8_t *edge;

	if (!strcmp(what, "distinct")) {
		global = tk_rank();
		all_here();
		printf("rank %u global %p=%u stack %p=%u\n", tk_rank(), (void *)&global, global,
		       (void *)&local, local);
	} else if (!strcmp(what, "overrun")) {
		edge = (volatile uint8_t *)(tk_own_addr(0) + (uintptr_t)tk_geom()->private_mb * 1048576u);
		printf("rank %u writes at %p\n", tk_rank(), (void *)edge);
		fflush(stdout);
		*edge = 1;
	} else if (!strcmp(what, "underrun")) {
		edge = (volatile uint8_t *)(tk_own_addr(0) - 1);
		printf("rank %u writes at %p\n", tk_rank(), (void *)edge);
		fflush(stdout);
		*edge = 1;
	} else if (!strcmp(what, "spinwait")) {
		volatile uint32_t *flag = (volatile uint32_t *)(uintptr_t)TESSERA_ADDR_SHARED;

		if (tk_rank() == 0)
			while (*flag != 1)
				;
		else
			*flag = 1;
		printf("rank %u: through\n", tk_rank());
	}
	return 0;
}
