/* SPDX-License-Identifier: MIT */
/*
 * file_coll.c: collective file accesses. When the ranks' data interleave in the file (or
 * the hints ask for it), two-phase I/O through a few aggregators: the file range of the call
 * is split into one domain per aggregator, each worked in rounds of its collective buffer, a
 * buffer in shared DRAM that every rank reaches itself. Writing, every rank copies its
 * pieces of the round straight into the buffers and notes where they go; after a barrier
 * the aggregator writes what was filled, sorted and merged, one host call per contiguous
 * range (a fully covered chunk is one call). Reading, the aggregator reads its chunk in one
 * call, and after a barrier every rank copies its pieces out. No data travel in messages.
 * Otherwise each rank does its access alone (file_io.c).
 *
 * An access is a schedule (sched.c), so the nonblocking and split collective calls progress
 * like any nonblocking collective and complete at MPI_Wait/Test or the _end call: each step
 * below is a call that does the local work of one phase (the host calls, the copies) and then
 * adds the messages of the next (an allgather, a barrier) and the call after them. What the
 * messages bring decides the steps that follow: whether to aggregate, how many rounds.
 *
 * An aggregator's area: a line with the bytes its last read got, MPII_IO_CB_PIECES
 * descriptors (file offset, length) of what the ranks copied in, then the buffer. When more
 * pieces than that fall in one chunk, the aggregator reads the chunk first and writes it back
 * whole (data sieving) instead.
 */
#include <stdlib.h>
#include "mpii_file.h"

#define AREA_DESC 64	/* after the line of the read count */
#define AREA_DATA (AREA_DESC + MPII_IO_CB_PIECES * (int64_t)sizeof(struct tessera_hc_piece))

struct agg {
	int rank;		/* rank of the communicator that aggregates */
	uintptr_t area;		/* its area in shared DRAM */
	int64_t cb;		/* its buffer's size */
	int64_t lo, hi;		/* its file domain */
	int64_t clo, chi;	/* the chunk of the current round */
	int64_t total;		/* pieces the ranks put in this round */
	int64_t mine;		/* of which mine, and where mine start */
	int64_t first;
};

struct plan {
	int n;			/* aggregators */
	struct agg *a;
	int64_t rounds;
};

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static void put64(int32_t *v, int64_t x)
{
	memcpy(v, &x, sizeof(x));
}

static int64_t get64(const int32_t *v)
{
	int64_t x;

	memcpy(&x, v, sizeof(x));
	return x;
}

/* Data bytes of my access [pos, pos + n) that lie in file range [lo, hi). */
static void my_part(const struct mpii_file *f, int64_t pos, int64_t n, int64_t lo, int64_t hi,
		    int64_t *p0, int64_t *p1)
{
	*p0 = max64(pos, mpii_view_pos(f, lo));
	*p1 = min64(pos + n, mpii_view_pos(f, hi));
	if (*p1 < *p0)
		*p1 = *p0;
}

static void chunks(struct plan *p, int64_t round)
{
	for (int i = 0; i < p->n; i++) {
		struct agg *a = &p->a[i];

		a->clo = min64(a->lo + round * a->cb, a->hi);
		a->chi = min64(a->clo + a->cb, a->hi);
	}
}

static int by_offset(const void *x, const void *y)
{
	const struct tessera_hc_piece *a = x, *b = y;

	return a->off < b->off ? -1 : a->off > b->off;
}

/* The aggregator writes its chunk: the pieces the ranks described, merged, or (sieving) the
 * whole chunk. 0 or an error class. */
static int agg_write(struct mpii_file *f, struct agg *a, int sieve)
{
	struct mpii_pio b = { .n = 1 };
	struct tessera_hc_piece *d = NULL;
	int64_t n = sieve ? 1 : a->total, k = 0, r;
	int rc = MPI_SUCCESS;

	tk_cl1invmb();	/* the ranks' copies are in memory (they drained before the barrier) */
	if (sieve) {
		b.p[0] = (struct tessera_hc_piece){ a->clo, a->chi - a->clo };
	} else {
		if (!n)
			return MPI_SUCCESS;
		d = malloc((size_t)n * sizeof(*d));
		if (!d)
			return MPI_ERR_NO_MEM;
		tk_mpb_read(d, a->area + AREA_DESC, (size_t)n * sizeof(*d));
		qsort(d, (size_t)n, sizeof(*d), by_offset);
	}
	while (k < n) {
		if (!sieve) {
			/* one contiguous range: the pieces that touch or overlap it */
			b.p[0] = d[k++];
			while (k < n && d[k].off <= b.p[0].off + b.p[0].len) {
				b.p[0].len = max64(b.p[0].len, d[k].off + d[k].len - b.p[0].off);
				k++;
			}
		} else {
			k = n;
		}
		b.bytes = b.p[0].len;
		r = mpii_file_pio(f, &b, NULL, a->area + AREA_DATA + (uintptr_t)(b.p[0].off - a->clo), 1);
		if (r < 0 || r < b.bytes) {
			rc = r < 0 ? mpii_file_err(r) : MPI_ERR_IO;
			break;
		}
	}
	free(d);
	return rc;
}

