/* SPDX-License-Identifier: MIT */
/*
 * comm_create.c: making communicators from communicators: dup (blocking and not, of intra-
 * and intercommunicators), split, split_type, create and create_group (of intercommunicators:
 * intercomm.c). Each new communicator gets a context id that every member agreed on
 * (ctx_agree.c).
 */
#include <stdlib.h>
#include "mpii_impl.h"

/* A dup waiting for its context ids. */
struct dupping {
	struct mpii_comm *n;		/* the new communicator, without a context yet */
	MPI_Comm *out;			/* where its handle goes; NULL: into *result */
	struct mpii_comm **result;
};

/* The ids are agreed (or not): the new communicator is complete (or dropped). */
static int dup_done(struct mpii_sched *s, struct mpii_agree *a, int err)
{
	struct dupping *d = a->arg;
	struct mpii_comm *n = d->n;

	(void)s;
	if (!err && n->inter) {
		/* an intercommunicator's own intracommunicator for its local group */
		n->lcomm = mpii_comm_new(mpii_group_ref(n->local), NULL, a->ids[1]);
		if (n->lcomm) {
			mpii_errh_unref(n->lcomm->errh);
			n->lcomm->errh = mpii_errh_ref(n->errh);
		} else {
			mpii_ctx_release(a->ids[1]);
			mpii_ctx_release(a->ids[0]);
			err = MPI_ERR_NO_MEM;
		}
	}
	if (err) {
		mpii_attr_delete_all(MPII_AK_COMM, 0, &n->attrs);
		mpii_comm_unref(n);
		return err;
	}
	n->ctx = (uint16_t)a->ids[0];
	n->borrowed = 0;
	if (d->out)
		return mpii_comm_publish(n, d->out);
	*d->result = n;
	return MPI_SUCCESS;
}

/*
 * A schedule on c that agrees on the context ids of n, a copy of c's membership made by
 * the caller (it becomes the schedule's: dropped if the agreement fails). The new
 * communicator is published into *out when the schedule completes, or given to *result.
 */
static int dup_sched(struct mpii_comm *c, struct mpii_comm *n, MPI_Comm *out,
		     struct mpii_comm **result, struct mpii_sched **sp)
{
	struct mpii_sched *s = mpii_sched_new(c);
	struct dupping *d = s ? mpii_sched_tmp(s, sizeof(*d)) : NULL;
	struct mpii_agree *a = d ? mpii_agree_new(s, c->inter ? c->lcomm : c, c->inter ? 2 : 1)
				 : NULL;
	int rc;

	if (!a) {
		if (s)
			mpii_sched_free(s);
		mpii_attr_delete_all(MPII_AK_COMM, 0, &n->attrs);
		mpii_comm_unref(n);
		return MPI_ERR_NO_MEM;
	}
	d->n = n;
	d->out = out;
	d->result = result;
	if (c->inter) {
		a->inter = 1;
		a->bridge = c;
		a->bctxoff = 1;
		a->btag = s->tag;
	}
	a->done = dup_done;
	a->arg = d;
	rc = mpii_agree_build(s, a);
	if (rc) {
		mpii_sched_free(s);
		mpii_attr_delete_all(MPII_AK_COMM, 0, &n->attrs);
		mpii_comm_unref(n);
		return rc;
	}
	*sp = s;
	return MPI_SUCCESS;
}

/* A communicator with c's groups and error handler, no context id yet. */
static struct mpii_comm *copy_of(struct mpii_comm *c)
{
	struct mpii_comm *n = mpii_comm_new(mpii_group_ref(c->local),
					    c->remote ? mpii_group_ref(c->remote) : NULL, 0);

	if (!n) {
		mpii_group_unref(c->local);
		mpii_group_unref(c->remote);
		return NULL;
	}
	n->borrowed = 1;	/* context 0 is not ours to release */
	mpii_errh_unref(n->errh);
	n->errh = mpii_errh_ref(c->errh);
	return n;
}

int mpii_comm_dup_plain(struct mpii_comm *c, struct mpii_comm **out)
{
	struct mpii_comm *n = copy_of(c);
	struct mpii_sched *s;
	int rc;

	if (!n)
		return MPI_ERR_NO_MEM;
	rc = dup_sched(c, n, NULL, out, &s);
	return rc ? rc : mpii_sched_run(s, NULL);
}

int mpii_comm_from_group(struct mpii_comm *c, struct mpii_group *g, struct mpii_comm **out)
{
	int ctx, rc;

	*out = NULL;
	rc = mpii_ctx_alloc(c, &ctx);
	if (rc)
		return rc;
	if (g->rank == MPI_UNDEFINED) {
		mpii_ctx_release(ctx);
		return MPI_SUCCESS;
	}
	*out = mpii_comm_new(mpii_group_ref(g), NULL, ctx);
	if (!*out) {
		mpii_group_unref(g);
		mpii_ctx_release(ctx);
		return MPI_ERR_NO_MEM;
	}
	mpii_errh_unref((*out)->errh);
	(*out)->errh = mpii_errh_ref(c->errh);
	return MPI_SUCCESS;
}

