// SPDX-License-Identifier: MIT
/* test_run.c: `tessera run` end to end: hello on 1, 2 and 48 cores, failures, bad input. */
#include <criterion/criterion.h>
#include "helpers.h"

#define HELLO "build/apps/hello"
#define CRASH "build/tests/images/crash"

static void hello_on(int n)
{
	struct run r;
	char dir[256];

	board_dir(dir, sizeof(dir), "hello");
	run_cmd(&r, TESSERA " run -n %d --board-dir %s " HELLO, n, dir);
	assert_hello(&r, n);
	cr_assert_not(path_exists(dir), "board directory %s left behind", dir);
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

Test(run, hello_on_1_core)
{
	hello_on(1);
}

Test(run, hello_on_2_cores)
{
	hello_on(2);
}

Test(run, hello_on_48_cores)
{
	hello_on(48);
}

Test(run, tag_output_prefixes_each_line_with_its_rank)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 3 --tag-output " HELLO);
	cr_assert_eq(r.status, 0);
	cr_assert_eq(count_lines(r.out, "[0] hello from core 0 (tile 0,0), rank 0 of 3\n"), 1, "%s", r.out);
	cr_assert_eq(count_lines(r.out, "[1] hello from core 1 (tile 0,0), rank 1 of 3\n"), 1, "%s", r.out);
	cr_assert_eq(count_lines(r.out, "[2] hello from core 2 (tile 1,0), rank 2 of 3\n"), 1, "%s", r.out);
	run_free(&r);
}

Test(run, cores_list_places_ranks)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 2 --cores 47,10 " HELLO);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out, "hello from core 47 (tile 5,3), rank 0 of 2"), 1, "%s", r.out);
	cr_assert_eq(count_lines(r.out, "hello from core 10 (tile 5,0), rank 1 of 2"), 1, "%s", r.out);
	run_free(&r);
}

Test(run, crash_is_reported_with_function_and_line)
{
	struct run r;
	char dir[256];

	board_dir(dir, sizeof(dir), "crash");
	run_cmd(&r, TESSERA " run -n 4 --board-dir %s " CRASH " segv 2", dir);
	cr_assert_eq(r.status, 128 + 11, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "tessera: rank 2 (core 2, tile 1,0): SIGSEGV at 0x0 in write_null "
			 "(images/crash.c:"), "stderr: %s", r.err);
	cr_assert_not(path_exists(dir));
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

Test(run, crash_on_48_cores_leaves_nothing_behind)
{
	struct run r;
	char dir[256];

	board_dir(dir, sizeof(dir), "crash48");
	run_cmd(&r, TESSERA " run -n 48 --board-dir %s " CRASH " segv 47", dir);
	cr_assert_eq(r.status, 139, "%s", r.err);
	cr_assert(strstr(r.err, "rank 47 (core 47, tile 5,3): SIGSEGV"), "%s", r.err);
	cr_assert_not(path_exists(dir));
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

Test(run, abort_is_a_sigabrt_crash)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 1 " CRASH " abort");
	cr_assert_eq(r.status, 128 + 6, "%s", r.err);
	cr_assert(strstr(r.err, "rank 0 (core 0, tile 0,0): SIGABRT"), "%s", r.err);
	run_free(&r);
}

Test(run, division_by_zero_is_sigfpe)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 1 " CRASH " divzero");
	cr_assert_eq(r.status, 128 + 8, "%s", r.err);
	cr_assert(strstr(r.err, "SIGFPE"), "%s", r.err);
	run_free(&r);
}

Test(run, panic_shows_the_reason)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 2 " CRASH " panic 1");
	cr_assert_eq(r.status, 134, "%s", r.err);
	cr_assert(strstr(r.err, "rank 1 (core 1, tile 0,0): panic: asked to panic in main"), "%s",
		  r.err);
	run_free(&r);
}

Test(run, exit_status_of_a_rank_is_the_job_status)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 3 " CRASH " exit 1 7");
	cr_assert_eq(r.status, 7, "%s", r.err);
	cr_assert(strstr(r.err, "rank 1 (core 1) exited with status 7"), "%s", r.err);
	run_free(&r);
}

