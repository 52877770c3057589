// SPDX-License-Identifier: MIT
/*
 * record.c: the host side of --record and --replay: the decisions the cores log in the
 * record rings of their host windows (tile-kernel/record.c) collected while the job runs and
 * written, when it ends however it ends, to the record file; and a record file read back and
 * handed to the cores of a replay, a batch per TESSERA_HC_REPLAY host call.
 *
 * The file (all integers little-endian; varints are LEB128, signed ones zigzagged):
 *   "TSREC01\n"                         magic, 8 bytes
 *   u32 nranks, u32 command length L, L bytes: the program and its arguments, NUL-separated
 *   per rank: u32 number of entries E, u32 bytes B, then B bytes of E entries, each
 *     varint (seq - previous seq), byte kind, zigzag value, varint aux
 *     (kind | 0x80: a run, then varint n: this entry n more times, seq + 1 each time)
 *   The last entry of each rank is TESSERA_DEC_END (it exited) or TESSERA_DEC_CUT (the job
 *   stopped it first); the host adds it.
 * A ring and a file are input: entries of an unknown kind are dropped and counted, a file
 * that does not parse is refused with the offset where it goes wrong.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hd_impl.h"
#include "hostcall_impl.h"

#define MAGIC "TSREC01\n"
#define RUN_FLAG 0x80u

/* One rank's entries, runs kept folded: entry i stands for run[i] + 1 entries of consecutive
 * points (seq, seq + 1, ...) that decided alike (a polling loop of a million MPI_Test calls
 * is one entry). first[i]: where entry i starts in the unfolded list (replay). */
struct rank_list {
	struct tessera_decision *d;
	uint32_t *run;
	uint64_t *first;
	size_t n, cap;
	uint64_t total;		/* unfolded entries */
};

struct hd_record {
	char path[PATH_MAX], tmp[PATH_MAX];
	uint32_t nranks;
	char *cmd;
	size_t cmd_n;
	struct rank_list *rank;
	uint64_t bad;
	int err;		/* sticky -ENOMEM */
};

struct hd_replay {
	uint32_t nranks;
	char *cmd;
	size_t cmd_n;
	struct rank_list *rank;
};

/* ---- writing ---- */

struct hd_record *hd_record_new(const char *path, uint32_t nranks, const char *cmd,
				size_t cmd_n)
{
	struct hd_record *r = calloc(1, sizeof(*r));
	int fd;

	if (!r || !(r->rank = calloc(nranks, sizeof(*r->rank))) ||
	    !(r->cmd = malloc(cmd_n ? cmd_n : 1))) {
		hd_fail(-ENOMEM, "--record %s: out of memory", path);
		goto fail;
	}
	if (strlen(path) + 32 >= PATH_MAX) {
		hd_fail(-ENAMETOOLONG, "--record %s: path too long", path);
		goto fail;
	}
	memcpy(r->cmd, cmd, cmd_n);
	r->cmd_n = cmd_n;
	r->nranks = nranks;
	snprintf(r->path, sizeof(r->path), "%s", path);
	snprintf(r->tmp, sizeof(r->tmp), "%s.tmp-%d", path, (int)getpid());
	/* made now, so that a path that cannot be written fails before the job runs */
	fd = open(r->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		hd_fail(-errno, "--record %s: %s", path, strerror(errno));
		goto fail;
	}
	close(fd);
	return r;
fail:
	if (r) {
		free(r->rank);
		free(r->cmd);
		free(r);
	}
	return NULL;
}

/* Append d standing for run + 1 entries as it is. 0 or -ENOMEM. */
static int list_append(struct rank_list *l, const struct tessera_decision *d, uint32_t run)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct tessera_decision *nd = realloc(l->d, cap * sizeof(*nd));
		uint32_t *nr;

		if (!nd)
			return -ENOMEM;
		l->d = nd;
		if (!(nr = realloc(l->run, cap * sizeof(*nr))))
			return -ENOMEM;
		l->run = nr;
		l->cap = cap;
	}
	l->d[l->n] = *d;
	l->run[l->n++] = run;
	l->total += (uint64_t)run + 1;
	return 0;
}

/* Append run + 1 entries like d (seq, seq + 1, ...), folded into the last entry when they
 * continue its run. 0 or -ENOMEM. */
static int list_push(struct rank_list *l, const struct tessera_decision *d, uint32_t run)
{
	if (l->n) {
		struct tessera_decision *e = &l->d[l->n - 1];
		uint64_t next = (uint64_t)e->seq + l->run[l->n - 1] + 1;

		if (e->kind == d->kind && e->value == d->value && e->aux == d->aux &&
		    next == d->seq && (uint64_t)l->run[l->n - 1] + run + 1 <= UINT32_MAX) {
			l->run[l->n - 1] += run + 1;
			l->total += run + 1;
			return 0;
		}
	}
	return list_append(l, d, run);
}

