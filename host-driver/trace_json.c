// SPDX-License-Identifier: MIT
/*
 * trace_json.c: a job's trace records (collected by trace.c) as a Chrome trace event JSON
 * file that Perfetto (ui.perfetto.dev) and chrome://tracing open: one process for the board,
 * one thread per rank (and an "overlap" thread where its operations do not nest), sends,
 * receives, collectives, halts and host calls as complete ("X") slices, and an arrow (flow
 * "s" -> "f") from each send to the receive that matched it by MPI's non-overtaking rule.
 * The "tessera" object at the end holds what `tessera heatmap` needs: geometry, rank ->
 * core, messages and bytes per rank pair, and counts of what could not be paired.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace_impl.h"

#define LANE_MAX	255u		/* extra tracks per rank for slices that overlap */

/* ---- turning records into slices ---- */

enum sl_kind { SL_COLL, SL_SEND, SL_RECV, SL_MSG, SL_HOST, SL_HALT };	/* outer to inner */

#define SL_UNFINISHED	1u	/* no end: the job stopped inside it */
#define SL_NO_BEGIN	2u	/* no begin was seen: a zero-length slice at the end */

struct slice {
	uint64_t t0, t1;
	uint64_t bytes : 48, comm : 16;
	int32_t tag;
	int16_t peer;
	uint8_t kind : 4, flags : 4;
	uint8_t lane;
};
_Static_assert(sizeof(struct slice) == 32, "slice");

struct slices {
	struct slice *s;
	size_t n, cap;
	size_t *first;			/* rank r's slices: first[r] .. first[r + 1] */
	uint32_t *mate;			/* send <-> receive, by global index; UINT32_MAX: none */
};

static int grow(void **p, size_t *cap, size_t need, size_t size)
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

	if (grow((void **)&S->s, &S->cap, S->n + 1, sizeof(*S->s)))
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

		if (is_begin(e->kind)) {
			if (!(rc = grow((void **)&open, &cap, nopen + 1, sizeof(*open))))
				open[nopen++] = (uint32_t)i;
			continue;
		}
		j = find_begin(l->rec, open, nopen, e);
		if (j < 0) {
			rc = add_slice(S, slice_kind(e->kind), e, e->t_ns, e->t_ns, SL_NO_BEGIN);
			continue;
		}
		/* sends and receives are named by what completed, the others by their begin */
		rc = add_slice(S, slice_kind(e->kind),
			       e->kind == TESSERA_TR_SEND_END || e->kind == TESSERA_TR_RECV_END ?
			       e : &l->rec[open[j]], l->rec[open[j]].t_ns, e->t_ns, 0);
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
static int pair(struct hd_trace *t, struct slices *S, uint64_t *paired, uint64_t *lone_sends,
		uint64_t *lone_recvs)
{
	struct endpoint *snd = NULL, *rcv = NULL;
	size_t ns = 0, nr = 0, cs = 0, cr = 0, i = 0, j = 0;
	int rc = 0;

	*paired = *lone_sends = *lone_recvs = 0;
	for (size_t k = 0; k < S->n; k++)
		S->mate[k] = UINT32_MAX;
	for (uint32_t r = 0; r < t->nranks && !rc; r++)
		for (size_t k = S->first[r]; k < S->first[r + 1] && !rc; k++) {
			const struct slice *s = &S->s[k];
			struct endpoint e = { r, (uint32_t)s->peer, s->comm, s->tag, (uint32_t)k };

			if (s->flags & SL_UNFINISHED)
				continue;
			if (s->kind == SL_SEND && !(rc = grow((void **)&snd, &cs, ns + 1, sizeof(e))))
				snd[ns++] = e;
			else if (s->kind == SL_RECV &&
				 !(rc = grow((void **)&rcv, &cr, nr + 1, sizeof(e)))) {
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
			i++, (*lone_sends)++;
		} else if (c > 0) {
			j++, (*lone_recvs)++;
		} else {
			S->mate[snd[i].ix] = rcv[j].ix;
			S->mate[rcv[j].ix] = snd[i].ix;
			i++, j++, (*paired)++;
		}
	}
	*lone_sends += ns - i;
	*lone_recvs += nr - j;
out:
	free(snd);
	free(rcv);
	return rc;
}

/* ---- writing the JSON ---- */

#define PID 1

/* One rank's slices while it is written: its own, plus one "message" child per matched
 * receive, the slice that the arrow from the send ends on. */
struct item {
	struct slice s;
	uint32_t ref;			/* global index of the slice (of the receive, for SL_MSG) */
};

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

