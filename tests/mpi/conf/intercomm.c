/* SPDX-License-Identifier: MIT */
/*
 * intercomm: intercommunicators between the even and the odd ranks of MPI_COMM_WORLD:
 * queries, point to point and probes, dup / idup / dup_with_info (attributes and names
 * carried over), every collective MPI-3.1 defines on them in blocking and non-blocking form
 * with the MPI_ROOT / MPI_PROC_NULL roots, split, create, merge, and what is refused (scan).
 * (MPI_Comm_create_group of an intercommunicator, which MPI-3.1 leaves undefined and Open
 * MPI 4.1 sometimes hangs in, is tests/mpi-images/create_group_inter.c's.) One rank has no
 * second group: the program says so and stops.
 */
#include "conf.h"

static MPI_Comm ic;
static int shape;	/* 0: even and odd ranks; 1: rank 0 and the rest */
static int even, lrank, lsize, rsize;	/* even: in the group of rank 0 */

static int remote_world(int j)
{
	if (shape == 1)
		return even ? j + 1 : 0;
	return even ? 2 * j + 1 : 2 * j;
}

/* The intercommunicator of a shape, and this process's place in it. */
static MPI_Comm make(int s)
{
	MPI_Comm half, c;

	shape = s;
	even = s ? rank == 0 : rank % 2 == 0;
	MPI_Comm_split(MPI_COMM_WORLD, !even, rank, &half);
	MPI_Comm_rank(half, &lrank);
	MPI_Comm_size(half, &lsize);
	MPI_Intercomm_create(half, 0, MPI_COMM_WORLD, even ? 1 : 0, 77 + s, &c);
	MPI_Comm_remote_size(c, &rsize);
	MPI_Comm_free(&half);
	return c;
}

static int my_world(void)
{
	return rank;
}

/* ---- queries, point to point, probes ---- */

static int copies;

static int copy_attr(MPI_Comm c, int key, void *extra, void *in, void *out, int *flag)
{
	(void)c;
	(void)key;
	(void)extra;
	copies++;
	*(void **)out = (char *)in + 1;
	*flag = 1;
	return MPI_SUCCESS;
}

static void basics(void)
{
	MPI_Comm d, d2, d3;
	MPI_Group rg, wg, expect;
	MPI_Request req;
	MPI_Status st;
	MPI_Info info;
	int flag, cmp, n, i, key, *val, ok, x, y, ranks[64];
	char name[MPI_MAX_OBJECT_NAME];

	MPI_Comm_test_inter(ic, &flag);
	report_ok("MPI_Comm_test_inter", flag == 1);
	MPI_Comm_remote_size(ic, &n);
	report_ok("MPI_Comm_remote_size", n == rsize);
	MPI_Comm_remote_group(ic, &rg);
	MPI_Comm_group(MPI_COMM_WORLD, &wg);
	for (i = 0; i < rsize; i++)
		ranks[i] = remote_world(i);
	MPI_Group_incl(wg, rsize, ranks, &expect);
	MPI_Group_compare(rg, expect, &cmp);
	report_ok("MPI_Comm_remote_group", cmp == MPI_IDENT);
	MPI_Group_free(&rg);
	MPI_Group_free(&expect);
	MPI_Group_free(&wg);

	/* attributes and a name, then the dups */
	MPI_Comm_create_keyval(copy_attr, MPI_COMM_NULL_DELETE_FN, &key, NULL);
	MPI_Comm_set_attr(ic, key, (void *)(size_t)100);
	MPI_Comm_set_name(ic, "evens-odds");
	MPI_Comm_dup(ic, &d);
	MPI_Comm_idup(ic, &d2, &req);
	MPI_Wait(&req, MPI_STATUS_IGNORE);
	MPI_Info_create(&info);
	MPI_Comm_dup_with_info(ic, info, &d3);
	MPI_Info_free(&info);
	MPI_Comm_get_attr(d, key, &val, &flag);
	ok = flag && (size_t)val == 101;
	MPI_Comm_get_attr(d2, key, &val, &flag);
	ok &= flag && (size_t)val == 101;
	report_ok("attribute copied by dup, idup", ok && copies == 3);
	MPI_Comm_compare(ic, d, &cmp);
	ok = cmp == MPI_CONGRUENT;
	MPI_Comm_compare(ic, d2, &cmp);
	ok &= cmp == MPI_CONGRUENT;
	MPI_Comm_test_inter(d3, &flag);
	report_ok("dups are congruent intercommunicators", ok && flag);
	MPI_Comm_get_name(ic, name, &n);
	ok = !strcmp(name, "evens-odds");
	MPI_Comm_set_name(d, "dup");
	MPI_Comm_get_name(d, name, &n);
	report_ok("names on intercommunicators", ok && !strcmp(name, "dup"));

	/* point to point on a dup, with probes: local rank i sends to remote i % rsize */
	x = my_world();
	MPI_Isend(&x, 1, MPI_INT, lrank % rsize, 5, d, &req);
	ok = 1;
	for (i = 0; i < rsize; i++) {
		if (i % lsize != lrank)
			continue;	/* the remote ranks that send to me */
		MPI_Probe(i, 5, d, &st);
		MPI_Get_count(&st, MPI_INT, &n);
		ok &= st.MPI_SOURCE == i && n == 1;
		MPI_Recv(&y, 1, MPI_INT, i, 5, d, &st);
		ok &= y == remote_world(st.MPI_SOURCE);
	}
	MPI_Wait(&req, MPI_STATUS_IGNORE);
	MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, d, &flag, MPI_STATUS_IGNORE);
	report_ok("send, probe and receive on a dup", ok && !flag);
	/* collectives on the dups: each group gets the other's sum */
	for (i = 0, n = 0; i < rsize; i++)
		n += remote_world(i);
	MPI_Barrier(d2);
	MPI_Allreduce(&x, &y, 1, MPI_INT, MPI_SUM, d3);
	ok = y == n;
	MPI_Allreduce(&x, &y, 1, MPI_INT, MPI_SUM, d2);
	report_ok("collectives on the dups", ok && y == n);
	MPI_Comm_free(&d);
	MPI_Comm_free(&d2);
	MPI_Comm_free(&d3);
	MPI_Comm_free_keyval(&key);
}

