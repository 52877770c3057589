// SPDX-License-Identifier: MIT
/*
 * ring.c: RCCE's shift example: every UE passes a block of integers to its right-hand
 * neighbour, N times around the ring, so each block visits every UE; every UE adds up what
 * passes through it. UE 0 sends before it receives, the others receive first (RCCE_send is
 * synchronous, so a ring where everyone sends first would never move). UE 0 prints each
 * UE's sum, collected with RCCE_recv in UE order; the MPI twin (mpi/ring_mpi.c) must print
 * the same. Usage: ring [INTS [LAPS]]   (defaults 256 integers, 1 lap)
 */
#include <stdio.h>
#include <stdlib.h>
#include "RCCE.h"

int RCCE_APP(int argc, char **argv)
{
	int len = 256, laps = 1, me, n;
	long sum = 0, *block, *in;

	RCCE_init(&argc, &argv);
	me = RCCE_ue();
	n = RCCE_num_ues();
	if (argc > 1)
		len = atoi(argv[1]);
	if (argc > 2)
		laps = atoi(argv[2]);
	block = malloc((size_t)len * sizeof(long));
	in = malloc((size_t)len * sizeof(long));
	if (len < 1 || laps < 1 || !block || !in)
		return 2;
	for (int i = 0; i < len; i++)
		block[i] = (long)me * 1000 + i;
	for (int step = 0; step < laps * n; step++) {
		int right = (me + 1) % n, left = (me + n - 1) % n;

		if (n == 1) {
			sum += block[step % len];
			continue;
		}
		if (me == 0) {
			RCCE_send((char *)block, (size_t)len * sizeof(long), right);
			RCCE_recv((char *)in, (size_t)len * sizeof(long), left);
		} else {
			RCCE_recv((char *)in, (size_t)len * sizeof(long), left);
			RCCE_send((char *)block, (size_t)len * sizeof(long), right);
		}
		for (int i = 0; i < len; i++) {
			block[i] = in[i] + 1;
			sum += in[i] * (i % 5 + 1);
		}
	}
	if (me == 0) {
		printf("answer: ring ue 0 sum %ld\n", sum);
		for (int ue = 1; ue < n; ue++) {
			RCCE_recv((char *)&sum, sizeof(sum), ue);
			printf("answer: ring ue %d sum %ld\n", ue, sum);
		}
	} else {
		RCCE_send((char *)&sum, sizeof(sum), 0);
	}
	RCCE_finalize();
	return 0;
}
