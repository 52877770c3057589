/* SPDX-License-Identifier: MIT */
/*
 * file_access.c: how every data access of MPI-IO is carried out (file_rw.c has the MPI calls):
 * the user's data become the stream of bytes in the file's representation (packed for
 * native, converted for external32), the position comes from the offset or a pointer, and
 * the bytes move independently (file_io.c) or collectively (file_coll.c).
 *
 * Collective accesses (blocking, nonblocking, split) run as a schedule (file_coll.c) that
 * MPI_Wait, MPI_Test, the _end call or any other MPI call progresses, so a nonblocking one
 * never waits for the other ranks when it starts. Independent nonblocking accesses involve
 * no other rank: they are done when they start, their request complete.
 */
#include <stdlib.h>
#include "mpii_file.h"
#include "tk.h"

/* The bytes of an access in the file's representation. */
struct stream {
	char *bytes;
	void *tmp;		/* owned when the bytes are not the user's buffer */
	int64_t n;		/* bytes in the file */
	int64_t elem;		/* bytes of one datatype element in the file */
};

static int stream_make(struct mpii_file *f, void *buf, int count, struct mpii_dtype *t,
		       int write, struct stream *s)
{
	MPI_Aint e1 = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	if (f->datarep == MPII_REP_NATIVE) {
		s->elem = t->size;
		s->n = (int64_t)count * t->size;
		if (t->contig) {
			s->bytes = (char *)buf + t->lb;
			return MPI_SUCCESS;
		}
	} else {
		rc = PMPI_Pack_external_size("external32", 1, t->handle, &e1);
		if (rc)
			return MPI_ERR_TYPE;
		s->elem = e1;
		s->n = (int64_t)count * e1;
	}
	s->tmp = mpii_malloc((size_t)s->n);
	if (!s->tmp)
		return MPI_ERR_NO_MEM;
	s->bytes = s->tmp;
	if (!write)
		return MPI_SUCCESS;
	if (f->datarep == MPII_REP_NATIVE) {
		mpii_pack(buf, count, t, s->tmp, s->n);
	} else {
		MPI_Aint at = 0;

		if (PMPI_Pack_external("external32", buf, count, t->handle, s->tmp, (MPI_Aint)s->n, &at))
			return MPI_ERR_CONVERSION;
	}
	return MPI_SUCCESS;
}

/* After a read of `got` bytes: the user's buffer filled; returns the native bytes read. */
static int64_t stream_done(struct mpii_file *f, void *buf, struct mpii_dtype *t,
			   struct stream *s, int64_t got, int write)
{
	int64_t whole = s->elem ? got / s->elem : 0, bytes = got;

	if (f->datarep == MPII_REP_EXTERNAL32)
		bytes = whole * t->size;	/* the status counts native bytes */
	if (!write && s->tmp && got > 0) {
		if (f->datarep == MPII_REP_NATIVE) {
			mpii_unpack(s->tmp, got, buf, whole + (got % (s->elem ? s->elem : 1) != 0), t);
		} else {
			MPI_Aint at = 0;

			PMPI_Unpack_external("external32", s->tmp, (MPI_Aint)got, &at, buf, (int)whole,
					     t->handle);
		}
	}
	free(s->tmp);
	return bytes;
}

static int access_check(struct mpii_file *f, const struct mpii_access *a, struct mpii_dtype **t)
{
	if (a->count < 0)
		return MPI_ERR_COUNT;
	if (mpii_dtype_check(a->datatype, t))
		return MPI_ERR_TYPE;
	if (a->write && (f->amode & MPI_MODE_RDONLY))
		return MPI_ERR_READ_ONLY;
	if (!a->write && (f->amode & MPI_MODE_WRONLY))
		return MPI_ERR_ACCESS;
	if (a->where == MPII_AT_EXPLICIT && a->offset < 0)
		return MPI_ERR_ARG;
	return mpii_check_buf(a->buf, a->count, *t);
}

/* The status of an access that moved `moved` native bytes. */
static void status_set(MPI_Status *st, int64_t moved, int rc)
{
	mpii_status_empty(st);
	st->mpii_count = moved;
	st->MPI_ERROR = rc;
}

