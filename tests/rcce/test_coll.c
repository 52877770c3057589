// SPDX-License-Identifier: MIT
/* test_coll.c: lib/rcce/coll.c: RCCE_bcast, RCCE_reduce, RCCE_allreduce. */
#include "rcce_test.h"

/* A UE whose check fails leaves its peers waiting: the timeout turns that into a failure. */
TestSuite(coll, .timeout = 30);

static int bcast(int ue, void *arg)
{
	char msg[100];

	(void)arg;
	for (int root = 0; root < RCCE_num_ues(); root++) {
		memset(msg, ue == root ? 'A' + root : 0, sizeof(msg));
		RT_CHECK(RCCE_bcast(msg, sizeof(msg), root, RCCE_COMM_WORLD) == RCCE_SUCCESS);
		RT_CHECK(msg[0] == 'A' + root && msg[99] == 'A' + root);
	}
	RT_CHECK(RCCE_bcast(msg, 1, 9, RCCE_COMM_WORLD) == RCCE_ERROR_ID);
	return 0;
}

Test(coll, bcast_from_every_root)
{
	cr_assert_eq(rt_run(5, 0, bcast, NULL), 0);
}

static int reduce(int ue, void *arg)
{
	int n = RCCE_num_ues(), ii[2] = { ue + 1, -ue }, io[2];
	long li = ue + 1, lo;
	float fi = (float)(ue + 1), fo;
	double di[3] = { ue + 1.0, ue * 2.0, 1.0 }, dout[3];

	(void)arg;
	RT_CHECK(RCCE_allreduce((char *)ii, (char *)io, 2, RCCE_INT, RCCE_SUM,
				RCCE_COMM_WORLD) == RCCE_SUCCESS);
	RT_CHECK(io[0] == n * (n + 1) / 2 && io[1] == -n * (n - 1) / 2);
	RT_CHECK(RCCE_allreduce((char *)&li, (char *)&lo, 1, RCCE_LONG, RCCE_PROD,
				RCCE_COMM_WORLD) == RCCE_SUCCESS);
	RT_CHECK(lo == 720);	/* 6! */
	RT_CHECK(RCCE_allreduce((char *)&fi, (char *)&fo, 1, RCCE_FLOAT, RCCE_MAX,
				RCCE_COMM_WORLD) == RCCE_SUCCESS && fo == (float)n);
	RT_CHECK(RCCE_allreduce((char *)di, (char *)dout, 3, RCCE_DOUBLE, RCCE_MIN,
				RCCE_COMM_WORLD) == RCCE_SUCCESS);
	RT_CHECK(dout[0] == 1.0 && dout[1] == 0.0 && dout[2] == 1.0);
	dout[0] = -1;
	RT_CHECK(RCCE_reduce((char *)di, (char *)dout, 3, RCCE_DOUBLE, RCCE_SUM, 2,
			     RCCE_COMM_WORLD) == RCCE_SUCCESS);
	RT_CHECK(ue != 2 || dout[0] == n * (n + 1) / 2.0);
	RT_CHECK(ue == 2 || dout[0] == -1);	/* only the root gets the result */
	return 0;
}

Test(coll, reductions_of_every_type_and_op)
{
	cr_assert_eq(rt_run(6, TESSERA_BOOT_STRICT, reduce, NULL), 0);
}

static int errors(int ue, void *arg)
{
	int a = ue, b;
	RCCE_COMM none;

	(void)arg;
	none.initialized = 0;
	RT_CHECK(RCCE_allreduce((char *)&a, (char *)&b, 1, 5, RCCE_SUM, RCCE_COMM_WORLD) ==
		 RCCE_ERROR_ILLEGAL_TYPE);
	RT_CHECK(RCCE_allreduce((char *)&a, (char *)&b, 1, RCCE_INT, 5, RCCE_COMM_WORLD) ==
		 RCCE_ERROR_ILLEGAL_OP);
	RT_CHECK(RCCE_reduce((char *)&a, (char *)&b, 1, RCCE_INT, RCCE_SUM, 3, RCCE_COMM_WORLD) ==
		 RCCE_ERROR_ID);
	RT_CHECK(RCCE_allreduce((char *)&a, (char *)&b, 1, RCCE_INT, RCCE_SUM, none) ==
		 RCCE_ERROR_COMM_UNDEFINED);
	RT_CHECK(RCCE_bcast((char *)&a, 4, 0, none) == RCCE_ERROR_COMM_UNDEFINED);
	return 0;
}

Test(coll, bad_arguments_give_rcces_codes)
{
	cr_assert_eq(rt_run(2, 0, errors, NULL), 0);
}
