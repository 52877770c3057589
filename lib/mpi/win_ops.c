/* SPDX-License-Identifier: MIT */
/*
 * win_ops.c: the one-sided communication calls (MPI_Put, Get, Accumulate, Get_accumulate,
 * Fetch_and_op, Compare_and_swap and their request-based forms): argument checks, then the
 * operation itself where the target memory is reachable (shared DRAM, or this rank's own),
 * else a request to the memory's owner (win_am.c). Completion is the synchronisation calls'
 * (win_sync.c): direct writes are in the WCB until its drain, requests until a FLUSH.
 */
#include <stdlib.h>
#include "mpii_win.h"
#include "tk.h"

/* Where the target data of an operation are. */
struct tloc {
	int am;			/* 1: only the owner reaches them; ask it */
	struct mpii_tmem tm;	/* else: the memory (tm.shm: shared DRAM, atomics under TAS) */
	int64_t disp;		/* am: byte offset at the owner (dynamic windows: an address) */
};

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* The region of a dynamic window's rank `target` holding [lo, hi), or -1 if none. */
static int find_region(struct mpii_win *w, int target, uint64_t lo, uint64_t hi,
		       struct mpii_win_region *out)
{
	struct mpii_win_region reg[MPII_WIN_MAX_ATTACH];
	int n = w->nreg;

	if (target == w->rank) {
		memcpy(reg, w->reg, sizeof(reg));
	} else {
		uintptr_t ctl = mpii_win_ctl(w, target);
		uint32_t core = mpii_win_core(w, target);

		mpii_tas_lock(core);
		n = (int)tk_mpb_read32(ctl + MPII_WIN_CTL_NREG_OFF(w));
		if (n < 0 || n > MPII_WIN_MAX_ATTACH)
			n = 0;
		tk_mpb_read(reg, ctl + MPII_WIN_CTL_REG_OFF(w), (size_t)n * sizeof(reg[0]));
		mpii_tas_unlock(core);
	}
	for (int i = 0; i < n; i++)
		if (lo >= reg[i].base && hi <= reg[i].base + reg[i].size) {
			*out = reg[i];
			return i;
		}
	return -1;
}

/* Finds the target data of tcount elements of tt at displacement tdisp of rank target. */
static int resolve(struct mpii_win *w, int target, MPI_Aint tdisp, MPI_Count tcount,
		   const struct mpii_dtype *tt, struct tloc *l)
{
	const struct mpii_win_peer *p = &w->peer[target];
	MPI_Aint ext = mpii_extent(tt);
	int64_t lo = 0, hi = 0, off;
	int direct;

	if (tcount > 0 && tt->size > 0) {
		lo = tt->true_lb + min64(0, (tcount - 1) * ext);
		hi = tt->true_ub + max64(0, (tcount - 1) * ext);
	}
	if (w->flavor == MPI_WIN_FLAVOR_DYNAMIC) {
		struct mpii_win_region r = { 0, 0 };

		off = (int64_t)(uintptr_t)tdisp;	/* an address: above 2 GB on i386 too */
		if (hi > lo && find_region(w, target, (uint64_t)(off + lo), (uint64_t)(off + hi), &r) < 0)
			return MPI_ERR_RMA_RANGE;
		direct = mpii_shm_contains((void *)(uintptr_t)r.base, (size_t)r.size) &&
			 mpii_shm_domain(w->comm->local->wr[target]) ==
			 mpii_shm_domain(mpii_world_rank());
	} else {
		if (tdisp < 0)
			return MPI_ERR_DISP;
		off = (int64_t)tdisp * p->disp_unit;
		if (hi > lo && (off + lo < 0 || off + hi > p->size))
			return MPI_ERR_RMA_RANGE;
		direct = p->direct;
	}
	l->am = !direct && target != w->rank;
	l->disp = off;
	l->tm.shm = direct;
	l->tm.base = (char *)(uintptr_t)(w->flavor == MPI_WIN_FLAVOR_DYNAMIC ? 0 : p->base) + off;
	return MPI_SUCCESS;
}

/* A request that is complete already (operations done on the spot). */
static int done_request(MPI_Request *request)
{
	struct mpii_req *r = mpii_req_new(MPII_R_NONE);

	if (!r)
		return MPI_ERR_NO_MEM;
	r->done = 1;
	*request = r->handle;
	return MPI_SUCCESS;
}

