// SPDX-License-Identifier: MIT
/*
 * trace_layout.c: what a trace shows of each rank, whatever the file format: which slices
 * are written (the kinds asked for, up to the cut of --trace-limit), the "message" slice in
 * each matched receive that the arrow from its send ends on, the track (lane) of every
 * slice, the arrows, the names, and the board's messages-in-flight counter. The writers
 * (trace_json.c, trace_pftrace.c) only encode what this decides.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace_impl.h"

const char *const hd_slice_category[] = { "coll", "send", "recv", "message", "hostcall",
					  "halt", "power" };

/* ---- names ---- */

static const char *coll_name(int32_t c)
{
	static const char *const name[TESSERA_COLL_MAX] = { "collective", "MPI_Barrier",
		"MPI_Bcast", "MPI_Reduce", "MPI_Allreduce", "MPI_Gather", "MPI_Scatter",
		"MPI_Allgather", "MPI_Alltoall", "MPI_Reduce_scatter", "MPI_Scan", "MPI_Exscan",
		"collective", "MPI_Neighbor_allgather", "MPI_Neighbor_alltoall" };

	return c > 0 && c < TESSERA_COLL_MAX ? name[c] : name[0];
}

static const char *hostcall_name(int32_t op)
{
	static const char *const name[] = { "?", "open", "close", "read", "write", "lseek",
		"fstat", "stat", "unlink", "mkdir", "isatty", "abort", "preadv", "pwritev",
		"ftruncate", "fsync", "fallocate" };

	return op > 0 && op <= TESSERA_HC_FALLOCATE ? name[op] : name[0];
}

/* A collective the MPI library ran inside another call (board.h, TESSERA_TRACE_COLL_TAG):
 * "MPI_Cart_create: context agreement (MPI_Allreduce)", "MPI_File_open: internal
 * MPI_Bcast", "MPI_File_write_all: collective I/O". A tag from a core is input: values out of range name nothing. */
static int inner_coll_name(int32_t tag, char *buf, size_t n, const char *unf)
{
#define CALL_NAME(s) s,
	static const char *const call[] = { NULL, TESSERA_TRACE_CALLS(CALL_NAME) };
#undef CALL_NAME
	uint32_t u = (uint32_t)tag, st = u >> 8 & 0xff, c = u >> 16 & 0xff;

	if (u >> 24 || !st || st >= TESSERA_STEP_MAX || c >= sizeof(call) / sizeof(call[0]))
		return 0;
	if (st == TESSERA_STEP_CONTEXT && (tag & 0xff) && (tag & 0xff) != TESSERA_COLL_OTHER)
		snprintf(buf, n, "%s: context agreement (%s)%s", c ? call[c] : "MPI",
			 coll_name(tag & 0xff), unf);
	else if (st == TESSERA_STEP_CONTEXT)
		snprintf(buf, n, "%s: context agreement%s", c ? call[c] : "MPI", unf);
	else if (st == TESSERA_STEP_IO)
		snprintf(buf, n, "%s: collective I/O%s", c ? call[c] : "MPI", unf);
	else
		snprintf(buf, n, "%s: internal %s%s", c ? call[c] : "MPI", coll_name(tag & 0xff),
			 unf);
	return 1;
}