/* Does one independent access; fills st. 0 or an error class (raised by the caller). */
static int do_access(struct mpii_file *f, const struct mpii_access *a, MPI_Status *st)
{
	struct mpii_dtype *t;
	struct stream s;
	int64_t pos, moved;
	int rc = access_check(f, a, &t);

	if (rc)
		return rc;
	rc = stream_make(f, a->buf, a->count, t, a->write, &s);
	if (rc)
		return rc;
	if (a->where == MPII_AT_EXPLICIT)
		pos = a->offset * f->esize;
	else if (a->where == MPII_AT_INDIVIDUAL)
		pos = f->fp * f->esize;
	else
		pos = mpii_file_sfp_add(f, s.n / f->esize) * f->esize;
	moved = mpii_file_xfer(f, pos, s.bytes, s.n, a->write);
	if (moved < 0) {
		rc = (int)-moved;
		moved = 0;
	}
	if (a->where == MPII_AT_INDIVIDUAL)
		f->fp += moved / f->esize;
	status_set(st, stream_done(f, a->buf, t, &s, moved, a->write), rc);
	return rc;
}

/*
 * A collective access in progress: a schedule of f's communicator (file_coll.c builds its
 * steps) owned by a request whose status the last step fills. Blocking, nonblocking and split
 * collective calls are all this, the blocking ones waiting at once.
 */
struct caccess {
	struct mpii_file *f;
	struct mpii_access a;
	struct mpii_dtype *t;	/* a reference while the access runs; NULL after a bad argument */
	struct stream s;
	int err;		/* a bad argument: this rank takes part with nothing */
	int fp_at_end;		/* blocking: the individual pointer moves by what was moved */
	int32_t etypes[2];	/* ordered: my etypes, everyone's, where the pointer was */
	int64_t *all, base;
	struct mpii_coll_io io;
	MPI_Status *st;		/* the request's */
};

/* The last step: the user's buffer filled (reads), the status, the outcome. */
static int caccess_end(struct mpii_sched *s, void *arg)
{
	struct caccess *x = arg;
	int64_t moved = x->io.moved;
	int rc = x->err ? x->err : x->io.rc;

	(void)s;
	if (x->t) {
		if (x->fp_at_end)
			x->f->fp += moved / x->f->esize;
		moved = stream_done(x->f, x->a.buf, x->t, &x->s, moved, x->a.write);
		mpii_dtype_unref(x->t);
	}
	status_set(x->st, moved, rc);
	return rc;
}

static int caccess_move(struct mpii_sched *s, struct caccess *x, int64_t pos)
{
	return mpii_file_coll(s, x->f, pos, x->s.bytes, x->s.n, x->a.write, &x->io);
}

/* Ordered access: every rank's etypes known, rank 0 moves the shared pointer past all of
 * them and tells the others where it was; each rank's data go after those of lower ranks. */
static int ordered_go(struct mpii_sched *s, void *arg)
{
	struct caccess *x = arg;
	int64_t pos = x->base;

	for (int r = 0; r < x->f->comm->rank; r++)
		pos += x->all[r];
	return caccess_move(s, x, pos * x->f->esize);
}

static int ordered_base(struct mpii_sched *s, void *arg)
{
	struct caccess *x = arg;
	int64_t sum = 0;
	int rc;

	if (x->f->comm->rank == 0) {
		for (int r = 0; r < x->f->comm->size; r++)
			sum += x->all[r];
		x->base = mpii_file_sfp_add(x->f, sum);
	}
	if ((rc = mpii_build_bcast(s, &x->base, sizeof(x->base), mpii_byte_type(), 0)) ||
	    (rc = mpii_sched_round(s)) || (rc = mpii_sched_call(s, ordered_go, x)))
		mpii_fatal(rc, "MPI_ERR_NO_MEM: out of memory in collective I/O");
	return MPI_SUCCESS;
}

/*
 * Starts a collective access; *out gets its request (kind MPII_R_IO), NULL when out of
 * memory. Returns this rank's argument error (it still takes part, with nothing), to be
 * raised by the caller. A nonblocking call moves the individual pointer now by what it asks
 * for (MPI-3.1 13.4.3); a blocking one by what it moved.
 */
static int caccess_start(struct mpii_file *f, const struct mpii_access *a, int blocking,
			 struct mpii_req **out)
{
	struct mpii_sched *s = mpii_sched_new(f->comm);
	struct caccess *x = s ? mpii_sched_tmp(s, sizeof(*x)) : NULL;
	struct mpii_dtype *t;
	int64_t pos = 0, etypes;
	int rc = MPI_SUCCESS;

