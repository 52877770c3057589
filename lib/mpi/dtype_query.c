/* SPDX-License-Identifier: MIT */
/*
 * dtype_query.c: committing, freeing and asking about datatypes: sizes, extents, envelope
 * and contents, names, and the size-matching calls.
 */
#include <limits.h>
#include <stdlib.h>
#include "mpii_impl.h"

static int get(MPI_Datatype h, struct mpii_dtype **t, const char *fname)
{
	*t = mpii_dtype_get(h);
	return *t ? MPI_SUCCESS : mpii_raise(NULL, MPI_ERR_TYPE, fname);
}

int PMPI_Type_commit(MPI_Datatype *datatype)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_commit");
	if (!datatype)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_commit");
	if ((rc = get(*datatype, &t, "MPI_Type_commit")))
		return rc;
	t->committed = 1;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_commit)

int PMPI_Type_free(MPI_Datatype *datatype)
{
	static const char fname[] = "MPI_Type_free";
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER(fname);
	if (!datatype)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if ((rc = get(*datatype, &t, fname)))
		return rc;
	if (t->predefined)
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	rc = mpii_attr_delete_all(MPII_AK_TYPE, t->handle, &t->attrs);
	if (rc)
		return mpii_raise(NULL, rc, fname);
	/* Pending operations and types built on it keep the object until they end. */
	t->user_freed = 1;
	mpii_dtype_unref(t);
	*datatype = MPI_DATATYPE_NULL;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_free)

int PMPI_Type_size(MPI_Datatype datatype, int *size)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_size");
	if ((rc = get(datatype, &t, "MPI_Type_size")))
		return rc;
	if (!size)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_size");
	*size = t->size > INT_MAX ? MPI_UNDEFINED : (int)t->size;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_size)

int PMPI_Type_size_x(MPI_Datatype datatype, MPI_Count *size)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_size_x");
	if ((rc = get(datatype, &t, "MPI_Type_size_x")))
		return rc;
	if (!size)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_size_x");
	*size = t->size;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_size_x)

int PMPI_Type_get_extent(MPI_Datatype datatype, MPI_Aint *lb, MPI_Aint *extent)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_get_extent");
	if ((rc = get(datatype, &t, "MPI_Type_get_extent")))
		return rc;
	if (!lb || !extent)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_get_extent");
	*lb = t->lb;
	*extent = t->ub - t->lb;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_get_extent)

int PMPI_Type_get_extent_x(MPI_Datatype datatype, MPI_Count *lb, MPI_Count *extent)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_get_extent_x");
	if ((rc = get(datatype, &t, "MPI_Type_get_extent_x")))
		return rc;
	if (!lb || !extent)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_get_extent_x");
	*lb = t->lb;
	*extent = t->ub - t->lb;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_get_extent_x)

int PMPI_Type_get_true_extent(MPI_Datatype datatype, MPI_Aint *true_lb, MPI_Aint *true_extent)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_get_true_extent");
	if ((rc = get(datatype, &t, "MPI_Type_get_true_extent")))
		return rc;
	if (!true_lb || !true_extent)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_get_true_extent");
	*true_lb = t->true_lb;
	*true_extent = t->true_ub - t->true_lb;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_get_true_extent)

int PMPI_Type_get_true_extent_x(MPI_Datatype datatype, MPI_Count *true_lb,
				MPI_Count *true_extent)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_get_true_extent_x");
	if ((rc = get(datatype, &t, "MPI_Type_get_true_extent_x")))
		return rc;
	if (!true_lb || !true_extent)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_get_true_extent_x");
	*true_lb = t->true_lb;
	*true_extent = t->true_ub - t->true_lb;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_get_true_extent_x)

int PMPI_Type_extent(MPI_Datatype datatype, MPI_Aint *extent)
{
	MPI_Aint lb;

	return PMPI_Type_get_extent(datatype, &lb, extent);
}
MPII_ALIAS(MPI_Type_extent)

int PMPI_Type_lb(MPI_Datatype datatype, MPI_Aint *displacement)
{
	MPI_Aint ext;

	return PMPI_Type_get_extent(datatype, displacement, &ext);
}
MPII_ALIAS(MPI_Type_lb)

int PMPI_Type_ub(MPI_Datatype datatype, MPI_Aint *displacement)
{
	MPI_Aint lb = 0, ext = 0;
	int rc = PMPI_Type_get_extent(datatype, &lb, &ext);

	if (!rc && displacement)
		*displacement = lb + ext;
	return rc;
}
MPII_ALIAS(MPI_Type_ub)

int PMPI_Type_get_envelope(MPI_Datatype datatype, int *num_integers, int *num_addresses,
			   int *num_datatypes, int *combiner)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_get_envelope");
	if ((rc = get(datatype, &t, "MPI_Type_get_envelope")))
		return rc;
	if (!num_integers || !num_addresses || !num_datatypes || !combiner)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_get_envelope");
	*num_integers = t->ni;
	*num_addresses = t->na;
	*num_datatypes = t->nd;
	*combiner = t->combiner;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_get_envelope)

