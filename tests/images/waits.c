// SPDX-License-Identifier: MIT
/*
 * waits: publishes wait states as a blocked MPI program would, without MPI, to drive the
 * host's deadlock detector: `cycle` (rank r waits for rank r+1, the last for rank 0),
 * `slow S` (every rank looks blocked but keeps counting messages for S seconds, then exits).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tk.h"

int main(int argc, char **argv)
{
	uint32_t r = tk_rank(), n = tk_nranks();

	if (argc > 1 && !strcmp(argv[1], "slow")) {
		uint64_t end = (uint64_t)(atof(argc > 2 ? argv[2] : "3") * 1e9);
		tk_wait_set(TESSERA_WAIT_RECV, (int32_t)((r + 1) % n), 5, 0);
		while (tk_time_ns() < end) {
			tk_halt_prepare();
			tk_halt(200000000u);	/* 0.2 s: a slow exchange */
			tk_halt_done();
			tk_count_recv(8);
		}
		tk_wait_set(TESSERA_WAIT_NONE, 0, 0, 0);
		printf("rank %u: done\n", r);
		return 0;
	}
	tk_wait_set(TESSERA_WAIT_RECV, (int32_t)((r + 1) % n), 7, 0);
	for (;;) {
		tk_halt_prepare();
		tk_halt(0);
		tk_halt_done();
	}
}