/* The aggregator reads its chunk into its buffer and says how much it got; for sieving,
 * what lies past the end of the file reads as zeros (as the holes of a file do). */
static int agg_read(struct mpii_file *f, struct agg *a, int sieve)
{
	static const char zeros[4096];
	struct mpii_pio b = { .n = 1 };
	int64_t r = 0, len = a->chi - a->clo;

	if (len > 0) {
		b.p[0] = (struct tessera_hc_piece){ a->clo, len };
		b.bytes = len;
		r = mpii_file_pio(f, &b, NULL, a->area + AREA_DATA, 0);
	}
	for (int64_t at = r > 0 ? r : 0; sieve && at < len; at += (int64_t)sizeof(zeros))
		tk_mpb_write(a->area + AREA_DATA + (uintptr_t)at, zeros,
			     (size_t)min64(len - at, (int64_t)sizeof(zeros)));
	tk_mpb_write(a->area, &r, sizeof(r));
	tk_wcb_flush();
	return r < 0 ? mpii_file_err(r) : MPI_SUCCESS;
}

/* Copies my pieces in [p0, p1) into (write) or out of (read) aggregator a's buffer, noting
 * them in its descriptors unless it sieves. */
static void copy_mine(struct mpii_file *f, struct agg *a, int64_t pos, char *stream, int64_t p0,
		      int64_t p1, int write, int sieve)
{
	struct mpii_view_iter it;
	int64_t off, len, at = p0, k = 0;

	mpii_view_iter(&it, f, p0, p1 - p0);
	while (mpii_view_next(&it, &off, &len)) {
		uintptr_t buf = a->area + AREA_DATA + (uintptr_t)(off - a->clo);

		if (write) {
			tk_mpb_write(buf, stream + (at - pos), (size_t)len);
			if (!sieve) {
				struct tessera_hc_piece d = { off, len };

				tk_mpb_write(a->area + AREA_DESC + (uintptr_t)((a->first + k) * (int64_t)sizeof(d)),
					     &d, sizeof(d));
			}
		} else {
			tk_mpb_read(stream + (at - pos), buf, (size_t)len);
		}
		at += len;
		k++;
	}
}

static int64_t count_pieces(struct mpii_file *f, int64_t p0, int64_t p1)
{
	struct mpii_view_iter it;
	int64_t off, len, k = 0;

	mpii_view_iter(&it, f, p0, p1 - p0);
	while (mpii_view_next(&it, &off, &len))
		k++;
	return k;
}

/* ---- The steps of one collective access ---- */

/* What the steps of one access share (in the schedule's memory, freed with it). */
struct coll {
	struct mpii_file *f;
	int64_t pos, n;		/* my access: n data bytes of the view from data byte pos */
	char *stream;
	int write;
	struct mpii_coll_io *io;
	int err;		/* this rank's first error */
	int64_t moved;
	int32_t mine[6], *all;	/* every rank's file range: lo, hi, holes, any data */
	int64_t glo, ghi;	/* the range of the whole call */
	struct plan p;
	int me;			/* my aggregator index, or -1 */
	uintptr_t my_area;	/* my aggregator's area, given back at the end */
	int32_t area[4], *areas;	/* the aggregators' areas and buffer sizes */
	int64_t round;
	int32_t *cnt, *cnts;	/* a round's pieces per aggregator: mine, everyone's */
	int64_t eof;		/* reads: the first file offset found past the end */
	int agree;		/* the outcome, agreed by every rank */
};

/* Building a step can fail only for want of memory; the other ranks would wait forever for
 * a step this rank could not take, so that is fatal, as elsewhere in collective I/O. */
