/* SPDX-License-Identifier: MIT */
/*
 * comm.c: communicator objects, their context ids, MPI_COMM_WORLD and MPI_COMM_SELF, and
 * the local queries (size, rank, compare, group, names, info, free).
 */
#include <stdlib.h>
#include "mpii_impl.h"

struct mpii_comm *mpii_comm_world, *mpii_comm_self;

/* Context ids come in pairs (point to point, collective); bit set = pair free here. */
static uint32_t ctx_free[MPII_CTX_PAIRS / 32];

void mpii_ctx_mark(int ctx)
{
	ctx_free[(ctx / 2) / 32] &= ~(1u << ((ctx / 2) % 32));
}

void mpii_ctx_release(int ctx)
{
	ctx_free[(ctx / 2) / 32] |= 1u << ((ctx / 2) % 32);
}

/* ANDs this process's free mask into mask; returns the lowest pair free in mask or -1. */
int mpii_ctx_mask_and(uint32_t *mask)
{
	int i, b;

	for (i = 0; i < MPII_CTX_PAIRS / 32; i++)
		mask[i] &= ctx_free[i];
	for (i = 0; i < MPII_CTX_PAIRS / 32; i++)
		for (b = 0; b < 32; b++)
			if (mask[i] & (1u << b))
				return 2 * (32 * i + b);
	return -1;
}

struct mpii_comm *mpii_comm_new(struct mpii_group *local, struct mpii_group *remote, int ctx)
{
	struct mpii_comm *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->refs = 1;
	c->ctx = (uint16_t)ctx;
	c->local = local;
	c->remote = remote;
	c->inter = remote != NULL;
	c->rank = local->rank;
	c->size = local->size;
	c->errh = mpii_errh_ref(mpii_comm_world ? mpii_comm_world->errh :
				mpii_handle_get(MPII_K_ERRH, MPI_ERRORS_ARE_FATAL));
	return c;
}

int mpii_comm_publish(struct mpii_comm *c, MPI_Comm *out)
{
	c->handle = mpii_handle_new(MPII_K_COMM, c);
	if (!c->handle) {
		mpii_comm_unref(c);
		return MPI_ERR_NO_MEM;
	}
	*out = c->handle;
	return MPI_SUCCESS;
}

void mpii_comm_destroy(struct mpii_comm *c)
{
	if (!c->borrowed)
		mpii_ctx_release(c->ctx);
	if (c->handle)
		mpii_handle_free(c->handle);
	mpii_group_unref(c->local);
	mpii_group_unref(c->remote);
	mpii_comm_unref(c->lcomm);
	mpii_errh_unref(c->errh);
	mpii_topo_free(c->topo);
	mpii_info_destroy(c->info);
	free(c);
}

int mpii_comm_init(void)
{
	struct mpii_group *w, *s;
	int i, n = mpii_world_size();

	mpii_group_init();
	w = mpii_group_new(n);
	s = mpii_group_new(1);
	if (!w || !s)
		return MPI_ERR_NO_MEM;
	for (i = 0; i < n; i++)
		w->wr[i] = i;
	s->wr[0] = mpii_world_rank();
	mpii_group_done(w);
	mpii_group_done(s);
	mpii_group_world = w;
	for (i = 0; i < MPII_CTX_PAIRS / 32; i++)
		ctx_free[i] = ~0u;
	mpii_ctx_mark(0);
	mpii_ctx_mark(2);
	mpii_comm_world = mpii_comm_new(mpii_group_ref(w), NULL, 0);
	mpii_comm_self = mpii_comm_new(s, NULL, 2);
	if (!mpii_comm_world || !mpii_comm_self)
		return MPI_ERR_NO_MEM;
	mpii_comm_world->handle = MPI_COMM_WORLD;
	mpii_comm_self->handle = MPI_COMM_SELF;
	mpii_comm_world->refs++;	/* predefined: never released */
	mpii_comm_self->refs++;
	mpii_strlcpy(mpii_comm_world->name, "MPI_COMM_WORLD", MPI_MAX_OBJECT_NAME);
	mpii_strlcpy(mpii_comm_self->name, "MPI_COMM_SELF", MPI_MAX_OBJECT_NAME);
	mpii_handle_fix(MPI_COMM_WORLD, mpii_comm_world);
	mpii_handle_fix(MPI_COMM_SELF, mpii_comm_self);
	return MPI_SUCCESS;
}

