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

/* The aggregators, their domains over [glo, ghi) and their areas: 0, or -1 when some
 * aggregator has no room (every rank then does its own access). */
static int plan_make(struct mpii_file *f, int64_t glo, int64_t ghi, struct plan *p)
{
	struct mpii_comm *c = f->comm;
	int n = f->cb_nodes ? f->cb_nodes : MPII_IO_CB_NODES, me = -1, ok = 1, rc;
	int64_t span = ghi - glo, dom;
	int32_t mine[4], *all;

	if (n > c->size)
		n = c->size;
	dom = (span + n - 1) / n;
	p->n = n;
	p->a = calloc((size_t)n, sizeof(*p->a));
	all = malloc((size_t)c->size * sizeof(mine));
	if (!p->a || !all)
		mpii_fatal(MPI_ERR_NO_MEM, "MPI_ERR_NO_MEM: out of memory in collective I/O");
	for (int i = 0; i < n; i++) {
		p->a[i].rank = (int)((int64_t)i * c->size / n);
		p->a[i].lo = min64(glo + i * dom, ghi);
		p->a[i].hi = min64(glo + (i + 1) * dom, ghi);
		if (p->a[i].rank == c->rank)
			me = i;
	}
	put64(mine, 0);
	put64(mine + 2, 0);
	if (me >= 0) {
		/* a buffer no longer than the domain; halved while shared DRAM has no room */
		int64_t cb = min64(f->cb_size, max64(p->a[me].hi - p->a[me].lo, 1));
		uintptr_t a = 0;

		while (cb >= 4096 && mpii_shm_alloc((size_t)(AREA_DATA + cb), &a))
			cb /= 2;
		if (a) {
			put64(mine, (int64_t)a);
			put64(mine + 2, cb);
		}
	}
	rc = mpii_allgather_int(c, mine, 4, all);
	p->rounds = 0;
	for (int i = 0; i < n; i++) {
		const int32_t *v = all + 4 * p->a[i].rank;

		p->a[i].area = (uintptr_t)get64(v);
		p->a[i].cb = get64(v + 2);
		ok &= p->a[i].area != 0;
		if (p->a[i].cb > 0)
			p->rounds = max64(p->rounds, (p->a[i].hi - p->a[i].lo + p->a[i].cb - 1) /
						     p->a[i].cb);
	}
	free(all);
	if (rc || !ok) {
		if (me >= 0 && p->a[me].area)
			mpii_shm_free(p->a[me].area);
		free(p->a);
		return -1;
	}
	return 0;
}

