// SPDX-License-Identifier: MIT
/*
 * test_ring.c: mpb-channels/ring.c: ring arithmetic, wrap-around of the free-running
 * counters, flow control at a full ring, record checks, and what the strict model makes of
 * a record that was not published. One thread plays the sender (core 0) and the receiver
 * (core 1) through the HAL fake; the ring lives in core 1's MPB, its chunks in shared DRAM.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "hal_fake.h"
#include "mpbc_impl.h"
#include "tk.h"

static struct mpbc_ring ring;

static void board(uint32_t flags)
{
	struct tessera_geom g;

	hal_fake_geom("scc48", 1, &g);
	cr_assert_eq(hal_fake_board(&g, 2, NULL, flags), 0);
	ring.slots_addr = tessera_core_mpb_addr(&g, 1) + 256;
	ring.bulk_addr = TESSERA_ADDR_SHARED;
	ring.ack_addr = tessera_core_mpb_addr(&g, 0) + 32;
	ring.slots = 4;
	ring.slot_bytes = 64;
	ring.bulk_bytes = 256;
	hal_fake_core(1);
	mpbc_ring_clear(&ring);
	tk_wcb_flush();
}

static void host_board(void)
{
	board(0);
}

static void strict_board(void)
{
	board(TESSERA_BOOT_STRICT);
}

static void teardown(void)
{
	hal_fake_board_free();
}

static struct mpbc_hdr hdr(uint32_t len, uint32_t kind)
{
	struct mpbc_hdr h;

	memset(&h, 0, sizeof(h));
	h.env.w[0] = 0xabcd;
	h.msg_len = len;
	h.frag_len = len;
	h.kind = kind;
	return h;
}

/* Post record k from core 0 with a payload of len bytes of value v; returns the result. */
static int post(uint32_t k, uint32_t acked, uint32_t len, uint8_t v)
{
	uint8_t data[256];
	uint32_t kind;
	struct mpbc_hdr h;
	int rc;

	memset(data, v, sizeof(data));
	cr_assert_eq(mpbc_ring_frag(&ring, len, &kind), len);
	h = hdr(len, kind | MPBC_REC_FIRST);
	hal_fake_core(0);
	rc = mpbc_ring_post(&ring, k, acked, &h, data, 0);
	mpbc_ring_publish(0);
	return rc;
}

static int look(uint32_t k, struct mpbc_hdr *h)
{
	hal_fake_core(1);
	mpbc_ring_invalidate(0);
	return mpbc_ring_look(&ring, k, h);
}

TestSuite(ring, .init = host_board, .fini = teardown);

Test(ring, copy_of_0_to_40_bytes_moves_exactly_those)
{
	uint8_t src[40], dst[42];
	size_t n, i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i + 1);
	for (n = 0; n <= sizeof(src); n++) {
		memset(dst, 0xee, sizeof(dst));
		mpbc_copy(dst + 1, src, n);
		cr_assert_eq(dst[0], 0xee);
		cr_assert_eq(memcmp(dst + 1, src, n), 0, "%zu bytes", n);
		cr_assert_eq(dst[n + 1], 0xee, "%zu bytes", n);
	}
}

Test(ring, room_counts_free_slots)
{
	cr_assert_eq(mpbc_ring_room(&ring, 5, 3), 2);
	cr_assert_eq(mpbc_ring_room(&ring, 7, 3), 0);
	cr_assert_eq(mpbc_ring_room(&ring, 3, 3), 4);
}

Test(ring, room_is_right_across_counter_wrap)
{
	cr_assert_eq(mpbc_ring_room(&ring, 1, UINT32_MAX - 1), 1);
	cr_assert_eq(mpbc_ring_room(&ring, 2, UINT32_MAX - 1), 0);
}

Test(ring, small_payload_goes_inline_big_payload_goes_bulk)
{
	uint32_t kind;

	cr_assert_eq(mpbc_ring_frag(&ring, 32, &kind), 32);
	cr_assert_eq(kind, 0);
	cr_assert_eq(mpbc_ring_frag(&ring, 33, &kind), 33);
	cr_assert_eq(kind, MPBC_REC_BULK);
	cr_assert_eq(mpbc_ring_frag(&ring, 1000, &kind), 256);
	cr_assert_eq(kind, MPBC_REC_BULK);
	cr_assert_eq(mpbc_ring_frag(&ring, 0, &kind), 0);
	cr_assert_eq(kind, 0);
}

Test(ring, empty_ring_look_returns_eagain)
{
	struct mpbc_hdr h;

	cr_assert_eq(look(0, &h), -EAGAIN);
}

Test(ring, posted_record_is_seen_with_its_payload)
{
	struct mpbc_hdr h;
	uint8_t out[20];

	cr_assert_eq(post(0, 0, 20, 0x42), 0);
	cr_assert_eq(look(0, &h), 0);
	cr_assert_eq(h.env.w[0], 0xabcd);
	cr_assert_eq(h.frag_len, 20);
	cr_assert_eq(h.seq, 1);
	mpbc_ring_copy(&ring, 0, &h, out, sizeof(out));
	for (int i = 0; i < 20; i++)
		cr_assert_eq(out[i], 0x42);
}