/*
 * Full dup of c into *newcomm: membership, attributes (their copy callbacks run now, in
 * the call), topology, info hints (info, or c's when NULL). Blocking with req NULL; else a
 * non-blocking schedule whose completion publishes the handle.
 */
static int dup(struct mpii_comm *c, const struct mpii_info *info, MPI_Comm *newcomm,
	       MPI_Request *req)
{
	struct mpii_comm *n = copy_of(c);
	struct mpii_sched *s;
	int rc;

	if (!n)
		return MPI_ERR_NO_MEM;
	rc = mpii_attr_copy_all(MPII_AK_COMM, c->handle, c->attrs, &n->attrs);
	if (!rc && c->topo && !(n->topo = mpii_topo_dup(c->topo)))
		rc = MPI_ERR_NO_MEM;
	if (!rc && (info || c->info) &&
	    !(n->info = info ? mpii_comm_hints(info) : mpii_info_copy(c->info)))
		rc = MPI_ERR_NO_MEM;
	if (rc) {
		/* a failed copy callback leaves the caller MPI_COMM_NULL (as MPICH and Open MPI) */
		mpii_attr_delete_all(MPII_AK_COMM, 0, &n->attrs);
		mpii_comm_unref(n);
		*newcomm = MPI_COMM_NULL;
		return rc;
	}
	rc = dup_sched(c, n, newcomm, NULL, &s);
	if (rc)
		return rc;
	s->name = req ? "MPI_Comm_idup" : "MPI_Comm_dup";
	return mpii_sched_run(s, req);
}

int PMPI_Comm_dup(MPI_Comm comm, MPI_Comm *newcomm)
{
	static const char fname[] = "MPI_Comm_dup";
	struct mpii_comm *c;
	int rc;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (!newcomm)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	rc = dup(c, NULL, newcomm, NULL);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_dup)

int PMPI_Comm_dup_with_info(MPI_Comm comm, MPI_Info info, MPI_Comm *newcomm)
{
	static const char fname[] = "MPI_Comm_dup_with_info";
	struct mpii_info no_hints = { 0 };
	struct mpii_comm *c;
	struct mpii_info *in;
	int rc;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	/* MPI_INFO_NULL: a dup without hints (as MPI-4.0 says; MPI-3.1 is silent) */
	in = info == MPI_INFO_NULL ? NULL : mpii_handle_get(MPII_K_INFO, info);
	if (info != MPI_INFO_NULL && !in)
		return mpii_raise(c, MPI_ERR_INFO, fname);
	if (!newcomm)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	rc = dup(c, in ? in : &no_hints, newcomm, NULL);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_dup_with_info)

/*
 * MPI_Comm_idup: the context-id agreement runs as a non-blocking schedule like any
 * non-blocking collective, so the call returns at once and communication on comm may go
 * on meanwhile; *newcomm is written when the request completes (MPI-3.1 6.4.2).
 */
int PMPI_Comm_idup(MPI_Comm comm, MPI_Comm *newcomm, MPI_Request *request)
{
	static const char fname[] = "MPI_Comm_idup";
	struct mpii_comm *c;
	int rc;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (!newcomm || !request)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	rc = dup(c, NULL, newcomm, request);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_idup)

/* Orders (key, old rank) pairs of one color. */
static int cmp_pair(const void *a, const void *b)
{
	const int *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

struct mpii_group *mpii_group_of_color(const int *ck, const struct mpii_group *from, int color)
{
	int *mine = malloc((size_t)(from->size ? from->size : 1) * 2 * sizeof(int)), i, n = 0;
	struct mpii_group *g = NULL;

	if (!mine)
		return NULL;
	for (i = 0; i < from->size; i++)
		if (ck[2 * i] == color) {
			mine[2 * n] = ck[2 * i + 1];
			mine[2 * n + 1] = i;
			n++;
		}
	qsort(mine, (size_t)n, 2 * sizeof(int), cmp_pair);
	g = mpii_group_new(n);
	if (g) {
		for (i = 0; i < n; i++)
			g->wr[i] = from->wr[mine[2 * i + 1]];
		mpii_group_done(g);
	}
	free(mine);
	return g;
}

/* The split everybody computes from everybody's (color, key). */
static int split(struct mpii_comm *c, int color, int key, struct mpii_comm **out)
{
	int *all, rc, ctx;
	struct mpii_group *g;
	int me[2] = { color, key };

	*out = NULL;
	all = malloc((size_t)c->size * 2 * sizeof(int));
	if (!all)
		return MPI_ERR_NO_MEM;
	rc = mpii_allgather_int(c, me, 2, all);
	/* one context id serves every color: the new groups are disjoint */
	if (!rc)
		rc = mpii_ctx_alloc(c, &ctx);
	if (rc || color == MPI_UNDEFINED) {
		if (!rc)
			mpii_ctx_release(ctx);
		free(all);
		return rc;
	}
	g = mpii_group_of_color(all, c->local, color);
	free(all);
	*out = g ? mpii_comm_new(g, NULL, ctx) : NULL;
	if (!*out) {
		mpii_group_unref(g);
		mpii_ctx_release(ctx);
		return MPI_ERR_NO_MEM;
	}
	mpii_errh_unref((*out)->errh);
	(*out)->errh = mpii_errh_ref(c->errh);
	return MPI_SUCCESS;
}

int PMPI_Comm_split(MPI_Comm comm, int color, int key, MPI_Comm *newcomm)
{
	static const char fname[] = "MPI_Comm_split";
	struct mpii_comm *c, *n;
	int rc;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (!newcomm)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	if (color < 0 && color != MPI_UNDEFINED)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	rc = c->inter ? mpii_inter_split(c, color, key, &n) : split(c, color, key, &n);
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!n) {
		*newcomm = MPI_COMM_NULL;
		return MPI_SUCCESS;
	}
	rc = mpii_comm_publish(n, newcomm);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_split)

