// SPDX-License-Identifier: MIT
/* test_comm.c: lib/rcce/comm.c: communicators and the barrier. */
#include "rcce_test.h"

/* A UE whose check fails leaves its peers waiting: the timeout turns that into a failure. */
TestSuite(comm, .timeout = 30);

static int parity(int ue, void *aux)
{
	return ue % *(int *)aux;
}

static int split(int ue, void *arg)
{
	RCCE_COMM c;
	int two = 2, size, rank;

	(void)arg;
	c.initialized = 0;
	RT_CHECK(RCCE_comm_split(parity, &two, &c) == RCCE_SUCCESS);
	RT_CHECK(RCCE_comm_size(c, &size) == RCCE_SUCCESS && size == 3);
	RT_CHECK(RCCE_comm_rank(c, &rank) == RCCE_SUCCESS && rank == ue / 2);
	RT_CHECK(c.member[0] == ue % 2 && c.member[2] == ue % 2 + 4);
	RT_CHECK(RCCE_comm_split(parity, &two, &c) == RCCE_ERROR_COMM_INITIALIZED);
	for (int i = 0; i < 20; i++)
		RT_CHECK(RCCE_barrier(&c) == RCCE_SUCCESS);
	RT_CHECK(RCCE_comm_free(&c) == RCCE_SUCCESS);
	RT_CHECK(RCCE_comm_size(c, &size) == RCCE_ERROR_COMM_UNDEFINED);
	RT_CHECK(RCCE_comm_rank(c, &rank) == RCCE_ERROR_COMM_UNDEFINED);
	RT_CHECK(RCCE_barrier(&c) == RCCE_ERROR_COMM_UNDEFINED);
	RT_CHECK(RCCE_comm_free(&c) == RCCE_ERROR_COMM_UNDEFINED);
	RT_CHECK(RCCE_barrier(NULL) == RCCE_ERROR_COMM_UNDEFINED);
	return 0;
}

Test(comm, split_by_color_keeps_ue_order)
{
	cr_assert_eq(rt_run(6, 0, split, NULL), 0);
}

static int barrier_orders(int ue, void *arg)
{
	RCCE_FLAG f;
	int n = RCCE_num_ues();

	(void)arg;
	RT_CHECK(RCCE_flag_alloc(&f) == RCCE_SUCCESS);
	/* round r: everyone marks UE (ue + r) % n; after the barrier, every mark is visible */
	for (int r = 0; r < 6; r++) {
		RCCE_FLAG_STATUS want = r % 2 ? RCCE_FLAG_UNSET : RCCE_FLAG_SET, v;

		RT_CHECK(RCCE_flag_write(&f, want, (ue + r) % n) == RCCE_SUCCESS);
		RT_CHECK(RCCE_barrier(&RCCE_COMM_WORLD) == RCCE_SUCCESS);
		for (int t = 0; t < n; t++)
			RT_CHECK(RCCE_flag_read(f, &v, t) == RCCE_SUCCESS && v == want);
		RT_CHECK(RCCE_barrier(&RCCE_COMM_WORLD) == RCCE_SUCCESS);
	}
	return 0;
}

Test(comm, nobody_leaves_the_barrier_early)
{
	cr_assert_eq(rt_run(8, TESSERA_BOOT_STRICT, barrier_orders, NULL), 0);
}

static int world(int ue, void *arg)
{
	(void)ue, (void)arg;
	for (int i = 0; i < 3; i++)
		RT_CHECK(RCCE_barrier(&RCCE_COMM_WORLD) == RCCE_SUCCESS);
	return 0;
}

Test(comm, barrier_on_48_ues)
{
	cr_assert_eq(rt_run(48, 0, world, NULL), 0);
}

Test(comm, barrier_of_one)
{
	cr_assert_eq(rt_run(1, 0, world, NULL), 0);
}
