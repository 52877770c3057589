// SPDX-License-Identifier: MIT
/*
 * test_confine.c: the rules of docs/threat-model.md, each tried by a hostile tile
 * (tests/images/hostile.c): a core reaches nothing beyond its LUT's windows (no board
 * header, no host file, nothing of the host's memory); whatever a tile writes, the host
 * signals no process but its own children. (Host calls and the board's own files:
 * test_hostcalls.c and test_owner.c.)
 */
#include <criterion/criterion.h>
#include <signal.h>
#include "helpers.h"

#define HOSTILE "build/tests/images/hostile"

/* A process of ours that a hostile tile will name: alive as long as nobody kills it. */
static pid_t sleeper(void)
{
	pid_t p = fork();

	if (p == 0) {
		execlp("sleep", "sleep", "60", (char *)NULL);
		_exit(127);
	}
	cr_assert_gt(p, 0);
	return p;
}

static int alive(pid_t p)
{
	return waitpid(p, NULL, WNOHANG) == 0 && kill(p, 0) == 0;
}

static void bury(pid_t p)
{
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

/* What a hostile scan found: nothing of the host's, nothing off the LUT; `views` views of
 * other cores in all. */
static void assert_scan_clean(struct run *r, int ranks, int views)
{
	cr_assert_eq(r->status, 0, "exit %d: %s", r->status, r->err);
	cr_assert_eq(count_lines(r->out, "scanned\n"), ranks, "%s", r->out);
	cr_assert_eq(count_lines(r->out, "header at"), 0, "%s", r->out);
	cr_assert_eq(count_lines(r->out, "hostfile at"), 0, "%s", r->out);
	cr_assert_eq(count_lines(r->out, "unexpected"), 0, "%s", r->out);
	cr_assert_eq(count_lines(r->out, "view of core"), views, "%s", r->out);
}

Test(confine, a_tile_finds_no_board_header_host_file_or_stray_mapping)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 2 --cores-per-process 1 " HOSTILE " scan");
	assert_scan_clean(&r, 2, 0);
	run_free(&r);
}

/* The unit of confinement of a runner of several cores is the runner: each of its cores
 * reaches the others' own windows, and still nothing else. */
Test(confine, cores_of_one_runner_see_each_other_and_nothing_more)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 3 --cores-per-process 3 " HOSTILE " scan");
	assert_scan_clean(&r, 3, 3 * 2);
	run_free(&r);
}

Test(confine, whatever_a_tile_writes_the_host_kills_no_stranger)
{
	pid_t victim = sleeper();
	struct run r;

	run_cmd(&r, TESSERA " run -n 2 --timeout 20 " HOSTILE " smear %d", (int)victim);
	cr_assert_neq(r.status, 124, "the job did not end: %s", r.err);
	cr_assert(alive(victim), "the host killed the process the tile named");
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
	bury(victim);
}

Test(confine, a_kept_board_after_a_hostile_job_stops_no_stranger)
{
	pid_t victim = sleeper();
	char handle[512];
	struct run r;

	run_cmd(&r, TESSERA " boot");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(sscanf(r.out, "%511s", handle) == 1);
	run_free(&r);
	run_cmd(&r, TESSERA " run --board %s -n 2 --timeout 20 " HOSTILE " smear %d", handle,
		(int)victim);
	run_free(&r);
	run_cmd(&r, TESSERA " reset --board %s --hold", handle);
	run_free(&r);
	run_cmd(&r, TESSERA " shutdown --board %s", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	cr_assert(alive(victim), "a board command killed the process the tile named");
	cr_assert_not(path_exists(handle));
	bury(victim);
}
