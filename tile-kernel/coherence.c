// SPDX-License-Identifier: MIT
/*
 * coherence.c: MPB access for every tile arch (tk_mpb_*, tk_cl1invmb, tk_wcb_flush) and the
 * strict coherence model behind it. Not the locks, interrupts or halting (halt.c).
 *
 * Two modes, chosen once per core from tk_flags():
 *
 * host (default): the board sits in the host's coherent memory, so an MPB access is a plain
 *   load, store or memcpy. What the protocol still needs is order, which the arch's hooks
 *   give (arch.h; on emu: tk_wcb_flush() is a full fence, draining the host's store buffer,
 *   the analogue of draining the WCB, with the store->load order that the halt handshake of
 *   tk.h relies on; tk_cl1invmb() an acquire fence); tk_mpb_write32/read32 are
 *   release/acquire accesses of one aligned word, so a flag written with them is never torn.
 *
 * strict (TESSERA_BOOT_STRICT): this file models in software what an SCC core does with
 *   memory of the MPBT type (the MPB, and shared DRAM mapped MPBT). The model, and where
 *   each fact comes from:
 *   - MPBT data is cached in the core's L1 only, never in L2 (Mattson et al., "The 48-core
 *     SCC processor: the programmer's view", SC10; van der Wijngaart, Mattson, Haas,
 *     "Light-weight communications on Intel's Single-Chip Cloud Computer processor", ACM
 *     SIGOPS OSR 45(1), 2011). Hardware keeps no L1 coherent with any other core.
 *   - The L1 is the P54C data cache: 8 KB, 2-way set associative, 128 sets of 32-byte lines,
 *     one LRU bit per set (Pentium Processor Family Developer's Manual, vol. 1, "On-chip
 *     caches"). A read miss fills the whole line from memory; a read hit returns the cached
 *     copy however stale it is. MPB lines are therefore also lost by capacity: a fill into a
 *     set whose two ways are valid evicts the LRU way. Lines are never dirty (below), so an
 *     eviction just drops the line. Only MPBT lines are modelled: on the chip, private
 *     data competes for the same 8 KB, so real evictions come sooner; a protocol must never
 *     rely on a line staying cached or on it leaving.
 *   - Writes to MPBT memory do not allocate a line in L1 (no write-allocate) and are
 *     written through: a write updates the cached copy if the line is present and goes on
 *     to memory through the write-combining buffer.
 *   - The WCB, added to the P54C for MPBT data, holds one line: it combines writes to that
 *     line (a byte mask says which bytes are pending) and writes them to memory only when a
 *     write to a different line arrives or when software flushes it. RCCE flushes it by
 *     writing a dummy line, which is what tk_wcb_flush() stands for (SC10 paper; the RCCE
 *     and iRCCE reports by Intel Labs and RWTH Aachen).
 *   - CL1INVMB invalidates every MPBT line of the L1 at once, in a single instruction; it
 *     does not touch the WCB (SC10 paper; RCCE's RC_cache_invalidate()).
 *   - A draining line writes only its masked bytes, so two cores writing different bytes of
 *     one line do not clobber each other. An aligned 4-byte word whose four bytes are all
 *     pending lands in one store (the model's promise that flags are never torn; the P6 WC
 *     buffer likewise writes an 8-byte chunk in one transaction, Intel SDM vol. 3, 11.3.1).
 *   Choices where the sources are silent, made so that the model is never kinder than the
 *   hardware: a core sees its own pending WCB bytes (x86 program order); a fill copies the
 *   line's words from the last to the first while a drain stores them first to last, so a
 *   reader that sees a drained line's last word (a flag) sees the whole line, as the MPB's
 *   line-sized transactions guarantee on the chip.
 *   Sources as summarised in the literature; docs/coherence.md has the long form.
 *
 * A board spread over several hosts (TESSERA_BOOT_DIST, docs/distributed.md): memory whose
 *   home is another host is reached through dist.c, at the points the model already has:
 *   a store leaves for its home where it would reach memory (a drain of the WCB under
 *   strict; at once in the host-like mode, DIST), handed off and shipped at the flush; a
 *   load of a remote line fetches it at its home where it would miss (strict: an L1 miss;
 *   DIST: a line not kept since the last CL1INVMB), one request for the whole of a read's
 *   missing lines. Lines homed here are plain memory as above.
 *
 * Under virtual time (--timing=scc, --deterministic) every access, invalidate and flush is
 * also charged to the core's clock by the cost model, in both modes (timing.c).
 *
 * The model is generic C for every arch: memory is reached through TK_MPB_PTR (identity on
 * a tile) and the state through TK_COHERENCE_SELF (a static on a tile), both of which the
 * host fake redirects (see coherence.h). Under strict, the model adds the arch's alias
 * offset to every address: on emu the MPB windows are inaccessible at their SCC addresses
 * and mapped again at the alias, so that a load or store that bypasses this file faults. In both modes tk_cl1invmb and tk_wcb_flush end in
 * the arch's arch_cl1invmb and arch_wcb_flush, so a core that has the instructions runs them.
 */
