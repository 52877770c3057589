/* SPDX-License-Identifier: MIT */
/* comm: dup, split, split_type, create, create_group, compare, names, attributes, inter. */
#include "conf.h"

static int deletes, copies;

static int copy_fn(MPI_Comm c, int k, void *extra, void *in, void *out, int *flag)
{
	(void)c;
	(void)k;
	(void)extra;
	copies++;
	*(void **)out = (char *)in + 1;
	*flag = 1;
	return MPI_SUCCESS;
}

static int delete_fn(MPI_Comm c, int k, void *val, void *extra)
{
	(void)c;
	(void)k;
	(void)val;
	(void)extra;
	deletes++;
	return MPI_SUCCESS;
}

static const char *cmpname(int r)
{
	return r == MPI_IDENT ? "IDENT" : r == MPI_CONGRUENT ? "CONGRUENT" :
	       r == MPI_SIMILAR ? "SIMILAR" : r == MPI_UNEQUAL ? "UNEQUAL" : "?";
}

int main(int argc, char **argv)
{
	MPI_Comm dup, half, odd, rev, shm, sub, inter, merged;
	MPI_Group wg, g;
	int r, s, res, x, flag, key;
	char name[MPI_MAX_OBJECT_NAME];
	void *val;

	conf_init(&argc, &argv);
	/* dup: same group, new context */
	MPI_Comm_dup(MPI_COMM_WORLD, &dup);
	MPI_Comm_compare(MPI_COMM_WORLD, dup, &res);
	if (rank == 0)
		printf("dup compare: %s\n", cmpname(res));
	MPI_Comm_compare(dup, dup, &res);
	if (rank == 0)
		printf("self compare: %s\n", cmpname(res));
	/* messages on dup never match receives on world */
	{
		int a = rank, b = -1, c = -1;
		MPI_Request rq[2];

		MPI_Irecv(&b, 1, MPI_INT, MPI_ANY_SOURCE, 0, MPI_COMM_WORLD, &rq[0]);
		MPI_Irecv(&c, 1, MPI_INT, MPI_ANY_SOURCE, 0, dup, &rq[1]);
		MPI_Send(&a, 1, MPI_INT, (rank + 1) % size, 0, dup);
		MPI_Wait(&rq[1], MPI_STATUS_IGNORE);
		MPI_Send(&a, 1, MPI_INT, (rank + 1) % size, 0, MPI_COMM_WORLD);
		MPI_Wait(&rq[0], MPI_STATUS_IGNORE);
		report_ints("contexts", (int[]){ b, c }, 2);
	}
	/* split by parity, key reverses the order */
	MPI_Comm_split(MPI_COMM_WORLD, rank % 2, -rank, &half);
	MPI_Comm_rank(half, &r);
	MPI_Comm_size(half, &s);
	report_ints("split parity (rank size)", (int[]){ r, s }, 2);
	x = rank;
	MPI_Allreduce(MPI_IN_PLACE, &x, 1, MPI_INT, MPI_SUM, half);
	report_int("split allreduce", x);
	/* MPI_UNDEFINED color */
	MPI_Comm_split(MPI_COMM_WORLD, rank % 3 == 0 ? 1 : MPI_UNDEFINED, rank, &odd);
	report_int("split undefined null", odd == MPI_COMM_NULL);
	if (odd != MPI_COMM_NULL)
		MPI_Comm_free(&odd);
	/* reversed order: similar, not congruent */
	MPI_Comm_split(MPI_COMM_WORLD, 0, size - rank, &rev);
	MPI_Comm_compare(MPI_COMM_WORLD, rev, &res);
	if (rank == 0)
		printf("reversed compare: %s\n", cmpname(size > 1 ? res : MPI_SIMILAR));
	MPI_Comm_compare(MPI_COMM_WORLD, half, &res);
	if (rank == 0)
		printf("half compare: %s\n", cmpname(size > 1 ? res : MPI_UNEQUAL));
	/* split_type shared: every rank on one node */
	MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &shm);
	MPI_Comm_size(shm, &s);
	report_same("split_type shared size", s);
	/* create from a group of the even ranks */
	MPI_Comm_group(MPI_COMM_WORLD, &wg);
	{
		int n = (size + 1) / 2, *ranks = malloc(n * sizeof(int)), k;

		for (k = 0; k < n; k++)
			ranks[k] = 2 * k;
		MPI_Group_incl(wg, n, ranks, &g);
		free(ranks);
	}
	MPI_Comm_create(MPI_COMM_WORLD, g, &sub);
	if (sub != MPI_COMM_NULL) {
		MPI_Comm_rank(sub, &r);
		MPI_Comm_free(&sub);
	} else {
		r = -1;
	}
	report_int("create evens", r);
	/* create_group: only the members call */
	if (rank % 2 == 0) {
		MPI_Comm_create_group(MPI_COMM_WORLD, g, 42, &sub);
		MPI_Comm_rank(sub, &r);
		x = rank;
		MPI_Allreduce(MPI_IN_PLACE, &x, 1, MPI_INT, MPI_MAX, sub);
		MPI_Comm_free(&sub);
	} else {
		r = x = -1;
	}
	report_ints("create_group (rank max)", (int[]){ r, x }, 2);
	MPI_Group_free(&g);
	MPI_Group_free(&wg);
	/* names */
	MPI_Comm_get_name(MPI_COMM_WORLD, name, &x);
	if (rank == 0)
		printf("world name: %s\n", name);
	MPI_Comm_set_name(dup, "my dup");
	MPI_Comm_get_name(dup, name, &x);
	if (rank == 0)
		printf("dup name: %s (%d)\n", name, x);
	/* attributes: copy on dup, delete on free and on delete_attr */
	MPI_Comm_create_keyval(copy_fn, delete_fn, &key, NULL);
	MPI_Comm_set_attr(dup, key, (void *)100);
	{
		MPI_Comm d2;

		MPI_Comm_dup(dup, &d2);
		MPI_Comm_get_attr(d2, key, &val, &flag);
		report_same("attr copied", flag ? (int)(long)val : -1);
		MPI_Comm_free(&d2);
	}
	MPI_Comm_get_attr(dup, key, &val, &flag);
	report_same("attr kept", flag ? (int)(long)val : -1);
	MPI_Comm_delete_attr(dup, key);
	MPI_Comm_get_attr(dup, key, &val, &flag);
	report_same("attr deleted", flag);
	MPI_Comm_set_attr(dup, key, (void *)7);
	MPI_Comm_set_attr(dup, key, (void *)8);	/* replaces: deletes the old value */
	MPI_Comm_free(&dup);
	report_same("copies deletes", copies * 10 + deletes);
	MPI_Comm_free_keyval(&key);
	report_same("keyval invalid", key == MPI_KEYVAL_INVALID);
	/* predefined attributes exist */
	MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &val, &flag);
	report_same("tag_ub >= 32767", flag && *(int *)val >= 32767);
	MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_WTIME_IS_GLOBAL, &val, &flag);
	report_same("wtime_is_global present", flag);
	/* an intercommunicator between the parity halves, then merged back */
	if (size > 1) {
		int rsize, high = rank % 2, test;
		MPI_Comm lc;

		/* local leaders: world ranks 0 (evens) and 1 (odds) */
		MPI_Comm_split(MPI_COMM_WORLD, rank % 2, rank, &lc);
		MPI_Intercomm_create(lc, 0, MPI_COMM_WORLD, rank % 2 ? 0 : 1, 99, &inter);
		MPI_Comm_free(&lc);
		MPI_Comm_test_inter(inter, &test);
		MPI_Comm_remote_size(inter, &rsize);
		MPI_Comm_size(inter, &s);
		report_ints("inter (test local remote)", (int[]){ test, s, rsize }, 3);
		/* point to point across: local rank 0 of each side trade values */
		MPI_Comm_rank(inter, &r);
		if (r == 0) {
			int mine = rank * 100, theirs;

			MPI_Sendrecv(&mine, 1, MPI_INT, 0, 1, &theirs, 1, MPI_INT, 0, 1, inter,
				     MPI_STATUS_IGNORE);
			x = theirs;
		} else {
			x = -1;
		}
		report_int("inter p2p", x);
		{
			MPI_Group rg;

			MPI_Comm_remote_group(inter, &rg);
			MPI_Group_size(rg, &x);
			MPI_Group_free(&rg);
			report_int("remote group size", x);
		}
		MPI_Intercomm_merge(inter, high, &merged);
		MPI_Comm_rank(merged, &r);
		MPI_Comm_size(merged, &s);
		report_ints("merged (rank size)", (int[]){ r, s }, 2);
		MPI_Comm_free(&merged);
		MPI_Comm_free(&inter);
	}
	/* idup */
	{
		MPI_Comm d3;
		MPI_Request rq;

		MPI_Comm_idup(MPI_COMM_WORLD, &d3, &rq);
		MPI_Wait(&rq, MPI_STATUS_IGNORE);
		x = 1;
		MPI_Allreduce(MPI_IN_PLACE, &x, 1, MPI_INT, MPI_SUM, d3);
		report_same("idup allreduce", x);
		MPI_Comm_free(&d3);
	}
	MPI_Comm_free(&half);
	MPI_Comm_free(&rev);
	MPI_Comm_free(&shm);
	report_same("freed", half == MPI_COMM_NULL);
	conf_done();
	return 0;
}
