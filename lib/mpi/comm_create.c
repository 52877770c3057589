/* SPDX-License-Identifier: MIT */
/*
 * comm_create.c: making intracommunicators: dup (blocking and not), split, split_type,
 * create and create_group. Each new communicator gets a context id that every member
 * agreed on (mpii_ctx_alloc: an allreduce of the free-id masks).
 */
#include <stdlib.h>
#include "mpii_impl.h"

int mpii_comm_dup_plain(struct mpii_comm *c, struct mpii_comm **out)
{
	struct mpii_comm *n;
	int ctx, rc;

	rc = mpii_ctx_alloc(c, 0, &ctx);
	if (rc)
		return rc;
	n = mpii_comm_new(mpii_group_ref(c->local), c->remote ? mpii_group_ref(c->remote) : NULL,
			  ctx);
	if (!n) {
		mpii_ctx_release(ctx);
		return MPI_ERR_NO_MEM;
	}
	if (c->lcomm)
		n->lcomm = mpii_comm_ref(c->lcomm);
	mpii_errh_unref(n->errh);
	n->errh = mpii_errh_ref(c->errh);
	*out = n;
	return MPI_SUCCESS;
}

int mpii_comm_from_group(struct mpii_comm *c, struct mpii_group *g, struct mpii_comm **out)
{
	int ctx, rc;

	*out = NULL;
	rc = mpii_ctx_alloc(c, 0, &ctx);
	if (rc)
		return rc;
	if (g->rank == MPI_UNDEFINED) {
		mpii_ctx_release(ctx);
		return MPI_SUCCESS;
	}
	*out = mpii_comm_new(mpii_group_ref(g), NULL, ctx);
	if (!*out) {
		mpii_ctx_release(ctx);
		return MPI_ERR_NO_MEM;
	}
	mpii_errh_unref((*out)->errh);
	(*out)->errh = mpii_errh_ref(c->errh);
	return MPI_SUCCESS;
}

/* Full dup: membership, attributes (through their copy callbacks), topology, info. */
static int dup(struct mpii_comm *c, struct mpii_info *info, struct mpii_comm **out)
{
	struct mpii_comm *n;
	int rc;

	if (c->inter)
		return MPI_ERR_UNSUPPORTED_OPERATION;
	rc = mpii_comm_dup_plain(c, &n);
	if (rc)
		return rc;
	rc = mpii_attr_copy_all(MPII_AK_COMM, c->handle, c->attrs, &n->attrs);
	if (!rc && c->topo && !(n->topo = mpii_topo_dup(c->topo)))
		rc = MPI_ERR_NO_MEM;
	if (!rc && (info || c->info) &&
	    !(n->info = info ? mpii_comm_hints(info) : mpii_info_copy(c->info)))
		rc = MPI_ERR_NO_MEM;
	if (rc) {
		mpii_attr_delete_all(MPII_AK_COMM, 0, &n->attrs);
		mpii_comm_unref(n);
		return rc;
	}
	*out = n;
	return MPI_SUCCESS;
}

int PMPI_Comm_dup(MPI_Comm comm, MPI_Comm *newcomm)
{
	static const char fname[] = "MPI_Comm_dup";
	struct mpii_comm *c, *n;
	int rc;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (!newcomm)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	rc = dup(c, NULL, &n);
	if (!rc)
		rc = mpii_comm_publish(n, newcomm);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_dup)

int PMPI_Comm_dup_with_info(MPI_Comm comm, MPI_Info info, MPI_Comm *newcomm)
{
	static const char fname[] = "MPI_Comm_dup_with_info";
	struct mpii_info no_hints = { 0 };
	struct mpii_comm *c, *n;
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
	rc = dup(c, in ? in : &no_hints, &n);
	if (!rc)
		rc = mpii_comm_publish(n, newcomm);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_dup_with_info)

/*
 * MPI_Comm_idup agrees on the context id at once (a short blocking allreduce over comm:
 * every member is in the call) and returns a request that is already complete; the new
 * handle is valid immediately, which MPI allows (it is only required after completion).
 */
