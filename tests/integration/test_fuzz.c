// SPDX-License-Identifier: MIT
/*
 * test_fuzz.c: the fuzz targets of tests/fuzz, briefly: their seeds, then a few thousand
 * inputs libFuzzer derives from them with a fixed seed (deterministic for a given build).
 * `make fuzz` runs them for minutes. A target that finds a crash, undefined behaviour, a
 * hang or a broken invariant exits non-zero and leaves the input in build/fuzz/.
 */
#include <criterion/criterion.h>
#include "helpers.h"

static void replay(const char *target, int runs)
{
	char corpus[256];
	struct run r;

	snprintf(corpus, sizeof(corpus), "/tmp/tessera-fuzz-%s-%d", target, (int)getpid());
	run_cmd(&r, "sh -c 'rm -rf %s && mkdir %s && build/fuzz/%s -runs=%d -seed=1 "
		"-close_fd_mask=3 -timeout=60 -artifact_prefix=build/fuzz/ %s build/fuzz/seeds/%s; "
		"s=$?; rm -rf %s; exit $s'", corpus, corpus, target, runs, corpus, target, corpus);
	cr_assert_eq(r.status, 0, "%s found something (input in build/fuzz/):\n%s", target,
		     r.err);
	cr_assert(strstr(r.err, "Done "), "%s", r.err);
	run_free(&r);
}

Test(fuzz, hostcall_server_takes_random_requests, .timeout = 600)
{
	replay("hostcall", 3000);
}

Test(fuzz, board_tools_take_random_arguments, .timeout = 600)
{
	replay("args", 20000);
}

Test(fuzz, gdb_stub_takes_random_packets, .timeout = 600)
{
	replay("gdbstub", 20000);
}
