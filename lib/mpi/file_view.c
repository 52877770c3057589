/* SPDX-License-Identifier: MIT */
/*
 * file_view.c: file views (MPI_File_set_view, get_view, get_type_extent, get_byte_offset)
 * and the file pointers (seek, get_position, and their _shared forms): the mapping between
 * a rank's data stream and file offsets that every access uses. Not the accesses themselves.
 *
 * A view is disp, then instances of the filetype one extent apart; the filetype is kept as
 * its runs (contiguous byte ranges, in typemap order, which MPI requires nondecreasing), so
 * data byte p is in instance p / ftsize, at run i where cum[i] <= p % ftsize < cum[i + 1].
 */
#include <stdlib.h>
#include "mpii_file.h"

/* A filetype laid out in one piece: the whole stream is one run. */
static int dense(const struct mpii_file *f)
{
	return f->nruns == 1 && f->runs[0].off == 0 && f->runs[0].len == f->ftext;
}

/* Appends run (off, len) to the list, merged with the last if adjacent; -1 if it goes back. */
static int add_run(struct mpii_file_run **runs, int *n, int *cap, int64_t off, int64_t len)
{
	struct mpii_file_run *last = *n ? &(*runs)[*n - 1] : NULL;

	if (len <= 0)
		return 0;
	if (off < 0 || (last && off < last->off + last->len))
		return -1;
	if (last && off == last->off + last->len) {
		last->len += len;
		return 0;
	}
	if (*n == *cap) {
		int c = *cap ? 2 * *cap : 16;
		struct mpii_file_run *p = realloc(*runs, (size_t)c * sizeof(*p));

		if (!p)
			return -2;
		*runs = p;
		*cap = c;
	}
	(*runs)[(*n)++] = (struct mpii_file_run){ off, len };
	return 0;
}

/* The runs of one element of t, in typemap order; 0, MPI_ERR_TYPE or MPI_ERR_NO_MEM. */
static int flatten(const struct mpii_dtype *t, struct mpii_file_run **out, int *nout)
{
	struct mpii_file_run *runs = NULL;
	int n = 0, cap = 0, rc = 0;

	for (int i = 0; !rc && i < t->nseg; i++) {
		const struct mpii_seg *s = &t->seg[i];
		const struct mpii_basic *b = &mpii_basics[s->basic];

		for (MPI_Count j = 0; !rc && j < s->cnt; j++) {
			int64_t at = s->disp + j * s->stride;

			if (b->size == b->extent) {
				rc = add_run(&runs, &n, &cap, at, s->blen * b->size);
				continue;
			}
			/* pair types: the value, then the int at its offset */
			for (MPI_Count k = 0; !rc && k < s->blen; k++) {
				rc = add_run(&runs, &n, &cap, at + k * b->extent, b->vsize);
				if (!rc)
					rc = add_run(&runs, &n, &cap, at + k * b->extent + b->ioff,
						     b->size - b->vsize);
			}
		}
	}
	if (rc) {
		free(runs);
		return rc == -2 ? MPI_ERR_NO_MEM : MPI_ERR_TYPE;
	}
	*out = runs;
	*nout = n;
	return MPI_SUCCESS;
}

/* External32 here keeps the native layout: every basic type of the view must have the same
 * size in both (MPI_LONG, long double, wchar_t and bool do not). */
static int ext32_layout_ok(const struct mpii_dtype *t)
{
	for (int i = 0; i < t->nseg; i++)
		if (mpii_basics[t->seg[i].basic].ext32 != mpii_basics[t->seg[i].basic].size)
			return 0;
	return 1;
}

int mpii_view_set(struct mpii_file *f, int64_t disp, struct mpii_dtype *et,
		  struct mpii_dtype *ft, int rep)
{
	struct mpii_file_run *runs;
	int64_t *cum;
	int n, rc;

	if (et->size <= 0 || ft->size <= 0 || ft->size % et->size || mpii_extent(ft) <= 0)
		return MPI_ERR_TYPE;
	if (rep == MPII_REP_EXTERNAL32 && (!ext32_layout_ok(et) || !ext32_layout_ok(ft)))
		return MPI_ERR_UNSUPPORTED_DATAREP;
	rc = flatten(ft, &runs, &n);
	if (rc)
		return rc;
	cum = malloc(((size_t)n + 1) * sizeof(*cum));
	if (!cum) {
		free(runs);
		return MPI_ERR_NO_MEM;
	}
	cum[0] = 0;
	for (int i = 0; i < n; i++)
		cum[i + 1] = cum[i] + runs[i].len;
	free(f->runs);
	free(f->cum);
	mpii_dtype_unref(f->etype);
	mpii_dtype_unref(f->ftype);
	f->runs = runs;
	f->cum = cum;
	f->nruns = n;
	f->disp = disp;
	f->etype = mpii_dtype_ref(et);
	f->ftype = mpii_dtype_ref(ft);
	f->datarep = rep;
	f->esize = et->size;
	f->ftsize = ft->size;
	f->ftext = mpii_extent(ft);
	f->fp = 0;
	return MPI_SUCCESS;
}

