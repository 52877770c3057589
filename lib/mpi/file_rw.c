/* SPDX-License-Identifier: MIT */
/*
 * file_rw.c: the data access calls of MPI-IO: explicit offsets (_at), the individual file
 * pointer, the shared file pointer (_shared, _ordered), each blocking, collective (_all),
 * split collective (_begin/_end) and nonblocking (i...). One function does them all: the
 * user's data become the stream of bytes in the file's representation (packed for native,
 * converted for external32), the position comes from the offset or a pointer, and the bytes
 * move independently (file_io.c) or collectively (file_coll.c).
 *
 * Split collectives and the nonblocking calls do their work when they start (MPI-3.1 13.4.5
 * allows it for split collectives): the request is complete when it is returned, its status
 * kept until MPI_Wait or the _end call asks for it.
 */
#include <stdlib.h>
#include "mpii_file.h"

enum { AT_EXPLICIT, AT_INDIVIDUAL, AT_SHARED, AT_ORDERED };

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

/* Everything a data access call says. */
struct access {
	int where;		/* AT_* */
	int coll, write;
	MPI_Offset offset;	/* AT_EXPLICIT */
	void *buf;
	int count;
	MPI_Datatype datatype;
};

static int64_t sum64(int64_t v, const int64_t *all, int n, int upto)
{
	for (int i = 0; i < upto && i < n; i++)
		v += all[i];
	return v;
}

/* The position (data byte of the view) of an access using a shared pointer. Independent:
 * take my etypes from the pointer. Ordered (collective): the ranks in order, rank 0 moves
 * the pointer past all of them. */
static int shared_pos(struct mpii_file *f, int ordered, int64_t n, int64_t *pos)
{
	struct mpii_comm *c = f->comm;
	int64_t etypes = n / f->esize, base = 0, *all;
	int32_t mine[2];
	int rc;

	if (!ordered) {
		*pos = mpii_file_sfp_add(f, etypes) * f->esize;
		return MPI_SUCCESS;
	}
	all = malloc((size_t)c->size * sizeof(int64_t));
	if (!all)
		return MPI_ERR_NO_MEM;
	memcpy(mine, &etypes, sizeof(etypes));
	rc = mpii_allgather_int(c, mine, 2, (int32_t *)all);
	if (!rc && c->rank == 0)
		base = mpii_file_sfp_add(f, sum64(0, all, c->size, c->size));
	if (!rc)
		rc = mpii_bcast_raw(c, &base, sizeof(base), 0);
	*pos = sum64(base, all, c->size, c->rank) * f->esize;
	free(all);
	return rc;
}

static int access_check(struct mpii_file *f, const struct access *a, struct mpii_dtype **t)
{
	if (a->count < 0)
		return MPI_ERR_COUNT;
	if (mpii_dtype_check(a->datatype, t))
		return MPI_ERR_TYPE;
	if (a->write && (f->amode & MPI_MODE_RDONLY))
		return MPI_ERR_READ_ONLY;
	if (!a->write && (f->amode & MPI_MODE_WRONLY))
		return MPI_ERR_ACCESS;
	if (a->where == AT_EXPLICIT && a->offset < 0)
		return MPI_ERR_ARG;
	return mpii_check_buf(a->buf, a->count, *t);
}

/* Does one access; fills st. 0 or an error class (raised by the caller). */
static int do_access(struct mpii_file *f, const struct access *a, MPI_Status *st)
{
	struct mpii_dtype *t;
	struct stream s;
	int64_t pos = 0, moved = 0;
	int rc = access_check(f, a, &t);

	if (rc && a->coll) {
		/* the others are in the collective: take part with nothing */
		int64_t none;

		if (a->where == AT_ORDERED)
			shared_pos(f, 1, 0, &pos);
		mpii_file_coll(f, 0, NULL, 0, a->write, &none);
		return rc;
	}
	if (rc)
		return rc;
	rc = stream_make(f, a->buf, a->count, t, a->write, &s);
	if (rc)
		return rc;
	switch (a->where) {
	case AT_EXPLICIT:
		pos = a->offset * f->esize;
		break;
	case AT_INDIVIDUAL:
		pos = f->fp * f->esize;
		break;
	default:
		rc = shared_pos(f, a->where == AT_ORDERED, s.n, &pos);
		break;
	}
	if (!rc && a->coll) {
		rc = mpii_file_coll(f, pos, s.bytes, s.n, a->write, &moved);
	} else if (!rc) {
		moved = mpii_file_xfer(f, pos, s.bytes, s.n, a->write);
		if (moved < 0) {
			rc = (int)-moved;
			moved = 0;
		}
	}
	if (a->where == AT_INDIVIDUAL)
		f->fp += moved / f->esize;
	moved = stream_done(f, a->buf, t, &s, moved, a->write);
	mpii_status_empty(st);
	st->mpii_count = moved;
	st->MPI_ERROR = rc;
	return rc;
}

