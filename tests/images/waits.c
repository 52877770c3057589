// SPDX-License-Identifier: MIT
/*
 * waits: publishes wait states as a blocked MPI program would, without MPI, to drive the
 * host's deadlock detector: `cycle` (rank r waits for rank r+1, the last for rank 0, all
 * asleep for good), `slow R` (a token goes R times round the ranks; each says it waits for
 * a receive from the one before, and sleeps until that one hands it the token by an
 * interrupt; the holder computes 0.1 s first: a slow job that progresses, then exits),
 * `sleep FILE` (says "rank R: asleep", then sleeps 0.5 s at a time, timed halts, until FILE
 * exists in the run directory), `doze MS` (one usleep of MS ms), `nap FILE` (rank 0 sleeps 1 s at a time inside a claimed
 * collective wait until FILE exists, the others wait for it: no deadlock), `window
 * trace|console|hostcall` (announces a halt, gets a wake-up, then waits for the host inside
 * its window: writes more trace records (run with --trace) or more output than the ring
 * holds, or makes a host call; says whether the announcement survived, which a core that
 * sends to this one reads to know that it must wake it, and whether the wake-up did: its
 * halt then returns at once).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tk.h"

#define TURN 0		/* board counter: how often the token has moved */

static volatile uint64_t sink;

static void compute(uint64_t ns)
{
	uint64_t t = tk_time_ns();

	while (tk_time_ns() - t < ns)
		sink = sink * 3 + 1;
}

static void slow(uint32_t r, uint32_t n, uint32_t rounds)
{
	uint32_t total = rounds * n, turn;

	tk_wait_set(TESSERA_WAIT_RECV, (int32_t)((r + n - 1) % n), 5, 0);
	while ((turn = tk_counter_add(TURN, 0)) < total) {
		if (turn % n != r) {
			tk_halt_prepare();
			if (tk_counter_add(TURN, 0) == turn)
				tk_halt(0);
			tk_halt_done();
			continue;
		}
		compute(100000000u);
		tk_count_recv(8);
		tk_counter_add(TURN, 1);
		if (turn + 1 < total) {
			tk_irq_send(tk_rank_core((r + 1) % n));
			continue;
		}
		for (uint32_t q = 0; q < n; q++)	/* the end: wake everybody to see it */
			if (q != r)
				tk_irq_send(tk_rank_core(q));
	}
	tk_wait_set(TESSERA_WAIT_NONE, 0, 0, 0);
	printf("rank %u: done\n", r);
}

/* Rank 0 claims to wait in a collective (as a user's op inside one would), then sleeps 1 s
 * at a time until `go` exists; the others wait for it, asleep, until it hands them the
 * token (board counter TURN). */
static void nap(uint32_t r, uint32_t n, const char *go)
{
	if (r == 0) {
		tk_wait_set(TESSERA_WAIT_COLL, -1, 0, 0);
		printf("rank 0: napping\n");
		fflush(stdout);
		while (access(go, F_OK) != 0)
			sleep(1);
		tk_wait_set(TESSERA_WAIT_NONE, 0, 0, 0);
		tk_counter_add(TURN, 1);
		for (uint32_t q = 1; q < n; q++)
			tk_irq_send(tk_rank_core(q));
	} else {
		tk_wait_set(TESSERA_WAIT_RECV, 0, 5, 0);
		while (tk_counter_add(TURN, 0) == 0) {
			tk_halt_prepare();
			if (tk_counter_add(TURN, 0) == 0)
				tk_halt(0);
			tk_halt_done();
		}
		tk_wait_set(TESSERA_WAIT_NONE, 0, 0, 0);
	}
	printf("rank %u: awake\n", r);
}

int main(int argc, char **argv)
{
	uint32_t r = tk_rank(), n = tk_nranks();

	if (argc > 1 && !strcmp(argv[1], "slow")) {
		slow(r, n, (uint32_t)atoi(argc > 2 ? argv[2] : "3"));
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "sleep")) {
		printf("rank %u: asleep\n", r);
		fflush(stdout);
		while (access(argv[2], F_OK) != 0)
			usleep(500000);
		printf("rank %u: awake\n", r);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "doze")) {
		usleep((useconds_t)atoi(argv[2]) * 1000u);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "nap")) {
		nap(r, n, argv[2]);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "window")) {
		const char *wait = argc > 2 ? argv[2] : "trace";
		int kept, woken;

		tk_halt_prepare();
		tk_irq_send(tk_core());		/* a peer's wake-up, come inside the window */
		if (!strcmp(wait, "trace")) {
			for (uint32_t i = 0; i < 4 * TESSERA_TRACE_RECS; i++)
				tk_trace(i % 2 ? TESSERA_TR_WAKE : TESSERA_TR_HALT, -1, 0, 0, 0);
		} else if (!strcmp(wait, "console")) {
			static char junk[4 * TESSERA_CONSOLE_BYTES];

			memset(junk, '.', sizeof(junk) - 1);
			junk[sizeof(junk) - 1] = '\n';
			write(2, junk, sizeof(junk));
		} else {
			isatty(7);	/* a host call: fd 0-2 are answered from the boot info */
		}
		kept = tk_core_halted(tk_core());
		/* returns at once if the wake-up survived the wait for the host; else times out */
		woken = tk_halt(2000000000u);
		tk_halt_done();
		printf("rank %u: window %s, wake-up %s\n", r, kept ? "kept" : "lost",
		       woken ? "kept" : "lost");
		return 0;
	}
	tk_wait_set(TESSERA_WAIT_RECV, (int32_t)((r + 1) % n), 7, 0);
	for (;;) {
		tk_halt_prepare();
		tk_halt(0);
		tk_halt_done();
	}
}