/* The run holding data byte r of an instance (0 <= r < ftsize). */
static int run_of(const struct mpii_file *f, int64_t r)
{
	int lo = 0, hi = f->nruns - 1;

	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;

		if (f->cum[mid] <= r)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

int64_t mpii_view_off(const struct mpii_file *f, int64_t pos)
{
	int64_t k = pos / f->ftsize, r = pos % f->ftsize;
	int i;

	if (dense(f))
		return f->disp + pos;
	i = run_of(f, r);
	return f->disp + k * f->ftext + f->runs[i].off + (r - f->cum[i]);
}

int64_t mpii_view_pos(const struct mpii_file *f, int64_t off)
{
	int64_t rel = off - f->disp, k, r, pos;
	int lo = 0, hi = f->nruns - 1;

	if (rel <= 0)
		return 0;
	if (dense(f))
		return rel;
	k = rel / f->ftext;
	r = rel % f->ftext;
	pos = k * f->ftsize;
	/* the last run that starts before r */
	if (f->runs[0].off >= r)
		return pos;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;

		if (f->runs[mid].off < r)
			lo = mid;
		else
			hi = mid - 1;
	}
	return pos + f->cum[lo] + (r - f->runs[lo].off < f->runs[lo].len ? r - f->runs[lo].off :
				    f->runs[lo].len);
}

void mpii_view_iter(struct mpii_view_iter *it, const struct mpii_file *f, int64_t pos, int64_t n)
{
	int64_t r = pos % f->ftsize;

	it->f = f;
	it->left = n;
	it->k = pos / f->ftsize;
	it->run = dense(f) ? 0 : run_of(f, r);
	it->in = dense(f) ? 0 : r - f->cum[it->run];
	if (dense(f))
		it->k = pos;	/* dense: k is the data byte itself */
}

/* The next run-sized piece, unmerged. */
static void step(struct mpii_view_iter *it, int64_t *off, int64_t *len)
{
	const struct mpii_file *f = it->f;
	const struct mpii_file_run *run = &f->runs[it->run];

	*off = f->disp + it->k * f->ftext + run->off + it->in;
	*len = run->len - it->in < it->left ? run->len - it->in : it->left;
	it->left -= *len;
	it->in += *len;
	if (it->in == run->len) {
		it->in = 0;
		if (++it->run == f->nruns) {
			it->run = 0;
			it->k++;
		}
	}
}

int mpii_view_next(struct mpii_view_iter *it, int64_t *off, int64_t *len)
{
	int64_t o, l;

	if (it->left <= 0)
		return 0;
	if (dense(it->f)) {
		*off = it->f->disp + it->k;
		*len = it->left;
		it->k += it->left;
		it->left = 0;
		return 1;
	}
	step(it, off, len);
	/* merge what follows while it is adjacent in the file */
	while (it->left > 0) {
		const struct mpii_file *f = it->f;

		o = f->disp + it->k * f->ftext + f->runs[it->run].off + it->in;
		if (o != *off + *len)
			break;
		step(it, &o, &l);
		*len += l;
	}
	return 1;
}

/* ---- MPI calls ---- */

static int datarep_of(const char *name)
{
	if (!name)
		return 0;
	if (!strcmp(name, "native") || !strcmp(name, "internal"))
		return MPII_REP_NATIVE;
	if (!strcmp(name, "external32"))
		return MPII_REP_EXTERNAL32;
	return 0;
}

int PMPI_File_set_view(MPI_File fh, MPI_Offset disp, MPI_Datatype etype, MPI_Datatype filetype,
		       const char *datarep, MPI_Info info)
{
	static const char fname[] = "MPI_File_set_view";
	struct mpii_dtype *et, *ft;
	struct mpii_file *f;
	int rc, rep;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (mpii_dtype_check(etype, &et) || mpii_dtype_check(filetype, &ft))
		return mpii_raise_file(f, MPI_ERR_TYPE, fname);
	if (!(rep = datarep_of(datarep)))
		return mpii_raise_file(f, MPI_ERR_UNSUPPORTED_DATAREP, fname);
	if (info != MPI_INFO_NULL && !mpii_handle_get(MPII_K_INFO, info))
		return mpii_raise_file(f, MPI_ERR_INFO, fname);
	if (disp == MPI_DISPLACEMENT_CURRENT) {
		/* only in sequential mode: where the shared pointer is now */
		if (!(f->amode & MPI_MODE_SEQUENTIAL))
			return mpii_raise_file(f, MPI_ERR_ARG, fname);
		disp = mpii_view_off(f, mpii_file_sfp_add(f, 0) * f->esize);
	} else if (disp < 0) {
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	}
	rc = mpii_view_set(f, disp, et, ft, rep);
	/* collective: everyone's view is in place, and the shared pointer at 0, after it */
	if (!rc && f->comm->rank == 0)
		mpii_file_sfp_set(f, 0);
	if (!rc)
		rc = mpii_barrier(f->comm);
	return rc ? mpii_raise_file(f, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_set_view)

/* A handle for the user to t: the same for a predefined type, else a new duplicate. */
static int type_out(struct mpii_dtype *t, MPI_Datatype *out)
{
	struct mpii_dtype *d;
	int rc;

	if (t->predefined) {
		*out = t->handle;
		return MPI_SUCCESS;
	}
	d = mpii_dtype_clone(t);
	if (!d)
		return MPI_ERR_NO_MEM;
	d->committed = 1;
	rc = mpii_dtype_set_contents(d, MPI_COMBINER_DUP, 0, NULL, 0, NULL, 1, &t);
	if (rc) {
		mpii_dtype_unref(d);
		return rc;
	}
	return mpii_dtype_publish(d, out);
}

int PMPI_File_get_view(MPI_File fh, MPI_Offset *disp, MPI_Datatype *etype, MPI_Datatype *filetype,
		       char *datarep)
{
	static const char fname[] = "MPI_File_get_view";
	struct mpii_file *f;
	int rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!disp || !etype || !filetype || !datarep)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	*disp = f->disp;
	rc = type_out(f->etype, etype);
	if (!rc)
		rc = type_out(f->ftype, filetype);
	if (rc)
		return mpii_raise_file(f, rc, fname);
	strcpy(datarep, f->datarep == MPII_REP_EXTERNAL32 ? "external32" : "native");
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_get_view)

