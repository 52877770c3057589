/* SPDX-License-Identifier: MIT */
/*
 * deadlock.h: the deadlock decision of a job, as a pure function of snapshots of its ranks
 * and of a clock the caller passes in: no I/O, no globals, no board. job.c takes the
 * snapshots from the host windows and board registers; tests feed made-up ones on a fake
 * clock. host-driver (and its tests) only.
 *
 * A rank counts as blocked only when three things hold in the same snapshot: it says what
 * it waits for (a receive, a synchronous send, room at a peer, a collective, or a window's or
 * a file's lock, followed to the rank that holds it), its core is
 * asleep (the board register its tile kernel sets around the sleep of a halt, after its
 * last look for work, and clears first thing on waking), and no interrupt is pending for it
 * (which would mean it is about to run again). A rank that says it waits but computes (a
 * user's reduction op inside a collective, work between two MPI calls that a collective's
 * progress runs) is not asleep, so it is not blocked: the published wait is a claim, the
 * sleep is the fact. Every waiter of a real deadlock ends up asleep: the channels spin or
 * yield for a bounded time, then halt until an interrupt that never comes.
 *
 * The job is deadlocked when every live (booting or running) rank is blocked and nothing at
 * all has changed in the snapshots (states, wait fields and their sequence numbers, message
 * counters, wake-ups) for the limit. Any snapshot in which a live rank is not blocked, or
 * anything changed, restarts the clock; so does a job with no live rank. A rank whose core
 * still boots is never blocked: it will run (48 VMs booting on a busy host can take longer
 * than the limit while the first to be up waits for them in MPI_Init).
 */
#ifndef HD_DEADLOCK_H
#define HD_DEADLOCK_H

#include <stddef.h>
#include <stdint.h>

/* One rank as the host saw it at one moment. */
struct hd_dl_rank {
	uint32_t state;			/* enum tessera_core_state */
	uint32_t wait_kind;		/* enum tessera_wait_kind */
	int32_t wait_peer;		/* rank, -1: any */
	int32_t wait_tag;
	uint32_t wait_comm;		/* 0: MPI_COMM_WORLD */
	uint32_t wait_seq;		/* bumped by the core on every change of the wait */
	uint32_t asleep;		/* the core sleeps in its halt (board register) */
	uint32_t irq;			/* an interrupt is pending: it is about to run */
	uint32_t wakeups;		/* halts ended by an interrupt */
	uint64_t msgs_sent, bytes_sent, msgs_recv, bytes_recv;
};

/* The detector's memory between two snapshots; the caller owns it. */
struct hd_deadlock {
	uint64_t limit_ns;		/* 0: never report */
	uint64_t still_since_ns;	/* when the current still stretch began */
	uint64_t digest;		/* of the last snapshot */
	int still;			/* a still stretch is running */
};

/* Report after limit_s seconds without change; limit_s <= 0 (or not a number): never. */
void hd_deadlock_init(struct hd_deadlock *d, double limit_s);

/*
 * Judge the snapshot of nranks ranks taken at now_ns. Returns 1 when the job is deadlocked,
 * with the wait-for chain from the lowest blocked rank written to detail ("deadlock: rank 0
 * waits for rank 1 (tag 7, MPI_COMM_WORLD) -> rank 1 waits for rank 0 (...) -> rank 0");
 * 0 otherwise (detail untouched). now_ns must not go backwards.
 */
int hd_deadlock_step(struct hd_deadlock *d, const struct hd_dl_rank *rank, uint32_t nranks,
		     uint64_t now_ns, char *detail, size_t detail_n);

/*
 * The same judgement for a board spread over hosts (dist_job.c, on host 0): rank[] holds what
 * each host last said of its ranks, host h's taken at heard_ns[h] on host 0's clock. The
 * picture is only as recent as its oldest part, so it is judged as taken then: a host that
 * has not been heard from for a while (busy draining the network, descheduled, its reports
 * held up) cannot make the waits its ranks were last seen in pass for a deadlock that lasted
 * the limit. heard_ns[h] must not go backwards; 0: h not heard from yet.
 */
int hd_deadlock_step_hosts(struct hd_deadlock *d, const struct hd_dl_rank *rank, uint32_t nranks,
			   const uint64_t *heard_ns, uint32_t nhosts, char *detail,
			   size_t detail_n);

#endif
