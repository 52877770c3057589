// SPDX-License-Identifier: MIT
/* test_ircce.c: lib/rcce/ircce.c and ircce_list.c: iRCCE 2.0's non-blocking requests. */
#include <stdlib.h>
#include <string.h>
#include "rcce_test.h"
#include "iRCCE.h"

/* A UE whose check fails leaves its peers waiting: the timeout turns that into a failure. */
TestSuite(ircce, .timeout = 30);

#define BIG 20000

static void fill(char *b, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (char)(i * 13 + (size_t)seed);
}

static int same(const char *b, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != (char)(i * 13 + (size_t)seed))
			return 0;
	return 1;
}

/* pipe: 0 = isend/irecv, 1 = issend/isrecv */
static int nonblocking(int ue, void *arg)
{
	int pipe = *(int *)arg, test = 0;
	char *a = malloc(BIG), *b = malloc(BIG);
	iRCCE_SEND_REQUEST s[2];
	iRCCE_RECV_REQUEST r[2];

	RT_CHECK(a && b && iRCCE_init() == iRCCE_SUCCESS);
	if (ue == 0) {
		fill(a, BIG, 1);
		fill(b, 100, 2);
		RT_CHECK((pipe ? iRCCE_issend : iRCCE_isend)(a, BIG, 1, &s[0]) == iRCCE_PENDING);
		/* the second waits behind the first: one MPB buffer */
		RT_CHECK((pipe ? iRCCE_issend : iRCCE_isend)(b, 100, 1, &s[1]) == iRCCE_RESERVED);
		RT_CHECK(iRCCE_get_dest(&s[1]) == 1 && iRCCE_get_size(&s[1], NULL) == 100);
		RT_CHECK(iRCCE_isend_test(&s[1], &test) == iRCCE_PENDING && test == 0);
		RT_CHECK(iRCCE_isend_wait(&s[0]) == iRCCE_SUCCESS && s[0].finished);
		RT_CHECK(iRCCE_isend_wait(NULL) == iRCCE_SUCCESS && s[1].finished);
		RT_CHECK(iRCCE_isend_push() == iRCCE_SUCCESS);
	}
	(void)r;
	return 0;
}

static int nonblocking_recv(int ue, void *arg)
{
	int pipe = *(int *)arg, test = 0;
	char *a = malloc(BIG), *b = malloc(100);
	iRCCE_RECV_REQUEST r[2];

	if (ue == 0)
		return nonblocking(ue, arg);
	RT_CHECK(a && b && iRCCE_init() == iRCCE_SUCCESS);
	RT_CHECK((pipe ? iRCCE_isrecv : iRCCE_irecv)(a, BIG, 0, &r[0]) != iRCCE_RESERVED);
	RT_CHECK((pipe ? iRCCE_isrecv : iRCCE_irecv)(b, 100, 0, &r[1]) == iRCCE_RESERVED);
	RT_CHECK(iRCCE_get_source(&r[0]) == 0 && iRCCE_get_size(NULL, &r[0]) == BIG);
	do
		RT_CHECK(iRCCE_irecv_test(&r[0], &test) != RCCE_ERROR_ID);
	while (!test);
	RT_CHECK(same(a, BIG, 1));
	RT_CHECK(iRCCE_irecv_wait(NULL) == iRCCE_SUCCESS && r[1].finished && same(b, 100, 2));
	RT_CHECK(iRCCE_irecv_push() == iRCCE_SUCCESS);
	return 0;
}

Test(ircce, isend_irecv_queue_in_order)
{
	int pipe = 0;

	cr_assert_eq(rt_run(2, TESSERA_BOOT_STRICT, nonblocking_recv, &pipe), 0);
}

Test(ircce, pipelined_issend_isrecv)
{
	int pipe = 1;

	cr_assert_eq(rt_run(2, TESSERA_BOOT_STRICT, nonblocking_recv, &pipe), 0);
}

