// SPDX-License-Identifier: MIT
/*
 * trace_json.c: a job's trace as a Chrome trace event JSON file, which Perfetto
 * (ui.perfetto.dev) and chrome://tracing open: one process for the board, one thread per
 * track of a rank (trace_layout.c decides what is on which), every slice a complete ("X")
 * event, an arrow (flow "s" -> "f") from each send to the message slice of its receive, the
 * messages-in-flight counter as "C" events, an instant event where --trace-limit cut the
 * trace, and the "tessera" object at the end (trace_meta.c) that `tessera heatmap` reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace_impl.h"

#define PID 1

static void put_ts(FILE *f, const char *key, uint64_t ns)
{
	fprintf(f, ",\"%s\":%" PRIu64 ".%03u", key, ns / 1000, (unsigned)(ns % 1000));
}

/* Thread ids from 1: Perfetto takes a tid of 0 for "the process's own" and merges it. */
static uint32_t lane_tid(const struct hd_trace *t, uint32_t rank, unsigned lane)
{
	return lane * t->nranks + rank + 1;
}

static void put_flow(FILE *f, char ph, uint64_t id, uint32_t tid, uint64_t at)
{
	fprintf(f, ",\n{\"ph\":\"%c\",%s\"id\":%" PRIu64 ",\"name\":\"message\","
		"\"cat\":\"message\",\"pid\":%d,\"tid\":%u", ph, ph == 'f' ? "\"bp\":\"e\"," : "",
		id, PID, tid);
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

static void put_slice(const struct hd_trace *t, FILE *f, const struct item *it, uint32_t tid)
{
	const struct slice *s = &it->s;
	char name[160];

	hd_slice_name(s, name, sizeof(name));
	fprintf(f, ",\n{\"ph\":\"X\",\"name\":\"%s\",\"cat\":\"%s\",\"pid\":%d,\"tid\":%u", name,
		hd_slice_category[s->kind], PID, tid);
	put_ts(f, "ts", s->t0);
	put_ts(f, "dur", s->t1 - s->t0);
	if (s->kind != SL_HALT)
		fprintf(f, ",\"args\":{\"peer\":%d,\"tag\":%d,\"comm\":%" PRIu32
			",\"bytes\":%" PRIu64 "%s%s}", s->peer, s->tag,
			s->comm == COMM_MANY ? UINT32_MAX : t->comm_id[s->comm], (uint64_t)s->bytes,
			s->flags & SL_UNFINISHED ? ",\"unfinished\":true" :
			s->flags & SL_NO_BEGIN ? ",\"no_begin\":true" :
			s->flags & SL_CANCELLED ? ",\"cancelled\":true" : "",
			s->flags & SL_CUT ? ",\"cut\":true" : "");
	fputc('}', f);
}

static int write_rank(struct hd_trace *t, const struct slices *S, uint32_t r, FILE *f)
{
	struct layout L;
	int rc = hd_layout_rank(t, S, r, &L);

	for (size_t k = 0; !rc && k < L.n; k++) {
		const struct item *it = &L.it[k];
		uint32_t tid = lane_tid(t, r, it->s.lane);
		uint64_t id = hd_item_flow(t, S, it);

		put_slice(t, f, it, tid);
		if (id)
			put_flow(f, it->s.kind == SL_SEND ? 's' : 'f', id, tid, flow_time(L.it, L.n, k));
		rc = hd_trace_mark(t, it->s.t0, 1);
	}
	for (unsigned l = 0; !rc && l < L.nlanes; l++) {
		char name[96];

		hd_lane_name(t, r, l, name, sizeof(name));
		fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%d,\"tid\":%u,"
			"\"args\":{\"name\":\"%s\"}}", PID, lane_tid(t, r, l), name);
		fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":%d,"
			"\"tid\":%u,\"args\":{\"sort_index\":%u}}", PID, lane_tid(t, r, l),
			r * (LANE_MAX + 1) + l);
	}
	hd_layout_free(&L);
	return rc;
}

static int write_counter(struct hd_trace *t, const struct slices *S, FILE *f)
{
	struct sample *v;
	size_t n;
	int rc = hd_inflight(t, S, &v, &n);

	for (size_t i = 0; !rc && i < n && v[i].t < t->cut; i++) {
		fprintf(f, ",\n{\"ph\":\"C\",\"name\":\"messages in flight\",\"pid\":%d", PID);
		put_ts(f, "ts", v[i].t);
		fprintf(f, ",\"args\":{\"messages\":%" PRIu64 "}}", v[i].v);
		rc = hd_trace_mark(t, v[i].t, 1);
	}
	free(v);
	return rc;
}

int hd_trace_json(struct hd_trace *t, const struct slices *S, const struct hd_trace_meta *m,
		  FILE *f)
{
	char name[64];
	int rc = 0;

	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
	fprintf(f, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"args\":{\"name\":", PID);
	snprintf(name, sizeof(name), "tessera board %s", t->geom.name);
	hd_json_string(f, name);
	fputs("}}", f);
	for (uint32_t r = 0; r < t->nranks && !rc; r++) {
		rc = write_rank(t, S, r, f);
		hd_trace_step(t, r + 1);
	}
	if (!rc && (t->kinds & HD_TRACE_COUNTER))
		rc = write_counter(t, S, f);
	if (rc)
		return rc;
	if (t->cut != UINT64_MAX) {
		fprintf(f, ",\n{\"ph\":\"i\",\"s\":\"g\",\"name\":\"trace cut here by "
			"--trace-limit\",\"cat\":\"tessera\",\"pid\":%d,\"tid\":0", PID);
		put_ts(f, "ts", t->cut);
		fprintf(f, ",\"args\":{\"events_written\":%" PRIu64 "}}", t->events);
	}
	fputs("\n],\n", f);
	hd_trace_meta_put(f, m);
	fputs("}\n", f);
	return 0;
}
