// SPDX-License-Identifier: MIT
/*
 * test_owner.c: who owns a board, told by the kernel (issue 14 findings 1, 6 and 8, issue 18
 * item 4): stale boards recognised, listed and cleaned; no process signalled on the word of
 * board memory; busy cores refused naming the job; a tile cannot damage a kept board's
 * LUTs; a new run never trips over a stale name. Each test keeps its boards in a directory
 * of its own ($TESSERA_BOARD_DIR), so that boards of tests running meanwhile, or of other
 * users of the machine, never count. Waits are for events (a line of output, a state in
 * ps), bounded only so that a broken test ends.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stddef.h>
#include "tessera/board.h"
#include "helpers.h"

#define PROBE "build/tests/images/probe"

static char boards[256];

static void make_boards(void)
{
	char cmd[400];

	snprintf(boards, sizeof(boards), "/dev/shm/tstest-owner-%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s", boards, boards);
	cr_assert_eq(system(cmd), 0);
	setenv("TESSERA_BOARD_DIR", boards, 1);
}

static void remove_boards(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", boards);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(owner, .init = make_boards, .fini = remove_boards);

/* `tessera boot` in the test's board directory; its handle into h. */
static void boot(char *h, size_t n)
{
	struct run r;

	run_cmd(&r, TESSERA " boot");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(sscanf(r.out, "%255s", h), 1);
	cr_assert(n > strlen(h));
	run_free(&r);
}

/* Start `tessera run ... probe ... sleep` in the background, its output in a file; wait
 * until every rank has said "sleep: ok". Returns its pid. */
static pid_t start_sleeper(const char *opts, int nranks, char *out, size_t n)
{
	char cmd[1024];
	struct run r;
	pid_t pid;

	snprintf(out, n, "%s/sleeper-%d.out", boards, nranks);
	pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		snprintf(cmd, sizeof(cmd), "exec " TESSERA " run -n %d %s " PROBE " sleep", nranks,
			 opts);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	snprintf(cmd, sizeof(cmd), "cat %s", out);
	cr_assert(run_until(&r, "sleep: ok", nranks, "%s", cmd), "never ran: %s", r.out);
	run_free(&r);
	return pid;
}

/* Cores 0..n-1 of kept board h loaded with the probe's sleep and released: a `reset
 * --release` server runs them; returns its pid once ps shows them all running. */
static int release_sleepers(const char *h, int n)
{
	struct run r;
	int server = 0, got = 0;

	run_cmd(&r, TESSERA " load --board %s --cores 0-%d " PROBE " sleep", h, n - 1);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " reset --board %s --release", h);
	cr_assert_eq(sscanf(r.out, "released %d cores; server %d;", &got, &server), 2, "%s", r.out);
	cr_assert_eq(got, n);
	run_free(&r);
	cr_assert(run_until(&r, "running", n, TESSERA " ps --board %s", h), "%s", r.out);
	run_free(&r);
	return server;
}

