// SPDX-License-Identifier: MIT
/*
 * test_signals.c: `tessera run` ends the job on a signal or its timeout at any moment, and
 * leaves nothing behind (issue 14, finding 5 and must-have 2). The moments are events, not
 * delays: a signal already pending when tessera starts, or sent by an LD_PRELOAD shim
 * (build/tests/shim/sigat.so) at the first libc call of a phase: ftruncate (the board's
 * files are being made), pwrite (images are being loaded), posix_spawn (cores are being
 * released: their runners start).
 * `timeout -s KILL` bounds a run only so that a hang fails the test.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <sys/stat.h>
#include "helpers.h"

#define PROBE "build/tests/images/probe"
#define SHIM "build/tests/shim/sigat.so"

/* tessera run on 4 cores of a board in dir, its ranks halting forever (--timeout 30 ends
 * a run whose signal was lost, with 124) */
static void run_with_shim(struct run *r, const char *dir, const char *call, int sig, int nth)
{
	run_cmd(r, "env LD_PRELOAD=%s SIGAT_CALL=%s SIGAT_SIG=%d SIGAT_NTH=%d timeout -s KILL 60 "
		TESSERA " run -n 4 --timeout 30 --board-dir %s " PROBE " sleep", SHIM, call, sig,
		nth, dir);
}

static void assert_interrupted(const struct run *r, const char *dir)
{
	cr_assert_eq(r->status, 130, "exit %d: %s", r->status, r->err);
	cr_assert(strstr(r->err, "tessera: interrupted"), "%s", r->err);
	cr_assert_not(path_exists(dir), "the board %s was left behind", dir);
	cr_assert_eq(cores_left(r->pid), 0);
}

Test(signals, pending_at_start_stops_before_anything_is_made)
{
	char dir[256];
	sigset_t set;
	struct run r;

	/* SIGINT blocked and pending across exec: it arrives the moment tessera lets it */
	board_dir(dir, sizeof(dir), "sigstart");
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	run_cmd(&r, "sh -c 'kill -INT $$; exec " TESSERA " run -n 4 "
		"--timeout 30 --board-dir %s " PROBE " sleep'", dir);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	assert_interrupted(&r, dir);
	run_free(&r);
}

Test(signals, sigint_while_the_board_is_made)
{
	char dir[256];
	struct run r;

	board_dir(dir, sizeof(dir), "sigcreate");
	run_with_shim(&r, dir, "ftruncate", SIGINT, 1);
	assert_interrupted(&r, dir);
	run_free(&r);
}

Test(signals, sigterm_while_the_board_is_made)
{
	char dir[256];
	struct run r;

	board_dir(dir, sizeof(dir), "sigcreate");
	run_with_shim(&r, dir, "ftruncate", SIGTERM, 20);
	assert_interrupted(&r, dir);
	run_free(&r);
}

Test(signals, sigint_while_images_load)
{
	char dir[256];
	struct run r;

	board_dir(dir, sizeof(dir), "sigload");
	run_with_shim(&r, dir, "pwrite", SIGINT, 1);
	assert_interrupted(&r, dir);
	run_free(&r);
}

Test(signals, sigterm_while_the_last_image_loads)
{
	char dir[256];
	struct run r;

	/* each core's image and boot info take a few pwrites: the 10th is in the last cores */
	board_dir(dir, sizeof(dir), "sigload");
	run_with_shim(&r, dir, "pwrite", SIGTERM, 10);
	assert_interrupted(&r, dir);
	run_free(&r);
}

Test(signals, sighup_while_cores_start)
{
	char dir[256];
	struct run r;

	board_dir(dir, sizeof(dir), "sigfork");
	run_with_shim(&r, dir, "posix_spawn", SIGHUP, 2);
	assert_interrupted(&r, dir);
	run_free(&r);
}

Test(signals, timeout_ends_a_job_whose_output_nobody_reads)
{
	char dir[256], fifo[300];
	struct run r;
	int rd;

	/* stdout a pipe that is never read: the host blocks writing the cores' output */
	board_dir(dir, sizeof(dir), "fullpipe");
	snprintf(fifo, sizeof(fifo), "%s.fifo", dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	cr_assert_geq(rd, 0);
	run_cmd(&r, "timeout -s KILL 60 " TESSERA " run -n 2 --timeout 1 --board-dir %s " PROBE
		" spam >%s", dir, fifo);
	close(rd);
	unlink(fifo);
	cr_assert_eq(r.status, 124, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "tessera: timeout after 1 s"), "%s", r.err);
	cr_assert_not(path_exists(dir), "the board %s was left behind", dir);
	run_free(&r);
}
