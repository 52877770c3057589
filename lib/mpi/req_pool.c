/* SPDX-License-Identifier: MIT */
/*
 * req_pool.c: request objects: allocation (with a small cache of freed ones, so a blocking
 * send or receive costs no malloc/free), destruction, and release by their user. Not what
 * a request does (engine.c, sched.c) nor the MPI calls that complete them (request.c).
 */
#include <stdlib.h>
#include "mpii_impl.h"

static struct mpii_req *req_cache[MPII_REQ_CACHE];
static int nreq_cache;

struct mpii_req *mpii_req_new(int kind)
{
	struct mpii_req *r;

	if (nreq_cache) {
		r = req_cache[--nreq_cache];
		memset(r, 0, sizeof(*r));
	} else {
		r = calloc(1, sizeof(*r));
	}
	if (!r)
		return NULL;
	r->kind = kind;
	r->handle = mpii_handle_new(MPII_K_REQ, r);
	if (!r->handle) {
		free(r);
		return NULL;
	}
	mpii_status_empty(&r->st);
	return r;
}

void mpii_req_destroy(struct mpii_req *r)
{
	if (r->sched)
		mpii_sched_free(r->sched);
	mpii_comm_unref(r->comm);
	mpii_dtype_unref(r->dt);
	free(r->tmp);
	mpii_handle_free(r->handle);
	if (nreq_cache < MPII_REQ_CACHE)
		req_cache[nreq_cache++] = r;
	else
		free(r);
}

void mpii_req_release(struct mpii_req *r)
{
	if (r->done)
		mpii_req_destroy(r);
	else
		r->user_freed = 1;
}
