/* SPDX-License-Identifier: MIT */
/*
 * request.c: completing requests: the Wait and Test families, MPI_Request_free,
 * MPI_Request_get_status, MPI_Cancel and generalized requests.
 */
#include <stdlib.h>
#include "mpii_impl.h"
#include "tk.h"

int mpii_req_get(MPI_Request h, struct mpii_req **out)
{
	struct mpii_req *r = NULL;

	if (h == MPII_REQ_SENT) {	/* most sends of a window (send.c): no table lookup */
		*out = &mpii_req_sent;
		return MPI_SUCCESS;
	}
	if (h != MPI_REQUEST_NULL) {
		r = mpii_handle_get(MPII_K_REQ, h);
		if (!r || !r->kind || r->user_freed)
			return MPI_ERR_REQUEST;
	}
	*out = r;
	return MPI_SUCCESS;
}

int mpii_req_test(struct mpii_req *r)
{
	return r->done;
}

/* An inactive persistent request or MPI_REQUEST_NULL: completes at once, empty status. */
static int inert(const struct mpii_req *r)
{
	return !r || (r->persistent && !r->active);
}

/* mpii_req_finish, inline in this file's calls */
static inline int req_finish(struct mpii_req *r, MPI_Request *h, MPI_Status *st)
{
	int err = r->err;

	if (r->kind == MPII_R_GREQ) {
		MPI_Status gs;

		mpii_status_empty(&gs);
		err = r->gq(r->gstate, &gs);
		if (!err)
			err = r->gf(r->gstate);
		else
			r->gf(r->gstate);
		mpii_status_give(st, &gs);
		mpii_req_destroy(r);
		*h = MPI_REQUEST_NULL;
		return err;
	}
	mpii_status_give(st, &r->st);
	if (st != MPI_STATUS_IGNORE) {
		if (r->kind != MPII_R_RECV && r->kind != MPII_R_IO) {
			st->MPI_SOURCE = MPI_ANY_SOURCE;
			st->MPI_TAG = MPI_ANY_TAG;
			st->mpii_count = 0;
		}
	}
	if (r->persistent) {
		r->active = 0;
	} else {
		mpii_req_destroy(r);
		*h = MPI_REQUEST_NULL;
	}
	return err;
}

int mpii_req_finish(struct mpii_req *r, MPI_Request *h, MPI_Status *st)
{
	return req_finish(r, h, st);
}

static struct mpii_comm *req_comm(struct mpii_req *r)
{
	return r && r->comm ? r->comm : NULL;
}

/* Completes rs[i] for the user (reqs[i] becomes MPI_REQUEST_NULL unless persistent) and
 * raises its error on its communicator (an MPI-IO request's on its file). */
static int finish_one(MPI_Request *reqs, struct mpii_req **rs, int i, MPI_Status *status,
		      const char *fname)
{
	struct mpii_comm *c = req_comm(rs[i]);
	int file = rs[i]->kind == MPII_R_IO ? rs[i]->file : 0, rc;

	if (c)
		mpii_comm_ref(c);
	rc = mpii_req_finish(rs[i], &reqs[i], status);
	if (rc && file)
		rc = mpii_raise_file(mpii_handle_get(MPII_K_FILE, file), rc, fname);
	else if (rc)
		rc = mpii_raise(c, rc, fname);
	mpii_comm_unref(c);
	return rc;
}

int PMPI_Wait(MPI_Request *request, MPI_Status *status)
{
	static const char fname[] = "MPI_Wait";
	struct mpii_req *r;

	MPII_ENTER(fname);
	if (!request || mpii_req_get(*request, &r))
		return mpii_raise(NULL, MPI_ERR_REQUEST, fname);
	if (inert(r)) {
		mpii_status_null(status);
		return MPI_SUCCESS;
	}
	mpii_wait(r);
	return finish_one(request, &r, 0, status, fname);
}
MPII_ALIAS(MPI_Wait)

/*
 * Whether all of rs[0..n) are complete, a decision (replay.c): after progress, or as a replay
 * says (it then waits for them, or says no).
 */
