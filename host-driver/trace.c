// SPDX-License-Identifier: MIT
/*
 * trace.c: the host side of the cores' trace rings (tile-kernel/trace.c writes them). While
 * the job runs, hd_trace_drain moves each rank's records into memory; when it ends,
 * hd_trace_finish has trace_write.c write them, as Perfetto's protobuf format or as Chrome
 * trace event JSON, and renames the file into place only when it is complete. Records of
 * kinds the trace will not show (halts, host calls, collectives left out by the filter) are
 * dropped as they arrive; sends and receives are always kept, the metadata needs them.
 *
 * A ring is input from a core: a head more than a ring ahead of the tail resets the ring
 * (-EPROTO), a record that cannot be right is dropped and counted; neither stops the job.
 * Records are kept 24 bytes each (communicators interned); everything grows with realloc
 * and a failed allocation makes the whole trace fail with -ENOMEM, never the job.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "trace_impl.h"

#define BYTES_MAX	((1ull << 48) - 1)	/* what a kept record holds */
#define FIRST_CAP	1024u

static const struct {
	const char *name;
	uint32_t kinds;
} kind_names[] = {
	{ "send", HD_TRACE_SEND }, { "recv", HD_TRACE_RECV }, { "message", HD_TRACE_MESSAGE },
	{ "coll", HD_TRACE_COLL }, { "halt", HD_TRACE_HALT }, { "hostcall", HD_TRACE_HOSTCALL },
	{ "counter", HD_TRACE_COUNTER }, { "power", HD_TRACE_POWER },
	{ "p2p", HD_TRACE_SEND | HD_TRACE_RECV | HD_TRACE_MESSAGE }, { "all", HD_TRACE_ALL },
};

HD_API int hd_trace_filter_parse(const char *s, uint32_t *kinds)
{
	uint32_t k;
	const char *p = s;

	if (!s || !kinds)
		return hd_fail(-EINVAL, "hd_trace_filter_parse: NULL argument");
	k = *s == '+' || *s == '-' ? HD_TRACE_DEFAULT : 0;
	do {
		size_t len = strcspn(p, ",");
		char sign = *p == '+' || *p == '-' ? *p : '+';
		size_t i, off = *p == '+' || *p == '-';

		for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
			if (len - off == strlen(kind_names[i].name) &&
			    !strncmp(p + off, kind_names[i].name, len - off))
				break;
		if (len <= off || i == sizeof(kind_names) / sizeof(kind_names[0]))
			return hd_fail(-EINVAL, "--trace-filter: '%.*s' is not one of send, recv, "
				       "message, coll, halt, hostcall, counter, power, p2p, all (each "
				       "may have + or - before it)", (int)len, p);
		k = sign == '-' ? k & ~kind_names[i].kinds : k | kind_names[i].kinds;
		p += len;
	} while (*p++ == ',');
	*kinds = k;
	return 0;
}

/* The format asked for, or the one the path's extension names. */
static uint32_t trace_format(const char *path, uint32_t asked)
{
	static const char *const proto_ext[] = { ".pftrace", ".perfetto-trace" };
	size_t n = strlen(path);

	if (asked)
		return asked;
	for (size_t i = 0; i < sizeof(proto_ext) / sizeof(proto_ext[0]); i++) {
		size_t e = strlen(proto_ext[i]);
		if (n > e && !strcasecmp(path + n - e, proto_ext[i]))
			return HD_TRACE_FORMAT_PERFETTO;
	}
	return HD_TRACE_FORMAT_JSON;
}

/*
 * Start collecting the trace of a job of nranks ranks (rank r on core rank_core[r]) that
 * hd_trace_finish will write to path, in the format, with the kinds and within the limits
 * of o (NULL: by the path's extension, the default kinds, no limit). The file is created
 * now (as path.tmp-PID) so that a path that cannot be written fails before the job runs.
 * NULL on failure, with hd_last_error() saying why; hd_trace_finish frees what this returns.
 */
