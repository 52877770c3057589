/* SPDX-License-Identifier: MIT */
/*
 * io_coll.c: collective MPI-IO: write_all/read_all over interleaved views (with the default
 * hints and with small collective buffers, several aggregators and many tiny pieces),
 * subarray views of a 2-D array, explicit offsets (_at_all), split collectives, the MPI-3.1
 * nonblocking collectives (also started in a chain of messages that deadlocks if starting one
 * waited for the other ranks), ordered access through the shared pointer, and external32.
 *
 * It also checks that the other MPI reads what this one wrote: every run first verifies
 * io_interop.<ranks>.dat if the directory holds one (left by the previous run: the
 * conformance test runs Open MPI, then tessera, then Open MPI again in one directory, with
 * the argument "keep") and prints only if it is wrong, then writes it anew; without "keep"
 * it removes it at the end.
 */
#include "conf.h"

/* What one rank wrote, the others read: MPI-3.1 13.6.10's sync-barrier-sync. */
static void settle(MPI_File fh)
{
	MPI_File_sync(fh);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_File_sync(fh);
}

/* Writes K blocks of blk ints per rank, interleaved rank by rank, with write_all (half at
 * the individual pointer, half at an explicit offset), reads them back with read_all, and
 * reports the counts, the check and a few values read through bytes. */
static void interleaved(const char *label, int blk, int k, MPI_Info info)
{
	int n = blk * k, *w = malloc(n * sizeof(int)), *r = malloc(n * sizeof(int)), ok = 1;
	int counts[3], probe[2];
	MPI_Datatype b, ft;
	MPI_File fh;
	MPI_Status st;

	for (int i = 0; i < n; i++)
		w[i] = rank * 1000000 + i;
	MPI_Type_contiguous(blk, MPI_INT, &b);
	MPI_Type_create_resized(b, 0, (MPI_Aint)blk * size * sizeof(int), &ft);
	MPI_Type_commit(&ft);
	MPI_File_open(MPI_COMM_WORLD, "io_coll_a.dat", MPI_MODE_CREATE | MPI_MODE_RDWR |
		      MPI_MODE_DELETE_ON_CLOSE, info, &fh);
	MPI_File_set_view(fh, (MPI_Offset)rank * blk * sizeof(int), MPI_INT, ft, "native", info);
	MPI_File_write_all(fh, w, n / 2, MPI_INT, &st);
	MPI_Get_count(&st, MPI_INT, &counts[0]);
	MPI_File_write_at_all(fh, n / 2, w + n / 2, n - n / 2, MPI_INT, &st);
	MPI_Get_count(&st, MPI_INT, &counts[1]);
	settle(fh);
	MPI_File_seek(fh, 0, MPI_SEEK_SET);
	MPI_File_read_all(fh, r, n, MPI_INT, &st);
	MPI_Get_count(&st, MPI_INT, &counts[2]);
	for (int i = 0; i < n; i++)
		ok &= r[i] == w[i];
	MPI_File_set_view(fh, 0, MPI_INT, MPI_INT, "native", MPI_INFO_NULL);
	/* int j of rank q is at (j / blk * size + q) * blk + j % blk */
	int q = (rank + 1) % size, j = n - 1;
	MPI_File_read_at(fh, (MPI_Offset)(j / blk * size + q) * blk + j % blk, &probe[0], 1,
			 MPI_INT, &st);
	j = n / 3;
	MPI_File_read_at(fh, (MPI_Offset)(j / blk * size + q) * blk + j % blk, &probe[1], 1,
			 MPI_INT, &st);
	if (rank == 0)
		printf("%s:\n", label);
	report_ints("  counts write_all, write_at_all, read_all", counts, 3);
	report_ok("  read back", ok);
	report_ints("  neighbour's ints through a plain view", probe, 2);
	MPI_File_close(&fh);
	MPI_Type_free(&b);
	MPI_Type_free(&ft);
	free(w);
	free(r);
}