static int u64_pair_cmp(const void *pa, const void *pb)
{
	const uint64_t *a = pa, *b = pb;

	return a[0] < b[0] ? -1 : a[0] > b[0];
}

static void put_ts(FILE *f, const char *key, uint64_t ns)
{
	fprintf(f, ",\"%s\":%" PRIu64 ".%03u", key, ns / 1000, (unsigned)(ns % 1000));
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *coll_name(int32_t c)
{
	static const char *const name[] = { "collective", "MPI_Barrier", "MPI_Bcast",
		"MPI_Reduce", "MPI_Allreduce", "MPI_Gather", "MPI_Scatter", "MPI_Allgather",
		"MPI_Alltoall", "MPI_Reduce_scatter", "MPI_Scan", "MPI_Exscan", "collective" };

	return c > 0 && c <= TESSERA_COLL_OTHER ? name[c] : name[0];
}

static const char *hostcall_name(int32_t op)
{
	static const char *const name[] = { "?", "open", "close", "read", "write", "lseek",
		"fstat", "stat", "unlink", "mkdir", "isatty", "abort" };

	return op > 0 && op <= TESSERA_HC_ABORT_JOB ? name[op] : name[0];
}

static void slice_name(const struct slice *s, char *buf, size_t n)
{
	const char *unf = s->flags & SL_UNFINISHED ? " (unfinished)" : "";

	switch (s->kind) {
	case SL_SEND:
		if (s->flags & SL_UNFINISHED)
			snprintf(buf, n, "send to %d (tag %d, unfinished)", s->peer, s->tag);
		else
			snprintf(buf, n, "send to %d (tag %d, %" PRIu64 " B)", s->peer, s->tag,
				 (uint64_t)s->bytes);
		break;
	case SL_RECV:
		if (!(s->flags & SL_UNFINISHED))
			snprintf(buf, n, "recv from %d (tag %d, %" PRIu64 " B)", s->peer, s->tag,
				 (uint64_t)s->bytes);
		else if (s->peer < 0)
			snprintf(buf, n, "recv from any (unfinished)");
		else
			snprintf(buf, n, "recv from %d (unfinished)", s->peer);
		break;
	case SL_MSG:
		snprintf(buf, n, "message from %d (tag %d, %" PRIu64 " B)", s->peer, s->tag,
			 (uint64_t)s->bytes);
		break;
	case SL_COLL:
		snprintf(buf, n, "%s%s", coll_name(s->tag), unf);
		break;
	case SL_HOST:
		snprintf(buf, n, "host call %s%s", hostcall_name(s->tag), unf);
		break;
	default:
		snprintf(buf, n, "halted%s", unf);
		break;
	}
}

/* Thread ids from 1: Perfetto takes a tid of 0 for "the process's own" and merges it. */
static uint32_t lane_tid(const struct hd_trace *t, uint32_t rank, unsigned lane)
{
	return lane * t->nranks + rank + 1;
}

static void put_flow(FILE *f, char ph, uint32_t id, uint32_t tid, uint64_t at)
{
	fprintf(f, ",\n{\"ph\":\"%c\",%s\"id\":%u,\"name\":\"message\",\"cat\":\"message\","
		"\"pid\":%d,\"tid\":%u", ph, ph == 'f' ? "\"bp\":\"e\"," : "", id, PID, tid);
	put_ts(f, "ts", at);
	fputc('}', f);
}

/*
 * When to put the flow event of it[k], written just after its slice. Perfetto binds a flow
 * to the slice that opened last on the track, chrome://tracing to the one that encloses it:
 * 1 ns into the slice does for both, unless another slice opens on the track by then; then
 * at the slice's own start (events at one time keep their order in the file).
 */
static uint64_t flow_time(const struct item *it, size_t n, size_t k)
{
	uint64_t t0 = it[k].s.t0;

	if (it[k].s.t1 < t0 + 1)
		return t0;
	for (size_t j = k + 1; j < n && j < k + 4096; j++)	/* (overlap tracks are sparse) */
		if (it[j].s.lane == it[k].s.lane)
			return it[j].s.t0 > t0 + 1 ? t0 + 1 : t0;
	return t0 + 1;
}

static const char *const cat_name[] = { "coll", "send", "recv", "message", "hostcall",
					"halt" };

static void put_slice(struct hd_trace *t, const struct item *it, uint32_t tid)
{
	const struct slice *s = &it->s;
	char name[160];

	slice_name(s, name, sizeof(name));
	fprintf(t->f, ",\n{\"ph\":\"X\",\"name\":\"%s\",\"cat\":\"%s\",\"pid\":%d,\"tid\":%u",
		name, cat_name[s->kind], PID, tid);
	put_ts(t->f, "ts", s->t0);
	put_ts(t->f, "dur", s->t1 - s->t0);
	if (s->kind != SL_HALT)
		fprintf(t->f, ",\"args\":{\"peer\":%d,\"tag\":%d,\"comm\":%" PRIu32
			",\"bytes\":%" PRIu64 "%s}", s->peer, s->tag,
			s->comm == COMM_MANY ? UINT32_MAX : t->comm_id[s->comm], (uint64_t)s->bytes,
			s->flags & SL_UNFINISHED ? ",\"unfinished\":true" :
			s->flags & SL_NO_BEGIN ? ",\"no_begin\":true" : "");
	fputc('}', t->f);
}

/*
 * Where the arrow into a matched receive lands: a child of the receive from the moment both
 * sides were in the operation (never before the send began, so the viewer draws the arrow
 * from send to receive) to the receive's end, moved past a halt it would cut in two.
 */
static uint64_t msg_start(const struct slice *recv, uint64_t send_t0, const uint64_t *halts,
			  size_t nhalts)
{
	uint64_t c = send_t0 > recv->t0 ? send_t0 : recv->t0;
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

/* Put every slice on the first track where it nests; returns the tracks used. */
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
		if ((rc = grow((void **)&lane[l].end, &lane[l].cap, lane[l].n + 1,
			       sizeof(uint64_t))))
			break;
		lane[l].end[lane[l].n++] = s->t1;
	}
	for (unsigned l = 0; l <= LANE_MAX; l++)
		free(lane[l].end);
	*nlanes = used;
	return rc;
}

