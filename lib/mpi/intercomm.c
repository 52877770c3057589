/* SPDX-License-Identifier: MIT */
/*
 * intercomm.c: making intercommunicators and communicators from them: MPI_Intercomm_create,
 * MPI_Intercomm_merge, and the intercommunicator forms of MPI_Comm_split and
 * MPI_Comm_create (their dup is comm_create.c's). An intercommunicator carries an
 * intracommunicator of its local group (lcomm) on a context id of its own, agreed with the
 * intercommunicator's: the local steps of its collectives go there, tagged with the
 * intercommunicator's collective sequence numbers, never with lcomm's own.
 */
#include <stdint.h>
#include <stdlib.h>
#include "mpii_impl.h"

/* Blocking exchange with rank peer of `via` (leaders only): sn bytes out, rn bytes in. */
static int xchg2(struct mpii_comm *via, int peer, int tag, const void *sbuf, size_t sn,
		 void *rbuf, size_t rn)
{
	struct mpii_req *rr, *sr;
	int rc;

	rc = mpii_irecv(rbuf, (MPI_Count)rn, mpii_byte_type(), peer, tag, via, 0, &rr);
	if (rc)
		return rc;
	rc = mpii_isend_light(sbuf, (MPI_Count)sn, mpii_byte_type(), peer, tag, via, 0, &sr);
	if (rc) {
		mpii_wait(rr);
		mpii_req_destroy(rr);
		return rc;
	}
	mpii_wait(sr);
	rc = mpii_wait(rr);
	mpii_req_destroy(sr);
	mpii_req_destroy(rr);
	return rc;
}

static int store_ids(struct mpii_sched *s, struct mpii_agree *a, int err)
{
	int *ids = a->arg, i;

	(void)s;
	for (i = 0; i < a->n; i++)
		ids[i] = a->ids[i];
	return err;
}

/*
 * Agrees on n context ids among the two groups (blocking): local is this group's
 * intracommunicator, s a new schedule on the communicator the call is collective over,
 * leader trades on bridge (rank bpeer, context offset bctxoff, tag btag). key: 0 for the
 * schedule's own.
 */
static int agree(struct mpii_sched *s, struct mpii_comm *local, int leader,
		 struct mpii_comm *bridge, int bpeer, int bctxoff, int btag, uint64_t key, int n,
		 int *ids)
{
	struct mpii_agree *a = mpii_agree_new(s, local, n);
	int rc;

	if (!a) {
		mpii_sched_free(s);
		return MPI_ERR_NO_MEM;
	}
	a->inter = 1;
	a->leader = leader;
	a->bridge = bridge;
	a->bpeer = bpeer;
	a->bctxoff = bctxoff;
	a->btag = btag;
	if (key)
		a->key = key;
	a->done = store_ids;
	a->arg = ids;
	rc = mpii_agree_build(s, a);
	return mpii_sched_finish(s, rc, NULL);
}

/* n ids agreed by both groups of the intercommunicator c. */
static int agree_over(struct mpii_comm *c, int n, int *ids)
{
	struct mpii_sched *s = mpii_sched_new(c);

	if (!s)
		return MPI_ERR_NO_MEM;
	return agree(s, c->lcomm, 0, c, 0, 1, s->tag, 0, n, ids);
}

/*
 * An intercommunicator of local group lg (holding this process) and remote group rg on
 * context ids ids[0] (its own) and ids[1] (its local intracommunicator), with error handler
 * errh. Takes the references to lg and rg and the ids; NULL when out of memory (all given
 * back).
 */
static struct mpii_comm *inter_new(struct mpii_group *lg, struct mpii_group *rg,
				   const int *ids, struct mpii_errh *errh)
{
	struct mpii_comm *n = mpii_comm_new(lg, rg, ids[0]);

	if (!n) {
		mpii_group_unref(lg);
		mpii_group_unref(rg);
		mpii_ctx_release(ids[0]);
		mpii_ctx_release(ids[1]);
		return NULL;
	}
	n->lcomm = mpii_comm_new(mpii_group_ref(lg), NULL, ids[1]);
	if (!n->lcomm) {
		mpii_group_unref(lg);
		mpii_ctx_release(ids[1]);
		mpii_comm_unref(n);
		return NULL;
	}
	mpii_errh_unref(n->errh);
	n->errh = mpii_errh_ref(errh);
	mpii_errh_unref(n->lcomm->errh);
	n->lcomm->errh = mpii_errh_ref(errh);
	return n;
}

