// SPDX-License-Identifier: MIT
/*
 * posix_time.c: the POSIX clocks, sleeps and yield of a tile, on the job's timebase (the
 * arch clock, the same for every core of the job; the core's virtual clock under
 * --timing=scc and --deterministic). A sleeping core halts until its time is up (tk_halt
 * with a timeout): it costs its host CPU nothing, as a halted P54C did; under virtual time a
 * sleep moves the core's clock on and takes no host time. A core is a CPU of its own, so its
 * CPU time is the time since it started.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"

#define NS 1000000000ull

/*
 * Halts for ns of the job's clock: as any halt of the tile kernel (announced, so
 * that ps shows it halted and a peer's interrupt wakes it, traced, asleep for the host, and
 * what a distributed core handed off leaves first), published as a sleep for the time (a
 * wait for no rank: a user's op inside a collective that sleeps is no deadlock), after which
 * the wait the program claimed before comes back. A wake-up (a peer's interrupt, a host
 * signal) ends one halt only: the next goes on until the time is up. Under virtual time the
 * core's clock moves on by ns instead, and the core hands on the turn (--deterministic) or
 * the CPU; under --deterministic without --timing=scc it does both (by ns exactly, not by
 * what the host's clock says, which differs from run to run), then halts for the host time
 * that is left.
 */
static void halt_for(uint64_t ns)
{
	volatile struct tessera_status *st = &tk_hostwin()->status;
	uint64_t now, end_ns = tk_time_ns() + ns;
	uint32_t kind, comm;
	int32_t peer, tag;

	if (tk_flags() & (TESSERA_BOOT_TIMING | TESSERA_BOOT_DET)) {
		tk_vt_sleep(ns);
		tk_yield();
		if (tk_flags() & TESSERA_BOOT_TIMING)
			return;
		/* --deterministic alone: the cores before this one in virtual time ran meanwhile
		 * (a sleep that kept the turn would starve a core it waits for); the host time the
		 * program reads passes too, below, with the turn kept: a wait for the host */
	}
	if (tk_time_ns() >= end_ns)
		return;
	kind = st->wait_kind;
	peer = st->wait_peer;
	tag = st->wait_tag;
	comm = st->wait_comm;
	tk_wait_set(TESSERA_WAIT_SLEEP, -1, 0, 0);
	tk_halt_prepare();
	while ((now = tk_time_ns()) < end_ns)
		tk_halt(end_ns - now);
	tk_halt_done();
	tk_wait_set(kind, peer, tag, comm);
}

/* ns of a timespec, or -EINVAL when it is not a valid one. */
static int64_t ts_ns(const struct timespec *ts)
{
	if (!ts || ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long)NS)
		return -EINVAL;
	if ((uint64_t)ts->tv_sec > (UINT64_MAX >> 2) / NS)
		return (int64_t)(UINT64_MAX >> 2);
	return (int64_t)((uint64_t)ts->tv_sec * NS + (uint64_t)ts->tv_nsec);
}

/* The clock's time in ns since its epoch; -EINVAL for a clock a tile does not have. */
static int64_t clock_ns(clockid_t id)
{
	uint64_t t = tk_time_ns();

	switch (id) {
	case CLOCK_REALTIME:
		return (int64_t)(tk_bi()->realtime_base_ns + t);
	case CLOCK_MONOTONIC:
		return (int64_t)(tk_bi()->time_base_ns + t);
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return (int64_t)t;
	default:
		return -EINVAL;
	}
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	int64_t t = clock_ns(id);

	if (t < 0) {
		errno = EINVAL;
		return -1;
	}
	ts->tv_sec = (time_t)((uint64_t)t / NS);
	ts->tv_nsec = (long)((uint64_t)t % NS);
	return 0;
}

int clock_getres(clockid_t id, struct timespec *res)
{
	if (clock_ns(id) < 0) {
		errno = EINVAL;
		return -1;
	}
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}

int clock_nanosleep(clockid_t id, int flags, const struct timespec *req, struct timespec *rem)
{
	int64_t t = ts_ns(req), now = clock_ns(id);

	if (now < 0 || id == CLOCK_THREAD_CPUTIME_ID || id == CLOCK_PROCESS_CPUTIME_ID)
		return EINVAL;	/* POSIX: sleeping on a CPU-time clock is not supported */
	if (t < 0)
		return EINVAL;
	if (flags & TIMER_ABSTIME)
		t = t > now ? t - now : 0;
	halt_for((uint64_t)t);
	if (rem && !(flags & TIMER_ABSTIME))
		rem->tv_sec = 0, rem->tv_nsec = 0;
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	int rc = clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);

	if (rc) {
		errno = rc;
		return -1;
	}
	return 0;
}

unsigned sleep(unsigned seconds)
{
	halt_for(seconds * NS);
	return 0;
}

int usleep(useconds_t us)
{
	halt_for((uint64_t)us * 1000u);
	return 0;
}

/* Under --deterministic the yield hands the turn on (tk_yield): a program that spins on
 * memory another core writes, yielding, lets that core run. */
int sched_yield(void)
{
	tk_yield();
	return 0;
}

int getrusage(int who, struct rusage *ru)
{
	uint64_t t = tk_time_ns();

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN) {
		errno = EINVAL;
		return -1;
	}
	memset(ru, 0, sizeof(*ru));
	if (who == RUSAGE_SELF) {
		ru->ru_utime.tv_sec = (time_t)(t / NS);
		ru->ru_utime.tv_usec = (suseconds_t)(t % NS / 1000u);
	}
	return 0;
}
