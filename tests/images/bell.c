// SPDX-License-Identifier: MIT
/*
 * bell: an MPI ping-pong between ranks 0 and 1 in which every message is sent only once its
 * receiver sleeps (its board register `asleep`: set after its last look for work), so only a
 * wake-up can deliver it: on a QEMU tile whose fallback tick is off, only its doorbell.
 * Usage: bell [ROUNDS] (default 20). Each rank prints "bell: rank R: N rounds, W wake-ups",
 * W counting the halts that an interrupt ended (its board register) from the third round on,
 * at least one per message it received then. (The first two are not counted: a rank may
 * still be asleep in MPI_Barrier when the other, already past it, sees it asleep and sends.)
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include "tessera/board.h"
#include "tk.h"

static const volatile struct tessera_boardreg_core *reg(uint32_t core)
{
	return (const volatile struct tessera_boardreg_core *)(uintptr_t)(TESSERA_ADDR_BOARDREG +
		TESSERA_BOARDREG_GLOBAL_BYTES + core * sizeof(struct tessera_boardreg_core));
}

static uint32_t wakeups(void)
{
	return reg(tk_core())->wakeups;
}

int main(int argc, char **argv)
{
	int rank, size, rounds = argc > 1 ? atoi(argv[1]) : 20;
	double v = 0;
	uint32_t w0;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (size < 2) {
		fprintf(stderr, "bell: needs 2 ranks\n");
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	MPI_Barrier(MPI_COMM_WORLD);
	w0 = wakeups();
	for (int i = 0; i < rounds && rank < 2; i++) {
		int peer = 1 - rank;

		if (i == 2)
			w0 = wakeups();
		if (i % 2 == rank) {
			while (!__atomic_load_n(&reg(tk_rank_core((uint32_t)peer))->asleep,
						__ATOMIC_SEQ_CST))
				;
			v += 1;
			MPI_Send(&v, 1, MPI_DOUBLE, peer, i, MPI_COMM_WORLD);
		} else {
			MPI_Recv(&v, 1, MPI_DOUBLE, peer, i, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		}
	}
	if (rank < 2)
		printf("bell: rank %d: %d rounds, %u wake-ups, value %.0f\n", rank, rounds,
		       wakeups() - w0, v);
	MPI_Finalize();
	return 0;
}
