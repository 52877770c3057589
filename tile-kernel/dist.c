// SPDX-License-Identifier: MIT
/*
 * dist.c: a core's side of a board spread over several hosts (TESSERA_BOOT_DIST): where
 * memory lives, and the hand-offs to this core's host of what the core cannot reach itself.
 * Not when memory is stored or loaded (coherence.c decides, this file carries the stores and
 * loads whose home is elsewhere), nor locks and interrupts themselves (halt.c). The host's
 * side is host-driver/dist.c; the protocol and why it is correct: docs/distributed.md.
 *
 * Homes (bootinfo.core_host): the MPB of a tile is on the host of the tile; shared DRAM is on
 * every host (each holds a replica: a store goes into the local one and is handed off for
 * the others); board registers and the test-and-set lock of a core are on the core's host;
 * the atomic counters on host 0; the rest (private DRAM, host window) is the core's own.
 *
 * Hand-offs go into the open entry of the outbox (board.h: dist_out), in program order, and
 * an entry is published (ticket, head) before anything of this core becomes visible on its
 * own host (a local store, a local register), before a request, at a flush, when it is full,
 * and before the core may wait (CL1INVMB, halt, host call, exit). Publishing keeps the order
 * the chip gives: stores leave the write-combining buffer in program order, so what a core
 * stored before is visible before what it stores after, wherever the two live.
 */
#include <errno.h>
#include <string.h>
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"

#define ENTRY_MAX	(TESSERA_DIST_OUT_BYTES / 4)	/* an entry's bytes at most */
#define RING_MASK	(TESSERA_DIST_OUT_BYTES - 1)

static struct {
	uint32_t known;		/* the boot flags were looked at */
	uint32_t on;		/* TESSERA_BOOT_DIST */
	uint32_t me;		/* this host */
	uint32_t open;		/* an entry is being written at `start` */
	uint32_t start;		/* free-running offset in dist_out of the open entry */
	uint32_t fill;		/* its bytes so far, header included */
	uint32_t unrung;	/* entries published since the host was last rung */
	uint32_t seq;		/* of the last request */
} d;

static volatile struct tessera_dist_ctl *ctl(void)
{
	return &tk_hostwin()->dist_ctl;
}

static uint8_t *out_at(uint32_t off)
{
	return (uint8_t *)tk_hostwin()->dist_out + (off & RING_MASK);
}

int tk_dist_on(void)
{
	if (__builtin_expect(!d.known, 0)) {
		d.on = (tk_flags() & TESSERA_BOOT_DIST) != 0;
		d.me = tk_bi()->dist_host;
		d.known = 1;
	}
	return (int)d.on;
}

int tk_dist_core_remote(uint32_t core)
{
	return tk_dist_on() && core < TESSERA_MAX_CORES && tk_bi()->core_host[core] != d.me;
}

/*
 * The home of the bytes at a (TK_DIST_HERE, TK_DIST_EVERYWHERE or a host) and how many of
 * the n from a share it.
 */
size_t tk_dist_span(uintptr_t a, size_t n, int *home)
{
	const struct tessera_geom *g = tk_geom();
	uintptr_t shared_end = TESSERA_ADDR_SHARED + ((uintptr_t)g->shared_mb << 20);
	uintptr_t stride = tessera_tile_stride(g), end;

	if (a >= TESSERA_ADDR_SHARED && a < shared_end) {
		*home = TK_DIST_EVERYWHERE;
		end = shared_end;
	} else if (a >= TESSERA_ADDR_MPB && a < TESSERA_ADDR_MPB + tessera_tiles(g) * stride) {
		uint32_t tile = (uint32_t)((a - TESSERA_ADDR_MPB) / stride);
		uint32_t host = tk_bi()->core_host[tile * g->cores_per_tile];

		*home = host == d.me ? TK_DIST_HERE : (int)host;
		end = TESSERA_ADDR_MPB + (tile + 1) * stride;
	} else {
		*home = TK_DIST_HERE;
		return n;
	}
	return end - a < n ? end - a : n;
}

/* Close the open entry: its ticket, then the head that publishes it. */
void tk_dist_publish(void)
{
	struct tessera_dist_entry *e;

	if (!d.open)
		return;
	e = (struct tessera_dist_entry *)out_at(d.start);
	e->bytes = d.fill;
	e->ticket = __atomic_fetch_add(&tk_boardreg_global()->dist_ticket, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ctl()->head, d.start + d.fill, __ATOMIC_RELEASE);
	d.open = 0;
	d.unrung++;
}

