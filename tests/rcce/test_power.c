// SPDX-License-Identifier: MIT
/* test_power.c: lib/rcce/power.c: domains, masters, the modelled voltage and frequency. */
#include "rcce_test.h"

/* A UE whose check fails leaves its peers waiting: the timeout turns that into a failure. */
TestSuite(power, .timeout = 30);

static int domains(int ue, void *arg)
{
	(void)arg;
	/* cores 0..7 are tiles 0, 1 (row 0) and 6, 7 (row 1): domain 0; cores 8..15 domain 1 */
	RT_CHECK(RCCE_power_domain() == (ue < 8 ? 0 : ue < 12 ? 1 : 0));
	return 0;
}

Test(power, a_domain_is_a_2x2_block_of_tiles)
{
	/* ranks on cores 0-3 (tiles 0, 1), 4-7 (tiles 2, 3: domain 1) would break the simple
	 * formula above, so place them: ranks 0-7 on cores 0-3 and 12-15, ranks 8-11 on 4-7 */
	static const uint16_t cores[] = { 0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7 };
	struct tessera_geom g;
	struct rt_run r = { domains, NULL };

	hal_fake_geom("scc48", 64, &g);
	cr_assert_eq(hal_fake_board(&g, 12, cores, 0), 0);
	cr_assert_eq(hal_fake_run(rt_arg_fn, &r), 0);
	hal_fake_board_free();
}

static int dvfs(int ue, void *arg)
{
	RCCE_REQUEST req;
	int f = 0, v = 0;
	uint32_t fdiv, vl;

	(void)arg;
	RT_CHECK(RCCE_power_domain_master() == 0 && RCCE_power_domain_size() == 4);
	if (ue != 0) {	/* not the master: nothing happens */
		RT_CHECK(RCCE_iset_power(8, &req, &f, &v) == RCCE_SUCCESS && f == 0);
		RCCE_barrier(&RCCE_COMM_WORLD);
		return 0;
	}
	RT_CHECK(RCCE_wait_power(&req) == RCCE_ERROR_NO_ACTIVE_RPC_REQUEST);
	/* slow down: 1600 / 8 = 200 MHz needs only level 0 */
	RT_CHECK(RCCE_iset_power(8, &req, &f, &v) == RCCE_SUCCESS && f == 8 && v == 0);
	RT_CHECK(RCCE_iset_power(8, &req, &f, &v) == RCCE_ERROR_MULTIPLE_RPC_REQUESTS);
	RT_CHECK(RCCE_set_frequency_divider(4, &f) == RCCE_ERROR_MULTIPLE_RPC_REQUESTS);
	tk_power_get(3, &fdiv, &vl);
	RT_CHECK(fdiv == 8 && vl == 4);	/* frequency down at once, voltage still the old */
	RT_CHECK(RCCE_wait_power(&req) == RCCE_SUCCESS);
	tk_power_get(3, &fdiv, &vl);
	RT_CHECK(fdiv == 8 && vl == 0);
	tk_power_get(8, &fdiv, &vl);
	RT_CHECK(fdiv == 0);	/* another domain: untouched */
	RT_CHECK(RCCE_wait_power(&req) == RCCE_ERROR_NO_ACTIVE_RPC_REQUEST);
	/* 800 MHz is too fast for level 0 without a voltage change */
	RT_CHECK(RCCE_set_frequency_divider(2, &f) == RCCE_ERROR_FDIVIDER);
	RT_CHECK(RCCE_set_frequency_divider(4, &f) == RCCE_SUCCESS && f == 4);	/* 400 MHz */
	/* back up: the frequency rises only after the voltage */
	RT_CHECK(RCCE_iset_power(1, &req, &f, &v) == RCCE_SUCCESS && f == 2 && v == 4);
	tk_power_get(0, &fdiv, &vl);
	RT_CHECK(fdiv == 4 && vl == 0);
	RT_CHECK(RCCE_wait_power(&req) == RCCE_SUCCESS);
	tk_power_get(0, &fdiv, &vl);
	RT_CHECK(fdiv == 2 && vl == 4);
	req.release = 1;
	RT_CHECK(RCCE_iset_power(3, &req, &f, &v) == RCCE_SUCCESS);
	req.release = 1;
	RT_CHECK(RCCE_wait_power(&req) == RCCE_ERROR_STALE_RPC_REQUEST);
	RCCE_barrier(&RCCE_COMM_WORLD);
	return 0;
}

Test(power, the_master_sets_voltage_then_frequency)
{
	cr_assert_eq(rt_run(4, 0, dvfs, NULL), 0);
}
