// SPDX-License-Identifier: MIT
/*
 * trace_pftrace.c: a job's trace in Perfetto's own format, a stream of TracePacket
 * protobuf messages (field numbers and encoder: trace_pb.h), which ui.perfetto.dev and
 * Perfetto's trace processor read. What is on each track is trace_layout.c's decision;
 * this file encodes it compactly:
 *   - one root track for the board, its children in an explicit order: the counter (if
 *     asked for), then each rank's tracks ("rank 2 (core 5, tile 2,0)", and its "overlap"
 *     tracks), each a packet sequence of its own whose packets default to that track;
 *   - time stamps as deltas from the previous packet of the sequence (a sequence-scoped
 *     incremental clock, 1 to 3 bytes instead of 5), the clock's 0 at the job's start;
 *   - slices as begin and end events, names and categories interned (the name written once,
 *     then a small number); arrows as flow ids on the send's begin and the message's begin;
 *   - the communicator as the slice's only argument, and only when it is not context 0
 *     (MPI_COMM_WORLD's point-to-point traffic);
 *   - the "tessera" metadata (trace_meta.c) as the argument of an instant event at time 0,
 *     and an instant event where --trace-limit cut the trace;
 *   - after the board's track and the metadata, the packets in groups of GROUP_BYTES, each
 *     deflated into one packet's compressed_packets (an order of magnitude less: most of a
 *     packet repeats the packets before it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "trace_impl.h"
#include "trace_pb.h"

#define ROOT_UUID	1u		/* the board's track, and the sequence of its packets */
#define COUNTER_UUID	2u
#define LANE_UUID0	16u		/* lane l of rank r: LANE_UUID0 + l * nranks + r */
#define COMM_IID	1u		/* the interned annotation name "comm" */

/* Event names, interned once for the whole trace: one id per name, whatever the sequence
 * (Perfetto forbids giving one id two names). */
struct names {
	struct name { char *s; uint32_t iid, hash; } *tab;
	uint32_t n, cap;		/* cap: a power of two */
};

/* One track as a packet sequence. */
struct seq {
	uint32_t id;			/* sequence id = track uuid */
	uint64_t last;			/* time of its last packet */
	uint64_t *sent;			/* bit per name iid: already in this sequence */
	size_t sent_words;
	uint32_t cats;			/* bit per category: already in this sequence */
	int comm_sent;
	struct open { uint64_t t0, t1; } *open;	/* its slices begun and not yet ended */
	size_t nopen, open_cap;
};

/* Packets after the first few go into the file in groups, each deflated (zlib) into one
 * TracePacket.compressed_packets, as Perfetto's own tracing service writes them. */
#define GROUP_BYTES	(256u << 10)	/* packets per group, before deflating */

struct pw {
	struct hd_trace *t;
	const struct slices *S;
	FILE *f;
	struct pb pkt;			/* the packet being built */
	struct pb group;		/* packets waiting to be deflated together; */
	int grouping;			/* 0 while the first packets go out as they are */
	size_t group_mark0;		/* counting: the first mark of the group */
	struct names names;
};

static uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/* The iid of name, added if new; 0 when memory ran out. */
static uint32_t name_iid(struct names *N, const char *s)
{
	uint32_t h = str_hash(s), at;

	if (N->n * 2 >= N->cap) {
		uint32_t cap = N->cap ? N->cap * 2 : 256;
		struct name *tab = calloc(cap, sizeof(*tab));

		if (!tab)
			return 0;
		for (uint32_t i = 0; i < N->cap; i++) {
			if (!N->tab[i].s)
				continue;
			for (at = N->tab[i].hash & (cap - 1); tab[at].s; at = (at + 1) & (cap - 1))
				;
			tab[at] = N->tab[i];
		}
		free(N->tab);
		N->tab = tab;
		N->cap = cap;
	}
	for (at = h & (N->cap - 1); N->tab[at].s; at = (at + 1) & (N->cap - 1))
		if (N->tab[at].hash == h && !strcmp(N->tab[at].s, s))
			return N->tab[at].iid;
	if (!(N->tab[at].s = strdup(s)))
		return 0;
	N->tab[at].hash = h;
	N->tab[at].iid = ++N->n;
	return N->n;
}

