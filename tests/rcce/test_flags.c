// SPDX-License-Identifier: MIT
/*
 * test_flags.c: lib/rcce/flags.c, built twice: whole-line flags (test_flags) and
 * SINGLEBITFLAGS (test_flags_sbf). The simplified API keeps the gory flag calls for the
 * library (RCCE_lib.h), so they are tested here through it.
 */
#include "rcce_test.h"

/* A UE whose check fails leaves its peers waiting: the timeout turns that into a failure. */
TestSuite(flags, .timeout = 30);

static int write_read_wait(int ue, void *arg)
{
	RCCE_FLAG f, g;
	RCCE_FLAG_STATUS v = 7;

	(void)arg;
	RT_CHECK(RCCE_flag_alloc(&f) == RCCE_SUCCESS && RCCE_flag_alloc(&g) == RCCE_SUCCESS);
	RT_CHECK(RCCE_flag_read(f, &v, ue) == RCCE_SUCCESS && v == RCCE_FLAG_UNSET);
	RCCE_barrier(&RCCE_COMM_WORLD);
	if (ue == 0) {
		/* set the flag on UE 1, wait until UE 1 sets ours */
		RT_CHECK(RCCE_flag_write(&f, RCCE_FLAG_SET, 1) == RCCE_SUCCESS);
		RT_CHECK(RCCE_wait_until(g, RCCE_FLAG_SET) == RCCE_SUCCESS);
		RT_CHECK(RCCE_flag_read(f, &v, 1) == RCCE_SUCCESS);
	} else {
		RT_CHECK(RCCE_wait_until(f, RCCE_FLAG_SET) == RCCE_SUCCESS);
		RT_CHECK(RCCE_flag_read(f, &v, ue) == RCCE_SUCCESS && v == RCCE_FLAG_SET);
		RT_CHECK(RCCE_flag_write(&f, RCCE_FLAG_UNSET, ue) == RCCE_SUCCESS);
		RT_CHECK(RCCE_flag_write(&g, RCCE_FLAG_SET, 0) == RCCE_SUCCESS);
	}
	RT_CHECK(RCCE_flag_free(&g) == RCCE_SUCCESS);
	return 0;
}

Test(flags, write_on_another_ue_wakes_its_wait)
{
	cr_assert_eq(rt_run(2, 0, write_read_wait, NULL), 0);
}

Test(flags, same_under_strict_coherence)
{
	cr_assert_eq(rt_run(2, TESSERA_BOOT_STRICT, write_read_wait, NULL), 0);
}

static int neighbours(int ue, void *arg)
{
	/* many flags written at once by different UEs: none disturbs another (bit flags share
	 * a line and take the owner's lock) */
	enum { NF = 24 };
	RCCE_FLAG f[NF];
	int n = RCCE_num_ues();

	(void)arg;
	for (int i = 0; i < NF; i++)
		RT_CHECK(RCCE_flag_alloc(&f[i]) == RCCE_SUCCESS);
	for (int i = ue; i < NF; i += n)
		for (int t = 0; t < n; t++)
			RT_CHECK(RCCE_flag_write(&f[i], RCCE_FLAG_SET, t) == RCCE_SUCCESS);
	for (int i = 0; i < NF; i++)
		RT_CHECK(RCCE_wait_until(f[i], RCCE_FLAG_SET) == RCCE_SUCCESS);
	return 0;
}

Test(flags, concurrent_writers_keep_each_others_flags)
{
	cr_assert_eq(rt_run(6, TESSERA_BOOT_STRICT, neighbours, NULL), 0);
}

