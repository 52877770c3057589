// SPDX-License-Identifier: MIT
/*
 * trace_write.c: from a job's records to the file: slices and pairs (trace_pair.c), where
 * the arrows land (trace_layout.c), the metadata (trace_meta.c), then one of the writers
 * (trace_json.c, trace_pftrace.c). Under --trace-limit the writer first runs into a stream
 * that only counts: every event it puts out is marked with its start time and its bytes, so
 * the cut can be placed at the latest time where everything before it fits; then the file
 * is written once more with the events from that time on left out. Slices that run across
 * the cut end there, arrows whose other end is past it are left out, and an instant event
 * at the cut says so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace_impl.h"

/* Room kept below a byte limit for what the counting pass cannot see: the cut's own event
 * and the "cut" marks of slices that end at it. */
#define CUT_RESERVE(nranks)	(512u + 32u * (nranks))

uint64_t hd_trace_end(const struct hd_trace *t)
{
	uint64_t end = 0;

	for (uint32_t r = 0; r < t->nranks; r++)
		if (t->log[r].t_last > end)
			end = t->log[r].t_last;
	return end;
}

void hd_trace_step(struct hd_trace *t, uint32_t done)
{
	hd_progress(t->progress, t->progress_arg, t->counting ? "measuring the trace for its limit" :
		    "writing the trace", done, t->nranks);
}

int hd_trace_mark(struct hd_trace *t, uint64_t at, uint32_t events)
{
	uint64_t bytes = t->counted - t->marked;

	t->events += events;
	if (!t->counting)
		return 0;
	if (hd_trace_grow((void **)&t->marks, &t->marks_cap, t->nmarks + 1, sizeof(*t->marks)))
		return -ENOMEM;
	t->marks[t->nmarks++] = (struct mark){ at, bytes > UINT32_MAX ? UINT32_MAX :
					       (uint32_t)bytes, events };
	t->marked = t->counted;
	return 0;
}

static int write_file(struct hd_trace *t, const struct slices *S,
		      const struct hd_trace_meta *m, FILE *f)
{
	t->events = 0;
	if (t->format == HD_TRACE_FORMAT_PERFETTO)
		return hd_trace_pftrace(t, S, m, f);
	return hd_trace_json(t, S, m, f);
}

static ssize_t count_write(void *cookie, const char *buf, size_t n)
{
	(void)buf;
	((struct hd_trace *)cookie)->counted += n;
	return (ssize_t)n;
}

static int mark_cmp(const void *pa, const void *pb)
{
	const struct mark *a = pa, *b = pb;

	return a->t < b->t ? -1 : a->t > b->t;
}

/* Run the writer into a stream that only counts; its bytes in *bytes. */
static int count_file(struct hd_trace *t, const struct slices *S, const struct hd_trace_meta *m,
		      int counting, uint64_t *bytes)
{
	cookie_io_functions_t io = { .write = count_write };
	FILE *f = fopencookie(t, "w", io);
	int rc;

	if (!f)
		return -ENOMEM;
	setvbuf(f, NULL, _IONBF, 0);	/* so that t->counted is current at every mark */
	t->counting = counting;
	t->counted = t->marked = 0;
	rc = write_file(t, S, m, f);
	fclose(f);
	t->counting = 0;
	*bytes = t->counted;
	return rc;
}

/* Put t->cut at the first time where the marks (sorted) pass the limits, keeping `shave`
 * bytes more below the byte limit (UINT64_MAX when the whole trace fits). */
static void pick_cut(struct hd_trace *t, uint64_t fixed, uint64_t shave)
{
	uint64_t bytes = 0, events = 0, budget = UINT64_MAX;

	t->cut = UINT64_MAX;
	if (t->limit_bytes)
		budget = t->limit_bytes > fixed + shave ? t->limit_bytes - fixed - shave : 0;
	for (size_t i = 0; i < t->nmarks;) {
		uint64_t at = t->marks[i].t, b = 0, e = 0;

		for (; i < t->nmarks && t->marks[i].t == at; i++) {
			b += t->marks[i].bytes;
			e += t->marks[i].events;
		}
		if (bytes + b > budget || (t->limit_events && events + e > t->limit_events)) {
			t->cut = at;
			break;
		}
		bytes += b;
		events += e;
	}
}

/*
 * Run the writer into a counting stream and put t->cut where the limits are reached
 * (UINT64_MAX when the whole trace fits), m->cut_ns with it. The protobuf writer deflates
 * its packets in groups, so what it counted per event is an estimate (a part of a group
 * deflates less well than the whole): its file is measured with the cut in place, and the
 * cut moved earlier by what is too much until it fits.
 */
static int find_cut(struct hd_trace *t, const struct slices *S, struct hd_trace_meta *m)
{
	uint64_t fixed, size, shave = 0;
	int rc;

	t->nmarks = 0;
	t->cut = UINT64_MAX;
	m->cut_ns = t->cut;
	rc = count_file(t, S, m, 1, &size);
	fixed = t->counted - t->marked + CUT_RESERVE(t->nranks);
	if (!rc) {
		qsort(t->marks, t->nmarks, sizeof(*t->marks), mark_cmp);
		pick_cut(t, fixed, 0);
	}
	for (int tries = 0; !rc && t->limit_bytes && t->format == HD_TRACE_FORMAT_PERFETTO &&
	     t->cut != UINT64_MAX && tries < 16; tries++) {
		m->cut_ns = t->cut;
		if ((rc = count_file(t, S, m, 0, &size)) || size <= t->limit_bytes)
			break;
		shave += size - t->limit_bytes + t->limit_bytes / 64;
		pick_cut(t, fixed, shave);
	}
	m->cut_ns = t->cut;
	free(t->marks);
	t->marks = NULL;
	t->nmarks = t->marks_cap = 0;
	return rc;
}

int hd_trace_write(struct hd_trace *t)
{
	struct hd_trace_meta meta = { 0 };
	struct slices S;
	int rc;

	hd_trace_step(t, 0);		/* pairing is part of writing, for whoever waits */
	rc = hd_slices_make(t, &S);

	if (!rc)
		rc = hd_msg_starts(t, &S);
	if (!rc)
		rc = hd_trace_meta_make(t, &S, hd_trace_end(t), &meta);
	t->cut = UINT64_MAX;
	meta.cut_ns = t->cut;
	if (!rc && (t->limit_bytes || t->limit_events))
		rc = find_cut(t, &S, &meta);
	if (!rc)
		rc = write_file(t, &S, &meta, t->f);
	free(meta.rank_core);
	free(meta.traffic);
	free(meta.peak);
	hd_slices_free(&S);
	hd_progress(t->progress, t->progress_arg, NULL, 0, 0);
	return rc;
}
