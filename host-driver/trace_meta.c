// SPDX-License-Identifier: MIT
/*
 * trace_meta.c: the "tessera" object of a trace file, the one place that knows its keys:
 * made from a job's slices, written by trace_json.c (a member of the file's top-level
 * object, after the events) and by trace_pftrace.c (the same object as JSON text, the
 * argument of an instant event at the start), read back and checked by hd_trace_meta_read
 * for the tools that need the board and the traffic but not the events (tessera heatmap).
 * A trace file is input: every value read is checked against the board limits of board.h
 * before it is used.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace_impl.h"
#include "trace_pb.h"

#define META_KEY	"tessera"
#define META_FORMAT	"tessera-trace"
#define META_VERSION	1

HD_API void hd_trace_meta_free(struct hd_trace_meta *m)
{
	if (!m)
		return;
	free(m->rank_core);
	free(m->traffic);
	free(m->peak);
	free(m);
}

/* ---- writing ---- */

#define PEAK_SPANS 100u

/* Hops from rank a's tile to rank b's under X-then-Y routing. */
static uint64_t hops(const struct hd_trace *t, uint32_t a, uint32_t b)
{
	uint32_t ca = t->rank_core[a], cb = t->rank_core[b];
	int dx = (int)tessera_core_x(&t->geom, ca) - (int)tessera_core_x(&t->geom, cb);
	int dy = (int)tessera_core_y(&t->geom, ca) - (int)tessera_core_y(&t->geom, cb);

	return (uint64_t)(dx < 0 ? -dx : dx) + (uint64_t)(dy < 0 ? -dy : dy);
}

/* Traffic of the completed sends that began in [t0, t1) (everything: 0, UINT64_MAX),
 * rank pair by rank pair, into *out. 0 or -ENOMEM. */
static int traffic(const struct hd_trace *t, const struct slices *S, uint64_t t0, uint64_t t1,
		   struct hd_trace_traffic **out, size_t *n, uint64_t *sends)
{
	uint64_t *row = calloc(2 * (size_t)t->nranks, sizeof(uint64_t));
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (!row)
		return -ENOMEM;
	for (uint32_t r = 0; r < t->nranks; r++) {
		memset(row, 0, 2 * (size_t)t->nranks * sizeof(uint64_t));
		for (size_t k = S->first[r]; k < S->first[r + 1]; k++) {
			const struct slice *s = &S->s[k];
			if (s->kind != SL_SEND || (s->flags & SL_UNFINISHED) || s->t0 < t0 ||
			    s->t0 >= t1)
				continue;
			row[2 * (size_t)s->peer]++;
			row[2 * (size_t)s->peer + 1] += s->bytes;
			if (sends)
				(*sends)++;
		}
		for (uint32_t d = 0; d < t->nranks; d++) {
			if (!row[2 * d])
				continue;
			if (hd_trace_grow((void **)out, &cap, *n + 1, sizeof(**out))) {
				free(row);
				return -ENOMEM;
			}
			(*out)[(*n)++] = (struct hd_trace_traffic){ r, d, row[2 * d], row[2 * d + 1] };
		}
	}
	free(row);
	return 0;
}

/* The busiest of PEAK_SPANS equal spans of the job, by bytes times hops of the sends that
 * began in it; its traffic into m. */
static int peak(const struct hd_trace *t, const struct slices *S, uint64_t t_end,
		struct hd_trace_meta *m)
{
	uint64_t load[PEAK_SPANS] = { 0 }, span = t_end / PEAK_SPANS + 1;
	unsigned best = 0;

	for (uint32_t r = 0; r < t->nranks; r++)
		for (size_t k = S->first[r]; k < S->first[r + 1]; k++) {
			const struct slice *s = &S->s[k];
			if (s->kind == SL_SEND && !(s->flags & SL_UNFINISHED))
				load[s->t0 / span] += s->bytes * hops(t, r, (uint32_t)s->peer);
		}
	for (unsigned i = 1; i < PEAK_SPANS; i++)
		if (load[i] > load[best])
			best = i;
	if (!load[best])
		return 0;
	m->peak_t0_ns = best * span;
	m->peak_t1_ns = (best + 1) * span;
	return traffic(t, S, m->peak_t0_ns, m->peak_t1_ns, &m->peak, &m->npeak, NULL);
}

