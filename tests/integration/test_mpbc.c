// SPDX-License-Identifier: MIT
/*
 * test_mpbc.c: mpb-channels end to end: mpbc-stress on 2, 8 and 48 emulated cores in both
 * coherence modes must deliver everything intact; under strict coherence a channel that
 * skips its invalidates or its WCB flushes must fail visibly (errors or a reported stall),
 * whether the break comes from `tessera run --break` or from the app's own flag.
 */
#include <criterion/criterion.h>
#include "helpers.h"

#define STRESS "build/apps/mpbc-stress"

static void stress(int n, const char *mode, const char *args)
{
	struct run r;

	run_cmd(&r, TESSERA " run --timeout 60 -n %d --coherence=%s " STRESS " %s", n, mode, args);
	assert_stress_clean(&r);
	run_free(&r);
}

Test(mpbc, stress_2_cores_host)
{
	stress(2, "host", "--messages 200");
}

Test(mpbc, stress_2_cores_strict)
{
	stress(2, "strict", "--messages 200");
}

Test(mpbc, stress_8_cores_host)
{
	stress(8, "host", "--messages 100");
}

Test(mpbc, stress_8_cores_strict)
{
	stress(8, "strict", "--messages 100");
}

Test(mpbc, stress_48_cores_host)
{
	stress(48, "host", "--messages 50");
}

Test(mpbc, stress_48_cores_strict)
{
	stress(48, "strict", "--messages 50");
}

Test(mpbc, same_seed_gives_the_same_totals)
{
	struct run a, b;

	run_cmd(&a, TESSERA " run --timeout 60 -n 4 " STRESS " --messages 40 --seed 7");
	run_cmd(&b, TESSERA " run --timeout 60 -n 4 --coherence=strict " STRESS
		" --messages 40 --seed 7");
	assert_stress_clean(&a);
	assert_stress_clean(&b);
	cr_assert_str_eq(a.out, b.out);
	run_free(&a);
	run_free(&b);
}

/* A broken run fails for real: errors counted (1) or its own stall detector fired (3). */
static void assert_broken(const char *cmd_tail)
{
	struct run r;

	run_cmd(&r, TESSERA " run --timeout 60 -n 48 --coherence=strict %s", cmd_tail);
	assert_stress_broke(&r);
	run_free(&r);
}

Test(mpbc, strict_without_invalidate_fails)
{
	assert_broken("--break=invalidate " STRESS " --messages 50 --stall-ms 1500");
}

Test(mpbc, strict_without_flush_fails)
{
	assert_broken("--break=flush " STRESS " --messages 50 --stall-ms 1500");
}

Test(mpbc, app_break_flag_fails_too)
{
	assert_broken(STRESS " --messages 50 --stall-ms 1500 --break=flush");
}

Test(mpbc, break_is_harmless_in_host_mode)
{
	stress(8, "host --break=invalidate", "--messages 50 --break=flush");
}
