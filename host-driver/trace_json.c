// SPDX-License-Identifier: MIT
/*
 * trace_json.c: a job's slices (trace_pair.c) written as a Chrome trace event JSON file
 * that Perfetto (ui.perfetto.dev) and chrome://tracing open: one process for the board, one
 * thread per rank (and an "overlap" thread where its operations do not nest), sends,
 * receives, collectives, halts and host calls as complete ("X") slices, and an arrow (flow
 * "s" -> "f") from each send to the receive it was paired with. The "tessera" object at the
 * end (trace_meta.c) holds what `tessera heatmap` needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace_impl.h"

#define LANE_MAX	255u		/* extra tracks per rank for slices that overlap */

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
		"fstat", "stat", "unlink", "mkdir", "isatty", "abort", "preadv", "pwritev",
		"ftruncate", "fsync", "fallocate" };

	return op > 0 && op <= TESSERA_HC_FALLOCATE ? name[op] : name[0];
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
	case SL_POWER:	/* TESSERA_TR_POWER: tag = divider, peer = voltage level, bytes = MHz */
		snprintf(buf, n, "power: %" PRIu64 " MHz (divider %d), voltage level %d",
			 (uint64_t)s->bytes, s->tag, s->peer);
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
					"halt", "power" };

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

static int write_json(struct hd_trace *t, struct slices *S)
{
	struct hd_trace_meta meta;
	uint64_t t_end = 0;
	char name[64];
	FILE *f = t->f;
	int rc;

	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
	fprintf(f, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"args\":{\"name\":", PID);
	snprintf(name, sizeof(name), "tessera board %s", t->geom.name);
	hd_json_string(f, name);
	fputs("}}", f);
	for (uint32_t r = 0; r < t->nranks; r++) {
		if ((rc = write_rank(t, S, r)))
			return rc;
		if (t->log[r].t_last > t_end)
			t_end = t->log[r].t_last;
	}
	if ((rc = hd_trace_meta_make(t, S, t_end, &meta)))
		return rc;
	fputs("\n],\n", f);
	hd_trace_meta_put(f, &meta);
	fputs("}\n", f);
	free(meta.rank_core);
	free(meta.traffic);
	return 0;
}

/* Records -> slices (rank by rank, freeing the records), pairing, then the file. */
int hd_trace_write(struct hd_trace *t)
{
	struct slices S;
	int rc = hd_slices_make(t, &S);

	if (!rc)
		rc = write_json(t, &S);
	hd_slices_free(&S);
	return rc;
}