/* Everything an operation call names. */
struct op_args {
	const void *obuf;
	MPI_Count ocount;
	struct mpii_dtype *ot;
	void *rbuf;		/* gets: where the data (or the old values) go */
	MPI_Count rcount;
	struct mpii_dtype *rt;
	int target;
	MPI_Aint tdisp;
	MPI_Count tcount;
	struct mpii_dtype *tt;
	struct mpii_op *op;	/* accumulates */
	const void *cmp;	/* compare and swap */
	MPI_Request *request;	/* request-based forms */
};

/* Checks a count and a datatype argument; 0 or the class. */
static int check_buf(int count, MPI_Datatype h, struct mpii_dtype **t)
{
	if (count < 0)
		return MPI_ERR_COUNT;
	return mpii_dtype_check(h, t) ? MPI_ERR_TYPE : MPI_SUCCESS;
}

/* Checks shared by every operation, in Open MPI's order: window, buffers, rank,
 * displacement, epoch. 0, or the class to raise (on the window when *w is set). */
static int check_common(MPI_Win win, struct mpii_win **w, int target, MPI_Aint tdisp,
			int request_based)
{
	if (!(*w = mpii_win_get(win)))
		return MPI_ERR_WIN;
	if (target != MPI_PROC_NULL && (target < 0 || target >= (*w)->size))
		return MPI_ERR_RANK;
	if (tdisp < 0 && (*w)->flavor != MPI_WIN_FLAVOR_DYNAMIC)
		return MPI_ERR_DISP;
	/* MPI_PROC_NULL is a valid target in any epoch, or none (its operations do nothing) */
	if (target == MPI_PROC_NULL)
		return MPI_SUCCESS;
	return mpii_win_access_ok(*w, target, request_based);
}

/* Packed origin data into *out: the buffer itself when contiguous, else a copy in *tmp (to
 * free). 0 or MPI_ERR_NO_MEM. */
static int packed_origin(const struct op_args *a, const void **out, void **tmp)
{
	MPI_Count n = a->ocount * a->ot->size;

	*tmp = NULL;
	*out = (const char *)a->obuf + a->ot->lb;
	if (a->ot->contig || n <= 0)
		return MPI_SUCCESS;
	*tmp = malloc((size_t)n);
	if (!*tmp)
		return MPI_ERR_NO_MEM;
	mpii_pack(a->obuf, a->ocount, a->ot, *tmp, n);
	*out = *tmp;
	return MPI_SUCCESS;
}

static MPI_Count min_count(MPI_Count a, MPI_Count b)
{
	return a < b ? a : b;
}

static int do_put(struct mpii_win *w, const struct op_args *a)
{
	MPI_Count n = min_count(a->ocount * a->ot->size, a->tcount * a->tt->size);
	struct mpii_win_msg m = { .op = MPII_WM_PUT, .tcount = a->tcount };
	struct tloc l;
	const void *src;
	void *tmp;
	int rc = resolve(w, a->target, a->tdisp, a->tcount, a->tt, &l);

	if (rc)
		return rc;
	if (l.am) {
		m.disp = l.disp;
		rc = mpii_win_send(w, a->target, &m, a->tt, a->obuf,
				   n / (a->ot->size ? a->ot->size : 1), a->ot, NULL, 0);
		w->dirty[a->target] = 1;
	} else {
		if (packed_origin(a, &src, &tmp))
			return MPI_ERR_NO_MEM;
		mpii_win_put_exec(&l.tm, a->tcount, a->tt, src, n);
		free(tmp);
	}
	return rc ? rc : (a->request ? done_request(a->request) : MPI_SUCCESS);
}

static int do_get(struct mpii_win *w, const struct op_args *a)
{
	MPI_Count n = min_count(a->rcount * a->rt->size, a->tcount * a->tt->size);
	struct mpii_win_msg m = { .op = MPII_WM_GET, .tcount = a->tcount, .rlen = n };
	struct mpii_req *r;
	struct tloc l;
	void *tmp = NULL;
	int rc = resolve(w, a->target, a->tdisp, a->tcount, a->tt, &l);

	if (rc)
		return rc;
	if (l.am) {
		m.disp = l.disp;
		m.reply_tag = mpii_win_tag(w);
		rc = mpii_win_expect(w, a->rbuf, a->rcount, a->rt, a->target, m.reply_tag,
				     a->request ? &r : NULL);
		if (!rc)
			rc = mpii_win_send(w, a->target, &m, a->tt, NULL, 0, NULL, NULL, 0);
		if (!rc && a->request) {
			/* the user's request: the epoch's end completes it by a FLUSH round trip */
			w->dirty[a->target] = 1;
			*a->request = r->handle;
		}
		return rc;
	}
	if (!a->rt->contig && !(tmp = malloc((size_t)n + 1)))
		return MPI_ERR_NO_MEM;
	mpii_win_get_exec(&l.tm, a->tcount, a->tt, tmp ? tmp : (char *)a->rbuf + a->rt->lb, n);
	if (tmp)
		mpii_unpack(tmp, n, a->rbuf, a->rcount, a->rt);
	free(tmp);
	return a->request ? done_request(a->request) : MPI_SUCCESS;
}

