// SPDX-License-Identifier: MIT
/*
 * test_args.c: option and argument values that used to be taken for something else (issue
 * 14, finding 9): numbers that wrap at 2^32, NaN and infinite seconds, a missing run
 * directory, hex digits with a sign, a file read from a pipe. Each is refused with exit 2
 * (bad usage) or 1 (the host failed) and one line naming it, or taken whole.
 */
#include <criterion/criterion.h>
#include "helpers.h"

#define HELLO "build/apps/hello"

static void assert_refused(const char *args, int status, const char *say)
{
	struct run r;

	run_cmd(&r, TESSERA " run %s " HELLO, args);
	cr_assert_eq(r.status, status, "%s: exit %d: %s", args, r.status, r.err);
	cr_assert(strstr(r.err, say), "%s: %s", args, r.err);
	cr_assert_eq(count_lines(r.err, "\n"), 1, "%s: %s", args, r.err);
	cr_assert_str_eq(r.out, "", "%s ran: %s", args, r.out);
	run_free(&r);
}

Test(args, core_numbers_do_not_wrap)
{
	assert_refused("--cores 4294967301", 2, "bad core list '4294967301'");
	assert_refused("--cores 18446744073709551621", 2, "bad core list");
	assert_refused("--cores -1", 2, "bad core list '-1'");
	assert_refused("-n 2 --cores 3-4294967299", 2, "bad range in core list");
	assert_refused("-n 2 --cores 1,", 2, "bad core list '1,'");
}

Test(args, seconds_are_finite_and_positive)
{
	assert_refused("--timeout nan", 2, "--timeout: 'nan' is not a positive number");
	assert_refused("--timeout inf", 2, "--timeout: 'inf'");
	assert_refused("--timeout -2", 2, "--timeout: '-2'");
	assert_refused("--timeout 1e999", 2, "--timeout: '1e999'");
	assert_refused("--deadlock nan", 2, "--deadlock: 'nan' is not a number");
	assert_refused("--deadlock -inf", 2, "--deadlock: '-inf'");
}

Test(args, missing_directories_are_refused)
{
	assert_refused("--workdir /nonexistent/run", 1,
		       "tessera: --workdir /nonexistent/run: No such file or directory");
	assert_refused("--allow-path /nonexistent", 1,
		       "tessera: --allow-path /nonexistent: No such file or directory");
	assert_refused("--workdir /etc/passwd", 1, "tessera: --workdir /etc/passwd: Not a directory");
}

Test(args, board_tool_numbers_do_not_wrap)
{
	struct run r;
	char h[256];

	run_cmd(&r, TESSERA " boot");
	cr_assert_eq(sscanf(r.out, "%255s", h), 1, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " dump --board %s --core 4294967301 --private 0 16", h);
	cr_assert_eq(r.status, 2, "%s", r.out);
	cr_assert_str_eq(r.err, "tessera: --core: 4294967301 is more than 1023\n");
	run_free(&r);
	run_cmd(&r, TESSERA " dump --board %s --core -1 --private 0 16", h);
	cr_assert_eq(r.status, 2, "%s", r.out);
	cr_assert_str_eq(r.err, "tessera: --core: '-1' is not a number\n");
	run_free(&r);
	run_cmd(&r, TESSERA " dump --board %s --lut 4294967297", h);
	cr_assert_eq(r.status, 2, "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " write --board %s --chip 0x10000 --hex -f", h);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_str_eq(r.err, "tessera: write: '-f' is not hex\n");
	run_free(&r);
	/* a pipe has no size before its end: all of it is written */
	run_cmd(&r, "sh -c 'printf abc | " TESSERA " write --board %s --chip 0x10000 --file "
		"/dev/stdin && " TESSERA " dump --board %s --chip 0x10000 4'", h, h);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "00010000  61 62 63 00"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " shutdown --board %s", h);
	run_free(&r);
}
