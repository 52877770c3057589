/* SPDX-License-Identifier: MIT */
/*
 * comm_idup: MPI_Comm_idup is non-blocking. Each case deadlocks (or is refused) when the
 * dup is done inside the call: the ranks reach the idup at different points of a blocking
 * exchange; several idups of one communicator are outstanding at once; a ring of pair
 * communicators is dupped in an order that makes a cycle; idups are interleaved with other
 * non-blocking collectives on the parent and with a blocking dup; an intercommunicator is
 * dupped. Every new communicator is then used.
 */
#include "conf.h"

/* 1 when c works: an allreduce of ones gives its size, and it is congruent to parent. */
static int usable(MPI_Comm c, MPI_Comm parent)
{
	int one = 1, sum, n, cmp;

	MPI_Comm_size(c, &n);
	MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, c);
	MPI_Comm_compare(c, parent, &cmp);
	return sum == n && cmp == MPI_CONGRUENT;
}

/* Even ranks send synchronously to the next rank before their idup; odd ranks idup first
 * and receive after: a dup inside the call would wait for a rank stuck in MPI_Ssend. */
static void idup_across_a_blocking_send(void)
{
	MPI_Comm d;
	MPI_Request req;
	int x = rank, y = -1, ok = 1;

	if (rank % 2 == 0 && rank + 1 < size) {
		MPI_Ssend(&x, 1, MPI_INT, rank + 1, 3, MPI_COMM_WORLD);
		MPI_Comm_idup(MPI_COMM_WORLD, &d, &req);
	} else if (rank % 2 == 1) {
		MPI_Comm_idup(MPI_COMM_WORLD, &d, &req);
		MPI_Recv(&y, 1, MPI_INT, rank - 1, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		ok = y == rank - 1;
	} else {
		MPI_Comm_idup(MPI_COMM_WORLD, &d, &req);
	}
	MPI_Wait(&req, MPI_STATUS_IGNORE);
	ok &= usable(d, MPI_COMM_WORLD);
	report_ok("idup across a blocking synchronous send", ok);
	MPI_Comm_free(&d);
}

static int copies;

static int count_copy(MPI_Comm c, int key, void *extra, void *in, void *out, int *flag)
{
	(void)c;
	(void)key;
	(void)extra;
	copies++;
	*(void **)out = in;
	*flag = 1;
	return MPI_SUCCESS;
}

static void many_outstanding(void)
{
	enum { N = 6 };
	MPI_Comm parent, d[N];
	MPI_Request req[N];
	int i, j, ok = 1, key, *val, flag, cmp;

	MPI_Comm_dup(MPI_COMM_WORLD, &parent);
	MPI_Comm_create_keyval(count_copy, MPI_COMM_NULL_DELETE_FN, &key, NULL);
	MPI_Comm_set_attr(parent, key, &copies);
	for (i = 0; i < N; i++)
		MPI_Comm_idup(parent, &d[i], &req[i]);
	/* the copy callbacks ran in the calls */
	ok &= copies == N;
	MPI_Waitall(N, req, MPI_STATUSES_IGNORE);
	for (i = 0; i < N; i++) {
		ok &= usable(d[i], parent);
		MPI_Comm_get_attr(d[i], key, &val, &flag);
		ok &= flag && val == &copies;
		for (j = 0; j < i; j++) {
			MPI_Comm_compare(d[i], d[j], &cmp);
			ok &= cmp == MPI_CONGRUENT;
		}
	}
	/* the new communicators do not mix messages: rank r sends its rank on each of them
	 * to rank 0, which receives in the opposite order */
	if (rank != 0)
		for (i = 0; i < N; i++) {
			int v = rank * 100 + i;

			MPI_Send(&v, 1, MPI_INT, 0, 1, d[i]);
		}
	else
		for (i = N - 1; i >= 0; i--)
			for (j = 1; j < size; j++) {
				int v;

				MPI_Recv(&v, 1, MPI_INT, j, 1, d[i], MPI_STATUS_IGNORE);
				ok &= v == j * 100 + i;
			}
	report_ok("six outstanding idups of one communicator", ok);
	for (i = 0; i < N; i++)
		MPI_Comm_free(&d[i]);
	MPI_Comm_free(&parent);
	MPI_Comm_free_keyval(&key);
}

/*
 * Pairs (0,1), (2,3) ... and (1,2), (3,4) ... (n-1,0) of the first m ranks (m even) make a
 * ring; even ranks idup their first pair first, odd ranks their second: done inside the
 * calls, each rank would wait for the next one round the ring.
 */
static void ring_of_pairs(void)
{
	int m = size % 2 ? size - 1 : size, ok = 1;
	MPI_Comm a, b, da, db;
	MPI_Request req[2];

	MPI_Comm_split(MPI_COMM_WORLD, rank < m ? rank / 2 : MPI_UNDEFINED, rank, &a);
	MPI_Comm_split(MPI_COMM_WORLD, rank < m ? ((rank + 1) % m) / 2 : MPI_UNDEFINED, rank, &b);
	if (rank < m) {
		if (rank % 2 == 0) {
			MPI_Comm_idup(a, &da, &req[0]);
			MPI_Comm_idup(b, &db, &req[1]);
		} else {
			MPI_Comm_idup(b, &db, &req[1]);
			MPI_Comm_idup(a, &da, &req[0]);
		}
		MPI_Waitall(2, req, MPI_STATUSES_IGNORE);
		ok = usable(da, a) && usable(db, b);
		MPI_Comm_free(&da);
		MPI_Comm_free(&db);
		MPI_Comm_free(&a);
		MPI_Comm_free(&b);
	}
	report_ok("idups of a ring of overlapping pairs", ok);
}

/* idup between other non-blocking collectives on the parent, completed in reverse order,
 * and a blocking dup of the parent while the idup is outstanding. */
static void interleaved(void)
{
	MPI_Comm d, d2;
	MPI_Request req[3];
	int x = rank + 1, sum = 0, ok = 1;

	MPI_Iallreduce(&x, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &req[0]);
	MPI_Comm_idup(MPI_COMM_WORLD, &d, &req[1]);
	MPI_Ibarrier(MPI_COMM_WORLD, &req[2]);
	MPI_Wait(&req[2], MPI_STATUS_IGNORE);
	MPI_Wait(&req[1], MPI_STATUS_IGNORE);
	MPI_Wait(&req[0], MPI_STATUS_IGNORE);
	ok &= sum == size * (size + 1) / 2 && usable(d, MPI_COMM_WORLD);
	report_ok("idup between iallreduce and ibarrier", ok);
	MPI_Comm_free(&d);
	MPI_Comm_idup(MPI_COMM_WORLD, &d, &req[0]);
	MPI_Comm_dup(MPI_COMM_WORLD, &d2);
	ok = usable(d2, MPI_COMM_WORLD);
	MPI_Wait(&req[0], MPI_STATUS_IGNORE);
	ok &= usable(d, MPI_COMM_WORLD);
	report_ok("blocking dup while an idup is outstanding", ok);
	MPI_Comm_free(&d);
	MPI_Comm_free(&d2);
}

static void of_an_intercommunicator(void)
{
	MPI_Comm half, ic, d;
	MPI_Request req;
	int ok = 1, flag, n, x, sum;

	if (size < 2) {
		report_ok("idup of an intercommunicator", 1);
		return;
	}
	MPI_Comm_split(MPI_COMM_WORLD, rank % 2, rank, &half);
	MPI_Intercomm_create(half, 0, MPI_COMM_WORLD, rank % 2 ? 0 : 1, 8, &ic);
	MPI_Comm_idup(ic, &d, &req);
	/* traffic on the parent meanwhile */
	x = rank;
	MPI_Allreduce(&x, &sum, 1, MPI_INT, MPI_SUM, ic);
	MPI_Wait(&req, MPI_STATUS_IGNORE);
	MPI_Comm_test_inter(d, &flag);
	MPI_Comm_remote_size(d, &n);
	ok = flag && n == (rank % 2 ? (size + 1) / 2 : size / 2);
	MPI_Allreduce(&x, &sum, 1, MPI_INT, MPI_MAX, d);
	ok &= sum == (rank % 2 ? (size - 1) / 2 * 2 : (size % 2 ? size - 2 : size - 1));
	report_ok("idup of an intercommunicator", ok);
	MPI_Comm_free(&d);
	MPI_Comm_free(&ic);
	MPI_Comm_free(&half);
}

int main(int argc, char **argv)
{
	conf_init(&argc, &argv);
	idup_across_a_blocking_send();
	many_outstanding();
	ring_of_pairs();
	interleaved();
	of_an_intercommunicator();
	conf_done();
	return 0;
}