static void names_free(struct names *N)
{
	for (uint32_t i = 0; i < N->cap; i++)
		free(N->tab[i].s);
	free(N->tab);
}

/* The Trace.packet field that holds n bytes: its key and length; returns its size. */
static size_t packet_head(uint8_t head[11], uint64_t len)
{
	size_t n = 0;

	head[n++] = PF_TRACE_PACKET << 3 | PB_LEN;
	for (; len >= 0x80; len >>= 7)
		head[n++] = (uint8_t)(len | 0x80);
	head[n++] = (uint8_t)len;
	return n;
}

/*
 * Deflate the group into one packet and write it. While --trace-limit is being worked out
 * the packets themselves went through the counting stream (so that every event is marked
 * with its bytes); their marks are scaled here to the group's deflated size, spread in
 * proportion to what each one counted.
 */
static int put_group(struct pw *w)
{
	struct hd_trace *t = w->t;
	uLongf zn = compressBound(w->group.n);
	uint8_t *z, head[11];
	struct pb key = { 0 };		/* compressed_packets' key and length */
	size_t hn;
	uint64_t field, total = 0, done = 0, scaled = 0;
	int rc = 0;

	if (!w->group.n)
		return 0;
	if (w->group.err || !(z = malloc(zn)))
		return -ENOMEM;
	if (compress2(z, &zn, w->group.p, w->group.n, Z_DEFAULT_COMPRESSION) != Z_OK) {
		free(z);
		return -ENOMEM;
	}
	pb_tag(&key, PF_PACKET_COMPRESSED, PB_LEN);
	pb_varint(&key, zn);
	field = key.n + zn;
	hn = packet_head(head, field);
	if (t->counting) {
		for (size_t i = w->group_mark0; i < t->nmarks; i++)
			total += t->marks[i].bytes;
		for (size_t i = w->group_mark0; total && i < t->nmarks; i++) {
			uint64_t upto;

			done += t->marks[i].bytes;
			upto = (hn + field) * done / total;
			t->marks[i].bytes = (uint32_t)(upto - scaled);
			scaled = upto;
		}
		w->group_mark0 = t->nmarks;
	} else if (key.err) {
		rc = -ENOMEM;
	} else {
		fwrite(head, 1, hn, w->f);
		fwrite(key.p, 1, key.n, w->f);
		fwrite(z, 1, zn, w->f);
	}
	free(key.p);
	free(z);
	w->group.n = 0;
	return rc;
}

/* Write the packet built in w->pkt as one Trace.packet (or add it to the group) and start
 * the next. */
static int put_packet(struct pw *w)
{
	uint8_t head[11];
	size_t n;
	int rc;

	if (w->pkt.err)
		return -ENOMEM;
	n = packet_head(head, w->pkt.n);
	if (w->grouping) {
		if (w->group.n + n + w->pkt.n > GROUP_BYTES && (rc = put_group(w)))
			return rc;
		if (pb_room(&w->group, n + w->pkt.n)) {
			memcpy(w->group.p + w->group.n, head, n);
			memcpy(w->group.p + w->group.n + n, w->pkt.p, w->pkt.n);
			w->group.n += n + w->pkt.n;
		}
	}
	if (!w->grouping || w->t->counting) {	/* counting: the marks need the bytes */
		fwrite(head, 1, n, w->f);
		fwrite(w->pkt.p, 1, w->pkt.n, w->f);
	}
	w->pkt.n = 0;
	return w->group.err ? -ENOMEM : 0;
}

/* The first two packets of a sequence: its track, its defaults (that track, the
 * sequence's incremental clock), then the clock itself, 0 at the job's start. */
