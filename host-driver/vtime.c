// SPDX-License-Identifier: MIT
/*
 * vtime.c: the host's side of virtual time (--timing=scc, --deterministic): this host's
 * calibration, the scale at which the cores count their computation, and what a job's
 * virtual time was, read from its cores' board registers (tile-kernel/timing.c publishes
 * each core's clock there). docs/timing.md has the model; the tile kernel keeps the clocks.
 */
#define _GNU_SOURCE
#include <time.h>
#include "hd_impl.h"

#define CHAIN 8u			/* dependent adds per loop turn */
#define TURNS 2000000u

static uint64_t cpu_ns(void)
{
	return hd_now_ns(CLOCK_THREAD_CPUTIME_ID);
}

/* CHAIN * TURNS dependent adds: a chain whose every add waits for the one before, one cycle
 * each on every x86 since the P5 (the loop's own instructions run beside it). */
static uint64_t chain(void)
{
	uint64_t x = 0;

	for (uint32_t i = 0; i < TURNS; i++) {
#if defined(__x86_64__) || defined(__i386__)
		__asm__ volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
				 "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0" : "+r"(x));
#else
		for (uint32_t k = 0; k < CHAIN; k++)
			__asm__ volatile("" : "+r"(x));
		x += CHAIN;
#endif
	}
	return x;
}

HD_API double hd_host_mhz(void)
{
	static double mhz;

	if (!mhz) {
		uint64_t best = UINT64_MAX;

		for (int round = 0; round < 5; round++) {	/* the fastest: least disturbed */
			uint64_t t0 = cpu_ns(), t;

			chain();
			t = cpu_ns() - t0;
			if (t && t < best)
				best = t;
		}
		mhz = best == UINT64_MAX ? 1000.0 : (double)CHAIN * TURNS * 1000.0 / (double)best;
	}
	return mhz;
}

uint64_t hd_vt_scale_q32(const struct hd_job_opts *o)
{
	double scale;

	if (o->deterministic || o->timing != HD_TIMING_SCC)
		return 0;	/* --deterministic: host CPU time differs between runs */
	scale = o->timing_scale > 0 ? o->timing_scale : hd_host_mhz() / 1000.0;
	return (uint64_t)(scale * 4294967296.0);
}

/* Also the messages sent, for the record's size per message. */
void hd_vt_summary(struct hd_board *b, struct hd_job_result *res)
{
	struct hd_job *job = b->job;
	uint32_t mhz = b->geom.core_mhz ? b->geom.core_mhz : 533;

	res->host_ns = job->release_ns ? hd_now_ns(CLOCK_MONOTONIC) - job->release_ns : 0;
	for (uint32_t r = 0; r < job->nranks; r++)
		res->msgs += __atomic_load_n(&hd_hostwin(b, job->rank_core[r])->status.msgs_sent,
					     __ATOMIC_RELAXED);
	if (!job->timed)
		return;
	res->timed = 1;
	res->core_mhz = mhz;
	for (uint32_t r = 0; r < job->nranks; r++) {
		uint64_t v = __atomic_load_n(&hd_boardreg_core(b, job->rank_core[r])->vclock,
					     __ATOMIC_ACQUIRE);

		if (r == 0 || v > res->vtime_cycles) {
			res->vtime_cycles = v;
			res->vtime_rank = r;
		}
	}
	res->vtime_ns = res->vtime_cycles / mhz * 1000u + res->vtime_cycles % mhz * 1000u / mhz;
}