/*
 * Info keys a communicator honours. MPI_Comm_get_info returns only the hints in use
 * (MPI-3.1 6.4.4), so the others are dropped when hints are given. tessera uses none yet.
 */
static const char *const comm_keys[] = { NULL };

struct mpii_info *mpii_comm_hints(const struct mpii_info *in)
{
	struct mpii_info *n = mpii_info_new();
	const struct mpii_info_ent *e;
	int k;

	for (e = in && n ? in->head : NULL; e; e = e->next)
		for (k = 0; comm_keys[k]; k++)
			if (!strcmp(e->key, comm_keys[k]) && mpii_info_put(n, e->key, e->val)) {
				mpii_info_destroy(n);
				return NULL;
			}
	return n;
}

static int get(MPI_Comm h, struct mpii_comm **c, const char *fname)
{
	*c = mpii_comm_get(h);
	return *c ? MPI_SUCCESS : mpii_raise(NULL, MPI_ERR_COMM, fname);
}

int PMPI_Comm_size(MPI_Comm comm, int *size)
{
	struct mpii_comm *c;
	int rc;

	MPII_ENTER("MPI_Comm_size");
	if ((rc = get(comm, &c, "MPI_Comm_size")))
		return rc;
	if (!size)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Comm_size");
	*size = c->size;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_size)

int PMPI_Comm_rank(MPI_Comm comm, int *rank)
{
	struct mpii_comm *c;
	int rc;

	MPII_ENTER("MPI_Comm_rank");
	if ((rc = get(comm, &c, "MPI_Comm_rank")))
		return rc;
	if (!rank)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Comm_rank");
	*rank = c->rank;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_rank)

int PMPI_Comm_remote_size(MPI_Comm comm, int *size)
{
	struct mpii_comm *c;
	int rc;

	MPII_ENTER("MPI_Comm_remote_size");
	if ((rc = get(comm, &c, "MPI_Comm_remote_size")))
		return rc;
	if (!c->inter)
		return mpii_raise(c, MPI_ERR_COMM, "MPI_Comm_remote_size");
	if (!size)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Comm_remote_size");
	*size = c->remote->size;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_remote_size)

int PMPI_Comm_test_inter(MPI_Comm comm, int *flag)
{
	struct mpii_comm *c;
	int rc;

	MPII_ENTER("MPI_Comm_test_inter");
	if ((rc = get(comm, &c, "MPI_Comm_test_inter")))
		return rc;
	if (!flag)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Comm_test_inter");
	*flag = c->inter;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_test_inter)

int PMPI_Comm_group(MPI_Comm comm, MPI_Group *group)
{
	struct mpii_comm *c;
	int rc;

	MPII_ENTER("MPI_Comm_group");
	if ((rc = get(comm, &c, "MPI_Comm_group")))
		return rc;
	if (!group)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Comm_group");
	rc = mpii_group_publish(c->local, group);
	return rc ? mpii_raise(c, rc, "MPI_Comm_group") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_group)

int PMPI_Comm_remote_group(MPI_Comm comm, MPI_Group *group)
{
	struct mpii_comm *c;
	int rc;

	MPII_ENTER("MPI_Comm_remote_group");
	if ((rc = get(comm, &c, "MPI_Comm_remote_group")))
		return rc;
	if (!c->inter)
		return mpii_raise(c, MPI_ERR_COMM, "MPI_Comm_remote_group");
	if (!group)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Comm_remote_group");
	rc = mpii_group_publish(c->remote, group);
	return rc ? mpii_raise(c, rc, "MPI_Comm_remote_group") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_remote_group)

int PMPI_Comm_compare(MPI_Comm comm1, MPI_Comm comm2, int *result)
{
	struct mpii_comm *a, *b;
	int rc, r;

	MPII_ENTER("MPI_Comm_compare");
	if ((rc = get(comm1, &a, "MPI_Comm_compare")) || (rc = get(comm2, &b, "MPI_Comm_compare")))
		return rc;
	if (!result)
		return mpii_raise(a, MPI_ERR_ARG, "MPI_Comm_compare");
	if (a == b) {
		*result = MPI_IDENT;
		return MPI_SUCCESS;
	}
	if (a->inter != b->inter) {
		*result = MPI_UNEQUAL;
		return MPI_SUCCESS;
	}
	r = mpii_group_compare(a->local, b->local);
	if (a->inter && r != MPI_UNEQUAL) {
		int r2 = mpii_group_compare(a->remote, b->remote);

		if (r2 == MPI_UNEQUAL || r2 == MPI_SIMILAR)
			r = r2;
	}
	*result = r == MPI_IDENT ? MPI_CONGRUENT : r;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_compare)