void tk_dist_ship(void)
{
	if (!tk_dist_on())
		return;
	tk_dist_publish();
	if (d.unrung) {
		d.unrung = 0;
		arch_host_notify();
	}
}

static int fits(uint32_t from, uint32_t need)
{
	return from + need - __atomic_load_n(&ctl()->tail, __ATOMIC_ACQUIRE) <= TESSERA_DIST_OUT_BYTES;
}

struct span {
	uint32_t from, need;
};

static int span_fits(const void *arg)
{
	const struct span *sp = arg;

	return fits(sp->from, sp->need);
}

/* Until the host has consumed enough of dist_out that `need` bytes from `from` fit (no
 * entry is open: what is published goes to the host meanwhile; the halt ships it). */
static void room_wait(uint32_t from, uint32_t need)
{
	struct span sp = { from, need };

	tk_dist_ship();
	tk_wait_host(span_fits, &sp, &ctl()->waiting, 1);
}

/* Room for an item of `bytes` in the open entry: an entry too full, or without room behind
 * it, is published first; a new one starts after a pad entry at the ring's end when it might
 * not fit before it. Returns where the item goes. */
static uint8_t *item_room(uint32_t bytes)
{
	uint32_t head, to_end;

	if (d.open && (d.fill + bytes > ENTRY_MAX || !fits(d.start, d.fill + bytes)))
		tk_dist_publish();
	if (!d.open) {
		head = __atomic_load_n(&ctl()->head, __ATOMIC_RELAXED);
		to_end = TESSERA_DIST_OUT_BYTES - (head & RING_MASK);
		if (to_end < ENTRY_MAX) {
			struct tessera_dist_entry *pad;

			room_wait(head, to_end);
			pad = (struct tessera_dist_entry *)out_at(head);
			pad->ticket = TESSERA_DIST_PAD;
			pad->bytes = to_end;
			head += to_end;
		}
		room_wait(head, (uint32_t)sizeof(struct tessera_dist_entry) + bytes);
		d.start = head;
		d.fill = sizeof(struct tessera_dist_entry);
		d.open = 1;
	}
	d.fill += bytes;
	return out_at(d.start + d.fill - bytes);
}

static void item_put(uint16_t kind, uint32_t addr, uint32_t arg, uint32_t x, const void *data,
		     uint32_t len)
{
	uint32_t padded = (len + 7) & ~7u;
	uint8_t *p = item_room((uint32_t)sizeof(struct tessera_dist_item) + padded);
	struct tessera_dist_item it = { kind, (uint16_t)len, addr, arg, x };

	memcpy(p, &it, sizeof(it));
	if (len)
		memcpy(p + sizeof(it), data, len);
}

void tk_dist_put(uintptr_t a, const void *src, size_t n)
{
	const uint8_t *s = src;

	while (n) {
		uint32_t k = n < TESSERA_DIST_WRITE_MAX ? (uint32_t)n : TESSERA_DIST_WRITE_MAX;

		item_put(TESSERA_DIST_WRITE, (uint32_t)a, 0, 0, s, k);
		a += k;
		s += k;
		n -= k;
	}
}

void tk_dist_oneway(uint16_t kind, uint32_t addr, uint32_t arg, uint32_t x)
{
	item_put(kind, addr, arg, x, NULL, 0);
}

static int answered(const void *seq)
{
	return __atomic_load_n(&ctl()->resp_seq, __ATOMIC_ACQUIRE) == *(const uint32_t *)seq;
}

/* Hand off a request, ring the host, halt until it is answered; returns the answer. */
int64_t tk_dist_call(uint16_t kind, uint32_t addr, uint32_t arg)
{
	volatile struct tessera_dist_ctl *k = ctl();
	uint32_t seq = ++d.seq;

	item_put(kind, addr, arg, seq, NULL, 0);
	tk_dist_ship();
	tk_wait_host(answered, &seq, NULL, 1);
	return k->ret;
}

void tk_dist_fetch(void *dst, uintptr_t a, size_t n)
{
	uint8_t *p = dst;

	while (n) {
		uint32_t k = n < TESSERA_DIST_IN_BYTES ? (uint32_t)n : TESSERA_DIST_IN_BYTES;
		int64_t got = tk_dist_call(TESSERA_DIST_FETCH, (uint32_t)a, k);

		if (got != (int64_t)k)
			tk_panic("tk_dist_fetch: %u bytes at 0x%lx: the host answered %lld", k,
				 (unsigned long)a, (long long)got);
		memcpy(p, (const void *)tk_hostwin()->dist_in, k);
		p += k;
		a += k;
		n -= k;
	}
}
