/* SPDX-License-Identifier: MIT */
/*
 * rma.c: one-sided communication, windows and active target: every way to make a window
 * (create over private memory, over MPI_Alloc_mem memory, allocate, allocate_shared,
 * dynamic), their attributes, group, name, info, error handler and user attributes; Put,
 * Get, Accumulate and Get_accumulate with derived datatypes and displacement units under
 * fence and post-start-complete-wait; shared-memory windows used with loads and stores; the
 * error classes both MPIs agree on; windows made while every rank holds 1200 small
 * MPI_Alloc_mem buffers (as MPICH's window_creation does); and thousands of gets queued in
 * one epoch on a window over private memory (as MPICH's manyget does). The windows of
 * allocate_shared are left out under CONF_NO_SHARED_WINDOWS (conf.h).
 */
#include "conf.h"

enum { N = 32 };
static const char *const flavor_names[] = { "create", "alloc_mem", "allocate", "shared" };

/* A window of N ints (disp_unit sizeof(int)) made the way `how` says; *mem is its memory. */
static MPI_Win make(int how, int **mem)
{
	MPI_Win w;

	switch (how) {
	case 0:
		*mem = calloc(N, sizeof(int));
		MPI_Win_create(*mem, N * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, &w);
		break;
	case 1:
		MPI_Alloc_mem(N * sizeof(int), MPI_INFO_NULL, mem);
		MPI_Win_create(*mem, N * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, &w);
		break;
	case 2:
		MPI_Win_allocate(N * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, mem, &w);
		break;
	default:
		MPI_Win_allocate_shared(N * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD,
					mem, &w);
		break;
	}
	return w;
}

static void unmake(int how, MPI_Win *w, int *mem)
{
	MPI_Win_free(w);
	if (how == 0)
		free(mem);
	else if (how == 1)
		MPI_Free_mem(mem);
}

static const char *flavor_name(int f)
{
	return f == MPI_WIN_FLAVOR_CREATE ? "CREATE" : f == MPI_WIN_FLAVOR_ALLOCATE ? "ALLOCATE" :
	       f == MPI_WIN_FLAVOR_DYNAMIC ? "DYNAMIC" : f == MPI_WIN_FLAVOR_SHARED ? "SHARED" : "?";
}

static void attributes(void)
{
	for (int how = 0; how < 3 + conf_shared_windows(); how++) {
		int *mem, flag, *fl, *du, *model, cmp;
		MPI_Aint *sz;
		void *base;
		MPI_Win w = make(how, &mem);
		MPI_Group g, wg;

		MPI_Win_get_attr(w, MPI_WIN_BASE, &base, &flag);
		int ok = flag && base == mem;
		MPI_Win_get_attr(w, MPI_WIN_SIZE, &sz, &flag);
		ok &= flag && *sz == N * (MPI_Aint)sizeof(int);
		MPI_Win_get_attr(w, MPI_WIN_DISP_UNIT, &du, &flag);
		ok &= flag && *du == (int)sizeof(int);
		MPI_Win_get_attr(w, MPI_WIN_CREATE_FLAVOR, &fl, &flag);
		MPI_Win_get_attr(w, MPI_WIN_MODEL, &model, &flag);
		MPI_Win_get_group(w, &g);
		MPI_Comm_group(MPI_COMM_WORLD, &wg);
		MPI_Group_compare(g, wg, &cmp);
		if (rank == 0)
			printf("window %s: flavor %s model %s group %s\n", flavor_names[how],
			       flavor_name(*fl), *model == MPI_WIN_UNIFIED ? "UNIFIED" : "SEPARATE",
			       cmp == MPI_IDENT ? "IDENT" : "other");
		report_ok("  base, size, disp_unit", ok);
		MPI_Group_free(&g);
		MPI_Group_free(&wg);
		unmake(how, &w, mem);
	}
	{
		MPI_Win w;
		int *fl, flag;
		void *base;

		MPI_Win_create_dynamic(MPI_INFO_NULL, MPI_COMM_WORLD, &w);
		MPI_Win_get_attr(w, MPI_WIN_CREATE_FLAVOR, &fl, &flag);
		MPI_Win_get_attr(w, MPI_WIN_BASE, &base, &flag);
		if (rank == 0)
			printf("window dynamic: flavor %s base %s\n", flavor_name(*fl),
			       base == MPI_BOTTOM ? "MPI_BOTTOM" : "other");
		MPI_Win_free(&w);
		report_ok("  freed", w == MPI_WIN_NULL);
	}
}