Test(run, timeout_stops_the_job_with_124)
{
	struct run r;
	char dir[256];

	board_dir(dir, sizeof(dir), "timeout");
	run_cmd(&r, TESSERA " run -n 4 --timeout 0.5 --board-dir %s " CRASH " hang", dir);
	cr_assert_eq(r.status, 124, "%s", r.err);
	cr_assert(strstr(r.err, "tessera: timeout after 0.5 s"), "%s", r.err);
	cr_assert_not(path_exists(dir));
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

Test(run, interrupt_tears_down)
{
	struct run r;
	char dir[256];

	/* SIGINT once every rank has said it hangs (an event, not a delay); the output comes
	 * through a file so that the shell can watch it */
	board_dir(dir, sizeof(dir), "sigint");
	run_cmd(&r, "sh -c 'f=%s.out; " TESSERA " run -n 8 --board-dir %s " CRASH " hang >$f & "
		"p=$!; i=0; until [ \"$(grep -c \": hang\" $f)\" = 8 ] || [ $i = 1200 ]; do "
		"sleep 0.05; i=$((i+1)); done; kill -INT $p; wait $p; s=$?; cat $f; rm -f $f; "
		"exit $s'", dir, dir);
	cr_assert_eq(count_lines(r.out, ": hang\n"), 8, "the ranks never all ran: %s", r.out);
	cr_assert_eq(r.status, 130, "%s", r.err);
	cr_assert(strstr(r.err, "tessera: interrupted"), "%s", r.err);
	cr_assert_not(path_exists(dir));
	run_free(&r);
}

Test(run, missing_image_is_refused)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 2 /nonexistent/image");
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.err, "tessera: /nonexistent/image: No such file or directory\n");
	run_free(&r);
}

Test(run, non_elf_image_is_refused)
{
	struct run r;

	run_cmd(&r, TESSERA " run tests/run.sh");
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.err, "tessera: tests/run.sh: not an ELF file\n");
	run_free(&r);
}

Test(run, host_program_is_refused)
{
	struct run r;

	run_cmd(&r, TESSERA " run /bin/true");
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "/bin/true: not a tessera tile image"), "%s", r.err);
	run_free(&r);
}

Test(run, too_many_ranks_for_a_named_board_are_refused)
{
	struct run r;

	run_cmd(&r, TESSERA " run --board scc48 -n 49 " HELLO);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.err, "tessera: 49 ranks: the board scc48 has only 48 cores\n");
	run_free(&r);
}

/* As tessera-mpirun: no board named, and more ranks than the default board has cores: a
 * board that fits, said in one line. */
Test(run, too_many_ranks_for_the_default_board_pick_one_that_fits, .timeout = 60)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 49 " HELLO);
	assert_hello(&r, 49);
	cr_assert_str_eq(r.err, "tessera: 49 ranks do not fit the default board scc48 (48 cores): "
			 "running on mesh8x8\n");
	run_free(&r);
	run_cmd(&r, TESSERA " run -n 2 --cores 3,60 " HELLO);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "hello from core 60 (tile 4,7), rank 1 of 2\n"), "%s", r.out);
	cr_assert_str_eq(r.err, "tessera: core 60 is not on the default board scc48 (48 cores): "
			 "running on mesh8x8\n");
	run_free(&r);
}

Test(run, unknown_flag_is_refused)
{
	struct run r;

	run_cmd(&r, TESSERA " run --frobnicate " HELLO);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "unknown or incomplete option '--frobnicate'"), "%s", r.err);
	run_free(&r);
}

Test(run, image_larger_than_private_dram_is_refused)
{
	struct run r;
	char board[] = "/tmp/tessera-test-board-XXXXXX";
	int fd = mkstemp(board);

	dprintf(fd, "base = scc48\nprivate_mb = 4\n");
	close(fd);
	/* 459 KB hello fits 4 MB; the crash image with a 5 MB array does not: use a bss hog. */
	run_cmd(&r, TESSERA " run --board %s build/tests/images/big", board);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "does not fit in 4 MB of private DRAM"), "%s", r.err);
	unlink(board);
	run_free(&r);
}

