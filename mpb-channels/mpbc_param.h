/* SPDX-License-Identifier: MIT */
/*
 * mpbc_param.h: the tunables of mpb-channels, in one place. Inside mpb-channels only.
 * The layout rules that use them are in layout.c and docs/channels.md.
 */
#ifndef MPBC_PARAM_H
#define MPBC_PARAM_H

/* mpbc_wait polls for tk_spin_cycles() before it halts (about what a halt and its wake-up
 * cost the core: a reply that comes sooner is cheaper to catch spinning), and at least
 * MPBC_SPIN_POLLS times whatever the clock says. */
#define MPBC_SPIN_POLLS		8u
/* With more cores than host CPUs: how long mpbc_wait yields the CPU before it halts. */
#define MPBC_YIELD_CYCLES	250000ull
/* Halt timeout while a peer we must send to has not finished mpbc_init (it cannot know
 * that we wait for it, so nobody will interrupt us when it does). */
#define MPBC_NOT_READY_NS	1000000ull
/* Share of shared DRAM that mpb-channels may take (the rest is left to upper layers). */
#define MPBC_SHARED_PERCENT	50u
/* Largest bulk chunk per slot: above this, bigger chunks buy no bandwidth. */
#define MPBC_BULK_MAX		(64u * 1024u)
/* Most payload lines in an MPB slot (the header line excluded). */
#define MPBC_INLINE_LINES_MAX	63u

#endif
