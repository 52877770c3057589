// SPDX-License-Identifier: MIT
/*
 * timing_model.c: the SCC cost model of timing.h as pure functions: from a board and an
 * access to the core cycles it costs. No state, no memory touched, no clock read; the clock
 * that adds these up is timing.c. Built for every tile arch and for the host tests.
 */
#include "timing.h"

#define Q16 65536u

/* base (cycles at the SCC's clocks) in core cycles x 65536 on a board whose core clock is
 * core_mhz and whose clock of that domain is dom_mhz (the SCC's: scc_dom_mhz). */
static uint64_t scaled_q16(uint32_t base, uint32_t core_mhz, uint32_t dom_mhz,
			   uint32_t scc_dom_mhz)
{
	return (uint64_t)base * Q16 * core_mhz * scc_dom_mhz /
	       ((uint64_t)TK_TM_SCC_CORE_MHZ * dom_mhz);
}

/* Whole cycles of a q16 amount, rounded to nearest. */
static uint32_t whole(uint64_t q16)
{
	return (uint32_t)((q16 + Q16 / 2) / Q16);
}

void tk_tm_init(struct tk_tm *m, const struct tessera_geom *g)
{
	uint32_t core = g->core_mhz ? g->core_mhz : TK_TM_SCC_CORE_MHZ;
	uint32_t mesh = g->mesh_mhz ? g->mesh_mhz : TK_TM_SCC_MESH_MHZ;
	uint32_t mem = g->mem_mhz ? g->mem_mhz : TK_TM_SCC_MEM_MHZ;
	uint32_t hop = g->hop_cycles ? g->hop_cycles : TK_TM_SCC_HOP_CYCLES;
	uint32_t x = g->mesh_x ? g->mesh_x : 1, y = g->mesh_y ? g->mesh_y : 1;

	m->geom = *g;
	m->mesh_x = x;
	m->mesh_y = y;
	m->cores_per_tile = g->cores_per_tile ? g->cores_per_tile : 1;
	m->core_mhz = core;
	/* a round trip through one more router: hop cycles there and back, in mesh cycles */
	m->hop_q16 = (uint64_t)2 * hop * Q16 * core / mesh;
	m->mpb_write_local_q16 = scaled_q16(TK_TM_MPB_WRITE_LOCAL, core, mesh, TK_TM_SCC_MESH_MHZ);
	m->mpb_write_hop1_q16 = scaled_q16(TK_TM_MPB_WRITE_HOP1, core, mesh, TK_TM_SCC_MESH_MHZ);
	m->mpb_read_local_q16 = scaled_q16(TK_TM_MPB_READ_LOCAL, core, mesh, TK_TM_SCC_MESH_MHZ);
	m->mpb_read_hop1_q16 = scaled_q16(TK_TM_MPB_READ_HOP1, core, mesh, TK_TM_SCC_MESH_MHZ);
	m->dram_read_q16 = scaled_q16(TK_TM_DRAM_READ0, core, mem, TK_TM_SCC_MEM_MHZ);
	m->dram_write_q16 = scaled_q16(TK_TM_DRAM_WRITE0, core, mem, TK_TM_SCC_MEM_MHZ);
	/* the SCC's controllers hang off the routers at both ends of rows 0 and 2 */
	m->mc_tile[0] = 0;
	m->mc_tile[1] = x - 1;
	m->mc_tile[2] = (y / 2) * x;
	m->mc_tile[3] = (y / 2) * x + x - 1;
}

uint32_t tk_tm_hops(const struct tk_tm *m, uint32_t tile_a, uint32_t tile_b)
{
	uint32_t ax = tile_a % m->mesh_x, ay = tile_a / m->mesh_x;
	uint32_t bx = tile_b % m->mesh_x, by = tile_b / m->mesh_x;

	return (ax > bx ? ax - bx : bx - ax) + (ay > by ? ay - by : by - ay);
}