static int errors(int ue, void *arg)
{
	RCCE_FLAG f, none;
	RCCE_FLAG_STATUS v;

	(void)arg;
	memset(&none, 0, sizeof(none));
	RT_CHECK(RCCE_flag_alloc(&f) == RCCE_SUCCESS);
	RT_CHECK(RCCE_flag_write(&f, 5, ue) == RCCE_ERROR_FLAG_STATUS_UNDEFINED);
	RT_CHECK(RCCE_flag_write(&f, RCCE_FLAG_SET, RCCE_num_ues()) == RCCE_ERROR_ID);
	RT_CHECK(RCCE_flag_write(&f, RCCE_FLAG_SET, -1) == RCCE_ERROR_ID);
	RT_CHECK(RCCE_flag_write(NULL, RCCE_FLAG_SET, ue) == RCCE_ERROR_FLAG_UNDEFINED);
	RT_CHECK(RCCE_flag_write(&none, RCCE_FLAG_SET, ue) == RCCE_ERROR_FLAG_UNDEFINED);
	RT_CHECK(RCCE_flag_read(f, NULL, ue) == RCCE_ERROR_VAL_UNDEFINED);
	RT_CHECK(RCCE_flag_read(none, &v, ue) == RCCE_ERROR_FLAG_UNDEFINED);
	RT_CHECK(RCCE_flag_read(f, &v, 99) == RCCE_ERROR_ID);
	RT_CHECK(RCCE_wait_until(f, 3) == RCCE_ERROR_FLAG_STATUS_UNDEFINED);
	RT_CHECK(RCCE_wait_until(none, RCCE_FLAG_SET) == RCCE_ERROR_FLAG_UNDEFINED);
	RT_CHECK(RCCE_flag_free(NULL) == RCCE_ERROR_FLAG_UNDEFINED);
	return 0;
}

Test(flags, bad_arguments_give_rcces_codes)
{
	cr_assert_eq(rt_run(1, 0, errors, NULL), 0);
}

#ifdef SINGLEBITFLAGS
static int bits(int ue, void *arg)
{
	RCCE_FLAG f[300];
	t_vcharp first;

	(void)ue, (void)arg;
	for (int i = 0; i < 300; i++)
		RT_CHECK(RCCE_flag_alloc(&f[i]) == RCCE_SUCCESS);
	first = f[0].line_address;
	/* 256 flags share a line (some are the library's already), then a new line starts */
	RT_CHECK(f[299].line_address != first);
	RT_CHECK(f[1].line_address == first && f[1].location == f[0].location + 1);
	RT_CHECK(RCCE_flag_free(&f[1]) == RCCE_SUCCESS && f[1].location == -1);
	RT_CHECK(RCCE_flag_alloc(&f[1]) == RCCE_SUCCESS && f[1].line_address == first);
	RT_CHECK(RCCE_flag_free(&f[299]) == RCCE_SUCCESS);
	RT_CHECK(RCCE_flag_free(&f[299]) == RCCE_ERROR_FLAG_UNDEFINED);
	return 0;
}

Test(flags, single_bit_flags_share_lines)
{
	cr_assert_eq(rt_run(1, 0, bits, NULL), 0);
}

Test(flags, bit_helpers_number_bits_from_the_left)
{
	unsigned char line[RCCE_LINE_SIZE] = { 0 };

	RCCE_write_bit_value(line, 0, RCCE_FLAG_SET);
	cr_assert_eq(line[0], 0x80);
	RCCE_write_bit_value(line, 9, RCCE_FLAG_SET);
	cr_assert_eq(line[1], 0x40);
	cr_assert_eq(RCCE_bit_value(line, 9), 1);
	cr_assert_eq(RCCE_flip_bit_value(line, 9), 0);
	RCCE_write_bit_value(line, 0, RCCE_FLAG_UNSET);
	cr_assert_eq(line[0], 0);
}
#else
static int line_flags(int ue, void *arg)
{
	RCCE_FLAG a, b;

	(void)ue, (void)arg;
	RT_CHECK(RCCE_flag_alloc(&a) == RCCE_SUCCESS && RCCE_flag_alloc(&b) == RCCE_SUCCESS);
	/* a whole line each */
	RT_CHECK((t_vcharp)b - (t_vcharp)a == RCCE_LINE_SIZE);
	RT_CHECK(RCCE_flag_free(&a) == RCCE_SUCCESS && a == NULL);
	return 0;
}

Test(flags, whole_line_flags_take_a_line_each)
{
	cr_assert_eq(rt_run(1, 0, line_flags, NULL), 0);
}
#endif
