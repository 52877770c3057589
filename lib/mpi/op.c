/* SPDX-License-Identifier: MIT */
/* op.c: reduction operation objects, applying them to typed buffers, MPI_Op_* calls. */
#include <stdlib.h>
#include "mpii_impl.h"

static struct mpii_op builtin[MPII_NUM_OPS + 1];

void mpii_op_init_builtin(void)
{
	int i;

	for (i = 1; i <= MPII_NUM_OPS; i++) {
		builtin[i].handle = MPII_H(MPII_K_OP, i);
		builtin[i].refs = 1;
		builtin[i].builtin = i;
		builtin[i].commute = 1;
		mpii_handle_fix(builtin[i].handle, &builtin[i]);
	}
}

struct mpii_op *mpii_op_ref(struct mpii_op *o)
{
	o->refs++;
	return o;
}

void mpii_op_unref(struct mpii_op *o)
{
	if (o && !o->builtin && --o->refs == 0) {
		mpii_handle_free(o->handle);
		free(o);
	}
}

int mpii_op_check(const struct mpii_op *o, const struct mpii_dtype *t)
{
	if (!o->builtin)
		return MPI_SUCCESS;
	if (!t->elem)
		return MPI_ERR_OP;
	return mpii_op_kernel(o->builtin, t->elem, NULL, NULL, 0);
}

int mpii_op_check_reduce(const struct mpii_op *o, const struct mpii_dtype *t)
{
	/* MPI_REPLACE and MPI_NO_OP exist for accumulates only (MPI-3.1 11.3.4) */
	if (o->handle == MPI_REPLACE || o->handle == MPI_NO_OP)
		return MPI_ERR_OP;
	return mpii_op_check(o, t);
}

void mpii_op_apply(const struct mpii_op *o, const void *in, void *inout, MPI_Count count,
		   const struct mpii_dtype *t)
{
	MPI_Aint ext = mpii_extent(t);
	MPI_Count e, j;
	int i;

	if (count <= 0)
		return;
	if (!o->builtin) {
		int n = (int)count;
		MPI_Datatype h = t->handle;

		o->fn((void *)in, inout, &n, &h);
		return;
	}
	if (t->contig && t->nseg == 1) {
		const struct mpii_seg *s = &t->seg[0];

		mpii_op_kernel(o->builtin, s->basic, (const char *)in + s->disp,
			       (char *)inout + s->disp, count * s->blen);
		return;
	}
	for (e = 0; e < count; e++)
		for (i = 0; i < t->nseg; i++) {
			const struct mpii_seg *s = &t->seg[i];

			for (j = 0; j < s->cnt; j++) {
				MPI_Aint off = e * ext + s->disp + j * s->stride;

				mpii_op_kernel(o->builtin, s->basic, (const char *)in + off,
					       (char *)inout + off, s->blen);
			}
		}
}

int PMPI_Op_create(MPI_User_function *user_fn, int commute, MPI_Op *op)
{
	static const char fname[] = "MPI_Op_create";
	struct mpii_op *o;

	MPII_ENTER(fname);
	if (!user_fn || !op)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	o = calloc(1, sizeof(*o));
	if (!o)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	o->refs = 1;
	o->commute = commute != 0;
	o->fn = user_fn;
	o->handle = mpii_handle_new(MPII_K_OP, o);
	if (!o->handle) {
		free(o);
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	}
	*op = o->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Op_create)

int PMPI_Op_free(MPI_Op *op)
{
	static const char fname[] = "MPI_Op_free";
	struct mpii_op *o;

	MPII_ENTER(fname);
	if (!op)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	o = mpii_handle_get(MPII_K_OP, *op);
	if (!o || o->builtin)
		return mpii_raise(NULL, MPI_ERR_OP, fname);
	mpii_op_unref(o);
	*op = MPI_OP_NULL;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Op_free)

int PMPI_Op_commutative(MPI_Op op, int *commute)
{
	struct mpii_op *o;

	MPII_ENTER("MPI_Op_commutative");
	o = mpii_handle_get(MPII_K_OP, op);
	if (!o)
		return mpii_raise(NULL, MPI_ERR_OP, "MPI_Op_commutative");
	if (!commute)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Op_commutative");
	*commute = o->commute;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Op_commutative)

int PMPI_Reduce_local(const void *inbuf, void *inoutbuf, int count, MPI_Datatype datatype,
		      MPI_Op op)
{
	static const char fname[] = "MPI_Reduce_local";
	struct mpii_dtype *t;
	struct mpii_op *o;

	MPII_ENTER(fname);
	if (count < 0)
		return mpii_raise(NULL, MPI_ERR_COUNT, fname);
	if (mpii_dtype_check(datatype, &t))
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	o = mpii_handle_get(MPII_K_OP, op);
	if (!o)
		return mpii_raise(NULL, MPI_ERR_OP, fname);
	if (mpii_op_check_reduce(o, t))
		return mpii_raise(NULL, MPI_ERR_OP, fname);
	if (inbuf == MPI_IN_PLACE || inoutbuf == MPI_IN_PLACE ||
	    mpii_check_buf(inbuf, count, t) || mpii_check_buf(inoutbuf, count, t))
		return mpii_raise(NULL, MPI_ERR_BUFFER, fname);
	mpii_op_apply(o, inbuf, inoutbuf, count, t);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Reduce_local)
