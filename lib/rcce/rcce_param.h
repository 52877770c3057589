/* SPDX-License-Identifier: MIT */
/*
 * rcce_param.h: the tunables of lib/rcce, in one place. Inside lib/rcce only.
 */
#ifndef RCCE_PARAM_H
#define RCCE_PARAM_H

/* RCCE's part of each core's MPB share when tessera's MPI is linked into the same image
 * (mpb-channels keeps the rest, below it): half of the SCC's 8 KB. docs/rcce.md. */
#define RCCE_MPB_MIXED_BYTES	4096u
/* RCCE_shmalloc's part of shared DRAM when tessera's MPI is linked into the same image: the
 * top 1/RCCE_SHM_MIXED_PART of it (mpb-channels has at most the lower half, the MPI heap what
 * lies between). docs/rcce.md. */
#define RCCE_SHM_MIXED_PART	4u
/* Less than this and RCCE_init fails (RCCE_ERROR_MALLOC): a few lines of flags and data. */
#define RCCE_MPB_MIN_BYTES	1024u
/* How long a waiting UE polls before it halts, in tk_cycles() (about 20 us at 2.5 GHz),
 * and at least how many polls; with more cores than host CPUs it yields the CPU instead
 * of spinning, for RCCE_YIELD_CYCLES. The same reasoning as mpb-channels (docs/channels.md). */
#define RCCE_SPIN_CYCLES	50000ull
#define RCCE_SPIN_POLLS		8u
#define RCCE_YIELD_CYCLES	250000ull
/* The modelled time a voltage change takes before RCCE_wait_power returns: RCCE's own
 * emulator waited 1,000,000 cycles (RC_WAIT_CYCLES), about 1.9 ms at 533 MHz. */
#define RCCE_VOLTAGE_RAMP_NS	1900000ull

#endif
