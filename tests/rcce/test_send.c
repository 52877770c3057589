// SPDX-License-Identifier: MIT
/* test_send.c: lib/rcce/send.c and putget.c, the simplified API (also built with
 * SINGLEBITFLAGS as test_send_sbf). */
#include <stdlib.h>
#include <string.h>
#include "rcce_test.h"

/* A UE whose check fails leaves its peers waiting: the timeout turns that into a failure. */
TestSuite(send, .timeout = 30);

static const size_t sizes[] = { 0, 1, 31, 32, 1000, 5024, 5025, 20000, 100003 };

static int pairs(int ue, void *arg)
{
	size_t max = 100003;
	unsigned char *buf = malloc(max);

	(void)arg;
	RT_CHECK(buf);
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];

		if (ue == 0) {
			for (size_t i = 0; i < n; i++)
				buf[i] = (unsigned char)(i * 7 + k);
			RT_CHECK(RCCE_send((char *)buf, n, 1) == RCCE_SUCCESS);
		} else {
			memset(buf, 0xee, max);
			RT_CHECK(RCCE_recv((char *)buf, n, 0) == RCCE_SUCCESS);
			for (size_t i = 0; i < n; i++)
				RT_CHECK(buf[i] == (unsigned char)(i * 7 + k));
			RT_CHECK(n == max || buf[n] == 0xee);	/* nothing beyond */
		}
	}
	free(buf);
	return 0;
}

Test(send, every_size_arrives_whole)
{
	cr_assert_eq(rt_run(2, 0, pairs, NULL), 0);
}

Test(send, every_size_arrives_whole_under_strict)
{
	cr_assert_eq(rt_run(2, TESSERA_BOOT_STRICT, pairs, NULL), 0);
}

static int everyone(int ue, void *arg)
{
	int n = RCCE_num_ues(), v;

	(void)arg;
	/* UE 0 collects one int from everyone, in reverse order of UEs */
	if (ue == 0) {
		for (int s = n - 1; s > 0; s--) {
			RT_CHECK(RCCE_recv((char *)&v, sizeof(v), s) == RCCE_SUCCESS);
			RT_CHECK(v == s * 11);
		}
	} else {
		v = ue * 11;
		RT_CHECK(RCCE_send((char *)&v, sizeof(v), 0) == RCCE_SUCCESS);
	}
	return 0;
}

Test(send, many_senders_to_one)
{
	cr_assert_eq(rt_run(8, TESSERA_BOOT_STRICT, everyone, NULL), 0);
}

static int testing(int ue, void *arg)
{
	int v = 0, got = -1, tries = 0;

	(void)arg;
	if (ue == 1) {
		/* nothing sent yet: the test says so without blocking */
		RT_CHECK(RCCE_recv_test((char *)&v, sizeof(v), 0, &got) == RCCE_SUCCESS && got == 0);
		RCCE_barrier(&RCCE_COMM_WORLD);
		do {
			RT_CHECK(RCCE_recv_test((char *)&v, sizeof(v), 0, &got) == RCCE_SUCCESS);
			tries++;
		} while (!got);
		RT_CHECK(v == 42);
	} else {
		v = 42;
		RCCE_barrier(&RCCE_COMM_WORLD);
		RT_CHECK(RCCE_send((char *)&v, sizeof(v), 1) == RCCE_SUCCESS);
	}
	return 0;
}

Test(send, recv_test_polls)
{
	cr_assert_eq(rt_run(2, 0, testing, NULL), 0);
}

static int errors(int ue, void *arg)
{
	char b[4];
	int t;

	(void)arg;
	RT_CHECK(RCCE_send(b, 4, ue) == RCCE_ERROR_ID);
	RT_CHECK(RCCE_send(b, 4, 2) == RCCE_ERROR_ID);
	RT_CHECK(RCCE_send(b, 4, -1) == RCCE_ERROR_ID);
	RT_CHECK(RCCE_recv(b, 4, 7) == RCCE_ERROR_ID);
	RT_CHECK(RCCE_send(NULL, 4, !ue) == RCCE_ERROR_SOURCE);
	RT_CHECK(RCCE_recv(NULL, 4, !ue) == RCCE_ERROR_TARGET);
	RT_CHECK(RCCE_recv_test(b, 4, !ue, NULL) == RCCE_ERROR_VAL_UNDEFINED);
	RT_CHECK(RCCE_recv_test(b, 4, ue, &t) == RCCE_ERROR_ID);
	return 0;
}

Test(send, bad_arguments_give_rcces_codes)
{
	cr_assert_eq(rt_run(2, 0, errors, NULL), 0);
}

static int put_get(int ue, void *arg)
{
	t_vcharp buf = RCCE_malloc(2 * RCCE_LINE_SIZE);
	char line[2 * RCCE_LINE_SIZE], back[2 * RCCE_LINE_SIZE];

	(void)arg;
	RT_CHECK(buf);
	memset(line, 'a' + ue, sizeof(line));
	/* put into the other UE's MPB, then both read what the other put */
	RT_CHECK(RCCE_put(buf, (t_vcharp)line, sizeof(line), !ue) == RCCE_SUCCESS);
	RCCE_barrier(&RCCE_COMM_WORLD);
	RT_CHECK(RCCE_get((t_vcharp)back, buf, sizeof(back), ue) == RCCE_SUCCESS);
	RT_CHECK(back[0] == 'a' + !ue && back[sizeof(back) - 1] == 'a' + !ue);
	return 0;
}

Test(send, put_and_get_reach_the_other_mpb)
{
	cr_assert_eq(rt_run(2, TESSERA_BOOT_STRICT, put_get, NULL), 0);
}