static void list_free(struct rank_list *l)
{
	free(l->d);
	free(l->run);
	free(l->first);
}

int hd_record_drain(struct hd_record *r, uint32_t rank, struct tessera_ring_ctl *ctl,
		    const uint8_t *ring)
{
	uint32_t head, tail, n;

	if (!r || rank >= r->nranks)
		return -EINVAL;
	head = __atomic_load_n(&ctl->head, __ATOMIC_ACQUIRE);
	tail = __atomic_load_n(&ctl->tail, __ATOMIC_RELAXED);
	n = head - tail;
	if (n > TESSERA_RECORD_RECS) {	/* impossible from a sane core: start over */
		r->bad += n;
		__atomic_store_n(&ctl->tail, head, __ATOMIC_RELEASE);
		return -EPROTO;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct tessera_decision d;

		memcpy(&d, ring + ((tail + i) % TESSERA_RECORD_RECS) * sizeof(d), sizeof(d));
		if (d.kind == 0 || d.kind >= TESSERA_DEC_END)
			r->bad++;
		else if (!r->err && list_push(&r->rank[rank], &d, 0))
			r->err = -ENOMEM;
	}
	__atomic_store_n(&ctl->tail, head, __ATOMIC_RELEASE);
	return (int)n;
}

static int by_key(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

/* Sort a rank's entries by decision point, keeping the order of the entries of one point
 * (a count before its indices). 0 or -ENOMEM. */
static int sort_by_point(struct rank_list *l)
{
	uint64_t *key = malloc((l->n ? l->n : 1) * sizeof(*key));
	struct tessera_decision *d = malloc((l->n ? l->n : 1) * sizeof(*d));
	uint32_t *run = malloc((l->n ? l->n : 1) * sizeof(*run));

	if (!key || !d || !run) {
		free(key);
		free(d);
		free(run);
		return -ENOMEM;
	}
	for (size_t i = 0; i < l->n; i++)
		key[i] = (uint64_t)l->d[i].seq << 32 | i;
	qsort(key, l->n, sizeof(*key), by_key);
	for (size_t i = 0; i < l->n; i++) {
		d[i] = l->d[(uint32_t)key[i]];
		run[i] = l->run[(uint32_t)key[i]];
	}
	free(key);
	free(l->d);
	free(l->run);
	l->d = d;
	l->run = run;
	l->cap = l->n ? l->n : 1;
	return 0;
}

static void put_u32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, f);
}