static int write_rank(struct hd_trace *t, struct slices *S, uint32_t r)
{
	size_t first = S->first[r], n = S->first[r + 1] - first, ni = 0, nh = 0;
	uint32_t core = t->rank_core[r];
	struct item *it = NULL;
	uint64_t *halts = NULL;
	unsigned nlanes = 1;
	int rc = -ENOMEM;

	it = malloc((2 * n + 1) * sizeof(*it));
	halts = malloc((2 * n + 1) * sizeof(uint64_t));
	if (!it || !halts)
		goto out;
	for (size_t k = 0; k < n; k++) {
		const struct slice *s = &S->s[first + k];
		it[ni].s = *s;
		it[ni++].ref = (uint32_t)(first + k);
		if (s->kind == SL_HALT) {
			halts[2 * nh] = s->t0;
			halts[2 * nh++ + 1] = s->t1;
		}
	}
	if (nh)
		qsort(halts, nh, 2 * sizeof(uint64_t), u64_pair_cmp);
	for (size_t k = 0; k < n; k++) {
		const struct slice *s = &S->s[first + k];
		uint32_t m = S->mate[first + k];

		if (s->kind != SL_RECV || m == UINT32_MAX)
			continue;
		it[ni].s = *s;
		it[ni].s.kind = SL_MSG;
		it[ni].s.t0 = msg_start(s, S->s[m].t0, halts, nh);
		it[ni++].ref = (uint32_t)(first + k);
	}
	if (ni)
		qsort(it, ni, sizeof(*it), item_cmp);
	if ((rc = assign_lanes(it, ni, &nlanes)))
		goto out;
	for (size_t k = 0; k < ni; k++) {
		uint32_t tid = lane_tid(t, r, it[k].s.lane), m = S->mate[it[k].ref];

		put_slice(t, &it[k], tid);
		/* the arrow's id: the send's global slice index + 1, known to both ends */
		if (it[k].s.kind == SL_SEND && m != UINT32_MAX)
			put_flow(t->f, 's', it[k].ref + 1, tid, flow_time(it, ni, k));
		else if (it[k].s.kind == SL_MSG)
			put_flow(t->f, 'f', m + 1, tid, flow_time(it, ni, k));
	}
	for (unsigned l = 0; l < nlanes; l++) {
		char name[96];

		snprintf(name, sizeof(name), "rank %u (core %u, tile %u,%u)%s", r, core,
			 tessera_core_x(&t->geom, core), tessera_core_y(&t->geom, core),
			 l ? " overlap" : "");
		if (l > 1)
			snprintf(name + strlen(name), sizeof(name) - strlen(name), " %u", l);
		fprintf(t->f, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%d,\"tid\":%u,"
			"\"args\":{\"name\":\"%s\"}}", PID, lane_tid(t, r, l), name);
		fprintf(t->f, ",\n{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":%d,"
			"\"tid\":%u,\"args\":{\"sort_index\":%u}}", PID, lane_tid(t, r, l),
			r * (LANE_MAX + 1) + l);
	}
	rc = 0;
out:
	free(it);
	free(halts);
	return rc;
}

