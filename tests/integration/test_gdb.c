// SPDX-License-Identifier: MIT
/*
 * test_gdb.c: gdb on a tile (docs/debugging.md): `tessera run --gdb RANK` prints the command
 * that attaches gdb, and gdb in batch mode, run with exactly that command, breaks, steps,
 * shows the call chain, registers and MPB memory, and sees the core end with the job's
 * status.
 */
#include "helpers.h"

/* A job started in the background, its stderr read up to the gdb command it printed. */
struct bg {
	pid_t pid;
	FILE *err;		/* the rest of its stderr */
	int out;		/* its stdout (a file) */
	char gdb[8192];		/* the printed command */
};

static void bg_start(struct bg *b, const char *cmd)
{
	char outp[] = "/tmp/tessera-test-XXXXXX", line[8192], full[8300];
	int pipefd[2];

	cr_assert_eq(pipe(pipefd), 0);
	b->out = mkstemp(outp);
	unlink(outp);
	b->pid = fork();
	if (b->pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		dup2(in, 0);
		dup2(b->out, 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		snprintf(full, sizeof(full), "exec %s", cmd);
		execl("/bin/sh", "sh", "-c", full, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	b->err = fdopen(pipefd[0], "r");
	b->gdb[0] = 0;
	while (fgets(line, sizeof(line), b->err))
		if (!strncmp(line, "  gdb ", 6)) {
			snprintf(b->gdb, sizeof(b->gdb), "%s", line + 2);
			b->gdb[strcspn(b->gdb, "\n")] = 0;
			break;
		}
	cr_assert(b->gdb[0], "no gdb command printed by: %s", cmd);
}

/* Wait for the job; its exit status, with its stdout and the rest of its stderr. */
static int bg_wait(struct bg *b, char **out, char **err)
{
	char buf[4096];
	size_t len = 0, n;
	int ws;

	*err = calloc(1, 1 << 16);
	while ((n = fread(buf, 1, sizeof(buf), b->err)) > 0 && len + n < (1 << 16) - 1) {
		memcpy(*err + len, buf, n);
		len += n;
	}
	fclose(b->err);
	waitpid(b->pid, &ws, 0);
	*out = slurp_fd(b->out);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

Test(gdb, break_step_backtrace_registers_mpb_and_exit)
{
	struct bg b;
	struct run g;
	char *out, *err;
	int status;

	bg_start(&b, TESSERA " run --gdb 1 -n 2 --timeout 120 build/apps/ring 3");
	cr_assert(strstr(b.gdb, "target remote "), "%s", b.gdb);
	cr_assert(strstr(b.gdb, "build/apps/ring'"), "%s", b.gdb);
	/* the printed command as it is, gdb's batch options after it */
	run_cmd(&g, "timeout 120 %s -batch -nx -ex 'info registers rip' -ex 'break main' "
		"-ex continue -ex next -ex frame -ex 'break MPI_Recv' -ex continue -ex bt "
		"-ex 'x/4xw 0xc0000000' -ex 'x/4xw 0xc0004000' -ex stepi -ex 'info registers rip' "
		"-ex delete -ex continue", b.gdb);
	status = bg_wait(&b, &out, &err);
	/* stopped at the image's entry, before main */
	cr_assert(strstr(g.out, "tk_entry"), "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.out, "Breakpoint 1, main ("), "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.out, "#0  main (") && strstr(g.out, "at apps/ring/ring.c:"),
		  "gdb: %s\n%s", g.out, g.err);
	/* the call chain names the function and its caller */
	cr_assert(strstr(g.out, "Breakpoint 2, PMPI_Recv ("), "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.out, "#0  PMPI_Recv ("), "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.out, " in main (") && strstr(g.out, "apps/ring/ring.c:"),
		  "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.out, "rip            0x"), "gdb: %s\n%s", g.out, g.err);
	/* tile 0's MPB is there; past its 16 KB nothing is mapped */
	cr_assert(strstr(g.out, "0xc0000000:\t0x"), "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.err, "Cannot access memory at address 0xc0004000"), "gdb: %s\n%s",
		  g.out, g.err);
	cr_assert(strstr(g.out, "[Inferior 1 (Remote target) exited normally]"), "gdb: %s\n%s",
		  g.out, g.err);
	cr_assert_eq(g.status, 0, "gdb: %s\n%s", g.out, g.err);
	cr_assert_eq(status, 0, "tessera: %s\n%s", out, err);
	cr_assert(strstr(out, "ring of 2 ranks, 3 laps: token correct"), "%s", out);
	run_free(&g);
	free(out);
	free(err);
}

/* The other ranks share runners and the image's text; the debugged one has a runner and a
 * private text of its own: its breakpoints never reach the others (an int3 there would
 * crash them as they pass MPI_Recv). */
Test(gdb, breakpoints_are_the_debugged_ranks_alone_beside_shared_runners)
{
	struct bg b;
	struct run g;
	char *out, *err;
	int status;

	bg_start(&b, TESSERA " run --gdb 2 -n 4 --cores-per-process 2 --timeout 120 "
		 "build/apps/ring 3");
	run_cmd(&g, "timeout 120 %s -batch -nx -ex 'break MPI_Recv' -ex 'break MPI_Send' "
		"-ex continue -ex bt -ex continue -ex delete -ex continue", b.gdb);
	status = bg_wait(&b, &out, &err);
	cr_assert(strstr(g.out, "Breakpoint 1, PMPI_Recv (") ||
		  strstr(g.out, "Breakpoint 2, PMPI_Send ("), "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.out, " in main (") && strstr(g.out, "apps/ring/ring.c:"),
		  "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.out, "[Inferior 1 (Remote target) exited normally]"), "gdb: %s\n%s",
		  g.out, g.err);
	cr_assert_eq(status, 0, "tessera: %s\n%s", out, err);
	cr_assert(strstr(out, "ring of 4 ranks, 3 laps: token correct"), "%s", out);
	run_free(&g);
	free(out);
	free(err);
}

Test(gdb, the_rank_ends_with_its_status_and_so_does_the_job)
{
	struct bg b;
	struct run g;
	char *out, *err;
	int status;

	bg_start(&b, TESSERA " run --gdb 1 -n 2 --timeout 120 build/tests/images/probe only 1 "
		 "exit 3");
	run_cmd(&g, "timeout 120 %s -batch -nx -ex continue", b.gdb);
	status = bg_wait(&b, &out, &err);
	cr_assert(strstr(g.out, "[Inferior 1 (Remote target) exited with code 03]"),
		  "gdb: %s\n%s", g.out, g.err);
	cr_assert_eq(status, 3, "tessera: %s\n%s", out, err);
	run_free(&g);
	free(out);
	free(err);
}

Test(gdb, a_crash_stops_in_the_debugger_first)
{
	struct bg b;
	struct run g;
	char *out, *err;
	int status;

	bg_start(&b, TESSERA " run --gdb 0 --timeout 120 build/tests/images/crash segv");
	run_cmd(&g, "timeout 120 %s -batch -nx -ex continue -ex 'info registers rip' "
		"-ex continue", b.gdb);
	status = bg_wait(&b, &out, &err);
	cr_assert(strstr(g.out, "Program received signal SIGSEGV"), "gdb: %s\n%s", g.out, g.err);
	/* the core's own fault handler reports the crash, then ends it with 128 + signal */
	cr_assert(strstr(g.out, "[Inferior 1 (Remote target) exited with code 0213]"),
		  "gdb: %s\n%s", g.out, g.err);
	cr_assert_eq(status, 128 + SIGSEGV, "tessera: %s\n%s", out, err);
	cr_assert(strstr(err, "SIGSEGV"), "%s", err);
	run_free(&g);
	free(out);
	free(err);
}

Test(gdb, a_rank_that_is_not_in_the_job_is_refused)
{
	struct run r;

	run_cmd(&r, TESSERA " run --gdb 2 -n 2 build/apps/ring");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "--gdb: no rank 2 in a job of 2 ranks"), "%s", r.err);
	run_free(&r);
}

Test(gdb, a_core_of_a_kept_board)
{
	struct bg b;
	struct run r, g;
	char *out, *err, cmd[512], handle[256];
	int status;

	run_cmd(&r, TESSERA " boot");
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(handle, sizeof(handle), "%.*s", (int)strcspn(r.out, "\n"), r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " load --board %s --cores 0-1 build/apps/ring 2", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	snprintf(cmd, sizeof(cmd), TESSERA " gdb --board %s --core 1", handle);
	bg_start(&b, cmd);
	run_cmd(&r, TESSERA " reset --board %s --release --cores 0", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	run_cmd(&g, "timeout 120 %s -batch -nx -ex 'break main' -ex continue -ex 'print argc' "
		"-ex delete -ex continue", b.gdb);
	status = bg_wait(&b, &out, &err);
	cr_assert(strstr(g.out, "Breakpoint 1, main ("), "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.out, "$1 = 2"), "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.out, "exited normally"), "gdb: %s\n%s", g.out, g.err);
	cr_assert_eq(status, 0, "tessera gdb: %s\n%s", out, err);
	run_free(&g);
	run_cmd(&r, TESSERA " shutdown --board %s", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	free(out);
	free(err);
}

Test(gdb, a_qemu_tile_through_qemus_own_stub)
{
	struct bg b;
	struct run g;
	char *out, *err;
	int status;

	bg_start(&b, TESSERA " run --backend qemu --gdb 1 -n 2 --timeout 120 "
		 "build/apps/i386/ring 2");
	cr_assert(strstr(b.gdb, "-ex 'set architecture i386'"), "%s", b.gdb);
	run_cmd(&g, "timeout 120 %s -batch -nx -ex 'break MPI_Recv' -ex continue -ex bt "
		"-ex 'x/4xw 0xc0000000' -ex delete -ex continue", b.gdb);
	status = bg_wait(&b, &out, &err);
	cr_assert(strstr(g.out, "Breakpoint 1, PMPI_Recv ("), "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.out, " in main (") && strstr(g.out, "apps/ring/ring.c:"),
		  "gdb: %s\n%s", g.out, g.err);
	cr_assert(strstr(g.out, "0xc0000000:\t0x"), "gdb: %s\n%s", g.out, g.err);
	cr_assert_eq(status, 0, "tessera: %s\n%s", out, err);
	cr_assert(strstr(out, "token correct"), "%s", out);
	run_free(&g);
	free(out);
	free(err);
}

Test(gdb, a_gdb_that_dies_leaves_the_core_to_the_next_which_kills_it)
{
	struct bg b;
	struct run g1, g2;
	char *out, *err;
	int status;

	bg_start(&b, TESSERA " run --gdb 0 --timeout 120 build/tests/images/probe sleep");
	/* the first gdb leaves the core running in its endless halt, and dies */
	run_cmd(&g1, "timeout 120 %s -batch -nx -ex 'break hang' -ex continue -ex delete "
		"-ex 'continue &' -ex 'shell kill -9 $PPID'", b.gdb);
	cr_assert(strstr(g1.out, "Breakpoint 1, hang ("), "gdb: %s\n%s", g1.out, g1.err);
	/* the next finds it stopped for it where it runs (interrupted), and kills it */
	run_cmd(&g2, "timeout 120 %s -batch -nx -ex bt -ex kill", b.gdb);
	status = bg_wait(&b, &out, &err);
	cr_assert(strstr(g2.out, "hang ("), "gdb: %s\n%s", g2.out, g2.err);
	cr_assert(strstr(g2.out, "[Inferior 1 (Remote target) killed]"), "gdb: %s\n%s", g2.out,
		  g2.err);
	cr_assert_eq(status, 128 + SIGKILL, "tessera: %s\n%s", out, err);
	cr_assert(strstr(err, "signal 9"), "%s", err);
	run_free(&g1);
	run_free(&g2);
	free(out);
	free(err);
}

Test(gdb, time_stopped_in_the_debugger_is_not_counted_by_timeout)
{
	struct bg b;
	struct run g;
	char *out, *err;
	int status;

	bg_start(&b, TESSERA " run --gdb 0 --timeout 1 build/tests/images/probe sleep");
	/* held stopped twice as long as the timeout, the core is still there; run, it is
	 * stopped by the timeout as any job */
	run_cmd(&g, "timeout 120 %s -batch -nx -ex 'shell sleep 2' -ex 'info registers rip' "
		"-ex continue", b.gdb);
	status = bg_wait(&b, &out, &err);
	cr_assert(strstr(g.out, "rip            0x"), "gdb: %s\n%s", g.out, g.err);
	cr_assert_eq(status, 124, "tessera: %s\n%s", out, err);
	cr_assert(strstr(err, "timeout after 1 s"), "%s", err);
	run_free(&g);
	free(out);
	free(err);
}
