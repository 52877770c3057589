// SPDX-License-Identifier: MIT
/*
 * scc-calib: the SCC measurements that tessera's cost model is calibrated to, made again on
 * the emulated board under --timing=scc, and set against the published figures (sources in
 * docs/timing.md): a 32-byte line written into the MPB of a tile 0 to 8 hops away, a word
 * read from one, a line read from and written to shared DRAM behind each memory controller,
 * and an interrupt ping-pong between two cores. Each figure is the virtual time of a loop of
 * accesses divided by their number, the loop itself run as the runtime (tk_vt_enter), as the
 * published microbenchmarks ran tight loops whose own cycles they neglected.
 * Run: tessera run -n 2 --timing=scc build/apps/scc-calib
 * Prints one line per figure; exits 1 if one is more than 10% off the published figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tk.h"

#define REPS 4096u
#define LINE TESSERA_LINE_BYTES

static int bad;

/* One figure: model against published (a range: lo..hi, a single figure: lo == hi). */
static void report(const char *what, int hops, double model, double lo, double hi)
{
	double off = model < lo ? (lo - model) / lo : model > hi ? (model - hi) / hi : 0;
	char range[32];

	if (lo == hi)
		snprintf(range, sizeof(range), "%.0f", lo);
	else
		snprintf(range, sizeof(range), "%.0f-%.0f", lo, hi);
	printf("%-34s %4d %10.1f %10s %7.1f%%%s\n", what, hops, model, range, 100.0 * off,
	       off > 0.10 ? "  OFF" : "");
	if (off > 0.10)
		bad = 1;
}

/* A tile `hops` router hops from tile (0,0), by the X-then-Y route. */
static uint32_t tile_at(const struct tessera_geom *g, uint32_t hops)
{
	uint32_t x = hops < g->mesh_x ? hops : g->mesh_x - 1, y = hops - x;

	return y < g->mesh_y ? x + g->mesh_x * y : 0xffffffffu;
}

/* Cycles per access of REPS accesses to consecutive lines from base (n lines, cycled). */
static double per_access(uintptr_t base, uint32_t lines, int write)
{
	static uint8_t line[LINE];
	uint64_t t0, t1;

	tk_vt_enter();
	t0 = tk_vt_now();
	for (uint32_t i = 0; i < REPS; i++) {
		uintptr_t a = base + (uintptr_t)(i % lines) * LINE;

		if (write)
			tk_mpb_write(a, line, LINE);
		else
			(void)tk_mpb_read32(a);
	}
	t1 = tk_vt_now();
	tk_vt_leave();
	return (double)(t1 - t0) / REPS;
}

static void mpb(const struct tessera_geom *g)
{
	/* published, per 32-byte line / word: own tile, 1 hop, 8 hops */
	static const double write_pub[3] = { 39, 84, 119 }, read_pub[3] = { 20, 63, 102 };
	static const uint32_t hops[3] = { 0, 1, 8 };

	for (uint32_t h = 0; h <= 8; h++) {
		uint32_t t = tile_at(g, h), k;
		uintptr_t base;
		double w, r;

		if (t == 0xffffffffu)
			continue;
		/* the upper half of the tile's MPB: no other core of this job uses it */
		base = tessera_mpb_addr(g, t) + g->mpb_bytes / 2;
		w = per_access(base, g->mpb_bytes / 2 / LINE, 1);
		r = per_access(base, g->mpb_bytes / 2 / LINE, 0);
		for (k = 0; k < 3 && hops[k] != h; k++)
			;
		if (k < 3) {
			report("MPB line write (cycles)", (int)h, w, write_pub[k], write_pub[k]);
			report("MPB word read (cycles)", (int)h, r, read_pub[k], read_pub[k]);
		} else {
			printf("%-34s %4u %10.1f %10s\n", "MPB line write (cycles)", h, w, "-");
			printf("%-34s %4u %10.1f %10s\n", "MPB word read (cycles)", h, r, "-");
		}
	}
}

