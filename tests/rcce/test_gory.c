// SPDX-License-Identifier: MIT
/* test_gory.c: lib/rcce built with -DGORY: the allocator, put/get checks, the 7-argument
 * send and receive over the programmer's own buffer and flags, shared memory. */
#include <string.h>
#include "rcce_test.h"

/* A UE whose check fails leaves its peers waiting: the timeout turns that into a failure. */
TestSuite(gory, .timeout = 30);

static int allocator(int ue, void *arg)
{
	t_vcharp a, b, c;
	size_t got;

	(void)ue, (void)arg;
	a = RCCE_malloc(100);		/* rounded up to 4 lines */
	b = RCCE_malloc(32);
	RT_CHECK(a && b && b - a == 128);
	RCCE_free(a);
	c = RCCE_malloc(64);
	RT_CHECK(c == a);		/* first fit */
	c = RCCE_malloc_request(1 << 20, &got);	/* too big: halved until it fits */
	RT_CHECK(c && got >= RCCE_LINE_SIZE && got < (size_t)RCCE_BUFF_SIZE);
	RT_CHECK(RCCE_malloc(RCCE_BUFF_SIZE) == NULL);
	RT_CHECK(RCCE_malloc(0) == NULL);
	a = RCCE_shmalloc(1000);
	b = RCCE_shmalloc(1000);
	RT_CHECK(a && (uintptr_t)a >= TESSERA_ADDR_SHARED && b - a == 1024);
	RCCE_shfree(a);
	RT_CHECK(RCCE_shmalloc(32) == a);
	RCCE_shflush();
	return 0;
}

Test(gory, allocators_are_first_fit_in_lines)
{
	cr_assert_eq(rt_run(1, 0, allocator, NULL), 0);
}

static int checks(int ue, void *arg)
{
	t_vcharp m = RCCE_malloc(4 * RCCE_LINE_SIZE);
	char priv[64];

	(void)arg;
	RT_CHECK(m);
	RT_CHECK(RCCE_put(NULL, (t_vcharp)priv, 32, ue) == RCCE_ERROR_TARGET);
	RT_CHECK(RCCE_put(m, NULL, 32, ue) == RCCE_ERROR_SOURCE);
	RT_CHECK(RCCE_put(m, (t_vcharp)priv, 32, 5) == RCCE_ERROR_ID);
	RT_CHECK(RCCE_put(m, (t_vcharp)priv, 33, ue) == RCCE_ERROR_MESSAGE_LENGTH);
	RT_CHECK(RCCE_put((t_vcharp)priv, (t_vcharp)priv, 32, ue) == RCCE_ERROR_TARGET);
	RT_CHECK(RCCE_put(m + 4, (t_vcharp)priv, 32, ue) == RCCE_ERROR_ALIGNMENT);
	RT_CHECK(RCCE_put(m + 32, m, 64, ue) == RCCE_ERROR_DATA_OVERLAP);
	RT_CHECK(RCCE_get((t_vcharp)priv, (t_vcharp)priv, 32, ue) == RCCE_ERROR_SOURCE);
	RT_CHECK(RCCE_get(NULL, m, 32, ue) == RCCE_ERROR_TARGET);
	RT_CHECK(RCCE_get((t_vcharp)priv, m, -32, ue) == RCCE_ERROR_MESSAGE_LENGTH);
	RT_CHECK(RCCE_put(m + 64, m, 64, ue) == RCCE_SUCCESS);	/* MPB to MPB, no overlap */
	return 0;
}

Test(gory, put_and_get_check_their_arguments)
{
	cr_assert_eq(rt_run(2, 0, checks, NULL), 0);
}

static int transfer(int ue, void *arg)
{
	RCCE_FLAG ready, sent;
	t_vcharp buf = RCCE_malloc(256);
	static char data[2][3000];
	int got = 0;

	(void)arg;
	RT_CHECK(buf && RCCE_flag_alloc(&ready) == RCCE_SUCCESS &&
		 RCCE_flag_alloc(&sent) == RCCE_SUCCESS);
	if (ue == 0) {
		for (int i = 0; i < 3000; i++)
			data[0][i] = (char)(i % 101);
		RT_CHECK(RCCE_send(data[0], buf, 256, &ready, &sent, 3000, 1) == RCCE_SUCCESS);
		RT_CHECK(RCCE_send(data[0], buf, 256, &ready, &sent, 3000, 1) == RCCE_SUCCESS);
	} else {
		RT_CHECK(RCCE_recv(data[1], buf, 256, &ready, &sent, 3000, 0) == RCCE_SUCCESS);
		for (int i = 0; i < 3000; i++)
			RT_CHECK(data[1][i] == (char)(i % 101));
		memset(data[1], 0, sizeof(data[1]));
		while (!got)
			RT_CHECK(RCCE_recv_test(data[1], buf, 256, &ready, &sent, 3000, 0, &got) ==
				 RCCE_SUCCESS);
		RT_CHECK(data[1][2999] == (char)(2999 % 101));
	}
	RT_CHECK(RCCE_send(data[0], buf, 250, &ready, &sent, 1, !ue) == RCCE_ERROR_MESSAGE_LENGTH);
	RT_CHECK(RCCE_send(data[0], buf + 8, 128, &ready, &sent, 1, !ue) == RCCE_ERROR_ALIGNMENT);
	RT_CHECK(RCCE_recv(data[1], buf, 256, NULL, &sent, 1, !ue) == RCCE_ERROR_FLAG_UNDEFINED);
	RT_CHECK(RCCE_send(data[0], buf, 256, &ready, &sent, 1, ue) == RCCE_ERROR_ID);
	return 0;
}

Test(gory, send_and_recv_over_the_programmers_buffer_and_flags)
{
	cr_assert_eq(rt_run(2, TESSERA_BOOT_STRICT, transfer, NULL), 0);
}

static int locks(int ue, void *arg)
{
	static int counter;

	(void)arg;
	for (int i = 0; i < 1000; i++) {
		RT_CHECK(RCCE_acquire_lock(0) == RCCE_SUCCESS);
		counter++;
		RT_CHECK(RCCE_release_lock(0) == RCCE_SUCCESS);
	}
	RT_CHECK(RCCE_acquire_lock(7) == RCCE_ERROR_ID && RCCE_release_lock(-1) == RCCE_ERROR_ID);
	RCCE_barrier(&RCCE_COMM_WORLD);
	RT_CHECK(counter == 4000);
	(void)ue;
	return 0;
}

Test(gory, test_and_set_locks_exclude)
{
	cr_assert_eq(rt_run(4, 0, locks, NULL), 0);
}
