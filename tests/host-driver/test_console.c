// SPDX-License-Identifier: MIT
/* test_console.c: the host side of the console ring (host-driver/console.c). */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "hd_impl.h"

#define RING 64u

struct sink {
	char text[1024];
	size_t len;
	int fds[16], n;
};

static void collect(void *arg, int fd, const char *data, size_t n)
{
	struct sink *s = arg;

	memcpy(s->text + s->len, data, n);
	s->len += n;
	s->fds[s->n++] = fd;
}

/* What tile-kernel/console.c does (board.h's record): header word, bytes, padding;
 * wrapping at the end. */
static void put(struct tessera_ring_ctl *c, uint8_t *ring, int fd, const char *s)
{
	uint32_t len = (uint32_t)strlen(s), hdr = tessera_console_hdr((uint32_t)fd, len);
	uint8_t rec[256] = { 0 };
	uint32_t total = tessera_console_rec_bytes(len);

	memcpy(rec, &hdr, 4);
	memcpy(rec + 4, s, len);
	for (uint32_t i = 0; i < total; i++)
		ring[(c->head + i) & (RING - 1)] = rec[i];
	c->head += total;
}

Test(console, records_come_out_in_order_with_their_fd)
{
	struct tessera_ring_ctl c = { 0 };
	uint8_t ring[RING];
	struct sink s = { 0 };

	put(&c, ring, 1, "out ");
	put(&c, ring, 2, "err");
	cr_assert_eq(hd_console_drain(&c, ring, RING, collect, &s), 16);
	cr_assert_eq(s.len, 7);
	cr_assert_eq(memcmp(s.text, "out err", 7), 0);
	cr_assert_eq(s.fds[0], 1);
	cr_assert_eq(s.fds[1], 2);
	cr_assert_eq(c.tail, c.head);
}

Test(console, record_wrapping_the_end_is_reassembled)
{
	struct tessera_ring_ctl c = { .head = 56, .tail = 56 };
	uint8_t ring[RING];
	struct sink s = { 0 };

	put(&c, ring, 1, "wrapped around!");
	cr_assert_eq(hd_console_drain(&c, ring, RING, collect, &s), 20);
	cr_assert_eq(s.len, 15);
	cr_assert_eq(memcmp(s.text, "wrapped around!", 15), 0);
}

Test(console, free_running_counters_survive_overflow)
{
	struct tessera_ring_ctl c = { .head = UINT32_MAX - 3, .tail = UINT32_MAX - 3 };
	uint8_t ring[RING];
	struct sink s = { 0 };

	put(&c, ring, 1, "x");
	cr_assert_eq(hd_console_drain(&c, ring, RING, collect, &s), 8);
	cr_assert_eq(s.text[0], 'x');
	cr_assert_eq(c.tail, 4);
}

Test(console, empty_ring_moves_nothing)
{
	struct tessera_ring_ctl c = { .head = 8, .tail = 8 };
	uint8_t ring[RING];
	struct sink s = { 0 };

	cr_assert_eq(hd_console_drain(&c, ring, RING, collect, &s), 0);
	cr_assert_eq(s.n, 0);
}

Test(console, corrupt_length_resets_the_ring)
{
	struct tessera_ring_ctl c = { 0 };
	uint8_t ring[RING] = { 0 };
	uint32_t bad = tessera_console_hdr(1, 4000);	/* longer than what was written */
	struct sink s = { 0 };

	memcpy(ring, &bad, 4);
	c.head = 8;
	cr_assert_eq(hd_console_drain(&c, ring, RING, collect, &s), -EPROTO);
	cr_assert_eq(c.tail, 8);
	cr_assert_eq(s.n, 0);
}

Test(console, head_beyond_ring_size_is_corrupt)
{
	struct tessera_ring_ctl c = { .head = RING + 4, .tail = 0 };
	uint8_t ring[RING] = { 0 };
	struct sink s = { 0 };

	cr_assert_eq(hd_console_drain(&c, ring, RING, collect, &s), -EPROTO);
}

Test(console, bad_fd_is_corrupt)
{
	struct tessera_ring_ctl c = { 0 };
	uint8_t ring[RING];
	struct sink s = { 0 };

	put(&c, ring, 7, "abc");
	cr_assert_eq(hd_console_drain(&c, ring, RING, collect, &s), -EPROTO);
}