/* Shared DRAM, one 16 MB window per memory controller: the fastest and slowest. */
static void dram(const struct tessera_geom *g)
{
	double rmin = 1e9, rmax = 0, wmin = 1e9, wmax = 0;
	uint32_t windows = g->shared_mb / 16 < 4 ? g->shared_mb / 16 : 4;

	for (uint32_t w = 0; w < windows; w++) {
		/* the window's upper half: mpb-channels keeps to the first half of shared DRAM,
		 * and this program sends no message anyway */
		uintptr_t base = TESSERA_ADDR_SHARED + ((uintptr_t)w << 24) + (8u << 20);
		double r = per_access(base, 1024, 0), wr = per_access(base, 1024, 1);

		rmin = r < rmin ? r : rmin;
		rmax = r > rmax ? r : rmax;
		wmin = wr < wmin ? wr : wmin;
		wmax = wr > wmax ? wr : wmax;
	}
	if (!windows)
		return;
	report("shared DRAM word read, nearest", -1, rmin, 97, 134);
	report("shared DRAM word read, farthest", -1, rmax, 97, 134);
	report("MPBT line write to DRAM, nearest", -1, wmin, 122, 158);
	report("MPBT line write to DRAM, farthest", -1, wmax, 122, 158);
}

/* Halt until an interrupt comes with round `want` in *word. The interrupt bit is a latch: the
 * emulator's own wake-ups (the host's answer to a console or host call) also set it and
 * merge with a peer's, so each round is also counted in a word that the waker writes before
 * it interrupts. That word is read and written with plain atomics, which the cost model does
 * not see: the figure is the interrupt's alone, as the published one. */
static void wait_round(volatile uint32_t *word, uint32_t want)
{
	do {
		tk_halt_prepare();
		tk_halt(0);	/* returns at once if an interrupt is pending, taking its time */
		tk_halt_done();
	} while (__atomic_load_n(word, __ATOMIC_ACQUIRE) < want);
}

/* Rank 0 interrupts rank 1, which interrupts it back; one way is half the round trip. The
 * round words are the first two lines of rank 0's part of its MPB, which the host cleared. */
static void irq_pingpong(const struct tessera_geom *g)
{
	uint32_t me = tk_rank(), peer = tk_rank_core(me ^ 1);
	uintptr_t part = tessera_core_mpb_addr(g, tk_rank_core(0));
	volatile uint32_t *ping = (volatile uint32_t *)part;
	volatile uint32_t *pong = (volatile uint32_t *)(part + LINE);
	uint64_t t0 = 0;

	tk_vt_enter();
	for (uint32_t i = 0; i <= REPS; i++) {
		if (i == 1)
			t0 = tk_vt_now();	/* after a first round trip: both have started */
		if (me == 0) {
			__atomic_store_n(ping, i + 1, __ATOMIC_RELEASE);
			tk_irq_send(peer);
			wait_round(pong, i + 1);
		} else {
			wait_round(ping, i + 1);
			__atomic_store_n(pong, i + 1, __ATOMIC_RELEASE);
			tk_irq_send(peer);
		}
	}
	if (me == 0)
		report("interrupt, one way (cycles)", -1, (double)(tk_vt_now() - t0) / REPS / 2, 600,
		       600);
	tk_vt_leave();
}

int main(void)
{
	const struct tessera_geom *g = tk_geom();

	if (!tk_vt_on() || !(tk_flags() & TESSERA_BOOT_TIMING)) {
		if (tk_rank() == 0)
			fprintf(stderr, "scc-calib: run it with --timing=scc\n");
		return 2;
	}
	if (tk_rank() == 0) {
		printf("scc-calib: the cost model against the SCC's published figures (%s, %u MHz "
		       "cores, %u MHz mesh)\n", g->name, g->core_mhz, g->mesh_mhz);
		printf("%-34s %4s %10s %10s %8s\n", "figure", "hops", "model", "published", "off");
		mpb(g);
		dram(g);
	}
	if (tk_nranks() >= 2 && tk_rank() < 2)
		irq_pingpong(g);
	if (tk_rank() == 0 && tk_nranks() < 2)
		printf("(interrupt ping-pong: needs 2 ranks)\n");
	return bad;
}
