/* SPDX-License-Identifier: MIT */
/*
 * pftrace_read.h: a small reader of Perfetto protobuf traces for the tests, written apart
 * from the writer (host-driver/trace_pftrace.c) so that the tests check the file against
 * Perfetto's format, not against the writer's own idea of it. It follows what Perfetto's
 * trace processor does with the parts tessera uses: per packet sequence the interned names
 * and categories, the default track, the sequence-scoped incremental clock; track
 * descriptors; begin, end, instant and counter events with their flow ids and arguments;
 * groups of packets deflated into one (compressed_packets, inflated as zlib data).
 * Field numbers are spelled out here with the .proto they come from (protos/perfetto/...).
 */
#ifndef PFTRACE_READ_H
#define PFTRACE_READ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct pf_track {
	uint64_t uuid, parent;
	char name[128];
	int64_t order;			/* sibling_order_rank */
	int explicit_order, counter;
};

struct pf_event {
	uint64_t ts, track;
	int type;			/* 1 begin, 2 end, 3 instant, 4 counter */
	char name[128], cat[32];
	uint64_t flow, term_flow;	/* 0: none */
	int64_t value;			/* counter value, or the "comm" argument */
	int has_comm;
	char *arg;			/* a string argument's value (malloc'd), or NULL */
	char arg_name[32];
};

struct pf_trace {
	struct pf_track *tr;
	size_t ntr;
	struct pf_event *ev;
	size_t nev;
	size_t ngroups;			/* compressed_packets met */
	int bad;			/* something a reader would refuse; why in what */
	char what[160];
};

/* ---- wire format ---- */

struct pf_buf {
	const uint8_t *p, *end;
};

static int pf_varint(struct pf_buf *b, uint64_t *v)
{
	*v = 0;
	for (int s = 0; s < 64 && b->p < b->end; s += 7) {
		uint8_t c = *b->p++;
		*v |= (uint64_t)(c & 0x7f) << s;
		if (!(c & 0x80))
			return 0;
	}
	return -1;
}

/* Next field: number, wire type, value (varint, fixed64) or sub-buffer (length-delimited). */
static int pf_next(struct pf_buf *b, uint32_t *field, int *wire, uint64_t *v, struct pf_buf *sub)
{
	uint64_t key, len;

	if (b->p >= b->end || pf_varint(b, &key))
		return -1;
	*field = (uint32_t)(key >> 3);
	*wire = (int)(key & 7);
	if (*wire == 0)
		return pf_varint(b, v);
	if (*wire == 1) {
		if (b->end - b->p < 8)
			return -1;
		*v = 0;
		for (int i = 0; i < 8; i++)
			*v |= (uint64_t)b->p[i] << (8 * i);
		b->p += 8;
		return 0;
	}
	if (*wire == 2) {
		if (pf_varint(b, &len) || len > (uint64_t)(b->end - b->p))
			return -1;
		sub->p = b->p;
		sub->end = b->p + len;
		b->p += len;
		return 0;
	}
	return -1;
}

static void pf_copy(char *dst, size_t n, const struct pf_buf *s)
{
	size_t len = (size_t)(s->end - s->p) < n - 1 ? (size_t)(s->end - s->p) : n - 1;

	memcpy(dst, s->p, len);
	dst[len] = 0;
}

/* ---- per-sequence state ---- */

#define PF_NAMES 4096

struct pf_seq {
	uint32_t id;
	int incremental;		/* clock 64 is incremental on this sequence */
	uint32_t clock;			/* default timestamp_clock_id */
	uint64_t last, track;		/* incremental clock value; default track */
	char *name[PF_NAMES], *cat[64], *ann[16];	/* interned, by iid */
};

static struct pf_seq *pf_seq_get(struct pf_seq **seqs, size_t *n, uint32_t id)
{
	for (size_t i = 0; i < *n; i++)
		if ((*seqs)[i].id == id)
			return &(*seqs)[i];
	*seqs = realloc(*seqs, (*n + 1) * sizeof(**seqs));
	memset(&(*seqs)[*n], 0, sizeof(**seqs));
	(*seqs)[*n].id = id;
	return &(*seqs)[(*n)++];
}

