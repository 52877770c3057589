/* SPDX-License-Identifier: MIT */
/*
 * rma_passive.c: one-sided communication with passive target, on every kind of window
 * (create over private memory, over MPI_Alloc_mem memory, allocate, allocate_shared,
 * dynamic with attached regions): exclusive and shared locks, lock_all, the flush family,
 * MPI_Win_sync; the atomics (Fetch_and_op as a counter, Compare_and_swap as a mutex,
 * Get_accumulate with MPI_NO_OP and MPI_REPLACE); the request-based operations; and an
 * exclusive lock guarding a read-modify-write made of a Get and a Put. The allocate_shared
 * window is left out under CONF_NO_SHARED_WINDOWS (conf.h).
 */
#include "conf.h"

enum { N = 16, K = 4 };
static const char *const names[] = { "create", "alloc_mem", "allocate", "shared", "dynamic" };

static MPI_Win win;
static int *mem, how;
static MPI_Aint *addr;	/* dynamic windows: each rank's region */

/* Displacement of int i of rank r's part of the window. */
static MPI_Aint at(int r, int i)
{
	return how == 4 ? addr[r] + i * (MPI_Aint)sizeof(int) : i;
}

static void make(void)
{
	MPI_Aint mine;

	switch (how) {
	case 0:
		mem = calloc(N, sizeof(int));
		MPI_Win_create(mem, N * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, &win);
		break;
	case 1:
		MPI_Alloc_mem(N * sizeof(int), MPI_INFO_NULL, &mem);
		MPI_Win_create(mem, N * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, &win);
		break;
	case 2:
		MPI_Win_allocate(N * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, &mem, &win);
		break;
	case 3:
		MPI_Win_allocate_shared(N * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD,
					&mem, &win);
		break;
	default:
		/* the odd ranks attach MPI_Alloc_mem memory, the even ones malloc'd memory */
		if (rank % 2)
			MPI_Alloc_mem(N * sizeof(int), MPI_INFO_NULL, &mem);
		else
			mem = malloc(N * sizeof(int));
		MPI_Win_create_dynamic(MPI_INFO_NULL, MPI_COMM_WORLD, &win);
		MPI_Win_attach(win, mem, N * sizeof(int));
		MPI_Get_address(mem, &mine);
		addr = malloc(size * sizeof(MPI_Aint));
		MPI_Allgather(&mine, 1, MPI_AINT, addr, 1, MPI_AINT, MPI_COMM_WORLD);
		break;
	}
	for (int i = 0; i < N; i++)
		mem[i] = 0;
	MPI_Barrier(MPI_COMM_WORLD);
}

static void unmake(void)
{
	if (how == 4)
		MPI_Win_detach(win, mem);
	MPI_Win_free(&win);
	if (how == 0 || (how == 4 && rank % 2 == 0))
		free(mem);
	else if (how == 1 || how == 4)
		MPI_Free_mem(mem);
	free(addr);
	addr = NULL;
}

/* Reads my own int i under my own lock (the window's memory is read as its owner sees it). */
static int own(int i)
{
	int v;

	MPI_Win_lock(MPI_LOCK_SHARED, rank, 0, win);
	v = mem[i];
	MPI_Win_unlock(rank, win);
	return v;
}

static void locks(void)
{
	int right = (rank + 1) % size, left = (rank + size - 1) % size, v[2], got[2] = { -1, -1 };

	/* exclusive: put two ints into right's 0..1, then read them back under a shared lock */
	v[0] = 10 * rank;
	v[1] = 10 * rank + 1;
	MPI_Win_lock(MPI_LOCK_EXCLUSIVE, right, 0, win);
	MPI_Put(v, 2, MPI_INT, right, at(right, 0), 2, MPI_INT, win);
	MPI_Win_unlock(right, win);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_Win_lock(MPI_LOCK_SHARED, left, 0, win);
	MPI_Get(got, 2, MPI_INT, left, at(left, 0), 2, MPI_INT, win);
	MPI_Win_unlock(left, win);
	report_ints("  exclusive put, shared get", got, 2);
	report_int("  own memory after put", own(1));
	MPI_Barrier(MPI_COMM_WORLD);
}

/* Fetch_and_op as a counter on rank 0: every value is handed out exactly once. */
static void counter(void)
{
	int one = 1, got[K], *all = malloc(size * K * sizeof(int)), ok = 1;

	for (int k = 0; k < K; k++) {
		MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win);
		MPI_Fetch_and_op(&one, &got[k], MPI_INT, 0, at(0, 2), MPI_SUM, win);
		MPI_Win_unlock(0, win);
	}
	MPI_Gather(got, K, MPI_INT, all, K, MPI_INT, 0, MPI_COMM_WORLD);
	if (rank == 0) {
		char *seen = calloc(size * K, 1);

		for (int i = 0; i < size * K; i++) {
			ok &= all[i] >= 0 && all[i] < size * K && !seen[all[i]];
			if (ok)
				seen[all[i]] = 1;
		}
		free(seen);
	}
	MPI_Barrier(MPI_COMM_WORLD);
	report_from("  counter at 0", (int[]){ rank == 0 ? own(2) : 0 }, 1, 0);
	report_ok("  every count handed out once", ok);
	free(all);
}