void hd_slice_name(const struct slice *s, char *buf, size_t n)
{
	const char *unf = s->flags & SL_UNFINISHED ? " (unfinished)" : "";

	if ((s->flags & SL_INNER) && !(s->flags & (SL_UNFINISHED | SL_CANCELLED)) &&
	    (s->kind == SL_SEND || s->kind == SL_RECV || s->kind == SL_MSG)) {
		snprintf(buf, n, "%s %d (%" PRIu64 " B)", s->kind == SL_SEND ? "send to" :
			 s->kind == SL_RECV ? "recv from" : "message from", s->peer,
			 (uint64_t)s->bytes);
		return;
	}
	switch (s->kind) {
	case SL_SEND:
		if (s->flags & SL_UNFINISHED)
			snprintf(buf, n, "send to %d (tag %d, unfinished)", s->peer, s->tag);
		else
			snprintf(buf, n, "send to %d (tag %d, %" PRIu64 " B)", s->peer, s->tag,
				 (uint64_t)s->bytes);
		break;
	case SL_RECV:
		if (!(s->flags & (SL_UNFINISHED | SL_CANCELLED)))
			snprintf(buf, n, "recv from %d (tag %d, %" PRIu64 " B)", s->peer, s->tag,
				 (uint64_t)s->bytes);
		else if (s->peer < 0)
			snprintf(buf, n, "recv from any (%s)", s->flags & SL_CANCELLED ? "cancelled" :
				 "unfinished");
		else
			snprintf(buf, n, "recv from %d (%s)", s->peer, s->flags & SL_CANCELLED ?
				 "cancelled" : "unfinished");
		break;
	case SL_MSG:
		snprintf(buf, n, "message from %d (tag %d, %" PRIu64 " B)", s->peer, s->tag,
			 (uint64_t)s->bytes);
		break;
	case SL_COLL:
		if (!inner_coll_name(s->tag, buf, n, unf))
			snprintf(buf, n, "%s%s", coll_name(s->tag), unf);
		break;
	case SL_HOST:
		snprintf(buf, n, "host call %s%s", hostcall_name(s->tag), unf);
		break;
	case SL_POWER:	/* TESSERA_TR_POWER: tag = divider, peer = voltage level, bytes = MHz */
		snprintf(buf, n, "power: %" PRIu64 " MHz (divider %d), voltage level %d",
			 (uint64_t)s->bytes, s->tag, s->peer);
		break;
	default:
		snprintf(buf, n, "halted%s", unf);
		break;
	}
}

void hd_lane_name(const struct hd_trace *t, uint32_t rank, unsigned lane, char *buf, size_t n)
{
	uint32_t core = t->rank_core[rank];
	int k = snprintf(buf, n, "rank %u (core %u, tile %u,%u)%s", rank, core,
			 tessera_core_x(&t->geom, core), tessera_core_y(&t->geom, core),
			 lane ? " overlap" : "");

	if (lane > 1 && k > 0 && (size_t)k < n)
		snprintf(buf + k, n - (size_t)k, " %u", lane);
}

/* ---- where the arrow into a receive lands ---- */

static int u64_pair_cmp(const void *pa, const void *pb)
{
	const uint64_t *a = pa, *b = pb;

	return a[0] < b[0] ? -1 : a[0] > b[0];
}

/*
 * The message slice of a matched receive: from the moment both sides were in the operation,
 * at least 1 ns after the send began (viewers take the earlier end of an arrow as its
 * source), to the receive's end; moved past a halt it would cut in two.
 */