static void plan_free(struct mpii_file *f, struct plan *p)
{
	for (int i = 0; i < p->n; i++)
		if (p->a[i].rank == f->comm->rank)
			mpii_shm_free(p->a[i].area);
	free(p->a);
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

/*
 * One round of a two-phase write; *rc keeps this rank's first error. Every rank takes every
 * collective step whatever happened to it: a rank that stopped would leave the others in a
 * barrier. A rank with an error just stops moving data.
 */
static void round_write(struct mpii_file *f, struct plan *p, int64_t pos, char *stream,
			int64_t n, int *rc)
{
	struct mpii_comm *c = f->comm;
	int32_t *cnt = malloc((size_t)p->n * sizeof(int32_t)), *all;
	int sieve_any = 0, e;
	int64_t p0, p1;

	all = malloc((size_t)p->n * (size_t)c->size * sizeof(int32_t));
	if (!cnt || !all)
		mpii_fatal(MPI_ERR_NO_MEM, "MPI_ERR_NO_MEM: out of memory in collective I/O");
	for (int i = 0; i < p->n; i++) {
		my_part(f, pos, n, p->a[i].clo, p->a[i].chi, &p0, &p1);
		cnt[i] = (int32_t)min64(count_pieces(f, p0, p1), INT32_MAX / c->size);
	}
	/* who puts how many pieces where: my descriptors go after those of lower ranks */
	if ((e = mpii_allgather_int(c, cnt, p->n, all)))
		mpii_fatal(e, "MPI_ERR_INTERN: collective I/O lost its ranks");
	for (int i = 0; i < p->n; i++) {
		struct agg *a = &p->a[i];

		a->total = a->first = 0;
		for (int r = 0; r < c->size; r++) {
			if (r == c->rank)
				a->first = a->total;
			a->total += all[r * p->n + i];
		}
		sieve_any |= a->total > MPII_IO_CB_PIECES;
	}
	/* sieving aggregators read their chunk before anyone copies into it */
	for (int i = 0; i < p->n; i++)
		if (p->a[i].rank == c->rank && p->a[i].total > MPII_IO_CB_PIECES &&
		    (e = agg_read(f, &p->a[i], 1)) && !*rc)
			*rc = e;
	if (sieve_any)
		mpii_barrier(c);
	for (int i = 0; !*rc && i < p->n; i++) {
		my_part(f, pos, n, p->a[i].clo, p->a[i].chi, &p0, &p1);
		copy_mine(f, &p->a[i], pos, stream, p0, p1, 1, p->a[i].total > MPII_IO_CB_PIECES);
	}
	tk_wcb_flush();	/* every copy in memory before the aggregators look */
	mpii_barrier(c);
	for (int i = 0; i < p->n; i++)
		if (p->a[i].rank == c->rank && (e = agg_write(f, &p->a[i],
							     p->a[i].total > MPII_IO_CB_PIECES)) && !*rc)
			*rc = e;
	free(all);
	free(cnt);
}

/* One round of a two-phase read; *eof lowers to the first file offset found past the end. */
static void round_read(struct mpii_file *f, struct plan *p, int64_t pos, char *stream,
		       int64_t n, int64_t *eof, int last, int *rc)
{
	struct mpii_comm *c = f->comm;
	int64_t p0, p1, got;
	int e;

	for (int i = 0; i < p->n; i++)
		if (p->a[i].rank == c->rank && (e = agg_read(f, &p->a[i], 0)) && !*rc)
			*rc = e;
	mpii_barrier(c);
	tk_cl1invmb();	/* what the aggregators (and the host) wrote is in memory */
	for (int i = 0; i < p->n; i++) {
		struct agg *a = &p->a[i];

		tk_mpb_read(&got, a->area, sizeof(got));
		if (got < 0)
			got = 0;
		if (got < a->chi - a->clo)
			*eof = min64(*eof, a->clo + got);
		my_part(f, pos, n, a->clo, min64(a->chi, a->clo + got), &p0, &p1);
		if (!*rc)
			copy_mine(f, a, pos, stream, p0, p1, 0, 0);
	}
	/* the buffers are reused by the next round: everyone has copied out first */
	if (!last)
		mpii_barrier(c);
}

/* Ranks whose file ranges overlap another's (sorted by start) read or write interleaved. */
static int by_start(const void *x, const void *y)
{
	const int64_t *a = x, *b = y;

	return a[0] < b[0] ? -1 : a[0] > b[0];
}

int mpii_file_coll(struct mpii_file *f, int64_t pos, char *stream, int64_t n, int write,
		   int64_t *moved)
{
	struct mpii_comm *c = f->comm;
	int mode = write ? f->cb_write : f->cb_read, rc = MPI_SUCCESS, use = 0, holes = 0;
	int64_t lo = 0, hi = 0, glo = INT64_MAX, ghi = 0, eof = INT64_MAX, r;
	int32_t mine[6], *all = malloc((size_t)c->size * sizeof(mine));
	int64_t (*ranges)[2] = malloc((size_t)c->size * sizeof(*ranges));
	int nr = 0;
	struct plan p;

	if (!all || !ranges)
		mpii_fatal(MPI_ERR_NO_MEM, "MPI_ERR_NO_MEM: out of memory in collective I/O");
	if (n > 0) {
		lo = mpii_view_off(f, pos);
		hi = mpii_view_off(f, pos + n - 1) + 1;
	}
	put64(mine, lo);
	put64(mine + 2, hi);
	mine[4] = n > 0 && hi - lo != n;	/* my access has holes */
	mine[5] = n > 0;
	rc = mpii_allgather_int(c, mine, 6, all);
	for (int i = 0; !rc && i < c->size; i++) {
		const int32_t *v = all + 6 * i;

		if (!v[5])
			continue;
		ranges[nr][0] = get64(v);
		ranges[nr][1] = get64(v + 2);
		glo = min64(glo, ranges[nr][0]);
		ghi = max64(ghi, ranges[nr][1]);
		holes |= v[4];
		nr++;
	}
	qsort(ranges, (size_t)nr, sizeof(*ranges), by_start);
	for (int i = 1; i < nr; i++)
		holes |= ranges[i][0] < ranges[i - 1][1];
	free(ranges);
	free(all);
	/* two phases when the data interleave (or asked to), never in atomic mode: a rank's
	 * access would no longer be one atomic step */
	use = !rc && nr && mode >= 0 && !f->atomic && (mode > 0 || holes);
	if (use && plan_make(f, glo, ghi, &p))
		use = 0;
	if (!use) {
		r = rc ? 0 : mpii_file_xfer(f, pos, stream, n, write);
		*moved = r > 0 ? r : 0;
		rc = rc ? rc : r < 0 ? (int)-r : 0;
		goto agree;
	}
	for (int64_t round = 0; round < p.rounds; round++) {
		chunks(&p, round);
		if (write)
			round_write(f, &p, pos, stream, n, &rc);
		else
			round_read(f, &p, pos, stream, n, &eof, round == p.rounds - 1, &rc);
	}
	plan_free(f, &p);
	*moved = write || eof == INT64_MAX ? n : max64(0, min64(n, mpii_view_pos(f, eof) - pos));
agree:
	/* one outcome for all: the aggregators have written everything when it returns */
	if (mpii_allreduce_int(c, &rc, 1, MPI_MAX))
		rc = MPI_ERR_OTHER;
	return rc;
}