int PMPI_Intercomm_create(MPI_Comm local_comm, int local_leader, MPI_Comm peer_comm,
			  int remote_leader, int tag, MPI_Comm *newintercomm)
{
	static const char fname[] = "MPI_Intercomm_create";
	struct mpii_comm *lc, *pc = NULL, *n;
	struct mpii_group *rg = NULL;
	struct mpii_sched *s;
	int rc, nremote = 0, mysize, ids[2] = { -1, -1 };

	MPII_ENTER(fname);
	if (!(lc = mpii_comm_get(local_comm)) || lc->inter)
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (local_leader < 0 || local_leader >= lc->size)
		return mpii_raise(lc, MPI_ERR_RANK, fname);
	if (tag < 0 || tag > MPII_TAG_UB)
		return mpii_raise(lc, MPI_ERR_TAG, fname);
	if (!newintercomm)
		return mpii_raise(lc, MPI_ERR_ARG, fname);
	if (lc->rank == local_leader) {
		if (!(pc = mpii_comm_get(peer_comm)))
			return mpii_raise(lc, MPI_ERR_COMM, fname);
		if (remote_leader < 0 || remote_leader >= mpii_comm_peer_size(pc))
			return mpii_raise(lc, MPI_ERR_RANK, fname);
	}
	/* leaders trade group sizes, then members; each broadcasts in its group */
	mysize = lc->size;
	rc = 0;
	if (lc->rank == local_leader)
		rc = xchg2(pc, remote_leader, tag, &mysize, sizeof(int), &nremote, sizeof(int));
	if (!rc)
		rc = mpii_bcast_raw(lc, &nremote, sizeof(int), local_leader);
	if (!rc && !(rg = mpii_group_new(nremote)))
		rc = MPI_ERR_NO_MEM;
	if (!rc && lc->rank == local_leader)
		rc = xchg2(pc, remote_leader, tag, lc->local->wr, (size_t)lc->size * sizeof(int),
			   rg->wr, (size_t)nremote * sizeof(int));
	if (!rc)
		rc = mpii_bcast_raw(lc, rg->wr, (size_t)nremote * sizeof(int), local_leader);
	if (!rc && !(s = mpii_sched_new(lc)))
		rc = MPI_ERR_NO_MEM;
	/* the two groups have different local communicators: the key must not come from one,
	 * and no process is in two MPI_Intercomm_create at once, so one key serves all */
	if (!rc)
		rc = agree(s, lc, local_leader, pc, remote_leader, 0, tag, UINT64_MAX, 2, ids);
	if (rc) {
		mpii_group_unref(rg);
		return mpii_raise(lc, rc, fname);
	}
	mpii_group_done(rg);
	n = inter_new(mpii_group_ref(lc->local), rg, ids, lc->errh);
	if (!n)
		return mpii_raise(lc, MPI_ERR_NO_MEM, fname);
	rc = mpii_comm_publish(n, newintercomm);
	return rc ? mpii_raise(lc, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Intercomm_create)

/* The leaders trade n ints (mine to theirs) over c; theirs then reaches the whole group. */
static int leaders_trade(struct mpii_comm *c, int *mine, int *theirs, int n)
{
	struct mpii_sched *s = mpii_sched_new(c);
	struct mpii_dtype *it = mpii_dtype_get(MPI_INT);
	int rc = 0;

	if (!s)
		return MPI_ERR_NO_MEM;
	if (c->rank == 0) {
		rc = mpii_sched_send(s, mine, n, it, 0);
		if (!rc)
			rc = mpii_sched_recv(s, theirs, n, it, 0);
		if (!rc)
			rc = mpii_sched_round(s);
	}
	if (!rc) {
		mpii_sched_use(s, c->lcomm);
		rc = mpii_build_bcast(s, theirs, n, it, 0);
		mpii_sched_use(s, c);
	}
	return mpii_sched_finish(s, rc, NULL);
}

int PMPI_Intercomm_merge(MPI_Comm intercomm, int high, MPI_Comm *newintracomm)
{
	static const char fname[] = "MPI_Intercomm_merge";
	struct mpii_comm *c, *n;
	struct mpii_group *g;
	int rc, mine[2], theirs[2] = { 0, 0 }, first, ids[1], i, k;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(intercomm)) || !c->inter)
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (!newintracomm)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	mine[0] = high != 0;
	mine[1] = c->local->wr[0];
	rc = leaders_trade(c, mine, theirs, 2);
	if (rc)
		return mpii_raise(c, rc, fname);
	/* the low group goes first; on a tie, the group with the lower leader */
	first = mine[0] != theirs[0] ? !mine[0] : mine[1] < theirs[1];
	g = mpii_group_new(c->size + c->remote->size);
	if (!g)
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	k = 0;
	for (i = 0; first && i < c->size; i++)
		g->wr[k++] = c->local->wr[i];
	for (i = 0; i < c->remote->size; i++)
		g->wr[k++] = c->remote->wr[i];
	for (i = 0; !first && i < c->size; i++)
		g->wr[k++] = c->local->wr[i];
	mpii_group_done(g);
	rc = agree_over(c, 1, ids);
	if (rc) {
		mpii_group_unref(g);
		return mpii_raise(c, rc, fname);
	}
	n = mpii_comm_new(g, NULL, ids[0]);
	if (!n) {
		mpii_ctx_release(ids[0]);
		mpii_group_unref(g);
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	}
	mpii_errh_unref(n->errh);
	n->errh = mpii_errh_ref(c->errh);
	rc = mpii_comm_publish(n, newintracomm);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Intercomm_merge)