/* ---- collectives ---- */

/* Starts a blocking or non-blocking form and completes it. */
#define CALL(nb, blocking, nonblocking) do { \
	if (nb) { \
		MPI_Request r_; \
		nonblocking; \
		MPI_Wait(&r_, MPI_STATUS_IGNORE); \
	} else { \
		blocking; \
	} \
} while (0)
#define REQ (&r_)

/* The root argument of a rooted collective whose root is rank `at` of the group `in_even`. */
static int root_arg(int in_even, int at)
{
	if (even == in_even)
		return lrank == at ? MPI_ROOT : MPI_PROC_NULL;
	return at;
}

static int bcast(MPI_Comm c, int nb, int in_even, int at)
{
	int buf[3], i, ok = 1, root = root_arg(in_even, at);

	for (i = 0; i < 3; i++)
		buf[i] = root == MPI_ROOT ? 700 + i : -1;
	CALL(nb, MPI_Bcast(buf, 3, MPI_INT, root, c), MPI_Ibcast(buf, 3, MPI_INT, root, c, REQ));
	for (i = 0; i < 3; i++)
		ok &= buf[i] == (root >= 0 || root == MPI_ROOT ? 700 + i : -1);
	return ok;
}

static int gather(MPI_Comm c, int nb, int in_even, int at)
{
	int s[2] = { my_world() * 10, my_world() * 10 + 1 }, *r = malloc(2 * rsize * sizeof(int));
	int *rc = malloc(rsize * sizeof(int)), *dp = malloc(rsize * sizeof(int)), i, k, ok = 1;
	int root = root_arg(in_even, at);

	for (i = 0; i < 2 * rsize; i++)
		r[i] = -1;
	CALL(nb, MPI_Gather(s, 2, MPI_INT, r, 2, MPI_INT, root, c),
	     MPI_Igather(s, 2, MPI_INT, r, 2, MPI_INT, root, c, REQ));
	for (i = 0; i < rsize && root == MPI_ROOT; i++)
		for (k = 0; k < 2; k++)
			ok &= r[2 * i + k] == remote_world(i) * 10 + k;
	/* gatherv: remote rank j sends j % 2 + 1 ints, placed backwards */
	for (i = 0; i < rsize; i++) {
		rc[i] = i % 2 + 1;
		dp[i] = 2 * (rsize - 1 - i);
	}
	for (i = 0; i < 2 * rsize; i++)
		r[i] = -1;
	CALL(nb, MPI_Gatherv(s, lrank % 2 + 1, MPI_INT, r, rc, dp, MPI_INT, root, c),
	     MPI_Igatherv(s, lrank % 2 + 1, MPI_INT, r, rc, dp, MPI_INT, root, c, REQ));
	for (i = 0; i < rsize && root == MPI_ROOT; i++)
		for (k = 0; k < 2; k++)
			ok &= r[dp[i] + k] == (k < rc[i] ? remote_world(i) * 10 + k : -1);
	free(r);
	free(rc);
	free(dp);
	return ok;
}

