// SPDX-License-Identifier: MIT
/*
 * comm.c: RCCE's communicators (a sorted list of UEs and two flags) and RCCE_barrier.
 * RCCE_comm_split is collective: every UE calls it, since it allocates the communicator's
 * two flags symmetrically.
 *
 * The barrier is RCCE's: a gather to the communicator's first UE and a release from it,
 * with sense reversal (each barrier flips the value it waits for, so no flag needs a
 * reset). Every UE sets its own gather flag and wakes the root; the root reads the
 * members' gather flags until all show the new value, then writes the release flag of
 * each member, which waits on its own.
 */
#include <string.h>
#include "rcce_impl.h"

static int comm_ok(const RCCE_COMM *c)
{
	return c && c->initialized == RCCE_COMM_INITIALIZED;
}

int RCCE_comm_split(int (*color)(int, void *), void *aux, RCCE_COMM *comm)
{
	int mine, err;

	if (!comm || !color || !rcce_self.inited)
		return RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_COMM_UNDEFINED);
	if (comm->initialized == RCCE_COMM_INITIALIZED)
		return RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_COMM_INITIALIZED);
	mine = color(RCCE_IAM, aux);
	comm->size = 0;
	comm->my_rank = -1;
	for (int ue = 0; ue < RCCE_NP; ue++) {
		if (color(ue, aux) != mine)
			continue;
		if (ue == RCCE_IAM)
			comm->my_rank = comm->size;
		comm->member[comm->size++] = ue;
	}
	if ((err = RCCE_flag_alloc(&comm->gather)) || (err = RCCE_flag_alloc(&comm->release)))
		return RCCE_error_return(RCCE_debug_comm, err);
	comm->initialized = RCCE_COMM_INITIALIZED;
	return RCCE_SUCCESS;
}

int RCCE_comm_free(RCCE_COMM *comm)
{
	if (!comm_ok(comm))
		return RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_COMM_UNDEFINED);
	RCCE_flag_free(&comm->release);
	RCCE_flag_free(&comm->gather);
	comm->initialized = RCCE_COMM_NOT_INITIALIZED;
	return RCCE_SUCCESS;
}

int RCCE_comm_size(RCCE_COMM comm, int *size)
{
	if (!comm_ok(&comm) || !size)
		return RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_COMM_UNDEFINED);
	*size = comm.size;
	return RCCE_SUCCESS;
}

int RCCE_comm_rank(RCCE_COMM comm, int *rank)
{
	if (!comm_ok(&comm) || !rank)
		return RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_COMM_UNDEFINED);
	*rank = comm.my_rank;
	return RCCE_SUCCESS;
}

struct gathered {
	const RCCE_COMM *comm;
	RCCE_FLAG_STATUS v;
	int next;		/* members below this rank have arrived */
};

static int all_gathered(void *p)
{
	struct gathered *g = p;

	for (; g->next < g->comm->size; g->next++)
		if (rcce_flag_get(g->comm->gather, g->comm->member[g->next]) != g->v)
			return 0;
	return 1;
}

int RCCE_barrier(RCCE_COMM *comm)
{
	int root;
	RCCE_FLAG_STATUS v;

	if (!comm_ok(comm))
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_COMM_UNDEFINED);
	if (comm->size == 1)
		return RCCE_SUCCESS;
	if (tk_tracing())
		tk_trace(TESSERA_TR_COLL_BEGIN, -1, TESSERA_COLL_BARRIER, 0, 0);
	root = comm->member[0];
	v = !rcce_flag_get(comm->gather, RCCE_IAM);
	rcce_flag_set(&comm->gather, v, RCCE_IAM);
	if (comm->my_rank == 0) {
		struct gathered g = { comm, v, 1 };

		rcce_wait(all_gathered, &g, TESSERA_WAIT_COLL, -1);
		for (int i = 1; i < comm->size; i++)
			rcce_flag_set(&comm->release, v, comm->member[i]);
	} else {
		rcce_wake(root);
		rcce_flag_wait(comm->release, v, TESSERA_WAIT_COLL, root);
	}
	if (tk_tracing())
		tk_trace(TESSERA_TR_COLL_END, -1, TESSERA_COLL_BARRIER, 0, 0);
	return RCCE_SUCCESS;
}