int hd_trace_meta_make(const struct hd_trace *t, const struct slices *S, uint64_t t_end,
		       struct hd_trace_meta *m)
{
	int rc = -ENOMEM;

	memset(m, 0, sizeof(*m));
	m->cut_ns = UINT64_MAX;
	m->rank_core = malloc(t->nranks * sizeof(uint32_t));
	if (!m->rank_core)
		goto out;
	snprintf(m->board, sizeof(m->board), "%s", t->geom.name);
	m->mesh_x = t->geom.mesh_x;
	m->mesh_y = t->geom.mesh_y;
	m->cores_per_tile = t->geom.cores_per_tile;
	m->nranks = t->nranks;
	memcpy(m->rank_core, t->rank_core, t->nranks * sizeof(uint32_t));
	if ((rc = traffic(t, S, 0, UINT64_MAX, &m->traffic, &m->ntraffic, &m->sends)) ||
	    (rc = peak(t, S, t_end, m)))
		goto out;
	m->duration_ns = t_end;
	m->records = t->records;
	m->bad_records = t->bad;
	m->ring_resets = t->resets;
	m->comms_merged = t->comms_merged;
	m->paired = S->paired;
	m->unpaired_sends = S->lone_sends;
	m->unpaired_recvs = S->lone_recvs;
	rc = 0;
out:
	if (rc) {
		free(m->rank_core);
		free(m->traffic);
		free(m->peak);
		memset(m, 0, sizeof(*m));
	}
	return rc;
}

/* A JSON string; the names written here are ours, but a board file names its board. */
void hd_json_string(FILE *f, const char *s)
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

static void put_traffic(FILE *f, const struct hd_trace_traffic *tr, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s[%u,%u,%" PRIu64 ",%" PRIu64 "]", i ? "," : "", tr[i].src, tr[i].dst,
			tr[i].messages, tr[i].bytes);
	fputc(']', f);
}

void hd_trace_meta_put(FILE *f, const struct hd_trace_meta *m)
{
	fprintf(f, "\"%s\":{\"format\":\"%s\",\"version\":%d,\"board\":", META_KEY, META_FORMAT,
		META_VERSION);
	hd_json_string(f, m->board);
	fprintf(f, ",\"mesh_x\":%u,\"mesh_y\":%u,\"cores_per_tile\":%u,\"nranks\":%u,"
		"\"rank_core\":[", m->mesh_x, m->mesh_y, m->cores_per_tile, m->nranks);
	for (uint32_t r = 0; r < m->nranks; r++)
		fprintf(f, "%s%u", r ? "," : "", m->rank_core[r]);
	fprintf(f, "],\n\"duration_ns\":%" PRIu64 ",\"records\":%" PRIu64 ",\"bad_records\":%"
		PRIu64 ",\"ring_resets\":%" PRIu64 ",\"comms_merged\":%" PRIu64 ",\"sends\":%"
		PRIu64 ",\"paired\":%" PRIu64 ",\"unpaired_sends\":%" PRIu64
		",\"unpaired_recvs\":%" PRIu64, m->duration_ns, m->records, m->bad_records,
		m->ring_resets, m->comms_merged, m->sends, m->paired, m->unpaired_sends,
		m->unpaired_recvs);
	if (m->cut_ns != UINT64_MAX)
		fprintf(f, ",\"cut_ns\":%" PRIu64, m->cut_ns);
	fputs(",\n\"traffic\":", f);
	put_traffic(f, m->traffic, m->ntraffic);
	if (m->npeak) {
		fprintf(f, ",\n\"peak\":{\"t0_ns\":%" PRIu64 ",\"t1_ns\":%" PRIu64 ",\"traffic\":",
			m->peak_t0_ns, m->peak_t1_ns);
		put_traffic(f, m->peak, m->npeak);
		fputc('}', f);
	}
	fputc('}', f);
}