static int deleted;
static int del_fn(MPI_Win w, int k, void *v, void *e)
{
	(void)w, (void)k, (void)e;
	deleted += *(int *)v;
	return MPI_SUCCESS;
}

static int handled;
static void win_handler(MPI_Win *w, int *code, ...)
{
	(void)w;
	handled = *code;
}

static void properties(void)
{
	int *mem, key, val = 5, *got, flag, len;
	char name[MPI_MAX_OBJECT_NAME];
	MPI_Win w = make(0, &mem);
	MPI_Errhandler eh, cur;
	MPI_Info info;

	MPI_Win_set_name(w, "ring window");
	MPI_Win_get_name(w, name, &len);
	report_ok("name", !strcmp(name, "ring window") && len == 11);
	MPI_Win_get_errhandler(w, &cur);
	report_ok("default error handler is MPI_ERRORS_ARE_FATAL", cur == MPI_ERRORS_ARE_FATAL);
	MPI_Errhandler_free(&cur);
	MPI_Win_create_errhandler(win_handler, &eh);
	MPI_Win_set_errhandler(w, eh);
	MPI_Win_call_errhandler(w, MPI_ERR_RMA_CONFLICT);
	if (rank == 0)
		printf("user handler called with %s\n", errname(handled));
	MPI_Win_get_errhandler(w, &cur);
	report_ok("get_errhandler", cur == eh);
	MPI_Errhandler_free(&cur);
	MPI_Errhandler_free(&eh);
	MPI_Win_create_keyval(MPI_WIN_NULL_COPY_FN, del_fn, &key, NULL);
	MPI_Win_set_attr(w, key, &val);
	MPI_Win_get_attr(w, key, &got, &flag);
	report_ok("user attribute", flag && *got == 5);
	MPI_Win_get_info(w, &info);
	MPI_Info_free(&info);
	MPI_Win_free(&w);
	free(mem);
	report_int("delete callback on free", deleted);
	MPI_Win_free_keyval(&key);
}