int PMPI_Comm_split_type(MPI_Comm comm, int split_type, int key, MPI_Info info,
			 MPI_Comm *newcomm)
{
	static const char fname[] = "MPI_Comm_split_type";
	struct mpii_comm *c;

	MPII_ENTER(fname);
	(void)info;
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (split_type != MPI_COMM_TYPE_SHARED && split_type != MPI_UNDEFINED)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	/* Every core of a board reaches the same shared DRAM: one shared-memory domain (one per
	 * host of a board spread over several). */
	return PMPI_Comm_split(comm, split_type == MPI_UNDEFINED ? MPI_UNDEFINED :
			       mpii_shm_domain(mpii_world_rank()), key, newcomm);
}
MPII_ALIAS(MPI_Comm_split_type)

/* Is every member of g a member of c's group? */
static int subset(const struct mpii_group *g, const struct mpii_comm *c)
{
	int i;

	for (i = 0; i < g->size; i++)
		if (mpii_group_rank_of(c->local, g->wr[i]) == MPI_UNDEFINED)
			return 0;
	return 1;
}

int PMPI_Comm_create(MPI_Comm comm, MPI_Group group, MPI_Comm *newcomm)
{
	static const char fname[] = "MPI_Comm_create";
	struct mpii_comm *c, *n;
	struct mpii_group *g;
	int rc;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (!(g = mpii_handle_get(MPII_K_GROUP, group)))
		return mpii_raise(c, MPI_ERR_GROUP, fname);
	if (!newcomm)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	if (!subset(g, c))
		return mpii_raise(c, MPI_ERR_GROUP, fname);
	rc = c->inter ? mpii_inter_create(c, g, &n) : mpii_comm_from_group(c, g, &n);
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!n) {
		*newcomm = MPI_COMM_NULL;
		return MPI_SUCCESS;
	}
	rc = mpii_comm_publish(n, newcomm);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_create)

/*
 * MPI_Comm_create_group: only the members of group take part. They agree on a context id
 * through a temporary communicator over the group that borrows comm's context and tags its
 * collective messages with the user's tag (kept apart from comm's own collectives, whose
 * tags are non-negative sequence numbers). Of an intercommunicator, as Open MPI does: the
 * group is a subset of the local group and the result an intracommunicator over it (the
 * temporary communicator borrows the local group's context).
 */
int PMPI_Comm_create_group(MPI_Comm comm, MPI_Group group, int tag, MPI_Comm *newcomm)
{
	static const char fname[] = "MPI_Comm_create_group";
	struct mpii_comm *c, *tmp, *n;
	struct mpii_group *g;
	int rc, ctx;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (!(g = mpii_handle_get(MPII_K_GROUP, group)))
		return mpii_raise(c, MPI_ERR_GROUP, fname);
	if (tag < 0 || tag > MPII_TAG_UB)
		return mpii_raise(c, MPI_ERR_TAG, fname);
	if (!newcomm)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	if (!subset(g, c))
		return mpii_raise(c, MPI_ERR_GROUP, fname);
	if (g->rank == MPI_UNDEFINED) {
		*newcomm = MPI_COMM_NULL;
		return MPI_SUCCESS;
	}
	tmp = mpii_comm_new(mpii_group_ref(g), NULL, c->inter ? c->lcomm->ctx : c->ctx);
	if (!tmp)
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	tmp->borrowed = 1;
	tmp->fixed_tag = -2 - tag;
	rc = mpii_ctx_alloc(tmp, &ctx);
	mpii_comm_unref(tmp);
	if (rc)
		return mpii_raise(c, rc, fname);
	n = mpii_comm_new(mpii_group_ref(g), NULL, ctx);
	if (!n) {
		mpii_ctx_release(ctx);
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	}
	mpii_errh_unref(n->errh);
	n->errh = mpii_errh_ref(c->errh);
	rc = mpii_comm_publish(n, newcomm);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_create_group)