int PMPI_File_get_type_extent(MPI_File fh, MPI_Datatype datatype, MPI_Aint *extent)
{
	static const char fname[] = "MPI_File_get_type_extent";
	struct mpii_file *f;
	struct mpii_dtype *t;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!(t = mpii_dtype_get(datatype)))
		return mpii_raise_file(f, MPI_ERR_TYPE, fname);
	if (!extent)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	*extent = mpii_extent(t);
	/* external32: a predefined type takes its size there; the others keep their layout */
	if (f->datarep == MPII_REP_EXTERNAL32 && t->predefined && t->elem)
		*extent = mpii_basics[t->elem].ext32 ? mpii_basics[t->elem].ext32 : *extent;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_get_type_extent)

int PMPI_File_get_byte_offset(MPI_File fh, MPI_Offset offset, MPI_Offset *disp)
{
	static const char fname[] = "MPI_File_get_byte_offset";
	struct mpii_file *f;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (offset < 0 || !disp)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	*disp = mpii_view_off(f, offset * f->esize);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_get_byte_offset)

/* Where a seek lands, in etypes: 0 or MPI_ERR_ARG. */
static int seek_to(struct mpii_file *f, int64_t cur, MPI_Offset offset, int whence, int64_t *out)
{
	int64_t size, end;

	switch (whence) {
	case MPI_SEEK_SET:
		*out = offset;
		break;
	case MPI_SEEK_CUR:
		*out = cur + offset;
		break;
	case MPI_SEEK_END:
		size = mpii_file_size(f);
		if (size < 0)
			return (int)-size;
		/* the etypes of the view that lie (even partly) before the end of the file */
		end = mpii_view_pos(f, size);
		*out = (end + f->esize - 1) / f->esize + offset;
		break;
	default:
		return MPI_ERR_ARG;
	}
	return *out < 0 ? MPI_ERR_ARG : MPI_SUCCESS;
}

int PMPI_File_seek(MPI_File fh, MPI_Offset offset, int whence)
{
	static const char fname[] = "MPI_File_seek";
	struct mpii_file *f;
	int64_t to;
	int rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	rc = seek_to(f, f->fp, offset, whence, &to);
	if (rc)
		return mpii_raise_file(f, rc, fname);
	f->fp = to;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_seek)

/* Where a pointer (individual or shared) is, in etypes. */
static int position(MPI_File fh, MPI_Offset *offset, int shared, const char *fname)
{
	struct mpii_file *f;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!offset)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	*offset = shared ? mpii_file_sfp_add(f, 0) : f->fp;
	return MPI_SUCCESS;
}

int PMPI_File_get_position(MPI_File fh, MPI_Offset *offset)
{
	return position(fh, offset, 0, "MPI_File_get_position");
}
MPII_ALIAS(MPI_File_get_position)

int PMPI_File_seek_shared(MPI_File fh, MPI_Offset offset, int whence)
{
	static const char fname[] = "MPI_File_seek_shared";
	struct mpii_file *f;
	int64_t to = 0;
	int rc = MPI_SUCCESS;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	/* collective: rank 0 moves the pointer, everyone learns the outcome */
	if (f->comm->rank == 0) {
		rc = seek_to(f, mpii_file_sfp_add(f, 0), offset, whence, &to);
		if (!rc)
			mpii_file_sfp_set(f, to);
	}
	if (mpii_bcast_raw(f->comm, &rc, sizeof(rc), 0))
		rc = MPI_ERR_OTHER;
	return rc ? mpii_raise_file(f, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_seek_shared)

int PMPI_File_get_position_shared(MPI_File fh, MPI_Offset *offset)
{
	return position(fh, offset, 1, "MPI_File_get_position_shared");
}
MPII_ALIAS(MPI_File_get_position_shared)