/* Every flavor: Put, Get, Accumulate with derived types under fence. */
static void fence_ops(int how)
{
	int *mem, right = (rank + 1) % size, left = (rank + size - 1) % size, i;
	MPI_Win w = make(how, &mem);
	MPI_Datatype vec, idx, pair;
	int src[N], got[8], blens[3] = { 1, 2, 1 }, disps[3] = { 0, 3, 7 };
	int res[4];

	for (i = 0; i < N; i++)
		mem[i] = -1;
	MPI_Type_vector(4, 1, 2, MPI_INT, &vec);	/* 4 ints, stride 2 */
	MPI_Type_commit(&vec);
	MPI_Type_indexed(3, blens, disps, MPI_INT, &idx);	/* ints 0, 3, 4, 7 */
	MPI_Type_commit(&idx);
	MPI_Type_contiguous(2, MPI_INT, &pair);
	MPI_Type_commit(&pair);
	for (i = 0; i < N; i++)
		src[i] = 100 * rank + i;
	MPI_Win_fence(MPI_MODE_NOPRECEDE, w);
	/* contiguous origin into a strided target: right's ints 0, 2, 4, 6 */
	MPI_Put(src, 4, MPI_INT, right, 0, 1, vec, w);
	/* strided origin into contiguous target: ints 10..13 */
	MPI_Put(src, 1, idx, right, 10, 4, MPI_INT, w);
	/* pairs, with a displacement in units */
	MPI_Put(src + 20, 2, pair, right, 16, 4, MPI_INT, w);
	MPI_Win_fence(0, w);
	MPI_Get(got, 1, idx, left, 0, 1, vec, w);	/* left's ints 0,2,4,6 into 0,3,4,7 */
	MPI_Win_fence(0, w);
	report_ints("  put strided", mem, 8);
	report_ints("  put from indexed", mem + 10, 4);
	report_ints("  put pairs", mem + 16, 4);
	int gv[4] = { got[0], got[3], got[4], got[7] };
	report_ints("  get into indexed", gv, 4);

	/* accumulates: everyone adds into everyone's int 24, maxes into 25, xors into 26 */
	for (i = 0; i < N; i++)
		mem[i] = i == 27 ? 1000 : 0;
	MPI_Win_fence(0, w);
	for (int t = 0; t < size; t++) {
		int one = rank + 1, mx = rank * 7 % 5, bits = 1 << rank;

		MPI_Accumulate(&one, 1, MPI_INT, t, 24, 1, MPI_INT, MPI_SUM, w);
		MPI_Accumulate(&mx, 1, MPI_INT, t, 25, 1, MPI_INT, MPI_MAX, w);
		MPI_Accumulate(&bits, 1, MPI_INT, t, 26, 1, MPI_INT, MPI_BXOR, w);
	}
	MPI_Win_fence(0, w);
	/* get_accumulate: rank r adds r at right's 27 and learns the value before it */
	int add = rank, before = -1;
	if (size == 1 || rank % 2 == 0)
		MPI_Get_accumulate(&add, 1, MPI_INT, &before, 1, MPI_INT, right, 27, 1, MPI_INT,
				   MPI_SUM, w);
	MPI_Win_fence(0, w);
	res[0] = mem[24];
	res[1] = mem[25];
	res[2] = mem[26];
	res[3] = mem[27];
	report_ints("  sum max bxor getacc", res, 4);
	report_int("  get_accumulate fetched", before);
	/* MINLOC on value-index pairs, and REPLACE with a vector */
	struct {
		int v, i;
	} p = { (rank * 13) % 7, rank }, *pm = (void *)(mem + 28);
	pm->v = 99;
	pm->i = -1;
	MPI_Win_fence(0, w);
	MPI_Accumulate(&p, 1, MPI_2INT, 0, 28, 1, MPI_2INT, MPI_MINLOC, w);
	MPI_Win_fence(0, w);
	if (rank == 0)
		printf("  minloc at 0: value %d rank %d\n", pm->v, pm->i);
	MPI_Accumulate(src, 4, MPI_INT, right, 0, 1, vec, MPI_REPLACE, w);
	MPI_Win_fence(MPI_MODE_NOSUCCEED, w);
	int rv[4] = { mem[0], mem[2], mem[4], mem[6] };
	report_ints("  replace strided", rv, 4);
	MPI_Type_free(&vec);
	MPI_Type_free(&idx);
	MPI_Type_free(&pair);
	unmake(how, &w, mem);
}

/* Post-start-complete-wait: a ring, then everyone into rank 0's window. */
static void pscw(int how)
{
	int *mem, right = (rank + 1) % size, left = (rank + size - 1) % size, i;
	MPI_Win w = make(how, &mem);
	MPI_Group world, gl, gr, g0;
	int zero = 0, flag = 0;

	for (i = 0; i < N; i++)
		mem[i] = 0;
	MPI_Comm_group(MPI_COMM_WORLD, &world);
	MPI_Group_incl(world, 1, &left, &gl);
	MPI_Group_incl(world, 1, &right, &gr);
	MPI_Group_incl(world, 1, &zero, &g0);
	MPI_Win_post(gl, 0, w);
	MPI_Win_start(gr, 0, w);
	int v = 500 + rank;
	MPI_Put(&v, 1, MPI_INT, right, 3, 1, MPI_INT, w);
	MPI_Win_complete(w);
	MPI_Win_wait(w);
	report_int("  ring put", mem[3]);
	/* all ranks add into rank 0, which waits with MPI_Win_test */
	if (rank == 0) {
		MPI_Win_post(world, 0, w);
	}
	MPI_Win_start(g0, 0, w);
	int one = rank + 1;
	MPI_Accumulate(&one, 1, MPI_INT, 0, 5, 1, MPI_INT, MPI_SUM, w);
	MPI_Win_complete(w);
	if (rank == 0) {
		while (!flag)
			MPI_Win_test(w, &flag);
		printf("  sum at 0 after test: %d\n", mem[5]);
	}
	MPI_Group_free(&world);
	MPI_Group_free(&gl);
	MPI_Group_free(&gr);
	MPI_Group_free(&g0);
	unmake(how, &w, mem);
}

