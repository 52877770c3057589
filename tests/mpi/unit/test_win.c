/* SPDX-License-Identifier: MIT */
/*
 * test_win.c: one-sided communication on one rank of the host fake (whose shared DRAM is
 * mapped where a tile's is): the shared-DRAM heap (shm.c), where windows put their memory
 * (win_create.c), the epoch rules of win_sync.c that Open MPI does not check (so the
 * conformance programs cannot), and the operations on a rank's own memory (win_ops.c).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <mpi.h>

#define SHARED_DRAM 0x80000000u	/* TESSERA_ADDR_SHARED: where the fake maps it too */

/* lib/mpi's internals under test (mpii_impl.h needs the tile headers). */
int mpii_shm_alloc(size_t bytes, uintptr_t *addr);
void mpii_shm_free(uintptr_t addr);
int mpii_shm_contains(const void *p, size_t n);

static MPI_Win win;
static int *mem;

static void setup(void)
{
	MPI_Init(NULL, NULL);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	MPI_Win_allocate(64 * sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, &mem, &win);
	MPI_Win_set_errhandler(win, MPI_ERRORS_RETURN);
	for (int i = 0; i < 64; i++)
		mem[i] = i;
}

static void teardown(void)
{
	MPI_Win_free(&win);
	MPI_Finalize();
}

TestSuite(win, .init = setup, .fini = teardown);

Test(win, shm_heap_reuses_freed_blocks)
{
	uintptr_t a, b, c;

	cr_assert_eq(mpii_shm_alloc(1000, &a), MPI_SUCCESS);
	cr_assert_eq(mpii_shm_alloc(1000, &b), MPI_SUCCESS);
	cr_assert_neq(a, b);
	cr_assert(a % 64 == 0 && b % 64 == 0, "blocks start on two-line boundaries");
	cr_assert(mpii_shm_contains((void *)a, 1000));
	mpii_shm_free(a);
	cr_assert_eq(mpii_shm_alloc(900, &c), MPI_SUCCESS);
	cr_assert_eq(c, a, "first fit takes the freed block");
	mpii_shm_free(b);
	mpii_shm_free(c);
}

/* Blocks freed in any order leave holes that later allocations fill: what is allocated
 * never overlaps, and once everything is freed the heap is whole again. */
Test(win, shm_heap_holes_are_reused_without_overlap)
{
	enum { N = 600 };
	static uintptr_t a[N];
	static size_t len[N];
	uintptr_t first, again;
	unsigned seed = 7;

	cr_assert_eq(mpii_shm_alloc(64, &first), MPI_SUCCESS);
	mpii_shm_free(first);
	for (int i = 0; i < N; i++) {
		len[i] = 64 + (size_t)(rand_r(&seed) % 2000);
		cr_assert_eq(mpii_shm_alloc(len[i], &a[i]), MPI_SUCCESS);
	}
	for (int i = 0; i < N; i += 1 + (int)(rand_r(&seed) % 3)) {
		mpii_shm_free(a[i]);
		a[i] = 0;
	}
	for (int i = 0; i < N; i++)
		if (!a[i]) {
			len[i] = 64 + (size_t)(rand_r(&seed) % 1000);
			cr_assert_eq(mpii_shm_alloc(len[i], &a[i]), MPI_SUCCESS);
		}
	for (int i = 0; i < N; i++) {
		cr_assert(mpii_shm_contains((void *)a[i], len[i]));
		for (int j = i + 1; j < N; j++)
			cr_assert(a[i] + len[i] <= a[j] || a[j] + len[j] <= a[i],
				  "blocks %d and %d overlap", i, j);
	}
	for (int i = N - 1; i >= 0; i -= 2)
		mpii_shm_free(a[i]);
	for (int i = N - 2; i >= 0; i -= 2)
		mpii_shm_free(a[i]);
	cr_assert_eq(mpii_shm_alloc(64, &again), MPI_SUCCESS);
	cr_assert_eq(again, first, "the heap is empty again: the first block goes first");
	mpii_shm_free(again);
}

Test(win, shm_heap_says_no_mem_when_full)
{
	uintptr_t a;

	cr_assert_eq(mpii_shm_alloc((size_t)1 << 31, &a), MPI_ERR_NO_MEM);
}

Test(win, private_memory_is_not_shared_dram)
{
	int x = 0;

	cr_assert_not(mpii_shm_contains(&x, sizeof(x)));
	cr_assert_not(mpii_shm_contains((void *)(uintptr_t)SHARED_DRAM, (size_t)1 << 31));
}

Test(win, allocate_and_alloc_mem_land_in_shared_dram)
{
	void *p;

	cr_assert(mpii_shm_contains(mem, 64 * sizeof(int)));
	cr_assert_eq(MPI_Alloc_mem(256, MPI_INFO_NULL, &p), MPI_SUCCESS);
	cr_assert(mpii_shm_contains(p, 256));
	cr_assert_eq(MPI_Free_mem(p), MPI_SUCCESS);
}

