/* SPDX-License-Identifier: MIT */
/*
 * win_am.c: the message side of one-sided communication: requests to a rank whose window
 * memory is private (only its owner can reach it), the owner serving them whenever it
 * progresses, replies, FLUSH round trips, and the DONE messages of post-start-complete-wait
 * that must follow requests. Not the direct path through shared DRAM (win_ops.c, win_exec.c)
 * nor the flags of active target synchronisation (win_flag.c).
 *
 * Every request is one message with tag MPII_WIN_TAG_SVC on the window's own communicator:
 * a header, the target datatype flattened, then the data. The channel keeps the messages of
 * one origin in order and the owner serves them in arrival order, so a FLUSH is answered
 * only after everything the origin sent before it has been applied. Small requests travel in
 * the MPBs; long ones in mpb-channels' bulk chunks in shared DRAM.
 */
#include <stdlib.h>
#include "mpii_win.h"
#include "tk.h"

struct mpii_win_in {
	struct mpii_win_in *next;
	struct mpii_req *req;
	char *buf;
	size_t len;
	int src;
};

/*
 * Replies and requests own their buffer: freed once their send has completed. The list is in
 * sending order; what has completed at its head is reaped at every progress, the whole list
 * only when it has doubled since the last whole sweep (sends to one rank complete in order):
 * an origin may have a hundred thousand requests in flight, and a walk over all of them at
 * every progress made an epoch of n requests cost n^2.
 */
struct owned {
	struct owned *next;
	struct mpii_req *r;
	void *buf;
	int reply;		/* an answer to a request this rank served */
	size_t bytes;		/* of a reply: its copy of the data (none when sent in place) */
};

static struct mpii_win *wins;
static struct owned *owned_head, **owned_tail = &owned_head;
static size_t owned_n, owned_sweep_at = 64;
static size_t replies, reply_bytes;	/* replies still being sent, and their copies' bytes */
static int serving;	/* mpii_win_serve is serving a request (each runs to its end first) */

void mpii_win_list_add(struct mpii_win *w)
{
	w->next = wins;
	wins = w;
}

void mpii_win_list_remove(struct mpii_win *w)
{
	struct mpii_win **pp;

	for (pp = &wins; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return;
		}
}

/* Sends len bytes at data to rank `to` of c with tag, then frees own (malloc'd or NULL:
 * data is then the window's memory itself); a reply (to a request this rank served) counts
 * in reply_bytes until it has gone. */
static int send_owned(struct mpii_comm *c, int to, int tag, const void *data, size_t len,
		      void *own, int reply)
{
	struct mpii_req *r;
	struct owned *o;
	int rc;

	rc = mpii_isend(data, (MPI_Count)len, mpii_byte_type(), to, tag, c, 0, MPII_SEND_STD, &r);
	if (rc) {
		free(own);
		return rc;
	}
	if (r->done) {	/* not mpii_wait: it progresses, which may serve again, from inside */
		rc = r->err;
		mpii_req_destroy(r);
		free(own);
		return rc;
	}
	o = malloc(sizeof(*o));
	if (!o) {
		rc = mpii_wait(r);
		mpii_req_destroy(r);
		free(own);
		return rc;
	}
	o->r = r;
	o->buf = own;
	o->reply = reply;
	o->bytes = reply && own ? len : 0;
	replies += (size_t)reply;
	o->next = NULL;
	*owned_tail = o;
	owned_tail = &o->next;
	owned_n++;
	reply_bytes += o->bytes;
	return MPI_SUCCESS;
}

/* Frees what has been sent: the head of the list, or all of it when `all`. */
static int reap_owned(int all)
{
	struct owned **pp = &owned_head, *o;
	int moved = 0;

	while ((o = *pp)) {
		if (o->r->done) {
			*pp = o->next;
			if (!o->next)
				owned_tail = pp;
			owned_n--;
			reply_bytes -= o->bytes;
			replies -= (size_t)o->reply;
			mpii_req_destroy(o->r);
			free(o->buf);
			free(o);
			moved = 1;
		} else if (all) {
			pp = &o->next;
		} else {
			break;
		}
	}
	if (all)
		owned_sweep_at = owned_n > 32 ? 2 * owned_n : 64;
	return moved;
}

int mpii_win_tag(struct mpii_win *w)
{
	int t = (int)w->next_tag;

	w->next_tag = w->next_tag >= 0x3fffffffu ? 1 : w->next_tag + 1;
	return t;
}