/* Shared memory: contiguous segments reached with loads and stores. */
static void shared(void)
{
	MPI_Aint sz, total = 0;
	int du, *mine, *p, *first;
	MPI_Win w;
	int mysize = (rank % 3) * 4;	/* 0, 4, 8, 0, ... ints */

	MPI_Win_allocate_shared(mysize * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD,
				&mine, &w);
	for (int i = 0; i < mysize; i++)
		mine[i] = 1000 * rank + i;
	MPI_Win_lock_all(MPI_MODE_NOCHECK, w);
	MPI_Win_sync(w);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_Win_sync(w);
	int ok = 1, contiguous = 1;
	MPI_Win_shared_query(w, 0, &sz, &du, &first);
	for (int r = 0; r < size; r++) {
		MPI_Win_shared_query(w, r, &sz, &du, &p);
		ok &= sz == (r % 3) * 4 * (MPI_Aint)sizeof(int) && du == (int)sizeof(int);
		contiguous &= p == first + total / (MPI_Aint)sizeof(int);
		for (int i = 0; i < (r % 3) * 4; i++)
			ok &= p[i] == 1000 * r + i;
		total += sz;
	}
	MPI_Win_shared_query(w, MPI_PROC_NULL, &sz, &du, &p);
	MPI_Win_unlock_all(w);
	report_ok("shared: sizes, units, contents", ok);
	report_ok("shared: contiguous", contiguous);
	report_same("shared: MPI_PROC_NULL gives size", (int)sz);
	MPI_Win_free(&w);
}

static void user_sum(void *in, void *inout, int *len, MPI_Datatype *t)
{
	(void)t;
	for (int i = 0; i < *len; i++)
		((int *)inout)[i] += ((int *)in)[i];
}

/* Not in a job of one process: Open MPI's osc/rdma makes no window there, and the
 * component it falls back to checks few of these. */
