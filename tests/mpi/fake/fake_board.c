/* SPDX-License-Identifier: MIT */
/*
 * fake_board.c: the tile-kernel calls that the real mpb-channels and coherence.c make, for
 * ranks run as host processes by fakerun (fake.h): each rank's MPB share, halt and interrupt
 * words and source register, and the shared DRAM, live in the board area of the shared
 * region. With fake_tk.c it lets lib/mpi run over the real channels as plain Linux processes,
 * which valgrind can profile (`make bench-cg`); an emulated core cannot be (its fixed
 * mappings cover valgrind's own).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "fake.h"
#include "fake_board.h"
#include "arch.h"
#include "tk.h"

static struct fake_board_core *bcore;	/* one per rank */
static uint8_t *mpb;
static struct tessera_geom geom;
static uint64_t stride;		/* between two tiles' MPBs in core addresses */

static void board(void)
{
	struct fake_hdr *h;
	uint8_t *base;

	if (bcore)
		return;
	h = fake_attach();
	base = (uint8_t *)h + fake_rings_bytes(h->nranks);
	bcore = (struct fake_board_core *)base;
	mpb = base + (size_t)h->nranks * sizeof(*bcore);
	geom.mesh_x = (uint32_t)h->nranks;
	geom.mesh_y = 1;
	geom.cores_per_tile = 1;
	geom.mpb_bytes = FAKE_MPB_BYTES;
	geom.line_bytes = TESSERA_LINE_BYTES;
	geom.shared_mb = fake_shared_mapped() ? FAKE_SHARED_MB : 0;
	stride = tessera_tile_stride(&geom);
}

const struct tessera_geom *tk_geom(void)
{
	board();
	return &geom;
}

/* MPB addresses into the board area; shared DRAM is mapped where a tile has it (fake_tk.c). */
void *fake_board_ptr(unsigned long a)
{
	board();
	if (a >= TESSERA_ADDR_MPB && a < TESSERA_ADDR_MPB + geom.mesh_x * stride &&
	    (a - TESSERA_ADDR_MPB) % stride < FAKE_MPB_BYTES)
		return mpb + (a - TESSERA_ADDR_MPB) / stride * FAKE_MPB_BYTES +
		       (a - TESSERA_ADDR_MPB) % stride;
	if (a >= TESSERA_ADDR_SHARED && a - TESSERA_ADDR_SHARED < ((uint64_t)geom.shared_mb << 20))
		return (void *)a;
	fprintf(stderr, "fake board: core address 0x%lx is not mapped\n", (unsigned long)a);
	abort();
}

/* The arch's MPB hooks are emu's own (tile-kernel/arch/emu/mpb.c, linked in), but for the
 * strict ones: one mapping of the board here (fake_board_ptr translates), nothing sealed. */
uint64_t arch_mpb_alias(void)
{
	return 0;
}

int arch_mpb_seal(uintptr_t addr, uint64_t bytes)
{
	(void)addr, (void)bytes;
	return -ENOSYS;
}

void tk_relax(void)
{
	arch_relax();
}

int tk_yield(void)
{
	sched_yield();
	return 1;
}

uint64_t tk_cycles(void)
{
	return __builtin_ia32_rdtsc();
}

/* As an emulated core's (arch/emu): about 20 us of the TSC */
uint64_t tk_spin_cycles(void)
{
	return 50000u;
}

int tk_src_signal(uint32_t core)
{
	uint32_t me = tk_core();

	board();
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&bcore[core].src[me / 32], __ATOMIC_SEQ_CST) & (1u << (me % 32))))
		__atomic_fetch_or(&bcore[core].src[me / 32], 1u << (me % 32), __ATOMIC_SEQ_CST);
	return (int)__atomic_load_n(&bcore[core].halted, __ATOMIC_SEQ_CST);
}

void tk_src_take(uint32_t *bits)
{
	struct fake_board_core *c;

	board();
	c = &bcore[tk_core()];
	for (uint32_t w = 0; w < FAKE_MAX_RANKS / 32; w++)
		if (__atomic_load_n(&c->src[w], __ATOMIC_RELAXED))
			bits[w] |= __atomic_exchange_n(&c->src[w], 0, __ATOMIC_SEQ_CST);
}

void tk_beat(void)
{
	board();
	__atomic_fetch_add(&bcore[tk_core()].beat, 1, __ATOMIC_RELAXED);
}

uint32_t tk_core_beat(uint32_t core)
{
	board();
	return __atomic_load_n(&bcore[core].beat, __ATOMIC_RELAXED);
}

int tk_core_halted(uint32_t core)
{
	board();
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (int)__atomic_load_n(&bcore[core].halted, __ATOMIC_SEQ_CST);
}

void tk_halt_prepare(void)
{
	board();
	__atomic_store_n(&bcore[tk_core()].halted, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

int tk_halt(uint64_t timeout_ns)
{
	uint32_t *irq = &bcore[tk_core()].irq;
	struct timespec ts = { (time_t)(timeout_ns / 1000000000u), (long)(timeout_ns % 1000000000u) };

	if (!__atomic_load_n(irq, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, irq, FUTEX_WAIT, 0, timeout_ns ? &ts : NULL, NULL, 0);
	return (int)__atomic_exchange_n(irq, 0, __ATOMIC_SEQ_CST);
}

void tk_halt_done(void)
{
	__atomic_store_n(&bcore[tk_core()].halted, 0, __ATOMIC_RELEASE);
}

void tk_irq_send(uint32_t core)
{
	board();
	if (__atomic_exchange_n(&bcore[core].irq, 1, __ATOMIC_SEQ_CST) == 0)
		syscall(SYS_futex, &bcore[core].irq, FUTEX_WAKE, 1, NULL, NULL, 0);
}