#include <string.h>
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"
#include "coherence.h"

#ifndef TK_COHERENCE_SELF
static struct tk_coherence coherence_state;
#define TK_COHERENCE_SELF() (&coherence_state)
#endif

#define LINE_MASK ((uintptr_t)TK_L1_LINE - 1)

/* Keeps later loads below this point (x86: the compiler only). */
static inline void fence_acquire(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

/* Keeps earlier loads and stores above the next store (x86: the compiler only). */
static inline void fence_release(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static struct tk_coherence *self(void)
{
	struct tk_coherence *c = TK_COHERENCE_SELF();

	if (__builtin_expect(c->mode == TK_COHERENCE_UNKNOWN, 0)) {
		uint32_t f = tk_flags();
		int strict = (f & TESSERA_BOOT_STRICT) != 0;

		c->dist = (f & TESSERA_BOOT_DIST) && tk_dist_on();
		c->timed = (f & (TESSERA_BOOT_TIMING | TESSERA_BOOT_DET)) != 0;
		c->alias = strict ? arch_mpb_alias() : 0;
		c->mode = strict ? TK_COHERENCE_STRICT :
			  c->dist ? TK_COHERENCE_DIST : TK_COHERENCE_HOST;
	}
	return c;
}

/* Hand off the bytes of a line that mask says were written (contiguous runs of them). */
static void put_masked(uintptr_t line, const uint8_t *data, uint32_t mask)
{
	uint32_t i = 0, j;

	while (i < TK_L1_LINE) {
		if (!(mask & (1u << i))) {
			i++;
			continue;
		}
		for (j = i; j < TK_L1_LINE && (mask & (1u << j)); j++)
			;
		tk_dist_put(line + i, data + i, j - i);
		i = j;
	}
}

static inline uint32_t set_of(uintptr_t line)
{
	return (uint32_t)(line / TK_L1_LINE) & (TK_L1_SETS - 1);
}

static struct tk_l1_line *l1_find(struct tk_coherence *c, uintptr_t line)
{
	uint32_t s = set_of(line), w;

	for (w = 0; w < TK_L1_WAYS; w++) {
		if (c->l1[s][w].valid && c->l1[s][w].line == line) {
			c->lru[s] = (uint8_t)(1u - w);
			return &c->l1[s][w];
		}
	}
	return NULL;
}

/* Store the pending bytes of the WCB into memory, word by word from first to last. */
static void wcb_drain(struct tk_coherence *c)
{
	uint8_t *mem;
	uint32_t w, b, m;

	if (!c->wcb_valid)
		return;
	if (c->dist) {
		int home;

		tk_dist_span(c->wcb_line, TK_L1_LINE, &home);
		if (home >= 0) {	/* the line's memory is on another host */
			put_masked(c->wcb_line, c->wcb_data, c->wcb_mask);
			goto drained;
		}
		/* what this core handed off before leaves before this is seen here */
		tk_dist_publish();
		if (home == TK_DIST_EVERYWHERE)
			put_masked(c->wcb_line, c->wcb_data, c->wcb_mask);
	}
	mem = TK_MPB_PTR(c->wcb_line + c->alias);
	for (w = 0; w < TK_L1_LINE / 4; w++) {
		m = (c->wcb_mask >> (4 * w)) & 0xfu;
		if (m == 0xfu) {
			uint32_t v;

			memcpy(&v, &c->wcb_data[4 * w], 4);
			__atomic_store_n((uint32_t *)(mem + 4 * w), v, __ATOMIC_RELEASE);
			continue;
		}
		for (b = 0; b < 4; b++)
			if (m & (1u << b))
				__atomic_store_n(mem + 4 * w + b, c->wcb_data[4 * w + b],
						 __ATOMIC_RELEASE);
	}
drained:
	c->wcb_valid = 0;
	c->wcb_mask = 0;
	c->drains++;
}

static int remote_line(uintptr_t line)
{
	int home;

	tk_dist_span(line, TK_L1_LINE, &home);
	return home >= 0;
}

/* Bring a line into the L1 (read miss): words from last to first, then own WCB bytes; a
 * line homed on another host comes from its home (or from what this read fetched ahead). */
static struct tk_l1_line *l1_fill(struct tk_coherence *c, uintptr_t line)
{
	uint32_t s = set_of(line), w = c->lru[s], i;
	const uint8_t *mem = TK_MPB_PTR(line + c->alias);
	struct tk_l1_line *l;

	if (!c->l1[s][0].valid)
		w = 0;
	else if (!c->l1[s][1].valid)
		w = 1;
	else
		c->evictions++;	/* clean by construction: dropping it loses nothing */
	l = &c->l1[s][w];
	if (c->dist && remote_line(line)) {
		if (line >= c->pf_line && line - c->pf_line < c->pf_bytes)
			memcpy(l->data, &c->pf_data[line - c->pf_line], TK_L1_LINE);
		else
			tk_dist_fetch(l->data, line, TK_L1_LINE);
		c->fetches++;
	} else {
		for (i = TK_L1_LINE / 4; i-- > 0;) {
			uint32_t v = __atomic_load_n((const uint32_t *)(mem + 4 * i),
						     __ATOMIC_ACQUIRE);

			memcpy(&l->data[4 * i], &v, 4);
		}
	}
	if (c->wcb_valid && c->wcb_line == line)
		for (i = 0; i < TK_L1_LINE; i++)
			if (c->wcb_mask & (1u << i))
				l->data[i] = c->wcb_data[i];
	l->line = line;
	l->valid = 1;
	c->lru[s] = (uint8_t)(1u - w);
	c->misses++;
	return l;
}

static int l1_has(const struct tk_coherence *c, uintptr_t line)
{
	uint32_t s = set_of(line);

	return (c->l1[s][0].valid && c->l1[s][0].line == line) ||
	       (c->l1[s][1].valid && c->l1[s][1].line == line);
}

/* A strict read of remote lines: fetch the span from its first to its last missing line in
 * one request (at most TESSERA_DIST_IN_BYTES), for the misses of the read to take from. */
static void fetch_ahead(struct tk_coherence *c, uintptr_t a, size_t n)
{
	uintptr_t l = a & ~LINE_MASK, lo = 0, hi = 0;
	int home;

	n = tk_dist_span(a, n, &home);
	if (home < 0)
		return;
	for (; l < a + n && l - (lo ? lo : l) < TESSERA_DIST_IN_BYTES; l += TK_L1_LINE) {
		if (l1_has(c, l))
			continue;
		if (!hi)
			lo = l;
		hi = l + TK_L1_LINE;
	}
	if (hi - lo < 2 * TK_L1_LINE)
		return;
	tk_dist_fetch(c->pf_data, lo, hi - lo);
	c->pf_line = lo;
	c->pf_bytes = (uint32_t)(hi - lo);
}

static void strict_read(struct tk_coherence *c, uint8_t *dst, uintptr_t a, size_t n)
{
	if (c->dist)
		fetch_ahead(c, a, n);
	while (n) {
		uintptr_t line = a & ~LINE_MASK;
		size_t off = a & LINE_MASK, k = TK_L1_LINE - off;
		struct tk_l1_line *l = l1_find(c, line);

		if (k > n)
			k = n;
		if (l)
			c->hits++;
		else
			l = l1_fill(c, line);
		memcpy(dst, &l->data[off], k);
		dst += k;
		a += k;
		n -= k;
	}
	c->pf_bytes = 0;	/* fetched for this read only: later reads see newer data */
}

static void strict_write(struct tk_coherence *c, uintptr_t a, const uint8_t *src, size_t n)
{
	while (n) {
		uintptr_t line = a & ~LINE_MASK;
		size_t off = a & LINE_MASK, k = TK_L1_LINE - off;
		struct tk_l1_line *l = l1_find(c, line);
		uint32_t bits;

		if (k > n)
			k = n;
		if (l)		/* write-through: a cached copy is updated, none is allocated */
			memcpy(&l->data[off], src, k);
		if (c->wcb_valid && c->wcb_line != line)
			wcb_drain(c);
		if (!c->wcb_valid) {
			c->wcb_valid = 1;
			c->wcb_line = line;
			c->wcb_mask = 0;
		}
		memcpy(&c->wcb_data[off], src, k);
		bits = k == 32 ? 0xffffffffu : ((1u << k) - 1u) << off;
		c->wcb_mask |= bits;
		src += k;
		a += k;
		n -= k;
	}
}

/* ---- host-like mode on a distributed board (TK_COHERENCE_DIST) ---- */

static struct tk_remote_line *rl_slot(struct tk_coherence *c, uintptr_t line)
{
	return &c->rl[(line / TK_L1_LINE) & (TK_REMOTE_LINES - 1)];
}

/* Remote bytes: kept lines as they are, the others fetched at home, in one request from the
 * first missing line on (a fetch fills as many slots as there are, so none is lost). */
static void remote_read(struct tk_coherence *c, uint8_t *dst, uintptr_t a, size_t n)
{
	uintptr_t end = a + n;

	while (a < end) {
		uintptr_t line = a & ~LINE_MASK;
		struct tk_remote_line *s = rl_slot(c, line);
		size_t off = a & LINE_MASK, k = TK_L1_LINE - off;

		if (s->gen != c->rgen || s->line != line) {
			uintptr_t last = (end + LINE_MASK) & ~LINE_MASK;
			uint32_t bytes = last - line < TESSERA_DIST_IN_BYTES ? (uint32_t)(last - line)
									       : TESSERA_DIST_IN_BYTES;

			tk_dist_fetch(c->pf_data, line, bytes);
			c->fetches++;
			for (uint32_t i = 0; i < bytes; i += TK_L1_LINE) {
				struct tk_remote_line *f = rl_slot(c, line + i);

				f->line = line + i;
				f->gen = c->rgen;
				memcpy(f->data, &c->pf_data[i], TK_L1_LINE);
			}
		}
		if (k > end - a)
			k = end - a;
		memcpy(dst, &s->data[off], k);
		dst += k;
		a += k;
	}
}

/* Remote bytes: into the kept copies of their lines (a core reads its own writes), and
 * handed off for their home. */
static void remote_write(struct tk_coherence *c, uintptr_t a, const uint8_t *src, size_t n)
{
	for (uintptr_t p = a; p < a + n;) {
		uintptr_t line = p & ~LINE_MASK;
		struct tk_remote_line *s = rl_slot(c, line);
		size_t off = p & LINE_MASK, k = TK_L1_LINE - off;

		if (k > a + n - p)
			k = a + n - p;
		if (s->gen == c->rgen && s->line == line)
			memcpy(&s->data[off], src + (p - a), k);
		p += k;
	}
	tk_dist_put(a, src, n);
}

static void dist_read(struct tk_coherence *c, uint8_t *dst, uintptr_t a, size_t n)
{
	while (n) {
		int home;
		size_t k = tk_dist_span(a, n, &home);

		if (home >= 0) {
			remote_read(c, dst, a, k);
		} else {
			fence_acquire();
			memcpy(dst, TK_MPB_PTR(a), k);
		}
		dst += k;
		a += k;
		n -= k;
	}
}

static void dist_write(struct tk_coherence *c, uintptr_t a, const uint8_t *src, size_t n)
{
	while (n) {
		int home;
		size_t k = tk_dist_span(a, n, &home);

		if (home >= 0) {
			remote_write(c, a, src, k);
		} else {
			/* what this core handed off before leaves before this is seen here */
			tk_dist_publish();
			fence_release();
			if (k == 4 && !(a & 3))	/* a flag: one store, never torn */
				__atomic_store_n((uint32_t *)TK_MPB_PTR(a), *(const uint32_t *)src,
						 __ATOMIC_RELEASE);
			else
				memcpy(TK_MPB_PTR(a), src, k);
			if (home == TK_DIST_EVERYWHERE)
				tk_dist_put(a, src, k);
		}
		src += k;
		a += k;
		n -= k;
	}
}

/*
 * Under virtual time an access is part of the runtime (its host CPU time is not the
 * program's computation: tk_vt_enter, nestable, so a call from inside the channels costs
 * nothing more) and is charged by the cost model.
 */
static inline void timed_begin(struct tk_coherence *c, uintptr_t a, size_t n, int write)
{
	if (c->timed) {
		tk_vt_enter();
		tk_vt_access(a, n, write);
	}
}

static inline void timed_end(struct tk_coherence *c)
{
	if (c->timed)
		tk_vt_leave();
}

void tk_mpb_read(void *dst, uintptr_t mpb_addr, size_t n)
{
	struct tk_coherence *c = self();

	timed_begin(c, mpb_addr, n, 0);
	if (c->mode == TK_COHERENCE_STRICT) {
		strict_read(c, dst, mpb_addr, n);
	} else if (c->mode == TK_COHERENCE_DIST) {
		dist_read(c, dst, mpb_addr, n);
	} else {
		fence_acquire();
		memcpy(dst, TK_MPB_PTR(mpb_addr), n);
	}
	timed_end(c);
}

void tk_mpb_write(uintptr_t mpb_addr, const void *src, size_t n)
{
	struct tk_coherence *c = self();

	timed_begin(c, mpb_addr, n, 1);
	if (c->mode == TK_COHERENCE_STRICT) {
		strict_write(c, mpb_addr, src, n);
	} else if (c->mode == TK_COHERENCE_DIST) {
		dist_write(c, mpb_addr, src, n);
	} else {
		fence_release();
		memcpy(TK_MPB_PTR(mpb_addr), src, n);
	}
	timed_end(c);
}

uint32_t tk_mpb_read32(uintptr_t mpb_addr)
{
	struct tk_coherence *c = self();
	uint32_t v;
	int home;

	timed_begin(c, mpb_addr, 4, 0);
	if (c->mode == TK_COHERENCE_STRICT)
		strict_read(c, (uint8_t *)&v, mpb_addr, 4);
	else if (c->mode == TK_COHERENCE_DIST &&
		 !(tk_dist_span(mpb_addr, 4, &home) == 4 && home < 0 && !(mpb_addr & 3)))
		dist_read(c, (uint8_t *)&v, mpb_addr, 4);
	else
		v = __atomic_load_n((const uint32_t *)TK_MPB_PTR(mpb_addr), __ATOMIC_ACQUIRE);
	timed_end(c);
	return v;
}

void tk_mpb_write32(uintptr_t mpb_addr, uint32_t v)
{
	struct tk_coherence *c = self();

	timed_begin(c, mpb_addr, 4, 1);
	if (c->mode == TK_COHERENCE_STRICT)
		strict_write(c, mpb_addr, (const uint8_t *)&v, 4);
	else if (c->mode == TK_COHERENCE_DIST)
		dist_write(c, mpb_addr, (const uint8_t *)&v, 4);
	else
		__atomic_store_n((uint32_t *)TK_MPB_PTR(mpb_addr), v, __ATOMIC_RELEASE);
	timed_end(c);
}

/* The model drops its lines, then the core executes its own CL1INVMB (arch.h). A core that
 * invalidates is about to look for others' writes: on a distributed board, what it handed
 * off (an answer it waits for may depend on it) leaves now. */
void tk_cl1invmb(void)
{
	struct tk_coherence *c = self();
	uint32_t s;

	if (c->timed)
		tk_vt_invalidate();
	if (c->mode == TK_COHERENCE_STRICT) {
		for (s = 0; s < TK_L1_SETS; s++) {
			c->l1[s][0].valid = 0;
			c->l1[s][1].valid = 0;
		}
		c->invalidates++;
	} else if (c->mode == TK_COHERENCE_DIST) {
		c->rgen++;
		if (c->rgen == 0) {	/* a slot of generation 0 must not come back to life */
			memset(c->rl, 0, sizeof(c->rl));
			c->rgen = 1;
		}
		c->invalidates++;
	}
	if (c->dist)
		tk_dist_ship();
	arch_cl1invmb();
}

/* Plain memory only in the host mode, untimed, on one host, and where the arch's MPB is
 * coherent: on a real SCC (I386_ON_SCC) arch_cl1invmb drops lines, which no plain load
 * does. The range must map contiguously (the fakes map each tile's MPB on its own). */
void *tk_mpb_direct(uintptr_t mpb_addr, size_t n)
{
	struct tk_coherence *c = self();
	uint8_t *p;

#ifdef I386_ON_SCC
	return NULL;
#endif
	if (c->mode != TK_COHERENCE_HOST || c->timed || c->dist || !n)
		return NULL;
	p = TK_MPB_PTR(mpb_addr);
	if ((uint8_t *)TK_MPB_PTR(mpb_addr + n - 1) != p + n - 1)
		return NULL;
	return p;
}

/* Under strict, the pages of [addr, addr + bytes) are the model's alone from now on. */
void tk_mpb_seal(uintptr_t addr, uint64_t bytes)
{
	if (self()->mode == TK_COHERENCE_STRICT)
		(void)arch_mpb_seal(addr, bytes);	/* where it cannot, only the check is lost */
}

/* The model drains its WCB, then the core drains its own (arch.h). On a distributed board
 * the flush publishes what went to other hosts: their homes get it in program order. */
void tk_wcb_flush(void)
{
	struct tk_coherence *c = self();

	if (c->timed)
		tk_vt_flush();
	if (c->mode == TK_COHERENCE_STRICT)
		wcb_drain(c);
	if (c->dist)
		tk_dist_publish();
	arch_wcb_flush();
}