static int start_seq(struct pw *w, struct seq *q, uint32_t parent, const char *name,
		     int32_t order, int counter)
{
	struct pb *b = &w->pkt;
	size_t td, d, e, cs, c;
	int rc;

	q->last = 0;
	pb_uint(b, PF_PACKET_SEQUENCE_ID, q->id);
	pb_uint(b, PF_PACKET_SEQUENCE_FLAGS, PF_SEQ_INCREMENTAL_STATE_CLEARED);
	td = pb_open(b, PF_PACKET_TRACK_DESCRIPTOR);
	pb_uint(b, PF_TRACK_UUID, q->id);
	if (parent)
		pb_uint(b, PF_TRACK_PARENT_UUID, parent);
	pb_string(b, PF_TRACK_NAME, name);
	if (parent)
		pb_uint(b, PF_TRACK_SIBLING_ORDER, (uint64_t)order);
	else
		pb_uint(b, PF_TRACK_CHILD_ORDERING, PF_ORDERING_EXPLICIT);
	if (counter) {
		c = pb_open(b, PF_TRACK_COUNTER);
		pb_uint(b, PF_COUNTER_UNIT, PF_UNIT_COUNT);
		pb_close(b, c);
	}
	pb_close(b, td);
	d = pb_open(b, PF_PACKET_DEFAULTS);
	pb_uint(b, PF_DEFAULTS_CLOCK_ID, PF_CLOCK_SEQUENCE);
	e = pb_open(b, PF_DEFAULTS_TRACK_EVENT);
	pb_uint(b, PF_EVENT_DEFAULTS_TRACK_UUID, q->id);
	pb_close(b, e);
	pb_close(b, d);
	if ((rc = put_packet(w)))
		return rc;
	pb_uint(b, PF_PACKET_SEQUENCE_ID, q->id);
	cs = pb_open(b, PF_PACKET_CLOCK_SNAPSHOT);
	c = pb_open(b, PF_SNAPSHOT_CLOCKS);
	pb_uint(b, PF_CLOCK_ID, PF_CLOCK_SEQUENCE);
	pb_uint(b, PF_CLOCK_TIMESTAMP, 0);
	pb_uint(b, PF_CLOCK_INCREMENTAL, 1);
	pb_close(b, c);
	c = pb_open(b, PF_SNAPSHOT_CLOCKS);
	pb_uint(b, PF_CLOCK_ID, PF_CLOCK_BOOTTIME);
	pb_uint(b, PF_CLOCK_TIMESTAMP, 0);
	pb_close(b, c);
	pb_close(b, cs);
	return put_packet(w);
}

/* Begin a packet of sequence q at time at (not before its last packet). */
static void packet_at(struct pw *w, struct seq *q, uint64_t at)
{
	if (at < q->last)
		at = q->last;	/* cannot happen on a track whose slices nest; stay valid */
	pb_uint(&w->pkt, PF_PACKET_TIMESTAMP, at - q->last);
	pb_uint(&w->pkt, PF_PACKET_SEQUENCE_ID, q->id);
	q->last = at;
}

static int seq_has(struct seq *q, uint32_t iid)
{
	size_t word = iid / 64;

	if (word >= q->sent_words) {
		size_t n = word * 2 + 4;
		uint64_t *nb = realloc(q->sent, n * sizeof(uint64_t));
		if (!nb)
			return -ENOMEM;
		memset(nb + q->sent_words, 0, (n - q->sent_words) * sizeof(uint64_t));
		q->sent = nb;
		q->sent_words = n;
	}
	if (q->sent[word] >> (iid % 64) & 1)
		return 1;
	q->sent[word] |= 1ull << (iid % 64);
	return 0;
}

static void interned(struct pb *b, unsigned field, uint32_t iid, const char *name)
{
	size_t e = pb_open(b, field);

	pb_uint(b, PF_INTERNED_IID, iid);
	pb_string(b, PF_INTERNED_NAME, name);
	pb_close(b, e);
}

/* An event without duration: an end whose begin was never seen, a change of power state. */
static int instant(const struct slice *s)
{
	return (s->flags & SL_NO_BEGIN) || s->kind == SL_POWER;
}