static uint64_t msg_start(const struct slice *recv, uint64_t send_t0, const uint64_t *halts,
			  size_t nhalts)
{
	uint64_t c = send_t0 + 1 > recv->t0 ? send_t0 + 1 : recv->t0;
	size_t lo = 0, hi = nhalts;

	while (lo < hi) {		/* first halt starting at or after c */
		size_t mid = (lo + hi) / 2;
		if (halts[2 * mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo ? lo - 1 : 0; k < nhalts && halts[2 * k] <= c; k++)
		if (halts[2 * k] < c && c < halts[2 * k + 1])
			c = halts[2 * k + 1];
	return c < recv->t1 ? c : recv->t1;
}

int hd_msg_starts(const struct hd_trace *t, struct slices *S)
{
	uint64_t *halts = NULL;
	size_t cap = 0;

	if (!(S->msg_t0 = calloc(S->n + 1, sizeof(uint64_t))))
		return -ENOMEM;
	for (uint32_t r = 0; r < t->nranks; r++) {
		size_t nh = 0;

		for (size_t k = S->first[r]; k < S->first[r + 1]; k++) {
			if (S->s[k].kind != SL_HALT)
				continue;
			if (hd_trace_grow((void **)&halts, &cap, 2 * nh + 2, sizeof(uint64_t))) {
				free(halts);
				return -ENOMEM;
			}
			halts[2 * nh] = S->s[k].t0;
			halts[2 * nh++ + 1] = S->s[k].t1;
		}
		if (nh)
			qsort(halts, nh, 2 * sizeof(uint64_t), u64_pair_cmp);
		for (size_t k = S->first[r]; k < S->first[r + 1]; k++)
			if (S->s[k].kind == SL_RECV && S->mate[k] != UINT32_MAX)
				S->msg_t0[k] = msg_start(&S->s[k], S->s[S->mate[k]].t0, halts, nh);
	}
	free(halts);
	return 0;
}

/* ---- a rank's items ---- */

static int item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	if (a->s.t0 != b->s.t0)
		return a->s.t0 < b->s.t0 ? -1 : 1;
	if (a->s.t1 != b->s.t1)
		return a->s.t1 > b->s.t1 ? -1 : 1;	/* the longer encloses */
	if (a->s.kind != b->s.kind)
		return a->s.kind < b->s.kind ? -1 : 1;
	return a->ref < b->ref ? -1 : a->ref > b->ref;
}

/* Put every item on the first track where it nests; returns the tracks used. */
static int assign_lanes(struct item *it, size_t n, unsigned *nlanes)
{
	struct { uint64_t *end; size_t n, cap; } lane[LANE_MAX + 1];
	unsigned used = 1;
	int rc = 0;

	memset(lane, 0, sizeof(lane));
	for (size_t i = 0; i < n && !rc; i++) {
		struct slice *s = &it[i].s;
		unsigned l;

		for (l = 0; l < LANE_MAX; l++) {
			while (lane[l].n && lane[l].end[lane[l].n - 1] <= s->t0)
				lane[l].n--;
			if (!lane[l].n || lane[l].end[lane[l].n - 1] >= s->t1)
				break;
		}
		s->lane = (uint8_t)l;
		if (l + 1 > used)
			used = l + 1;
		if (l == LANE_MAX)
			continue;	/* the last track takes what overlaps, nested or not */
		if ((rc = hd_trace_grow((void **)&lane[l].end, &lane[l].cap, lane[l].n + 1,
					sizeof(uint64_t))))
			break;
		lane[l].end[lane[l].n++] = s->t1;
	}
	for (unsigned l = 0; l <= LANE_MAX; l++)
		free(lane[l].end);
	*nlanes = used;
	return rc;
}

static int written(const struct hd_trace *t, unsigned kind)
{
	static const uint32_t need[] = { [SL_COLL] = HD_TRACE_COLL, [SL_SEND] = HD_TRACE_SEND,
		[SL_RECV] = HD_TRACE_RECV, [SL_MSG] = HD_TRACE_MESSAGE | HD_TRACE_RECV,
		[SL_HOST] = HD_TRACE_HOSTCALL, [SL_HALT] = HD_TRACE_HALT, [SL_POWER] = HD_TRACE_POWER };

	return (t->kinds & need[kind]) == need[kind];
}

/* Keep it if it starts before the cut; end it at the cut if it goes on past it. */
static int keep_item(const struct hd_trace *t, struct item *it)
{
	if (!written(t, it->s.kind) || it->s.t0 >= t->cut)
		return 0;
	if (it->s.t1 > t->cut) {
		it->s.t1 = t->cut;
		it->s.flags |= SL_CUT;
	}
	return 1;
}

/*
 * Flag the sends and receives that lie inside a (blocking) collective of the rank: the
 * messages the collective is made of. Their tags number the collective's rounds, so their
 * names leave the tag out (a name per round would defeat Perfetto's interning).
 */
static void mark_inner(struct layout *L)
{
	uint64_t coll_end = 0;

	for (size_t k = 0; k < L->n; k++) {
		struct slice *s = &L->it[k].s;

		if (s->kind == SL_COLL && s->t1 > coll_end)
			coll_end = s->t1;
		else if ((s->kind == SL_SEND || s->kind == SL_RECV || s->kind == SL_MSG) &&
			 s->t1 <= coll_end)
			s->flags |= SL_INNER;
	}
}

int hd_layout_rank(const struct hd_trace *t, const struct slices *S, uint32_t r,
		   struct layout *L)
{
	size_t first = S->first[r], n = S->first[r + 1] - first;

	memset(L, 0, sizeof(*L));
	L->nlanes = 1;
	if (!(L->it = malloc((2 * n + 1) * sizeof(*L->it))))
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		const struct slice *s = &S->s[first + k];
		struct item *it = &L->it[L->n];

		it->s = *s;
		it->ref = (uint32_t)(first + k);
		L->n += keep_item(t, it);
		if (s->kind != SL_RECV || S->mate[first + k] == UINT32_MAX)
			continue;
		it = &L->it[L->n];
		it->s = *s;
		it->s.kind = SL_MSG;
		it->s.t0 = S->msg_t0[first + k];
		it->ref = (uint32_t)(first + k);
		L->n += keep_item(t, it);
	}
	if (L->n)
		qsort(L->it, L->n, sizeof(*L->it), item_cmp);
	mark_inner(L);
	return assign_lanes(L->it, L->n, &L->nlanes);
}

