/* SPDX-License-Identifier: MIT */
/* errhandler.c: error handler objects and the MPI_Comm_*errhandler calls. */
#include <stdlib.h>
#include "mpii_impl.h"

static struct mpii_errh errh_fatal = { MPI_ERRORS_ARE_FATAL, 1, 0, NULL };
static struct mpii_errh errh_return = { MPI_ERRORS_RETURN, 1, 0, NULL };

void mpii_errh_init(void)
{
	mpii_handle_fix(MPI_ERRORS_ARE_FATAL, &errh_fatal);
	mpii_handle_fix(MPI_ERRORS_RETURN, &errh_return);
}

struct mpii_errh *mpii_errh_ref(struct mpii_errh *e)
{
	e->refs++;
	return e;
}

void mpii_errh_unref(struct mpii_errh *e)
{
	if (e && --e->refs == 0 && e->kind) {
		mpii_handle_free(e->handle);
		free(e);
	}
}

int mpii_errh_create(int kind, MPI_Comm_errhandler_function *fn, MPI_Errhandler *errhandler,
		     const char *fname)
{
	struct mpii_errh *e;

	MPII_ENTER(fname);
	if (!fn || !errhandler)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	e = calloc(1, sizeof(*e));
	if (!e)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	e->refs = 1;
	e->kind = kind;
	e->fn = fn;
	e->handle = mpii_handle_new(MPII_K_ERRH, e);
	if (!e->handle) {
		free(e);
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	}
	*errhandler = e->handle;
	return MPI_SUCCESS;
}

int PMPI_Comm_create_errhandler(MPI_Comm_errhandler_function *fn, MPI_Errhandler *errhandler)
{
	return mpii_errh_create(MPII_AK_COMM, fn, errhandler, "MPI_Comm_create_errhandler");
}
MPII_ALIAS(MPI_Comm_create_errhandler)

int PMPI_Errhandler_create(MPI_Handler_function *fn, MPI_Errhandler *errhandler)
{
	return PMPI_Comm_create_errhandler(fn, errhandler);
}
MPII_ALIAS(MPI_Errhandler_create)

int PMPI_Comm_set_errhandler(MPI_Comm comm, MPI_Errhandler errhandler)
{
	static const char fname[] = "MPI_Comm_set_errhandler";
	struct mpii_comm *c;
	struct mpii_errh *e;

	MPII_ENTER(fname);
	c = mpii_comm_get(comm);
	if (!c)
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	e = mpii_handle_get(MPII_K_ERRH, errhandler);
	if (!e || (e->kind && e->kind != MPII_AK_COMM))
		return mpii_raise(c, MPI_ERR_ARG, fname);
	mpii_errh_ref(e);
	mpii_errh_unref(c->errh);
	c->errh = e;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_set_errhandler)

int PMPI_Errhandler_set(MPI_Comm comm, MPI_Errhandler errhandler)
{
	return PMPI_Comm_set_errhandler(comm, errhandler);
}
MPII_ALIAS(MPI_Errhandler_set)

int PMPI_Comm_get_errhandler(MPI_Comm comm, MPI_Errhandler *errhandler)
{
	static const char fname[] = "MPI_Comm_get_errhandler";
	struct mpii_comm *c;

	MPII_ENTER(fname);
	c = mpii_comm_get(comm);
	if (!c)
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (!errhandler)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	/* The caller receives a new reference, released by MPI_Errhandler_free. */
	*errhandler = mpii_errh_ref(c->errh)->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_get_errhandler)

int PMPI_Errhandler_get(MPI_Comm comm, MPI_Errhandler *errhandler)
{
	return PMPI_Comm_get_errhandler(comm, errhandler);
}
MPII_ALIAS(MPI_Errhandler_get)

int PMPI_Comm_call_errhandler(MPI_Comm comm, int errorcode)
{
	static const char fname[] = "MPI_Comm_call_errhandler";
	struct mpii_comm *c;

	MPII_ENTER(fname);
	c = mpii_comm_get(comm);
	if (!c)
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (mpii_err_class(errorcode) < 0)
		return mpii_raise(c, MPI_ERR_ARG, fname);
	mpii_raise(c, errorcode, fname);
	/* MPI-3.1 8.3.4: returns MPI_SUCCESS when the handler returns. */
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_call_errhandler)

int PMPI_Errhandler_free(MPI_Errhandler *errhandler)
{
	static const char fname[] = "MPI_Errhandler_free";
	struct mpii_errh *e;

	MPII_ENTER(fname);
	if (!errhandler)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	e = mpii_handle_get(MPII_K_ERRH, *errhandler);
	if (!e)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	mpii_errh_unref(e);
	*errhandler = MPI_ERRHANDLER_NULL;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Errhandler_free)