int mpii_win_send(struct mpii_win *w, int to, struct mpii_win_msg *m,
		  const struct mpii_dtype *tt, const void *obuf, MPI_Count ocount,
		  const struct mpii_dtype *ot, const void *extra, size_t nextra)
{
	size_t nseg = tt ? (size_t)tt->nseg : 0, odata = ot ? (size_t)(ocount * ot->size) : 0;
	size_t len = sizeof(*m) + nseg * sizeof(struct mpii_win_seg) + odata + nextra;
	char *buf = malloc(len), *p;

	if (!buf)
		return MPI_ERR_NO_MEM;
	m->nseg = (int32_t)nseg;
	m->datalen = (int64_t)(odata + nextra);
	if (tt) {
		m->tlb = tt->lb;
		m->textent = mpii_extent(tt);
	}
	memcpy(buf, m, sizeof(*m));
	p = buf + sizeof(*m);
	for (size_t i = 0; i < nseg; i++) {
		struct mpii_win_seg s = { tt->seg[i].disp, tt->seg[i].stride, tt->seg[i].blen,
					  tt->seg[i].cnt, tt->seg[i].basic, 0 };

		memcpy(p, &s, sizeof(s));
		p += sizeof(s);
	}
	if (odata)
		mpii_pack(obuf, ocount, ot, p, (MPI_Count)odata);
	if (nextra)
		memcpy(p + odata, extra, nextra);
	return send_owned(w->comm, to, MPII_WIN_TAG_SVC, buf, len, buf, 0);
}

int mpii_win_expect(struct mpii_win *w, void *buf, MPI_Count count, struct mpii_dtype *t,
		    int from, int tag, struct mpii_req **out)
{
	struct mpii_req *r;
	int rc = mpii_irecv(buf, count, t, from, tag, w->comm, 0, &r);

	if (rc)
		return rc;
	if (out) {
		*out = r;
		return MPI_SUCCESS;
	}
	if (w->npend == w->pendcap) {
		int cap = w->pendcap ? 2 * w->pendcap : 16;
		struct mpii_win_pend *p = realloc(w->pend, (size_t)cap * sizeof(*p));

		if (!p) {
			mpii_wait(r);
			mpii_req_destroy(r);
			return MPI_ERR_NO_MEM;
		}
		w->pend = p;
		w->pendcap = cap;
	}
	w->pend[w->npend].r = r;
	w->pend[w->npend++].target = from;
	return MPI_SUCCESS;
}

int mpii_win_reap(struct mpii_win *w, int target)
{
	int err = MPI_SUCCESS, i, k = 0;

	for (i = 0; i < w->npend; i++) {
		struct mpii_win_pend p = w->pend[i];
		int rc;

		if (target >= 0 && p.target != target) {
			w->pend[k++] = p;
			continue;
		}
		rc = mpii_wait(p.r);
		if (rc && !err)
			err = rc;
		mpii_req_destroy(p.r);
	}
	w->npend = k;
	return err;
}

int mpii_win_complete_am(struct mpii_win *w, int target)
{
	int lo = target < 0 ? 0 : target, hi = target < 0 ? w->size : target + 1, rc;

	for (int t = lo; t < hi; t++) {
		struct mpii_win_msg m = { .op = MPII_WM_FLUSH };

		if (!w->dirty[t])
			continue;
		m.reply_tag = mpii_win_tag(w);
		rc = mpii_win_expect(w, NULL, 0, mpii_byte_type(), t, m.reply_tag, NULL);
		if (!rc)
			rc = mpii_win_send(w, t, &m, NULL, NULL, 0, NULL, NULL, 0);
		if (rc)
			return rc;
		w->dirty[t] = 0;
	}
	/* the answers come after every earlier reply of the same target: all done then */
	return mpii_win_reap(w, target);
}

/* ---- The owner's side ---- */

/* Values from another core: bounded before any arithmetic on them. */
#define WIN_BOUND ((int64_t)1 << 40)

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/*
 * The target datatype of a request, rebuilt from its segments into t (segs is its storage),
 * and the byte range [lo, hi) that tcount elements of it touch. 0, or -1 for a malformed one.
 */
static int rebuild(const struct mpii_win_msg *m, const char *p, struct mpii_seg *segs,
		   struct mpii_dtype *t, int64_t *lo, int64_t *hi)
{
	int64_t slo = INT64_MAX, shi = INT64_MIN, size = 0;