/* local at 0 hops; hop1 at one hop, a round trip more per further hop */
static uint32_t by_hops(const struct tk_tm *m, uint64_t local_q16, uint64_t hop1_q16,
			uint32_t hops)
{
	if (hops == 0)
		return whole(local_q16);
	return whole(hop1_q16 + (uint64_t)(hops - 1) * m->hop_q16);
}

uint32_t tk_tm_mpb_write(const struct tk_tm *m, uint32_t hops)
{
	return by_hops(m, m->mpb_write_local_q16, m->mpb_write_hop1_q16, hops);
}

uint32_t tk_tm_mpb_read(const struct tk_tm *m, uint32_t hops)
{
	return by_hops(m, m->mpb_read_local_q16, m->mpb_read_hop1_q16, hops);
}

uint32_t tk_tm_dram_read(const struct tk_tm *m, uint32_t hops)
{
	return whole(m->dram_read_q16 + (uint64_t)hops * m->hop_q16);
}

uint32_t tk_tm_dram_write(const struct tk_tm *m, uint32_t hops)
{
	return whole(m->dram_write_q16 + (uint64_t)hops * m->hop_q16);
}

/* Shared DRAM is spread over the controllers by 16 MB window (one LUT entry each). */
uint32_t tk_tm_dram_hops(const struct tk_tm *m, uint32_t tile, uintptr_t addr)
{
	uint32_t w = (uint32_t)((addr - TESSERA_ADDR_SHARED) >> TESSERA_LUT_SHIFT);

	return tk_tm_hops(m, tile, m->mc_tile[w % TK_TM_MEM_CTRLS]);
}

enum tk_tm_space tk_tm_where(const struct tk_tm *m, uint32_t tile, uintptr_t addr,
			     uint32_t *hops)
{
	const struct tessera_geom *g = &m->geom;
	uint64_t stride = tessera_tile_stride(g), a = addr;
	uint64_t tiles = (uint64_t)m->mesh_x * m->mesh_y;

	if (a >= TESSERA_ADDR_MPB && a < TESSERA_ADDR_MPB + tiles * stride &&
	    (a - TESSERA_ADDR_MPB) % stride < g->mpb_bytes) {
		*hops = tk_tm_hops(m, tile, (uint32_t)((a - TESSERA_ADDR_MPB) / stride));
		return TK_TM_MPB;
	}
	if (a >= TESSERA_ADDR_OWN_MPB && a < (uint64_t)TESSERA_ADDR_OWN_MPB + g->mpb_bytes) {
		*hops = 0;
		return TK_TM_MPB;
	}
	if (a >= TESSERA_ADDR_SHARED && a - TESSERA_ADDR_SHARED < ((uint64_t)g->shared_mb << 20)) {
		*hops = tk_tm_dram_hops(m, tile, addr);
		return TK_TM_DRAM;
	}
	*hops = 0;
	return TK_TM_OTHER;
}

uint32_t tk_tm_line(const struct tk_tm *m, uint32_t tile, uintptr_t addr, int write)
{
	uint32_t hops;

	switch (tk_tm_where(m, tile, addr, &hops)) {
	case TK_TM_MPB:
		return write ? tk_tm_mpb_write(m, hops) : tk_tm_mpb_read(m, hops);
	case TK_TM_DRAM:
		return write ? tk_tm_dram_write(m, hops) : tk_tm_dram_read(m, hops);
	default:
		return 0;
	}
}

/* (a * b) >> 32 without a 128-bit type (i386 has none). */
static uint64_t mul_shr32(uint64_t a, uint64_t b)
{
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;

	return (hh << 32) + lh + hl + (ll >> 32);
}

uint64_t tk_tm_cpu_cycles(uint64_t cpu_ns, uint64_t scale_q32)
{
	return mul_shr32(cpu_ns, scale_q32);
}

uint64_t tk_tm_ns(const struct tk_tm *m, uint64_t cycles)
{
	return cycles / m->core_mhz * 1000u + cycles % m->core_mhz * 1000u / m->core_mhz;
}

uint64_t tk_tm_cycles(const struct tk_tm *m, uint64_t ns)
{
	return ns / 1000u * m->core_mhz + ns % 1000u * m->core_mhz / 1000u;
}