static int scatter(MPI_Comm c, int nb, int in_even, int at)
{
	int *s = malloc(2 * rsize * sizeof(int)), r[2], i, ok = 1, root = root_arg(in_even, at);
	int *sc = malloc(rsize * sizeof(int)), *dp = malloc(rsize * sizeof(int));

	for (i = 0; i < 2 * rsize; i++)
		s[i] = 100 * (i / 2) + i % 2;
	r[0] = r[1] = -1;
	CALL(nb, MPI_Scatter(s, 2, MPI_INT, r, 2, MPI_INT, root, c),
	     MPI_Iscatter(s, 2, MPI_INT, r, 2, MPI_INT, root, c, REQ));
	if (root >= 0)
		ok &= r[0] == 100 * lrank && r[1] == 100 * lrank + 1;
	/* scatterv: remote rank j gets 1 int from position 2 * (rsize - 1 - j) + 1 */
	for (i = 0; i < rsize; i++) {
		sc[i] = 1;
		dp[i] = 2 * (rsize - 1 - i) + 1;
	}
	r[0] = -1;
	CALL(nb, MPI_Scatterv(s, sc, dp, MPI_INT, r, 1, MPI_INT, root, c),
	     MPI_Iscatterv(s, sc, dp, MPI_INT, r, 1, MPI_INT, root, c, REQ));
	if (root >= 0)
		ok &= r[0] == 100 * (lsize - 1 - lrank) + 1;
	free(s);
	free(sc);
	free(dp);
	return ok;
}

static int allgather(MPI_Comm c, int nb)
{
	int s[2] = { my_world() * 10, my_world() * 10 + 1 }, *r = malloc(2 * rsize * sizeof(int));
	int *rc = malloc(rsize * sizeof(int)), *dp = malloc(rsize * sizeof(int)), i, k, ok = 1;

	CALL(nb, MPI_Allgather(s, 2, MPI_INT, r, 2, MPI_INT, c),
	     MPI_Iallgather(s, 2, MPI_INT, r, 2, MPI_INT, c, REQ));
	for (i = 0; i < rsize; i++)
		for (k = 0; k < 2; k++)
			ok &= r[2 * i + k] == remote_world(i) * 10 + k;
	for (i = 0; i < rsize; i++) {
		rc[i] = (i + 1) % 2 + 1;	/* remote rank j sends (j + 1) % 2 + 1 */
		dp[i] = 2 * i;
	}
	for (i = 0; i < 2 * rsize; i++)
		r[i] = -1;
	CALL(nb, MPI_Allgatherv(s, (lrank + 1) % 2 + 1, MPI_INT, r, rc, dp, MPI_INT, c),
	     MPI_Iallgatherv(s, (lrank + 1) % 2 + 1, MPI_INT, r, rc, dp, MPI_INT, c, REQ));
	for (i = 0; i < rsize; i++)
		for (k = 0; k < 2; k++)
			ok &= r[2 * i + k] == (k < rc[i] ? remote_world(i) * 10 + k : -1);
	free(r);
	free(rc);
	free(dp);
	return ok;
}