static void must(int rc)
{
	if (rc)
		mpii_fatal(rc, "MPI_ERR_NO_MEM: out of memory in collective I/O");
}

static void *tmp(struct mpii_sched *s, size_t bytes)
{
	void *p = mpii_sched_tmp(s, bytes);

	if (!p)
		must(MPI_ERR_NO_MEM);
	memset(p, 0, bytes);
	return p;
}

/* The next round of s starts with a call of fn on c. */
static int then(struct mpii_sched *s, struct coll *c, mpii_sched_fn *fn)
{
	must(mpii_sched_round(s));
	must(mpii_sched_call(s, fn, c));
	return MPI_SUCCESS;
}

static void note(struct coll *c, int rc)
{
	if (rc && !c->err)
		c->err = rc;
}

static int finish(struct mpii_sched *s, void *arg)
{
	struct coll *c = arg;

	/* only now has every rank copied out of it (a rank that freed it sooner might have it
	 * back for something else while another still reads) */
	if (c->my_area)
		mpii_shm_free(c->my_area);
	c->io->rc = c->agree;
	c->io->moved = c->moved;
	return c->io->then(s, c->io->arg);
}

/* Every rank says how it went (MPI_MAX of the error classes): one outcome for all, and the
 * aggregators have written everything when it is known. */
static int agree(struct mpii_sched *s, struct coll *c)
{
	c->agree = c->err;
	must(mpii_build_allreduce(s, MPI_IN_PLACE, &c->agree, 1, mpii_dtype_get(MPI_INT),
				  mpii_handle_get(MPII_K_OP, MPI_MAX)));
	return then(s, c, finish);
}

/* This rank's access on its own (file_io.c). */
static void move_alone(struct coll *c)
{
	int64_t r = mpii_file_move(c->f, c->pos, c->stream, c->n, c->write);

	c->moved = r > 0 ? r : 0;
	note(c, r < 0 ? (int)-r : 0);
}

/* In atomic mode, alone and under the file's lock, polled until the lock is ours. */
static int alone_locked(struct mpii_sched *s, void *arg)
{
	struct coll *c = arg;

	if (!mpii_file_trylock(c->f, c->write))
		return MPII_SCHED_AGAIN;	/* the holder interrupts us when it lets go */
	move_alone(c);
	mpii_file_unlock(c->f, c->write);
	return agree(s, c);
}

static int alone(struct mpii_sched *s, struct coll *c)
{
	if (c->err || c->n <= 0)
		return agree(s, c);
	if (c->f->atomic) {
		must(mpii_sched_call(s, alone_locked, c));
		return MPI_SUCCESS;
	}
	move_alone(c);
	return agree(s, c);
}

/* After the last round: reads count what they got. */
static int plan_end(struct mpii_sched *s, struct coll *c)
{
	if (c->write || c->eof == INT64_MAX)
		c->moved = c->n;
	else
		c->moved = max64(0, min64(c->n, mpii_view_pos(c->f, c->eof) - c->pos));
	return agree(s, c);
}

/*
 * A round of a two-phase write: how many pieces every rank puts into every aggregator's
 * chunk (an allgather: my descriptors go after those of lower ranks); sieving aggregators
 * read their chunk first; every rank copies its pieces in; the aggregators write. Every
 * rank takes every step whatever happened to it (a rank that stopped would leave the others
 * in a barrier); a rank with an error just stops moving data.
 */
static int w_counts(struct mpii_sched *s, void *arg);
static int w_copy(struct mpii_sched *s, void *arg);
static int w_write(struct mpii_sched *s, void *arg);

static int w_round(struct mpii_sched *s, struct coll *c)
{
	int64_t p0, p1;

	chunks(&c->p, c->round);
	for (int i = 0; i < c->p.n; i++) {
		my_part(c->f, c->pos, c->n, c->p.a[i].clo, c->p.a[i].chi, &p0, &p1);
		c->cnt[i] = (int32_t)min64(count_pieces(c->f, p0, p1), INT32_MAX / c->f->comm->size);
	}
	must(mpii_build_allgather_int(s, c->cnt, c->p.n, c->cnts));
	return then(s, c, w_counts);
}