/* Accumulates, with (rbuf) or without the old values; compare and swap when a->cmp. */
static int do_acc(struct mpii_win *w, const struct op_args *a)
{
	MPI_Count n = a->tcount * a->tt->size;
	int opcode = a->op->builtin, basic = a->tt->elem, fetch = a->rt != NULL;
	struct mpii_win_msg m = { .tcount = a->tcount, .opcode = opcode, .basic = basic };
	struct mpii_req *r = NULL;
	struct tloc l;
	const void *src = NULL;
	void *tmp = NULL, *old = NULL;
	int rc = resolve(w, a->target, a->tdisp, a->tcount, a->tt, &l);

	if (rc)
		return rc;
	if (l.am) {
		int noop = opcode == (int)MPII_HINDEX(MPI_NO_OP) && !a->cmp;

		m.op = a->cmp ? MPII_WM_CAS : fetch ? MPII_WM_GACC : MPII_WM_ACC;
		m.disp = l.disp;
		m.rlen = fetch ? min_count(a->rcount * a->rt->size, n) : 0;
		if (fetch) {
			m.reply_tag = mpii_win_tag(w);
			rc = mpii_win_expect(w, a->rbuf, a->rcount, a->rt, a->target, m.reply_tag,
					     a->request ? &r : NULL);
		}
		if (!rc)
			rc = mpii_win_send(w, a->target, &m, a->tt, a->obuf, noop ? 0 : a->ocount,
					   a->ot, a->cmp, a->cmp ? (size_t)a->tt->size : 0);
		if (rc)
			return rc;
		if (!fetch || r)
			w->dirty[a->target] = 1;
		if (r)
			*a->request = r->handle;
		else if (a->request)
			return done_request(a->request);
		return MPI_SUCCESS;
	}
	if (a->ot && opcode != (int)MPII_HINDEX(MPI_NO_OP) && packed_origin(a, &src, &tmp))
		return MPI_ERR_NO_MEM;
	if (fetch && !(old = malloc((size_t)n + 1))) {
		free(tmp);
		return MPI_ERR_NO_MEM;
	}
	/* element-wise atomic against every other accumulate to this memory: the owner's core
	 * register guards all of them (its own operations on shared DRAM come here too) */
	if (l.tm.shm)
		mpii_tas_lock(mpii_win_core(w, a->target));
	if (a->cmp)
		mpii_win_cas_exec(&l.tm, basic, src, a->cmp, old);
	else
		rc = mpii_win_acc_exec(&l.tm, a->tcount, a->tt, opcode, basic, src, old);
	if (l.tm.shm)
		mpii_tas_unlock(mpii_win_core(w, a->target));
	if (old && !rc)
		mpii_unpack(old, n, a->rbuf, a->rcount, a->rt);
	free(old);
	free(tmp);
	if (!rc && a->request)
		rc = done_request(a->request);
	return rc;
}

/* Checks of the accumulating calls: op (predefined, allowed on the types), and origin and
 * target built of the same predefined type. */
static int check_acc(MPI_Op oph, struct op_args *a)
{
	a->op = mpii_handle_get(MPII_K_OP, oph);
	if (!a->op || !a->op->builtin || mpii_op_check(a->op, a->tt))
		return MPI_ERR_OP;
	if (!a->ot || a->op->builtin == (int)MPII_HINDEX(MPI_NO_OP))
		return MPI_SUCCESS;
	if (mpii_op_check(a->op, a->ot))
		return MPI_ERR_OP;
	if (a->ot->elem != a->tt->elem || a->ocount * a->ot->size != a->tcount * a->tt->size)
		return MPI_ERR_TYPE;
	return MPI_SUCCESS;
}

/* Runs a checked operation: nothing for MPI_PROC_NULL, else do(). */
static int run(struct mpii_win *w, struct op_args *a, int (*op)(struct mpii_win *,
							     const struct op_args *))
{
	int rc;

	w->fence_ops++;
	if (a->target == MPI_PROC_NULL)
		return a->request ? done_request(a->request) : MPI_SUCCESS;
	rc = op(w, a);
	return rc;
}

