// SPDX-License-Identifier: MIT
/*
 * coll.c: the simplified API's collectives, built on RCCE_send/RCCE_recv as RCCE builds
 * them: RCCE_bcast (the root sends to each member in turn), RCCE_reduce (the root receives
 * from each member in rank order and combines: root's data first, then ranks 0, 1, ...),
 * RCCE_allreduce (a reduce to rank 0 of the communicator, then a broadcast).
 */
#ifndef GORY
#include <string.h>
#include "rcce_impl.h"

static int comm_ok(const RCCE_COMM *c)
{
	return c->initialized == RCCE_COMM_INITIALIZED;
}

static void trace(uint32_t kind, uint32_t coll, size_t bytes)
{
	if (tk_tracing())
		tk_trace(kind, -1, (int32_t)coll, 0, bytes);
}

int RCCE_bcast(char *buf, size_t size, int root, RCCE_COMM comm)
{
	int err = RCCE_SUCCESS;

	if (!comm_ok(&comm))
		return RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_COMM_UNDEFINED);
	if (root < 0 || root >= comm.size)
		return RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_ID);
	trace(TESSERA_TR_COLL_BEGIN, TESSERA_COLL_BCAST, size);
	if (comm.my_rank == root) {
		for (int i = 0; i < comm.size && !err; i++)
			if (i != root)
				err = RCCE_send(buf, size, comm.member[i]);
	} else {
		err = RCCE_recv(buf, size, comm.member[root]);
	}
	trace(TESSERA_TR_COLL_END, TESSERA_COLL_BCAST, size);
	return err;
}

static size_t type_size(int type)
{
	switch (type) {
	case RCCE_INT: return sizeof(int);
	case RCCE_LONG: return sizeof(long);
	case RCCE_FLOAT: return sizeof(float);
	case RCCE_DOUBLE: return sizeof(double);
	default: return 0;
	}
}

#define COMBINE(T, a, b, n, op)								\
	do {										\
		T *x = (T *)(a);							\
		const T *y = (const T *)(b);						\
		for (int i = 0; i < (n); i++) {						\
			switch (op) {							\
			case RCCE_SUM: x[i] += y[i]; break;				\
			case RCCE_PROD: x[i] *= y[i]; break;				\
			case RCCE_MIN: if (y[i] < x[i]) x[i] = y[i]; break;		\
			default: if (y[i] > x[i]) x[i] = y[i]; break;			\
			}								\
		}									\
	} while (0)

static void combine(char *acc, const char *in, int num, int type, int op)
{
	switch (type) {
	case RCCE_INT: COMBINE(int, acc, in, num, op); break;
	case RCCE_LONG: COMBINE(long, acc, in, num, op); break;
	case RCCE_FLOAT: COMBINE(float, acc, in, num, op); break;
	default: COMBINE(double, acc, in, num, op); break;
	}
}

/* Reduce to comm rank root; outbuf matters at the root only. */
static int reduce(char *inbuf, char *outbuf, int num, int type, int op, int root,
		  const RCCE_COMM *comm)
{
	size_t bytes = (size_t)num * type_size(type);
	char *tmp;
	int err = RCCE_SUCCESS;

	if (comm->my_rank != root)
		return RCCE_send(inbuf, bytes, comm->member[root]);
	if (outbuf != inbuf)
		memmove(outbuf, inbuf, bytes);
	if (comm->size == 1 || !bytes)
		return RCCE_SUCCESS;
	if (!(tmp = malloc(bytes)))
		return RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_MALLOC);
	for (int i = 0; i < comm->size && !err; i++) {
		if (i == root)
			continue;
		if (!(err = RCCE_recv(tmp, bytes, comm->member[i])))
			combine(outbuf, tmp, num, type, op);
	}
	free(tmp);
	return err;
}

static int check(char *inbuf, char *outbuf, int num, int type, int op, int root,
		 const RCCE_COMM *comm)
{
	if (!comm_ok(comm))
		return RCCE_ERROR_COMM_UNDEFINED;
	if (!type_size(type))
		return RCCE_ERROR_ILLEGAL_TYPE;
	if (op != RCCE_SUM && op != RCCE_MIN && op != RCCE_MAX && op != RCCE_PROD)
		return RCCE_ERROR_ILLEGAL_OP;
	if (root < 0 || root >= comm->size)
		return RCCE_ERROR_ID;
	if (num < 0)
		return RCCE_ERROR_MESSAGE_LENGTH;
	if (num && (!inbuf || !outbuf))
		return inbuf ? RCCE_ERROR_TARGET : RCCE_ERROR_SOURCE;
	return RCCE_SUCCESS;
}

int RCCE_reduce(char *inbuf, char *outbuf, int num, int type, int op, int root, RCCE_COMM comm)
{
	int err = check(inbuf, outbuf, num, type, op, root, &comm);

	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
	trace(TESSERA_TR_COLL_BEGIN, TESSERA_COLL_REDUCE, (size_t)num * type_size(type));
	err = reduce(inbuf, outbuf, num, type, op, root, &comm);
	trace(TESSERA_TR_COLL_END, TESSERA_COLL_REDUCE, (size_t)num * type_size(type));
	return err;
}

int RCCE_allreduce(char *inbuf, char *outbuf, int num, int type, int op, RCCE_COMM comm)
{
	int err = check(inbuf, outbuf, num, type, op, 0, &comm);
	size_t bytes = (size_t)num * type_size(type);

	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
	trace(TESSERA_TR_COLL_BEGIN, TESSERA_COLL_ALLREDUCE, bytes);
	if (!(err = reduce(inbuf, outbuf, num, type, op, 0, &comm)))
		err = RCCE_bcast(outbuf, bytes, 0, comm);
	trace(TESSERA_TR_COLL_END, TESSERA_COLL_ALLREDUCE, bytes);
	return err;
}
#endif
