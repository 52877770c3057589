/* SPDX-License-Identifier: MIT */
/*
 * mpbc_param.h: the tunables of mpb-channels, in one place. Inside mpb-channels only.
 * The layout rules that use them are in layout.c and docs/channels.md.
 */
#ifndef MPBC_PARAM_H
#define MPBC_PARAM_H

/* Waiting for a named peer (mpbc_wait_from): poll while its beat moves, up to this long
 * (about 200 us); halt once it stood still this long (about 10 us: a core that runs a wait
 * loop beats every MPBC_BEAT_CYCLES, about 1 us). */
#define MPBC_SPIN_MAX_CYCLES	500000ull
#define MPBC_PEER_STALE_CYCLES	25000ull
#define MPBC_BEAT_CYCLES	2500ull
/* mpbc_wait polls for tk_spin_cycles() before it halts (about what a halt and its wake-up
 * cost the core: a reply that comes sooner is cheaper to catch spinning), and at least
 * MPBC_SPIN_POLLS times whatever the clock says. */
#define MPBC_SPIN_POLLS		8u
/* mpbc_wait_from: the named source's ring is looked at every poll, the others (through the
 * source register) every this many polls. */
#define MPBC_NEWS_EVERY		16u
/* mpbc_peek(MPBC_ANY_SOURCE) takes the source register's bits when the sources it knows of
 * have nothing, and at least every this many searches. */
#define MPBC_TAKE_EVERY		8u
/* With more cores than host CPUs: how long mpbc_wait yields the CPU before it halts. */
#define MPBC_YIELD_CYCLES	250000ull
/* Halt timeout while a peer we must send to has not finished mpbc_init (it cannot know
 * that we wait for it, so nobody will interrupt us when it does). */
#define MPBC_NOT_READY_NS	1000000ull
/* Share of shared DRAM that mpb-channels may take (the rest is left to upper layers). */
#define MPBC_SHARED_PERCENT	50u
/* Largest bulk chunk per slot: above this, bigger chunks buy no bandwidth, and smaller ones
 * let the receiver copy a large message out while the sender copies the rest in (the two
 * copies overlap, chunk by chunk); it holds a whole eager message (MPII_EAGER_MAX). */
#define MPBC_BULK_MAX		(16u * 1024u)
/* 32 slots of one payload line are taken only when every one can have a bulk chunk of at
 * least this many bytes (layout.c): else what a slot does not hold would go 32 B a record. */
#define MPBC_WIDE_CHUNK_MIN	(4u * 1024u)
/* The cache line of the host that runs emulated cores (x86-64): slots start on it. */
#define MPBC_HOST_LINE		64u
/* Most payload lines in an MPB slot (the header line excluded). */
#define MPBC_INLINE_LINES_MAX	63u

#endif
