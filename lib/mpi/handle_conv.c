/* SPDX-License-Identifier: MIT */
/* handle_conv.c: MPI_*_c2f and MPI_*_f2c (handles are ints: the identity), status too. */
#include "mpii_impl.h"

#define CONV(Name, T) \
	MPI_Fint PMPI_##Name##_c2f(T h) \
	{ \
		return (MPI_Fint)h; \
	} \
	MPII_ALIAS(MPI_##Name##_c2f) \
	T PMPI_##Name##_f2c(MPI_Fint h) \
	{ \
		return (T)h; \
	} \
	MPII_ALIAS(MPI_##Name##_f2c)

CONV(Comm, MPI_Comm)
CONV(Type, MPI_Datatype)
CONV(Group, MPI_Group)
CONV(Request, MPI_Request)
CONV(Op, MPI_Op)
CONV(Info, MPI_Info)
CONV(Errhandler, MPI_Errhandler)
CONV(Message, MPI_Message)
CONV(Win, MPI_Win)
CONV(File, MPI_File)

/* A Fortran status is MPI_SOURCE, MPI_TAG, MPI_ERROR, cancelled, count (low, high). */
int PMPI_Status_c2f(const MPI_Status *c, MPI_Fint *f)
{
	if (!c || !f)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Status_c2f");
	f[0] = c->MPI_SOURCE;
	f[1] = c->MPI_TAG;
	f[2] = c->MPI_ERROR;
	f[3] = c->mpii_cancelled;
	f[4] = (MPI_Fint)(c->mpii_count & 0xffffffff);
	f[5] = (MPI_Fint)(c->mpii_count >> 32);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Status_c2f)

int PMPI_Status_f2c(const MPI_Fint *f, MPI_Status *c)
{
	if (!c || !f)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Status_f2c");
	c->MPI_SOURCE = f[0];
	c->MPI_TAG = f[1];
	c->MPI_ERROR = f[2];
	c->mpii_cancelled = f[3];
	c->mpii_count = (MPI_Count)(uint32_t)f[4] | (MPI_Count)f[5] << 32;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Status_f2c)
