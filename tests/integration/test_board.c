// SPDX-License-Identifier: MIT
/* test_board.c: board tools (boot, load, reset, ps, dump, write, shutdown), host file access
 * and its confinement, and the deadlock detector. */
#include <criterion/criterion.h>
#include "helpers.h"

Test(board, boot_load_release_ps_shutdown)
{
	struct run r;
	char handle[512], log[600];

	run_cmd(&r, TESSERA " boot");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(sscanf(r.out, "%511s", handle) == 1);
	run_free(&r);
	run_cmd(&r, TESSERA " load --board %s --cores 4,9 build/apps/hello", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " --board %s ps", handle);
	cr_assert(strstr(r.out, "4     2,0    0     reset"), "%s", r.out);
	cr_assert(strstr(r.out, "9     4,0    1     reset"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " reset --board %s --release", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	/* the server runs them in the background: wait for both to exit */
	cr_assert(run_until(&r, "exited    status 0", 2, TESSERA " ps --board %s", handle), "%s",
		  r.out);
	run_free(&r);
	snprintf(log, sizeof(log), "%s/console/core0009.log", handle);
	FILE *f = fopen(log, "r");
	char line[128] = "";
	cr_assert(f, "no console log %s", log);
	cr_assert(fgets(line, sizeof(line), f));
	fclose(f);
	cr_assert_str_eq(line, "hello from core 9 (tile 4,0), rank 1 of 2\n");
	run_cmd(&r, TESSERA " shutdown --board %s", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not(path_exists(handle));
	run_free(&r);
}

Test(board, hold_stops_a_released_core_and_shutdown_stops_the_rest)
{
	struct run r;
	char handle[512];

	run_cmd(&r, TESSERA " boot");
	cr_assert(sscanf(r.out, "%511s", handle) == 1, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " load --board %s --cores 0-3 build/tests/images/crash hang", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	int server = 0;

	run_cmd(&r, TESSERA " reset --board %s --release", handle);
	cr_assert(sscanf(r.out, "released 4 cores; server %d;", &server) == 1, "%s", r.out);
	run_free(&r);
	cr_assert(run_until(&r, "running   halted", 4, TESSERA " ps --board %s", handle),
		  "the cores never all ran: %s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " reset --board %s --hold --cores 2", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " ps --board %s", handle);
	cr_assert(strstr(r.out, "2     1,0    2     reset"), "%s", r.out);
	cr_assert_eq(count_lines(r.out, "running"), 3, "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " shutdown --board %s", handle);
	cr_assert_eq(r.status, 0);
	run_free(&r);
	cr_assert_not(path_exists(handle));
	/* no core of this board is left: they are named after the server that ran them */
	cr_assert(no_cores_left(server));
}

Test(board, dump_and_write_reach_memory)
{
	struct run r;
	char handle[512];

	run_cmd(&r, TESSERA " boot --board mesh8x8");
	cr_assert(sscanf(r.out, "%511s", handle) == 1, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " write --board %s --core 3 --addr 0xc0000010 --hex cafe", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " dump --board %s --mpb 0", handle);
	cr_assert(strstr(r.out, "00000010  ca fe 00"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " dump --board %s --core 3 --addr 0xc0000010 2 --raw", handle);
	cr_assert_eq(memcmp(r.out, "\xca\xfe", 2), 0);
	run_free(&r);
	run_cmd(&r, TESSERA " dump --board %s --lut 63", handle);
	cr_assert(strstr(r.out, "0xc0000000  chip"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " dump --board %s --core 3 --addr 0x50000000 16", handle);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "not mapped by its LUT"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " shutdown --board %s", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
}

Test(board, commands_refuse_a_missing_board)
{
	struct run r;

	run_cmd(&r, TESSERA " ps --board /dev/shm/no-such-board");
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.err, "tessera: board /dev/shm/no-such-board: no such board (no chip file)\n");
	run_free(&r);
}

static void setup_dir(char *dir, size_t n)
{
	char cmd[1024];

	snprintf(dir, n, "/tmp/tessera-files-%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s/run && ln -s /etc %s/run/link && "
		 "echo secret > %s/granted.txt && echo keep > %s/victim", dir, dir, dir, dir, dir);
	cr_assert_eq(system(cmd), 0);
}

Test(files, inside_works_and_escapes_are_refused)
{
	struct run r;
	char dir[256], cmd[512];

	setup_dir(dir, sizeof(dir));
	run_cmd(&r, TESSERA " run --workdir %s/run build/tests/images/files", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "read back: written by a tile\n"), "%s", r.out);
	cr_assert(strstr(r.out, "at 8: by\n"), "%s", r.out);
	cr_assert(strstr(r.out, "fstat: ok\n"), "%s", r.out);
	cr_assert(strstr(r.out, "mkdir sub: ok\n"), "%s", r.out);
	cr_assert(strstr(r.out, "unlink sub/x: ok\n"), "%s", r.out);
	cr_assert(strstr(r.out, "stat missing: No such file or directory\n"), "%s", r.out);
	cr_assert(strstr(r.out, "open ../escape: Permission denied\n"), "%s", r.out);
	cr_assert(strstr(r.out, "open /etc/passwd: Permission denied\n"), "%s", r.out);
	cr_assert(strstr(r.out, "open link/passwd: Permission denied\n"), "%s", r.out);
	cr_assert(strstr(r.out, "stat sub/../../x: Permission denied\n"), "%s", r.out);
	cr_assert(strstr(r.out, "unlink ../victim: Permission denied\n"), "%s", r.out);
	cr_assert(strstr(r.out, "mkdir ../newdir: Permission denied\n"), "%s", r.out);
	snprintf(cmd, sizeof(cmd), "%s/victim", dir);
	cr_assert(path_exists(cmd));
	snprintf(cmd, sizeof(cmd), "%s/escape", dir);
	cr_assert_not(path_exists(cmd));
	snprintf(cmd, sizeof(cmd), "%s/run/out.txt", dir);
	cr_assert(path_exists(cmd));
	run_free(&r);
}

Test(files, allow_path_grants_a_directory)
{
	struct run r;
	char dir[256];

	setup_dir(dir, sizeof(dir));
	run_cmd(&r, TESSERA " run --workdir %s/run build/tests/images/files %s/granted.txt", dir, dir);
	cr_assert(strstr(r.out, "open granted: Permission denied\n"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " run --workdir %s/run --allow-path %s build/tests/images/files "
		"%s/granted.txt", dir, dir, dir);
	cr_assert(strstr(r.out, "open granted: ok\n"), "%s", r.out);
	run_free(&r);
}

Test(files, stdin_reaches_rank_0)
{
	struct run r;

	run_cmd(&r, "sh -c 'printf \"one\\ntwo\\n\" | " TESSERA " run -n 2 build/tests/images/cat'");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "rank 0 read: one\nrank 0 read: two\n");
	run_free(&r);
}

Test(deadlock, two_cycle_is_reported)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 2 --deadlock 0.5 build/tests/images/waits cycle");
	cr_assert_eq(r.status, 125, "%s", r.err);
	cr_assert_str_eq(r.err, "tessera: deadlock: rank 0 waits for rank 1 (tag 7, MPI_COMM_WORLD) "
			 "-> rank 1 waits for rank 0 (tag 7, MPI_COMM_WORLD) -> rank 0\n");
	run_free(&r);
}

Test(deadlock, cycle_of_48_is_reported)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 48 --deadlock 0.5 build/tests/images/waits cycle");
	cr_assert_eq(r.status, 125, "%s", r.err);
	cr_assert(strstr(r.err, "-> rank 47 waits for rank 0 (tag 7, MPI_COMM_WORLD) -> rank 0\n"),
		  "%s", r.err);
	cr_assert_eq(count_lines(r.err, " waits for rank "), 48);
	run_free(&r);
}

/* A blocking collective waits for its messages one by one (its eager schedule, sched.c): it
 * still says it is in a collective, and names the rank it waits for, so the cycle shows. */
Test(deadlock, a_rank_in_a_collective_is_named_with_the_rank_it_waits_for)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 2 --deadlock 0.5 build/tests/mpi-images/coll_deadlock");
	cr_assert_eq(r.status, 125, "%s", r.err);
	cr_assert_str_eq(r.err, "tessera: deadlock: rank 0 waits in a collective for rank 1 (tag 0, "
			 "comm 1) -> rank 1 waits for rank 0 (tag 0, MPI_COMM_WORLD) -> rank 0\n");
	run_free(&r);
}

Test(deadlock, slow_but_progressing_job_is_not_reported)
{
	struct run r;

	/* 4 ranks x 2 rounds x 0.1 s of computing with the token, the others asleep in a
	 * wait meanwhile: 0.8 s, past the 0.5 s threshold, and a deadlock at no moment */
	run_cmd(&r, TESSERA " run -n 4 --deadlock 0.5 build/tests/images/waits slow 2");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out, ": done"), 4);
	run_free(&r);
}

/* A rank in sleep() is halted, as ps shows, but waits for no rank, whatever it claimed before
 * (here a collective, as a user's op inside one that sleeps): the others that wait for it,
 * asleep, are no deadlock, however long it sleeps (each of its sleeps outlasts --deadlock). */
Test(deadlock, a_sleeping_rank_shows_in_ps_and_is_no_deadlock)
{
	char work[] = "/tmp/tessera-test-nap-XXXXXX", dir[300], out[300], go[300], cmd[1200];
	struct run r;
	pid_t pid;
	int ws;

	cr_assert(mkdtemp(work));
	board_dir(dir, sizeof(dir), "nap");
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(go, sizeof(go), "%s/go", work);
	pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		snprintf(cmd, sizeof(cmd), "exec " TESSERA " run -n 2 --deadlock 0.3 --timeout 60 "
			 "--board-dir %s --workdir %s build/tests/images/waits nap go", dir, work);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	/* both in one look (rank 1 may still boot, rank 0 make its host call between sleeps);
	 * the bound only ends a broken test, as run_until's */
	for (int i = 0;; i++) {
		run_cmd(&r, TESSERA " ps --board %s", dir);
		if (count_lines(r.out, "running   sleeping") == 1 &&
		    count_lines(r.out, "running   halted, receive from rank 0 (tag 5)") == 1)
			break;
		cr_assert(i < 1200, "%s", r.out);
		run_free(&r);
		usleep(50000);
	}
	run_free(&r);
	close(open(go, O_CREAT | O_WRONLY, 0600));
	waitpid(pid, &ws, 0);
	run_cmd(&r, "cat %s", out);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "status 0x%x: %s", ws, r.out);
	cr_assert_eq(count_lines(r.out, ": awake"), 2, "%s", r.out);
	run_free(&r);
	unlink(go);
	unlink(out);
	rmdir(work);
}

/* The text of an image is loaded once for all cores that run it; dump shows it in each
 * core's private DRAM, and write refuses it (every core would see the change). */
Test(board, shared_text_is_dumped_and_not_written)
{
	struct run r;
	char handle[512];

	run_cmd(&r, TESSERA " boot");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(sscanf(r.out, "%511s", handle) == 1);
	run_free(&r);
	run_cmd(&r, TESSERA " load --board %s --cores 0,5 build/apps/hello", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " dump --board %s --core 5 --addr 0x100000 4", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "00100000  7f 45 4c 46"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " write --board %s --core 5 --addr 0x100000 --hex 00", handle);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "is the text of its image, shared by every core"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " shutdown --board %s", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
}
