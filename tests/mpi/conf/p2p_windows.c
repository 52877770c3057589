/* SPDX-License-Identifier: MIT */
/*
 * p2p_windows: windows of 64 non-blocking messages between pairs of ranks (0 -> 1, 2 -> 3,
 * ...), as message-rate benchmarks send them: rendezvous-sized ones (several channel records
 * each, with the receiver's clear-to-send answers queueing behind each other), then short
 * eager ones, a reply closing every window. Once lost the completion of a message whose last
 * records arrived while the receiver was sending (issue 22): every window must complete with
 * the right data.
 */
#include "conf.h"

#define WINDOW	64
#define BIG	65536
#define ROUNDS	12

static char sbuf[BIG], rbuf[BIG];

static int windows(int peer, int sender, int len, int rounds)
{
	MPI_Request r[WINDOW];
	int round, i, ok = 1, ack = 0;

	for (round = 0; round < rounds; round++) {
		char mark = (char)(round + len);

		if (sender) {
			memset(sbuf, mark, (size_t)len);
			for (i = 0; i < WINDOW; i++)
				MPI_Isend(sbuf, len, MPI_CHAR, peer, 7, MPI_COMM_WORLD, &r[i]);
			MPI_Waitall(WINDOW, r, MPI_STATUSES_IGNORE);
			MPI_Recv(&ack, 1, MPI_INT, peer, 8, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			ok &= ack == round;
		} else {
			memset(rbuf, 0, (size_t)len);
			for (i = 0; i < WINDOW; i++)
				MPI_Irecv(rbuf, len, MPI_CHAR, peer, 7, MPI_COMM_WORLD, &r[i]);
			MPI_Waitall(WINDOW, r, MPI_STATUSES_IGNORE);
			ok &= rbuf[0] == mark && rbuf[len - 1] == mark;
			ack = round;
			MPI_Send(&ack, 1, MPI_INT, peer, 8, MPI_COMM_WORLD);
		}
	}
	return ok;
}

int main(int argc, char **argv)
{
	int peer, sender, ok = 1;

	conf_init(&argc, &argv);
	peer = rank % 2 ? rank - 1 : rank + 1;
	sender = rank % 2 == 0;
	if (peer < size) {
		ok &= windows(peer, sender, BIG, ROUNDS);
		ok &= windows(peer, sender, 8, ROUNDS);
	}
	report_ok("windows of 64 messages", ok);
	conf_done();
	return 0;
}
