/* SPDX-License-Identifier: MIT */
/*
 * rcce_impl.h: what the files of lib/rcce share (never included from outside it, except by
 * its unit tests): the per-core state beyond RCCE_lib.h's globals, the MPB window, the
 * memory protocol (invalidate, flush, wake), the wait loop, and the allocator that the
 * gory RCCE_malloc and RCCE_shmalloc both use.
 *
 * Addresses: an RCCE MPB address (t_vcharp) is a core address of the calling UE's own MPB
 * (RCCE_comm_buffer[RCCE_IAM] + offset); rcce_at() moves it to the same offset in another
 * UE's MPB. Every access goes through tk_mpb_* (tile-kernel/tk.h), never through the
 * pointer, so that the strict coherence model sees every load and store RCCE makes.
 */
#ifndef RCCE_IMPL_H
#define RCCE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include "RCCE_lib.h"
#include "tk.h"

/* What a core keeps besides RCCE_lib.h's globals. */
struct rcce_core {
	int inited;
	uint32_t brk;		/* TESSERA_BOOT_BREAK_* in force (study mode) */
	uint32_t win_off;	/* RCCE's part of each core's MPB share: offset ... */
	uint32_t win_bytes;	/* ... and bytes */
	uintptr_t shm_base;	/* RCCE_shmalloc's part of shared DRAM */
	size_t shm_bytes;
	int power_active;	/* an RCCE_iset_power awaits its RCCE_wait_power */
};
extern RCCE_PER_CORE struct rcce_core rcce_self;

/* admin.c: the MPB window and the state above, set by RCCE_init. */
int rcce_window(uint32_t *off, uint32_t *bytes);
/* Where RCCE_shmalloc's part of shared DRAM starts (it runs to the end): all of it alone, the
 * top quarter beside tessera's MPI, whose heap ends there (lib/mpi/shm.c asks, weakly). */
uintptr_t rcce_shm_start(void);

/* The core address of `local` (an address in our own comm buffer) in UE ue's buffer. */
static inline uintptr_t rcce_at(t_vcharp local, int ue)
{
	return (uintptr_t)RCCE_comm_buffer[ue] + (uintptr_t)(local - RCCE_comm_buffer[RCCE_IAM]);
}

/* Is [p, p + n) inside our own comm buffer? */
static inline int rcce_in_buffer(t_vcharp p, size_t n)
{
	t_vcharp b = RCCE_comm_buffer[RCCE_IAM];

	return p >= b && p + n <= b + RCCE_BUFF_SIZE && p + n >= p;
}

/* mem.c: the protocol steps, each skipped in the matching study mode. */
void rcce_invalidate(void);	/* CL1INVMB: later reads see the MPBs */
void rcce_flush(void);		/* drain the WCB: earlier writes visible to all */
void rcce_wake(int ue);		/* after a flush: interrupt ue if it may be halted */
/* Copy between private memory and an MPB (either side may be an MPB core address). */
void rcce_copy_to_mpb(uintptr_t mpb, const void *src, size_t n);
void rcce_copy_from_mpb(void *dst, uintptr_t mpb, size_t n);

/*
 * wait.c: wait until done(arg) is true: poll briefly (yield the CPU when cores outnumber
 * host CPUs), then halt until an interrupt; `kind` and `peer` (a UE, -1 for any) are
 * published for `tessera ps` and deadlock detection while waiting. done() must
 * invalidate before it reads the MPB.
 */
void rcce_wait(int (*done)(void *), void *arg, uint32_t kind, int peer);

/* flags.c */
RCCE_FLAG_STATUS rcce_flag_get(RCCE_FLAG f, int ue);	/* invalidates, then reads */
void rcce_flag_set(RCCE_FLAG *f, RCCE_FLAG_STATUS v, int ue);	/* writes, flushes, wakes */
int rcce_flag_valid(const RCCE_FLAG *f);
/* Wait until our own flag f has value v. */
void rcce_flag_wait(RCCE_FLAG f, RCCE_FLAG_STATUS v, uint32_t kind, int peer);

/* power.c: RCCE_P_COMM, the UEs of our power domain (made by RCCE_init). */
int rcce_power_comm(RCCE_COMM *comm);

/* send.c: the synchronous transfer both APIs use, chunk by chunk through combuf. */
int rcce_send_general(char *buf, t_vcharp combuf, size_t chunk, RCCE_FLAG *ready,
		      RCCE_FLAG *sent, size_t size, int dest);
int rcce_recv_general(char *buf, t_vcharp combuf, size_t chunk, RCCE_FLAG *ready,
		      RCCE_FLAG *sent, size_t size, int source);

/* heap.c: a first-fit allocator of whole lines over [base, base + bytes), deterministic so
 * that every UE making the same calls gets the same offsets (RCCE's symmetric allocation). */
#define RCCE_HEAP_BLOCKS 256
struct rcce_heap {
	uintptr_t base;
	size_t bytes;
	uint32_t n;
	struct { uint32_t off, len, used; } blk[RCCE_HEAP_BLOCKS];
};
void rcce_heap_init(struct rcce_heap *h, uintptr_t base, size_t bytes);
uintptr_t rcce_heap_alloc(struct rcce_heap *h, size_t bytes);	/* 0: no room */
size_t rcce_heap_largest(const struct rcce_heap *h);
int rcce_heap_free(struct rcce_heap *h, uintptr_t p);		/* -EINVAL: not allocated */

/* Trace a transfer's begin or end (send: 1, receive: 0), and count it when it ends. */
void rcce_note(int send, int peer, size_t bytes, int begin);

#endif