/* "traffic": [[src, dst, messages, bytes], ...] over every completed send. */
static int write_traffic(struct hd_trace *t, const struct slices *S)
{
	uint64_t *row = calloc(2 * (size_t)t->nranks, sizeof(uint64_t));
	int comma = 0;

	if (!row)
		return -ENOMEM;
	fputs(",\n\"traffic\":[", t->f);
	for (uint32_t r = 0; r < t->nranks; r++) {
		memset(row, 0, 2 * (size_t)t->nranks * sizeof(uint64_t));
		for (size_t k = S->first[r]; k < S->first[r + 1]; k++)
			if (S->s[k].kind == SL_SEND && !(S->s[k].flags & SL_UNFINISHED)) {
				row[2 * (size_t)S->s[k].peer]++;
				row[2 * (size_t)S->s[k].peer + 1] += S->s[k].bytes;
			}
		for (uint32_t d = 0; d < t->nranks; d++)
			if (row[2 * d])
				fprintf(t->f, "%s[%u,%u,%" PRIu64 ",%" PRIu64 "]", comma++ ? "," : "",
					r, d, row[2 * d], row[2 * d + 1]);
	}
	fputc(']', t->f);
	free(row);
	return 0;
}

static int write_json(struct hd_trace *t, struct slices *S)
{
	uint64_t paired, lone_s, lone_r, t_end = 0, sends = 0;
	FILE *f = t->f;
	int rc;

	if ((rc = pair(t, S, &paired, &lone_s, &lone_r)))
		return rc;
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
	fprintf(f, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"args\":{\"name\":", PID);
	{
		char name[64];
		snprintf(name, sizeof(name), "tessera board %s", t->geom.name);
		put_string(f, name);
	}
	fputs("}}", f);
	for (uint32_t r = 0; r < t->nranks; r++) {
		if ((rc = write_rank(t, S, r)))
			return rc;
		if (t->log[r].t_last > t_end)
			t_end = t->log[r].t_last;
	}
	for (size_t k = 0; k < S->n; k++)
		sends += S->s[k].kind == SL_SEND && !(S->s[k].flags & SL_UNFINISHED);
	fputs("\n],\n\"tessera\":{\"format\":\"tessera-trace\",\"version\":1,\"board\":", f);
	put_string(f, t->geom.name);
	fprintf(f, ",\"mesh_x\":%u,\"mesh_y\":%u,\"cores_per_tile\":%u,\"nranks\":%u,"
		"\"rank_core\":[", t->geom.mesh_x, t->geom.mesh_y, t->geom.cores_per_tile,
		t->nranks);
	for (uint32_t r = 0; r < t->nranks; r++)
		fprintf(f, "%s%u", r ? "," : "", t->rank_core[r]);
	fprintf(f, "],\n\"duration_ns\":%" PRIu64 ",\"records\":%" PRIu64 ",\"bad_records\":%"
		PRIu64 ",\"ring_resets\":%" PRIu64 ",\"comms_merged\":%" PRIu64 ",\"sends\":%"
		PRIu64 ",\"paired\":%" PRIu64 ",\"unpaired_sends\":%" PRIu64
		",\"unpaired_recvs\":%" PRIu64, t_end, t->records, t->bad, t->resets,
		t->comms_merged, sends, paired, lone_s, lone_r);
	if ((rc = write_traffic(t, S)))
		return rc;
	fputs("}}\n", f);
	return 0;
}

/* Records -> slices (rank by rank, freeing the records), pairing, then the file. */
int hd_trace_write(struct hd_trace *t)
{
	struct slices S = { 0 };
	int rc = -ENOMEM;

	S.first = calloc((size_t)t->nranks + 1, sizeof(*S.first));
	if (!S.first)
		goto out;
	for (uint32_t r = 0; r < t->nranks; r++) {
		S.first[r] = S.n;
		if ((rc = rank_slices(&t->log[r], &S)))
			goto out;
	}
	S.first[t->nranks] = S.n;
	rc = -ENOMEM;
	if (S.n >= UINT32_MAX || !(S.mate = malloc((S.n + 1) * sizeof(*S.mate))))
		goto out;
	rc = write_json(t, &S);
out:
	free(S.s);
	free(S.first);
	free(S.mate);
	return rc;
}