/* A blocking call: status to the user, error to the handler. */
static int blocking(MPI_File fh, struct access *a, MPI_Status *status, const char *fname)
{
	struct mpii_file *f;
	MPI_Status st;
	int rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	rc = do_access(f, a, &st);
	mpii_status_give(status, &st);
	return rc ? mpii_raise_file(f, rc, fname) : MPI_SUCCESS;
}

/* A nonblocking call: the work done now, its status in a complete request. */
static int nonblocking(MPI_File fh, struct access *a, MPI_Request *request, const char *fname)
{
	struct mpii_file *f;
	struct mpii_req *r;
	int rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!request)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	r = mpii_req_new(MPII_R_IO);
	if (!r)
		return mpii_raise_file(f, MPI_ERR_NO_MEM, fname);
	rc = do_access(f, a, &r->st);
	r->err = rc;
	r->done = 1;
	*request = r->handle;
	return rc ? mpii_raise_file(f, rc, fname) : MPI_SUCCESS;
}

/* The begin of a split collective: the work, its status kept in the handle. */
static int split_begin(MPI_File fh, struct access *a, const char *fname)
{
	struct mpii_file *f;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	/* one split collective at a time per file handle (MPI-3.1 13.4.5) */
	if (f->split)
		return mpii_raise_file(f, MPI_ERR_OTHER, fname);
	f->split = 1;
	f->split_err = do_access(f, a, &f->split_st);
	return f->split_err ? mpii_raise_file(f, f->split_err, fname) : MPI_SUCCESS;
}

static int split_end(MPI_File fh, MPI_Status *status, const char *fname)
{
	struct mpii_file *f;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!f->split)
		return mpii_raise_file(f, MPI_ERR_OTHER, fname);
	f->split = 0;
	mpii_status_give(status, &f->split_st);
	return f->split_err;
}

#define ACCESS(where, coll, write, off) \
	struct access a = { where, coll, write, off, (void *)buf, count, datatype }

/* ---- Explicit offsets ---- */

int PMPI_File_read_at(MPI_File fh, MPI_Offset offset, void *buf, int count,
		      MPI_Datatype datatype, MPI_Status *status)
{
	ACCESS(AT_EXPLICIT, 0, 0, offset);
	return blocking(fh, &a, status, "MPI_File_read_at");
}
MPII_ALIAS(MPI_File_read_at)

int PMPI_File_read_at_all(MPI_File fh, MPI_Offset offset, void *buf, int count,
			  MPI_Datatype datatype, MPI_Status *status)
{
	ACCESS(AT_EXPLICIT, 1, 0, offset);
	return blocking(fh, &a, status, "MPI_File_read_at_all");
}
MPII_ALIAS(MPI_File_read_at_all)

int PMPI_File_write_at(MPI_File fh, MPI_Offset offset, const void *buf, int count,
		       MPI_Datatype datatype, MPI_Status *status)
{
	ACCESS(AT_EXPLICIT, 0, 1, offset);
	return blocking(fh, &a, status, "MPI_File_write_at");
}
MPII_ALIAS(MPI_File_write_at)

int PMPI_File_write_at_all(MPI_File fh, MPI_Offset offset, const void *buf, int count,
			   MPI_Datatype datatype, MPI_Status *status)
{
	ACCESS(AT_EXPLICIT, 1, 1, offset);
	return blocking(fh, &a, status, "MPI_File_write_at_all");
}
MPII_ALIAS(MPI_File_write_at_all)

int PMPI_File_iread_at(MPI_File fh, MPI_Offset offset, void *buf, int count,
		       MPI_Datatype datatype, MPI_Request *request)
{
	ACCESS(AT_EXPLICIT, 0, 0, offset);
	return nonblocking(fh, &a, request, "MPI_File_iread_at");
}
MPII_ALIAS(MPI_File_iread_at)