struct hd_trace *hd_trace_new(const char *path, const struct tessera_geom *g, uint32_t nranks,
			      const uint32_t *rank_core, const struct hd_job_opts *o)
{
	struct hd_trace *t;
	int fd;

	if (o && (o->trace_format > HD_TRACE_FORMAT_PERFETTO || (o->trace_kinds & ~HD_TRACE_ALL))) {
		hd_fail(-EINVAL, "hd_trace_new: unknown format %u or kinds 0x%x", o->trace_format,
			o->trace_kinds);
		return NULL;
	}

	if (!path || !*path || !g || !rank_core || !nranks || nranks > TESSERA_MAX_CORES ||
	    !tessera_cores(g)) {
		hd_fail(-EINVAL, "hd_trace_new: bad arguments");
		return NULL;
	}
	for (uint32_t r = 0; r < nranks; r++)
		if (rank_core[r] >= tessera_cores(g)) {
			hd_fail(-EINVAL, "hd_trace_new: rank %u on core %u of %u", r, rank_core[r],
				tessera_cores(g));
			return NULL;
		}
	if (strlen(path) + 32 >= PATH_MAX) {
		hd_fail(-ENAMETOOLONG, "trace %s: path too long", path);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t || !(t->rank_core = malloc(nranks * sizeof(uint32_t))) ||
	    !(t->log = calloc(nranks, sizeof(*t->log)))) {
		hd_fail(-ENOMEM, "trace %s: out of memory", path);
		goto fail;
	}
	memcpy(t->rank_core, rank_core, nranks * sizeof(uint32_t));
	t->format = trace_format(path, o ? o->trace_format : 0);
	t->kinds = o && o->trace_kinds ? o->trace_kinds : HD_TRACE_DEFAULT;
	t->limit_bytes = o ? o->trace_limit_bytes : 0;
	t->limit_events = o ? o->trace_limit_events : 0;
	t->progress = o ? o->progress : NULL;
	t->progress_arg = o ? o->progress_arg : NULL;
	t->cut = UINT64_MAX;
	t->geom = *g;
	t->nranks = nranks;
	snprintf(t->path, sizeof(t->path), "%s", path);
	snprintf(t->tmp, sizeof(t->tmp), "%s.tmp-%d", path, (int)getpid());
	fd = open(t->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || !(t->f = fdopen(fd, "w"))) {
		hd_fail(-errno, "trace %s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(t->tmp);
		}
		goto fail;
	}
	return t;
fail:
	if (t) {
		free(t->log);
		free(t->rank_core);
		free(t);
	}
	return NULL;
}

static uint32_t comm_hash(uint32_t id)
{
	return id * 2654435761u;	/* Knuth's multiplicative hash */
}

static int comm_grow(struct hd_trace *t)
{
	uint32_t cap = t->hash_cap ? t->hash_cap * 2 : 64, *h = calloc(cap, sizeof(uint32_t));

	if (!h)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->ncomm; i++) {
		uint32_t at = comm_hash(t->comm_id[i]) & (cap - 1);
		while (h[at])
			at = (at + 1) & (cap - 1);
		h[at] = i + 1;
	}
	free(t->comm_hash);
	t->comm_hash = h;
	t->hash_cap = cap;
	return 0;
}

/* The index of communicator `id`, interned on first sight; COMM_MANY past 65534 of them. */
static int comm_index(struct hd_trace *t, uint32_t id, uint32_t *ix)
{
	uint32_t at;

	if (!t->hash_cap && comm_grow(t))
		return -ENOMEM;
	for (at = comm_hash(id) & (t->hash_cap - 1); t->comm_hash[at];
	     at = (at + 1) & (t->hash_cap - 1))
		if (t->comm_id[t->comm_hash[at] - 1] == id) {
			*ix = t->comm_hash[at] - 1;
			return 0;
		}
	if (t->ncomm >= COMM_MANY) {
		t->comms_merged++;
		*ix = COMM_MANY;
		return 0;
	}
	if (t->ncomm == t->comm_cap) {
		uint32_t cap = t->comm_cap ? t->comm_cap * 2 : 16;
		uint32_t *n = realloc(t->comm_id, cap * sizeof(uint32_t));
		if (!n)
			return -ENOMEM;
		t->comm_id = n;
		t->comm_cap = cap;
	}
	t->comm_id[t->ncomm] = id;
	t->comm_hash[at] = ++t->ncomm;
	*ix = t->ncomm - 1;
	if (t->ncomm * 2 > t->hash_cap)
		return comm_grow(t);
	return 0;
}

/* Check a record from a core and keep it; 1 kept, 2 left out by the filter, 0 dropped as
 * bad, -ENOMEM. */
static int keep(struct hd_trace *t, struct rank_log *l, const struct tessera_trace_rec *in)
{
	int32_t lo = 0, n = (int32_t)t->nranks;
	struct rec *r;
	uint32_t ix;

	switch (in->kind) {
	case TESSERA_TR_RECV_BEGIN:
	case TESSERA_TR_RECV_END:
	case TESSERA_TR_SEND_BEGIN:
	case TESSERA_TR_SEND_END:
		/* -1: a receive from any source, or one cancelled (nothing arrived) */
		if (in->kind == TESSERA_TR_RECV_BEGIN ||
		    (in->kind == TESSERA_TR_RECV_END && !in->bytes))
			lo = -1;
		if (in->peer < lo || in->peer >= n)
			return 0;
		break;
	case TESSERA_TR_COLL_BEGIN:
	case TESSERA_TR_COLL_END:
		if (!(t->kinds & HD_TRACE_COLL))
			return 2;
		break;
	case TESSERA_TR_HALT:
	case TESSERA_TR_WAKE:
		if (!(t->kinds & HD_TRACE_HALT))
			return 2;
		break;
	case TESSERA_TR_HOSTCALL_BEGIN:
	case TESSERA_TR_HOSTCALL_END:
		if (!(t->kinds & HD_TRACE_HOSTCALL))
			return 2;
		break;
	case TESSERA_TR_POWER:		/* peer = voltage level, tag = divider (lib/rcce) */
		if (in->peer < 0 || in->peer > 6 || in->tag < 2 || in->tag > 16)
			return 0;
		if (!(t->kinds & HD_TRACE_POWER))
			return 2;
		break;
	default:
		return 0;
	}
	if (in->bytes > BYTES_MAX)
		return 0;
	if (comm_index(t, in->comm, &ix))
		return -ENOMEM;
	r = &l->rec[l->n++];
	r->t_ns = in->t_ns;
	r->bytes = in->bytes;
	r->comm = ix;
	r->tag = in->tag;
	/* a collective's peer (its root, if any) is not checked: keep it only if it fits; a
	 * power record's is a voltage level, checked above */
	r->peer = (int16_t)(in->kind == TESSERA_TR_POWER || (in->peer >= -1 && in->peer < n) ?
			    in->peer : -1);
	r->kind = (uint8_t)in->kind;
	r->pad = 0;
	if (in->t_ns > l->t_last)
		l->t_last = in->t_ns;
	return 1;
}