/* A mutex made of Compare_and_swap on rank 0's int 3 guards a Get-add-Put of int 4. */
static void mutex(void)
{
	int me = rank + 1, zero = 0, prev, v;

	MPI_Win_lock_all(0, win);
	for (int k = 0; k < K; k++) {
		do {
			MPI_Compare_and_swap(&me, &zero, &prev, MPI_INT, 0, at(0, 3), win);
			MPI_Win_flush(0, win);
		} while (prev != 0);
		MPI_Get(&v, 1, MPI_INT, 0, at(0, 4), 1, MPI_INT, win);
		MPI_Win_flush(0, win);
		v += 1;
		MPI_Put(&v, 1, MPI_INT, 0, at(0, 4), 1, MPI_INT, win);
		MPI_Win_flush(0, win);
		MPI_Compare_and_swap(&zero, &me, &prev, MPI_INT, 0, at(0, 3), win);
		MPI_Win_flush(0, win);
	}
	MPI_Win_unlock_all(win);
	MPI_Barrier(MPI_COMM_WORLD);
	report_from("  mutex-guarded count at 0", (int[]){ rank == 0 ? own(4) : 0 }, 1, 0);
}

/* An exclusive lock makes a Get-add-Put atomic: int 5 of every rank counts everyone. */
static void exclusive_rmw(void)
{
	for (int t = 0; t < size; t++) {
		int v;

		MPI_Win_lock(MPI_LOCK_EXCLUSIVE, t, 0, win);
		MPI_Get(&v, 1, MPI_INT, t, at(t, 5), 1, MPI_INT, win);
		MPI_Win_flush(t, win);
		v += rank + 1;
		MPI_Put(&v, 1, MPI_INT, t, at(t, 5), 1, MPI_INT, win);
		MPI_Win_unlock(t, win);
	}
	MPI_Barrier(MPI_COMM_WORLD);
	report_int("  exclusive read-modify-write", own(5));
}

static void atomics(void)
{
	int right = (rank + 1) % size, left = (rank + size - 1) % size;
	int val = 100 + rank, old = -1, read = -1, dummy = 0;

	/* swap into right's int 6 (initially 0), then read it atomically */
	MPI_Win_lock(MPI_LOCK_SHARED, right, 0, win);
	MPI_Get_accumulate(&val, 1, MPI_INT, &old, 1, MPI_INT, right, at(right, 6), 1, MPI_INT,
			   MPI_REPLACE, win);
	MPI_Win_unlock(right, win);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_Win_lock(MPI_LOCK_SHARED, left, 0, win);
	MPI_Get_accumulate(&dummy, 1, MPI_INT, &read, 1, MPI_INT, left, at(left, 6), 1, MPI_INT,
			   MPI_NO_OP, win);
	MPI_Fetch_and_op(NULL, &dummy, MPI_INT, left, at(left, 6), MPI_NO_OP, win);
	MPI_Win_unlock(left, win);
	int r[3] = { old, read, dummy };
	report_ints("  swap old, no_op read, fetch no_op", r, 3);
	MPI_Barrier(MPI_COMM_WORLD);
}

/* The request-based operations inside lock_all, and every flush. */
static void requests(void)
{
	int right = (rank + 1) % size, left = (rank + size - 1) % size;
	int v = 7 * rank, g = -1, acc = rank + 1, fetched = -1, two = 2;
	MPI_Request rq[4];

	MPI_Win_lock_all(0, win);
	MPI_Rput(&v, 1, MPI_INT, right, at(right, 7), 1, MPI_INT, win, &rq[0]);
	MPI_Raccumulate(&acc, 1, MPI_INT, 0, at(0, 8), 1, MPI_INT, MPI_SUM, win, &rq[1]);
	MPI_Waitall(2, rq, MPI_STATUSES_IGNORE);
	MPI_Win_flush_all(win);
	MPI_Win_unlock_all(win);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_Win_lock_all(0, win);
	MPI_Rget(&g, 1, MPI_INT, left, at(left, 7), 1, MPI_INT, win, &rq[2]);
	MPI_Rget_accumulate(&two, 1, MPI_INT, &fetched, 1, MPI_INT, left, at(left, 9), 1, MPI_INT,
			    MPI_SUM, win, &rq[3]);
	MPI_Waitall(2, rq + 2, MPI_STATUSES_IGNORE);
	MPI_Win_flush_local(left, win);
	MPI_Win_flush_local_all(win);
	MPI_Win_unlock_all(win);
	MPI_Barrier(MPI_COMM_WORLD);
	int r[3] = { g, fetched, own(9) };
	report_ints("  rget, rget_accumulate, own", r, 3);
	report_from("  raccumulate sum at 0", (int[]){ rank == 0 ? own(8) : 0 }, 1, 0);
}

/* Loads and stores next to RMA: a lock_all epoch with MPI_MODE_NOCHECK and MPI_Win_sync. */
static void sync_loads(void)
{
	int right = (rank + 1) % size, left = (rank + size - 1) % size, v = -1;

	MPI_Win_lock_all(MPI_MODE_NOCHECK, win);
	mem[10] = 1000 + rank;
	MPI_Win_sync(win);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_Get(&v, 1, MPI_INT, left, at(left, 10), 1, MPI_INT, win);
	MPI_Win_flush(left, win);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_Put(&v, 1, MPI_INT, right, at(right, 11), 1, MPI_INT, win);
	MPI_Win_flush(right, win);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_Win_sync(win);
	int r[2] = { v, mem[11] };
	MPI_Win_unlock_all(win);
	report_ints("  stored, got, put back", r, 2);
}

int main(int argc, char **argv)
{
	conf_init(&argc, &argv);
	for (how = 0; how < 5; how++) {
		if (how == 3 && !conf_shared_windows())
			continue;
		if (rank == 0)
			printf("%s:\n", names[how]);
		make();
		locks();
		counter();
		mutex();
		exclusive_rmw();
		atomics();
		requests();
		sync_loads();
		unmake();
	}
	conf_done();
	return 0;
}
