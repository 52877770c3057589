// SPDX-License-Identifier: MIT
/*
 * test_sched.c: many cores in one core runner (the emu backend's scheduler, docs/board.md):
 * cores that share a runner keep their own globals and stacks, a stray write off a core's
 * private DRAM faults, a core that spins without halting cannot starve its neighbours, crash
 * reports name the core that crashed with its call chain, and a 1024-core board says hello
 * and reduces; a runner stopped and continued while its cores sleep goes on. The rest of the integration suite runs in both modes (tests/build.mk).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include "helpers.h"

#define NEIGHBOURS "build/tests/images/neighbours"
#define CRASH "build/tests/images/crash"
#define ALLREDUCE "build/tests/mpi-images/allreduce"

/*
 * Cores asleep in timed halts, their runners stopped and continued (SIGSTOP, SIGCONT: the
 * kernel then restarts the timed futex wait with restart_syscall, which the runner's seccomp
 * filter must let through), wake up on time and end normally.
 */
static void stop_and_continue(int n, int per_process)
{
	int ws, awake, runners = (n + per_process - 1) / per_process;
	struct sleepers s;
	pid_t pid;

	sleepers_start(&s, n, per_process, NULL);
	pid = s.pid;
	/* a few times, as a stop may come while a core is making a host call instead */
	for (int round = 0; round < 3; round++) {
		cr_assert_eq(each_core(pid, core_signalled, SIGSTOP), runners);
		/* stopped for good before they go on (a SIGCONT sent earlier cancels the stop) */
		for (int i = 0; i < 6000 && each_core(pid, core_stopped, 0) < runners; i++)
			usleep(10000);
		cr_assert_eq(each_core(pid, core_stopped, 0), runners);
		cr_assert_eq(each_core(pid, core_signalled, SIGCONT), runners);
		usleep(100000);
	}
	ws = sleepers_wake(&s, &awake);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "status 0x%x", ws);
	cr_assert_eq(awake, n);
	cr_assert_eq(cores_left(pid), 0);
}

Test(sched, stopped_and_continued_runner_of_many_cores_sleeps_on, .timeout = 120)
{
	stop_and_continue(2, 2);
}

Test(sched, stopped_and_continued_runner_of_one_core_sleeps_on, .timeout = 120)
{
	stop_and_continue(1, 1);
}

Test(sched, cores_of_one_runner_keep_their_own_globals_and_stacks)
{
	unsigned long g[2], s[2];
	unsigned gv[2], sv[2];
	struct run r;

	run_cmd(&r, TESSERA " run -n 2 --cores-per-process 2 " NEIGHBOURS " distinct");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	for (int i = 0; i < 2; i++) {
		char key[32];
		const char *at;

		snprintf(key, sizeof(key), "rank %d global", i);
		at = strstr(r.out, key);
		cr_assert(at, "%s", r.out);
		cr_assert_eq(sscanf(at + strlen(key), " %lx=%u stack %lx=%u", &g[i], &gv[i], &s[i],
				    &sv[i]), 4, "%s", r.out);
		cr_assert_eq(gv[i], (unsigned)i, "rank %d sees another core's global: %s", i, r.out);
		cr_assert_eq(sv[i], (unsigned)(i * 10 + 1), "%s", r.out);
	}
	cr_assert_neq(g[0], g[1], "one global for two cores: %s", r.out);
	cr_assert_neq(s[0], s[1], "one stack for two cores: %s", r.out);
	cr_assert_eq(count_lines(r.err, "tessera:"), 0, "%s", r.err);
	run_free(&r);
}

static void stray(const char *how)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 2 --cores-per-process 2 " NEIGHBOURS " %s", how);
	cr_assert_eq(r.status, 128 + 11, "a write %s a core's private DRAM did not fault: exit %d, "
		     "%s%s", how, r.status, r.out, r.err);
	cr_assert(strstr(r.err, "SIGSEGV at ") && strstr(r.err, "in main (images/neighbours.c:"),
		  "%s", r.err);
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

Test(sched, a_write_past_the_end_of_private_dram_faults)
{
	stray("overrun");
}

Test(sched, a_write_below_private_dram_faults)
{
	stray("underrun");
}

Test(sched, a_core_that_spins_does_not_starve_its_neighbour)
{
	struct run r;

	run_cmd(&r, TESSERA " run --timeout 30 -n 2 --cores-per-process 2 " NEIGHBOURS " spinwait");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_eq(count_lines(r.out, ": through\n"), 2, "%s", r.out);
	run_free(&r);
}

/* A crash in a runner of several cores is the crashing core's, with its call chain. */
static void crash_report(const char *cpp)
{
	struct run r;
	char dir[256];

	board_dir(dir, sizeof(dir), "sched-crash");
	run_cmd(&r, TESSERA " run -n 4 %s --board-dir %s " CRASH " segv 2", cpp, dir);
	cr_assert_eq(r.status, 128 + 11, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "tessera: rank 2 (core 2, tile 1,0): SIGSEGV at 0x0 in write_null "
			 "(images/crash.c:"), "stderr: %s", r.err);
	cr_assert(strstr(r.err, "\n  #0  0x"), "no call chain: %s", r.err);
	cr_assert(strstr(r.err, " in main (images/crash.c:"), "the chain misses main: %s", r.err);
	cr_assert_not(path_exists(dir));
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

Test(sched, crash_in_a_shared_runner_names_the_core_and_its_call_chain)
{
	crash_report("--cores-per-process 4");
}

Test(sched, crash_with_a_process_per_core_has_the_call_chain_too)
{
	crash_report("--cores-per-process 1");
}

Test(sched, hello_on_1024_cores, .timeout = 600)
{
	struct run r;

	run_cmd(&r, TESSERA " run --timeout 300 --board mesh32x32 -n 1024 build/apps/hello");
	assert_hello(&r, 1024);
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

Test(sched, allreduce_on_1024_cores, .timeout = 600)
{
	struct run r;

	run_cmd(&r, TESSERA " run --timeout 300 --board mesh32x32 -n 1024 " ALLREDUCE " 3");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_eq(count_lines(r.out, "hello from rank "), 1024, "%s", r.err);
	/* sum of rank + 2 over 1024 ranks */
	cr_assert(strstr(r.out, "sum 525824\n"), "%s", r.out);
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

Test(sched, cores_per_process_is_checked)
{
	struct run r;

	run_cmd(&r, TESSERA " run --cores-per-process 0 build/apps/hello");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "--cores-per-process: '0' is not a number of cores"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, "env TESSERA_CORES_PER_PROCESS=lots " TESSERA " run build/apps/hello");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "TESSERA_CORES_PER_PROCESS: 'lots'"), "%s", r.err);
	run_free(&r);
}
