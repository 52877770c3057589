// SPDX-License-Identifier: MIT
/*
 * console.c: this core's standard output and error, as records (board.h says their format)
 * in the console ring of its host window (struct tessera_ring_ctl + console[]), drained by
 * the host. When the ring is full the core halts until the host has made room: output is
 * never dropped.
 */
#include <string.h>
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"

static uint32_t room(volatile struct tessera_ring_ctl *c)
{
	return TESSERA_CONSOLE_BYTES - (c->head - __atomic_load_n(&c->tail, __ATOMIC_ACQUIRE));
}

static void ring_put(volatile uint8_t *ring, uint32_t pos, const void *src, uint32_t n)
{
	uint32_t at = pos & (TESSERA_CONSOLE_BYTES - 1);
	uint32_t first = n < TESSERA_CONSOLE_BYTES - at ? n : TESSERA_CONSOLE_BYTES - at;

	memcpy((void *)(ring + at), src, first);
	memcpy((void *)ring, (const uint8_t *)src + first, n - first);
}

struct need {
	volatile struct tessera_ring_ctl *c;
	uint32_t bytes;
};

static int has_room(const void *arg)
{
	const struct need *n = arg;

	return room(n->c) >= n->bytes;
}

/* Wait until the host has freed `need` bytes: it interrupts us when it moves the tail and
 * finds `waiting` set (tk_wait_host: no timed polling, and safe inside a halt window). */
static void wait_room(volatile struct tessera_ring_ctl *c, uint32_t need)
{
	struct need n = { c, need };

	tk_wait_host(has_room, &n, &c->waiting, 1);
}

void tk_console_put(int fd, const void *buf, size_t n)
{
	volatile struct tessera_hostwin *hw = tk_hostwin();
	volatile struct tessera_ring_ctl *c = &hw->console_ctl;
	const uint8_t *p = buf;

	while (n) {
		uint32_t len = n < TESSERA_CONSOLE_REC_MAX ? (uint32_t)n : TESSERA_CONSOLE_REC_MAX;
		uint32_t hdr = tessera_console_hdr((uint32_t)fd, len);
		uint32_t total = tessera_console_rec_bytes(len);

		wait_room(c, total);
		ring_put(hw->console, c->head, &hdr, 4);
		ring_put(hw->console, c->head + 4, p, len);
		__atomic_store_n(&c->head, c->head + total, __ATOMIC_RELEASE);
		p += len;
		n -= len;
	}
	arch_host_notify();
}

void tk_console_sync(void)
{
	volatile struct tessera_ring_ctl *c = &tk_hostwin()->console_ctl;

	if (room(c) < TESSERA_CONSOLE_BYTES) {
		arch_host_notify();
		wait_room(c, TESSERA_CONSOLE_BYTES);
	}
}

void tk_console_write(const void *buf, size_t n)
{
	tk_console_put(1, buf, n);
}