/* A 2-D array of N x N ints, block columns per rank through a subarray filetype. */
static void subarray(void)
{
	enum { N = 48 };
	int cols = N / size + (rank < N % size), start = rank * (N / size) + (rank < N % size ? rank :
			N % size);
	int gs[2] = { N, N }, ls[2] = { N, cols }, st0[2] = { 0, start };
	int *mine = malloc(N * cols * sizeof(int)), *all = malloc(N * N * sizeof(int)), ok = 1;
	MPI_Datatype sub;
	MPI_File fh;
	MPI_Status st;

	for (int i = 0; i < N; i++)
		for (int j = 0; j < cols; j++)
			mine[i * cols + j] = i * N + start + j;
	MPI_Type_create_subarray(2, gs, ls, st0, MPI_ORDER_C, MPI_INT, &sub);
	MPI_Type_commit(&sub);
	MPI_File_open(MPI_COMM_WORLD, "io_coll_b.dat", MPI_MODE_CREATE | MPI_MODE_RDWR |
		      MPI_MODE_DELETE_ON_CLOSE, MPI_INFO_NULL, &fh);
	MPI_File_set_view(fh, 0, MPI_INT, sub, "native", MPI_INFO_NULL);
	MPI_File_write_all(fh, mine, N * cols, MPI_INT, &st);
	settle(fh);
	MPI_File_set_view(fh, 0, MPI_INT, MPI_INT, "native", MPI_INFO_NULL);
	MPI_File_read_all(fh, all, N * N, MPI_INT, &st);
	for (int i = 0; i < N * N; i++)
		ok &= all[i] == i;
	report_ok("subarray columns: the whole array in row order", ok);
	MPI_File_close(&fh);
	MPI_Type_free(&sub);
	free(mine);
	free(all);
}

/* Split collectives, nonblocking collectives, ordered access. */
static void variants(void)
{
	int v[4], r[4] = { 0 }, count, *recs, ok = 1, total = size * (size + 1) / 2;
	MPI_File fh;
	MPI_Status st;
	MPI_Request rq;
	MPI_Offset pos;

	for (int i = 0; i < 4; i++)
		v[i] = 10 * rank + i;
	MPI_File_open(MPI_COMM_WORLD, "io_coll_c.dat", MPI_MODE_CREATE | MPI_MODE_RDWR |
		      MPI_MODE_DELETE_ON_CLOSE, MPI_INFO_NULL, &fh);
	MPI_File_set_view(fh, 0, MPI_INT, MPI_INT, "native", MPI_INFO_NULL);
	MPI_File_write_at_all_begin(fh, 4 * rank, v, 4, MPI_INT);
	MPI_File_write_at_all_end(fh, v, &st);
	MPI_Get_count(&st, MPI_INT, &count);
	report_int("write_at_all_begin/end count", count);
	settle(fh);
	MPI_File_seek(fh, 4 * ((rank + 1) % size), MPI_SEEK_SET);
	MPI_File_read_all_begin(fh, r, 4, MPI_INT);
	MPI_File_read_all_end(fh, r, &st);
	report_ints("read_all_begin/end", r, 4);
	/* MPI-3.1's nonblocking collectives */
	MPI_File_iwrite_at_all(fh, 4 * size + rank, &v[3], 1, MPI_INT, &rq);
	MPI_Wait(&rq, &st);
	MPI_Get_count(&st, MPI_INT, &count);
	settle(fh);
	MPI_File_iread_at_all(fh, 4 * size + (size - 1 - rank), &r[0], 1, MPI_INT, &rq);
	MPI_Wait(&rq, &st);
	int nb[2] = { count, r[0] };
	report_ints("iwrite_at_all count, iread_at_all value", nb, 2);
	/* ordered: rank q writes q + 1 ints after the shared pointer, in rank order */
	MPI_File_seek_shared(fh, 5 * size, MPI_SEEK_SET);
	for (int i = 0; i < 4; i++)
		v[i] = 100 * rank + i;
	MPI_File_write_ordered(fh, v, rank + 1 > 4 ? 4 : rank + 1, MPI_INT, &st);
	settle(fh);
	MPI_File_get_position_shared(fh, &pos);
	report_same("shared pointer after write_ordered", (int)pos);
	MPI_File_seek_shared(fh, 5 * size, MPI_SEEK_SET);
	recs = malloc(total * sizeof(int));
	MPI_File_read_ordered(fh, recs, rank + 1 > 4 ? 4 : rank + 1, MPI_INT, &st);
	MPI_Get_count(&st, MPI_INT, &count);
	for (int i = 0; i < count; i++)
		ok &= recs[i] == 100 * rank + i;
	report_ok("read_ordered gets each rank its own record", ok);
	MPI_File_seek_shared(fh, 5 * size, MPI_SEEK_SET);
	MPI_File_write_ordered_begin(fh, v, 1, MPI_INT);
	MPI_File_write_ordered_end(fh, v, &st);
	settle(fh);
	/* (not read_ordered_begin/end: Open MPI 4.1's hangs in the end call) */
	MPI_File_read_at(fh, 5 * size + (rank + 1) % size, r, 1, MPI_INT, &st);
	report_int("write_ordered_begin/end: the next rank's int", r[0]);
	MPI_File_close(&fh);
	free(recs);
}