int PMPI_Type_get_contents(MPI_Datatype datatype, int max_integers, int max_addresses,
			   int max_datatypes, int array_of_integers[],
			   MPI_Aint array_of_addresses[], MPI_Datatype array_of_datatypes[])
{
	static const char fname[] = "MPI_Type_get_contents";
	struct mpii_dtype *t;
	int rc, i;

	MPII_ENTER(fname);
	if ((rc = get(datatype, &t, fname)))
		return rc;
	if (t->combiner == MPI_COMBINER_NAMED)
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	if (max_integers < t->ni || max_addresses < t->na || max_datatypes < t->nd ||
	    (t->ni && !array_of_integers) || (t->na && !array_of_addresses) ||
	    (t->nd && !array_of_datatypes))
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if (t->ni)
		memcpy(array_of_integers, t->ints, (size_t)t->ni * sizeof(int));
	if (t->na)
		memcpy(array_of_addresses, t->aints, (size_t)t->na * sizeof(MPI_Aint));
	for (i = 0; i < t->nd; i++) {
		struct mpii_dtype *c = t->types[i];

		if (c->predefined) {
			array_of_datatypes[i] = c->handle;
			continue;
		}
		/* A derived type comes back as a new object the caller frees (MPI-3.1 4.1.13). */
		{
			struct mpii_dtype *d = mpii_dtype_clone(c);

			if (!d || mpii_dtype_set_contents(d, c->combiner, c->ni, c->ints, c->na,
							  c->aints, c->nd, c->types) ||
			    mpii_dtype_publish(d, &array_of_datatypes[i]))
				return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
			d->committed = c->committed;
		}
	}
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_get_contents)

int PMPI_Type_get_name(MPI_Datatype datatype, char *type_name, int *resultlen)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_get_name");
	if ((rc = get(datatype, &t, "MPI_Type_get_name")))
		return rc;
	if (!type_name || !resultlen)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_get_name");
	mpii_strlcpy(type_name, t->name, MPI_MAX_OBJECT_NAME);
	*resultlen = (int)strlen(type_name);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_get_name)

int PMPI_Type_set_name(MPI_Datatype datatype, const char *type_name)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_set_name");
	if ((rc = get(datatype, &t, "MPI_Type_set_name")))
		return rc;
	if (!type_name)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_set_name");
	mpii_strlcpy(t->name, type_name, MPI_MAX_OBJECT_NAME);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_set_name)

int PMPI_Type_match_size(int typeclass, int size, MPI_Datatype *datatype)
{
	static const MPI_Datatype ints[] = { MPI_SIGNED_CHAR, MPI_SHORT, MPI_INT, MPI_LONG,
					     MPI_LONG_LONG };
	static const MPI_Datatype reals[] = { MPI_FLOAT, MPI_DOUBLE, MPI_LONG_DOUBLE };
	static const MPI_Datatype cplx[] = { MPI_C_FLOAT_COMPLEX, MPI_C_DOUBLE_COMPLEX,
					     MPI_C_LONG_DOUBLE_COMPLEX };
	const MPI_Datatype *list;
	int n, i;

	MPII_ENTER("MPI_Type_match_size");
	if (!datatype)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_match_size");
	switch (typeclass) {
	case MPI_TYPECLASS_INTEGER:
		list = ints;
		n = 5;
		break;
	case MPI_TYPECLASS_REAL:
		list = reals;
		n = 3;
		break;
	case MPI_TYPECLASS_COMPLEX:
		list = cplx;
		n = 3;
		break;
	default:
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_match_size");
	}
	for (i = 0; i < n; i++)
		if (mpii_basics[MPII_HINDEX(list[i])].size == size) {
			*datatype = list[i];
			return MPI_SUCCESS;
		}
	return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_match_size");
}
MPII_ALIAS(MPI_Type_match_size)

int PMPI_Type_create_f90_integer(int r, MPI_Datatype *newtype)
{
	MPII_ENTER("MPI_Type_create_f90_integer");
	if (!newtype || r < 0 || r > 18)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_create_f90_integer");
	*newtype = r <= 2 ? MPI_INTEGER1 : r <= 4 ? MPI_INTEGER2 : r <= 9 ? MPI_INTEGER4 :
									MPI_INTEGER8;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_create_f90_integer)

int PMPI_Type_create_f90_real(int p, int r, MPI_Datatype *newtype)
{
	MPII_ENTER("MPI_Type_create_f90_real");
	if (!newtype || p > 15 || r > 307)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_create_f90_real");
	*newtype = (p <= 6 && r <= 37) ? MPI_REAL4 : MPI_REAL8;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_create_f90_real)

int PMPI_Type_create_f90_complex(int p, int r, MPI_Datatype *newtype)
{
	MPII_ENTER("MPI_Type_create_f90_complex");
	if (!newtype || p > 15 || r > 307)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_create_f90_complex");
	*newtype = (p <= 6 && r <= 37) ? MPI_COMPLEX : MPI_DOUBLE_COMPLEX;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_create_f90_complex)
