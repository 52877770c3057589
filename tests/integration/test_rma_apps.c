// SPDX-License-Identifier: MIT
/*
 * test_rma_apps.c: the one-sided example programs end to end: rma-halo (halo rows by
 * MPI_Put, post-start-complete-wait or fence) prints the same samples for any number of
 * ranks and either synchronisation, under both coherence modes; rma-counter (an atomic
 * counter handing out tasks) has every task done exactly once on 7 ranks under strict
 * coherence. Skipped while the apps are not built.
 */
#include <criterion/criterion.h>
#include "helpers.h"

#define MPIRUN "build/bin/tessera-mpirun"
#define HALO "build/apps/rma-halo"
#define COUNTER "build/apps/rma-counter"

static void need(const char *app)
{
	if (access(app, X_OK))
		cr_skip_test("%s is not built", app);
}

Test(rma_apps, halo_samples_do_not_depend_on_ranks_or_synchronisation, .timeout = 300)
{
	static const char *const how[] = { "-np 1", "-np 3", "-np 7 --coherence=strict",
					   "-np 4 --coherence=strict", "-np 5" };
	struct run ref, r;

	need(HALO);
	run_cmd(&ref, "timeout 120 " MPIRUN " -np 2 " HALO " 48 60");
	cr_assert_eq(ref.status, 0, "%s", ref.err);
	cr_assert(strstr(ref.out, "rma-halo 48x48, 60 sweeps: 0."), "%s", ref.out);
	for (size_t i = 0; i < sizeof(how) / sizeof(how[0]); i++) {
		run_cmd(&r, "timeout 120 " MPIRUN " %s " HALO " %s 48 60", how[i],
			i % 2 ? "--fence" : "");
		cr_expect_eq(r.status, 0, "%s: %s", how[i], r.err);
		cr_expect_str_eq(r.out, ref.out, "%s", how[i]);
		run_free(&r);
	}
	run_free(&ref);
}

Test(rma_apps, counter_hands_out_every_task_once_under_strict_coherence, .timeout = 300)
{
	struct run r;

	need(COUNTER);
	run_cmd(&r, "timeout 120 " MPIRUN " -np 7 --coherence=strict " COUNTER " 3000 7");
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(r.out, "rma-counter: 3000 tasks, each done once: yes, sum right\n");
	run_free(&r);
}
