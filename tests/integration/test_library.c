// SPDX-License-Identifier: MIT
/* test_library.c: libtessera-host as a library: no leaks, only the API exported, the embed
 * example, pkg-config and make install. */
#include <criterion/criterion.h>
#include "helpers.h"

Test(library, api_leaks_nothing_under_valgrind)
{
	struct run r;

	run_cmd(&r, "valgrind -q --leak-check=full --show-leak-kinds=definite,indirect "
		"--errors-for-leak-kinds=definite,indirect --error-exitcode=99 "
		"build/tests/host-driver/api_leaks");
	cr_assert_eq(r.status, 0, "valgrind: %s", r.err);
	cr_assert_str_eq(r.out, "api_leaks: ok\n");
	run_free(&r);
}

Test(library, shared_library_exports_only_the_api)
{
	struct run r;

	run_cmd(&r, "sh -c \"nm -D --defined-only build/lib/libtessera-host.so | awk '{print \\$3}'\"");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "hd_job_start\n"), "%s", r.out);
	for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"))
		cr_assert(!strncmp(line, "hd_", 3), "exported: %s", line);
	run_free(&r);
}

Test(library, embed_example_runs_hello_on_8_cores)
{
	struct run r;

	run_cmd(&r, "build/examples/host-embed");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "rank 7: core 7, tile 3,0, exit 0: hello from core 7 (tile 3,0), "
			 "rank 7 of 8\n"), "%s", r.out);
	cr_assert(strstr(r.out, "summary: 8 ranks, 336 bytes of output, job status 0\n"), "%s", r.out);
	run_free(&r);
}

Test(library, install_gives_a_working_prefix)
{
	struct run r;
	char prefix[128];

	snprintf(prefix, sizeof(prefix), "/tmp/tessera-install-%d", (int)getpid());
	/* what `make test` built, as it is (-o all: nothing is rebuilt, as it would be under
	 * the tests that run meanwhile if anything were out of date) */
	run_cmd(&r, "sh -c 'make -s -o all install PREFIX=%s >/dev/null && "
		"PKG_CONFIG_PATH=%s/lib/pkgconfig pkg-config --modversion tessera-host && "
		"%s/bin/tessera-mpicc -o %s/hello apps/hello/hello.c && "
		"%s/bin/tessera run -n 2 %s/hello'", prefix, prefix, prefix, prefix, prefix, prefix);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "0.1.0\n"), "%s", r.out);
	cr_assert(strstr(r.out, "rank 1 of 2\n"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, "rm -rf %s", prefix);
	run_free(&r);
}
