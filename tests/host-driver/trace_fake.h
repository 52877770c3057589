/* SPDX-License-Identifier: MIT */
/*
 * trace_fake.h: the cores' side of a trace for the host-driver trace tests: NRANKS trace
 * rings in plain memory, written as tile-kernel/trace.c writes them, a trace on scc48 with
 * ranks on cores 0, 1, 5 and 47, and a file path per test process.
 */
#ifndef TRACE_FAKE_H
#define TRACE_FAKE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hd_impl.h"

#define NRANKS 4

struct fake {
	struct tessera_ring_ctl ctl;
	uint8_t ring[TESSERA_TRACE_BYTES];
};

static struct fake *ring[NRANKS];
static struct tessera_geom geom;
static char path[64];

/* Rings and geometry; the trace goes to /tmp/tessera-test-trace-PID.EXT. */
static void fake_setup(const char *ext)
{
	for (int r = 0; r < NRANKS; r++)
		ring[r] = calloc(1, sizeof(struct fake));
	cr_assert_eq(hd_geom_preset("scc48", &geom), 0);
	snprintf(path, sizeof(path), "/tmp/tessera-test-trace-%d.%s", (int)getpid(), ext);
}

static void fake_teardown(void)
{
	for (int r = 0; r < NRANKS; r++)
		free(ring[r]);
	unlink(path);
}

/* What tile-kernel/trace.c does: a whole record at head % RECS, then head + 1. */
static void put(int rank, unsigned kind, uint64_t t, int32_t peer, int32_t tag, uint32_t comm,
		uint64_t bytes)
{
	struct fake *f = ring[rank];
	struct tessera_trace_rec rec = { .t_ns = t, .kind = (uint16_t)kind, .peer = peer,
					 .tag = tag, .comm = comm, .bytes = bytes };

	memcpy(f->ring + (f->ctl.head % TESSERA_TRACE_RECS) * sizeof(rec), &rec, sizeof(rec));
	f->ctl.head++;
}

/* A trace of the fake job with options o (NULL: the defaults). */
static struct hd_trace *new_trace_opts(const struct hd_job_opts *o)
{
	static const uint32_t cores[NRANKS] = { 0, 1, 5, 47 };
	struct hd_trace *t = hd_trace_new(path, &geom, NRANKS, cores, o);

	cr_assert_not_null(t, "%s", hd_last_error());
	return t;
}

static void drain_all(struct hd_trace *t)
{
	for (uint32_t r = 0; r < NRANKS; r++)
		cr_assert_geq(hd_trace_drain(t, r, &ring[r]->ctl, ring[r]->ring), 0);
}

/* A ring: every rank sends to the next and receives from the previous, halting while it
 * waits, `rounds` times. */
static void put_ring(int rounds)
{
	for (int k = 0; k < rounds; k++)
		for (int r = 0; r < NRANKS; r++) {
			uint64_t t0 = 1000u * (uint64_t)k + 10u * (uint64_t)r;
			put(r, TESSERA_TR_SEND_BEGIN, t0, (r + 1) % NRANKS, k % 4, 0, 64);
			put(r, TESSERA_TR_SEND_END, t0 + 5, (r + 1) % NRANKS, k % 4, 0, 64);
			put(r, TESSERA_TR_RECV_BEGIN, t0 + 6, (r + NRANKS - 1) % NRANKS, k % 4, 0, 0);
			put(r, TESSERA_TR_HALT, t0 + 7, 0, 0, 0, 0);
			put(r, TESSERA_TR_WAKE, t0 + 60, 0, 0, 0, 0);
			put(r, TESSERA_TR_RECV_END, t0 + 70, (r + NRANKS - 1) % NRANKS, k % 4, 0, 64);
		}
}

#endif