	memset(t, 0, sizeof(*t));
	if (m->tcount < 0 || m->tcount > WIN_BOUND || m->textent < -WIN_BOUND ||
	    m->textent > WIN_BOUND || m->tlb < -WIN_BOUND || m->tlb > WIN_BOUND)
		return -1;
	for (int i = 0; i < m->nseg; i++) {
		struct mpii_win_seg s;
		const struct mpii_basic *b;

		memcpy(&s, p + (size_t)i * sizeof(s), sizeof(s));
		if (s.basic < 1 || s.basic > MPII_NUM_BASIC || s.blen < 0 || s.cnt < 0 ||
		    s.blen > WIN_BOUND || s.cnt > WIN_BOUND || s.disp < -WIN_BOUND ||
		    s.disp > WIN_BOUND || s.stride < -WIN_BOUND || s.stride > WIN_BOUND)
			return -1;
		b = &mpii_basics[s.basic];
		segs[i] = (struct mpii_seg){ s.disp, s.stride, s.blen, s.cnt, s.basic };
		if (!s.blen || !s.cnt)
			continue;
		if (s.blen > WIN_BOUND / b->extent || s.cnt > WIN_BOUND / (s.blen * b->size + 1))
			return -1;
		size += s.blen * s.cnt * b->size;
		slo = min64(slo, s.disp + min64(0, (s.cnt - 1) * s.stride));
		shi = max64(shi, s.disp + max64(0, (s.cnt - 1) * s.stride) +
				 (s.blen - 1) * b->extent + b->size);
		if (size > WIN_BOUND)
			return -1;
	}
	t->nseg = m->nseg;
	t->seg = segs;
	t->lb = (MPI_Aint)m->tlb;
	t->ub = (MPI_Aint)(m->tlb + m->textent);
	t->size = size;
	/* one run: moved in one piece (an origin's type with one seg per element, MPI_BYTE
	 * for one, would otherwise be moved an element at a time) */
	t->contig = mpii_dtype_one_run(t);
	if (!size || !m->tcount) {
		*lo = *hi = 0;
		return 0;
	}
	*lo = slo + min64(0, (m->tcount - 1) * m->textent);
	*hi = shi + max64(0, (m->tcount - 1) * m->textent);
	return 0;
}

/* Where [disp + lo, disp + hi) is in this rank's part of w, or NULL if it is not. */
static char *locate(struct mpii_win *w, int64_t disp, int64_t lo, int64_t hi)
{
	if (lo == hi)
		return w->flavor == MPI_WIN_FLAVOR_DYNAMIC ? (char *)(uintptr_t)disp :
							     (char *)w->base + disp;
	if (disp < -WIN_BOUND || disp > INT64_MAX / 4)
		return NULL;
	if (w->flavor != MPI_WIN_FLAVOR_DYNAMIC)
		return disp + lo >= 0 && disp + hi <= w->len ? (char *)w->base + disp : NULL;
	for (int i = 0; i < w->nreg; i++) {
		uint64_t a = (uint64_t)(disp + lo), b = (uint64_t)(disp + hi);

		if (disp + lo >= 0 && a >= w->reg[i].base && b <= w->reg[i].base + w->reg[i].size)
			return (char *)(uintptr_t)disp;
	}
	return NULL;
}

/* Carries out one request from rank src. A malformed one is dropped (an empty reply if an
 * answer is awaited, so that the origin does not hang). */