static int w_counts(struct mpii_sched *s, void *arg)
{
	struct coll *c = arg;
	struct mpii_comm *cm = c->f->comm;
	int sieve_any = 0;

	for (int i = 0; i < c->p.n; i++) {
		struct agg *a = &c->p.a[i];

		a->total = a->first = 0;
		for (int r = 0; r < cm->size; r++) {
			if (r == cm->rank)
				a->first = a->total;
			a->total += c->cnts[r * c->p.n + i];
		}
		sieve_any |= a->total > MPII_IO_CB_PIECES;
	}
	/* sieving aggregators read their chunk before anyone copies into it */
	if (c->me >= 0 && c->p.a[c->me].total > MPII_IO_CB_PIECES)
		note(c, agg_read(c->f, &c->p.a[c->me], 1));
	if (sieve_any)
		must(mpii_build_barrier(s));
	return then(s, c, w_copy);
}

static int w_copy(struct mpii_sched *s, void *arg)
{
	struct coll *c = arg;
	int64_t p0, p1;

	for (int i = 0; !c->err && i < c->p.n; i++) {
		struct agg *a = &c->p.a[i];

		my_part(c->f, c->pos, c->n, a->clo, a->chi, &p0, &p1);
		copy_mine(c->f, a, c->pos, c->stream, p0, p1, 1, a->total > MPII_IO_CB_PIECES);
	}
	tk_wcb_flush();	/* every copy in memory before the aggregators look */
	must(mpii_build_barrier(s));
	return then(s, c, w_write);
}

static int w_write(struct mpii_sched *s, void *arg)
{
	struct coll *c = arg;

	if (c->me >= 0)
		note(c, agg_write(c->f, &c->p.a[c->me], c->p.a[c->me].total > MPII_IO_CB_PIECES));
	/* the next round's allgather waits for every aggregator: nobody copies into a buffer
	 * still being written */
	return ++c->round < c->p.rounds ? w_round(s, c) : plan_end(s, c);
}

/* A round of a two-phase read: the aggregators read their chunks, then every rank copies
 * its pieces out; the buffers are reused only after a barrier. */
static int r_copy(struct mpii_sched *s, void *arg);
static int r_next(struct mpii_sched *s, void *arg);

static int r_round(struct mpii_sched *s, struct coll *c)
{
	chunks(&c->p, c->round);
	if (c->me >= 0)
		note(c, agg_read(c->f, &c->p.a[c->me], 0));
	must(mpii_build_barrier(s));
	return then(s, c, r_copy);
}

static int r_copy(struct mpii_sched *s, void *arg)
{
	struct coll *c = arg;
	int64_t p0, p1, got;

	tk_cl1invmb();	/* what the aggregators (and the host) wrote is in memory */
	for (int i = 0; i < c->p.n; i++) {
		struct agg *a = &c->p.a[i];

		tk_mpb_read(&got, a->area, sizeof(got));
		if (got < 0)
			got = 0;
		if (got < a->chi - a->clo)
			c->eof = min64(c->eof, a->clo + got);
		my_part(c->f, c->pos, c->n, a->clo, min64(a->chi, a->clo + got), &p0, &p1);
		if (!c->err)
			copy_mine(c->f, a, c->pos, c->stream, p0, p1, 0, 0);
	}
	if (++c->round == c->p.rounds)
		return plan_end(s, c);
	must(mpii_build_barrier(s));
	return then(s, c, r_next);
}

static int r_next(struct mpii_sched *s, void *arg)
{
	return r_round(s, arg);
}

/* Every aggregator's area known: the rounds begin, or (some aggregator has no room) every
 * rank does its own access. */
static int plan_go(struct mpii_sched *s, void *arg)
{
	struct coll *c = arg;
	int ok = 1;

	c->p.rounds = 0;
	for (int i = 0; i < c->p.n; i++) {
		const int32_t *v = c->areas + 4 * c->p.a[i].rank;

		c->p.a[i].area = (uintptr_t)get64(v);
		c->p.a[i].cb = get64(v + 2);
		ok &= c->p.a[i].area != 0;
		if (c->p.a[i].cb > 0)
			c->p.rounds = max64(c->p.rounds, (c->p.a[i].hi - c->p.a[i].lo + c->p.a[i].cb - 1) /
							 c->p.a[i].cb);
	}
	if (!ok) {
		if (c->my_area)
			mpii_shm_free(c->my_area);
		c->my_area = 0;
		return alone(s, c);
	}
	c->round = 0;
	c->eof = INT64_MAX;
	if (!c->p.rounds)
		return plan_end(s, c);
	return c->write ? w_round(s, c) : r_round(s, c);
}

