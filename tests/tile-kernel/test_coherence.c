// SPDX-License-Identifier: MIT
/*
 * test_coherence.c: the strict coherence model of tile-kernel/coherence.c (L1 for MPB lines,
 * CL1INVMB, the one-line WCB) and the host mode beside it, driven from one thread that plays
 * two cores of one tile through the HAL fake.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "hal_fake.h"
#include "tk.h"

static uintptr_t mpb0;	/* core 0's MPB share */

static void board(uint32_t flags)
{
	struct tessera_geom g;

	hal_fake_geom("scc48", 1, &g);
	cr_assert_eq(hal_fake_board(&g, 4, NULL, flags), 0);
	mpb0 = tessera_core_mpb_addr(&g, 0);
}

static void strict_board(void)
{
	board(TESSERA_BOOT_STRICT);
}

static void host_board(void)
{
	board(0);
}

static void teardown(void)
{
	hal_fake_board_free();
}

static uint32_t mem32(uintptr_t a)
{
	return *(volatile uint32_t *)hal_fake_ptr(a);
}

static void set_mem32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)hal_fake_ptr(a) = v;
}

TestSuite(coherence, .init = strict_board, .fini = teardown);

Test(coherence, read_hits_stale_copy_until_cl1invmb)
{
	hal_fake_core(1);
	cr_assert_eq(tk_mpb_read32(mpb0 + 64), 0);
	hal_fake_core(0);
	tk_mpb_write32(mpb0 + 64, 0x1234);
	tk_wcb_flush();
	hal_fake_core(1);
	cr_assert_eq(tk_mpb_read32(mpb0 + 64), 0);
	tk_cl1invmb();
	cr_assert_eq(tk_mpb_read32(mpb0 + 64), 0x1234);
}

Test(coherence, write_invisible_until_wcb_flush)
{
	hal_fake_core(0);
	tk_mpb_write32(mpb0 + 64, 7);
	hal_fake_core(1);
	tk_cl1invmb();
	cr_assert_eq(tk_mpb_read32(mpb0 + 64), 0);
	cr_assert_eq(mem32(mpb0 + 64), 0);
	hal_fake_core(0);
	tk_wcb_flush();
	hal_fake_core(1);
	tk_cl1invmb();
	cr_assert_eq(tk_mpb_read32(mpb0 + 64), 7);
}

Test(coherence, write_to_another_line_drains_the_wcb)
{
	hal_fake_core(0);
	tk_mpb_write32(mpb0 + 64, 1);
	tk_mpb_write32(mpb0 + 96, 2);
	cr_assert_eq(mem32(mpb0 + 64), 1);
	cr_assert_eq(mem32(mpb0 + 96), 0);
}

Test(coherence, cl1invmb_leaves_the_wcb_alone)
{
	hal_fake_core(0);
	tk_mpb_write32(mpb0 + 64, 5);
	tk_cl1invmb();
	cr_assert_eq(mem32(mpb0 + 64), 0);
}

Test(coherence, drain_writes_only_the_masked_bytes)
{
	uint8_t a = 0xa1, b = 0xb2;
	uint8_t *mem = hal_fake_ptr(mpb0 + 128);

	memset(mem, 0xee, 32);
	hal_fake_core(0);
	tk_mpb_write(mpb0 + 128, &a, 1);
	tk_mpb_write(mpb0 + 133, &b, 1);
	tk_wcb_flush();
	cr_assert_eq(mem[0], 0xa1);
	cr_assert_eq(mem[1], 0xee);
	cr_assert_eq(mem[4], 0xee);
	cr_assert_eq(mem[5], 0xb2);
	cr_assert_eq(mem[31], 0xee);
}

Test(coherence, core_sees_its_own_pending_write)
{
	hal_fake_core(0);
	tk_mpb_write32(mpb0 + 64, 9);
	cr_assert_eq(tk_mpb_read32(mpb0 + 64), 9);
	cr_assert_eq(mem32(mpb0 + 64), 0);
}

Test(coherence, write_updates_a_cached_copy)
{
	hal_fake_core(0);
	cr_assert_eq(tk_mpb_read32(mpb0 + 64), 0);
	tk_mpb_write32(mpb0 + 64, 3);
	tk_wcb_flush();
	set_mem32(mpb0 + 64, 4);	/* someone else's later write */
	cr_assert_eq(tk_mpb_read32(mpb0 + 64), 3);
}

Test(coherence, write_does_not_allocate_a_line)
{
	hal_fake_core(0);
	tk_mpb_write32(mpb0 + 64, 3);
	tk_wcb_flush();
	set_mem32(mpb0 + 64, 4);
	cr_assert_eq(tk_mpb_read32(mpb0 + 64), 4);
}

Test(coherence, two_ways_keep_two_lines_of_a_set)
{
	hal_fake_core(1);
	cr_assert_eq(tk_mpb_read32(mpb0), 0);
	cr_assert_eq(tk_mpb_read32(mpb0 + 4096), 0);
	set_mem32(mpb0, 1);
	set_mem32(mpb0 + 4096, 2);
	cr_assert_eq(tk_mpb_read32(mpb0), 0);
	cr_assert_eq(tk_mpb_read32(mpb0 + 4096), 0);
}

