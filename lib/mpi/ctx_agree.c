/* SPDX-License-Identifier: MIT */
/*
 * ctx_agree.c: agreeing on context ids for a new communicator, as steps of a collective
 * schedule, so that MPI_Comm_idup is truly non-blocking and a blocking MPI_Comm_dup is the
 * same schedule run to its end.
 *
 * A round: every member contributes its mask of free ids, the masks are ANDed over the
 * group (and, for an intercommunicator, traded by the two leaders and ANDed again), and the
 * lowest free ids of the result are taken. Agreements of several communicators can be in
 * flight in one process (idups overlapped with each other, a dup while an idup is pending);
 * two of them must never take the same id here, so a process lends a part of its mask to
 * one agreement at a time and gives zeros to the others. This is MPICH's scheme:
 *  - the first round of an agreement uses a small eager part of the mask (EAGER_WORDS),
 *    lent to whichever agreement asks first. Most agreements end there.
 *  - later rounds use the rest, lent only to the agreement of lowest key among those here
 *    that are past their first round. A flag word tells whether every member could lend;
 *    if all did and no id is free in all, the ids have run out.
 * A later round starts only when the first one has completed, that is when every member has
 * called the function: a lender never waits for a member that has not arrived, so a
 * blocking agreement can always finish while idups wait for their stragglers (MPICH's
 * comm_create_group_idup case). Keys, (parent context id, tag of the schedule), are equal on
 * every member and differ between concurrent agreements, so the agreement of lowest key
 * anywhere gets the mask on all of its members in its next round: no livelock.
 */
#include <stdlib.h>
#include "mpii_impl.h"

#define W (MPII_CTX_PAIRS / 32)
#define EAGER_WORDS 2		/* 64 context-id pairs for first rounds */

static struct mpii_agree *pending;	/* agreements past their first round, lowest key first */
static struct mpii_agree *eager_holder;	/* who has the eager part of the mask */
static struct mpii_agree *holder;	/* who has the rest */

static void link_pending(struct mpii_agree *a)
{
	struct mpii_agree **pp = &pending;

	while (*pp && (*pp)->key <= a->key)
		pp = &(*pp)->next;
	a->next = *pp;
	*pp = a;
	a->linked = 1;
}

static void unlink_pending(struct mpii_agree *a)
{
	struct mpii_agree **pp = &pending;

	if (holder == a)
		holder = NULL;
	if (eager_holder == a)
		eager_holder = NULL;
	if (!a->linked)
		return;
	while (*pp != a)
		pp = &(*pp)->next;
	*pp = a->next;
	a->linked = 0;
}

/* The agreement is over: hand the result (or err) to its owner. */
static int finish(struct mpii_sched *s, struct mpii_agree *a, int err)
{
	int i;

	unlink_pending(a);
	if (err)
		for (i = 0; i < a->n; i++)
			a->ids[i] = -1;
	return a->done ? a->done(s, a, err) : err;
}

/* The first n free ids of the ANDed mask; 0, or -1 when there are fewer. */
static int pick(struct mpii_agree *a)
{
	int k = 0, i, b;

	for (i = 0; i < W && k < a->n; i++)
		for (b = 0; b < 32 && k < a->n; b++)
			if (a->mask[i] & (1u << b))
				a->ids[k++] = 2 * (32 * i + b);
	return k == a->n ? 0 : -1;
}

static int contribute(struct mpii_sched *s, void *arg);

/* After the masks met: take the ids, or go round again. */
static int decide(struct mpii_sched *s, void *arg)
{
	struct mpii_agree *a = arg;
	int i, rc, all_lent = a->round > 0 && a->mask[W];

	if (holder == a)
		holder = NULL;
	if (eager_holder == a)
		eager_holder = NULL;
	if (s->err)
		return finish(s, a, s->err);
	if (!pick(a)) {
		for (i = 0; i < a->n; i++)
			mpii_ctx_mark(a->ids[i]);
		return finish(s, a, MPI_SUCCESS);
	}
	if (all_lent)
		return finish(s, a, MPI_ERR_INTERN);	/* every context id in use */
	if (!a->linked)
		link_pending(a);
	a->round++;
	rc = mpii_sched_call(s, contribute, a);
	if (!rc)
		rc = mpii_sched_round(s);
	return rc ? finish(s, a, rc) : MPI_SUCCESS;
}

