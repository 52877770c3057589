// SPDX-License-Identifier: MIT
/*
 * deadlock.c: the deadlock decision (deadlock.h says when a job counts as deadlocked), and
 * the wait-for chain that names it. Pure: what it knows comes in through its arguments.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tessera/board.h"
#include "deadlock.h"
#include "hd_impl.h"

#define FNV_OFFSET 1469598103934665603ull
#define FNV_PRIME 1099511628211ull

void hd_deadlock_init(struct hd_deadlock *d, double limit_s)
{
	memset(d, 0, sizeof(*d));
	if (isfinite(limit_s) && limit_s > 0)
		d->limit_ns = limit_s >= 1e9 ? UINT64_MAX : (uint64_t)(limit_s * 1e9);
}

static int waits_for_a_rank(uint32_t kind)
{
	return kind == TESSERA_WAIT_RECV || kind == TESSERA_WAIT_SSEND ||
	       kind == TESSERA_WAIT_SEND || kind == TESSERA_WAIT_COLL ||
	       kind == TESSERA_WAIT_RMA_LOCK || kind == TESSERA_WAIT_FILE_LOCK;
}

/* The rank waits for another, sleeps in its halt, and no other core is about to wake it (the
 * host's wake-ups change what the digest sees if they wake it at all). */
static int blocked(const struct hd_dl_rank *r)
{
	return r->state == TESSERA_CORE_RUNNING && waits_for_a_rank(r->wait_kind) && r->asleep &&
	       !(r->irq & TESSERA_IRQ_PEER);
}

static uint64_t digest(const struct hd_dl_rank *rank, uint32_t nranks)
{
	uint64_t h = FNV_OFFSET;

	for (uint32_t i = 0; i < nranks; i++) {
		const struct hd_dl_rank *r = &rank[i];
		uint64_t v[] = { r->state, r->wait_kind, (uint32_t)r->wait_peer, (uint32_t)r->wait_tag,
				 r->wait_comm, r->wait_seq, r->asleep, r->irq, r->wakeups,
				 r->msgs_sent, r->bytes_sent, r->msgs_recv, r->bytes_recv };

		for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
			h = (h ^ v[k]) * FNV_PRIME;
	}
	return h;
}

static const char *wait_name(uint32_t kind)
{
	switch (kind) {
	case TESSERA_WAIT_SSEND: return "waits for a receive by";
	case TESSERA_WAIT_SEND: return "waits for room at";
	case TESSERA_WAIT_COLL: return "waits in a collective for";
	default: return "waits for";
	}
}

/* Follow who waits for whom from rank `from` until a rank repeats or the chain leaves the
 * blocked ranks (any source, a rank that exited or stopped). */
static void chain(const struct hd_dl_rank *rank, uint32_t nranks, uint32_t from, char *buf,
		  size_t n)
{
	uint8_t seen[TESSERA_MAX_CORES / 8] = { 0 };
	uint32_t r = from;

	buf[0] = 0;
	hd_appendf(buf, n, "deadlock: ");
	for (uint32_t steps = 0; steps <= nranks; steps++) {
		const struct hd_dl_rank *s = &rank[r];
		char comm[32] = "MPI_COMM_WORLD";

		if (steps)
			hd_appendf(buf, n, " -> ");
		if (s->state != TESSERA_CORE_RUNNING) {
			hd_appendf(buf, n, "rank %u (%s)", r,
				   s->state == TESSERA_CORE_EXITED ? "exited" : "stopped");
			return;
		}
		if (seen[r / 8] & (1u << (r % 8))) {
			hd_appendf(buf, n, "rank %u", r);
			return;
		}
		seen[r / 8] |= (uint8_t)(1u << (r % 8));
		if (s->wait_comm)
			snprintf(comm, sizeof(comm), "comm %u", s->wait_comm);
		if (s->wait_kind == TESSERA_WAIT_RMA_LOCK || s->wait_kind == TESSERA_WAIT_FILE_LOCK) {
			/* the tag is the rank whose window part or file the lock guards */
			const char *what = s->wait_kind == TESSERA_WAIT_RMA_LOCK ? "window" : "file";

			if (s->wait_peer < 0 || (uint32_t)s->wait_peer >= nranks) {
				hd_appendf(buf, n, "rank %u waits for the %s lock of rank %d (%s)", r, what,
					   s->wait_tag, comm);
				return;
			}
			hd_appendf(buf, n, "rank %u waits for the %s lock of rank %d held by rank %d (%s)",
				   r, what, s->wait_tag, s->wait_peer, comm);
			r = (uint32_t)s->wait_peer;
			continue;
		}
		if (s->wait_peer < 0 || (uint32_t)s->wait_peer >= nranks) {
			hd_appendf(buf, n, "rank %u %s any rank (tag %d, %s)", r, wait_name(s->wait_kind),
				   s->wait_tag, comm);
			return;
		}
		hd_appendf(buf, n, "rank %u %s rank %d (tag %d, %s)", r, wait_name(s->wait_kind),
			   s->wait_peer, s->wait_tag, comm);
		r = (uint32_t)s->wait_peer;
	}
}

int hd_deadlock_step(struct hd_deadlock *d, const struct hd_dl_rank *rank, uint32_t nranks,
		     uint64_t now_ns, char *detail, size_t detail_n)
{
	uint32_t live = 0, stuck = 0, first = 0;
	uint64_t h;

	if (!d->limit_ns || !nranks || nranks > TESSERA_MAX_CORES)
		return 0;
	for (uint32_t i = 0; i < nranks; i++) {
		if (rank[i].state != TESSERA_CORE_RUNNING && rank[i].state != TESSERA_CORE_BOOTING)
			continue;
		live++;
		if (blocked(&rank[i]) && !stuck++)
			first = i;
	}
	h = digest(rank, nranks);
	if (!live || stuck < live || !d->still || h != d->digest) {
		d->digest = h;
		d->still = live && stuck == live;
		d->still_since_ns = now_ns;
		return 0;
	}
	if (now_ns < d->still_since_ns || now_ns - d->still_since_ns < d->limit_ns)
		return 0;
	if (detail && detail_n)
		chain(rank, nranks, first, detail, detail_n);
	return 1;
}

int hd_deadlock_step_hosts(struct hd_deadlock *d, const struct hd_dl_rank *rank, uint32_t nranks,
			   const uint64_t *heard_ns, uint32_t nhosts, char *detail,
			   size_t detail_n)
{
	uint64_t known = UINT64_MAX;

	for (uint32_t h = 0; h < nhosts; h++)
		if (heard_ns[h] < known)
			known = heard_ns[h];
	return nhosts && known ? hd_deadlock_step(d, rank, nranks, known, detail, detail_n) : 0;
}