/* ---- reading ---- */

/*
 * The text of the top-level "tessera" member's value, scanned out of the whole file without
 * parsing the events. NULL with *why set if there is none.
 */
static char *scan_meta(FILE *f, const char **why)
{
	char chunk[65536], key[16];
	size_t n, klen = 0, len = 0, cap = 0;
	int depth = 0, in_str = 0, esc = 0, expect_key = 0, in_key = 0, want = 0, taking = 0;
	char *out = NULL;

	*why = "no \"" META_KEY "\" object: not a trace written by `tessera run --trace`";
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		for (size_t i = 0; i < n; i++) {
			char c = chunk[i];

			if (taking) {
				if (!in_str && depth == 1 && (c == ',' || c == '}')) {
					if (out)
						out[len] = 0;
					else
						*why = "\"" META_KEY "\" has no value";
					return out;
				}
				if (len + 2 > cap) {
					char *nb = realloc(out, cap = cap ? cap * 2 : 4096);
					if (!nb) {
						*why = "out of memory";
						free(out);
						return NULL;
					}
					out = nb;
				}
				out[len++] = c;
			}
			if (in_str) {
				if (esc)
					esc = 0;
				else if (c == '\\')
					esc = 1;
				else if (c == '"')
					in_str = 0, in_key = 0;
				else if (in_key && klen < sizeof(key) - 1)
					key[klen++] = c;
				else if (in_key)
					klen = sizeof(key);	/* too long to be ours */
				continue;
			}
			switch (c) {
			case '"':
				in_str = 1;
				if (depth == 1 && expect_key) {
					in_key = 1;
					klen = 0;
					expect_key = 0;
				}
				break;
			case ':':
				if (depth == 1 && !taking)
					want = klen == strlen(META_KEY) && !memcmp(key, META_KEY, klen);
				if (want)
					taking = 1, want = 0;
				break;
			case '{': case '[':
				if (++depth == 1)
					expect_key = c == '{';
				break;
			case '}': case ']':
				depth--;
				break;
			case ',':
				if (depth == 1)
					expect_key = 1;
				break;
			}
		}
	}
	if (ferror(f))
		*why = strerror(errno);
	free(out);
	return NULL;
}

static int get_u32(json_object *m, const char *key, uint32_t lo, uint32_t hi, uint32_t *v,
		   char *why, size_t n)
{
	json_object *o;
	int64_t x;

	if (!json_object_object_get_ex(m, key, &o) || !json_object_is_type(o, json_type_int)) {
		snprintf(why, n, META_KEY ".%s: missing or not an integer", key);
		return -EPROTO;
	}
	x = json_object_get_int64(o);
	if (x < lo || x > hi) {
		snprintf(why, n, META_KEY ".%s: %" PRId64 " is not in %u..%u", key, x, lo, hi);
		return -EPROTO;
	}
	*v = (uint32_t)x;
	return 0;
}

/* A counter the writer adds; 0 when absent (hand-made or older files). */
static uint64_t get_count(json_object *m, const char *key)
{
	json_object *o;
	int64_t x;

	if (!json_object_object_get_ex(m, key, &o) || !json_object_is_type(o, json_type_int))
		return 0;
	x = json_object_get_int64(o);
	return x > 0 ? (uint64_t)x : 0;
}

/* A list of [src rank, dst rank, messages, bytes] (key: its name in errors) into *out. */
static int get_traffic(json_object *tr, uint32_t nranks, const char *key,
		       struct hd_trace_traffic **out, size_t *nout, char *why, size_t n)
{
	size_t count = json_object_array_length(tr);

