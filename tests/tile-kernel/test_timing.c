// SPDX-License-Identifier: MIT
/*
 * test_timing.c: tile-kernel/timing_model.c (the SCC cost model: its figures and arithmetic)
 * and tile-kernel/timing.c (a core's virtual clock) through known exchanges over the host
 * fake: what a message costs its sender is the model's sum exactly, a waiting receiver jumps
 * to the landing time in the header, a record that lands in a core's future stays unseen
 * until it waits, an any-source look takes what landed first, polls that find nothing cost
 * nothing, an interrupt arrives 600 cycles after it is raised. Single-thread: the test plays
 * each core in turn (hal_fake_core).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include "hal_fake.h"
#include "mpbc.h"
#include "mpbc_impl.h"
#include "timing.h"
#include "tk.h"

static struct tk_tm scc(void)
{
	struct tessera_geom g;
	struct tk_tm m;

	hal_fake_geom("scc48", 64, &g);
	g.core_mhz = 533;
	g.mesh_mhz = 800;
	g.mem_mhz = 800;
	g.hop_cycles = 4;
	tk_tm_init(&m, &g);
	return m;
}

TestSuite(model);

Test(model, mpb_writes_cost_the_published_figures)
{
	struct tk_tm m = scc();

	cr_assert_eq(tk_tm_mpb_write(&m, 0), 39);
	cr_assert_eq(tk_tm_mpb_write(&m, 1), 84);
	/* 84 + 7 round trips of 2 x 4 mesh cycles at 533/800: 84 + 37.31 */
	cr_assert_eq(tk_tm_mpb_write(&m, 8), 121);
	cr_assert_eq(tk_tm_mpb_write(&m, 2), 89);
}

Test(model, mpb_reads_cost_the_published_figures)
{
	struct tk_tm m = scc();

	cr_assert_eq(tk_tm_mpb_read(&m, 0), 20);
	cr_assert_eq(tk_tm_mpb_read(&m, 1), 63);
	cr_assert_eq(tk_tm_mpb_read(&m, 8), 100);
}

Test(model, dram_costs_grow_with_the_hops_to_the_controller)
{
	struct tk_tm m = scc();

	cr_assert_eq(tk_tm_dram_read(&m, 0), 97);
	cr_assert_eq(tk_tm_dram_write(&m, 0), 122);
	cr_assert_eq(tk_tm_dram_read(&m, 7), 134);	/* 97 + 37.31 */
	cr_assert_eq(tk_tm_dram_write(&m, 7), 159);
}

Test(model, hops_follow_the_xy_route)
{
	struct tk_tm m = scc();

	cr_assert_eq(tk_tm_hops(&m, 0, 0), 0);
	cr_assert_eq(tk_tm_hops(&m, 0, 5), 5);		/* (0,0) -> (5,0) */
	cr_assert_eq(tk_tm_hops(&m, 0, 23), 8);		/* (0,0) -> (5,3) */
	cr_assert_eq(tk_tm_hops(&m, 14, 7), 2);		/* (2,2) -> (1,1) */
}

Test(model, addresses_are_placed_on_the_mesh)
{
	struct tk_tm m = scc();
	uint32_t hops = 99;

	/* tile 5's MPB seen from tile 0 */
	cr_assert_eq(tk_tm_where(&m, 0, TESSERA_ADDR_MPB + 5u * TESSERA_LUT_WINDOW + 100, &hops),
		     TK_TM_MPB);
	cr_assert_eq(hops, 5);
	cr_assert_eq(tk_tm_where(&m, 7, TESSERA_ADDR_OWN_MPB + 32, &hops), TK_TM_MPB);
	cr_assert_eq(hops, 0);
	/* past a tile's 16 KB of MPB: nothing modelled */
	cr_assert_eq(tk_tm_where(&m, 0, TESSERA_ADDR_MPB + 16384, &hops), TK_TM_OTHER);
	/* shared DRAM window 1 is on controller 1, router of tile (5,0) */
	cr_assert_eq(tk_tm_where(&m, 0, TESSERA_ADDR_SHARED + (1u << 24), &hops), TK_TM_DRAM);
	cr_assert_eq(hops, 5);
	cr_assert_eq(tk_tm_line(&m, 0, TESSERA_ADDR_SHARED, 0), 97);
	cr_assert_eq(tk_tm_where(&m, 0, 0x00200000, &hops), TK_TM_OTHER);
	cr_assert_eq(tk_tm_line(&m, 0, 0x00200000, 1), 0);
}

Test(model, other_clocks_keep_the_mesh_time)
{
	struct tessera_geom g;
	struct tk_tm m;

	hal_fake_geom("scc48", 64, &g);
	g.core_mhz = 1066;	/* twice the SCC's core, the same mesh and memory */
	g.mesh_mhz = 800;
	g.mem_mhz = 800;
	g.hop_cycles = 4;
	tk_tm_init(&m, &g);
	cr_assert_eq(tk_tm_mpb_write(&m, 0), 78);
	cr_assert_eq(tk_tm_mpb_write(&m, 1), 168);
	cr_assert_eq(tk_tm_dram_read(&m, 0), 194);
	cr_assert_eq(tk_tm_ns(&m, 1066), 1000);
}