static int alltoall(MPI_Comm c, int nb)
{
	int *s = malloc(3 * rsize * sizeof(int)), *r = malloc(3 * rsize * sizeof(int));
	int *sc = malloc(rsize * sizeof(int)), *sd = malloc(rsize * sizeof(int));
	int *rc = malloc(rsize * sizeof(int)), *rd = malloc(rsize * sizeof(int));
	int *sdb = malloc(rsize * sizeof(int)), *rdb = malloc(rsize * sizeof(int));
	MPI_Datatype *st = malloc(rsize * sizeof(MPI_Datatype));
	MPI_Datatype *rt = malloc(rsize * sizeof(MPI_Datatype)), pair;
	int i, k, ok = 1;

	for (i = 0; i < 3 * rsize; i++)
		s[i] = my_world() * 100 + i;
	CALL(nb, MPI_Alltoall(s, 1, MPI_INT, r, 1, MPI_INT, c),
	     MPI_Ialltoall(s, 1, MPI_INT, r, 1, MPI_INT, c, REQ));
	for (i = 0; i < rsize; i++)
		ok &= r[i] == remote_world(i) * 100 + lrank;
	/* alltoallv: to remote j, j % 3 ints from 3 * j; from remote j, lrank % 3 ints */
	for (i = 0; i < rsize; i++) {
		sc[i] = i % 3;
		sd[i] = 3 * i;
		rc[i] = lrank % 3;
		rd[i] = 3 * (rsize - 1 - i);
	}
	for (i = 0; i < 3 * rsize; i++)
		r[i] = -1;
	CALL(nb, MPI_Alltoallv(s, sc, sd, MPI_INT, r, rc, rd, MPI_INT, c),
	     MPI_Ialltoallv(s, sc, sd, MPI_INT, r, rc, rd, MPI_INT, c, REQ));
	for (i = 0; i < rsize; i++)
		for (k = 0; k < lrank % 3; k++)
			ok &= r[rd[i] + k] == remote_world(i) * 100 + 3 * lrank + k;
	/* alltoallw: one int each, received as a contiguous pair type of two for odd j */
	MPI_Type_contiguous(2, MPI_INT, &pair);
	MPI_Type_commit(&pair);
	for (i = 0; i < rsize; i++) {
		sc[i] = 2;
		sdb[i] = (int)(3 * i * sizeof(int));
		st[i] = MPI_INT;
		rc[i] = i % 2 ? 1 : 2;
		rt[i] = i % 2 ? pair : MPI_INT;
		rdb[i] = (int)(3 * i * sizeof(int));
	}
	for (i = 0; i < 3 * rsize; i++)
		r[i] = -1;
	CALL(nb, MPI_Alltoallw(s, sc, sdb, st, r, rc, rdb, rt, c),
	     MPI_Ialltoallw(s, sc, sdb, st, r, rc, rdb, rt, c, REQ));
	for (i = 0; i < rsize; i++)
		for (k = 0; k < 2; k++)
			ok &= r[3 * i + k] == remote_world(i) * 100 + 3 * lrank + k;
	MPI_Type_free(&pair);
	free(s);
	free(r);
	free(sc);
	free(sd);
	free(rc);
	free(rd);
	free(sdb);
	free(rdb);
	free(st);
	free(rt);
	return ok;
}

/* (a, b) pairs compose as affine maps in rank order: not commutative. */
static void compose(void *in, void *inout, int *len, MPI_Datatype *dt)
{
	int *x = in, *y = inout, k;

	(void)dt;
	for (k = 0; k < *len; k++) {
		int a = y[2 * k] * x[2 * k] % 10007, b = (y[2 * k] * x[2 * k + 1] + y[2 * k + 1]) % 10007;

		y[2 * k] = a;
		y[2 * k + 1] = b;
	}
}

/* The composition of the other group's maps (w + 2, w) in its rank order. */
static void remote_composition(int *a, int *b)
{
	int j;

	*a = 1;
	*b = 0;
	for (j = 0; j < rsize; j++) {
		int w = remote_world(j);

		*b = ((w + 2) * *b + w) % 10007;
		*a = (w + 2) * *a % 10007;
	}
}