	*out = calloc(count ? count : 1, sizeof(**out));
	if (!*out) {
		snprintf(why, n, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		json_object *p = json_object_array_get_idx(tr, i);
		int64_t v[4];

		if (!json_object_is_type(p, json_type_array) || json_object_array_length(p) != 4)
			goto bad;
		for (int k = 0; k < 4; k++) {
			json_object *e = json_object_array_get_idx(p, k);
			if (!json_object_is_type(e, json_type_int))
				goto bad;
			v[k] = json_object_get_int64(e);
			if (v[k] < 0)
				goto bad;
		}
		if (v[0] >= nranks || v[1] >= nranks)
			goto bad;
		(*out)[(*nout)++] = (struct hd_trace_traffic){ (uint32_t)v[0], (uint32_t)v[1],
							       (uint64_t)v[2], (uint64_t)v[3] };
		continue;
bad:
		snprintf(why, n, META_KEY ".%s[%zu]: not [src rank, dst rank, messages, bytes]",
			 key, i);
		return -EPROTO;
	}
	return 0;
}

/* The optional "peak" object: a span of the job and its traffic. */
static int get_peak(json_object *o, struct hd_trace_meta *m, char *why, size_t n)
{
	json_object *p, *tr;

	if (!json_object_object_get_ex(o, "peak", &p))
		return 0;
	if (!json_object_is_type(p, json_type_object) ||
	    !json_object_object_get_ex(p, "traffic", &tr) ||
	    !json_object_is_type(tr, json_type_array)) {
		snprintf(why, n, META_KEY ".peak: not an object with a traffic array");
		return -EPROTO;
	}
	m->peak_t0_ns = get_count(p, "t0_ns");
	m->peak_t1_ns = get_count(p, "t1_ns");
	if (m->peak_t1_ns <= m->peak_t0_ns) {
		snprintf(why, n, META_KEY ".peak: t1_ns is not after t0_ns");
		return -EPROTO;
	}
	return get_traffic(tr, m->nranks, "peak.traffic", &m->peak, &m->npeak, why, n);
}

/* Check the object (a file is input) and fill m. */
static int meta_from_json(json_object *o, struct hd_trace_meta *m, char *why, size_t n)
{
	json_object *rc, *tr, *b;
	uint32_t tiles, cores;
	int err;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(why, n, META_KEY ": not an object");
		return -EPROTO;
	}
	if ((err = get_u32(o, "mesh_x", 1, TESSERA_MAX_TILES, &m->mesh_x, why, n)) ||
	    (err = get_u32(o, "mesh_y", 1, TESSERA_MAX_TILES, &m->mesh_y, why, n)) ||
	    (err = get_u32(o, "cores_per_tile", 1, TESSERA_MAX_CORES_PER_TILE, &m->cores_per_tile,
			   why, n)) ||
	    (err = get_u32(o, "nranks", 1, TESSERA_MAX_CORES, &m->nranks, why, n)))
		return err;
	tiles = m->mesh_x * m->mesh_y;
	cores = tiles * m->cores_per_tile;
	if ((uint64_t)m->mesh_x * m->mesh_y > TESSERA_MAX_TILES || cores > TESSERA_MAX_CORES) {
		snprintf(why, n, META_KEY ": a %ux%u mesh of %u cores per tile is too big",
			 m->mesh_x, m->mesh_y, m->cores_per_tile);
		return -EPROTO;
	}
	snprintf(m->board, sizeof(m->board), "%s",
		 json_object_object_get_ex(o, "board", &b) && json_object_is_type(b, json_type_string) ?
		 json_object_get_string(b) : "?");
	if (!json_object_object_get_ex(o, "rank_core", &rc) ||
	    !json_object_is_type(rc, json_type_array) ||
	    json_object_array_length(rc) != m->nranks) {
		snprintf(why, n, META_KEY ".rank_core: not an array of %u cores", m->nranks);
		return -EPROTO;
	}
	m->rank_core = calloc(m->nranks, sizeof(uint32_t));
	if (!m->rank_core) {
		snprintf(why, n, "out of memory");
		return -ENOMEM;
	}
	for (uint32_t r = 0; r < m->nranks; r++) {
		json_object *c = json_object_array_get_idx(rc, r);
		int64_t v = json_object_is_type(c, json_type_int) ? json_object_get_int64(c) : -1;
		if (v < 0 || v >= cores) {
			snprintf(why, n, META_KEY ".rank_core[%u]: not a core of the board", r);
			return -EPROTO;
		}
		m->rank_core[r] = (uint32_t)v;
	}
	if (!json_object_object_get_ex(o, "traffic", &tr) ||
	    !json_object_is_type(tr, json_type_array)) {
		snprintf(why, n, META_KEY ".traffic: missing or not an array");
		return -EPROTO;
	}
	if ((err = get_traffic(tr, m->nranks, "traffic", &m->traffic, &m->ntraffic, why, n)) ||
	    (err = get_peak(o, m, why, n)))
		return err;
	m->duration_ns = get_count(o, "duration_ns");
	m->records = get_count(o, "records");
	m->bad_records = get_count(o, "bad_records");
	m->ring_resets = get_count(o, "ring_resets");
	m->comms_merged = get_count(o, "comms_merged");
	m->sends = get_count(o, "sends");
	m->paired = get_count(o, "paired");
	m->unpaired_sends = get_count(o, "unpaired_sends");
	m->unpaired_recvs = get_count(o, "unpaired_recvs");
	m->cut_ns = json_object_object_get_ex(o, "cut_ns", &b) ? get_count(o, "cut_ns") :
		    UINT64_MAX;
	return 0;
}

