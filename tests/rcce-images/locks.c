// SPDX-License-Identifier: MIT
/*
 * locks.c: every UE takes UE 0's test-and-set lock ROUNDS times and, holding it, adds one to
 * a counter in shared memory (RCCE_shmalloc), flushes it out and looks for a message that
 * never comes (RCCE_recv_test: an entry into the runtime, where --deterministic may hand the
 * turn to a UE that then waits for the lock). UE 0 prints the count: ROUNDS times the UEs
 * when the lock excludes.
 */
#include <stdio.h>
#include "RCCE.h"

#define ROUNDS 50

int RCCE_APP(int argc, char **argv)
{
	volatile int *count;
	char none;
	int got;

	RCCE_init(&argc, &argv);
	count = (volatile int *)RCCE_shmalloc(sizeof(int));
	if (RCCE_ue() == 0) {
		*count = 0;
		RCCE_shflush();
	}
	RCCE_barrier(&RCCE_COMM_WORLD);
	for (int i = 0; i < ROUNDS; i++) {
		RCCE_acquire_lock(0);
		*count = *count + 1;
		RCCE_shflush();
		RCCE_recv_test(&none, 1, (RCCE_ue() + 1) % RCCE_num_ues(), &got);
		RCCE_release_lock(0);
	}
	RCCE_barrier(&RCCE_COMM_WORLD);
	if (RCCE_ue() == 0)
		printf("count %d of %d\n", *count, ROUNDS * RCCE_num_ues());
	RCCE_finalize();
	return 0;
}
