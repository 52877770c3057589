/* SPDX-License-Identifier: MIT */
/*
 * win_flag.c: active target synchronisation through flags in shared DRAM: the barrier of
 * MPI_Win_fence, the POST and DONE notices of post-start-complete-wait, and the wait that
 * serves them all. Not the epoch rules (win_sync.c) nor the messages (win_am.c).
 *
 * Every rank's part of the window's control block (shared DRAM, win_create.c) ends in a
 * line-aligned array of 32-bit counters, each written by one rank only: the fence slots (one
 * per round of a dissemination barrier: in round k rank r writes the slot of rank r + 2^k),
 * then per rank of the window how many POSTs it gave this rank, then how many DONEs. A
 * counter only grows, so a reader compares it with what it has used so far and never needs
 * it reset. A drained write-combining buffer writes only the bytes written, so counters of
 * different writers may share a line (tile-kernel/coherence.c). The writer drains its WCB
 * and then interrupts the reader's core if it halts (the tk.h handshake); the reader
 * invalidates before it looks.
 *
 * A message barrier costs each round a message and its wake-up; a flag costs a line written
 * and read. Waiting, a rank spins while the rank it waits for runs (a short while: its flag
 * is likely near), yields the host CPU instead when ranks outnumber them (the writer may
 * need it), and halts otherwise, until interrupted: an idle core costs nothing. It keeps
 * progressing meanwhile (every MPII_FLAG_POLL looks): the rank it waits for may first need
 * its own requests served (a FLUSH of a private window). Under virtual time
 * (docs/timing.md) the wait is one of the clock: it does not spin, looks that find nothing
 * cost nothing, it ends at the published time of the rank it waited for, and under
 * --deterministic its halt hands the turn on (tk_halt_for_peer).
 */
#include "mpii_win.h"
#include "tk.h"

/* Rounds of a dissemination barrier over n ranks. */
static int rounds(int n)
{
	int k = 0;

	while ((1 << k) < n)
		k++;
	return k;
}

size_t mpii_win_flag_bytes(int n)
{
	size_t b = 4 * ((size_t)rounds(n) + 2 * (size_t)n);

	return (b + TESSERA_LINE_BYTES - 1) & ~(size_t)(TESSERA_LINE_BYTES - 1);
}

/* Counter i of rank r's flags. */
static uintptr_t flag(struct mpii_win *w, int r, int i)
{
	return mpii_win_ctl(w, r) + w->flag_off + 4 * (uintptr_t)i;
}

static uintptr_t fence_slot(struct mpii_win *w, int r, int k)
{
	return flag(w, r, k);
}

static uintptr_t post_slot(struct mpii_win *w, int r, int from)
{
	return flag(w, r, rounds(w->size) + from);
}

static uintptr_t done_slot(struct mpii_win *w, int r, int from)
{
	return flag(w, r, rounds(w->size) + w->size + from);
}

/* Rank `to` sees v at a: written, drained, and its core woken if it may be halted. */
static void flag_set(struct mpii_win *w, uintptr_t a, uint32_t v, int to)
{
	uint32_t core = mpii_win_core(w, to);

	tk_mpb_write32(a, v);
	tk_wcb_flush();
	if (to != w->rank && tk_core_halted(core))
		tk_irq_send(core);
}

static uint32_t flag_get(uintptr_t a)
{
	return tk_mpb_read32(a);
}

/* v has reached want (counters wrap). */
static int reached(uint32_t v, uint32_t want)
{
	return (int32_t)(v - want) >= 0;
}

/* One look at the flags: the rank still waited for, or -1. Under virtual time a look that
 * finds nothing costs nothing (the core would have looked until the flag landed). */
static int look(struct mpii_win *w, mpii_win_pending *pending, void *arg)
{
	uint64_t t = tk_vt_save();
	int who;

	tk_cl1invmb();
	if ((who = pending(w, arg)) >= 0)
		tk_vt_rewind(t);
	return who;
}