/* MPI_Alloc_mem takes shared DRAM only while a reserve stays free for what must be shared:
 * with thousands of its buffers alive (MPICH's window_creation keeps 1000 per rank) or most
 * of the bytes taken, it falls back to private memory and windows still get their control
 * blocks. */
Test(win, alloc_mem_leaves_room_for_window_control_blocks)
{
	enum { N = 9000 };
	static void *p[N];
	void *big;
	int i, shared = 0;
	MPI_Win w;

	for (i = 0; i < N; i++) {
		cr_assert_eq(MPI_Alloc_mem(64, MPI_INFO_NULL, &p[i]), MPI_SUCCESS);
		shared += mpii_shm_contains(p[i], 64);
	}
	cr_assert(shared > 1024 && shared < N, "%d of %d in shared DRAM", shared, N);
	cr_assert_not(mpii_shm_contains(p[N - 1], 64));
	cr_assert_eq(MPI_Win_create(p[0], 64, 1, MPI_INFO_NULL, MPI_COMM_WORLD, &w), MPI_SUCCESS);
	cr_assert_eq(MPI_Win_free(&w), MPI_SUCCESS);
	for (i = 0; i < N; i++)
		cr_assert_eq(MPI_Free_mem(p[i]), MPI_SUCCESS);
	/* bytes: a buffer of nearly the whole heap is private, a window still fits */
	cr_assert_eq(MPI_Alloc_mem(15 << 20, MPI_INFO_NULL, &big), MPI_SUCCESS);
	cr_assert_not(mpii_shm_contains(big, 15 << 20));
	cr_assert_eq(MPI_Win_create(big, 64, 1, MPI_INFO_NULL, MPI_COMM_WORLD, &w), MPI_SUCCESS);
	cr_assert_eq(MPI_Win_free(&w), MPI_SUCCESS);
	cr_assert_eq(MPI_Free_mem(big), MPI_SUCCESS);
}

Test(win, request_based_ops_need_a_passive_epoch)
{
	MPI_Request r;
	int v = 1;

	MPI_Win_fence(0, win);
	cr_assert_eq(MPI_Rput(&v, 1, MPI_INT, 0, 0, 1, MPI_INT, win, &r), MPI_ERR_RMA_SYNC);
	cr_assert_eq(MPI_Put(&v, 1, MPI_INT, 0, 0, 1, MPI_INT, win), MPI_SUCCESS);
	MPI_Win_fence(MPI_MODE_NOSUCCEED, win);
	MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win);
	cr_assert_eq(MPI_Rput(&v, 1, MPI_INT, 0, 0, 1, MPI_INT, win, &r), MPI_SUCCESS);
	cr_assert_eq(MPI_Wait(&r, MPI_STATUS_IGNORE), MPI_SUCCESS);
	MPI_Win_unlock(0, win);
}

Test(win, locking_a_locked_target_again_is_rma_sync)
{
	MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win);
	cr_assert_eq(MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win), MPI_ERR_RMA_SYNC);
	cr_assert_eq(MPI_Win_lock_all(0, win), MPI_ERR_RMA_SYNC);
	cr_assert_eq(MPI_Win_unlock(0, win), MPI_SUCCESS);
	cr_assert_eq(MPI_Win_unlock(0, win), MPI_ERR_RMA_SYNC);
}

Test(win, flush_outside_passive_epoch_is_rma_sync)
{
	cr_assert_eq(MPI_Win_flush(0, win), MPI_ERR_RMA_SYNC);
	cr_assert_eq(MPI_Win_flush_all(win), MPI_ERR_RMA_SYNC);
	cr_assert_eq(MPI_Win_flush_local(0, win), MPI_ERR_RMA_SYNC);
	cr_assert_eq(MPI_Win_unlock_all(win), MPI_ERR_RMA_SYNC);
	cr_assert_eq(MPI_Win_complete(win), MPI_ERR_RMA_SYNC);
}

Test(win, fence_inside_lock_epoch_is_rma_sync)
{
	MPI_Win_lock_all(0, win);
	cr_assert_eq(MPI_Win_fence(0, win), MPI_ERR_RMA_SYNC);
	cr_assert_eq(MPI_Win_free(&win), MPI_ERR_RMA_SYNC);
	MPI_Win_unlock_all(win);
}

Test(win, exclusive_lock_is_free_again_after_unlock)
{
	/* the lock record in shared DRAM: a second exclusive lock would wait forever */
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win), MPI_SUCCESS);
		cr_assert_eq(MPI_Win_unlock(0, win), MPI_SUCCESS);
	}
}

Test(win, accumulate_mixing_types_is_err_type)
{
	double d = 1;

	MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win);
	cr_assert_eq(MPI_Accumulate(&d, 1, MPI_DOUBLE, 0, 0, 2, MPI_INT, MPI_SUM, win),
		     MPI_ERR_TYPE);
	MPI_Win_unlock(0, win);
}

