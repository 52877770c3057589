// SPDX-License-Identifier: MIT
/*
 * stop.c: how a command that serves a job ends it on request, at any moment. The handlers
 * are installed before anything exists, so a signal during board creation or loading is
 * never lost: it is remembered here and handed to the board as soon as there is one (and
 * again once the job is loaded, since loading starts from a clean interrupt flag). SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 all stop the job (they are unblocked, should
 * the command have inherited a mask that blocks them); SIGPIPE is ignored.
 * The handlers are installed without SA_RESTART, so a write the host is blocked in (its
 * standard output is a full pipe) returns. Once stopping, output that would block is
 * dropped rather than waited for. A timer backs --timeout up: should the host's loop ever
 * be held up (by that same full pipe), the timer interrupts it. A command that exits while
 * it still has the board (ht_die deep inside) closes it on the way out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <sys/time.h>
#include "tessera/host.h"
#include "ht.h"

static struct hd_board *volatile board;
static volatile sig_atomic_t asked, timer_fired;

static void on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGALRM)
		timer_fired = 1;
	else
		asked = 1;
	hd_job_interrupt(board);	/* a no-op while there is no board */
	errno = saved;
}

/* exit while the board is still this command's (ht_die from an output callback): the
 * board goes as it would on the way out (a board left behind would only be stale). */
static void close_left(void)
{
	struct hd_board *b = board;

	board = NULL;
	if (b)
		hd_board_close(b);
}

void ht_stop_catch(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM };
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t set;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&set, sigs[i]);
	}
	signal(SIGPIPE, SIG_IGN);
	atexit(close_left);
	/* a mask inherited from whoever started us must not keep them out (one already
	 * pending arrives now, and is remembered) */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

void ht_stop_board(struct hd_board *b)
{
	board = b;
	if (asked || timer_fired)
		hd_job_interrupt(b);
}

int ht_stop_asked(void)
{
	return asked;
}

int ht_stop_timer_fired(void)
{
	return timer_fired && !asked;
}

void ht_stop_arm(double timeout_s)
{
	struct itimerval it = { 0 };
	double at = timeout_s + 0.25;	/* the loop's own check comes first */

	if (timeout_s > 0) {	/* else: disarm */
		it.it_value.tv_sec = (time_t)at;
		it.it_value.tv_usec = (suseconds_t)((at - (double)(time_t)at) * 1e6);
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

void ht_out(FILE *f, const void *p, size_t n)
{
	struct pollfd pf = { .fd = fileno(f), .events = POLLOUT };

	if ((asked || timer_fired) && poll(&pf, 1, 0) != 1) {
		__fpurge(f);	/* nobody reads: do not wait for it, not even at exit */
		return;
	}
	fwrite(p, 1, n, f);
	if (fflush(f) && (asked || timer_fired))
		__fpurge(f);
}