static size_t varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	do {
		p[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return n;
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* Encode a rank's entries into buf (at most 32 bytes per entry); returns the bytes. */
static size_t encode(const struct rank_list *l, uint8_t *buf)
{
	size_t n = 0;
	uint32_t prev = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct tessera_decision *d = &l->d[i];

		n += varint(buf + n, d->seq - prev);
		buf[n++] = (uint8_t)(d->kind | (l->run[i] ? RUN_FLAG : 0));
		n += varint(buf + n, zigzag(d->value));
		n += varint(buf + n, d->aux);
		if (l->run[i])
			n += varint(buf + n, l->run[i]);
		prev = d->seq + l->run[i];
	}
	return n;
}

int hd_record_finish(struct hd_record *r, const int *finished, uint64_t *bytes)
{
	FILE *f = NULL;
	uint8_t *buf = NULL;
	int rc = 0;

	if (!r)
		return 0;
	if (r->err) {
		rc = hd_fail(r->err, "--record %s: out of memory; no record written", r->path);
		goto out;
	}
	if (!(f = fopen(r->tmp, "wb"))) {
		rc = hd_fail(-errno, "--record %s: %s", r->path, strerror(errno));
		goto out;
	}
	fwrite(MAGIC, 1, 8, f);
	put_u32(f, r->nranks);
	put_u32(f, (uint32_t)r->cmd_n);
	fwrite(r->cmd, 1, r->cmd_n, f);
	for (uint32_t k = 0; k < r->nranks; k++) {
		struct rank_list *l = &r->rank[k];
		struct tessera_decision end = {
			.kind = finished[k] ? TESSERA_DEC_END : TESSERA_DEC_CUT,
		};
		size_t n;

		/* decided when they came, numbered when they were posted: in program order now */
		uint8_t *nb = NULL;

		if (sort_by_point(l) ||
		    (end.seq = l->n ? l->d[l->n - 1].seq + l->run[l->n - 1] : 0,
		     list_push(l, &end, 0)) ||
		    !(nb = realloc(buf, l->n * 32))) {
			rc = hd_fail(-ENOMEM, "--record %s: out of memory; no record written", r->path);
			goto out;
		}
		buf = nb;
		n = encode(l, buf);
		put_u32(f, (uint32_t)l->n);
		put_u32(f, (uint32_t)n);
		fwrite(buf, 1, n, f);
	}
	if (bytes)
		*bytes = (uint64_t)ftell(f);
	if (ferror(f) | fclose(f)) {
		f = NULL;
		rc = hd_fail(-EIO, "--record %s: cannot write it", r->path);
		goto out;
	}
	f = NULL;
	if (rename(r->tmp, r->path))
		rc = hd_fail(-errno, "--record %s: %s", r->path, strerror(errno));
out:
	if (f)
		fclose(f);
	if (rc)
		unlink(r->tmp);
	free(buf);
	for (uint32_t k = 0; k < r->nranks; k++)
		list_free(&r->rank[k]);
	free(r->rank);
	free(r->cmd);
	free(r);
	return rc;
}

void hd_record_discard(struct hd_record *r)
{
	if (!r)
		return;
	unlink(r->tmp);
	for (uint32_t k = 0; k < r->nranks; k++)
		list_free(&r->rank[k]);
	free(r->rank);
	free(r->cmd);
	free(r);
}

uint64_t hd_record_entries(const struct hd_record *r)
{
	uint64_t n = 0;

	for (uint32_t k = 0; r && k < r->nranks; k++)
		n += r->rank[k].total;
	return n;
}

/* ---- reading ---- */

struct cursor {
	const uint8_t *p;
	size_t n, at;
	int bad;
};

static uint32_t get_u32(struct cursor *c)
{
	uint32_t v;

	if (c->n - c->at < 4) {
		c->bad = 1;
		return 0;
	}
	v = (uint32_t)c->p[c->at] | (uint32_t)c->p[c->at + 1] << 8 |
	    (uint32_t)c->p[c->at + 2] << 16 | (uint32_t)c->p[c->at + 3] << 24;
	c->at += 4;
	return v;
}

static uint64_t get_varint(struct cursor *c, size_t end)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		uint8_t b;

		if (c->at >= end) {
			c->bad = 1;
			return 0;
		}
		b = c->p[c->at++];
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	c->bad = 1;
	return 0;
}

static void replay_free(struct hd_replay *rp)
{
	if (!rp)
		return;
	for (uint32_t k = 0; rp->rank && k < rp->nranks; k++)
		list_free(&rp->rank[k]);
	free(rp->rank);
	free(rp->cmd);
	free(rp);
}

/* One rank's `count` entries from bytes [c->at, end) into l, checked; 0 or -EPROTO. */
static int decode(struct cursor *c, size_t end, uint32_t count, struct rank_list *l)
{
	uint64_t seq = 0;

	while (c->at < end && !c->bad && l->n < count) {
		struct tessera_decision d = { 0 };
		uint64_t run = 0, delta = get_varint(c, end), zz;
		uint8_t kind;

		if (c->at >= end)
			return -EPROTO;
		kind = c->p[c->at++];
		zz = get_varint(c, end);
		d.aux = (uint32_t)get_varint(c, end);
		if (kind & RUN_FLAG)
			run = get_varint(c, end);
		d.kind = kind & ~RUN_FLAG;
		d.value = (int32_t)(int64_t)((zz >> 1) ^ (0 - (zz & 1)));
		seq += delta;
		if (c->bad || d.kind == 0 || d.kind >= TESSERA_DEC_KINDS || run > UINT32_MAX ||
		    seq + run > UINT32_MAX || zz > UINT32_MAX)
			return -EPROTO;
		d.seq = (uint32_t)seq;
		if (list_append(l, &d, (uint32_t)run))	/* folded as written */
			return -ENOMEM;
		seq += run;
	}
	if (c->bad || c->at != end || l->n != count || !count ||
	    (l->d[l->n - 1].kind != TESSERA_DEC_END && l->d[l->n - 1].kind != TESSERA_DEC_CUT) ||
	    l->run[l->n - 1])
		return -EPROTO;
	if (!(l->first = malloc(l->n * sizeof(*l->first))))
		return -ENOMEM;
	for (size_t i = 0, at = 0; i < l->n; at += (size_t)l->run[i] + 1, i++) {
		if (i + 1 < l->n && l->d[i].kind >= TESSERA_DEC_END)
			return -EPROTO;
		l->first[i] = at;
	}
	return 0;
}