Test(run, bad_board_file_names_key_and_line)
{
	struct run r;
	char board[] = "/tmp/tessera-test-board-XXXXXX";
	int fd = mkstemp(board);

	dprintf(fd, "# a board\nmesh_x = 4\nmesh_y = many\n");
	close(fd);
	run_cmd(&r, TESSERA " run --board %s " HELLO, board);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, ":3: key 'mesh_y': 'many' is not a number"), "%s", r.err);
	unlink(board);
	run_free(&r);
}

Test(run, larger_mesh_runs_hello)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 64 --board mesh8x8 " HELLO);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out, "hello from core 63 (tile 7,7), rank 63 of 64"), 1, "%s", r.out);
	run_free(&r);
}

Test(run, arguments_and_environment_reach_main)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 1 --env GREETING=hi build/tests/images/args one 'two words'");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "argc=3 argv[1]=one argv[2]=two words GREETING=hi\n");
	run_free(&r);
}

Test(info, prints_the_scc_map)
{
	struct run r;

	run_cmd(&r, TESSERA " info");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "board scc48: 6x4 tiles, 2 cores per tile, 48 cores"), "%s", r.out);
	cr_assert(strstr(r.out, "0xc0000000  MPBs: tile t at 0xc0000000 + t * 0x1000000 (last 0xd7000000)"),
		  "%s", r.out);
	run_free(&r);
}

Test(cli, version_and_help)
{
	struct run r;

	run_cmd(&r, TESSERA " --version");
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, "tessera 0.1.0\n");
	run_free(&r);
	run_cmd(&r, TESSERA " run --help");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "usage: tessera run"));
	run_free(&r);
}

/* isatty and fstat of fds 0-2 come from the boot info: right answers, no host call. */
Test(run, stdio_is_described_by_the_boot_info)
{
	char trace[128], *json;
	struct run r;
	FILE *f;
	long n;

	snprintf(trace, sizeof(trace), "/tmp/tessera-test-%d-stdio.json", (int)getpid());
	run_cmd(&r, TESSERA " run -n 2 --trace %s build/tests/images/stdio", trace);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	/* run_cmd: stdin /dev/null, stdout and stderr regular files; rank 1 has no stdin */
	cr_assert_eq(count_lines(r.out, "tty 0 0 0 kind c f f\n"), 2, "%s", r.out);
	run_free(&r);
	f = fopen(trace, "r");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	json = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(json, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(trace);
	cr_assert_eq(count_lines(json, "host call"), 0, "a core made host calls for stdio");
	free(json);
}

/* abort() is reported where it was called, with the call chain through Newlib below it. */
Test(run, abort_names_its_caller)
{
	struct run r;

	run_cmd(&r, TESSERA " run " CRASH " abort");
	cr_assert_eq(r.status, 128 + 6, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "SIGABRT at 0x") && strstr(r.err, " in main (images/crash.c:"),
		  "%s", r.err);
	cr_assert(strstr(r.err, " in abort (") && strstr(r.err, " in kill ("), "chain: %s", r.err);
	run_free(&r);
}

/* The guard below a core's stack turns an overflow into a fault at once, named so. */
Test(run, stack_overflow_is_reported_at_once)
{
	struct run r;

	run_cmd(&r, TESSERA " run --timeout 60 " CRASH " deep");
	cr_assert_eq(r.status, 128 + 11, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "stack overflow (SIGSEGV) at 0x") &&
		  strstr(r.err, " in deep (images/crash.c:"), "%s", r.err);
	run_free(&r);
}

Test(run, sigsys_names_the_system_call)
{
	struct run r;

	run_cmd(&r, TESSERA " run " CRASH " sys");
	cr_assert_eq(r.status, 128 + 31, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "SIGSYS (system call 39, getpid) at 0x") &&
		  strstr(r.err, " in main (images/crash.c:"), "%s", r.err);
	run_free(&r);
}
