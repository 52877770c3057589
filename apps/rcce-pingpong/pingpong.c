// SPDX-License-Identifier: MIT
/*
 * pingpong.c: RCCE ping-pong between UEs 0 and 1, in the manner of RCCE's own ping-pong
 * benchmark: for message sizes from 32 B up to MAXLEN (doubling), ROUNDS round trips of
 * RCCE_send/RCCE_recv, printing the seconds per round trip. Every byte that arrives is
 * checked; the "answer:" lines (what arrived) must equal those of the MPI twin
 * (mpi/pingpong_mpi.c), the "time:" lines are the measurement.
 * Usage: pingpong [ROUNDS [MAXLEN]]   (defaults 100 and 1048576)
 */
#include <stdio.h>
#include <stdlib.h>
#include "RCCE.h"

static unsigned char pattern(size_t i, int round, size_t len)
{
	return (unsigned char)(i * 31 + (size_t)round * 7 + len);
}

int RCCE_APP(int argc, char **argv)
{
	int rounds = 100, me, bad = 0;
	size_t maxlen = 1u << 20;
	unsigned long sum = 0;
	unsigned char *buf;

	RCCE_init(&argc, &argv);
	me = RCCE_ue();
	if (argc > 1)
		rounds = atoi(argv[1]);
	if (argc > 2)
		maxlen = (size_t)atol(argv[2]);
	if (RCCE_num_ues() < 2 || rounds < 1 || maxlen < 32) {
		if (me == 0)
			fprintf(stderr, "pingpong: needs 2 UEs, ROUNDS >= 1, MAXLEN >= 32\n");
		return 2;
	}
	if (!(buf = malloc(maxlen)))
		return 1;
	for (size_t len = 32; len <= maxlen; len *= 2) {
		double t0 = 0;

		RCCE_barrier(&RCCE_COMM_WORLD);
		for (int r = -1; r < rounds; r++) {	/* round -1 warms up, untimed */
			if (r == 0)
				t0 = RCCE_wtime();
			if (me == 0) {
				for (size_t i = 0; i < len; i++)
					buf[i] = pattern(i, r, len);
				RCCE_send((char *)buf, len, 1);
				RCCE_recv((char *)buf, len, 1);
				for (size_t i = 0; i < len; i++)
					bad += buf[i] != (unsigned char)(pattern(i, r, len) + 1);
				sum += buf[len - 1];
			} else if (me == 1) {
				RCCE_recv((char *)buf, len, 0);
				for (size_t i = 0; i < len; i++)
					buf[i]++;
				RCCE_send((char *)buf, len, 0);
			}
		}
		if (me == 0)
			printf("time: %8zu bytes %.6e s per round trip\n", len,
			       (RCCE_wtime() - t0) / rounds);
	}
	if (me == 0)
		printf("answer: pingpong %d rounds to %zu bytes, %d bad bytes, checksum %lu\n",
		       rounds, maxlen, bad, sum);
	RCCE_finalize();
	return bad != 0;
}