static void pf_intern(char **tab, size_t max, struct pf_buf e)
{
	uint32_t f;
	int w;
	uint64_t v, iid = 0;
	struct pf_buf s, name = { 0 };

	while (!pf_next(&e, &f, &w, &v, &s)) {
		if (f == 1 && w == 0)		/* EventName.iid, EventCategory.iid, ... */
			iid = v;
		else if (f == 2 && w == 2)	/* .name */
			name = s;
	}
	if (iid && iid < max && name.p) {
		free(tab[iid]);
		tab[iid] = malloc((size_t)(name.end - name.p) + 1);
		pf_copy(tab[iid], (size_t)(name.end - name.p) + 1, &name);
	}
}

static void pf_bad(struct pf_trace *T, const char *what)
{
	if (!T->bad)
		snprintf(T->what, sizeof(T->what), "%s", what);
	T->bad = 1;
}

/* ---- packets ---- */

static void pf_track(struct pf_trace *T, struct pf_buf d)
{
	struct pf_track *t;
	uint32_t f;
	int w;
	uint64_t v;
	struct pf_buf s;

	T->tr = realloc(T->tr, (T->ntr + 1) * sizeof(*T->tr));
	t = &T->tr[T->ntr++];
	memset(t, 0, sizeof(*t));
	while (!pf_next(&d, &f, &w, &v, &s)) {
		switch (f) {		/* trace/track_event/track_descriptor.proto */
		case 1: t->uuid = v; break;
		case 2: pf_copy(t->name, sizeof(t->name), &s); break;
		case 5: t->parent = v; break;
		case 8: t->counter = 1; break;
		case 11: t->explicit_order = v == 3; break;
		case 12: t->order = (int64_t)v; break;
		}
	}
}

static void pf_event(struct pf_trace *T, struct pf_seq *q, uint64_t ts, struct pf_buf d)
{
	struct pf_event *e;
	uint32_t f, f2;
	int w, w2;
	uint64_t v, v2;
	struct pf_buf s, s2;

	T->ev = realloc(T->ev, (T->nev + 1) * sizeof(*T->ev));
	e = &T->ev[T->nev++];
	memset(e, 0, sizeof(*e));
	e->ts = ts;
	e->track = q->track;
	while (!pf_next(&d, &f, &w, &v, &s)) {
		switch (f) {		/* trace/track_event/track_event.proto */
		case 3:
			if (v < 64 && q->cat[v])
				snprintf(e->cat, sizeof(e->cat), "%s", q->cat[v]);
			else
				pf_bad(T, "a category iid that was not interned on its sequence");
			break;
		case 9: e->type = (int)v; break;
		case 10:
			if (v < PF_NAMES && q->name[v])
				snprintf(e->name, sizeof(e->name), "%s", q->name[v]);
			else
				pf_bad(T, "a name iid that was not interned on its sequence");
			break;
		case 11: e->track = v; break;
		case 23: pf_copy(e->name, sizeof(e->name), &s); break;
		case 30: e->value = (int64_t)v; break;
		case 47: if (w != 1) pf_bad(T, "flow_ids not fixed64"); e->flow = v; break;
		case 48:
			if (w != 1)
				pf_bad(T, "terminating_flow_ids not fixed64");
			e->term_flow = v;
			break;
		case 4:			/* DebugAnnotation (debug_annotation.proto) */
			{
				char an[32] = "";
				int64_t iv = 0;
				struct pf_buf str = { 0 };

				while (!pf_next(&s, &f2, &w2, &v2, &s2)) {
					if (f2 == 1 && v2 < 16 && q->ann[v2])
						snprintf(an, sizeof(an), "%s", q->ann[v2]);
					else if (f2 == 10)
						pf_copy(an, sizeof(an), &s2);
					else if (f2 == 4)
						iv = (int64_t)v2;
					else if (f2 == 6)
						str = s2;
				}
				if (!strcmp(an, "comm")) {
					e->has_comm = 1;
					e->value = iv;
				} else if (str.p) {
					size_t n = (size_t)(str.end - str.p) + 1;
					e->arg = malloc(n);
					pf_copy(e->arg, n, &str);
					snprintf(e->arg_name, sizeof(e->arg_name), "%s", an);
				}
			}
			break;
		}
	}
}

static void pf_packets(struct pf_trace *T, struct pf_seq **seqs, size_t *nseq, struct pf_buf b,
		       int nested);