static int test_decided(uint32_t kind, int n, struct mpii_req **rs)
{
	struct mpii_dec d;
	int i, flag = 1;

	if (mpii_dec_begin(kind, (uint32_t)n, &d)) {
		flag = d.value != 0;
		mpii_progress();
		for (i = 0; flag && i < n; i++)
			if (!inert(rs[i]) && !mpii_req_test(rs[i]))
				mpii_wait(rs[i]);
	} else {
		mpii_progress();
		for (i = 0; i < n; i++)
			if (!inert(rs[i]) && !mpii_req_test(rs[i]))
				flag = 0;
		if (!flag)
			mpii_poll_miss();
	}
	mpii_dec_end(&d, flag);
	return flag;
}

int PMPI_Test(MPI_Request *request, int *flag, MPI_Status *status)
{
	static const char fname[] = "MPI_Test";
	struct mpii_req *r;

	MPII_ENTER(fname);
	if (!request || mpii_req_get(*request, &r))
		return mpii_raise(NULL, MPI_ERR_REQUEST, fname);
	if (!flag)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if (inert(r)) {
		*flag = 1;
		mpii_status_null(status);
		return MPI_SUCCESS;
	}
	*flag = test_decided(TESSERA_DEC_TEST, 1, &r);
	return *flag ? finish_one(request, &r, 0, status, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Test)

/* Looks up every request of an array; 0 or MPI_ERR_REQUEST. */
static int lookup_all(int count, MPI_Request *reqs, struct mpii_req **rs)
{
	int i;

	for (i = 0; i < count; i++)
		if (mpii_req_get(reqs[i], &rs[i]))
			return MPI_ERR_REQUEST;
	return MPI_SUCCESS;
}

/* Request arrays up to this long are looked up into the caller's stack (no malloc). */
#define SMALL_ARRAY 64

/* Looks up an array of requests into *rs: small (SMALL_ARRAY entries on the caller's stack)
 * when it fits, else a malloc'd array that array_free releases. */
static int check_array(int count, MPI_Request *reqs, struct mpii_req ***rs,
		       struct mpii_req **small, const char *fname)
{
	if (count < 0)
		return mpii_raise(NULL, MPI_ERR_COUNT, fname);
	if (count > 0 && !reqs)
		return mpii_raise(NULL, MPI_ERR_REQUEST, fname);
	*rs = count <= SMALL_ARRAY ? small : malloc((size_t)count * sizeof(**rs));
	if (!*rs)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	if (lookup_all(count, reqs, *rs)) {
		if (*rs != small)
			free(*rs);
		return mpii_raise(NULL, MPI_ERR_REQUEST, fname);
	}
	return MPI_SUCCESS;
}

static void array_free(struct mpii_req **rs, struct mpii_req **small)
{
	if (rs != small)
		free(rs);
}

/* Completes every request of the array (waiting for those not done) and frees rs; an error
 * in any is MPI_ERR_IN_STATUS, raised on the communicator of the first that failed. */
static int complete_all(int count, MPI_Request *reqs, struct mpii_req **rs,
			struct mpii_req **small, MPI_Status *statuses, const char *fname)
{
	struct mpii_comm *errc = NULL;
	int i, err = 0, rc;

	for (i = 0; i < count; i++) {
		MPI_Status *st = statuses != MPI_STATUSES_IGNORE ? &statuses[i] : MPI_STATUS_IGNORE;
		struct mpii_req *r = rs[i];

		if (r == &mpii_req_sent || inert(r)) {
			/* a send's status is empty too (mpii_req_finish); an inactive persistent
			 * request stays the user's */
			if (st != MPI_STATUS_IGNORE)
				mpii_status_empty(st);
			if (r == &mpii_req_sent)
				reqs[i] = MPI_REQUEST_NULL;
			continue;
		}
		if (!mpii_req_test(r))
			mpii_wait(r);
		/* the first that failed names the communicator (kept: finishing may free it) */
		if (r->err && !errc && r->comm)
			errc = mpii_comm_ref(r->comm);
		rc = req_finish(r, &reqs[i], st);
		if (st != MPI_STATUS_IGNORE)
			st->MPI_ERROR = rc;
		if (rc)
			err = 1;
	}
	array_free(rs, small);
	rc = err ? mpii_raise(errc, MPI_ERR_IN_STATUS, fname) : MPI_SUCCESS;
	mpii_comm_unref(errc);
	return rc;
}

int PMPI_Waitall(int count, MPI_Request array_of_requests[], MPI_Status array_of_statuses[])
{
	static const char fname[] = "MPI_Waitall";
	struct mpii_req **rs, *small[SMALL_ARRAY];
	int rc;

	MPII_ENTER(fname);
	if ((rc = check_array(count, array_of_requests, &rs, small, fname)))
		return rc;
	mpii_progress();
	return complete_all(count, array_of_requests, rs, small, array_of_statuses, fname);
}
MPII_ALIAS(MPI_Waitall)

int PMPI_Testall(int count, MPI_Request array_of_requests[], int *flag,
		 MPI_Status array_of_statuses[])
{
	static const char fname[] = "MPI_Testall";
	struct mpii_req **rs, *small[SMALL_ARRAY];
	int rc;

	MPII_ENTER(fname);
	if (!flag)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if ((rc = check_array(count, array_of_requests, &rs, small, fname)))
		return rc;
	*flag = test_decided(TESSERA_DEC_TESTALL, count, rs);
	if (!*flag) {
		array_free(rs, small);
		return MPI_SUCCESS;
	}
	return complete_all(count, array_of_requests, rs, small, array_of_statuses, fname);
}
MPII_ALIAS(MPI_Testall)

/* First done request of the array (index), -1 if none is done, -2 if none is active. */
static int first_done(int count, struct mpii_req **rs)
{
	int i, active = 0;

	for (i = 0; i < count; i++) {
		if (inert(rs[i]))
			continue;
		active = 1;
		if (mpii_req_test(rs[i]))
			return i;
	}
	return active ? -1 : -2;
}

/* After progress, first_done(); with wait, halts (publishing what for) while it is -1. */
static int first_done_wait(int count, struct mpii_req **rs, int wait)
{
	int i, k, published = 0;

	mpii_progress();
	while ((i = first_done(count, rs)) == -1 && wait) {
		if (!published) {
			for (k = 0; k < count && inert(rs[k]); k++)
				;
			mpii_wait_publish(rs[k]);
			published = 1;
		}
		mpii_idle();
		mpii_progress();
	}
	if (published)
		tk_wait_set(TESSERA_WAIT_NONE, -1, 0, 0);
	return i;
}

/* Does any request of rs need completing? (None: every run answers alike.) */
static int any_active(int count, struct mpii_req **rs)
{
	for (int i = 0; i < count; i++)
		if (!inert(rs[i]))
			return 1;
	return 0;
}

/* A replay names request i of n (-1: none, where allowed): it must be one that can be. */
static void replay_check(const struct mpii_dec *d, int i, int n, struct mpii_req **rs, int none_ok)
{
	if (i >= n || (i < 0 && !none_ok) || (i >= 0 && inert(rs[i])))
		tk_panic("replay diverges at call %u: the record names request %d of %d, which "
			 "is not active", d->point, i, n);
}

/* first_done_wait as a decision (replay.c): which request completes; a replay waits for the
 * recorded one (or, testing, finds none when the recorded run found none). */
static int first_done_decided(int count, struct mpii_req **rs, int wait, uint32_t kind)
{
	struct mpii_dec d = { 0 };
	int i;

	if (!any_active(count, rs))
		return -2;
	if (mpii_dec_begin(kind, (uint32_t)count, &d)) {
		i = d.value;
		replay_check(&d, i, count, rs, !wait);
		mpii_progress();
		if (i >= 0 && !mpii_req_test(rs[i]))
			mpii_wait(rs[i]);
	} else {
		i = first_done_wait(count, rs, wait);
		if (i == -1)
			mpii_poll_miss();
	}
	mpii_dec_end(&d, i);
	return i;
}

/* MPI_Waitany (wait) and MPI_Testany (flag). */
static int any(int count, MPI_Request *reqs, int *index, int *flag, MPI_Status *status,
	       int wait, const char *fname)
{
	struct mpii_req **rs, *small[SMALL_ARRAY];
	int i, rc;

	MPII_ENTER(fname);
	if (!index || (!wait && !flag))
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if ((rc = check_array(count, reqs, &rs, small, fname)))
		return rc;
	i = first_done_decided(count, rs, wait, wait ? TESSERA_DEC_WAITANY : TESSERA_DEC_TESTANY);
	if (!wait)
		*flag = i != -1;
	if (i < 0) {
		*index = MPI_UNDEFINED;
		if (i == -2)
			mpii_status_null(status);
		array_free(rs, small);
		return MPI_SUCCESS;
	}
	*index = i;
	rc = finish_one(reqs, rs, i, status, fname);
	array_free(rs, small);
	return rc;
}

int PMPI_Waitany(int count, MPI_Request array_of_requests[], int *index, MPI_Status *status)
{
	return any(count, array_of_requests, index, NULL, status, 1, "MPI_Waitany");
}
MPII_ALIAS(MPI_Waitany)

int PMPI_Testany(int count, MPI_Request array_of_requests[], int *index, int *flag,
		 MPI_Status *status)
{
	return any(count, array_of_requests, index, flag, status, 0, "MPI_Testany");
}
MPII_ALIAS(MPI_Testany)

/* Which requests of rs complete now (their indices into idx, how many returned): after
 * progress, or what a replay says (it waits for them). A decision (replay.c). */
static int some_decided(int incount, struct mpii_req **rs, int wait, int *idx)
{
	struct mpii_dec d = { 0 };
	uint32_t kind = wait ? TESSERA_DEC_WAITSOME : TESSERA_DEC_TESTSOME;
	int i, n = 0;
	int32_t v;

	if (mpii_dec_begin(kind, (uint32_t)incount, &d)) {
		if (d.value < 0 || d.value > incount || (wait && d.value == 0))
			replay_check(&d, -1, incount, rs, 0);
		mpii_progress();
		for (n = 0; n < d.value; n++) {
			if (!mpii_dec_more(&d, &v))
				tk_panic("replay diverges at call %u: the record lists %d requests "
					 "but not all their indices", d.point, (int)d.value);
			replay_check(&d, v, incount, rs, 0);
			if (!mpii_req_test(rs[v]))
				mpii_wait(rs[v]);
			idx[n] = v;
		}
	} else {
		first_done_wait(incount, rs, wait);
		for (i = 0; i < incount; i++)
			if (!inert(rs[i]) && mpii_req_test(rs[i]))
				idx[n++] = i;
		if (!n)
			mpii_poll_miss();
	}
	mpii_dec_end(&d, n);
	for (i = 0; i < n; i++)
		mpii_dec_end_more(&d, idx[i]);
	return n;
}

static int some(int incount, MPI_Request *reqs, int *outcount, int *indices,
		MPI_Status *statuses, int wait, const char *fname)
{
	struct mpii_req **rs, *small[SMALL_ARRAY];
	struct mpii_comm *errc = NULL;
	int i, k, rc, n, err = 0;

	MPII_ENTER(fname);
	if (!outcount || (incount > 0 && !indices))
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if ((rc = check_array(incount, reqs, &rs, small, fname)))
		return rc;
	if (!any_active(incount, rs)) {
		*outcount = MPI_UNDEFINED;
		array_free(rs, small);
		return MPI_SUCCESS;
	}
	n = some_decided(incount, rs, wait, indices);
	for (k = 0; k < n; k++) {
		MPI_Status tmp, *st = statuses != MPI_STATUSES_IGNORE ? &statuses[k] : &tmp;

		i = indices[k];
		if (rs[i]->err && !errc && rs[i]->comm)
			errc = mpii_comm_ref(rs[i]->comm);
		st->MPI_ERROR = mpii_req_finish(rs[i], &reqs[i], st);
		if (st->MPI_ERROR)
			err = 1;
	}
	*outcount = n;
	array_free(rs, small);
	rc = err ? mpii_raise(errc, MPI_ERR_IN_STATUS, fname) : MPI_SUCCESS;
	mpii_comm_unref(errc);
	return rc;
}

int PMPI_Waitsome(int incount, MPI_Request array_of_requests[], int *outcount,
		  int array_of_indices[], MPI_Status array_of_statuses[])
{
	return some(incount, array_of_requests, outcount, array_of_indices, array_of_statuses, 1,
		    "MPI_Waitsome");
}
MPII_ALIAS(MPI_Waitsome)

int PMPI_Testsome(int incount, MPI_Request array_of_requests[], int *outcount,
		  int array_of_indices[], MPI_Status array_of_statuses[])
{
	return some(incount, array_of_requests, outcount, array_of_indices, array_of_statuses, 0,
		    "MPI_Testsome");
}
MPII_ALIAS(MPI_Testsome)

int PMPI_Request_free(MPI_Request *request)
{
	static const char fname[] = "MPI_Request_free";
	struct mpii_req *r;

	MPII_ENTER(fname);
	if (!request || mpii_req_get(*request, &r) || !r)
		return mpii_raise(NULL, MPI_ERR_REQUEST, fname);
	/* An active operation runs on and cleans up after itself (MPI-3.1 3.7.3). */
	if (r->kind == MPII_R_GREQ) {
		r->user_freed = 1;
		if (r->done) {
			r->gf(r->gstate);
			mpii_req_destroy(r);
		}
	} else if (r->persistent && !r->active) {
		mpii_req_destroy(r);
	} else {
		mpii_req_release(r);
	}
	*request = MPI_REQUEST_NULL;
	mpii_progress();
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Request_free)

int PMPI_Request_get_status(MPI_Request request, int *flag, MPI_Status *status)
{
	static const char fname[] = "MPI_Request_get_status";
	struct mpii_req *r;

	MPII_ENTER(fname);
	if (mpii_req_get(request, &r))
		return mpii_raise(NULL, MPI_ERR_REQUEST, fname);
	if (!flag)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if (inert(r)) {
		*flag = 1;
		mpii_status_null(status);
		return MPI_SUCCESS;
	}
	*flag = test_decided(TESSERA_DEC_STATUS, 1, &r);
	if (*flag && r->kind == MPII_R_GREQ) {
		MPI_Status gs;

		mpii_status_empty(&gs);
		r->gq(r->gstate, &gs);
		mpii_status_give(status, &gs);
	} else if (*flag) {
		mpii_status_give(status, &r->st);
	}
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Request_get_status)

/* Whether a receive is cancelled, a decision (replay.c): it is if nothing matched it yet. A
 * replay cancels it exactly when the recorded run did. */
static void cancel_decided(struct mpii_req *r)
{
	struct mpii_dec d;
	int done;

	mpii_progress();
	if (mpii_dec_begin(TESSERA_DEC_CANCEL, 1, &d)) {
		done = d.value && mpii_cancel_recv(r);
		if (d.value && !done)
			tk_panic("replay diverges at call %u: the recorded run cancelled this "
				 "receive, which has matched a message here", d.point);
	} else {
		done = mpii_cancel_recv(r);
	}
	mpii_dec_end(&d, done);
}

int PMPI_Cancel(MPI_Request *request)
{
	static const char fname[] = "MPI_Cancel";
	struct mpii_req *r;

	MPII_ENTER(fname);
	if (!request || mpii_req_get(*request, &r) || !r)
		return mpii_raise(NULL, MPI_ERR_REQUEST, fname);
	if (r->persistent && !r->active)
		return mpii_raise(req_comm(r), MPI_ERR_REQUEST, fname);
	switch (r->kind) {
	case MPII_R_RECV:
		cancel_decided(r);
		break;
	case MPII_R_GREQ:
		r->gc(r->gstate, r->done);
		break;
	case MPII_R_COLL:
		return mpii_raise(req_comm(r), MPI_ERR_REQUEST, fname);
	default:
		/* A send that has left cannot be recalled: it completes normally and
		 * MPI_Test_cancelled says false, as MPI-3.1 3.8.4 allows. */
		break;
	}
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Cancel)

int PMPI_Grequest_start(MPI_Grequest_query_function *query_fn,
			MPI_Grequest_free_function *free_fn,
			MPI_Grequest_cancel_function *cancel_fn, void *extra_state,
			MPI_Request *request)
{
	static const char fname[] = "MPI_Grequest_start";
	struct mpii_req *r;

	MPII_ENTER(fname);
	if (!query_fn || !free_fn || !cancel_fn || !request)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	r = mpii_req_new(MPII_R_GREQ);
	if (!r)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	r->gq = query_fn;
	r->gf = free_fn;
	r->gc = cancel_fn;
	r->gstate = extra_state;
	r->active = 1;
	*request = r->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Grequest_start)

int PMPI_Grequest_complete(MPI_Request request)
{
	struct mpii_req *r = mpii_handle_get(MPII_K_REQ, request);

	MPII_ENTER("MPI_Grequest_complete");
	if (!r || r->kind != MPII_R_GREQ)
		return mpii_raise(NULL, MPI_ERR_REQUEST, "MPI_Grequest_complete");
	r->done = 1;
	if (r->user_freed) {
		r->gf(r->gstate);
		mpii_req_destroy(r);
	}
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Grequest_complete)