/*
 * Move what rank `rank` has written (records ctl->tail .. ctl->head) out of its ring and
 * release the room (tail stored with release order, the last thing done). Returns the
 * number of records taken off the ring, -EPROTO when the head is impossible (the ring is
 * then emptied), -ENOMEM when memory ran out (records are dropped from then on, and
 * hd_trace_finish fails). The tail moves in every case, so a waiting core can be woken.
 */
int hd_trace_drain(struct hd_trace *t, uint32_t rank, struct tessera_ring_ctl *ctl,
		   const uint8_t *ring)
{
	uint32_t head, tail, n;
	struct rank_log *l;

	if (!t || !ctl || !ring || rank >= t->nranks)
		return -EINVAL;
	l = &t->log[rank];
	head = __atomic_load_n(&ctl->head, __ATOMIC_ACQUIRE);
	tail = __atomic_load_n(&ctl->tail, __ATOMIC_RELAXED);
	n = head - tail;
	if (n > TESSERA_TRACE_RECS) {
		t->resets++;
		__atomic_store_n(&ctl->tail, head, __ATOMIC_RELEASE);
		return -EPROTO;
	}
	if (!n)
		return 0;
	if (!t->err && l->n + n > l->cap) {
		size_t cap = l->cap ? l->cap : FIRST_CAP;
		struct rec *nr;

		while (cap < l->n + n)
			cap *= 2;
		nr = realloc(l->rec, cap * sizeof(*nr));
		if (nr) {
			l->rec = nr;
			l->cap = cap;
		} else {
			t->err = -ENOMEM;
		}
	}
	for (uint32_t i = 0; i < n && !t->err; i++) {
		struct tessera_trace_rec in;
		int rc;

		memcpy(&in, ring + ((tail + i) % TESSERA_TRACE_RECS) * sizeof(in), sizeof(in));
		rc = keep(t, l, &in);
		if (rc < 0)
			t->err = rc;
		else if (!rc)
			t->bad++;
	}
	t->records += n;
	__atomic_store_n(&ctl->tail, head, __ATOMIC_RELEASE);
	return t->err ? t->err : (int)n;
}

static void trace_free(struct hd_trace *t)
{
	if (t->f) {
		fclose(t->f);
		unlink(t->tmp);
	}
	for (uint32_t r = 0; r < t->nranks; r++)
		free(t->log[r].rec);
	free(t->log);
	free(t->rank_core);
	free(t->comm_id);
	free(t->comm_hash);
	free(t->marks);
	free(t);
}

/*
 * Pair, write the whole file (under a temporary name, renamed to the path only when
 * complete) and free t. 0, -ENOMEM (nothing written), or a negative errno value of the
 * file system; hd_last_error() says which.
 */
int hd_trace_finish(struct hd_trace *t)
{
	int rc = 0;

	if (!t)
		return hd_fail(-EINVAL, "hd_trace_finish: NULL trace");
	if (t->err) {
		rc = hd_fail(t->err, "trace %s: out of memory after %" PRIu64 " records; no trace "
			     "written", t->path, t->records);
		goto out;
	}
	setvbuf(t->f, NULL, _IOFBF, 1 << 20);
	if ((rc = hd_trace_write(t))) {
		rc = hd_fail(rc, "trace %s: out of memory while writing it; no trace written",
			     t->path);
		goto out;
	}
	errno = 0;
	if (fflush(t->f) || ferror(t->f))
		rc = -(errno ? errno : EIO);
	if (fclose(t->f) && !rc)
		rc = -(errno ? errno : EIO);
	t->f = NULL;
	if (!rc && rename(t->tmp, t->path))
		rc = -errno;
	if (rc) {
		unlink(t->tmp);
		rc = hd_fail(rc, "trace %s: %s", t->path, strerror(-rc));
	}
out:
	trace_free(t);
	return rc;
}
