/* SPDX-License-Identifier: MIT */
/* mpii_param.h: the tunables of the MPI shim, in one place. Internal to lib/mpi. */
#ifndef MPII_PARAM_H
#define MPII_PARAM_H

/*
 * Messages up to this many bytes go eagerly (envelope and data in one channel message,
 * buffered by the receiver if unexpected); longer ones and every synchronous send use
 * rendezvous (RTS, CTS, DATA), so a large unexpected message is never buffered.
 */
#define MPII_EAGER_MAX		16384

/* Context ids: 2 per communicator (point to point, collective), 16-bit in the envelope. */
#define MPII_CTX_PAIRS		2048

/* Allreduce switches from recursive doubling to reduce-scatter + allgather above this. */
#define MPII_ALLREDUCE_RSAG_MIN	16384
/* Unexpected eager messages up to this size are kept inside their record (no malloc). */
#define MPII_UMSG_INLINE	64

/* Reductions of longer vectors go in segments of this size, so that their work buffers
 * hold a segment, not copies of the whole vector. */
#define MPII_REDUCE_SEG_BYTES	(1 << 20)

/* Allgather uses recursive doubling (power-of-two sizes) below this total, else a ring. */
#define MPII_ALLGATHER_RD_MAX	65536

/* Freed requests and unexpected-message records kept for reuse (req_pool.c, match.c), so
 * that a steady stream of messages costs no malloc/free (requests: enough for windows of 64
 * non-blocking sends and receives, as message-rate benchmarks post them). */
#define MPII_REQ_CACHE		128
#define MPII_UMSG_CACHE		64
/* Freed collective schedules kept for reuse with their arrays (sched.c). */
#define MPII_SCHED_CACHE	8
/* ... each with this many bytes for its small work buffers, handed out in multiples of
 * MPII_SCHED_ALIGN (malloc's alignment: any type's elements may go there). */
#define MPII_SCHED_AREA		1024
#define MPII_SCHED_ALIGN	16

/* A progress pass takes up to this many messages of one source in a row (looking at its
 * ring directly) before it searches the sources again. */
#define MPII_DRAIN_MAX		16

/* Largest value of the MPI_TAG_UB attribute (tags are 31 bits in the envelope). */
#define MPII_TAG_UB		0x7fffffff

/*
 * Waiting for a flag of a window (win_flag.c): how long a rank spins (or, with more ranks than
 * host CPUs, yields) while the rank it waits for runs, in tk_cycles() (about 20 and 100 us,
 * as mpb-channels waits), before it halts; and every how many looks it progresses.
 */
#define MPII_FLAG_SPIN_CYCLES	50000ull
#define MPII_FLAG_YIELD_CYCLES	250000ull
#define MPII_FLAG_POLL		16u

/* One-sided requests to a private window (win_am.c): the owner serves more only while fewer
 * replies than this are still being sent, and their copies hold fewer bytes than this. */
#define MPII_WIN_SERVE_REPLIES	32
#define MPII_WIN_SERVE_BYTES	(4 << 20)

/*
 * MPI-IO (file_*.c): bytes moved per host call through shared DRAM by an independent access
 * (its staging buffer); the collective buffer of each aggregator, and how many aggregators
 * a collective access has at most; the pieces an aggregator's buffer describes per round.
 */
#define MPII_IO_STAGE		(1 << 20)
#define MPII_IO_CB_SIZE		(4 << 20)
#define MPII_IO_CB_NODES	4
#define MPII_IO_CB_PIECES	8192

#endif
