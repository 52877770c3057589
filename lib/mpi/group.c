/* SPDX-License-Identifier: MIT */
/* group.c: process groups (ordered sets of world ranks) and every MPI_Group_ call. */
#include <stdlib.h>
#include "mpii_impl.h"

struct mpii_group *mpii_group_world;
static struct mpii_group group_empty = { MPI_GROUP_EMPTY, 1, 0, MPI_UNDEFINED, NULL };

struct mpii_group *mpii_group_new(int size)
{
	struct mpii_group *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->wr = malloc((size_t)(size ? size : 1) * sizeof(int));
	if (!g->wr) {
		free(g);
		return NULL;
	}
	g->refs = 1;
	g->size = size;
	g->rank = MPI_UNDEFINED;
	return g;
}

void mpii_group_done(struct mpii_group *g)
{
	g->rank = mpii_group_rank_of(g, mpii_world_rank());
}

struct mpii_group *mpii_group_ref(struct mpii_group *g)
{
	g->refs++;
	return g;
}

void mpii_group_unref(struct mpii_group *g)
{
	if (!g || g == &group_empty || --g->refs > 0)
		return;
	if (g->handle)
		mpii_handle_free(g->handle);
	free(g->wr);
	free(g);
}

int mpii_group_rank_of(const struct mpii_group *g, int world_rank)
{
	int i;

	for (i = 0; i < g->size; i++)
		if (g->wr[i] == world_rank)
			return i;
	return MPI_UNDEFINED;
}

void mpii_group_init(void)
{
	mpii_handle_fix(MPI_GROUP_EMPTY, &group_empty);
}

/* Hands g to the user as a handle (consumes the caller's reference). */
static int publish(struct mpii_group *g, MPI_Group *out)
{
	if (g->size == 0) {
		mpii_group_unref(g);
		*out = MPI_GROUP_EMPTY;
		return MPI_SUCCESS;
	}
	if (!g->handle) {
		g->handle = mpii_handle_new(MPII_K_GROUP, g);
		if (!g->handle) {
			mpii_group_unref(g);
			return MPI_ERR_NO_MEM;
		}
	}
	*out = g->handle;
	return MPI_SUCCESS;
}

int mpii_group_publish(struct mpii_group *g, MPI_Group *out)
{
	return publish(mpii_group_ref(g), out);
}

static struct mpii_group *get(MPI_Group h)
{
	return mpii_handle_get(MPII_K_GROUP, h);
}

int PMPI_Group_size(MPI_Group group, int *size)
{
	struct mpii_group *g = get(group);

	MPII_ENTER("MPI_Group_size");
	if (!g)
		return mpii_raise(NULL, MPI_ERR_GROUP, "MPI_Group_size");
	if (!size)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Group_size");
	*size = g->size;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Group_size)

int PMPI_Group_rank(MPI_Group group, int *rank)
{
	struct mpii_group *g = get(group);

	MPII_ENTER("MPI_Group_rank");
	if (!g)
		return mpii_raise(NULL, MPI_ERR_GROUP, "MPI_Group_rank");
	if (!rank)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Group_rank");
	*rank = g->rank;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Group_rank)

int PMPI_Group_translate_ranks(MPI_Group group1, int n, const int ranks1[], MPI_Group group2,
			       int ranks2[])
{
	static const char fname[] = "MPI_Group_translate_ranks";
	struct mpii_group *g1 = get(group1), *g2 = get(group2);
	int i;

	MPII_ENTER(fname);
	if (!g1 || !g2)
		return mpii_raise(NULL, MPI_ERR_GROUP, fname);
	if (n < 0 || (n > 0 && (!ranks1 || !ranks2)))
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	for (i = 0; i < n; i++)
		if (ranks1[i] != MPI_PROC_NULL && (ranks1[i] < 0 || ranks1[i] >= g1->size))
			return mpii_raise(NULL, MPI_ERR_RANK, fname);
	for (i = 0; i < n; i++)
		ranks2[i] = ranks1[i] == MPI_PROC_NULL ? MPI_PROC_NULL :
			    mpii_group_rank_of(g2, g1->wr[ranks1[i]]);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Group_translate_ranks)