/* ---- the metadata of a Perfetto protobuf trace ---- */

/* A varint at *p (< end); *p moves past it. 0, or -EPROTO when it runs past end or 64
 * bits. */
static int pb_read_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		uint8_t c = *(*p)++;
		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return 0;
	}
	return -EPROTO;
}

/* One field of a protobuf message at *p (< end): its number and wire type, its value
 * (varint, fixed64) or its bytes (length-delimited); *p moves past it. 0, or -EPROTO. */
static int pb_field(const uint8_t **p, const uint8_t *end, uint32_t *field, unsigned *wire,
		    uint64_t *v, const uint8_t **data, size_t *len)
{
	uint64_t key, x;

	if (pb_read_varint(p, end, &key))
		return -EPROTO;
	*field = (uint32_t)(key >> 3);
	*wire = key & 7;
	switch (*wire) {
	case PB_VARINT:
		return pb_read_varint(p, end, v);
	case PB_LEN:
		if (pb_read_varint(p, end, &x) || x > (uint64_t)(end - *p))
			return -EPROTO;
		*data = *p;
		*len = (size_t)x;
		*p += x;
		return 0;
	case PB_I64:
		if (end - *p < 8)
			return -EPROTO;
		*p += 8;
		return 0;
	case 5:				/* fixed32 */
		if (end - *p < 4)
			return -EPROTO;
		*p += 4;
		return 0;
	default:
		return -EPROTO;
	}
}

/* A varint from f: 0, 1 at the end of the file before it, -EPROTO if cut short. */
static int getc_varint(FILE *f, uint64_t *v)
{
	int c = EOF;

	*v = 0;
	for (int shift = 0; shift < 64 && (c = getc(f)) != EOF; shift += 7) {
		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return 0;
	}
	return c == EOF && !*v ? 1 : -EPROTO;
}

/* The string argument "tessera" of a TrackEvent, if it has one (malloc'd). */
static char *event_meta(const uint8_t *p, const uint8_t *end)
{
	const uint8_t *d, *a, *aend, *name = NULL, *val = NULL;
	size_t len, nlen = 0, vlen = 0;
	uint32_t field;
	unsigned wire;
	uint64_t v;

	while (p < end && !pb_field(&p, end, &field, &wire, &v, &d, &len)) {
		if (field != PF_EVENT_DEBUG_ANNOTATIONS || wire != PB_LEN)
			continue;
		for (a = d, aend = d + len, name = val = NULL;
		     a < aend && !pb_field(&a, aend, &field, &wire, &v, &d, &len);) {
			if (wire == PB_LEN && field == PF_ANNOTATION_NAME)
				name = d, nlen = len;
			else if (wire == PB_LEN && field == PF_ANNOTATION_STRING)
				val = d, vlen = len;
		}
		if (name && val && nlen == strlen(META_KEY) && !memcmp(name, META_KEY, nlen)) {
			char *out = malloc(vlen + 1);
			if (out) {
				memcpy(out, val, vlen);
				out[vlen] = 0;
			}
			return out;
		}
	}
	return NULL;
}

