// SPDX-License-Identifier: MIT
/*
 * progress.c: one self-updating line on the terminal for a step a user waits for
 * (`tessera: loading images 512/1024 (2 s)`), fed by the host library's progress calls
 * (hd_progress_fn). A step shows only once it has lasted PROGRESS_DELAY_MS, is redrawn at
 * most every REDRAW_MS, and is erased when it ends. Nothing is drawn unless standard error
 * is a terminal (and not under --quiet), and never across the ranks' output: the line is
 * erased before a rank's output is written, and once a rank has printed, nothing is drawn
 * until the job is over and the ranks' last line is complete.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ht.h"

#define PROGRESS_DELAY_MS 1000	/* steps shorter than this are not worth a line */
#define REDRAW_MS 200

static struct {
	int on;			/* standard error is a terminal, and not --quiet */
	int shown;		/* a line is on the screen */
	int muted;		/* a rank has printed and its job still runs */
	int open_line;		/* the ranks' last output did not end a line */
	uint64_t delay_ms;
	char what[64];		/* the step under way ("" none) */
	uint64_t start_ms, drawn_ms;
} P;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void ht_progress_start(int quiet)
{
	const char *d = getenv("TESSERA_PROGRESS_DELAY_MS");

	P.on = !quiet && isatty(STDERR_FILENO);
	P.delay_ms = d && *d ? strtoull(d, NULL, 10) : PROGRESS_DELAY_MS;
}

void ht_progress_clear(void)
{
	if (P.shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		P.shown = 0;
	}
}

void ht_progress(void *arg, const char *what, uint64_t done, uint64_t total)
{
	uint64_t now;
	char line[160];
	int n;

	(void)arg;
	if (!P.on)
		return;
	if (!what) {			/* no step under way: the job, if any, is over */
		ht_progress_clear();
		P.what[0] = 0;
		P.muted = P.open_line;
		return;
	}
	now = now_ms();
	if (strcmp(what, P.what)) {
		snprintf(P.what, sizeof(P.what), "%s", what);
		P.start_ms = now;
		P.drawn_ms = 0;
	}
	if (total && done >= total) {	/* the step is over */
		ht_progress_clear();
		P.what[0] = 0;
		return;
	}
	if (P.muted || now - P.start_ms < P.delay_ms || now - P.drawn_ms < REDRAW_MS)
		return;
	if (total)
		n = snprintf(line, sizeof(line), "tessera: %s %llu/%llu", what,
			     (unsigned long long)done, (unsigned long long)total);
	else if (done)
		n = snprintf(line, sizeof(line), "tessera: %s: %llu", what,
			     (unsigned long long)done);
	else
		n = snprintf(line, sizeof(line), "tessera: %s", what);
	if (n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, " (%llu s)",
			 (unsigned long long)((now - P.start_ms) / 1000));
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	P.shown = 1;
	P.drawn_ms = now;
}

void ht_progress_output(const char *data, size_t n)
{
	if (!n)
		return;
	ht_progress_clear();
	P.muted = 1;
	P.open_line = data[n - 1] != '\n';
}