/* The aggregators and their domains over [glo, ghi); mine gets its area in shared DRAM (a
 * buffer no longer than its domain, halved while there is no room), and everyone learns
 * everyone's. */
static int plan_begin(struct mpii_sched *s, struct coll *c)
{
	struct mpii_comm *cm = c->f->comm;
	int n = c->f->cb_nodes ? c->f->cb_nodes : MPII_IO_CB_NODES;
	int64_t dom;

	if (n > cm->size)
		n = cm->size;
	dom = (c->ghi - c->glo + n - 1) / n;
	c->p.n = n;
	c->p.a = tmp(s, (size_t)n * sizeof(*c->p.a));
	c->me = -1;
	for (int i = 0; i < n; i++) {
		c->p.a[i].rank = (int)((int64_t)i * cm->size / n);
		c->p.a[i].lo = min64(c->glo + i * dom, c->ghi);
		c->p.a[i].hi = min64(c->glo + (i + 1) * dom, c->ghi);
		if (c->p.a[i].rank == cm->rank)
			c->me = i;
	}
	c->cnt = tmp(s, (size_t)n * sizeof(int32_t));
	c->cnts = tmp(s, (size_t)n * (size_t)cm->size * sizeof(int32_t));
	c->areas = tmp(s, (size_t)cm->size * sizeof(c->area));
	put64(c->area, 0);
	put64(c->area + 2, 0);
	if (c->me >= 0) {
		int64_t cb = min64(c->f->cb_size, max64(c->p.a[c->me].hi - c->p.a[c->me].lo, 1));
		uintptr_t a = 0;

		while (cb >= 4096 && mpii_shm_alloc((size_t)(AREA_DATA + cb), &a))
			cb /= 2;
		if (a) {
			c->my_area = a;
			put64(c->area, (int64_t)a);
			put64(c->area + 2, cb);
		}
	}
	must(mpii_build_allgather_int(s, c->area, 4, c->areas));
	return then(s, c, plan_go);
}

/* Ranks whose file ranges overlap another's (sorted by start) read or write interleaved. */
static int by_start(const void *x, const void *y)
{
	const int64_t *a = x, *b = y;

	return a[0] < b[0] ? -1 : a[0] > b[0];
}

/* Every rank's range known: two phases when the data interleave (or the hints ask for it),
 * never in atomic mode (a rank's access would no longer be one atomic step). */
static int decide(struct mpii_sched *s, void *arg)
{
	struct coll *c = arg;
	struct mpii_comm *cm = c->f->comm;
	int mode = c->write ? c->f->cb_write : c->f->cb_read, holes = 0, nr = 0;
	int64_t (*ranges)[2] = tmp(s, (size_t)cm->size * sizeof(*ranges));

	c->glo = INT64_MAX;
	c->ghi = 0;
	for (int i = 0; i < cm->size; i++) {
		const int32_t *v = c->all + 6 * i;

		if (!v[5])
			continue;
		ranges[nr][0] = get64(v);
		ranges[nr][1] = get64(v + 2);
		c->glo = min64(c->glo, ranges[nr][0]);
		c->ghi = max64(c->ghi, ranges[nr][1]);
		holes |= v[4];
		nr++;
	}
	qsort(ranges, (size_t)nr, sizeof(*ranges), by_start);
	for (int i = 1; i < nr; i++)
		holes |= ranges[i][0] < ranges[i - 1][1];
	if (nr && mode >= 0 && !c->f->atomic && (mode > 0 || holes))
		return plan_begin(s, c);
	return alone(s, c);
}

int mpii_file_coll(struct mpii_sched *s, struct mpii_file *f, int64_t pos, char *stream,
		   int64_t n, int write, struct mpii_coll_io *io)
{
	struct coll *c = tmp(s, sizeof(*c));
	int64_t lo = 0, hi = 0;

	c->f = f;
	c->pos = pos;
	c->n = n;
	c->stream = stream;
	c->write = write;
	c->io = io;
	c->all = tmp(s, (size_t)f->comm->size * sizeof(c->mine));
	if (n > 0) {
		lo = mpii_view_off(f, pos);
		hi = mpii_view_off(f, pos + n - 1) + 1;
	}
	put64(c->mine, lo);
	put64(c->mine + 2, hi);
	c->mine[4] = n > 0 && hi - lo != n;	/* my access has holes */
	c->mine[5] = n > 0;
	must(mpii_build_allgather_int(s, c->mine, 6, c->all));
	return then(s, c, decide);
}