static int mixed(int ue, void *arg)
{
	char *a = malloc(BIG);

	(void)arg;
	RT_CHECK(a && iRCCE_init() == iRCCE_SUCCESS);
	/* iRCCE_isend uses RCCE_send's protocol: an RCCE_recv takes it, and the other way */
	if (ue == 0) {
		iRCCE_SEND_REQUEST s;

		fill(a, BIG, 5);
		RT_CHECK(iRCCE_isend(a, BIG, 1, &s) != RCCE_ERROR_ID);
		RT_CHECK(iRCCE_isend_wait(&s) == iRCCE_SUCCESS);
		RT_CHECK(RCCE_recv(a, BIG, 1) == RCCE_SUCCESS && same(a, BIG, 6));
		/* and the pipelined blocking pair */
		fill(a, BIG, 7);
		RT_CHECK(iRCCE_ssend(a, BIG, 1) == iRCCE_SUCCESS);
	} else {
		iRCCE_RECV_REQUEST r;

		RT_CHECK(RCCE_recv(a, BIG, 0) == RCCE_SUCCESS && same(a, BIG, 5));
		fill(a, BIG, 6);
		RT_CHECK(iRCCE_irecv(a, 0, 0, &r) == iRCCE_SUCCESS);	/* empty: done at once */
		RT_CHECK(RCCE_send(a, BIG, 0) == RCCE_SUCCESS);
		memset(a, 0, BIG);
		RT_CHECK(iRCCE_srecv(a, BIG, 0) == iRCCE_SUCCESS && same(a, BIG, 7));
	}
	return 0;
}

Test(ircce, interoperates_with_rcce_send_and_recv)
{
	cr_assert_eq(rt_run(2, 0, mixed, NULL), 0);
}

static int wildcard(int ue, void *arg)
{
	int n = RCCE_num_ues(), v, from, seen = 0, test;

	(void)arg;
	RT_CHECK(iRCCE_init() == iRCCE_SUCCESS);
	if (ue != 0) {
		v = ue * 3;
		RT_CHECK(iRCCE_ssend((char *)&v, sizeof(v), 0) == iRCCE_SUCCESS);
		return 0;
	}
	RT_CHECK(iRCCE_probe(iRCCE_ANY_SOURCE, &from) == iRCCE_SUCCESS && from > 0 && from < n);
	for (int k = 1; k < n; k++) {
		iRCCE_RECV_REQUEST r;

		RT_CHECK(iRCCE_isrecv((char *)&v, sizeof(v), iRCCE_ANY_SOURCE, &r) != RCCE_ERROR_ID);
		RT_CHECK(iRCCE_irecv_wait(&r) == iRCCE_SUCCESS);
		from = iRCCE_get_source(&r);
		RT_CHECK(from > 0 && from < n && v == from * 3 && !(seen & (1 << from)));
		seen |= 1 << from;
	}
	RT_CHECK(seen == (1 << n) - 2);
	RT_CHECK(iRCCE_iprobe(1, &from, &test) == iRCCE_SUCCESS && !test && from == -1);
	RT_CHECK(iRCCE_iprobe(ue, &from, &test) == RCCE_ERROR_ID);
	return 0;
}

Test(ircce, any_source_takes_each_sender_once)
{
	cr_assert_eq(rt_run(6, 0, wildcard, NULL), 0);
}

static int lists(int ue, void *arg)
{
	int n = RCCE_num_ues(), in[8], out = ue, test = 0;
	iRCCE_RECV_REQUEST r[8];
	iRCCE_SEND_REQUEST s, *sp;
	iRCCE_RECV_REQUEST *rp;
	iRCCE_WAIT_LIST l;

	(void)arg;
	RT_CHECK(iRCCE_init() == iRCCE_SUCCESS);
	iRCCE_init_wait_list(&l);
	RT_CHECK(iRCCE_test_any(&l, &sp, &rp) == iRCCE_ERROR);	/* empty */
	if (ue == 0) {
		for (int k = 1; k < n; k++) {
			iRCCE_irecv((char *)&in[k], sizeof(int), k, &r[k]);
			iRCCE_add_to_wait_list(&l, NULL, &r[k]);
		}
		for (int k = 1; k < n - 2; k++) {
			RT_CHECK(iRCCE_wait_any(&l, &sp, &rp) == iRCCE_SUCCESS && !sp && rp);
			RT_CHECK(*(int *)rp->privbuf == rp->source);
		}
		RT_CHECK(iRCCE_wait_all(&l) == iRCCE_SUCCESS && l.first == NULL);
		for (int k = 1; k < n; k++)
			RT_CHECK(in[k] == k);
	} else {
		iRCCE_isend((char *)&out, sizeof(out), 0, &s);
		iRCCE_add_to_wait_list(&l, &s, NULL);
		do
			RT_CHECK(iRCCE_test_all(&l, &test) != iRCCE_ERROR);
		while (!test);
	}
	return 0;
}