/* compressed_packets (trace/trace_packet.proto, 50): a zlib stream of Trace.packet fields. */
static void pf_inflate(struct pf_trace *T, struct pf_seq **seqs, size_t *nseq, struct pf_buf z)
{
	z_stream zs;
	size_t cap = (size_t)(z.end - z.p) * 4 + 4096, n = 0;
	uint8_t *out = malloc(cap);
	int rc;

	memset(&zs, 0, sizeof(zs));
	if (!out || inflateInit(&zs) != Z_OK) {
		free(out);
		pf_bad(T, "cannot inflate");
		return;
	}
	zs.next_in = (Bytef *)z.p;
	zs.avail_in = (uInt)(z.end - z.p);
	do {
		if (n == cap)
			out = realloc(out, cap *= 2);
		zs.next_out = out + n;
		zs.avail_out = (uInt)(cap - n);
		rc = inflate(&zs, Z_NO_FLUSH);
		n = cap - zs.avail_out;
	} while (rc == Z_OK);
	inflateEnd(&zs);
	T->ngroups++;
	if (rc != Z_STREAM_END)
		pf_bad(T, "compressed_packets that do not inflate to their end");
	else
		pf_packets(T, seqs, nseq, (struct pf_buf){ out, out + n }, 1);
	free(out);
}

static void pf_packet(struct pf_trace *T, struct pf_seq **seqs, size_t *nseq, struct pf_buf p)
{
	uint32_t f, seq_id = 0, clock = 0;
	int w, has_ts = 0;
	uint64_t v, ts = 0;
	struct pf_buf s, te = { 0 }, td = { 0 }, in = { 0 }, defs = { 0 }, cs = { 0 }, all = p;
	struct pf_seq *q;

	while (!pf_next(&p, &f, &w, &v, &s)) {
		switch (f) {		/* trace/trace_packet.proto */
		case 50:
			pf_inflate(T, seqs, nseq, s);
			return;
		case 6: cs = s; break;
		case 8: ts = v; has_ts = 1; break;
		case 10: seq_id = (uint32_t)v; break;
		case 11: te = s; break;
		case 12: in = s; break;
		case 58: clock = (uint32_t)v; break;
		case 59: defs = s; break;
		case 60: td = s; break;
		}
	}
	if (p.p != p.end)
		pf_bad(T, "a packet does not decode");
	(void)all;
	q = pf_seq_get(seqs, nseq, seq_id);
	if (defs.p) {		/* trace/trace_packet_defaults.proto */
		struct pf_buf s2;
		uint32_t f2;
		int w2;
		uint64_t v2;
		while (!pf_next(&defs, &f, &w, &v, &s)) {
			if (f == 58)
				q->clock = (uint32_t)v;
			else if (f == 11)
				while (!pf_next(&s, &f2, &w2, &v2, &s2))
					if (f2 == 11)
						q->track = v2;
		}
	}
	if (cs.p) {		/* trace/clock_snapshot.proto */
		while (!pf_next(&cs, &f, &w, &v, &s)) {
			uint32_t f2, id = 0;
			int w2, inc = 0;
			uint64_t v2, at = 0;
			struct pf_buf s2;
			while (!pf_next(&s, &f2, &w2, &v2, &s2)) {
				if (f2 == 1) id = (uint32_t)v2;
				if (f2 == 2) at = v2;
				if (f2 == 3) inc = (int)v2;
			}
			if (id >= 64 && id < 128) {
				q->incremental = inc;
				q->last = at;
			}
		}
	}
	if (in.p) {		/* trace/interned_data/interned_data.proto */
		while (!pf_next(&in, &f, &w, &v, &s)) {
			if (f == 1) pf_intern(q->cat, 64, s);
			if (f == 2) pf_intern(q->name, PF_NAMES, s);
			if (f == 3) pf_intern(q->ann, 16, s);
		}
	}
	if (td.p)
		pf_track(T, td);
	if (!clock)
		clock = q->clock;
	if (has_ts && clock >= 64 && clock < 128) {
		if (!q->incremental)
			pf_bad(T, "a sequence clock without a clock snapshot");
		q->last += ts;
		ts = q->last;
	}
	if (te.p) {
		if (!has_ts)
			pf_bad(T, "a track event without a time stamp");
		pf_event(T, q, ts, te);
	}
}