Test(ring, full_ring_returns_eagain)
{
	uint32_t k;

	for (k = 0; k < 4; k++)
		cr_assert_eq(post(k, 0, 8, (uint8_t)k), 0);
	cr_assert_eq(post(4, 0, 8, 4), -EAGAIN);
	cr_assert_eq(post(4, 1, 8, 4), 0);
}

Test(ring, full_ring_leaves_unread_records_intact)
{
	struct mpbc_hdr h;
	uint8_t out[8];
	uint32_t k;

	for (k = 0; k < 4; k++)
		cr_assert_eq(post(k, 0, 8, (uint8_t)(0x10 + k)), 0);
	cr_assert_eq(post(4, 0, 8, 0xff), -EAGAIN);
	for (k = 0; k < 4; k++) {
		cr_assert_eq(look(k, &h), 0);
		mpbc_ring_copy(&ring, k, &h, out, 8);
		cr_assert_eq(out[7], 0x10 + k);
	}
}

Test(ring, slots_are_reused_after_wrap)
{
	struct mpbc_hdr h;
	uint8_t out[40];
	uint32_t k;

	for (k = 0; k < 9; k++) {
		cr_assert_eq(post(k, k, 40, (uint8_t)k), 0);
		cr_assert_eq(look(k, &h), 0);
		mpbc_ring_copy(&ring, k, &h, out, 40);
		cr_assert_eq(out[39], k);
		cr_assert_eq(look(k + 1, &h), -EAGAIN);
	}
}

Test(ring, counters_wrap_past_uint32_max)
{
	struct mpbc_hdr h;
	uint32_t k = UINT32_MAX - 5, i;

	/* a ring whose counters are near the wrap: slots hold the records S before */
	for (i = 0; i < 4; i++) {
		uint32_t old = k + i - 4;

		memset(&h, 0, sizeof(h));
		h.seq = old + 1;
		hal_fake_core(1);
		tk_mpb_write(ring.slots_addr + ((k + i) & 3) * 64, &h, sizeof(h));
	}
	tk_wcb_flush();
	for (i = 0; i < 10; i++, k++) {
		cr_assert_eq(look(k, &h), -EAGAIN, "k=%u", k);
		cr_assert_eq(post(k, k, 4, (uint8_t)i), 0, "k=%u", k);
		cr_assert_eq(look(k, &h), 0, "k=%u", k);
		cr_assert_eq(h.seq, k + 1);
	}
}

Test(ring, corrupt_flag_returns_eproto)
{
	struct mpbc_hdr h;

	hal_fake_core(0);
	tk_mpb_write32(ring.slots_addr + MPBC_HDR_SEQ_OFF, 3);	/* neither record 0 nor -4 */
	tk_wcb_flush();
	cr_assert_eq(look(0, &h), -EPROTO);
}

Test(ring, oversized_fragment_returns_eproto)
{
	struct mpbc_hdr h = hdr(33, MPBC_REC_FIRST), got;

	h.seq = 1;
	hal_fake_core(0);
	tk_mpb_write(ring.slots_addr, &h, sizeof(h));
	tk_wcb_flush();
	cr_assert_eq(look(0, &got), -EPROTO);
}

Test(ring, ack_reaches_the_sender)
{
	hal_fake_core(1);
	mpbc_ring_ack(&ring, 7, 0);
	hal_fake_core(0);
	mpbc_ring_invalidate(0);
	cr_assert_eq(mpbc_ring_acked(&ring), 7);
}

Test(ring_strict, unpublished_record_is_not_seen, .init = strict_board, .fini = teardown)
{
	struct mpbc_hdr h = hdr(0, MPBC_REC_FIRST), got;
	static const uint8_t none[256];

	hal_fake_core(0);
	cr_assert_eq(mpbc_ring_post(&ring, 0, 0, &h, none, 0), 0);
	cr_assert_eq(look(0, &got), -EAGAIN);
	hal_fake_core(0);
	mpbc_ring_publish(0);
	cr_assert_eq(look(0, &got), 0);
}

Test(ring_strict, payload_is_flushed_before_the_flag, .init = strict_board, .fini = teardown)
{
	struct mpbc_hdr h;
	uint8_t out[20];

	/* the header stays in the WCB; the payload line must already be in memory */
	h = hdr(20, MPBC_REC_FIRST);
	memset(out, 0x77, sizeof(out));
	hal_fake_core(0);
	cr_assert_eq(mpbc_ring_post(&ring, 0, 0, &h, out, 0), 0);
	cr_assert_eq(*(uint8_t *)hal_fake_ptr(ring.slots_addr + 32 + 19), 0x77);
}

Test(ring_strict, stale_slot_needs_an_invalidate, .init = strict_board, .fini = teardown)
{
	struct mpbc_hdr h;

	cr_assert_eq(post(0, 0, 4, 1), 0);
	cr_assert_eq(look(0, &h), 0);
	cr_assert_eq(post(1, 1, 4, 2), 0);
	cr_assert_eq(post(2, 2, 4, 3), 0);
	cr_assert_eq(post(3, 3, 4, 4), 0);
	cr_assert_eq(post(4, 4, 4, 5), 0);	/* slot 0 again */
	hal_fake_core(1);
	cr_assert_eq(mpbc_ring_look(&ring, 4, &h), -EAGAIN);	/* cached copy of record 0 */
	mpbc_ring_invalidate(0);
	cr_assert_eq(mpbc_ring_look(&ring, 4, &h), 0);
}
