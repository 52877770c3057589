/* SPDX-License-Identifier: MIT */
/*
 * match.c: MPI message matching: the queue of posted receives, the queue of unexpected
 * messages and the records that hold them. Not the protocol that fills them (engine.c).
 *
 * Contract:
 *  - A message is named by its envelope (context id, source rank in its communicator, tag);
 *    a receive by (context id, source or MPI_ANY_SOURCE, tag or MPI_ANY_TAG). They match
 *    when the context ids are equal and each of source and tag is equal or a wildcard.
 *    The context id is never a wildcard: it keeps communicators (and the collective
 *    context, ctx + 1, of each) apart.
 *  - Both queues are kept in arrival order and searched from the head, so a message goes
 *    to the earliest posted receive it matches, and a receive takes the earliest matching
 *    message. As mpb-channels delivers each source's messages in order, this is MPI's
 *    non-overtaking rule (MPI-3.1 3.5).
 *  - A receive is in the posted queue from mpii_posted_add until it is taken by a message
 *    (mpii_posted_take) or removed (mpii_posted_remove, for MPI_Cancel); a record is in the
 *    unexpected queue from mpii_umsg_add until mpii_umsg_unlink.
 *  - Nothing here blocks, sends or completes a request: callers do that with what they got.
 * Single-threaded, as the whole library.
 */
#include <stdlib.h>
#include "mpii_impl.h"

struct mpii_req *mpii_posted_head, *mpii_posted_tail;
struct mpii_umsg *mpii_unexp_head;
static struct mpii_umsg *unexp_tail;

/* Freed unexpected-message records kept for reuse: a short unexpected message then costs
 * no malloc/free. */
static struct mpii_umsg *umsg_cache[MPII_UMSG_CACHE];
static int numsg_cache;

/* ---- posted receives (adding and taking: inline, mpii_impl.h) ---- */

int mpii_posted_remove(struct mpii_req *r)
{
	if (r != mpii_posted_head && !r->qprev)
		return 0;
	mpii_posted_unlink(r);
	return 1;
}

/* ---- unexpected messages ---- */

struct mpii_umsg *mpii_umsg_new(size_t len)
{
	struct mpii_umsg *m;

	if (numsg_cache) {
		m = umsg_cache[--numsg_cache];
		memset(m, 0, offsetof(struct mpii_umsg, small));
	} else {
		m = calloc(1, sizeof(*m));
	}
	if (!m)
		return NULL;
	m->buf = len <= sizeof(m->small) ? m->small : mpii_malloc(len);
	if (!m->buf) {
		free(m);
		return NULL;
	}
	return m;
}

void mpii_umsg_free(struct mpii_umsg *m)
{
	if (m->handle)
		mpii_handle_free(m->handle);
	if (m->buf != m->small)
		free(m->buf);
	if (numsg_cache < MPII_UMSG_CACHE)
		umsg_cache[numsg_cache++] = m;
	else
		free(m);
}

void mpii_umsg_add(struct mpii_umsg *m)
{
	m->prev = unexp_tail;
	m->next = NULL;
	if (unexp_tail)
		unexp_tail->next = m;
	else
		mpii_unexp_head = m;
	unexp_tail = m;
}

struct mpii_umsg *mpii_umsg_find_queued(int ctx, int src, int tag)
{
	struct mpii_umsg *m;

	for (m = mpii_unexp_head; m; m = m->next)
		if (mpii_matches(ctx, src, tag, m->ctx, m->src, m->tag))
			return m;
	return NULL;
}

void mpii_umsg_unlink(struct mpii_umsg *m)
{
	if (m->prev)
		m->prev->next = m->next;
	else
		mpii_unexp_head = m->next;
	if (m->next)
		m->next->prev = m->prev;
	else
		unexp_tail = m->prev;
	m->next = m->prev = NULL;
}

void mpii_umsg_status(const struct mpii_umsg *m, MPI_Status *st)
{
	st->MPI_SOURCE = m->src;
	st->MPI_TAG = m->tag;
	st->mpii_cancelled = 0;
	st->mpii_count = (MPI_Count)m->len;
}