Test(model, host_cpu_time_scales_exactly)
{
	/* 2.5 cycles per ns */
	cr_assert_eq(tk_tm_cpu_cycles(1000, 5ull << 31), 2500);
	cr_assert_eq(tk_tm_cpu_cycles(3000000000ull, 1ull << 32), 3000000000ull);
	cr_assert_eq(tk_tm_cpu_cycles(0, 7ull << 32), 0);
}

Test(model, cycles_and_ns_convert_at_the_core_clock)
{
	struct tk_tm m = scc();

	cr_assert_eq(tk_tm_ns(&m, 533), 1000);
	cr_assert_eq(tk_tm_ns(&m, 533000000ull), 1000000000ull);
	cr_assert_eq(tk_tm_cycles(&m, 1000000), 533000);
}

/* ---- the clock, through the channels over the fake ---- */

/* rank 0 on tile (0,0), rank 1 on tile (5,0): 5 hops; rank 2 on tile (1,0): 1 hop */
static const uint16_t cores[3] = { 0, 10, 2 };

static void board(uint32_t nranks, uint32_t flags)
{
	struct tessera_geom g;

	hal_fake_geom("scc48", 64, &g);
	cr_assert_eq(hal_fake_board(&g, nranks, cores, flags), 0);
	for (uint32_t r = 0; r < nranks; r++) {
		hal_fake_core(cores[r]);
		cr_assert_eq(mpbc_init(), 0);
	}
}

static void teardown(void)
{
	hal_fake_board_free();
}

/* Send 8 bytes from rank `from` (played now) to rank `to` and let it complete. */
static void send8(uint32_t from, uint32_t to)
{
	struct mpbc_env e = { { 1, 2, 3, 4 } };
	struct mpbc_send s;
	uint64_t v = 42;

	hal_fake_core(cores[from]);
	cr_assert_eq(mpbc_isend(&s, cores[to], &e, &v, sizeof(v)), 0);
	cr_assert_eq(mpbc_send_test(&s), 0);
}

/* Receive what comes from rank `from` at rank `to` (played now), waiting if need be. */
static void recv8(uint32_t to, uint32_t from)
{
	struct mpbc_recv r;
	uint64_t v = 0;
	int i;

	hal_fake_core(cores[to]);
	for (i = 0; i < 10 && mpbc_peek((int)cores[from], NULL, NULL, NULL) == -EAGAIN; i++)
		mpbc_wait_timeout(1000000);
	cr_assert_eq(mpbc_irecv(&r, cores[from], &v, sizeof(v)), 0);
	cr_assert_eq(mpbc_recv_test(&r), 0);
	cr_assert_eq(v, 42);
}

TestSuite(clock, .fini = teardown);

Test(clock, a_message_costs_its_sender_the_models_sum)
{
	struct tk_tm m = scc();
	uint32_t w = tk_tm_mpb_write(&m, 5);
	uint64_t t0;

	board(2, TESSERA_BOOT_TIMING);
	send8(0, 1);		/* the first send also checks that the receiver is ready */
	recv8(1, 0);
	hal_fake_core(cores[0]);
	t0 = tk_vt_now();
	send8(0, 1);
	/* payload line, flush, header line (its flag in the same line: no second line), flush,
	 * the source register at the receiver's tile */
	cr_assert_eq(tk_vt_now() - t0, w + 39 + w + 39 + w, "%llu, model %u",
		     (unsigned long long)(tk_vt_now() - t0), w + 39 + w + 39 + w);
}

/* After a first exchange, rank 0 runs `ahead` cycles ahead and sends 8 bytes to rank 1, whose
 * core is then current: when the record lands (the header line written) by the model. */
static uint64_t send_from_ahead(uint64_t ahead)
{
	struct tk_tm m = scc();
	uint32_t w = tk_tm_mpb_write(&m, 5);
	uint64_t t0;

	board(2, TESSERA_BOOT_TIMING);
	send8(0, 1);
	recv8(1, 0);
	hal_fake_core(cores[0]);
	tk_vt_charge(ahead);
	t0 = tk_vt_now();
	send8(0, 1);
	hal_fake_core(cores[1]);
	return t0 + w + 39 + w;
}

Test(clock, a_waiting_receiver_jumps_to_the_landing_time)
{
	uint64_t landed = send_from_ahead(1000000);	/* the sender is far ahead */

	cr_assert_lt(tk_vt_now(), landed);
	cr_assert_eq(mpbc_wait_timeout(1000000), 1);
	cr_assert_eq(tk_vt_now(), landed);
}

Test(clock, a_record_from_the_future_is_seen_only_by_a_waiting_core)
{
	board(2, TESSERA_BOOT_TIMING);
	send8(0, 1);
	recv8(1, 0);
	hal_fake_core(cores[0]);
	tk_vt_charge(1000000);
	send8(0, 1);
	hal_fake_core(cores[1]);
	cr_assert_eq(mpbc_peek((int)cores[0], NULL, NULL, NULL), -EAGAIN);
	cr_assert_eq(mpbc_peek(MPBC_ANY_SOURCE, NULL, NULL, NULL), -EAGAIN);
	cr_assert_eq(mpbc_wait_timeout(1000000), 1);
	cr_assert_eq(mpbc_peek((int)cores[0], NULL, NULL, NULL), 0);
}

