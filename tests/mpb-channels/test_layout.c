// SPDX-License-Identifier: MIT
/* test_layout.c: mpb-channels/layout.c, the placement of rings, acks and bulk chunks. */
#include <criterion/criterion.h>
#include <errno.h>
#include "mpbc_impl.h"

#define MB (1024ull * 1024ull)

Test(layout, scc48_full_job_gets_two_slots_of_two_lines)
{
	struct mpbc_layout l;

	cr_assert_eq(mpbc_layout_compute(48, 8192, 64 * MB, 0, &l), 0);
	cr_assert_eq(l.slots, 2);
	cr_assert_eq(l.inline_lines, 1);
	cr_assert_eq(l.slot_bytes, 64);
	cr_assert_eq(l.ack_off, 32);
	cr_assert_eq(l.ring_off, 256);	/* control and ack lines (7), rounded to a host line */
	cr_assert_eq(l.self_off, 256 + 47 * 128);	/* after the 47 other senders' rings */
	cr_assert_eq(l.self_slots, 2);
	cr_assert_eq(l.rings_in_dram, 0);
	cr_assert_eq(l.bulk_bytes, 7264);	/* 32 MB / (48 * 48 * 2), down to a line */
}

/* The one other sender's ring holds a window of 64 short messages (what osu_bw posts); the
 * ring to itself gets what is left, 32 slots. */
Test(layout, two_ranks_get_sixty_four_slots_and_capped_chunks)
{
	struct mpbc_layout l;

	cr_assert_eq(mpbc_layout_compute(2, 8192, 64 * MB, 0, &l), 0);
	cr_assert_eq(l.slots, 64);
	cr_assert_eq(l.inline_lines, 1);	/* a header and one payload line: a host line */
	cr_assert_eq(l.slot_bytes, 64);
	cr_assert_eq(l.ring_off, 64);
	cr_assert_eq(l.self_off, 64 + 64 * 64);
	cr_assert_eq(l.self_slots, 32);
	cr_assert_eq(l.bulk_bytes, 16 * 1024);
	cr_assert_eq(l.shared_used, 2ull * 2 * 64 * 16 * 1024);
}

/* Under virtual time a chunk in shared DRAM costs what the SCC's DRAM does: a message that
 * the MPB could hold stays there, in wide slots. */
Test(layout, two_ranks_under_virtual_time_keep_payloads_in_the_mpb)
{
	struct mpbc_layout l;

	cr_assert_eq(mpbc_layout_compute(2, 8192, 64 * MB, 1, &l), 0);
	cr_assert_eq(l.slots, 16);
	cr_assert_eq(l.inline_lines, 13);	/* 416 B inline */
	cr_assert_eq(l.bulk_bytes, 16 * 1024);
}

/* Three ranks: two other senders of 127 lines each would leave the ring to itself nothing;
 * 32 slots each leave it 32. */
Test(layout, three_ranks_get_thirty_two_slots)
{
	struct mpbc_layout l;

	cr_assert_eq(mpbc_layout_compute(3, 8192, 64 * MB, 0, &l), 0);
	cr_assert_eq(l.slots, 32);
	cr_assert_eq(l.self_slots, 32);
	cr_assert_eq(l.self_off, 64 + 2 * 32 * 64);
}

/* Without room for a chunk per slot, 32 slots of one line would carry what they do not
 * hold 32 B a record: the ring keeps fewer, wider slots. */
Test(layout, two_ranks_without_shared_dram_keep_wide_slots)
{
	struct mpbc_layout l;

	cr_assert_eq(mpbc_layout_compute(2, 8192, 0, 0, &l), 0);
	cr_assert_eq(l.slots, 16);
	/* 254 lines for the other sender: 15 a slot; slots of 14 keep 64-byte alignment, and
	 * leave the ring to itself 2 of them */
	cr_assert_eq(l.inline_lines, 13);
	cr_assert_eq(l.self_slots, 2);
	cr_assert_eq(l.bulk_bytes, 0);
}

Test(layout, rings_fit_the_share_for_every_job_size)
{
	struct mpbc_layout l;
	uint32_t n;

	for (n = 1; n <= 48; n++) {
		cr_assert_eq(mpbc_layout_compute(n, 8192, 64 * MB, 0, &l), 0, "n=%u", n);
		cr_assert_eq(l.self_off, l.ring_off + (n - 1) * l.ring_bytes, "n=%u", n);
		cr_assert_leq(l.self_off + l.self_slots * l.slot_bytes, 8192u, "n=%u", n);
		cr_assert_geq(l.self_slots, 2, "n=%u", n);
		cr_assert_leq(l.self_slots, l.slots, "n=%u", n);
		cr_assert_eq(l.self_slots & (l.self_slots - 1), 0, "n=%u", n);
		cr_assert_geq(l.ring_off, l.ack_off + n * 4, "n=%u", n);
		cr_assert_eq(l.ring_off % 64, 0, "n=%u", n);
		cr_assert(l.rings_in_dram || l.slot_bytes % 64 == 0, "n=%u", n);
		cr_assert_eq(l.slots & (l.slots - 1), 0, "n=%u", n);
		cr_assert_leq(l.shared_used, 32 * MB, "n=%u", n);
	}
}

Test(layout, without_shared_dram_payload_stays_inline)
{
	struct mpbc_layout l;

	cr_assert_eq(mpbc_layout_compute(48, 8192, 0, 0, &l), 0);
	cr_assert_eq(l.bulk_bytes, 0);
	cr_assert_eq(l.shared_used, 0);
	cr_assert_eq(l.inline_lines, 1);
}

Test(layout, mesh32x32_full_job_moves_rings_to_shared_dram)
{
	struct mpbc_layout l;

	cr_assert_eq(mpbc_layout_compute(1024, 16384, 256 * MB, 0, &l), 0);
	cr_assert_eq(l.rings_in_dram, 1);
	cr_assert_eq(l.slots, 2);
	cr_assert_eq(l.inline_lines, 0);
	cr_assert_eq(l.bulk_off, 1024ull * 1024 * 64);
	cr_assert_eq(l.bulk_bytes, 32);
	cr_assert_leq(l.shared_used, 128 * MB);
}

Test(layout, job_that_fits_nowhere_returns_enomem)
{
	struct mpbc_layout l;

	cr_assert_eq(mpbc_layout_compute(1024, 16384, 64 * MB, 0, &l), -ENOMEM);
}

Test(layout, zero_ranks_returns_einval)
{
	struct mpbc_layout l;

	cr_assert_eq(mpbc_layout_compute(0, 8192, 0, 0, &l), -EINVAL);
}