int mpii_group_compare(const struct mpii_group *a, const struct mpii_group *b)
{
	int i, same = 1;

	if (a->size != b->size)
		return MPI_UNEQUAL;
	for (i = 0; i < a->size; i++) {
		if (a->wr[i] != b->wr[i])
			same = 0;
		if (mpii_group_rank_of(b, a->wr[i]) == MPI_UNDEFINED)
			return MPI_UNEQUAL;
	}
	return same ? MPI_IDENT : MPI_SIMILAR;
}

int PMPI_Group_compare(MPI_Group group1, MPI_Group group2, int *result)
{
	struct mpii_group *g1 = get(group1), *g2 = get(group2);

	MPII_ENTER("MPI_Group_compare");
	if (!g1 || !g2)
		return mpii_raise(NULL, MPI_ERR_GROUP, "MPI_Group_compare");
	if (!result)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Group_compare");
	*result = mpii_group_compare(g1, g2);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Group_compare)

/* Set operations: members of g1 kept where in2 says (1: in g2, 0: not), then for union
 * the members of g2 not in g1. */
static int setop(MPI_Group group1, MPI_Group group2, MPI_Group *newgroup, int which,
		 const char *fname)
{
	struct mpii_group *g1 = get(group1), *g2 = get(group2), *g;
	int i, n = 0;

	MPII_ENTER(fname);
	if (!g1 || !g2)
		return mpii_raise(NULL, MPI_ERR_GROUP, fname);
	if (!newgroup)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	g = mpii_group_new(g1->size + g2->size);
	if (!g)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	for (i = 0; i < g1->size; i++) {
		int in2 = mpii_group_rank_of(g2, g1->wr[i]) != MPI_UNDEFINED;

		if (which == 0 || (which == 1 && in2) || (which == 2 && !in2))
			g->wr[n++] = g1->wr[i];
	}
	for (i = 0; which == 0 && i < g2->size; i++)
		if (mpii_group_rank_of(g1, g2->wr[i]) == MPI_UNDEFINED)
			g->wr[n++] = g2->wr[i];
	g->size = n;
	mpii_group_done(g);
	return publish(g, newgroup) ? mpii_raise(NULL, MPI_ERR_NO_MEM, fname) : MPI_SUCCESS;
}

int PMPI_Group_union(MPI_Group group1, MPI_Group group2, MPI_Group *newgroup)
{
	return setop(group1, group2, newgroup, 0, "MPI_Group_union");
}
MPII_ALIAS(MPI_Group_union)

int PMPI_Group_intersection(MPI_Group group1, MPI_Group group2, MPI_Group *newgroup)
{
	return setop(group1, group2, newgroup, 1, "MPI_Group_intersection");
}
MPII_ALIAS(MPI_Group_intersection)

int PMPI_Group_difference(MPI_Group group1, MPI_Group group2, MPI_Group *newgroup)
{
	return setop(group1, group2, newgroup, 2, "MPI_Group_difference");
}
MPII_ALIAS(MPI_Group_difference)

/* Builds the group of the flagged (keep = 1) or unflagged members of g, in `order`. */
static int select_ranks(struct mpii_group *g, const int *order, int n, MPI_Group *newgroup,
			const char *fname)
{
	struct mpii_group *ng = mpii_group_new(n);
	int i;

	if (!ng)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	for (i = 0; i < n; i++)
		ng->wr[i] = g->wr[order[i]];
	mpii_group_done(ng);
	return publish(ng, newgroup) ? mpii_raise(NULL, MPI_ERR_NO_MEM, fname) : MPI_SUCCESS;
}

/* Checks ranks[0..n) are distinct valid ranks of g; marks them in seen (g->size). */
static int check_ranks(struct mpii_group *g, int n, const int *ranks, char *seen)
{
	int i;

	for (i = 0; i < n; i++) {
		if (ranks[i] < 0 || ranks[i] >= g->size || seen[ranks[i]])
			return MPI_ERR_RANK;
		seen[ranks[i]] = 1;
	}
	return MPI_SUCCESS;
}

