/* SPDX-License-Identifier: MIT */
/* groups: every MPI_Group_ call. */
#include "conf.h"

static void show(const char *label, MPI_Group g)
{
	int n, r, k, *a, *b;
	MPI_Group w;

	MPI_Group_size(g, &n);
	MPI_Group_rank(g, &r);
	MPI_Comm_group(MPI_COMM_WORLD, &w);
	a = malloc((size_t)(n + 1) * sizeof(int));
	b = malloc((size_t)(n + 1) * sizeof(int));
	for (k = 0; k < n; k++)
		a[k] = k;
	MPI_Group_translate_ranks(g, n, a, w, b);
	if (rank == 0) {
		printf("%s: size %d members", label, n);
		for (k = 0; k < n; k++)
			printf(" %d", b[k]);
		printf("\n");
	}
	report_int(label, r == MPI_UNDEFINED ? -1 : r);
	free(a);
	free(b);
	MPI_Group_free(&w);
}

int main(int argc, char **argv)
{
	MPI_Group w, a, b, u, i, d, e, ri, re;
	int k, n, res, *ranks, rng[2][3];

	conf_init(&argc, &argv);
	MPI_Comm_group(MPI_COMM_WORLD, &w);
	show("world", w);
	/* a: every other rank from the end; b: the first half */
	n = (size + 1) / 2;
	ranks = malloc((size_t)size * sizeof(int));
	for (k = 0; k < n; k++)
		ranks[k] = size - 1 - 2 * k;
	MPI_Group_incl(w, n, ranks, &a);
	for (k = 0; k < size / 2 + 1 && k < size; k++)
		ranks[k] = k;
	MPI_Group_incl(w, k, ranks, &b);
	show("a", a);
	show("b", b);
	MPI_Group_union(a, b, &u);
	show("union", u);
	MPI_Group_intersection(a, b, &i);
	show("intersection", i);
	MPI_Group_difference(a, b, &d);
	show("difference", d);
	ranks[0] = 0;
	MPI_Group_excl(w, 1, ranks, &e);
	show("excl 0", e);
	rng[0][0] = 0;
	rng[0][1] = size - 1;
	rng[0][2] = 2;
	rng[1][0] = size - 1;
	rng[1][1] = size - 1;
	rng[1][2] = 1;
	MPI_Group_range_incl(w, size % 2 ? 1 : 2, rng, &ri);
	show("range_incl", ri);
	MPI_Group_range_excl(w, 1, rng, &re);
	show("range_excl", re);
	MPI_Group_compare(w, u, &res);
	report_same("compare world union", res == MPI_IDENT ? 0 : res == MPI_SIMILAR ? 1 : 2);
	MPI_Group_compare(a, a, &res);
	report_same("compare a a", res == MPI_IDENT);
	MPI_Group_compare(w, e, &res);
	report_same("compare world excl", res == MPI_UNEQUAL);
	/* empty results are MPI_GROUP_EMPTY */
	MPI_Group_difference(w, w, &d);
	MPI_Group_size(d, &n);
	report_same("empty size", n);
	report_same("empty is GROUP_EMPTY", d == MPI_GROUP_EMPTY);
	/* translate with MPI_PROC_NULL */
	{
		int in[2] = { MPI_PROC_NULL, 0 }, out[2];

		MPI_Group_translate_ranks(w, 2, in, w, out);
		report_same("translate proc_null", out[0] == MPI_PROC_NULL && out[1] == 0);
	}
	MPI_Group_free(&a);
	MPI_Group_free(&b);
	MPI_Group_free(&u);
	MPI_Group_free(&i);
	MPI_Group_free(&e);
	MPI_Group_free(&ri);
	MPI_Group_free(&re);
	MPI_Group_free(&w);
	report_same("freed null", w == MPI_GROUP_NULL);
	free(ranks);
	conf_done();
	return 0;
}
