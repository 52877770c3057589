// SPDX-License-Identifier: MIT
/* test_api_jobs.c: jobs through the host API: results as data, two boards at once. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "tessera/host.h"

struct text {
	char buf[8192];
	size_t len;
};

static void collect(void *arg, uint32_t rank, int fd, const char *data, size_t n)
{
	struct text *t = arg;

	(void)rank;
	(void)fd;
	memcpy(t->buf + t->len, data, n);
	t->len += n;
}

static void start(struct hd_board **b, const char *board, struct text *t, const char *image,
		  uint32_t n, int argc, char **argv)
{
	struct hd_board_opts bo = { .board = board };
	struct hd_job_opts jo = { .image = image, .nranks = n, .argc = argc, .argv = argv,
				  .stdin_fd = -1, .output = collect, .output_arg = t,
				  .timeout_s = 60 };

	cr_assert_eq(hd_board_create(&bo, b), 0, "%s", hd_last_error());
	cr_assert_eq(hd_job_start(*b, &jo), 0, "%s", hd_last_error());
}

Test(api_jobs, crash_report_is_data)
{
	struct hd_board *b;
	struct text t = { 0 };
	struct hd_job_result res;
	char *argv[] = { "crash", "segv", "1" };

	start(&b, NULL, &t, "build/tests/images/crash", 2, 3, argv);
	cr_assert_eq(hd_job_wait(b, &res), 0);
	cr_assert_eq(res.end, HD_END_CRASH);
	cr_assert_eq(res.status, 139);
	cr_assert_eq(res.fault.rank, 1);
	cr_assert_eq(res.fault.core, 1);
	cr_assert_eq(res.fault.signal, 11);
	cr_assert_eq(res.fault.addr, 0);
	cr_assert_str_eq(res.fault.what, "SIGSEGV");
	cr_assert_str_eq(res.fault.function, "write_null");
	cr_assert_str_eq(res.fault.file, "images/crash.c");
	cr_assert_gt(res.fault.line, 0);
	hd_board_close(b);
}

Test(api_jobs, deadlock_report_is_data)
{
	struct hd_board *b;
	struct hd_board_opts bo = { 0 };
	struct text t = { 0 };
	struct hd_job_result res;
	char *argv[] = { "waits", "cycle" };
	struct hd_job_opts jo = { .image = "build/tests/images/waits", .nranks = 3, .argc = 2,
				  .argv = argv, .stdin_fd = -1, .output = collect,
				  .output_arg = &t, .deadlock_s = 0.3 };

	cr_assert_eq(hd_board_create(&bo, &b), 0);
	cr_assert_eq(hd_job_start(b, &jo), 0, "%s", hd_last_error());
	cr_assert_eq(hd_job_wait(b, &res), 0);
	cr_assert_eq(res.end, HD_END_DEADLOCK);
	cr_assert_eq(res.status, HD_STATUS_DEADLOCK);
	cr_assert(strstr(res.detail, "rank 2 waits for rank 0"), "%s", res.detail);
	hd_board_close(b);
}

Test(api_jobs, two_boards_at_once_do_not_interfere)
{
	struct hd_board *a, *b;
	struct text ta = { 0 }, tb = { 0 };
	struct hd_job_result ra, rb;
	char *argv[] = { "hello" };

	start(&a, "scc48", &ta, "build/apps/hello", 4, 1, argv);
	start(&b, "mesh8x8", &tb, "build/apps/hello", 3, 1, argv);
	cr_assert_neq(strcmp(hd_board_handle(a), hd_board_handle(b)), 0);
	cr_assert_eq(hd_job_wait(b, &rb), 0);
	cr_assert_eq(hd_job_wait(a, &ra), 0);
	cr_assert_eq(ra.status, 0);
	cr_assert_eq(rb.status, 0);
	ta.buf[ta.len] = tb.buf[tb.len] = 0;
	cr_assert(strstr(ta.buf, "rank 3 of 4"), "%s", ta.buf);
	cr_assert_null(strstr(ta.buf, "of 3"), "%s", ta.buf);
	cr_assert(strstr(tb.buf, "rank 2 of 3"), "%s", tb.buf);
	cr_assert_null(strstr(tb.buf, "of 4"), "%s", tb.buf);
	hd_board_close(a);
	hd_board_close(b);
}

Test(api_jobs, exit_status_per_core_is_readable)
{
	struct hd_board *b;
	struct text t = { 0 };
	struct hd_job_result res;
	char *argv[] = { "hello" };
	struct hd_core_info ci;

	start(&b, NULL, &t, "build/apps/hello", 2, 1, argv);
	cr_assert_eq(hd_job_wait(b, &res), 0);
	cr_assert_eq(res.end, HD_END_EXIT);
	cr_assert_eq(hd_core_info(b, 1, &ci), 0);
	cr_assert_eq(ci.state, TESSERA_CORE_EXITED);
	cr_assert_eq(ci.exit_code, 0);
	cr_assert_eq(ci.rank, 1);
	hd_board_close(b);
}

Test(api_jobs, interrupt_ends_one_job_not_the_next)
{
	struct hd_board *b;
	struct hd_board_opts bo = { 0 };
	struct text t = { 0 };
	struct hd_job_result res;
	char *hang[] = { "crash", "hang" }, *hello[] = { "hello" };
	struct hd_job_opts jo = { .image = "build/tests/images/crash", .nranks = 2, .argc = 2,
				  .argv = hang, .stdin_fd = -1, .output = collect,
				  .output_arg = &t, .deadlock_s = -1 };

	cr_assert_eq(hd_board_create(&bo, &b), 0);
	cr_assert_eq(hd_job_start(b, &jo), 0, "%s", hd_last_error());
	hd_job_interrupt(b);
	cr_assert_eq(hd_job_wait(b, &res), 0);
	cr_assert_eq(res.end, HD_END_INTERRUPT);
	jo.image = "build/apps/hello";
	jo.argc = 1;
	jo.argv = hello;
	cr_assert_eq(hd_job_start(b, &jo), 0, "%s", hd_last_error());
	cr_assert_eq(hd_job_wait(b, &res), 0);
	cr_assert_eq(res.end, HD_END_EXIT);
	cr_assert_eq(res.status, 0);
	hd_board_close(b);
}

/* MPMD: two programs in one job, each with its own arguments and environment. */
Test(api_jobs, two_programs_in_one_job)
{
	struct hd_board *b;
	struct hd_board_opts bo = { 0 };
	struct text t = { 0 };
	struct hd_job_result res;
	struct hd_core_info ci;
	char *hello[] = { "hello" }, *args[] = { "args", "one" }, *env[] = { "GREETING=hi", NULL };
	uint32_t cores[] = { 7, 3, 5 };
	struct hd_job_app apps[] = {
		{ .image = "build/apps/hello", .nranks = 2, .argc = 1, .argv = hello },
		{ .image = "build/tests/images/args", .nranks = 1, .argc = 2, .argv = args,
		  .envp = env },
	};
	struct hd_job_opts jo = { .cores = cores, .stdin_fd = -1, .output = collect,
				  .output_arg = &t, .timeout_s = 60 };

	cr_assert_eq(hd_board_create(&bo, &b), 0);
	cr_assert_eq(hd_job_start_apps(b, &jo, apps, 2), 0, "%s", hd_last_error());
	cr_assert_eq(hd_job_wait(b, &res), 0);
	cr_assert_eq(res.status, 0, "%s", res.detail);
	t.buf[t.len] = 0;
	cr_assert(strstr(t.buf, "hello from core 7 (tile 3,0), rank 0 of 3\n"), "%s", t.buf);
	cr_assert(strstr(t.buf, "hello from core 3 (tile 1,0), rank 1 of 3\n"), "%s", t.buf);
	cr_assert(strstr(t.buf, "argc=2 argv[1]=one GREETING=hi\n"), "%s", t.buf);
	cr_assert_eq(hd_core_info(b, 5, &ci), 0);
	cr_assert_eq(ci.rank, 2);
	cr_assert_eq(ci.exit_code, 0);
	hd_board_close(b);
}
