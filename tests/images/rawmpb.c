// SPDX-License-Identifier: MIT
/*
 * rawmpb: rank 0 reads the first word of the last rank's MPB share through a plain pointer,
 * not through tk_mpb_read. On one host that works (and is wrong on the chip without an
 * invalidate); on a distributed board where that MPB is on another host it faults.
 */
#include <stdio.h>
#include "tk.h"

int main(void)
{
	if (tk_rank() == 0) {
		uint32_t core = tk_rank_core(tk_nranks() - 1);
		volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)
			tessera_core_mpb_addr(tk_geom(), core);

		printf("rawmpb: core %u's MPB says %u\n", core, (unsigned)*p);
	}
	return 0;
}