int PMPI_Comm_idup(MPI_Comm comm, MPI_Comm *newcomm, MPI_Request *request)
{
	static const char fname[] = "MPI_Comm_idup";
	struct mpii_comm *c, *n;
	struct mpii_req *r;
	int rc;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (!newcomm || !request)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	rc = dup(c, NULL, &n);
	if (!rc)
		rc = mpii_comm_publish(n, newcomm);
	if (rc)
		return mpii_raise(c, rc, fname);
	r = mpii_req_new(MPII_R_NONE);
	if (!r)
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	r->done = 1;
	r->comm = mpii_comm_ref(c);
	*request = r->handle;
	return MPI_SUCCESS;
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

/* The split everybody computes from everybody's (color, key). */
static int split(struct mpii_comm *c, int color, int key, struct mpii_comm **out)
{
	int *all, *mine, i, n = 0, rc, ctx;
	struct mpii_group *g;
	int me[2] = { color, key };

	*out = NULL;
	all = malloc((size_t)c->size * 2 * sizeof(int));
	mine = malloc((size_t)c->size * 2 * sizeof(int));
	if (!all || !mine) {
		free(all);
		free(mine);
		return MPI_ERR_NO_MEM;
	}
	rc = mpii_allgather_int(c, me, 2, all);
	/* one context id serves every color: the new groups are disjoint */
	if (!rc)
		rc = mpii_ctx_alloc(c, 0, &ctx);
	if (rc || color == MPI_UNDEFINED) {
		if (!rc)
			mpii_ctx_release(ctx);
		free(all);
		free(mine);
		return rc;
	}
	for (i = 0; i < c->size; i++)
		if (all[2 * i] == color) {
			mine[2 * n] = all[2 * i + 1];
			mine[2 * n + 1] = i;
			n++;
		}
	qsort(mine, (size_t)n, 2 * sizeof(int), cmp_pair);
	g = mpii_group_new(n);
	if (!g) {
		rc = MPI_ERR_NO_MEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		g->wr[i] = c->local->wr[mine[2 * i + 1]];
	mpii_group_done(g);
	*out = mpii_comm_new(g, NULL, ctx);
	if (!*out) {
		mpii_group_unref(g);
		rc = MPI_ERR_NO_MEM;
		goto out;
	}
	mpii_errh_unref((*out)->errh);
	(*out)->errh = mpii_errh_ref(c->errh);
out:
	if (rc)
		mpii_ctx_release(ctx);
	free(all);
	free(mine);
	return rc;
}

int PMPI_Comm_split(MPI_Comm comm, int color, int key, MPI_Comm *newcomm)
{
	static const char fname[] = "MPI_Comm_split";
	struct mpii_comm *c, *n;
	int rc;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (c->inter)
		return mpii_raise(c, MPI_ERR_UNSUPPORTED_OPERATION, fname);
	if (!newcomm)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	if (color < 0 && color != MPI_UNDEFINED)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	rc = split(c, color, key, &n);
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
	/* Every core of a board reaches the same shared DRAM: one shared-memory domain. */
	return PMPI_Comm_split(comm, split_type == MPI_UNDEFINED ? MPI_UNDEFINED : 0, key,
			       newcomm);
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
	if (c->inter)
		return mpii_raise(c, MPI_ERR_UNSUPPORTED_OPERATION, fname);
	if (!(g = mpii_handle_get(MPII_K_GROUP, group)))
		return mpii_raise(c, MPI_ERR_GROUP, fname);
	if (!newcomm)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	if (!subset(g, c))
		return mpii_raise(c, MPI_ERR_GROUP, fname);
	rc = mpii_comm_from_group(c, g, &n);
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
 * tags are non-negative sequence numbers).
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
	if (c->inter)
		return mpii_raise(c, MPI_ERR_UNSUPPORTED_OPERATION, fname);
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
	tmp = mpii_comm_new(mpii_group_ref(g), NULL, c->ctx);
	if (!tmp)
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	tmp->borrowed = 1;
	tmp->fixed_tag = -2 - tag;
	rc = mpii_ctx_alloc(tmp, tag, &ctx);
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
