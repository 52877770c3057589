/* SPDX-License-Identifier: MIT */
/*
 * rcce_test.h: what the lib/rcce unit tests share: a fake scc48 board (tests/fake, every
 * UE a thread, RCCE's globals thread-local) and a way to run one function on N UEs.
 */
#ifndef RCCE_TEST_H
#define RCCE_TEST_H

#include <criterion/criterion.h>
#include "hal_fake.h"
#include "rcce_impl.h"

/* Run fn on n UEs of a fresh scc48 board (boot flags `flags`), each after RCCE_init;
 * returns the first non-zero result of fn (or of RCCE_init). */
static int rt_arg_fn(uint32_t rank, void *arg);

struct rt_run {
	int (*fn)(int ue, void *arg);
	void *arg;
};

static int rt_arg_fn(uint32_t rank, void *p)
{
	struct rt_run *r = p;
	int argc = 1, rc;
	char *args[] = { "test", NULL }, **argv = args;

	(void)rank;
	if ((rc = RCCE_init(&argc, &argv)))
		return rc;
	return r->fn(RCCE_ue(), r->arg);
}

static inline int rt_run(int n, uint32_t flags, int (*fn)(int ue, void *arg), void *arg)
{
	struct tessera_geom g;
	struct rt_run r = { fn, arg };
	int rc;

	hal_fake_geom("scc48", 64, &g);
	cr_assert_eq(hal_fake_board(&g, (uint32_t)n, NULL, flags), 0);
	rc = hal_fake_run(rt_arg_fn, &r);
	hal_fake_board_free();
	return rc;
}

/* A failed check inside a UE: its line, so that rt_run's result names it. */
#define RT_CHECK(cond) do { if (!(cond)) return __LINE__; } while (0)

#endif
