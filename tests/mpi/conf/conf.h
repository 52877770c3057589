/* SPDX-License-Identifier: MIT */
/*
 * conf.h: helpers of the MPI conformance programs. Each program exercises one area, every
 * rank computes, and rank 0 alone prints (after gathering), so that the output is the same
 * whichever MPI runs it and whatever order the ranks run in. Plain MPI: builds with Open
 * MPI's mpicc and with tessera-mpicc alike.
 */
#ifndef CONF_H
#define CONF_H

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rank, size;

static void conf_init(int *argc, char ***argv)
{
	MPI_Init(argc, argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
}

/* 0 when CONF_NO_SHARED_WINDOWS is set: the one-sided programs then leave out their windows
 * of MPI_Win_allocate_shared over MPI_COMM_WORLD, which an MPI refuses when the ranks are on
 * several nodes (make test-dist: a board over several hosts, and Open MPI beside it). */
static inline int conf_shared_windows(void)
{
	return !getenv("CONF_NO_SHARED_WINDOWS");
}

/* Rank 0 prints label and, for every rank, its n values. */
static void report_ints(const char *label, const int *v, int n)
{
	int *all = malloc((size_t)(n * size + 1) * sizeof(int)), r, i;

	MPI_Gather(v, n, MPI_INT, all, n, MPI_INT, 0, MPI_COMM_WORLD);
	if (rank == 0) {
		printf("%s:", label);
		for (r = 0; r < size; r++) {
			printf(" [");
			for (i = 0; i < n; i++)
				printf(i ? " %d" : "%d", all[r * n + i]);
			printf("]");
		}
		printf("\n");
	}
	free(all);
}

static void report_int(const char *label, int v)
{
	report_ints(label, &v, 1);
}

/* Rank 0 prints one value known to be the same everywhere (checked: "MISMATCH" if not). */
static void report_same(const char *label, int v)
{
	int lo, hi;

	MPI_Allreduce(&v, &lo, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	MPI_Allreduce(&v, &hi, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	if (rank == 0) {
		if (lo == hi)
			printf("%s: %d\n", label, lo);
		else
			printf("%s: MISMATCH %d..%d\n", label, lo, hi);
	}
}

/* Rank 0 prints n values that rank `root` holds (collective). */
static void report_from(const char *label, const int *v, int n, int root)
{
	int *buf = malloc((size_t)(n + 1) * sizeof(int)), i;

	if (rank == root)
		memcpy(buf, v, (size_t)n * sizeof(int));
	MPI_Bcast(&n, 1, MPI_INT, root, MPI_COMM_WORLD);
	MPI_Bcast(buf, n, MPI_INT, root, MPI_COMM_WORLD);
	if (rank == 0) {
		printf("%s:", label);
		for (i = 0; i < n; i++)
			printf(" %d", buf[i]);
		printf("\n");
	}
	free(buf);
}

/* 1 on every rank when ok is true on every rank. */
static int all_ok(int ok)
{
	int r;

	MPI_Allreduce(&ok, &r, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
	return r;
}

static void report_ok(const char *label, int ok)
{
	ok = all_ok(ok);
	if (rank == 0)
		printf("%s: %s\n", label, ok ? "ok" : "FAILED");
}

/* The symbolic name of an error class (the numbers differ between MPIs). */
static const char *errname(int code)
{
	int cls;

	if (code == MPI_SUCCESS)
		return "MPI_SUCCESS";
	MPI_Error_class(code, &cls);
#define E(x) if (cls == x) return #x;
	E(MPI_ERR_BUFFER) E(MPI_ERR_COUNT) E(MPI_ERR_TYPE) E(MPI_ERR_TAG) E(MPI_ERR_COMM)
	E(MPI_ERR_RANK) E(MPI_ERR_REQUEST) E(MPI_ERR_ROOT) E(MPI_ERR_GROUP) E(MPI_ERR_OP)
	E(MPI_ERR_TOPOLOGY) E(MPI_ERR_DIMS) E(MPI_ERR_ARG) E(MPI_ERR_UNKNOWN)
	E(MPI_ERR_TRUNCATE) E(MPI_ERR_OTHER) E(MPI_ERR_INTERN) E(MPI_ERR_IN_STATUS)
	E(MPI_ERR_PENDING) E(MPI_ERR_KEYVAL) E(MPI_ERR_NO_MEM) E(MPI_ERR_INFO_KEY)
	E(MPI_ERR_INFO_VALUE) E(MPI_ERR_INFO_NOKEY) E(MPI_ERR_INFO)
	E(MPI_ERR_UNSUPPORTED_OPERATION)
	/* one-sided communication and I/O */
	E(MPI_ERR_WIN) E(MPI_ERR_BASE) E(MPI_ERR_SIZE) E(MPI_ERR_DISP) E(MPI_ERR_LOCKTYPE)
	E(MPI_ERR_ASSERT) E(MPI_ERR_RMA_CONFLICT) E(MPI_ERR_RMA_SYNC) E(MPI_ERR_RMA_RANGE)
	E(MPI_ERR_RMA_ATTACH) E(MPI_ERR_RMA_SHARED) E(MPI_ERR_RMA_FLAVOR) E(MPI_ERR_FILE)
	E(MPI_ERR_NOT_SAME) E(MPI_ERR_AMODE) E(MPI_ERR_UNSUPPORTED_DATAREP)
	E(MPI_ERR_NO_SUCH_FILE) E(MPI_ERR_FILE_EXISTS) E(MPI_ERR_BAD_FILE) E(MPI_ERR_ACCESS)
	E(MPI_ERR_NO_SPACE) E(MPI_ERR_QUOTA) E(MPI_ERR_READ_ONLY) E(MPI_ERR_FILE_IN_USE)
	E(MPI_ERR_DUP_DATAREP) E(MPI_ERR_CONVERSION) E(MPI_ERR_IO)
#undef E
	return "other";
}

static void conf_done(void)
{
	fflush(stdout);
	MPI_Finalize();
}

/* The value-index pairs of MPI's MINLOC/MAXLOC types (MPI_FLOAT_INT ... MPI_LONG_DOUBLE_INT). */
struct fi { float v; int i; };
struct di { double v; int i; };
struct li { long v; int i; };
struct ii { int v; int i; };
struct si { short v; int i; };
struct ldi { long double v; int i; };

#endif