static int inclexcl(MPI_Group group, int n, const int *ranks, MPI_Group *newgroup, int excl,
		    const char *fname)
{
	struct mpii_group *g = get(group);
	char *seen;
	int *order, i, m = 0, rc;

	MPII_ENTER(fname);
	if (!g)
		return mpii_raise(NULL, MPI_ERR_GROUP, fname);
	if (n < 0 || n > g->size || (n > 0 && !ranks) || !newgroup)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	seen = calloc((size_t)g->size + 1, 1);
	order = malloc(((size_t)g->size + 1) * sizeof(int));
	if (!seen || !order) {
		free(seen);
		free(order);
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	}
	rc = check_ranks(g, n, ranks, seen);
	if (!rc) {
		if (excl) {
			for (i = 0; i < g->size; i++)
				if (!seen[i])
					order[m++] = i;
		} else {
			memcpy(order, ranks, (size_t)n * sizeof(int));
			m = n;
		}
	}
	free(seen);
	if (rc) {
		free(order);
		return mpii_raise(NULL, rc, fname);
	}
	rc = select_ranks(g, order, m, newgroup, fname);
	free(order);
	return rc;
}

int PMPI_Group_incl(MPI_Group group, int n, const int ranks[], MPI_Group *newgroup)
{
	return inclexcl(group, n, ranks, newgroup, 0, "MPI_Group_incl");
}
MPII_ALIAS(MPI_Group_incl)

int PMPI_Group_excl(MPI_Group group, int n, const int ranks[], MPI_Group *newgroup)
{
	return inclexcl(group, n, ranks, newgroup, 1, "MPI_Group_excl");
}
MPII_ALIAS(MPI_Group_excl)

/* Expands (first, last, stride) triplets into ranks; 0 or an error class. */
static int expand(struct mpii_group *g, int n, int ranges[][3], int **out, int *nout)
{
	int i, m = 0, cap = g->size + 1, *r = malloc((size_t)cap * sizeof(int));

	if (!r)
		return MPI_ERR_NO_MEM;
	for (i = 0; i < n; i++) {
		int f = ranges[i][0], l = ranges[i][1], s = ranges[i][2], k;

		if (s == 0 || f < 0 || f >= g->size || l < 0 || l >= g->size ||
		    (s > 0 && f > l) || (s < 0 && f < l)) {
			free(r);
			return MPI_ERR_RANK;
		}
		for (k = f; s > 0 ? k <= l : k >= l; k += s) {
			if (m == cap) {
				free(r);
				return MPI_ERR_RANK;	/* a rank appears twice */
			}
			r[m++] = k;
		}
	}
	*out = r;
	*nout = m;
	return MPI_SUCCESS;
}

static int range(MPI_Group group, int n, int ranges[][3], MPI_Group *newgroup, int excl,
		 const char *fname)
{
	struct mpii_group *g = get(group);
	int *r, m, rc;

	MPII_ENTER(fname);
	if (!g)
		return mpii_raise(NULL, MPI_ERR_GROUP, fname);
	if (n < 0 || (n > 0 && !ranges) || !newgroup)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	rc = expand(g, n, ranges, &r, &m);
	if (rc)
		return mpii_raise(NULL, rc, fname);
	rc = inclexcl(group, m, r, newgroup, excl, fname);
	free(r);
	return rc;
}

int PMPI_Group_range_incl(MPI_Group group, int n, int ranges[][3], MPI_Group *newgroup)
{
	return range(group, n, ranges, newgroup, 0, "MPI_Group_range_incl");
}
MPII_ALIAS(MPI_Group_range_incl)

int PMPI_Group_range_excl(MPI_Group group, int n, int ranges[][3], MPI_Group *newgroup)
{
	return range(group, n, ranges, newgroup, 1, "MPI_Group_range_excl");
}
MPII_ALIAS(MPI_Group_range_excl)

int PMPI_Group_free(MPI_Group *group)
{
	struct mpii_group *g;

	MPII_ENTER("MPI_Group_free");
	if (!group || !(g = get(*group)))
		return mpii_raise(NULL, MPI_ERR_GROUP, "MPI_Group_free");
	mpii_group_unref(g);
	*group = MPI_GROUP_NULL;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Group_free)