Test(clock, host_time_sees_every_record_at_once)
{
	board(2, 0);
	send8(0, 1);
	hal_fake_core(cores[1]);
	cr_assert_eq(tk_vt_now(), 0);
	cr_assert_eq(mpbc_peek((int)cores[0], NULL, NULL, NULL), 0);
}

Test(clock, polls_that_find_nothing_cost_nothing)
{
	uint64_t t0;

	board(2, TESSERA_BOOT_TIMING);
	hal_fake_core(cores[1]);
	t0 = tk_vt_now();
	cr_assert_eq(mpbc_wait_timeout(2000000), 0);
	cr_assert_eq(tk_vt_now(), t0);
}

Test(clock, any_source_takes_what_landed_first)
{
	struct tk_tm m = scc();
	uint32_t w = tk_tm_mpb_write(&m, 5), from = 99;
	uint64_t late;

	board(3, TESSERA_BOOT_TIMING);
	send8(1, 0);
	recv8(0, 1);
	send8(2, 0);
	recv8(0, 2);
	/* rank 1 sends first on the host, but lands later in virtual time than rank 2 */
	hal_fake_core(cores[1]);
	tk_vt_charge(5000000);
	late = tk_vt_now() + w + 39 + w;	/* when its record lands */
	send8(1, 0);
	hal_fake_core(cores[2]);
	tk_vt_charge(1000000);
	send8(2, 0);
	hal_fake_core(cores[0]);
	cr_assert_eq(mpbc_wait_timeout(1000000), 1);
	cr_assert_eq(mpbc_peek(MPBC_ANY_SOURCE, &from, NULL, NULL), 0);
	cr_assert_eq(from, cores[2]);
	recv8(0, 2);
	cr_assert_lt(tk_vt_now(), late);
	cr_assert_eq(mpbc_peek((int)cores[1], NULL, NULL, NULL), -EAGAIN);
	recv8(0, 1);
	cr_assert_geq(tk_vt_now(), late);
}

Test(clock, far_stamps_round_down_by_a_tiny_fraction)
{
	struct tk_tm m = scc();
	uint32_t w = tk_tm_mpb_write(&m, 5);
	uint64_t landed = send_from_ahead(1ull << 40), t0;	/* beyond the exact 31 bits */

	cr_assert_eq(mpbc_wait_timeout(1000000), 1);
	cr_assert_leq(tk_vt_now(), landed);
	cr_assert_geq(tk_vt_now(), landed - (landed >> 25));
	recv8(1, 0);
	/* the next record is exact again, counted from the rounded one */
	hal_fake_core(cores[0]);
	t0 = tk_vt_now();
	send8(0, 1);
	hal_fake_core(cores[1]);
	cr_assert_eq(mpbc_wait_timeout(1000000), 1);
	cr_assert_eq(tk_vt_now(), t0 + w + 39 + w);
}

Test(clock, an_interrupt_arrives_600_cycles_after_it_is_raised)
{
	uint64_t t0;

	board(2, TESSERA_BOOT_TIMING);
	hal_fake_core(cores[0]);
	tk_vt_charge(12345);
	t0 = tk_vt_now();
	tk_irq_send(cores[1]);
	hal_fake_core(cores[1]);
	cr_assert_eq(tk_halt(0), 1);
	cr_assert_eq(tk_vt_now(), t0 + 600);
}

/* Burn `ns` of this thread's CPU time. */
static void burn(long ns)
{
	struct timespec a, b;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	while ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec < ns);
}

Test(clock, computation_counts_outside_the_runtime_only)
{
	uint64_t t0, t1;

	hal_fake_vt_scale(1ull << 32);	/* a cycle per ns of host CPU */
	board(1, TESSERA_BOOT_TIMING);
	hal_fake_vt_scale(0);
	hal_fake_core(cores[0]);
	t0 = tk_vt_now();
	tk_vt_enter();
	burn(2000000);
	tk_vt_leave();
	t1 = tk_vt_now();
	cr_assert_lt(t1 - t0, 100000, "the runtime's 2 ms counted: %llu", (unsigned long long)(t1 - t0));
	burn(2000000);
	t1 = tk_vt_now() - t1;
	cr_assert_geq(t1, 1900000);
	cr_assert_lt(t1, 3000000);
}

Test(clock, deterministic_runs_count_no_computation)
{
	uint64_t t0;

	hal_fake_vt_scale(1ull << 32);
	board(1, TESSERA_BOOT_TIMING | TESSERA_BOOT_DET);
	hal_fake_vt_scale(0);
	hal_fake_core(cores[0]);
	t0 = tk_vt_now();
	burn(2000000);
	cr_assert_eq(tk_vt_now(), t0);
	tk_vt_charge(7);
	cr_assert_eq(tk_vt_now(), t0 + 7);
}
