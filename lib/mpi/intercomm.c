/* SPDX-License-Identifier: MIT */
/*
 * intercomm.c: intercommunicators: MPI_Intercomm_create and MPI_Intercomm_merge. The two
 * leaders trade what their groups need (members, free context ids) and each broadcasts the
 * answer in its own group. Point to point works on intercommunicators; collectives on them
 * are not provided (MPI_ERR_UNSUPPORTED_OPERATION).
 */
#include <stdlib.h>
#include "mpii_impl.h"

#define MASK_WORDS (MPII_CTX_PAIRS / 32)

/* Blocking exchange with rank peer of `via` (leaders only): sn bytes out, rn bytes in. */
static int xchg2(struct mpii_comm *via, int ctxoff, int peer, int tag, const void *sbuf,
		 size_t sn, void *rbuf, size_t rn)
{
	struct mpii_req *rr, *sr;
	int rc;

	rc = mpii_irecv(rbuf, (MPI_Count)rn, mpii_byte_type(), peer, tag, via, ctxoff, &rr);
	if (rc)
		return rc;
	rc = mpii_isend(sbuf, (MPI_Count)sn, mpii_byte_type(), peer, tag, via, ctxoff,
			MPII_SEND_STD, &sr);
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

static int xchg(struct mpii_comm *via, int ctxoff, int peer, int tag, const void *sbuf,
		void *rbuf, size_t n)
{
	return xchg2(via, ctxoff, peer, tag, sbuf, n, rbuf, n);
}

/*
 * Agrees on a context id free in both groups: the AND of the local masks, traded by the
 * leaders, broadcast in each group.
 */
static int inter_ctx(struct mpii_comm *local, int leader, struct mpii_comm *via, int ctxoff,
		     int peer, int tag, int *ctx)
{
	uint32_t mine[MASK_WORDS], theirs[MASK_WORDS];
	int rc, i;

	for (i = 0; i < MASK_WORDS; i++)
		mine[i] = ~0u;
	mpii_ctx_mask_and(mine);
	rc = mpii_allreduce_int(local, (int *)mine, MASK_WORDS, MPI_BAND);
	if (!rc && local->rank == leader) {
		rc = xchg(via, ctxoff, peer, tag, mine, theirs, sizeof(mine));
		for (i = 0; i < MASK_WORDS; i++)
			mine[i] &= theirs[i];
	}
	if (!rc)
		rc = mpii_bcast_raw(local, mine, sizeof(mine), leader);
	if (rc)
		return rc;
	*ctx = mpii_ctx_mask_and(mine);
	if (*ctx < 0)
		return MPI_ERR_INTERN;
	mpii_ctx_mark(*ctx);
	return MPI_SUCCESS;
}

int PMPI_Intercomm_create(MPI_Comm local_comm, int local_leader, MPI_Comm peer_comm,
			  int remote_leader, int tag, MPI_Comm *newintercomm)
{
	static const char fname[] = "MPI_Intercomm_create";
	struct mpii_comm *lc, *pc = NULL, *n = NULL, *lcomm = NULL;
	struct mpii_group *rg = NULL;
	int rc, nremote = 0, ctx = -1, mysize;

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
		rc = xchg(pc, 0, remote_leader, tag, &mysize, &nremote, sizeof(int));
	if (!rc)
		rc = mpii_bcast_raw(lc, &nremote, sizeof(int), local_leader);
	if (!rc && !(rg = mpii_group_new(nremote)))
		rc = MPI_ERR_NO_MEM;
	if (!rc && lc->rank == local_leader)
		rc = xchg2(pc, 0, remote_leader, tag, lc->local->wr,
			   (size_t)lc->size * sizeof(int), rg->wr, (size_t)nremote * sizeof(int));
	if (!rc)
		rc = mpii_bcast_raw(lc, rg->wr, (size_t)nremote * sizeof(int), local_leader);
	if (!rc)
		rc = inter_ctx(lc, local_leader, pc, 0, remote_leader, tag, &ctx);
	if (!rc)
		rc = mpii_comm_dup_plain(lc, &lcomm);
	if (rc)
		goto fail;
	rg->rank = MPI_UNDEFINED;
	n = mpii_comm_new(mpii_group_ref(lc->local), rg, ctx);
	if (!n) {
		rc = MPI_ERR_NO_MEM;
		goto fail;
	}
	n->lcomm = lcomm;
	mpii_errh_unref(n->errh);
	n->errh = mpii_errh_ref(lc->errh);
	rc = mpii_comm_publish(n, newintercomm);
	return rc ? mpii_raise(lc, rc, fname) : MPI_SUCCESS;
fail:
	if (ctx >= 0)
		mpii_ctx_release(ctx);
	mpii_comm_unref(lcomm);
	mpii_group_unref(rg);
	return mpii_raise(lc, rc, fname);
}
MPII_ALIAS(MPI_Intercomm_create)

int PMPI_Intercomm_merge(MPI_Comm intercomm, int high, MPI_Comm *newintracomm)
{
	static const char fname[] = "MPI_Intercomm_merge";
	struct mpii_comm *c, *n;
	struct mpii_group *g;
	int rc, tag, mine[2], theirs[2] = { 0, 0 }, first, ctx, i, k;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(intercomm)) || !c->inter)
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (!newintracomm)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	/* messages between the leaders go on the intercomm's collective context */
	tag = (int)(c->coll_seq++ & 0x3fffffff);
	mine[0] = high != 0;
	mine[1] = c->local->wr[0];
	rc = 0;
	if (c->rank == 0)
		rc = xchg(c, 1, 0, tag, mine, theirs, sizeof(mine));
	if (!rc)
		rc = mpii_bcast_raw(c->lcomm, theirs, sizeof(theirs), 0);
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
	tag = (int)(c->coll_seq++ & 0x3fffffff);
	rc = inter_ctx(c->lcomm, 0, c, 1, 0, tag, &ctx);
	if (rc) {
		mpii_group_unref(g);
		return mpii_raise(c, rc, fname);
	}
	n = mpii_comm_new(g, NULL, ctx);
	if (!n) {
		mpii_ctx_release(ctx);
		mpii_group_unref(g);
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	}
	mpii_errh_unref(n->errh);
	n->errh = mpii_errh_ref(c->errh);
	rc = mpii_comm_publish(n, newintracomm);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Intercomm_merge)