/* The begin (or instant) event of an item on its lane's sequence. */
static int put_begin(struct pw *w, struct seq *q, const struct item *it)
{
	const struct slice *s = &it->s;
	uint32_t cat = s->kind, comm = s->comm == COMM_MANY ? UINT32_MAX : w->t->comm_id[s->comm];
	uint64_t flow = hd_item_flow(w->t, w->S, it);
	int new_cat = !(q->cats >> cat & 1), seen, new_comm;
	struct pb *b = &w->pkt;
	char name[160];
	uint32_t iid;
	size_t te, a;

	if (s->kind == SL_HALT || s->kind == SL_HOST || s->kind == SL_POWER ||
	    (s->flags & SL_INNER))
		comm = 0;	/* no argument */
	new_comm = comm && !q->comm_sent;
	hd_slice_name(s, name, sizeof(name));
	if (!(iid = name_iid(&w->names, name)) || (seen = seq_has(q, iid)) < 0)
		return -ENOMEM;
	packet_at(w, q, s->t0);
	if (!seen || new_cat || new_comm) {
		size_t d = pb_open(b, PF_PACKET_INTERNED_DATA);

		if (new_cat)
			interned(b, PF_INTERNED_CATEGORIES, cat + 1, hd_slice_category[cat]);
		if (!seen)
			interned(b, PF_INTERNED_EVENT_NAMES, iid, name);
		if (new_comm)
			interned(b, PF_INTERNED_ANNOTATION_NAMES, COMM_IID, "comm");
		pb_close(b, d);
		q->cats |= 1u << cat;
		q->comm_sent |= new_comm;
	}
	te = pb_open(b, PF_PACKET_TRACK_EVENT);
	pb_uint(b, PF_EVENT_TYPE, instant(s) ? PF_TYPE_INSTANT : PF_TYPE_SLICE_BEGIN);
	pb_uint(b, PF_EVENT_NAME_IID, iid);
	pb_uint(b, PF_EVENT_CATEGORY_IIDS, cat + 1);
	if (flow)
		pb_fixed64(b, s->kind == SL_SEND ? PF_EVENT_FLOW_IDS : PF_EVENT_TERMINATING_FLOW_IDS,
			   flow);
	if (comm) {
		a = pb_open(b, PF_EVENT_DEBUG_ANNOTATIONS);
		pb_uint(b, PF_ANNOTATION_NAME_IID, COMM_IID);
		pb_uint(b, PF_ANNOTATION_INT, comm);
		pb_close(b, a);
	}
	pb_close(b, te);
	return put_packet(w);
}

/* End the slices of q that end by time `by` (all: UINT64_MAX), innermost first. */
static int put_ends(struct pw *w, struct seq *q, uint64_t by)
{
	int rc = 0;

	while (!rc && q->nopen && q->open[q->nopen - 1].t1 <= by) {
		struct open o = q->open[--q->nopen];
		size_t te;

		packet_at(w, q, o.t1);
		te = pb_open(&w->pkt, PF_PACKET_TRACK_EVENT);
		pb_uint(&w->pkt, PF_EVENT_TYPE, PF_TYPE_SLICE_END);
		pb_close(&w->pkt, te);
		if (!(rc = put_packet(w)))
			rc = hd_trace_mark(w->t, o.t0, 0);	/* the slice's bytes, not the end's time */
	}
	return rc;
}

static int write_rank(struct pw *w, uint32_t r)
{
	struct hd_trace *t = w->t;
	struct seq q[LANE_MAX + 1];
	struct layout L;
	int rc = hd_layout_rank(t, w->S, r, &L);

	memset(q, 0, sizeof(q));
	for (unsigned l = 0; !rc && l < L.nlanes; l++) {
		char name[96];

		hd_lane_name(t, r, l, name, sizeof(name));
		q[l].id = LANE_UUID0 + l * t->nranks + r;
		rc = start_seq(w, &q[l], ROOT_UUID, name, (int32_t)(1 + r * (LANE_MAX + 1) + l), 0);
	}
	if (!rc)
		rc = hd_trace_mark(t, 0, 0);		/* the tracks are always written */
	for (size_t k = 0; !rc && k < L.n; k++) {
		const struct item *it = &L.it[k];
		struct seq *s = &q[it->s.lane];

		if ((rc = put_ends(w, s, it->s.t0)) || (rc = put_begin(w, s, it)))
			break;
		if (!instant(&it->s)) {
			if ((rc = hd_trace_grow((void **)&s->open, &s->open_cap, s->nopen + 1,
						sizeof(*s->open))))
				break;
			s->open[s->nopen++] = (struct open){ it->s.t0, it->s.t1 };
		}
		rc = hd_trace_mark(t, it->s.t0, 1);
	}
	for (unsigned l = 0; l < L.nlanes; l++) {
		if (!rc)
			rc = put_ends(w, &q[l], UINT64_MAX);
		free(q[l].sent);
		free(q[l].open);
	}
	hd_layout_free(&L);
	return rc;
}