static void serve_one(struct mpii_win *w, int src, char *buf, size_t len)
{
	struct mpii_win_msg m;
	struct mpii_dtype t;
	struct mpii_seg *segs = NULL;
	struct mpii_tmem tm = { NULL, 0 };
	size_t segbytes, rlen = 0;
	int64_t lo, hi, bytes;
	char *data, *reply = NULL, *direct = NULL;
	int ok = 0;

	if (len < sizeof(m))
		return;
	memcpy(&m, buf, sizeof(m));
	switch (m.op) {
	case MPII_WM_DONE:
		w->done_seen[src]++;
		return;
	case MPII_WM_FLUSH:
		goto answer;
	default:
		break;
	}
	if (m.nseg < 0 || (size_t)m.nseg > (len - sizeof(m)) / sizeof(struct mpii_win_seg))
		goto answer;
	segbytes = (size_t)m.nseg * sizeof(struct mpii_win_seg);
	if (m.datalen < 0 || (uint64_t)m.datalen != len - sizeof(m) - segbytes)
		goto answer;
	data = buf + sizeof(m) + segbytes;
	segs = malloc(((size_t)m.nseg + 1) * sizeof(*segs));
	if (!segs || rebuild(&m, buf + sizeof(m), segs, &t, &lo, &hi))
		goto answer;
	tm.base = locate(w, m.disp, lo, hi);
	if (!tm.base)
		goto answer;
	bytes = (int64_t)m.tcount * t.size;
	switch (m.op) {
	case MPII_WM_PUT:
		if (m.datalen <= bytes)
			mpii_win_put_exec(&tm, m.tcount, &t, data, m.datalen);
		break;
	case MPII_WM_GET:
		if (m.rlen < 0 || m.rlen > bytes)
			break;
		/* one run: sent from the window itself, no copy (the origin's epoch cannot end,
		 * nor its lock be released, before the reply is in) */
		if (t.contig && m.rlen) {
			direct = tm.base + t.lb;
			rlen = (size_t)m.rlen;
			break;
		}
		reply = malloc((size_t)m.rlen + 1);
		if (reply) {
			mpii_win_get_exec(&tm, m.tcount, &t, reply, m.rlen);
			rlen = (size_t)m.rlen;
		}
		break;
	case MPII_WM_ACC:
	case MPII_WM_GACC:
		if (m.basic < 1 || m.basic > MPII_NUM_BASIC || m.opcode < 1 ||
		    m.opcode > MPII_NUM_OPS || (m.datalen != bytes && m.datalen != 0) ||
		    (m.datalen == 0 && m.opcode != (int)MPII_HINDEX(MPI_NO_OP)) ||
		    bytes % mpii_basics[m.basic].size)
			break;
		if (m.op == MPII_WM_GACC && !(reply = malloc((size_t)bytes + 1)))
			break;
		ok = !mpii_win_acc_exec(&tm, m.tcount, &t, m.opcode, m.basic, data, reply);
		rlen = ok && reply ? (size_t)(m.rlen >= 0 && m.rlen < bytes ? m.rlen : bytes) : 0;
		break;
	case MPII_WM_CAS:
		if (m.tcount != 1 || m.basic < 1 || m.basic > MPII_NUM_BASIC ||
		    bytes != mpii_basics[m.basic].size || m.datalen != 2 * bytes)
			break;
		reply = malloc((size_t)bytes);
		if (reply) {
			mpii_win_cas_exec(&tm, m.basic, data, data + bytes, reply);
			rlen = (size_t)bytes;
		}
		break;
	}
answer:
	free(segs);
	if (m.reply_tag > 0 && direct)
		send_owned(w->comm, src, m.reply_tag, direct, rlen, NULL, 1);
	else if (m.reply_tag > 0 && (reply || (reply = malloc(1))))
		send_owned(w->comm, src, m.reply_tag, reply, rlen, reply, 1);
	else
		free(reply);
}

int mpii_win_serve(struct mpii_win *w)
{
	int ctx = w->comm->ctx, moved = 0;
	struct mpii_umsg *u;
	struct mpii_win_in *in;

	/* take every request that has arrived (or started to) off the unexpected queue */
	while ((u = mpii_umsg_find(ctx, MPI_ANY_SOURCE, MPII_WIN_TAG_SVC))) {
		in = calloc(1, sizeof(*in));
		if (!in || !(in->buf = mpii_malloc(u->len))) {
			free(in);
			mpii_fatal(MPI_ERR_NO_MEM, "MPI_ERR_NO_MEM: no memory for a one-sided request");
		}
		in->len = u->len;
		in->src = u->src;
		if (mpii_irecv(in->buf, (MPI_Count)in->len, mpii_byte_type(), in->src,
			       MPII_WIN_TAG_SVC, w->comm, 0, &in->req))
			mpii_fatal(MPI_ERR_INTERN, "MPI_ERR_INTERN: a one-sided request was lost");
		if (w->in_tail)
			w->in_tail->next = in;
		else
			w->in_head = in;
		w->in_tail = in;
		moved = 1;
	}
	/*
	 * Serve in arrival order, each once its data are in, while fewer than
	 * MPII_WIN_SERVE_REPLIES replies holding less than MPII_WIN_SERVE_BYTES are still being
	 * sent: an origin may queue any number of gets (MPICH's manyget: 100000 of 128 KB in one
	 * epoch), and a copy of each would not fit in memory. The rest wait here until the
	 * origins have taken replies in, which needs no serving.
	 */
	if (serving)	/* a progress from inside serve_one: the outer loop goes on */
		return moved;
	serving = 1;
	while ((in = w->in_head) && in->req->done && replies < MPII_WIN_SERVE_REPLIES &&
	       reply_bytes < MPII_WIN_SERVE_BYTES) {
		w->in_head = in->next;
		if (!w->in_head)
			w->in_tail = NULL;
		if (in->src >= 0 && in->src < w->size)
			serve_one(w, in->src, in->buf, in->len);
		mpii_req_destroy(in->req);
		free(in->buf);
		free(in);
		moved = 1;
	}
	serving = 0;
	return moved;
}

int mpii_win_active(void)
{
	return wins != NULL || owned_head != NULL;
}

int mpii_win_progress(void)
{
	int moved = owned_head ? reap_owned(owned_n >= owned_sweep_at) : 0;

	for (struct mpii_win *w = wins; w; w = w->next)
		moved |= mpii_win_serve(w);
	return moved;
}