int PMPI_Comm_set_name(MPI_Comm comm, const char *comm_name)
{
	struct mpii_comm *c;
	int rc;

	MPII_ENTER("MPI_Comm_set_name");
	if ((rc = get(comm, &c, "MPI_Comm_set_name")))
		return rc;
	if (!comm_name)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Comm_set_name");
	mpii_strlcpy(c->name, comm_name, MPI_MAX_OBJECT_NAME);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_set_name)

int PMPI_Comm_get_name(MPI_Comm comm, char *comm_name, int *resultlen)
{
	struct mpii_comm *c;
	int rc;

	MPII_ENTER("MPI_Comm_get_name");
	if ((rc = get(comm, &c, "MPI_Comm_get_name")))
		return rc;
	if (!comm_name || !resultlen)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Comm_get_name");
	mpii_strlcpy(comm_name, c->name, MPI_MAX_OBJECT_NAME);
	*resultlen = (int)strlen(comm_name);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_get_name)

int PMPI_Comm_set_info(MPI_Comm comm, MPI_Info info)
{
	struct mpii_comm *c;
	struct mpii_info *in, *n;
	int rc;

	MPII_ENTER("MPI_Comm_set_info");
	if ((rc = get(comm, &c, "MPI_Comm_set_info")))
		return rc;
	in = mpii_handle_get(MPII_K_INFO, info);
	if (!in)
		return mpii_raise(c, MPI_ERR_INFO, "MPI_Comm_set_info");
	n = mpii_comm_hints(in);
	if (!n)
		return mpii_raise(c, MPI_ERR_NO_MEM, "MPI_Comm_set_info");
	mpii_info_destroy(c->info);
	c->info = n;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_set_info)

int PMPI_Comm_get_info(MPI_Comm comm, MPI_Info *info_used)
{
	struct mpii_comm *c;
	struct mpii_info *n;
	int rc;

	MPII_ENTER("MPI_Comm_get_info");
	if ((rc = get(comm, &c, "MPI_Comm_get_info")))
		return rc;
	if (!info_used)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Comm_get_info");
	n = mpii_info_copy(c->info);
	if (!n || !(n->handle = mpii_handle_new(MPII_K_INFO, n))) {
		mpii_info_destroy(n);
		return mpii_raise(c, MPI_ERR_NO_MEM, "MPI_Comm_get_info");
	}
	*info_used = n->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_get_info)

int PMPI_Comm_free(MPI_Comm *comm)
{
	static const char fname[] = "MPI_Comm_free";
	struct mpii_comm *c;
	int rc;

	MPII_ENTER(fname);
	if (!comm)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if ((rc = get(*comm, &c, fname)))
		return rc;
	if (c == mpii_comm_world || c == mpii_comm_self)
		return mpii_raise(c, MPI_ERR_COMM, fname);
	rc = mpii_attr_delete_all(MPII_AK_COMM, c->handle, &c->attrs);
	if (rc)
		return mpii_raise(c, rc, fname);
	/* Pending operations keep the object (and its context id) until they complete. */
	c->user_freed = 1;
	mpii_comm_unref(c);
	*comm = MPI_COMM_NULL;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_free)

int PMPI_Comm_disconnect(MPI_Comm *comm)
{
	struct mpii_comm *c;

	MPII_ENTER("MPI_Comm_disconnect");
	if (!comm || !(c = mpii_comm_get(*comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, "MPI_Comm_disconnect");
	/* Waits for this process's pending traffic, then frees (MPI-3.1 10.5.4). */
	while (c->refs > 1 && mpii_out_pending()) {
		mpii_progress();
		mpii_idle();
	}
	return PMPI_Comm_free(comm);
}
MPII_ALIAS(MPI_Comm_disconnect)

int PMPI_Comm_get_parent(MPI_Comm *parent)
{
	MPII_ENTER("MPI_Comm_get_parent");
	if (!parent)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Comm_get_parent");
	*parent = MPI_COMM_NULL;	/* no process of a tessera job is spawned */
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_get_parent)