	*out = NULL;
	if (!x) {
		if (s)
			mpii_sched_free(s);
		return MPI_ERR_NO_MEM;
	}
	memset(x, 0, sizeof(*x));
	x->f = f;
	x->a = *a;
	x->io.then = caccess_end;
	x->io.arg = x;
	x->err = access_check(f, a, &t);
	if (!x->err) {
		x->t = mpii_dtype_ref(t);
		x->err = stream_make(f, a->buf, a->count, t, a->write, &x->s);
		if (x->err) {
			free(x->s.tmp);
			mpii_dtype_unref(x->t);
			x->t = NULL;
		}
	}
	if (x->err)
		memset(&x->s, 0, sizeof(x->s));
	etypes = x->s.n / f->esize;
	switch (a->where) {
	case MPII_AT_EXPLICIT:
		pos = x->err ? 0 : a->offset * f->esize;
		break;
	case MPII_AT_INDIVIDUAL:
		pos = f->fp * f->esize;
		if (blocking)
			x->fp_at_end = !x->err;
		else
			f->fp += etypes;
		break;
	default:	/* MPII_AT_ORDERED */
		x->all = mpii_sched_tmp(s, (size_t)f->comm->size * sizeof(int64_t));
		if (!x->all)
			mpii_fatal(MPI_ERR_NO_MEM, "MPI_ERR_NO_MEM: out of memory in collective I/O");
		memcpy(x->etypes, &etypes, sizeof(etypes));
		if ((rc = mpii_build_allgather_int(s, x->etypes, 2, (int32_t *)x->all)) ||
		    (rc = mpii_sched_round(s)) || (rc = mpii_sched_call(s, ordered_base, x)))
			mpii_fatal(rc, "MPI_ERR_NO_MEM: out of memory in collective I/O");
		break;
	}
	if (a->where != MPII_AT_ORDERED)
		caccess_move(s, x, pos);
	*out = mpii_sched_start(s, MPII_R_IO);
	if (!*out)
		return MPI_ERR_NO_MEM;
	(*out)->file = f->handle;
	x->st = &(*out)->st;
	mpii_progress();
	return x->err;
}

/* A blocking call: status to the user, error to the handler. */
int mpii_file_blocking(MPI_File fh, const struct mpii_access *a, MPI_Status *status,
		       const char *fname)
{
	struct mpii_file *f;
	struct mpii_req *r;
	MPI_Status st;
	int rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (a->coll) {
		/* in a trace, one slice around the whole access and the messages it takes */
		int32_t tag = tk_tracing() ? mpii_coll_tag(NULL, TESSERA_STEP_IO) : 0;

		if (tag)
			tk_trace(TESSERA_TR_COLL_BEGIN, -1, tag, (uint32_t)f->comm->ctx, 0);
		rc = caccess_start(f, a, 1, &r);
		if (r) {
			rc = mpii_wait(r);
			st = r->st;
			mpii_req_destroy(r);
		}
		if (tag)
			tk_trace(TESSERA_TR_COLL_END, -1, tag, (uint32_t)f->comm->ctx, 0);
	} else {
		rc = do_access(f, a, &st);
	}
	mpii_status_give(status, &st);
	return rc ? mpii_raise_file(f, rc, fname) : MPI_SUCCESS;
}

/* A nonblocking call: independent ones are done now and their request is complete; collective
 * ones run until MPI_Wait or MPI_Test finds them done. */
int mpii_file_nonblocking(MPI_File fh, const struct mpii_access *a, MPI_Request *request,
			  const char *fname)
{
	struct mpii_file *f;
	struct mpii_req *r;
	int rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!request)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	if (a->coll) {
		rc = caccess_start(f, a, 0, &r);
		if (!r)
			return mpii_raise_file(f, rc, fname);
	} else {
		r = mpii_req_new(MPII_R_IO);
		if (!r)
			return mpii_raise_file(f, MPI_ERR_NO_MEM, fname);
		r->file = f->handle;
		rc = do_access(f, a, &r->st);
		r->err = rc;
		r->done = 1;
	}
	*request = r->handle;
	return rc ? mpii_raise_file(f, rc, fname) : MPI_SUCCESS;
}

/* The begin of a split collective: the access starts; its request is kept in the handle. */
int mpii_file_split_begin(MPI_File fh, const struct mpii_access *a, const char *fname)
{
	struct mpii_file *f;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	/* one split collective at a time per file handle (MPI-3.1 13.4.5) */
	if (f->split)
		return mpii_raise_file(f, MPI_ERR_OTHER, fname);
	f->split_err = caccess_start(f, a, 0, &f->split);
	if (!f->split)
		return mpii_raise_file(f, f->split_err, fname);
	return f->split_err ? mpii_raise_file(f, f->split_err, fname) : MPI_SUCCESS;
}

/* The end: waits for the access; an error its begin did not already raise is raised now. */
int mpii_file_split_end(MPI_File fh, MPI_Status *status, const char *fname)
{
	struct mpii_file *f;
	int rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!f->split)
		return mpii_raise_file(f, MPI_ERR_OTHER, fname);
	rc = mpii_wait(f->split);
	mpii_status_give(status, &f->split->st);
	mpii_req_destroy(f->split);
	f->split = NULL;
	return rc && rc != f->split_err ? mpii_raise_file(f, rc, fname) : rc;
}