Test(win, fetch_and_op_needs_a_predefined_type)
{
	MPI_Datatype two;
	int v[2], r[2];

	MPI_Type_contiguous(2, MPI_INT, &two);
	MPI_Type_commit(&two);
	MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win);
	cr_assert_eq(MPI_Fetch_and_op(v, r, two, 0, 0, MPI_SUM, win), MPI_ERR_TYPE);
	cr_assert_eq(MPI_Compare_and_swap(v, v, r, MPI_DOUBLE_INT, 0, 0, win), MPI_ERR_TYPE);
	MPI_Win_unlock(0, win);
	MPI_Type_free(&two);
}

Test(win, get_accumulate_with_strided_target)
{
	MPI_Datatype vec;
	int add[3] = { 100, 200, 300 }, old[3];

	MPI_Type_vector(3, 1, 4, MPI_INT, &vec);	/* ints 8, 12, 16 from disp 8 */
	MPI_Type_commit(&vec);
	MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win);
	cr_assert_eq(MPI_Get_accumulate(add, 3, MPI_INT, old, 3, MPI_INT, 0, 8, 1, vec, MPI_SUM,
					win), MPI_SUCCESS);
	MPI_Win_unlock(0, win);
	cr_assert_arr_eq(old, ((int[]){ 8, 12, 16 }), sizeof(old));
	cr_assert_eq(mem[8], 108);
	cr_assert_eq(mem[12], 212);
	cr_assert_eq(mem[16], 316);
	cr_assert_eq(mem[9], 9, "the gaps of the target type are untouched");
	MPI_Type_free(&vec);
}

Test(win, compare_and_swap_swaps_only_on_equal)
{
	int val = 77, cmp = 5, res = -1;

	MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win);
	MPI_Compare_and_swap(&val, &cmp, &res, MPI_INT, 0, 5, win);
	MPI_Win_flush(0, win);
	cr_assert_eq(res, 5);
	MPI_Compare_and_swap(&val, &cmp, &res, MPI_INT, 0, 5, win);
	MPI_Win_unlock(0, win);
	cr_assert_eq(res, 77);
	cr_assert_eq(mem[5], 77);
}

Test(win, minloc_on_pairs_keeps_the_lower_index_on_ties)
{
	struct { double v; int i; } in = { 1.5, 3 }, *t = (void *)mem;

	t->v = 1.5;
	t->i = 7;
	MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win);
	MPI_Accumulate(&in, 1, MPI_DOUBLE_INT, 0, 0, 1, MPI_DOUBLE_INT, MPI_MINLOC, win);
	MPI_Win_unlock(0, win);
	cr_assert_eq(t->i, 3);
}

Test(win, dynamic_window_refuses_unattached_memory)
{
	MPI_Win dw;
	int buf[4], v = 9;
	MPI_Aint a;

	MPI_Win_create_dynamic(MPI_INFO_NULL, MPI_COMM_WORLD, &dw);
	MPI_Win_set_errhandler(dw, MPI_ERRORS_RETURN);
	MPI_Get_address(buf, &a);
	MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, dw);
	cr_assert_eq(MPI_Put(&v, 1, MPI_INT, 0, a, 1, MPI_INT, dw), MPI_ERR_RMA_RANGE);
	MPI_Win_attach(dw, buf, sizeof(buf));
	cr_assert_eq(MPI_Put(&v, 1, MPI_INT, 0, a + 12, 1, MPI_INT, dw), MPI_SUCCESS);
	cr_assert_eq(MPI_Put(&v, 1, MPI_INT, 0, a + 16, 1, MPI_INT, dw), MPI_ERR_RMA_RANGE);
	MPI_Win_unlock(0, dw);
	cr_assert_eq(buf[3], 9);
	cr_assert_eq(MPI_Win_detach(dw, buf + 1), MPI_ERR_RMA_ATTACH);
	MPI_Win_detach(dw, buf);
	MPI_Win_free(&dw);
}

Test(win, dynamic_window_attaches_at_most_64_regions)
{
	static char bytes[65][8];
	MPI_Win dw;

	MPI_Win_create_dynamic(MPI_INFO_NULL, MPI_COMM_WORLD, &dw);
	MPI_Win_set_errhandler(dw, MPI_ERRORS_RETURN);
	for (int i = 0; i < 64; i++)
		cr_assert_eq(MPI_Win_attach(dw, bytes[i], 8), MPI_SUCCESS);
	cr_assert_eq(MPI_Win_attach(dw, bytes[64], 8), MPI_ERR_RMA_ATTACH);
	MPI_Win_free(&dw);
}

static int handled;
static void record(MPI_Win *w, int *code, ...)
{
	(void)w;
	handled = *code;
}

Test(win, window_errors_go_to_the_window_handler)
{
	MPI_Errhandler eh;
	int v = 1;

	MPI_Win_create_errhandler(record, &eh);
	MPI_Win_set_errhandler(win, eh);
	cr_assert_eq(MPI_Put(&v, 1, MPI_INT, 0, 0, 1, MPI_INT, win), MPI_ERR_RMA_SYNC);
	cr_assert_eq(handled, MPI_ERR_RMA_SYNC);
	MPI_Win_set_errhandler(win, MPI_ERRORS_RETURN);
	MPI_Errhandler_free(&eh);
}