static int reductions(MPI_Comm c, int nb, int in_even, int at)
{
	int s[4] = { my_world(), 1, my_world() + 2, my_world() }, r[4] = { -1, -1, -1, -1 };
	int i, ok = 1, sum = 0, root = root_arg(in_even, at), ca, cb, *rc, total, lo;
	int *big, *blk;
	MPI_Op op;
	MPI_Datatype pair;

	for (i = 0; i < rsize; i++)
		sum += remote_world(i);
	CALL(nb, MPI_Reduce(s, r, 2, MPI_INT, MPI_SUM, root, c),
	     MPI_Ireduce(s, r, 2, MPI_INT, MPI_SUM, root, c, REQ));
	if (root == MPI_ROOT)
		ok &= r[0] == sum && r[1] == rsize;
	CALL(nb, MPI_Allreduce(s, r, 2, MPI_INT, MPI_MAX, c),
	     MPI_Iallreduce(s, r, 2, MPI_INT, MPI_MAX, c, REQ));
	ok &= r[0] == remote_world(rsize - 1) && r[1] == 1;
	/* a non-commutative user operation keeps the other group's rank order */
	MPI_Type_contiguous(2, MPI_INT, &pair);
	MPI_Type_commit(&pair);
	MPI_Op_create(compose, 0, &op);
	remote_composition(&ca, &cb);
	CALL(nb, MPI_Reduce(s + 2, r, 1, pair, op, root, c),
	     MPI_Ireduce(s + 2, r, 1, pair, op, root, c, REQ));
	if (root == MPI_ROOT)
		ok &= r[0] == ca && r[1] == cb;
	CALL(nb, MPI_Allreduce(s + 2, r, 1, pair, op, c),
	     MPI_Iallreduce(s + 2, r, 1, pair, op, c, REQ));
	ok &= r[0] == ca && r[1] == cb;
	MPI_Op_free(&op);
	MPI_Type_free(&pair);
	/* reduce-scatter: 12 elements in both groups, local rank i gets a share of them */
	total = 12;
	rc = malloc(lsize * sizeof(int));
	big = malloc((total + 2 * lsize) * sizeof(int));
	blk = malloc(total * sizeof(int));
	for (i = 0, lo = 0; i < lsize; i++) {
		rc[i] = total / lsize + (i < total % lsize);
		if (i < lrank)
			lo += rc[i];
	}
	for (i = 0; i < total + 2 * lsize; i++)
		big[i] = my_world() * 1000 + i;
	CALL(nb, MPI_Reduce_scatter(big, blk, rc, MPI_INT, MPI_SUM, c),
	     MPI_Ireduce_scatter(big, blk, rc, MPI_INT, MPI_SUM, c, REQ));
	for (i = 0; i < rc[lrank]; i++)
		ok &= blk[i] == sum * 1000 + rsize * (lo + i);
	/* reduce_scatter_block needs the same count in both groups: equal groups only */
	if (lsize == rsize) {
		CALL(nb, MPI_Reduce_scatter_block(big, blk, 2, MPI_INT, MPI_SUM, c),
		     MPI_Ireduce_scatter_block(big, blk, 2, MPI_INT, MPI_SUM, c, REQ));
		for (i = 0; i < 2; i++)
			ok &= blk[i] == sum * 1000 + rsize * (2 * lrank + i);
	}
	free(rc);
	free(big);
	free(blk);
	return ok;
}

static void collectives(MPI_Comm c, const char *on)
{
	int nb;

	for (nb = 0; nb < 2; nb++) {
		char label[96];
		int ok;

#define REPORT(what, expr) do { \
	ok = (expr); \
	snprintf(label, sizeof(label), "%s%s on %s", nb ? "I" : "", what, on); \
	report_ok(label, ok); \
} while (0)
		CALL(nb, MPI_Barrier(c), MPI_Ibarrier(c, REQ));
		REPORT("barrier", 1);
		/* from rank 0 of the evens, then from the last of the odds */
		/* (& not &&: every rank makes both calls whatever the first one gave) */
		REPORT("bcast", bcast(c, nb, 1, 0) & bcast(c, nb, 0, even ? rsize - 1 : lsize - 1));
		REPORT("gather(v)", gather(c, nb, 1, 0) & gather(c, nb, 0, 0));
		REPORT("scatter(v)", scatter(c, nb, 0, 0) & scatter(c, nb, 1, 0));
		REPORT("allgather(v)", allgather(c, nb));
		REPORT("alltoall(v,w)", alltoall(c, nb));
		REPORT("reduce, allreduce, reduce_scatter(_block)",
		       reductions(c, nb, 1, 0) & reductions(c, nb, 0, 0));
#undef REPORT
	}
}

/* ---- new communicators from the intercommunicator ---- */