static int put_get(const void *obuf, int ocount, MPI_Datatype otype, int target,
		   MPI_Aint tdisp, int tcount, MPI_Datatype ttype, MPI_Win win,
		   MPI_Request *request, int reqform, int get, const char *fname)
{
	struct op_args a = { .target = target, .tdisp = tdisp, .tcount = tcount,
			     .request = request };
	struct mpii_dtype *ot;
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	rc = check_buf(ocount, otype, &ot);
	if (!rc)
		rc = check_buf(tcount, ttype, &a.tt);
	if (!rc && reqform && !request)
		rc = MPI_ERR_ARG;
	if (!rc)
		rc = check_common(win, &w, target, tdisp, reqform);
	if (rc)
		return mpii_raise_win(w, rc, fname);
	if (get) {
		a.rbuf = (void *)obuf;
		a.rcount = ocount;
		a.rt = ot;
	} else {
		a.obuf = obuf;
		a.ocount = ocount;
		a.ot = ot;
	}
	rc = run(w, &a, get ? do_get : do_put);
	return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
}

int PMPI_Put(const void *origin_addr, int origin_count, MPI_Datatype origin_datatype,
	     int target_rank, MPI_Aint target_disp, int target_count, MPI_Datatype target_datatype,
	     MPI_Win win)
{
	return put_get(origin_addr, origin_count, origin_datatype, target_rank, target_disp,
		       target_count, target_datatype, win, NULL, 0, 0, "MPI_Put");
}
MPII_ALIAS(MPI_Put)

int PMPI_Get(void *origin_addr, int origin_count, MPI_Datatype origin_datatype, int target_rank,
	     MPI_Aint target_disp, int target_count, MPI_Datatype target_datatype, MPI_Win win)
{
	return put_get(origin_addr, origin_count, origin_datatype, target_rank, target_disp,
		       target_count, target_datatype, win, NULL, 0, 1, "MPI_Get");
}
MPII_ALIAS(MPI_Get)

int PMPI_Rput(const void *origin_addr, int origin_count, MPI_Datatype origin_datatype,
	      int target_rank, MPI_Aint target_disp, int target_count, MPI_Datatype target_datatype,
	      MPI_Win win, MPI_Request *request)
{
	return put_get(origin_addr, origin_count, origin_datatype, target_rank, target_disp,
		       target_count, target_datatype, win, request, 1, 0, "MPI_Rput");
}
MPII_ALIAS(MPI_Rput)

int PMPI_Rget(void *origin_addr, int origin_count, MPI_Datatype origin_datatype, int target_rank,
	      MPI_Aint target_disp, int target_count, MPI_Datatype target_datatype, MPI_Win win,
	      MPI_Request *request)
{
	return put_get(origin_addr, origin_count, origin_datatype, target_rank, target_disp,
		       target_count, target_datatype, win, request, 1, 1, "MPI_Rget");
}
MPII_ALIAS(MPI_Rget)

/* Every accumulating call: origin (NULL type for none), result (NULL type for none). */
static int accumulate(const void *obuf, int ocount, MPI_Datatype otype, void *rbuf, int rcount,
		      MPI_Datatype rtype, int target, MPI_Aint tdisp, int tcount,
		      MPI_Datatype ttype, MPI_Op op, MPI_Win win, MPI_Request *request,
		      int reqform, const char *fname)
{
	struct op_args a = { .obuf = obuf, .ocount = ocount, .rbuf = rbuf, .rcount = rcount,
			     .target = target, .tdisp = tdisp, .tcount = tcount,
			     .request = request };
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	rc = otype == MPI_DATATYPE_NULL && rtype != MPI_DATATYPE_NULL ? MPI_SUCCESS :
	     check_buf(ocount, otype, &a.ot);
	if (!rc && rtype != MPI_DATATYPE_NULL)
		rc = check_buf(rcount, rtype, &a.rt);
	if (!rc)
		rc = check_buf(tcount, ttype, &a.tt);
	if (!rc && reqform && !request)
		rc = MPI_ERR_ARG;
	if (!rc)
		rc = check_common(win, &w, target, tdisp, reqform);
	if (!rc)
		rc = check_acc(op, &a);
	if (rc)
		return mpii_raise_win(w, rc, fname);
	rc = run(w, &a, do_acc);
	return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
}

int PMPI_Accumulate(const void *origin_addr, int origin_count, MPI_Datatype origin_datatype,
		    int target_rank, MPI_Aint target_disp, int target_count,
		    MPI_Datatype target_datatype, MPI_Op op, MPI_Win win)
{
	return accumulate(origin_addr, origin_count, origin_datatype, NULL, 0, MPI_DATATYPE_NULL,
			  target_rank, target_disp, target_count, target_datatype, op, win, NULL,
			  0, "MPI_Accumulate");
}
MPII_ALIAS(MPI_Accumulate)

