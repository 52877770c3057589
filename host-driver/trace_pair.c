// SPDX-License-Identifier: MIT
/*
 * trace_pair.c: a job's trace records (collected by trace.c) turned into slices, one per
 * operation of a rank from its begin record to its end record, and every completed send
 * paired with the receive that matched it by MPI's non-overtaking rule. No output: that is
 * the writers' (trace_write.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "trace_impl.h"

int hd_trace_grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 64;
	void *n;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	n = realloc(*p, c * size);
	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = c;
	return 0;
}

static int add_slice(struct slices *S, enum sl_kind kind, const struct rec *def, uint64_t t0,
		     uint64_t t1, unsigned flags)
{
	struct slice *s;

	if (hd_trace_grow((void **)&S->s, &S->cap, S->n + 1, sizeof(*S->s)))
		return -ENOMEM;
	s = &S->s[S->n++];
	s->t0 = t0;
	s->t1 = t1 < t0 ? t0 : t1;
	s->bytes = def->bytes;
	s->comm = def->comm;
	s->tag = def->tag;
	s->peer = def->peer;
	s->kind = kind;
	s->flags = flags;
	s->lane = 0;
	return 0;
}

/* Does open begin b fit end e (each end kind follows its begin kind in the enum)? Exact:
 * same peer, tag and communicator (receives: what was asked for, -1 for any). */
static int fits(const struct rec *b, const struct rec *e, int exact)
{
	if (b->kind + 1 != e->kind)
		return 0;
	if (!exact)
		return 1;
	switch (e->kind) {
	case TESSERA_TR_SEND_END:
		return b->peer == e->peer && b->tag == e->tag && b->comm == e->comm;
	case TESSERA_TR_RECV_END:
		if (e->peer < 0)	/* cancelled: what was asked for */
			return b->tag == e->tag && b->comm == e->comm;
		return (b->peer < 0 || b->peer == e->peer) && (b->tag < 0 || b->tag == e->tag) &&
		       b->comm == e->comm;
	case TESSERA_TR_COLL_END:
		return b->tag == e->tag && b->comm == e->comm;
	default:
		return 1;
	}
}

/*
 * The begin an end closes, as an index into open[] (-1: none). Sends and receives take the
 * oldest that fits (MPI matches in posting order), the rest the newest (they nest); an end
 * that fits none exactly takes any begin of its kind.
 */
static long find_begin(const struct rec *rec, const uint32_t *open, size_t nopen,
		       const struct rec *e)
{
	int oldest = e->kind == TESSERA_TR_SEND_END || e->kind == TESSERA_TR_RECV_END;

	for (int exact = 1; exact >= 0; exact--) {
		if (oldest) {
			for (size_t i = 0; i < nopen; i++)
				if (fits(&rec[open[i]], e, exact))
					return (long)i;
		} else {
			for (size_t i = nopen; i-- > 0;)
				if (fits(&rec[open[i]], e, exact))
					return (long)i;
		}
	}
	return -1;
}

static int is_begin(unsigned kind)
{
	switch (kind) {
	case TESSERA_TR_SEND_BEGIN:
	case TESSERA_TR_RECV_BEGIN:
	case TESSERA_TR_COLL_BEGIN:
	case TESSERA_TR_HALT:
	case TESSERA_TR_HOSTCALL_BEGIN:
		return 1;
	default:
		return 0;
	}
}

static enum sl_kind slice_kind(unsigned end_kind)
{
	switch (end_kind) {
	case TESSERA_TR_SEND_END: return SL_SEND;
	case TESSERA_TR_RECV_END: return SL_RECV;
	case TESSERA_TR_COLL_END: return SL_COLL;
	case TESSERA_TR_WAKE: return SL_HALT;
	case TESSERA_TR_POWER: return SL_POWER;
	default: return SL_HOST;
	}
}

/* Rank r's records -> slices (appended to S), then its records are freed. */
static int rank_slices(struct rank_log *l, struct slices *S)
{
	uint32_t *open = NULL;
	size_t nopen = 0, cap = 0;
	int rc = 0;

	for (size_t i = 0; i < l->n && !rc; i++) {
		const struct rec *e = &l->rec[i];
		long j;
		int cancelled;

		if (e->kind == TESSERA_TR_POWER) {	/* an instant: RCCE's power management */
			rc = add_slice(S, SL_POWER, e, e->t_ns, e->t_ns, 0);
			continue;
		}
		if (is_begin(e->kind)) {
			if (!(rc = hd_trace_grow((void **)&open, &cap, nopen + 1, sizeof(*open))))
				open[nopen++] = (uint32_t)i;
			continue;
		}
		j = find_begin(l->rec, open, nopen, e);
		if (j < 0) {
			rc = add_slice(S, slice_kind(e->kind), e, e->t_ns, e->t_ns, SL_NO_BEGIN);
			continue;
		}
		/* sends and receives are named by what completed, the others (and a cancelled
		 * receive) by their begin */
		cancelled = e->kind == TESSERA_TR_RECV_END && e->peer < 0;
		rc = add_slice(S, slice_kind(e->kind),
			       (e->kind == TESSERA_TR_SEND_END || e->kind == TESSERA_TR_RECV_END) &&
			       !cancelled ? e : &l->rec[open[j]], l->rec[open[j]].t_ns, e->t_ns,
			       cancelled ? SL_CANCELLED : 0);
		memmove(&open[j], &open[j + 1], (nopen - (size_t)j - 1) * sizeof(*open));
		nopen--;
	}
	for (size_t i = 0; i < nopen && !rc; i++) {
		const struct rec *b = &l->rec[open[i]];
		rc = add_slice(S, slice_kind(b->kind + 1u), b, b->t_ns, l->t_last, SL_UNFINISHED);
	}
	free(open);
	free(l->rec);
	l->rec = NULL;
	l->n = l->cap = 0;
	return rc;
}