/* A stream of packets: the file, or what a group inflated to (which holds no groups). */
static void pf_packets(struct pf_trace *T, struct pf_seq **seqs, size_t *nseq, struct pf_buf b,
		       int nested)
{
	uint32_t field;
	int wire;
	uint64_t v;
	struct pf_buf s;

	while (b.p < b.end) {	/* trace/trace.proto: repeated TracePacket packet = 1 */
		if (pf_next(&b, &field, &wire, &v, &s) || field != 1 || wire != 2) {
			pf_bad(T, "a top-level field that is not a packet");
			break;
		}
		size_t groups = T->ngroups;

		pf_packet(T, seqs, nseq, s);
		if (nested && T->ngroups != groups)
			pf_bad(T, "compressed_packets inside compressed_packets");
	}
}

/* Read a whole trace; 0, or -1 if the file cannot be read or is not a packet stream. */
static int pf_read(const char *path, struct pf_trace *T)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long n;
	struct pf_buf b;
	struct pf_seq *seqs = NULL;
	size_t nseq = 0;

	memset(T, 0, sizeof(*T));
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n + 1);
	if (fread(data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	b.p = data;
	b.end = data + n;
	pf_packets(T, &seqs, &nseq, b, 0);
	for (size_t i = 0; i < nseq; i++) {
		for (int k = 0; k < PF_NAMES; k++)
			free(seqs[i].name[k]);
		for (int k = 0; k < 64; k++)
			free(seqs[i].cat[k]);
		for (int k = 0; k < 16; k++)
			free(seqs[i].ann[k]);
	}
	free(seqs);
	free(data);
	return 0;
}

static void pf_free(struct pf_trace *T)
{
	for (size_t i = 0; i < T->nev; i++)
		free(T->ev[i].arg);
	free(T->ev);
	free(T->tr);
	memset(T, 0, sizeof(*T));
}

/*
 * What a viewer needs of the events: on every track, each end closes a begin, no time
 * goes backwards, and every arrow has one start and one end, the end later. The number
 * of arrows, or -1 with T->what saying what is wrong.
 */
static long pf_check(struct pf_trace *T)
{
	size_t nflow = 0;
	long arrows = 0;
	struct { uint64_t id, t_start, t_end; int starts, ends; } *fl = NULL;

	for (size_t i = 0; i < T->ntr; i++) {
		uint64_t last = 0;
		long depth = 0;
		for (size_t k = 0; k < T->nev; k++) {
			const struct pf_event *e = &T->ev[k];
			if (e->track != T->tr[i].uuid)
				continue;
			if (e->ts < last) {
				pf_bad(T, "time goes backwards on a track");
				return -1;
			}
			last = e->ts;
			depth += e->type == 1;
			if (e->type == 2 && --depth < 0) {
				snprintf(T->what, sizeof(T->what), "an end without a begin on %s",
					 T->tr[i].name);
				return -1;
			}
		}
		if (depth) {
			snprintf(T->what, sizeof(T->what), "%ld slices never end on %s", depth,
				 T->tr[i].name);
			return -1;
		}
	}
	for (size_t k = 0; k < T->nev; k++) {
		const struct pf_event *e = &T->ev[k];
		uint64_t id = e->flow ? e->flow : e->term_flow;
		size_t j;

		if (!id)
			continue;
		for (j = 0; j < nflow && fl[j].id != id; j++)
			;
		if (j == nflow) {
			fl = realloc(fl, (nflow + 1) * sizeof(*fl));
			memset(&fl[nflow++], 0, sizeof(*fl));
			fl[j].id = id;
		}
		if (e->flow) {
			fl[j].starts++;
			fl[j].t_start = e->ts;
		} else {
			fl[j].ends++;
			fl[j].t_end = e->ts;
		}
	}
	for (size_t j = 0; j < nflow; j++) {
		if (fl[j].starts != 1 || fl[j].ends != 1 || fl[j].t_end <= fl[j].t_start) {
			snprintf(T->what, sizeof(T->what), "flow %llu: %d starts, %d ends, %llu -> %llu",
				 (unsigned long long)fl[j].id, fl[j].starts, fl[j].ends,
				 (unsigned long long)fl[j].t_start, (unsigned long long)fl[j].t_end);
			free(fl);
			return -1;
		}
		arrows++;
	}
	free(fl);
	return arrows;
}

#endif