static void constructors(void)
{
	MPI_Comm sc, cc, merged;
	MPI_Group lg, half;
	int n, sum, one = 1, ok, r, first[64], i, rc;

	/* split by local rank parity: the remote group is the other side's same parity */
	MPI_Comm_split(ic, lrank % 2, lsize - lrank, &sc);
	if (sc == MPI_COMM_NULL) {
		ok = 0;
	} else {
		MPI_Comm_remote_size(sc, &n);
		MPI_Comm_rank(sc, &r);
		ok = n == rsize / 2 + (lrank % 2 == 0 && rsize % 2);
		MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, sc);
		ok &= sum == n;
		/* keys reverse the order within the color */
		ok &= r == (lsize - 1 - lrank) / 2;
	}
	report_ok("MPI_Comm_split of an intercommunicator", ok || (lrank % 2 && rsize < 2));
	if (sc != MPI_COMM_NULL)
		MPI_Comm_free(&sc);
	/* create: the first half (rounded up) of each group */
	MPI_Comm_group(ic, &lg);
	for (i = 0; i < (lsize + 1) / 2; i++)
		first[i] = i;
	MPI_Group_incl(lg, (lsize + 1) / 2, first, &half);
	MPI_Comm_create(ic, half, &cc);
	ok = (cc != MPI_COMM_NULL) == (lrank < (lsize + 1) / 2);
	if (cc != MPI_COMM_NULL) {
		MPI_Comm_remote_size(cc, &n);
		MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, cc);
		ok &= n == (rsize + 1) / 2 && sum == n;
		MPI_Comm_free(&cc);
	}
	report_ok("MPI_Comm_create of an intercommunicator", ok);
	/* the whole local group: a dup in effect */
	MPI_Comm_create(ic, lg, &cc);
	MPI_Comm_compare(ic, cc, &r);
	report_ok("MPI_Comm_create with the whole group is congruent", r == MPI_CONGRUENT);
	MPI_Comm_free(&cc);
	/* rank 0 of each group: a 1 x 1 intercommunicator */
	MPI_Group_free(&half);
	MPI_Group_incl(lg, 1, first, &half);
	MPI_Comm_create(ic, half, &cc);
	ok = (cc != MPI_COMM_NULL) == (lrank == 0);
	if (cc != MPI_COMM_NULL) {
		int x = rank, y = -1;

		MPI_Comm_remote_size(cc, &n);
		MPI_Sendrecv(&x, 1, MPI_INT, 0, 0, &y, 1, MPI_INT, 0, 0, cc, MPI_STATUS_IGNORE);
		ok &= n == 1 && y == remote_world(0);
		MPI_Comm_free(&cc);
	}
	report_ok("MPI_Comm_create of rank 0 of each group", ok);
	/* an empty group on one side: nobody gets a communicator */
	MPI_Comm_create(ic, even ? lg : MPI_GROUP_EMPTY, &cc);
	report_ok("MPI_Comm_create with MPI_GROUP_EMPTY on one side", cc == MPI_COMM_NULL);
	/* split with one color for all: a dup in effect */
	MPI_Comm_split(ic, 0, 0, &sc);
	MPI_Comm_compare(ic, sc, &r);
	report_ok("MPI_Comm_split with one color is congruent", r == MPI_CONGRUENT);
	MPI_Comm_free(&sc);
	MPI_Group_free(&half);
	MPI_Group_free(&lg);
	/* merge: the odd ranks first (high = even) */
	MPI_Intercomm_merge(ic, even, &merged);
	MPI_Comm_rank(merged, &r);
	MPI_Comm_size(merged, &n);
	report_ok("MPI_Intercomm_merge order", n == size && r == (even ? rsize + lrank : lrank));
	MPI_Comm_free(&merged);
	/* scan is not defined on intercommunicators */
	MPI_Comm_set_errhandler(ic, MPI_ERRORS_RETURN);
	rc = MPI_Scan(&one, &sum, 1, MPI_INT, MPI_SUM, ic);
	if (rank == 0)
		printf("MPI_Scan on an intercommunicator: %s\n", errname(rc));
	MPI_Comm_set_errhandler(ic, MPI_ERRORS_ARE_FATAL);
}

int main(int argc, char **argv)
{
	conf_init(&argc, &argv);
	if (size < 2) {
		printf("intercommunicators need 2 ranks\n");
		conf_done();
		return 0;
	}
	ic = make(0);
	basics();
	collectives(ic, "evens and odds");
	constructors();
	MPI_Comm_free(&ic);
	ic = make(1);
	collectives(ic, "rank 0 and the rest");
	MPI_Comm_free(&ic);
	conf_done();
	return 0;
}