static int wait_status(pid_t pid)
{
	int ws;

	waitpid(pid, &ws, 0);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

Test(owner, killed_run_leaves_a_stale_board_that_clean_removes)
{
	char dir[300], out[300], opts[400];
	struct run r;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/tessera-killed", boards);
	snprintf(opts, sizeof(opts), "--board-dir %s", dir);
	pid = start_sleeper(opts, 4, out, sizeof(out));
	kill(pid, SIGKILL);
	cr_assert_eq(wait_status(pid), 128 + SIGKILL);
	cr_assert(no_cores_left(pid));
	run_cmd(&r, TESSERA " ls");
	cr_assert(strstr(r.out, "tessera-killed"), "%s", r.out);
	cr_assert_eq(count_lines(r.out, " stale "), 1, "%s", r.out);
	run_free(&r);
	/* its cores say they run: ps knows better */
	run_cmd(&r, TESSERA " ps --board %s", dir);
	cr_assert_eq(count_lines(r.out, " lost "), 4, "%s", r.out);
	cr_assert_eq(count_lines(r.out, "running"), 0, "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " clean");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "removed "), "%s", r.out);
	cr_assert_not(path_exists(dir));
	run_free(&r);
}

Test(owner, clean_leaves_a_live_board_and_its_process_alone)
{
	char dir[300], out[300], opts[400];
	struct run r;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/tessera-live", boards);
	snprintf(opts, sizeof(opts), "--board-dir %s", dir);
	pid = start_sleeper(opts, 2, out, sizeof(out));
	run_cmd(&r, TESSERA " clean %s", dir);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "is alive: left alone"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " clean");
	cr_assert_str_eq(r.out, "no stale board\n");
	run_free(&r);
	cr_assert(path_exists(dir));
	cr_assert_eq(kill(pid, 0), 0, "clean touched the owner");
	kill(pid, SIGINT);
	cr_assert_eq(wait_status(pid), 130);
	cr_assert_not(path_exists(dir));
}

Test(owner, half_made_board_is_stale_and_cleaned)
{
	char dir[300], cmd[700];
	struct run r;

	/* a board whose maker was killed while making it: an owner file nobody locks, no
	 * chip magic (made here by hand, as it would be left) */
	snprintf(dir, sizeof(dir), "%s/tessera-half", boards);
	snprintf(cmd, sizeof(cmd), "mkdir %s && printf 'TSOWNER' > %s/owner && truncate -s 64k "
		 "%s/chip", dir, dir, dir);
	cr_assert_eq(system(cmd), 0);
	run_cmd(&r, TESSERA " ls %s", dir);
	cr_assert(strstr(r.out, " stale ") && strstr(r.out, "half-made"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " clean %s", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not(path_exists(dir));
	run_free(&r);
}

Test(owner, board_without_owner_file_is_never_removed)
{
	char dir[300];
	struct run r;

	/* another version of tessera (or another user of the name) made it: not ours to judge */
	snprintf(dir, sizeof(dir), "%s/tessera-foreign", boards);
	cr_assert_eq(mkdir(dir, 0700), 0);
	run_cmd(&r, TESSERA " clean");
	cr_assert_str_eq(r.out, "no stale board\n");
	cr_assert(path_exists(dir));
	run_free(&r);
	rmdir(dir);
}

Test(owner, shutdown_signals_no_pid_from_board_memory)
{
	char h[256];
	struct run r;
	pid_t stranger = fork();

	if (stranger == 0) {
		execl("/bin/sleep", "sleep", "100", (char *)NULL);
		_exit(127);
	}
	/* what a tile that reached the header could write: a stranger's pid where older
	 * versions kept the board's owner and the processes of the cores (the header keeps no
	 * process id now) */
	boot(h, sizeof(h));
	run_cmd(&r, TESSERA " write --board %s --chip %zu --hex %02x%02x%02x%02x", h,
		offsetof(struct tessera_header, pad0), stranger & 0xff, (stranger >> 8) & 0xff,
		(stranger >> 16) & 0xff, (stranger >> 24) & 0xff);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " write --board %s --chip %zu --hex %02x%02x%02x%02x", h,
		offsetof(struct tessera_header, rank_core), stranger & 0xff, (stranger >> 8) & 0xff,
		(stranger >> 16) & 0xff, (stranger >> 24) & 0xff);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " shutdown --board %s", h);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not(path_exists(h));
	run_free(&r);
	cr_assert_eq(waitpid(stranger, NULL, WNOHANG), 0, "shutdown killed a stranger");
	kill(stranger, SIGKILL);
	waitpid(stranger, NULL, 0);
}

Test(owner, shutdown_asks_the_owner_of_a_run_board_to_stop)
{
	char dir[300], out[300], opts[400];
	struct run r;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/tessera-owned", boards);
	snprintf(opts, sizeof(opts), "--board-dir %s", dir);
	pid = start_sleeper(opts, 4, out, sizeof(out));
	run_cmd(&r, TESSERA " shutdown --board %s", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	cr_assert_eq(wait_status(pid), 130);
	run_cmd(&r, "cat %s", out);
	cr_assert(strstr(r.out, "held in reset by another command"), "%s", r.out);
	run_free(&r);
	cr_assert_not(path_exists(dir));
	cr_assert(no_cores_left(pid));
}

Test(owner, run_on_busy_cores_is_refused_naming_the_job)
{
	char h[256];
	struct run r;
	int server = 0;

	boot(h, sizeof(h));
	server = release_sleepers(h, 4);
	run_cmd(&r, TESSERA " run --board %s -n 2 build/apps/hello", h);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_eq(count_lines(r.err, "\n"), 1, "%s", r.err);
	cr_assert(strstr(r.err, "is busy: a job of process "), "%s", r.err);
	cr_assert(strstr(r.err, "--release"), "the job is not named: %s", r.err);
	cr_assert_str_eq(r.out, "");
	run_free(&r);
	run_cmd(&r, TESSERA " load --board %s --cores 3 build/apps/hello", h);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "core 3 of board"), "%s", r.err);
	run_free(&r);
	/* the job it would have hit still runs, untouched */
	run_cmd(&r, TESSERA " ps --board %s", h);
	cr_assert_eq(count_lines(r.out, "running"), 4, "%s", r.out);
	run_free(&r);
	/* other cores are free */
	run_cmd(&r, TESSERA " run --board %s --cores 4,5 -n 2 build/apps/hello", h);
	assert_hello(&r, 2);
	run_free(&r);
	run_cmd(&r, TESSERA " shutdown --board %s", h);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	cr_assert(no_cores_left(server));
}