Test(ircce, wait_lists_any_and_all)
{
	cr_assert_eq(rt_run(6, TESSERA_BOOT_STRICT, lists, NULL), 0);
}

static int cancel(int ue, void *arg)
{
	char a[64], b[64];
	iRCCE_SEND_REQUEST s[2];
	iRCCE_RECV_REQUEST r;
	int test = 0;

	(void)arg;
	RT_CHECK(iRCCE_init() == iRCCE_SUCCESS);
	if (ue == 0) {
		RCCE_barrier(&RCCE_COMM_WORLD);
		iRCCE_isend(a, sizeof(a), 1, &s[0]);
		RT_CHECK(iRCCE_isend(b, sizeof(b), 1, &s[1]) == iRCCE_RESERVED);
		RT_CHECK(iRCCE_isend_cancel(&s[1], &test) == iRCCE_SUCCESS && test == 1);
		RT_CHECK(iRCCE_isend_cancel(&s[0], &test) == iRCCE_SUCCESS && test == 0);	/* started */
		RT_CHECK(iRCCE_isend_cancel(&s[1], &test) == iRCCE_NOT_ENQUEUED);
		RT_CHECK(iRCCE_isend_wait(NULL) == iRCCE_SUCCESS);
	} else {
		/* nothing is sent before the barrier: the wildcard stays unmatched */
		RT_CHECK(iRCCE_irecv(b, sizeof(b), iRCCE_ANY_SOURCE, &r) == iRCCE_PENDING);
		RT_CHECK(iRCCE_irecv_cancel(&r, &test) == iRCCE_SUCCESS && test == 1);
		RT_CHECK(iRCCE_irecv_cancel(&r, &test) == iRCCE_NOT_ENQUEUED && test == 0);
		RCCE_barrier(&RCCE_COMM_WORLD);
		RT_CHECK(RCCE_recv(a, sizeof(a), 0) == RCCE_SUCCESS);
	}
	return 0;
}

Test(ircce, cancel_only_what_has_not_started)
{
	cr_assert_eq(rt_run(2, 0, cancel, NULL), 0);
}

static int errors(int ue, void *arg)
{
	iRCCE_SEND_REQUEST s;
	iRCCE_RECV_REQUEST r;
	char c;

	(void)arg;
	RT_CHECK(iRCCE_isend(&c, 1, ue, &s) == RCCE_ERROR_ID);
	RT_CHECK(iRCCE_isend(&c, 1, 9, &s) == RCCE_ERROR_ID);
	RT_CHECK(iRCCE_isend(&c, -1, !ue, &s) == RCCE_ERROR_MESSAGE_LENGTH);
	RT_CHECK(iRCCE_irecv(NULL, 1, !ue, &r) == RCCE_ERROR_TARGET);
	RT_CHECK(iRCCE_irecv(&c, 1, -7, &r) == RCCE_ERROR_ID);
	RT_CHECK(iRCCE_get_length() == (int)RCCE_chunk);
	RT_CHECK(iRCCE_get_dest(NULL) == iRCCE_ERROR && iRCCE_get_source(NULL) == iRCCE_ERROR);
	return 0;
}

Test(ircce, bad_arguments)
{
	cr_assert_eq(rt_run(2, 0, errors, NULL), 0);
}