/*
 * A nonblocking collective waits for nobody when it starts: rank q receives a token from rank
 * q - 1, starts its MPI_File_iwrite_all, and only then sends the token to rank q + 1, so
 * rank q + 1 starts its access after rank q's has begun (a chain that never ends if starting
 * waited for the others); then the same with a split collective (write_all_begin ... _end)
 * and with MPI_File_iread_all. The view interleaves the ranks' pairs of ints row by row, so
 * the data go through the aggregators.
 */
/* The token of chained(): from rank q - 1 before an access starts, to q + 1 after. */
static void token_in(int tag)
{
	int token;

	if (rank > 0)
		MPI_Recv(&token, 1, MPI_INT, rank - 1, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}

static void token_out(int tag)
{
	int token = tag;

	if (rank < size - 1)
		MPI_Send(&token, 1, MPI_INT, rank + 1, tag, MPI_COMM_WORLD);
}

static void chained(void)
{
	int v[4], back[4], counts[3], ok = 1;
	MPI_Datatype pair, row;
	MPI_File fh;
	MPI_Request rq;
	MPI_Status st;

	for (int i = 0; i < 4; i++)
		v[i] = 1000 * rank + i;
	MPI_Type_contiguous(2, MPI_INT, &pair);
	MPI_Type_create_resized(pair, 0, (MPI_Aint)2 * size * sizeof(int), &row);
	MPI_Type_commit(&row);
	MPI_File_open(MPI_COMM_WORLD, "io_coll_f.dat", MPI_MODE_CREATE | MPI_MODE_RDWR |
		      MPI_MODE_DELETE_ON_CLOSE, MPI_INFO_NULL, &fh);
	MPI_File_set_view(fh, (MPI_Offset)2 * rank * sizeof(int), MPI_INT, row, "native",
			  MPI_INFO_NULL);
	token_in(11);
	MPI_File_iwrite_all(fh, v, 2, MPI_INT, &rq);
	token_out(11);
	MPI_Wait(&rq, &st);
	MPI_Get_count(&st, MPI_INT, &counts[0]);
	token_in(12);
	MPI_File_write_all_begin(fh, v + 2, 2, MPI_INT);
	token_out(12);
	MPI_File_write_all_end(fh, v + 2, &st);
	MPI_Get_count(&st, MPI_INT, &counts[1]);
	settle(fh);
	MPI_File_seek(fh, 0, MPI_SEEK_SET);
	token_in(13);
	MPI_File_iread_all(fh, back, 4, MPI_INT, &rq);
	token_out(13);
	MPI_Wait(&rq, &st);
	MPI_Get_count(&st, MPI_INT, &counts[2]);
	for (int i = 0; i < 4; i++)
		ok &= back[i] == v[i];
	report_ints("chained iwrite_all, write_all_begin/end, iread_all counts", counts, 3);
	report_ok("chained: read back", ok);
	MPI_File_close(&fh);
	MPI_Type_free(&pair);
	MPI_Type_free(&row);
}

/* external32: doubles written through a view, seen as big-endian bytes. */
static void external32(void)
{
	double d[2] = { 1.5 + rank, -2.25 }, back[2];
	unsigned char raw[8];
	MPI_File fh;
	MPI_Status st;

	MPI_File_open(MPI_COMM_WORLD, "io_coll_d.dat", MPI_MODE_CREATE | MPI_MODE_RDWR |
		      MPI_MODE_DELETE_ON_CLOSE, MPI_INFO_NULL, &fh);
	MPI_File_set_view(fh, 8, MPI_DOUBLE, MPI_DOUBLE, "external32", MPI_INFO_NULL);
	MPI_File_write_at_all(fh, 2 * rank, d, 2, MPI_DOUBLE, &st);
	settle(fh);
	MPI_File_read_at_all(fh, 2 * ((rank + 1) % size), back, 2, MPI_DOUBLE, &st);
	MPI_File_set_view(fh, 0, MPI_BYTE, MPI_BYTE, "native", MPI_INFO_NULL);
	MPI_File_read_at_all(fh, 8 + 16 * rank, raw, 8, MPI_BYTE, &st);
	int v[3] = { (int)(back[0] * 4), (int)(back[1] * 4), raw[0] << 8 | raw[1] };
	report_ints("external32: doubles back (x4), first bytes", v, 3);
	MPI_File_close(&fh);
}

/* ---- What another MPI wrote, and what it will read ---- */

enum { IB = 3, IK = 40, IE = 25 };

static void interop_types(MPI_Datatype *ft)
{
	MPI_Datatype b;

	MPI_Type_contiguous(IB, MPI_INT, &b);
	MPI_Type_create_resized(b, 0, (MPI_Aint)IB * size * sizeof(int), ft);
	MPI_Type_commit(ft);
	MPI_Type_free(&b);
}

/* Region A: IK blocks of IB ints per rank, interleaved; region B: IE doubles per rank in
 * external32, after region A; region C: rank r's r + 1 ints in rank order, after B. */
static MPI_Offset region_b(void)
{
	return (MPI_Offset)IB * IK * size * sizeof(int);
}

static MPI_Offset region_c(void)
{
	return region_b() + (MPI_Offset)IE * size * 8;
}

static void interop_access(MPI_File fh, int *a, double *b, int *c, int write)
{
	MPI_Datatype ft;
	MPI_Status st;

	interop_types(&ft);
	MPI_File_set_view(fh, (MPI_Offset)rank * IB * sizeof(int), MPI_INT, ft, "native",
			  MPI_INFO_NULL);
	if (write)
		MPI_File_write_all(fh, a, IB * IK, MPI_INT, &st);
	else
		MPI_File_read_all(fh, a, IB * IK, MPI_INT, &st);
	MPI_File_set_view(fh, region_b(), MPI_DOUBLE, MPI_DOUBLE, "external32", MPI_INFO_NULL);
	if (write)
		MPI_File_write_at_all(fh, (MPI_Offset)IE * rank, b, IE, MPI_DOUBLE, &st);
	else
		MPI_File_read_at_all(fh, (MPI_Offset)IE * rank, b, IE, MPI_DOUBLE, &st);
	MPI_File_set_view(fh, region_c(), MPI_INT, MPI_INT, "native", MPI_INFO_NULL);
	if (write)
		MPI_File_write_ordered(fh, c, rank + 1, MPI_INT, &st);
	else
		MPI_File_read_ordered(fh, c, rank + 1, MPI_INT, &st);
	MPI_Type_free(&ft);
}

static void interop_data(int *a, double *b, int *c)
{
	for (int i = 0; i < IB * IK; i++)
		a[i] = 7 * rank + 13 * i;
	for (int i = 0; i < IE; i++)
		b[i] = rank + i / 8.0;
	for (int i = 0; i <= rank; i++)
		c[i] = 1000 * rank + i;
}

static void interop(int write, int keep)
{
	int a[IB * IK], ea[IB * IK], *c = malloc((size + 1) * sizeof(int)),
	    *ec = malloc((size + 1) * sizeof(int)), wrong = 0, rc;
	double b[IE], eb[IE];
	char name[64];
	MPI_File fh;

	snprintf(name, sizeof(name), "io_interop.%d.dat", size);
	interop_data(ea, eb, ec);
	if (write) {
		MPI_File_open(MPI_COMM_WORLD, name, MPI_MODE_CREATE | MPI_MODE_WRONLY, MPI_INFO_NULL,
			      &fh);
		MPI_File_set_size(fh, 0);
		interop_access(fh, ea, eb, ec, 1);
		MPI_File_close(&fh);
		if (!keep && rank == 0)
			MPI_File_delete(name, MPI_INFO_NULL);
		free(c);
		free(ec);
		return;
	}
	rc = MPI_File_open(MPI_COMM_WORLD, name, MPI_MODE_RDONLY, MPI_INFO_NULL, &fh);
	if (rc == MPI_SUCCESS) {
		interop_access(fh, a, b, c, 0);
		MPI_File_close(&fh);
		for (int i = 0; i < IB * IK; i++)
			wrong += a[i] != ea[i];
		for (int i = 0; i < IE; i++)
			wrong += b[i] != eb[i];
		for (int i = 0; i <= rank; i++)
			wrong += c[i] != ec[i];
		MPI_Allreduce(MPI_IN_PLACE, &wrong, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
		if (rank == 0 && wrong)
			printf("the file the previous run left: %d values wrong\n", wrong);
	}
	free(c);
	free(ec);
}

int main(int argc, char **argv)
{
	MPI_Info small;
	int keep;

	conf_init(&argc, &argv);
	keep = argc > 1 && !strcmp(argv[1], "keep");
	interop(0, keep);
	interleaved("blocks of 2 ints, default hints", 2, 100, MPI_INFO_NULL);
	MPI_Info_create(&small);
	MPI_Info_set(small, "cb_buffer_size", "4096");
	MPI_Info_set(small, "cb_nodes", "3");
	MPI_Info_set(small, "romio_cb_write", "enable");
	MPI_Info_set(small, "romio_cb_read", "enable");
	interleaved("blocks of 3 ints, 4 KB collective buffers, 3 aggregators", 3, 700, small);
	MPI_Info_set(small, "cb_buffer_size", "65536");
	MPI_Info_set(small, "cb_nodes", "1");
	interleaved("single ints, 64 KB collective buffer", 1, 20000, small);
	MPI_Info_free(&small);
	subarray();
	variants();
	chained();
	external32();
	interop(1, keep);
	conf_done();
	return 0;
}