Test(owner, tile_cannot_damage_a_kept_boards_luts)
{
	char h[256];
	struct run r;

	boot(h, sizeof(h));
	/* a job on core 0 rewrites core 5's LUT: its private DRAM window now maps the chip */
	run_cmd(&r, TESSERA " run --board %s " PROBE " lut 5", h);
	cr_assert_str_eq(r.out, "lut: ok\n", "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " run --board %s --cores 5 build/apps/hello", h);
	assert_hello(&r, 1);
	run_free(&r);
	run_cmd(&r, TESSERA " dump --board %s --lut 5", h);
	cr_assert(strstr(r.out, "0x00000000  private"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " shutdown --board %s", h);
	run_free(&r);
}

Test(owner, host_written_lut_survives_loads)
{
	char h[256];
	struct run r;
	struct tessera_geom g;
	struct tessera_layout l;
	struct tessera_lut_entry e = { .kind = TESSERA_LUT_CHIP, .bytes = 4096 };

	/* the host may change a LUT (tessera write): that is the host's map from then on */
	boot(h, sizeof(h));
	run_cmd(&r, TESSERA " dump --board %s --chip 0 %zu --raw", h, sizeof(struct tessera_header));
	memcpy(&g, r.out + offsetof(struct tessera_header, geom), sizeof(g));
	memcpy(&l, r.out + offsetof(struct tessera_header, layout), sizeof(l));
	run_free(&r);
	e.offset = l.shared_off;
	run_cmd(&r, TESSERA " write --board %s --chip %llu --hex "
		"%02x000000%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x", h,
		(unsigned long long)(tessera_lut_off(&g, &l, 7) + 0x70 * sizeof(e)), e.kind,
		e.bytes & 0xff, (e.bytes >> 8) & 0xff, (e.bytes >> 16) & 0xff, e.bytes >> 24,
		(unsigned)(e.offset & 0xff), (unsigned)(e.offset >> 8) & 0xff,
		(unsigned)(e.offset >> 16) & 0xff, (unsigned)(e.offset >> 24) & 0xff,
		(unsigned)(e.offset >> 32) & 0xff, (unsigned)(e.offset >> 40) & 0xff,
		(unsigned)(e.offset >> 48) & 0xff, (unsigned)(e.offset >> 56) & 0xff);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " load --board %s --cores 7 build/apps/hello", h);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " dump --board %s --lut 7", h);
	cr_assert(strstr(r.out, "0x70000000  chip    offset"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " shutdown --board %s", h);
	run_free(&r);
}

Test(owner, same_pid_board_name_is_skipped)
{
	char dir[300];
	struct run r;

	/* $$ is the shell's pid, which exec hands to tessera: its first default board name is
	 * taken already, as after a killed run whose pid came round again (in /dev/shm, the
	 * default, as a user would meet it) */
	run_cmd(&r, "sh -c 'mkdir /dev/shm/tessera-$$-0 && exec env -u TESSERA_BOARD_DIR "
		TESSERA " run -n 2 build/apps/hello'");
	snprintf(dir, sizeof(dir), "/dev/shm/tessera-%d-0", (int)r.pid);
	cr_assert(path_exists(dir));
	rmdir(dir);
	assert_hello(&r, 2);
	run_free(&r);
}

Test(owner, ls_lists_live_and_stale_boards)
{
	char h[256], dir[300], stale[300], out[300], opts[400];
	struct run r;
	pid_t live, dead;

	boot(h, sizeof(h));
	snprintf(dir, sizeof(dir), "%s/tessera-lsrun", boards);
	snprintf(opts, sizeof(opts), "--board-dir %s", dir);
	live = start_sleeper(opts, 3, out, sizeof(out));
	snprintf(stale, sizeof(stale), "%s/tessera-lsdead", boards);
	snprintf(opts, sizeof(opts), "--board-dir %s", stale);
	dead = start_sleeper(opts, 2, out, sizeof(out));
	kill(dead, SIGKILL);
	wait_status(dead);
	run_cmd(&r, TESSERA " ls");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out, "\n"), 4, "%s", r.out);
	cr_assert(strstr(r.out, "HANDLE "), "%s", r.out);
	cr_assert(strstr(r.out, " alive   boot -"), "%s", r.out);
	snprintf(out, sizeof(out), " alive   run  %d ", (int)live);
	cr_assert(strstr(r.out, out), "%s", r.out);
	cr_assert(strstr(r.out, "tessera-lsrun") && strstr(r.out, " 3     probe"), "%s", r.out);
	cr_assert(strstr(r.out, "tessera-lsdead") && strstr(r.out, " stale "), "%s", r.out);
	run_free(&r);
	/* two live boards, one of them running a job: ps and top take that one */
	run_cmd(&r, TESSERA " ps");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out, "running"), 3, "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " top --once");
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	kill(live, SIGINT);
	cr_assert_eq(wait_status(live), 130);
	/* two live boards, neither runs anything: ps asks which */
	run_cmd(&r, TESSERA " boot");
	run_free(&r);
	run_cmd(&r, TESSERA " ps");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "tessera: ps: 2 boards, give --board with one of them:\n"), "%s",
		  r.err);
	cr_assert_eq(count_lines(r.err, " alive   boot"), 2, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " clean");
	cr_assert(strstr(r.out, "removed "), "%s", r.out);
	run_free(&r);
}

Test(owner, sigterm_to_a_server_stops_its_cores)
{
	char h[256];
	struct run r;
	int server = 0;

	boot(h, sizeof(h));
	server = release_sleepers(h, 2);
	/* the server is this test's (its grandchild): asked to end, it stops its cores first */
	cr_assert_eq(kill(server, SIGTERM), 0);
	cr_assert(no_cores_left(server));
	cr_assert(run_until(&r, "reset", 2, TESSERA " ps --board %s", h), "%s", r.out);
	cr_assert_eq(count_lines(r.out, "lost"), 0, "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " shutdown --board %s", h);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
}