/* The leader's step between the groups: the other group's result joins ours. */
static int meet(struct mpii_sched *s, void *arg)
{
	struct mpii_agree *a = arg;
	int i;

	(void)s;
	for (i = 0; i <= W; i++)
		a->mask[i] &= a->other[i];
	return MPI_SUCCESS;
}

static int contribute(struct mpii_sched *s, void *arg)
{
	struct mpii_agree *a = arg;
	struct mpii_dtype *it = mpii_dtype_get(MPI_INT);
	struct mpii_comm *prev;
	int rc;

	memset(a->mask, 0, sizeof(a->mask));
	if (a->round == 0 && !eager_holder) {
		eager_holder = a;
		memset(a->mask, 0xff, EAGER_WORDS * sizeof(uint32_t));
	} else if (a->round > 0 && !holder && pending == a) {
		holder = a;
		memset(a->mask + EAGER_WORDS, 0xff, (W - EAGER_WORDS) * sizeof(uint32_t));
		a->mask[W] = 1;
	}
	mpii_ctx_mask_and(a->mask);
	prev = mpii_sched_use(s, a->local);
	rc = mpii_build_allreduce(s, MPI_IN_PLACE, a->mask, W + 1, it,
				  mpii_handle_get(MPII_K_OP, MPI_BAND));
	if (!rc && a->inter) {
		rc = mpii_sched_round(s);
		if (!rc && a->local->rank == a->leader) {
			rc = mpii_sched_xfer(s, 0, a->bridge, a->bctxoff, a->btag, a->mask, W + 1,
					     it, a->bpeer);
			if (!rc)
				rc = mpii_sched_xfer(s, 1, a->bridge, a->bctxoff, a->btag, a->other,
						     W + 1, it, a->bpeer);
			if (!rc)
				rc = mpii_sched_round(s);
			if (!rc)
				rc = mpii_sched_call(s, meet, a);
			if (!rc)
				rc = mpii_sched_round(s);
		}
		if (!rc)
			rc = mpii_build_bcast(s, a->mask, W + 1, it, a->leader);
	}
	mpii_sched_use(s, prev);
	if (!rc)
		rc = mpii_sched_round(s);
	if (!rc)
		rc = mpii_sched_call(s, decide, a);
	if (!rc)
		rc = mpii_sched_round(s);
	return rc ? finish(s, a, rc) : MPI_SUCCESS;
}

struct mpii_agree *mpii_agree_new(struct mpii_sched *s, struct mpii_comm *local, int n)
{
	struct mpii_agree *a = mpii_sched_tmp(s, sizeof(*a));

	if (!a)
		return NULL;
	memset(a, 0, sizeof(*a));
	a->local = local;
	a->n = n;
	a->ids[0] = a->ids[1] = -1;
	a->key = (uint64_t)s->comm->ctx << 32 | (uint32_t)s->tag;
	/* traces call the schedule the context agreement of the MPI call it runs in */
	mpii_sched_mine(s, s->name ? s->name : "MPI_Allreduce", TESSERA_STEP_CONTEXT);
	return a;
}

int mpii_agree_build(struct mpii_sched *s, struct mpii_agree *a)
{
	int rc = mpii_sched_round(s);

	if (!rc)
		rc = mpii_sched_call(s, contribute, a);
	return rc ? rc : mpii_sched_round(s);
}

/* The blocking agreement's result goes to the caller's variable (a dies with the schedule). */
static int store_id(struct mpii_sched *s, struct mpii_agree *a, int err)
{
	(void)s;
	*(int *)a->arg = a->ids[0];
	return err;
}

int mpii_ctx_alloc(struct mpii_comm *c, int *ctx)
{
	struct mpii_sched *s = mpii_sched_new(c);
	struct mpii_agree *a;
	int rc;

	if (!s)
		return MPI_ERR_NO_MEM;
	a = mpii_agree_new(s, c, 1);
	if (a) {
		a->done = store_id;
		a->arg = ctx;
	}
	rc = a ? mpii_agree_build(s, a) : MPI_ERR_NO_MEM;
	return mpii_sched_finish(s, rc, NULL);
}