/*
 * The metadata's JSON text in a protobuf trace: the "tessera" argument of the first track
 * event that has one, packet after packet until it is found. NULL with *why set if none.
 */
static char *scan_pftrace(FILE *f, const char **why)
{
	uint8_t *buf = NULL;
	size_t cap = 0;
	char *text = NULL;

	*why = "no \"" META_KEY "\" argument: not a trace written by `tessera run --trace`";
	for (;;) {
		uint64_t key, len;
		int end_of_file = getc_varint(f, &key);
		const uint8_t *p, *end, *d;
		uint32_t field;
		unsigned wire;
		uint64_t v;
		size_t n;

		if (end_of_file == 1)
			break;
		if (end_of_file || key != (PF_TRACE_PACKET << 3 | PB_LEN) || getc_varint(f, &len) ||
		    len > (1u << 30)) {
			*why = "not a Perfetto trace (a top-level field other than packets)";
			break;
		}
		if (len > cap) {
			uint8_t *nb = realloc(buf, len);
			if (!nb) {
				*why = "out of memory";
				break;
			}
			buf = nb;
			cap = len;
		}
		if (fread(buf, 1, len, f) != len) {
			*why = "a packet is cut short";
			break;
		}
		for (p = buf, end = buf + len; p < end && !text &&
		     !pb_field(&p, end, &field, &wire, &v, &d, &n);)
			if (field == PF_PACKET_TRACK_EVENT && wire == PB_LEN)
				text = event_meta(d, d + n);
		if (text)
			break;
	}
	free(buf);
	return text;
}

HD_API int hd_trace_meta_read(const char *path, struct hd_trace_meta **out)
{
	struct hd_trace_meta *m = NULL;
	json_object *o = NULL;
	enum json_tokener_error jerr;
	const char *scan_why;
	char why[256] = "", *text;
	FILE *f;
	int rc, first;

	if (!path || !out)
		return hd_fail(-EINVAL, "hd_trace_meta_read: NULL argument");
	*out = NULL;
	if (!(f = fopen(path, "r")))
		return hd_fail(-errno, "%s: %s", path, strerror(errno));
	first = getc(f);
	ungetc(first, f);
	if (first == (PF_TRACE_PACKET << 3 | PB_LEN)) {
		/* Perfetto: the metadata is a JSON text {"tessera":{...}} inside */
		char *doc = scan_pftrace(f, &scan_why);
		FILE *mf = doc ? fmemopen(doc, strlen(doc), "r") : NULL;
		text = mf ? scan_meta(mf, &scan_why) : NULL;
		if (mf)
			fclose(mf);
		free(doc);
	} else {
		text = scan_meta(f, &scan_why);
	}
	fclose(f);
	if (!text)
		return hd_fail(!strcmp(scan_why, "out of memory") ? -ENOMEM : -EPROTO, "%s: %s",
			       path, scan_why);
	o = json_tokener_parse_verbose(text, &jerr);
	free(text);
	if (!o)
		return hd_fail(-EPROTO, "%s: the \"" META_KEY "\" object does not parse: %s", path,
			       json_tokener_error_desc(jerr));
	if (!(m = calloc(1, sizeof(*m)))) {
		rc = hd_fail(-ENOMEM, "%s: out of memory", path);
		goto out;
	}
	if ((rc = meta_from_json(o, m, why, sizeof(why)))) {
		rc = hd_fail(rc, "%s: %s", path, why);
		goto out;
	}
	*out = m;
	m = NULL;
out:
	hd_trace_meta_free(m);
	json_object_put(o);
	return rc;
}