struct hd_replay *hd_replay_load(const char *path, uint32_t nranks, const char *cmd,
				 size_t cmd_n)
{
	struct hd_replay *rp = NULL;
	struct cursor c = { 0 };
	uint8_t *data = NULL;
	size_t cap = 0, len;
	FILE *f = fopen(path, "rb");
	int rc;

	if (!f) {
		hd_fail(-errno, "--replay %s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {	/* the whole file */
		if (c.n == cap) {
			uint8_t *nd = realloc(data, cap = cap ? cap * 2 : 65536);

			if (!nd) {
				hd_fail(-ENOMEM, "--replay %s: out of memory", path);
				goto fail;
			}
			data = nd;
		}
		len = fread(data + c.n, 1, cap - c.n, f);
		c.n += len;
		if (!len)
			break;
	}
	c.p = data;
	if (c.n < 8 || memcmp(data, MAGIC, 8)) {
		hd_fail(-EPROTO, "--replay %s: not a tessera record (tessera run --record)", path);
		goto fail;
	}
	c.at = 8;
	if (!(rp = calloc(1, sizeof(*rp)))) {
		hd_fail(-ENOMEM, "--replay %s: out of memory", path);
		goto fail;
	}
	rp->nranks = get_u32(&c);
	rp->cmd_n = get_u32(&c);
	if (c.bad || rp->nranks == 0 || rp->nranks > TESSERA_MAX_CORES || rp->cmd_n > c.n - c.at) {
		hd_fail(-EPROTO, "--replay %s: damaged header", path);
		goto fail;
	}
	if (rp->nranks != nranks) {
		hd_fail(-EINVAL, "--replay %s: the record is of a job of %u ranks, this one has %u",
			path, rp->nranks, nranks);
		goto fail;
	}
	if (!(rp->cmd = malloc(rp->cmd_n + 1)) || !(rp->rank = calloc(nranks, sizeof(*rp->rank)))) {
		hd_fail(-ENOMEM, "--replay %s: out of memory", path);
		goto fail;
	}
	memcpy(rp->cmd, data + c.at, rp->cmd_n);
	rp->cmd[rp->cmd_n] = 0;
	c.at += rp->cmd_n;
	for (uint32_t k = 0; k < nranks; k++) {
		uint32_t count = get_u32(&c), bytes = get_u32(&c);

		if (c.bad || bytes > c.n - c.at || count > bytes ||
		    (rc = decode(&c, c.at + bytes, count, &rp->rank[k]))) {
			hd_fail(-EPROTO, "--replay %s: rank %u's entries are damaged (at byte %zu)",
				path, k, c.at);
			goto fail;
		}
	}
	if (c.at != c.n) {
		hd_fail(-EPROTO, "--replay %s: %zu bytes after the last rank", path, c.n - c.at);
		goto fail;
	}
	if (cmd && (cmd_n != rp->cmd_n || memcmp(cmd, rp->cmd, cmd_n))) {
		char was[256];
		size_t n = rp->cmd_n < sizeof(was) - 1 ? rp->cmd_n : sizeof(was) - 1;

		for (size_t i = 0; i < n; i++)
			was[i] = rp->cmd[i] ? rp->cmd[i] : ' ';
		was[n] = 0;
		fprintf(stderr, "tessera: --replay: the record was made by `%s`, not this program "
			"or these arguments: a divergence will stop the run\n", was);
	}
	fclose(f);
	free(data);
	return rp;
fail:
	fclose(f);
	free(data);
	replay_free(rp);
	return NULL;
}

void hd_replay_free(struct hd_replay *rp)
{
	replay_free(rp);
}

int64_t hd_replay_serve(const struct hd_replay *rp, int32_t rank, int64_t from, void *out,
			uint32_t *out_n)
{
	struct tessera_decision *o = out;
	const struct rank_list *l;
	size_t lo = 0, hi, n = 0;

	*out_n = 0;
	if (!rp)
		return hd_wire_err(ENOSYS);
	if (rank < 0 || (uint32_t)rank >= rp->nranks)
		return hd_wire_err(EINVAL);
	l = &rp->rank[rank];
	if (from < 0 || (uint64_t)from >= l->total)
		return hd_wire_err(EINVAL);	/* past its END or CUT: a core never asks */
	for (hi = l->n; hi - lo > 1;) {		/* the folded entry that holds `from` */
		size_t mid = (lo + hi) / 2;

		if (l->first[mid] <= (uint64_t)from)
			lo = mid;
		else
			hi = mid;
	}
	for (size_t i = lo; i < l->n && n < TESSERA_HOSTCALL_DATA / sizeof(*o); i++) {
		uint64_t k = (uint64_t)from > l->first[i] ? (uint64_t)from - l->first[i] : 0;

		for (; k <= l->run[i] && n < TESSERA_HOSTCALL_DATA / sizeof(*o); k++) {
			o[n] = l->d[i];
			o[n].seq += (uint32_t)k;
			o[n++].pad = 0;
		}
	}
	*out_n = (uint32_t)(n * sizeof(*o));
	return (int64_t)*out_n;
}