void hd_layout_free(struct layout *L)
{
	free(L->it);
	memset(L, 0, sizeof(*L));
}

uint64_t hd_item_flow(const struct hd_trace *t, const struct slices *S, const struct item *it)
{
	uint32_t m = S->mate[it->ref];

	if (m == UINT32_MAX || !(t->kinds & HD_TRACE_SEND) || !written(t, SL_MSG))
		return 0;
	if (it->s.kind == SL_SEND)
		return S->msg_t0[m] < t->cut ? (uint64_t)it->ref + 1 : 0;
	if (it->s.kind == SL_MSG)
		return (uint64_t)m + 1;	/* its send began before it: written too */
	return 0;
}

/* ---- the messages-in-flight counter ---- */

struct step {
	uint64_t t;
	int64_t d;
};

static int step_cmp(const void *pa, const void *pb)
{
	const struct step *a = pa, *b = pb;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->d < b->d ? -1 : a->d > b->d;	/* arrivals first: no false peak */
}

/*
 * A message is in flight from the start of its send until its receive completed (a send
 * that nobody received stays in flight). One sample per time stamp at which the count
 * changes.
 */
int hd_inflight(const struct hd_trace *t, const struct slices *S, struct sample **out,
		size_t *nout)
{
	struct step *st = NULL;
	struct sample *o = NULL;
	size_t n = 0, cap = 0, no = 0;
	int64_t v = 0;

	(void)t;
	*out = NULL;
	*nout = 0;
	for (size_t k = 0; k < S->n; k++) {
		const struct slice *s = &S->s[k];
		if (s->kind != SL_SEND || (s->flags & SL_UNFINISHED))
			continue;
		if (hd_trace_grow((void **)&st, &cap, n + 2, sizeof(*st)))
			goto oom;
		st[n++] = (struct step){ s->t0, 1 };
		if (S->mate[k] != UINT32_MAX)
			st[n++] = (struct step){ S->s[S->mate[k]].t1, -1 };
	}
	if (!n)
		return 0;
	qsort(st, n, sizeof(*st), step_cmp);
	if (!(o = malloc(n * sizeof(*o))))
		goto oom;
	for (size_t i = 0; i < n; i++) {
		uint64_t shown;

		v += st[i].d;
		shown = v > 0 ? (uint64_t)v : 0;	/* separate core clocks can misorder */
		if (no && o[no - 1].t == st[i].t)
			o[no - 1].v = shown;
		else
			o[no++] = (struct sample){ st[i].t, shown };
	}
	free(st);
	*out = o;
	*nout = no;
	return 0;
oom:
	free(st);
	return -ENOMEM;
}