Test(coherence, third_line_of_a_set_evicts_the_least_recent)
{
	hal_fake_core(1);
	cr_assert_eq(tk_mpb_read32(mpb0), 0);		/* way A */
	cr_assert_eq(tk_mpb_read32(mpb0 + 4096), 0);	/* way B */
	cr_assert_eq(tk_mpb_read32(mpb0), 0);		/* A most recent */
	set_mem32(mpb0, 1);
	set_mem32(mpb0 + 4096, 2);
	cr_assert_eq(tk_mpb_read32(mpb0 + 8192), 0);	/* same set: evicts B */
	cr_assert_eq(tk_mpb_read32(mpb0), 0);
	cr_assert_eq(tk_mpb_read32(mpb0 + 4096), 2);
}

Test(coherence, shared_dram_follows_the_same_model)
{
	hal_fake_core(1);
	cr_assert_eq(tk_mpb_read32(TESSERA_ADDR_SHARED + 32), 0);
	hal_fake_core(0);
	tk_mpb_write32(TESSERA_ADDR_SHARED + 32, 11);
	tk_wcb_flush();
	hal_fake_core(1);
	cr_assert_eq(tk_mpb_read32(TESSERA_ADDR_SHARED + 32), 0);
	tk_cl1invmb();
	cr_assert_eq(tk_mpb_read32(TESSERA_ADDR_SHARED + 32), 11);
}

Test(coherence, unaligned_copy_spans_lines)
{
	uint8_t in[100], out[100];
	uint32_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 1);
	hal_fake_core(0);
	tk_mpb_write(mpb0 + 45, in, sizeof(in));
	tk_wcb_flush();
	hal_fake_core(1);
	tk_mpb_read(out, mpb0 + 45, sizeof(out));
	cr_assert_arr_eq(out, in, sizeof(in));
	cr_assert_eq(memcmp(hal_fake_ptr(mpb0 + 45), in, sizeof(in)), 0);
}

/* The model does not stand in for the core: the core's own CL1INVMB and WCB flush run too. */
static void assert_core_instructions_run(void)
{
	struct hal_fake_counts c;

	hal_fake_core(2);
	tk_mpb_write32(mpb0 + 96, 1);
	tk_wcb_flush();
	tk_cl1invmb();
	tk_cl1invmb();
	hal_fake_counts(2, &c);
	cr_assert_eq(c.arch_wcb_flushes, 1);
	cr_assert_eq(c.arch_cl1invmbs, 2);
}

Test(coherence, strict_model_runs_the_cores_own_instructions)
{
	assert_core_instructions_run();
}

Test(coherence_host, host_mode_runs_the_cores_own_instructions, .init = host_board,
     .fini = teardown)
{
	assert_core_instructions_run();
}

Test(coherence_host, remote_write_is_visible_at_once, .init = host_board, .fini = teardown)
{
	hal_fake_core(1);
	cr_assert_eq(tk_mpb_read32(mpb0 + 64), 0);
	hal_fake_core(0);
	tk_mpb_write32(mpb0 + 64, 6);
	hal_fake_core(1);
	cr_assert_eq(tk_mpb_read32(mpb0 + 64), 6);
}

Test(coherence_host, copies_reach_memory_directly, .init = host_board, .fini = teardown)
{
	uint8_t in[70], out[70];

	memset(in, 0x5a, sizeof(in));
	hal_fake_core(0);
	tk_mpb_write(mpb0 + 3, in, sizeof(in));
	cr_assert_eq(memcmp(hal_fake_ptr(mpb0 + 3), in, sizeof(in)), 0);
	hal_fake_core(1);
	tk_mpb_read(out, mpb0 + 3, sizeof(out));
	cr_assert_arr_eq(out, in, sizeof(in));
}

/* tk_mpb_direct: the memory itself in the host mode, so plain accesses and tk_mpb_* agree */
Test(coherence_host, direct_pointer_is_the_memory, .init = host_board, .fini = teardown)
{
	uint32_t *p;

	hal_fake_core(1);
	p = tk_mpb_direct(mpb0 + 64, 64);
	cr_assert_eq((void *)p, hal_fake_ptr(mpb0 + 64));
	hal_fake_core(0);
	tk_mpb_write32(mpb0 + 64, 9);
	cr_assert_eq(__atomic_load_n(p, __ATOMIC_ACQUIRE), 9);
	__atomic_store_n(p + 1, 10, __ATOMIC_RELEASE);
	cr_assert_eq(tk_mpb_read32(mpb0 + 68), 10);
}

/* a whole share maps to one pointer; an empty range has none */
Test(coherence_host, direct_pointer_covers_a_share, .init = host_board, .fini = teardown)
{
	struct tessera_geom g;
	uint8_t *p;

	hal_fake_geom("scc48", 1, &g);
	hal_fake_core(0);
	p = tk_mpb_direct(mpb0, tessera_core_mpb_bytes(&g));
	cr_assert_eq((void *)p, hal_fake_ptr(mpb0));
	cr_assert_eq((void *)(p + tessera_core_mpb_bytes(&g) - 1),
		     hal_fake_ptr(mpb0 + tessera_core_mpb_bytes(&g) - 1));
	cr_assert_null(tk_mpb_direct(mpb0, 0));
}

/* Under strict coherence every access must go through the model: no pointer */
Test(coherence, no_direct_pointer_under_strict)
{
	hal_fake_core(0);
	cr_assert_null(tk_mpb_direct(mpb0, 64));
}

/* Under virtual time every access is charged: no pointer */
Test(coherence_host, no_direct_pointer_under_virtual_time, .fini = teardown)
{
	board(TESSERA_BOOT_TIMING);
	hal_fake_core(0);
	cr_assert_null(tk_mpb_direct(mpb0, 64));
}