int PMPI_Raccumulate(const void *origin_addr, int origin_count, MPI_Datatype origin_datatype,
		     int target_rank, MPI_Aint target_disp, int target_count,
		     MPI_Datatype target_datatype, MPI_Op op, MPI_Win win, MPI_Request *request)
{
	return accumulate(origin_addr, origin_count, origin_datatype, NULL, 0, MPI_DATATYPE_NULL,
			  target_rank, target_disp, target_count, target_datatype, op, win,
			  request, 1, "MPI_Raccumulate");
}
MPII_ALIAS(MPI_Raccumulate)

/* Get_accumulate with MPI_NO_OP ignores the origin buffer: its datatype may be anything. */
static MPI_Datatype noop_origin(MPI_Op op, int count, MPI_Datatype t)
{
	struct mpii_dtype *d;

	return op == MPI_NO_OP && (count == 0 || mpii_dtype_check(t, &d)) ? MPI_DATATYPE_NULL : t;
}

int PMPI_Get_accumulate(const void *origin_addr, int origin_count, MPI_Datatype origin_datatype,
			void *result_addr, int result_count, MPI_Datatype result_datatype,
			int target_rank, MPI_Aint target_disp, int target_count,
			MPI_Datatype target_datatype, MPI_Op op, MPI_Win win)
{
	return accumulate(origin_addr, origin_count,
			  noop_origin(op, origin_count, origin_datatype), result_addr,
			  result_count, result_datatype, target_rank, target_disp, target_count,
			  target_datatype, op, win, NULL, 0, "MPI_Get_accumulate");
}
MPII_ALIAS(MPI_Get_accumulate)

int PMPI_Rget_accumulate(const void *origin_addr, int origin_count, MPI_Datatype origin_datatype,
			 void *result_addr, int result_count, MPI_Datatype result_datatype,
			 int target_rank, MPI_Aint target_disp, int target_count,
			 MPI_Datatype target_datatype, MPI_Op op, MPI_Win win, MPI_Request *request)
{
	return accumulate(origin_addr, origin_count,
			  noop_origin(op, origin_count, origin_datatype), result_addr,
			  result_count, result_datatype, target_rank, target_disp, target_count,
			  target_datatype, op, win, request, 1, "MPI_Rget_accumulate");
}
MPII_ALIAS(MPI_Rget_accumulate)

/* Fetch_and_op takes a predefined datatype (MPI-3.1 11.3.4). */
static int single_type(MPI_Win win, MPI_Datatype t, const char *fname)
{
	struct mpii_dtype *d;

	if (!mpii_dtype_check(t, &d) && !d->predefined)
		return mpii_raise_win(mpii_win_get(win), MPI_ERR_TYPE, fname);
	return MPI_SUCCESS;
}

int PMPI_Fetch_and_op(const void *origin_addr, void *result_addr, MPI_Datatype datatype,
		      int target_rank, MPI_Aint target_disp, MPI_Op op, MPI_Win win)
{
	static const char fname[] = "MPI_Fetch_and_op";

	MPII_ENTER(fname);
	if (mpii_win_get(win) && single_type(win, datatype, fname))
		return MPI_ERR_TYPE;
	return accumulate(origin_addr, 1, noop_origin(op, 1, datatype), result_addr, 1, datatype,
			  target_rank, target_disp, 1, datatype, op, win, NULL, 0, fname);
}
MPII_ALIAS(MPI_Fetch_and_op)

int PMPI_Compare_and_swap(const void *origin_addr, const void *compare_addr, void *result_addr,
			  MPI_Datatype datatype, int target_rank, MPI_Aint target_disp, MPI_Win win)
{
	static const char fname[] = "MPI_Compare_and_swap";
	struct op_args a = { .obuf = origin_addr, .ocount = 1, .rbuf = result_addr, .rcount = 1,
			     .target = target_rank, .tdisp = target_disp, .tcount = 1,
			     .cmp = compare_addr };
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	rc = check_buf(1, datatype, &a.tt);
	if (!rc && (!a.tt->predefined || mpii_basics[a.tt->elem].pair))
		rc = MPI_ERR_TYPE;
	if (!rc && (!origin_addr || !compare_addr || !result_addr))
		rc = MPI_ERR_BUFFER;
	if (!rc)
		rc = check_common(win, &w, target_rank, target_disp, 0);
	if (rc)
		return mpii_raise_win(w, rc, fname);
	a.ot = a.rt = a.tt;
	a.op = mpii_handle_get(MPII_K_OP, MPI_REPLACE);
	rc = run(w, &a, do_acc);
	return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Compare_and_swap)