static void errors(void)
{
	int *mem, v = 1, buf[4];
	MPI_Win w, w2;
	MPI_Op uop;
	MPI_Group world;
	MPI_Aint sz;
	int du;
	void *bp;

	if (size == 1)
		return;

	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
	if (rank == 0) {
		printf("create size -1: %s\n", errname(MPI_Win_create(buf, -1, 4, MPI_INFO_NULL,
								       MPI_COMM_SELF, &w2)));
		printf("create disp_unit 0: %s\n", errname(MPI_Win_create(buf, 16, 0, MPI_INFO_NULL,
									  MPI_COMM_SELF, &w2)));
	}
	w = make(0, &mem);
	MPI_Win_set_errhandler(w, MPI_ERRORS_RETURN);
	MPI_Comm_group(MPI_COMM_WORLD, &world);
	if (rank == 0) {
		printf("put before fence: %s\n", errname(MPI_Put(&v, 1, MPI_INT, 0, 0, 1, MPI_INT, w)));
		printf("fence bad assert: %s\n", errname(MPI_Win_fence(12345, w)));
		printf("wait without post: %s\n", errname(MPI_Win_wait(w)));
		printf("start bad assert: %s\n", errname(MPI_Win_start(world, MPI_MODE_NOPUT, w)));
		printf("unlock without lock: %s\n", errname(MPI_Win_unlock(0, w)));
		printf("lock bad type: %s\n", errname(MPI_Win_lock(999, 0, 0, w)));
		printf("lock bad rank: %s\n", errname(MPI_Win_lock(MPI_LOCK_SHARED, size, 0, w)));
		printf("lock bad assert: %s\n", errname(MPI_Win_lock(MPI_LOCK_SHARED, 0, 777777, w)));
		printf("shared_query on create: %s\n", errname(MPI_Win_shared_query(w, 0, &sz, &du, &bp)));
		printf("attach on create: %s\n", errname(MPI_Win_attach(w, buf, 4)));
	}
	MPI_Win_fence(0, w);
	if (rank == 0) {
		MPI_Op_create(user_sum, 1, &uop);
		printf("put beyond window: %s\n", errname(MPI_Put(&v, 1, MPI_INT, 0, N, 1, MPI_INT, w)));
		printf("put disp -1: %s\n", errname(MPI_Put(&v, 1, MPI_INT, 0, -1, 1, MPI_INT, w)));
		printf("put rank size: %s\n", errname(MPI_Put(&v, 1, MPI_INT, size, 0, 1, MPI_INT, w)));
		printf("put count -1: %s\n", errname(MPI_Put(&v, -1, MPI_INT, 0, 0, 1, MPI_INT, w)));
		printf("put type null: %s\n", errname(MPI_Put(&v, 1, MPI_DATATYPE_NULL, 0, 0, 1, MPI_INT, w)));
		printf("put MPI_PROC_NULL: %s\n", errname(MPI_Put(&v, 1, MPI_INT, MPI_PROC_NULL, 0, 1, MPI_INT, w)));
		printf("accumulate user op: %s\n", errname(MPI_Accumulate(&v, 1, MPI_INT, 0, 0, 1, MPI_INT, uop, w)));
		printf("accumulate MPI_OP_NULL: %s\n", errname(MPI_Accumulate(&v, 1, MPI_INT, 0, 0, 1, MPI_INT, MPI_OP_NULL, w)));
		printf("accumulate BAND on float: %s\n", errname(MPI_Accumulate(&v, 1, MPI_FLOAT, 0, 0, 1, MPI_FLOAT, MPI_BAND, w)));
		printf("put: %s\n", errname(MPI_Put(&v, 1, MPI_INT, 0, 0, 1, MPI_INT, w)));
		printf("lock after put in fence epoch: %s\n", errname(MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, w)));
		MPI_Op_free(&uop);
	}
	MPI_Win_fence(MPI_MODE_NOSUCCEED, w);
	if (rank == 0)
		printf("put after NOSUCCEED: %s\n", errname(MPI_Put(&v, 1, MPI_INT, 0, 0, 1, MPI_INT, w)));
	MPI_Win_free(&w);
	free(mem);
	if (rank == 0)
		printf("free twice: %s\n", errname(MPI_Win_free(&w)));
	MPI_Win_create_dynamic(MPI_INFO_NULL, MPI_COMM_WORLD, &w2);
	MPI_Win_set_errhandler(w2, MPI_ERRORS_RETURN);
	if (rank == 0) {
		printf("attach: %s\n", errname(MPI_Win_attach(w2, buf, sizeof(buf))));
		printf("attach again: %s\n", errname(MPI_Win_attach(w2, buf, sizeof(buf))));
		printf("detach: %s\n", errname(MPI_Win_detach(w2, buf)));
	}
	MPI_Win_free(&w2);
	MPI_Group_free(&world);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
	MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_ARE_FATAL);
}

/*
 * Every rank keeps NBUF small MPI_Alloc_mem buffers alive (on 7 ranks more than shm.c's table
 * holds), then makes windows over some of
 * them and one with MPI_Win_allocate, and puts around the ring through each: window memory
 * that is plentiful must not crowd out what a window itself needs.
 */