/* Both groups' n ints per member (local into lall, remote into rall), then ids agreed. */
static int gather_and_agree(struct mpii_comm *c, const int *mine, int n, int **lall,
			    int **rall, int *ids)
{
	int rc;

	*lall = malloc((size_t)c->size * (size_t)n * sizeof(int));
	*rall = malloc((size_t)(c->remote->size ? c->remote->size : 1) * (size_t)n * sizeof(int));
	rc = *lall && *rall ? mpii_inter_allgather_int(c, mine, n, *lall, *rall) : MPI_ERR_NO_MEM;
	if (!rc)
		rc = agree_over(c, 2, ids);
	if (rc) {
		free(*lall);
		free(*rall);
	}
	return rc;
}

/* A new intercommunicator of lg and rg (either may be NULL or empty: then none). */
static int finish(struct mpii_comm *c, struct mpii_group *lg, struct mpii_group *rg,
		  const int *ids, struct mpii_comm **out)
{
	*out = NULL;
	if (!lg || !rg || lg->size == 0 || rg->size == 0 || lg->rank == MPI_UNDEFINED) {
		mpii_group_unref(lg);
		mpii_group_unref(rg);
		mpii_ctx_release(ids[0]);
		mpii_ctx_release(ids[1]);
		return MPI_SUCCESS;
	}
	*out = inter_new(lg, rg, ids, c->errh);
	return *out ? MPI_SUCCESS : MPI_ERR_NO_MEM;
}

/*
 * MPI_Comm_split of an intercommunicator (MPI-3.1 6.4.2): the local group of the result
 * is this group's members of the caller's color, the remote group the other group's;
 * MPI_COMM_NULL when the color is MPI_UNDEFINED or the other group has none of it. One pair
 * of context ids serves every color (the new intercommunicators are disjoint).
 */
int mpii_inter_split(struct mpii_comm *c, int color, int key, struct mpii_comm **out)
{
	int me[2] = { color, key }, *lall, *rall, ids[2], rc;
	struct mpii_group *lg = NULL, *rg = NULL;

	*out = NULL;
	rc = gather_and_agree(c, me, 2, &lall, &rall, ids);
	if (rc)
		return rc;
	if (color != MPI_UNDEFINED) {
		lg = mpii_group_of_color(lall, c->local, color);
		rg = mpii_group_of_color(rall, c->remote, color);
		if (!lg || !rg)
			rc = MPI_ERR_NO_MEM;
	}
	free(lall);
	free(rall);
	if (rc) {
		mpii_group_unref(lg);
		mpii_group_unref(rg);
		mpii_ctx_release(ids[0]);
		mpii_ctx_release(ids[1]);
		return rc;
	}
	return finish(c, lg, rg, ids, out);
}

/*
 * MPI_Comm_create of an intercommunicator: g is a subset of the local group (the same on
 * every member of it); the remote group of the result is what the other group's members
 * passed, in its order. Each member tells its rank in its group's g.
 */
int mpii_inter_create(struct mpii_comm *c, struct mpii_group *g, struct mpii_comm **out)
{
	int me = g->rank, *lall, *rall, ids[2], rc, i, nr = 0;
	struct mpii_group *rg;

	*out = NULL;
	rc = gather_and_agree(c, &me, 1, &lall, &rall, ids);
	if (rc)
		return rc;
	for (i = 0; i < c->remote->size; i++)
		nr += rall[i] != MPI_UNDEFINED;
	rg = mpii_group_new(nr);
	for (i = 0; rg && i < c->remote->size; i++)
		if (rall[i] != MPI_UNDEFINED && rall[i] >= 0 && rall[i] < nr)
			rg->wr[rall[i]] = c->remote->wr[i];
	if (rg)
		mpii_group_done(rg);
	free(lall);
	free(rall);
	if (!rg) {
		mpii_ctx_release(ids[0]);
		mpii_ctx_release(ids[1]);
		return MPI_ERR_NO_MEM;
	}
	return finish(c, mpii_group_ref(g), rg, ids, out);
}