/* ---- pairing sends with receives: MPI's non-overtaking rule ---- */

struct endpoint {
	uint32_t src, dst, comm;
	int32_t tag;
	uint32_t ix;			/* global slice index: program order within a rank */
};

static int ep_cmp_key(const struct endpoint *a, const struct endpoint *b)
{
	if (a->src != b->src)
		return a->src < b->src ? -1 : 1;
	if (a->dst != b->dst)
		return a->dst < b->dst ? -1 : 1;
	if (a->comm != b->comm)
		return a->comm < b->comm ? -1 : 1;
	if (a->tag != b->tag)
		return a->tag < b->tag ? -1 : 1;
	return 0;
}

static int ep_cmp(const void *pa, const void *pb)
{
	const struct endpoint *a = pa, *b = pb;
	int c = ep_cmp_key(a, b);

	return c ? c : a->ix < b->ix ? -1 : a->ix > b->ix;
}

/*
 * The k-th completed send from a to b with (comm, tag) pairs with the k-th receive
 * completed at b from a with (comm, tag). Fills S->mate; counts what stayed single.
 */
static int pair(const struct hd_trace *t, struct slices *S)
{
	struct endpoint *snd = NULL, *rcv = NULL;
	size_t ns = 0, nr = 0, cs = 0, cr = 0, i = 0, j = 0;
	int rc = 0;

	S->paired = S->lone_sends = S->lone_recvs = 0;
	for (size_t k = 0; k < S->n; k++)
		S->mate[k] = UINT32_MAX;
	for (uint32_t r = 0; r < t->nranks && !rc; r++)
		for (size_t k = S->first[r]; k < S->first[r + 1] && !rc; k++) {
			const struct slice *s = &S->s[k];
			struct endpoint e = { r, (uint32_t)s->peer, s->comm, s->tag, (uint32_t)k };

			if (s->flags & (SL_UNFINISHED | SL_CANCELLED))
				continue;
			if (s->kind == SL_SEND && !(rc = hd_trace_grow((void **)&snd, &cs, ns + 1, sizeof(e))))
				snd[ns++] = e;
			else if (s->kind == SL_RECV &&
				 !(rc = hd_trace_grow((void **)&rcv, &cr, nr + 1, sizeof(e)))) {
				e.src = (uint32_t)s->peer;
				e.dst = r;
				rcv[nr++] = e;
			}
		}
	if (rc)
		goto out;
	if (ns)
		qsort(snd, ns, sizeof(*snd), ep_cmp);
	if (nr)
		qsort(rcv, nr, sizeof(*rcv), ep_cmp);
	while (i < ns && j < nr) {
		int c = ep_cmp_key(&snd[i], &rcv[j]);
		if (c < 0) {
			i++, S->lone_sends++;
		} else if (c > 0) {
			j++, S->lone_recvs++;
		} else {
			S->mate[snd[i].ix] = rcv[j].ix;
			S->mate[rcv[j].ix] = snd[i].ix;
			i++, j++, S->paired++;
		}
	}
	S->lone_sends += ns - i;
	S->lone_recvs += nr - j;
out:
	free(snd);
	free(rcv);
	return rc;
}

void hd_slices_free(struct slices *S)
{
	free(S->s);
	free(S->first);
	free(S->mate);
	free(S->msg_t0);
	memset(S, 0, sizeof(*S));
}

int hd_slices_make(struct hd_trace *t, struct slices *S)
{
	int rc;

	memset(S, 0, sizeof(*S));
	S->first = calloc((size_t)t->nranks + 1, sizeof(*S->first));
	if (!S->first)
		return -ENOMEM;
	for (uint32_t r = 0; r < t->nranks; r++) {
		S->first[r] = S->n;
		if ((rc = rank_slices(&t->log[r], S)))
			return rc;
	}
	S->first[t->nranks] = S->n;
	if (S->n >= UINT32_MAX || !(S->mate = malloc((S->n + 1) * sizeof(*S->mate))))
		return -ENOMEM;
	return pair(t, S);
}