static void many_alloc_mem(void)
{
	enum { NBUF = 1200, NWIN = 4 };
	int **buf = malloc(NBUF * sizeof(*buf)), *amem, i, k, ok = 1, got[NWIN + 1];
	MPI_Win w[NWIN + 1];

	for (i = 0; i < NBUF; i++) {
		ok &= MPI_Alloc_mem(2 * sizeof(int), MPI_INFO_NULL, &buf[i]) == MPI_SUCCESS;
		buf[i][0] = buf[i][1] = -1;
	}
	for (k = 0; k < NWIN; k++)
		MPI_Win_create(buf[k * (NBUF / NWIN)], 2 * sizeof(int), sizeof(int), MPI_INFO_NULL,
			       MPI_COMM_WORLD, &w[k]);
	MPI_Win_allocate(2 * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, &amem,
			 &w[NWIN]);
	for (k = 0; k <= NWIN; k++) {
		int v = 100 * k + rank;

		MPI_Win_fence(0, w[k]);
		MPI_Put(&v, 1, MPI_INT, (rank + 1) % size, 1, 1, MPI_INT, w[k]);
		MPI_Win_fence(0, w[k]);
	}
	for (k = 0; k < NWIN; k++)
		got[k] = buf[k * (NBUF / NWIN)][1];
	got[NWIN] = amem[1];
	for (k = 0; k <= NWIN; k++)
		MPI_Win_free(&w[k]);
	for (i = 0; i < NBUF; i++)
		MPI_Free_mem(buf[i]);
	free(buf);
	report_same("1200 MPI_Alloc_mem buffers per rank", ok);
	report_ints("puts through windows made beside them", got, NWIN + 1);
}

/*
 * Every rank queues NGET gets of 1 KB, contiguous and strided, from the next rank's window
 * over malloc'd memory in one fence epoch: the owner serves them while it waits in the
 * fence, a bounded number at a time, and every answer lands where it belongs.
 */
static void many_gets(void)
{
	enum { NGET = 4000, INTS = 256, SLOTS = 8 };
	int *mem = malloc(INTS * sizeof(int)), *res = malloc(SLOTS * INTS * sizeof(int));
	int i, k, next = (rank + 1) % size, bad = 0;
	MPI_Datatype every2;
	MPI_Win w;

	for (i = 0; i < INTS; i++)
		mem[i] = 1000 * rank + i;
	MPI_Type_vector(INTS / 2, 1, 2, MPI_INT, &every2);
	MPI_Type_commit(&every2);
	MPI_Win_create(mem, INTS * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, &w);
	MPI_Win_fence(0, w);
	for (k = 0; k < NGET; k++) {
		int *slot = res + (k % SLOTS) * INTS;

		if (k % 4 == 3)
			MPI_Get(slot, INTS / 2, MPI_INT, next, 1, 1, every2, w);
		else
			MPI_Get(slot, INTS, MPI_INT, next, 0, INTS, MPI_INT, w);
	}
	MPI_Win_fence(0, w);
	for (k = 0; k < SLOTS; k++)
		for (i = 0; i < (k % 4 == 3 ? INTS / 2 : INTS); i++)
			bad += res[k * INTS + i] != 1000 * next + (k % 4 == 3 ? 2 * i + 1 : i);
	MPI_Win_free(&w);
	MPI_Type_free(&every2);
	free(mem);
	free(res);
	report_int("4000 gets in one epoch, wrong values", bad);
}

int main(int argc, char **argv)
{
	conf_init(&argc, &argv);
	attributes();
	properties();
	for (int how = 0; how < 3 + conf_shared_windows(); how++) {
		if (rank == 0)
			printf("fence, %s:\n", flavor_names[how]);
		fence_ops(how);
	}
	for (int how = 0; how < 3 + conf_shared_windows(); how++) {
		if (rank == 0)
			printf("post/start/complete/wait, %s:\n", flavor_names[how]);
		pscw(how);
	}
	if (conf_shared_windows())
		shared();
	errors();
	many_alloc_mem();
	many_gets();
	conf_done();
	return 0;
}
