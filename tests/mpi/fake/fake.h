/* SPDX-License-Identifier: MIT */
/*
 * fake.h: the host fake of mpb-channels and the tile kernel for testing lib/mpi on Linux:
 * every rank is a process started by fakerun; the ranks share one memfd holding a byte
 * ring per ordered pair of ranks and a doorbell word per rank (futex). Not a model of the
 * MPBs (no 8 KB limit, no coherence): it only keeps mpbc.h's contract (ordered, reliable,
 * any length, non-blocking, peek before receive) so the MPI layer can be run and tested.
 */
#ifndef FAKE_H
#define FAKE_H

#include <stdint.h>

#define FAKE_MAGIC	0x46414b45u
#define FAKE_MAX_RANKS	64
#define FAKE_RING_BYTES	(64u * 1024u)	/* power of two */

struct fake_ring {
	uint64_t head;		/* bytes written, by the producer */
	uint64_t pad0[7];
	uint64_t tail;		/* bytes read, by the consumer */
	uint64_t pad1[7];
	uint8_t data[FAKE_RING_BYTES];
};

struct fake_hdr {
	uint32_t magic;
	int32_t nranks;
	uint64_t t0_ns;
	int32_t abort_code;
	uint32_t aborted;
	uint32_t doorbell[FAKE_MAX_RANKS];	/* bumped (and futex-woken) for rank i */
	uint32_t wait_kind[FAKE_MAX_RANKS];	/* what tk_wait_set published */
	uint32_t tas[FAKE_MAX_RANKS];		/* test-and-set register of each core */
};

/* ring from rank s to rank d */
static inline struct fake_ring *fake_ring(struct fake_hdr *h, int s, int d)
{
	uintptr_t base = ((uintptr_t)(h + 1) + 63) & ~(uintptr_t)63;

	return (struct fake_ring *)base + (s * h->nranks + d);
}

/*
 * After the byte rings: a small board for the real mpb-channels (fake_board.c, the
 * libmpi-host-mpbc.a build that `make bench-cg` profiles): per rank a halt word, an
 * interrupt word, a beat and a source register, then per rank an MPB share. Its shared DRAM
 * is the one below.
 */
#define FAKE_MPB_BYTES		8192u
struct fake_board_core {
	uint32_t halted, irq, beat;
	uint32_t src[FAKE_MAX_RANKS / 32];
	uint32_t pad[13];
};

static inline uint64_t fake_rings_bytes(int nranks)
{
	return sizeof(struct fake_hdr) + 64 + (uint64_t)nranks * nranks * sizeof(struct fake_ring);
}

static inline uint64_t fake_bytes(int nranks)
{
	return fake_rings_bytes(nranks) + (uint64_t)nranks * sizeof(struct fake_board_core) +
	       (uint64_t)nranks * FAKE_MPB_BYTES;
}

/* What this rank's tk_count_send / tk_count_recv counted (fake_tk.c): the counters that
 * `tessera ps` shows on a board. */
struct fake_counts {
	uint64_t msgs_sent, bytes_sent, msgs_recv, bytes_recv;
};
void fake_counts(struct fake_counts *out);

/*
 * The fake board's shared DRAM: FAKE_SHARED_MB after the rings in the same memfd, mapped by
 * every rank at TESSERA_ADDR_SHARED as on a tile (one-sided windows and file pointers live
 * there). A rank that cannot map it there sees a board without shared DRAM.
 */
#define FAKE_SHARED_MB	16u
static inline uint64_t fake_shared_off(int nranks)
{
	return (fake_bytes(nranks) + 4095) & ~(uint64_t)4095;
}

static inline uint64_t fake_total_bytes(int nranks)
{
	return fake_shared_off(nranks) + ((uint64_t)FAKE_SHARED_MB << 20);
}

struct fake_hdr *fake_attach(void);	/* this process's view (fake_tk.c) */
int fake_shared_mapped(void);		/* the shared DRAM is at TESSERA_ADDR_SHARED */
int fake_rank(void);
void fake_wake(int rank);

#endif