void mpii_win_await(struct mpii_win *w, mpii_win_pending *pending, void *arg)
{
	uint64_t t0 = tk_cycles();
	int yield = mpii_oversubscribed(), published = 0, who, last;
	/* under virtual time no spinning: the looks of a spin would be charged by the host's
	 * timing (the progress between them), and under --deterministic nobody else runs */
	uint64_t limit = tk_vt_on() ? 0 : yield ? MPII_FLAG_YIELD_CYCLES : MPII_FLAG_SPIN_CYCLES;

	tk_cl1invmb();
	if ((who = pending(w, arg)) < 0)
		return;
	tk_vt_wait_begin();
	for (unsigned i = 1;; i++) {
		if (i % MPII_FLAG_POLL == 0) {
			mpii_progress();
			mpii_idle_ack();
		}
		last = who;
		if ((who = look(w, pending, arg)) < 0)
			break;
		/* where a halt only switches to another core of this host thread, halt at once */
		if (!tk_halt_is_cheap() && !tk_core_halted(mpii_win_core(w, who)) &&
		    tk_cycles() - t0 < limit) {
			if (!yield) {
				tk_relax();
				continue;
			}
			if (tk_yield())
				continue;
			/* a VM gives its CPU away only by halting */
		}
		if (!published) {
			tk_wait_set(TESSERA_WAIT_COLL, w->comm->local->wr[who], 0, w->comm->ctx);
			published = 1;
		}
		/* announce the halt, then look once more (messages too): whatever comes after
		 * this look interrupts us */
		tk_halt_prepare();
		mpii_progress();
		mpii_idle_ack();
		if (look(w, pending, arg) >= 0)
			tk_halt_for_peer(0);
		tk_halt_done();
		t0 = tk_cycles();
	}
	tk_vt_wait_end();
	/* the flags carry no time: the clock the rank last waited for published (on entering
	 * the runtime, at the end of its own waits) stands for when its flag landed */
	tk_vt_arrive(tk_vt_of(mpii_win_core(w, last)));
	if (published)
		tk_wait_set(TESSERA_WAIT_NONE, -1, 0, 0);
}

/* ---- The fence barrier ---- */

struct fence_wait {
	uintptr_t slot;
	uint32_t epoch;
	int from;
};

static int fence_pending(struct mpii_win *w, void *arg)
{
	struct fence_wait *f = arg;

	(void)w;
	return reached(flag_get(f->slot), f->epoch) ? -1 : f->from;
}

void mpii_win_barrier(struct mpii_win *w)
{
	uint32_t e = ++w->fence_epoch;

	for (int k = 0, d = 1; d < w->size; k++, d <<= 1) {
		int to = (w->rank + d) % w->size;
		struct fence_wait f = { fence_slot(w, w->rank, k), e, (w->rank - d + w->size) % w->size };

		flag_set(w, fence_slot(w, to, k), e, to);
		mpii_win_await(w, fence_pending, &f);
	}
}

/* ---- POST and DONE notices ---- */

void mpii_win_post_to(struct mpii_win *w, int origin)
{
	flag_set(w, post_slot(w, origin, w->rank), ++w->post_sent[origin], origin);
}

void mpii_win_done_to(struct mpii_win *w, int target)
{
	flag_set(w, done_slot(w, target, w->rank), ++w->done_sent[target], target);
}

int mpii_win_posted(struct mpii_win *w, int target)
{
	return !reached(w->post_used[target], flag_get(post_slot(w, w->rank, target)));
}

int mpii_win_done_from(struct mpii_win *w, int origin)
{
	return w->done_seen[origin] > 0 ||
	       !reached(w->done_used[origin], flag_get(done_slot(w, w->rank, origin)));
}

void mpii_win_done_take(struct mpii_win *w, int origin)
{
	if (w->done_seen[origin] > 0)
		w->done_seen[origin]--;		/* a DONE message (win_am.c) */
	else
		w->done_used[origin]++;
}
