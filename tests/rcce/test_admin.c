// SPDX-License-Identifier: MIT
/* test_admin.c: lib/rcce/admin.c: RCCE_init, UEs, time, error strings, debug switches. */
#include <string.h>
#include "rcce_test.h"

/* A UE whose check fails leaves its peers waiting: the timeout turns that into a failure. */
TestSuite(admin, .timeout = 30);

static int init_values(int ue, void *arg)
{
	(void)arg;
	RT_CHECK(RCCE_ue() == ue && RCCE_num_ues() == 4 && RCCE_IAM == ue && RCCE_NP == 4);
	RT_CHECK(RC_COREID[ue] == ue && RC_MY_COREID == ue);
	/* the whole 8 KB share, less the line RCCE writes to drain the WCB */
	RT_CHECK(RCCE_BUFF_SIZE == RCCE_BUFF_SIZE_MAX - RCCE_LINE_SIZE);
	RT_CHECK((uintptr_t)RCCE_comm_buffer[1] ==
		 tessera_core_mpb_addr(tk_geom(), 1) + RCCE_LINE_SIZE);
	RT_CHECK(RCCE_COMM_WORLD.size == 4 && RCCE_COMM_WORLD.my_rank == ue);
	RT_CHECK(RCCE_COMM_WORLD.initialized == RCCE_COMM_INITIALIZED);
	/* simplified API: two flags per UE, 2 for the world, 2 for the power domain */
	RT_CHECK(RCCE_chunk == (size_t)RCCE_BUFF_SIZE - (2 * 4 + 4) * RCCE_LINE_SIZE);
	RT_CHECK(RCCE_init(NULL, NULL) == RCCE_SUCCESS);	/* a second init is harmless */
	return 0;
}

Test(admin, init_takes_the_job_from_the_board)
{
	cr_assert_eq(rt_run(4, 0, init_values, NULL), 0);
}

static int clock_runs(int ue, void *arg)
{
	double a = RCCE_wtime(), b;

	(void)ue, (void)arg;
	for (volatile int i = 0; i < 100000; i++)
		;
	b = RCCE_wtime();
	RT_CHECK(a >= 0 && b > a);
	return 0;
}

Test(admin, wtime_moves_forward)
{
	cr_assert_eq(rt_run(1, 0, clock_runs, NULL), 0);
}

Test(admin, error_strings_for_every_code)
{
	char buf[RCCE_MAX_ERROR_STRING];
	int len;

	cr_assert_eq(RCCE_error_string(RCCE_SUCCESS, buf, &len), RCCE_SUCCESS);
	cr_assert_str_eq(buf, "success");
	for (int c = RCCE_ERROR_TARGET; c <= RCCE_ERROR_CORE_NOT_IN_HOSTFILE; c++) {
		cr_assert_eq(RCCE_error_string(c, buf, &len), RCCE_SUCCESS, "code %d", c);
		cr_assert_eq((int)strlen(buf), len);
		cr_assert(len > 0 && len < RCCE_MAX_ERROR_STRING);
	}
	RCCE_error_string(RCCE_ERROR_ID, buf, &len);
	cr_assert_str_eq(buf, "invalid UE ID");
	cr_assert_eq(RCCE_error_string(RCCE_ERROR_BASE + 99, buf, &len),
		     RCCE_ERROR_INVALID_ERROR_CODE);
	cr_assert_eq(RCCE_error_string(-5, buf, &len), RCCE_ERROR_INVALID_ERROR_CODE);
}

Test(admin, error_codes_are_rcces)
{
	cr_assert_eq(RCCE_ERROR_BASE, 1234321);
	cr_assert_eq(RCCE_ERROR_TARGET, 1234322);
	cr_assert_eq(RCCE_ERROR_CORE_NOT_IN_HOSTFILE, 1234348);
	cr_assert_eq(RCCE_SUM, 23232323);
	cr_assert_eq(RCCE_DOUBLE, 63636366);
	cr_assert_eq(RCCE_LINE_SIZE, 32);
	cr_assert_eq(RCCE_BUFF_SIZE_MAX, 8192);
}

Test(admin, debug_switches)
{
	cr_assert_eq(RCCE_debug_set(RCCE_DEBUG_COMM), RCCE_SUCCESS);
	cr_assert_eq(RCCE_debug_comm, 1);
	cr_assert_eq(RCCE_debug_unset(RCCE_DEBUG_COMM), RCCE_SUCCESS);
	cr_assert_eq(RCCE_debug_comm, 0);
	cr_assert_eq(RCCE_debug_set(RCCE_DEBUG_ALL), RCCE_SUCCESS);
	cr_assert(RCCE_debug_synch && RCCE_debug_comm && RCCE_debug_debug && RCCE_debug_RPC);
	cr_assert_eq(RCCE_debug_unset(RCCE_DEBUG_ALL), RCCE_SUCCESS);
	cr_assert_eq(RCCE_debug_set(42), RCCE_ERROR_DEBUG_FLAG);
	cr_assert_eq(RCCE_debug_unset(42), RCCE_ERROR_DEBUG_FLAG);
}

static int too_many(int ue, void *arg)
{
	(void)ue, (void)arg;
	return 0;
}

Test(admin, more_ues_than_rcce_maxnp_fail)
{
	struct tessera_geom g;
	struct rt_run r = { too_many, NULL };

	hal_fake_geom("mesh32x32", 64, &g);
	cr_assert_eq(hal_fake_board(&g, RCCE_MAXNP + 1, NULL, 0), 0);
	cr_assert_eq(hal_fake_run(rt_arg_fn, &r), RCCE_ERROR_NUM_UES);
	hal_fake_board_free();
}