int PMPI_File_iwrite_at(MPI_File fh, MPI_Offset offset, const void *buf, int count,
			MPI_Datatype datatype, MPI_Request *request)
{
	ACCESS(AT_EXPLICIT, 0, 1, offset);
	return nonblocking(fh, &a, request, "MPI_File_iwrite_at");
}
MPII_ALIAS(MPI_File_iwrite_at)

int PMPI_File_iread_at_all(MPI_File fh, MPI_Offset offset, void *buf, int count,
			   MPI_Datatype datatype, MPI_Request *request)
{
	ACCESS(AT_EXPLICIT, 1, 0, offset);
	return nonblocking(fh, &a, request, "MPI_File_iread_at_all");
}
MPII_ALIAS(MPI_File_iread_at_all)

int PMPI_File_iwrite_at_all(MPI_File fh, MPI_Offset offset, const void *buf, int count,
			    MPI_Datatype datatype, MPI_Request *request)
{
	ACCESS(AT_EXPLICIT, 1, 1, offset);
	return nonblocking(fh, &a, request, "MPI_File_iwrite_at_all");
}
MPII_ALIAS(MPI_File_iwrite_at_all)

int PMPI_File_read_at_all_begin(MPI_File fh, MPI_Offset offset, void *buf, int count,
				MPI_Datatype datatype)
{
	ACCESS(AT_EXPLICIT, 1, 0, offset);
	return split_begin(fh, &a, "MPI_File_read_at_all_begin");
}
MPII_ALIAS(MPI_File_read_at_all_begin)

int PMPI_File_read_at_all_end(MPI_File fh, void *buf, MPI_Status *status)
{
	(void)buf;
	return split_end(fh, status, "MPI_File_read_at_all_end");
}
MPII_ALIAS(MPI_File_read_at_all_end)

int PMPI_File_write_at_all_begin(MPI_File fh, MPI_Offset offset, const void *buf, int count,
				 MPI_Datatype datatype)
{
	ACCESS(AT_EXPLICIT, 1, 1, offset);
	return split_begin(fh, &a, "MPI_File_write_at_all_begin");
}
MPII_ALIAS(MPI_File_write_at_all_begin)

int PMPI_File_write_at_all_end(MPI_File fh, const void *buf, MPI_Status *status)
{
	(void)buf;
	return split_end(fh, status, "MPI_File_write_at_all_end");
}
MPII_ALIAS(MPI_File_write_at_all_end)

/* ---- Individual file pointer ---- */

int PMPI_File_read(MPI_File fh, void *buf, int count, MPI_Datatype datatype, MPI_Status *status)
{
	ACCESS(AT_INDIVIDUAL, 0, 0, 0);
	return blocking(fh, &a, status, "MPI_File_read");
}
MPII_ALIAS(MPI_File_read)

int PMPI_File_read_all(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
		       MPI_Status *status)
{
	ACCESS(AT_INDIVIDUAL, 1, 0, 0);
	return blocking(fh, &a, status, "MPI_File_read_all");
}
MPII_ALIAS(MPI_File_read_all)

int PMPI_File_write(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
		    MPI_Status *status)
{
	ACCESS(AT_INDIVIDUAL, 0, 1, 0);
	return blocking(fh, &a, status, "MPI_File_write");
}
MPII_ALIAS(MPI_File_write)

int PMPI_File_write_all(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			MPI_Status *status)
{
	ACCESS(AT_INDIVIDUAL, 1, 1, 0);
	return blocking(fh, &a, status, "MPI_File_write_all");
}
MPII_ALIAS(MPI_File_write_all)

int PMPI_File_iread(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
		    MPI_Request *request)
{
	ACCESS(AT_INDIVIDUAL, 0, 0, 0);
	return nonblocking(fh, &a, request, "MPI_File_iread");
}
MPII_ALIAS(MPI_File_iread)

int PMPI_File_iwrite(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
		     MPI_Request *request)
{
	ACCESS(AT_INDIVIDUAL, 0, 1, 0);
	return nonblocking(fh, &a, request, "MPI_File_iwrite");
}
MPII_ALIAS(MPI_File_iwrite)

int PMPI_File_iread_all(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			MPI_Request *request)
{
	ACCESS(AT_INDIVIDUAL, 1, 0, 0);
	return nonblocking(fh, &a, request, "MPI_File_iread_all");
}
MPII_ALIAS(MPI_File_iread_all)

