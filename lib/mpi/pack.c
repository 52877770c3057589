/* SPDX-License-Identifier: MIT */
/*
 * pack.c: moving data between typed buffers and packed byte streams (the wire format of
 * messages is the packed form: the typemap's bytes in order, no header), and MPI_Pack,
 * MPI_Unpack, MPI_Pack_size.
 */
#include <limits.h>
#include <stdlib.h>
#include "mpii_impl.h"

void mpii_copy_mover(char *typed, char *stream, MPI_Count n, int pack)
{
	if (n <= 0)
		return;
	if (pack)
		memcpy(stream, typed, (size_t)n);
	else
		memcpy(typed, stream, (size_t)n);
}

MPI_Count mpii_walk(char *typed, MPI_Count count, const struct mpii_dtype *t, char *stream,
		    MPI_Count max, int pack, mpii_mover *mv)
{
	MPI_Aint ext = mpii_extent(t);
	MPI_Count done = 0, e, j, k, n;
	int i;

	if (t->contig) {	/* one run: a single move */
		n = count * t->size < max ? count * t->size : max;
		mv(typed + t->lb, stream, n, pack);
		return n > 0 ? n : 0;
	}

	for (e = 0; e < count && done < max; e++) {
		char *base = typed + e * ext;

		for (i = 0; i < t->nseg; i++) {
			const struct mpii_seg *s = &t->seg[i];
			const struct mpii_basic *b = &mpii_basics[s->basic];

			for (j = 0; j < s->cnt; j++) {
				char *p = base + s->disp + j * s->stride;

				if (b->size == b->extent) {
					n = s->blen * b->size;
					if (n > max - done)
						n = max - done;
					mv(p, stream + done, n, pack);
					done += n;
				} else {
					int isz = b->size - b->vsize;

					for (k = 0; k < s->blen && done < max; k++) {
						char *q = p + k * b->extent;

						n = b->vsize < max - done ? b->vsize : max - done;
						mv(q, stream + done, n, pack);
						done += n;
						n = isz < max - done ? isz : max - done;
						mv(q + b->ioff, stream + done, n, pack);
						done += n;
					}
				}
				if (done >= max)
					return done;
			}
		}
	}
	return done;
}

MPI_Count mpii_pack(const void *inbuf, MPI_Count count, const struct mpii_dtype *t, void *out,
		    MPI_Count max)
{
	if (t->contig) {
		MPI_Count n = count * t->size;

		if (n > max)
			n = max;
		if (n > 0)
			memcpy(out, (const char *)inbuf + t->lb, (size_t)n);
		return n > 0 ? n : 0;
	}
	return mpii_walk((char *)inbuf, count, t, out, max, 1, mpii_copy_mover);
}

MPI_Count mpii_copy(const void *src, MPI_Count scount, const struct mpii_dtype *st, void *dst,
		    MPI_Count dcount, const struct mpii_dtype *dt)
{
	MPI_Count n = scount * st->size, m = dcount * dt->size;
	void *tmp;

	if (m < n)
		n = m;
	if (n <= 0)
		return 0;
	if (st->contig)
		return mpii_unpack((const char *)src + st->lb, n, dst, dcount, dt);
	if (dt->contig)
		return mpii_pack(src, scount, st, (char *)dst + dt->lb, n);
	tmp = malloc((size_t)n);
	if (!tmp)
		return -1;
	mpii_pack(src, scount, st, tmp, n);
	n = mpii_unpack(tmp, n, dst, dcount, dt);
	free(tmp);
	return n;
}

MPI_Count mpii_dtype_elements(const struct mpii_dtype *t, MPI_Count bytes)
{
	MPI_Count whole, rem, n, j, k;
	int i;

	if (t->size == 0)
		return 0;
	whole = bytes / t->size;
	rem = bytes % t->size;
	n = whole * t->nbasic;
	for (i = 0; i < t->nseg && rem > 0; i++) {
		const struct mpii_seg *s = &t->seg[i];
		const struct mpii_basic *b = &mpii_basics[s->basic];

		for (j = 0; j < s->cnt && rem > 0; j++) {
			for (k = 0; k < s->blen && rem > 0; k++) {
				if (b->pair) {
					if (rem < b->vsize)
						return -1;
					rem -= b->vsize;
					n++;
					if (rem == 0)
						break;
					if (rem < b->size - b->vsize)
						return -1;
					rem -= b->size - b->vsize;
					n++;
				} else {
					if (rem < b->size)
						return -1;
					rem -= b->size;
					n++;
				}
			}
		}
	}
	return n;
}

/* The checks the packing calls share; 0 or the class, *c set when comm is valid. */
static int check(MPI_Comm comm, int count, MPI_Datatype datatype, struct mpii_comm **c,
		 struct mpii_dtype **t)
{
	if (!(*c = mpii_comm_get(comm)))
		return MPI_ERR_COMM;
	if (count < 0)
		return MPI_ERR_COUNT;
	return mpii_dtype_check(datatype, t) ? MPI_ERR_TYPE : MPI_SUCCESS;
}

/*
 * MPI_Pack (pack) and MPI_Unpack, mirror images: count elements of datatype at typed go to
 * (or come from) the packed buffer of size bytes, at *position, which moves past them.
 */
static int pack_call(int pack, void *typed, int count, MPI_Datatype datatype, void *packed,
		     int size, int *position, MPI_Comm comm, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *t;
	MPI_Count n;
	int rc;

	MPII_ENTER(fname);
	if ((rc = check(comm, count, datatype, &c, &t)))
		return mpii_raise(c, rc, fname);
	if (!position || *position < 0 || size < 0 || (!packed && size > 0))
		return mpii_raise(c, MPI_ERR_ARG, fname);
	n = (MPI_Count)count * t->size;
	if (*position + n > size)
		return mpii_raise(c, MPI_ERR_TRUNCATE, fname);
	packed = (char *)packed + *position;
	*position += (int)(pack ? mpii_pack(typed, count, t, packed, n) :
				  mpii_unpack(packed, n, typed, count, t));
	return MPI_SUCCESS;
}

int PMPI_Pack(const void *inbuf, int incount, MPI_Datatype datatype, void *outbuf, int outsize,
	      int *position, MPI_Comm comm)
{
	return pack_call(1, (void *)inbuf, incount, datatype, outbuf, outsize, position, comm,
			 "MPI_Pack");
}
MPII_ALIAS(MPI_Pack)

int PMPI_Unpack(const void *inbuf, int insize, int *position, void *outbuf, int outcount,
		MPI_Datatype datatype, MPI_Comm comm)
{
	return pack_call(0, outbuf, outcount, datatype, (void *)inbuf, insize, position, comm,
			 "MPI_Unpack");
}
MPII_ALIAS(MPI_Unpack)

int PMPI_Pack_size(int incount, MPI_Datatype datatype, MPI_Comm comm, int *size)
{
	static const char fname[] = "MPI_Pack_size";
	struct mpii_comm *c;
	struct mpii_dtype *t;
	MPI_Count n;
	int rc;

	MPII_ENTER(fname);
	if ((rc = check(comm, incount, datatype, &c, &t)))
		return mpii_raise(c, rc, fname);
	if (!size)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	n = (MPI_Count)incount * t->size;
	if (n > INT_MAX)
		return mpii_raise(c, MPI_ERR_SIZE, fname);
	*size = (int)n;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Pack_size)