/* An instant event on the root track, with one string argument (NULL: none). */
static int put_instant(struct pw *w, struct seq *root, uint64_t at, const char *name,
		       const char *arg, const char *value)
{
	struct pb *b = &w->pkt;
	size_t te, a;

	packet_at(w, root, at);
	te = pb_open(b, PF_PACKET_TRACK_EVENT);
	pb_uint(b, PF_EVENT_TYPE, PF_TYPE_INSTANT);
	pb_string(b, PF_EVENT_NAME, name);
	if (arg) {
		a = pb_open(b, PF_EVENT_DEBUG_ANNOTATIONS);
		pb_string(b, PF_ANNOTATION_NAME, arg);
		pb_string(b, PF_ANNOTATION_STRING, value);
		pb_close(b, a);
	}
	pb_close(b, te);
	return put_packet(w);
}

/* The metadata (trace_meta.c) as JSON text: {"tessera":{...}}. */
static int put_meta(struct pw *w, struct seq *root, const struct hd_trace_meta *m)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	int rc;

	if (!f)
		return -ENOMEM;
	fputc('{', f);
	hd_trace_meta_put(f, m);
	fputc('}', f);
	if (fclose(f) || !text) {
		free(text);
		return -ENOMEM;
	}
	rc = put_instant(w, root, 0, "tessera trace", "tessera", text);
	free(text);
	return rc;
}

static int put_counter(struct pw *w, struct seq *root)
{
	struct seq c = { .id = COUNTER_UUID };
	struct sample *v;
	size_t n;
	int rc = hd_inflight(w->t, w->S, &v, &n);

	if (!rc)
		rc = start_seq(w, &c, ROOT_UUID, "messages in flight", 0, 1);
	(void)root;
	for (size_t i = 0; !rc && i < n && v[i].t < w->t->cut; i++) {
		size_t te;

		packet_at(w, &c, v[i].t);
		te = pb_open(&w->pkt, PF_PACKET_TRACK_EVENT);
		pb_uint(&w->pkt, PF_EVENT_TYPE, PF_TYPE_COUNTER);
		pb_uint(&w->pkt, PF_EVENT_COUNTER_VALUE, v[i].v);
		pb_close(&w->pkt, te);
		if (!(rc = put_packet(w)))
			rc = hd_trace_mark(w->t, v[i].t, 1);
	}
	free(v);
	return rc;
}

int hd_trace_pftrace(struct hd_trace *t, const struct slices *S,
		     const struct hd_trace_meta *m, FILE *f)
{
	struct pw w = { .t = t, .S = S, .f = f };
	struct seq root = { .id = ROOT_UUID };
	char name[96];
	int rc;

	snprintf(name, sizeof(name), "tessera board %s", t->geom.name);
	rc = start_seq(&w, &root, 0, name, 0, 0);
	if (!rc)
		rc = put_meta(&w, &root, m);
	w.grouping = 1;		/* the metadata stays readable without inflating (trace_meta.c) */
	w.group_mark0 = t->nmarks;
	if (!rc && (t->kinds & HD_TRACE_COUNTER))
		rc = put_counter(&w, &root);
	if (!rc)
		rc = hd_trace_mark(t, 0, 0);
	for (uint32_t r = 0; r < t->nranks && !rc; r++) {
		rc = write_rank(&w, r);
		hd_trace_step(t, r + 1);
	}
	if (!rc && t->cut != UINT64_MAX) {
		char note[64];

		snprintf(note, sizeof(note), "%llu", (unsigned long long)t->events);
		rc = put_instant(&w, &root, t->cut, "trace cut here by --trace-limit",
				 "events_written", note);
	}
	if (!rc)
		rc = put_group(&w);
	free(w.pkt.p);
	free(w.group.p);
	names_free(&w.names);
	return rc;
}