int PMPI_File_iwrite_all(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			 MPI_Request *request)
{
	ACCESS(AT_INDIVIDUAL, 1, 1, 0);
	return nonblocking(fh, &a, request, "MPI_File_iwrite_all");
}
MPII_ALIAS(MPI_File_iwrite_all)

int PMPI_File_read_all_begin(MPI_File fh, void *buf, int count, MPI_Datatype datatype)
{
	ACCESS(AT_INDIVIDUAL, 1, 0, 0);
	return split_begin(fh, &a, "MPI_File_read_all_begin");
}
MPII_ALIAS(MPI_File_read_all_begin)

int PMPI_File_read_all_end(MPI_File fh, void *buf, MPI_Status *status)
{
	(void)buf;
	return split_end(fh, status, "MPI_File_read_all_end");
}
MPII_ALIAS(MPI_File_read_all_end)

int PMPI_File_write_all_begin(MPI_File fh, const void *buf, int count, MPI_Datatype datatype)
{
	ACCESS(AT_INDIVIDUAL, 1, 1, 0);
	return split_begin(fh, &a, "MPI_File_write_all_begin");
}
MPII_ALIAS(MPI_File_write_all_begin)

int PMPI_File_write_all_end(MPI_File fh, const void *buf, MPI_Status *status)
{
	(void)buf;
	return split_end(fh, status, "MPI_File_write_all_end");
}
MPII_ALIAS(MPI_File_write_all_end)

/* ---- Shared file pointer ---- */

int PMPI_File_read_shared(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			  MPI_Status *status)
{
	ACCESS(AT_SHARED, 0, 0, 0);
	return blocking(fh, &a, status, "MPI_File_read_shared");
}
MPII_ALIAS(MPI_File_read_shared)

int PMPI_File_write_shared(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			   MPI_Status *status)
{
	ACCESS(AT_SHARED, 0, 1, 0);
	return blocking(fh, &a, status, "MPI_File_write_shared");
}
MPII_ALIAS(MPI_File_write_shared)

int PMPI_File_iread_shared(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			   MPI_Request *request)
{
	ACCESS(AT_SHARED, 0, 0, 0);
	return nonblocking(fh, &a, request, "MPI_File_iread_shared");
}
MPII_ALIAS(MPI_File_iread_shared)

int PMPI_File_iwrite_shared(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			    MPI_Request *request)
{
	ACCESS(AT_SHARED, 0, 1, 0);
	return nonblocking(fh, &a, request, "MPI_File_iwrite_shared");
}
MPII_ALIAS(MPI_File_iwrite_shared)

int PMPI_File_read_ordered(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			   MPI_Status *status)
{
	ACCESS(AT_ORDERED, 1, 0, 0);
	return blocking(fh, &a, status, "MPI_File_read_ordered");
}
MPII_ALIAS(MPI_File_read_ordered)

int PMPI_File_write_ordered(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			    MPI_Status *status)
{
	ACCESS(AT_ORDERED, 1, 1, 0);
	return blocking(fh, &a, status, "MPI_File_write_ordered");
}
MPII_ALIAS(MPI_File_write_ordered)

int PMPI_File_read_ordered_begin(MPI_File fh, void *buf, int count, MPI_Datatype datatype)
{
	ACCESS(AT_ORDERED, 1, 0, 0);
	return split_begin(fh, &a, "MPI_File_read_ordered_begin");
}
MPII_ALIAS(MPI_File_read_ordered_begin)

int PMPI_File_read_ordered_end(MPI_File fh, void *buf, MPI_Status *status)
{
	(void)buf;
	return split_end(fh, status, "MPI_File_read_ordered_end");
}
MPII_ALIAS(MPI_File_read_ordered_end)

int PMPI_File_write_ordered_begin(MPI_File fh, const void *buf, int count, MPI_Datatype datatype)
{
	ACCESS(AT_ORDERED, 1, 1, 0);
	return split_begin(fh, &a, "MPI_File_write_ordered_begin");
}
MPII_ALIAS(MPI_File_write_ordered_begin)

int PMPI_File_write_ordered_end(MPI_File fh, const void *buf, MPI_Status *status)
{
	(void)buf;
	return split_end(fh, status, "MPI_File_write_ordered_end");
}
MPII_ALIAS(MPI_File_write_ordered_end)
