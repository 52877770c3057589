/* SPDX-License-Identifier: MIT */
/* env.c: time, names, versions, addresses and memory (MPI-3.1 chapter 8, less init/abort). */
#include <stdio.h>
#include <stdlib.h>
#include "mpii_impl.h"
#include "tk.h"

double PMPI_Wtime(void)
{
	/* One timebase for the whole job (tk_time_ns), hence MPI_WTIME_IS_GLOBAL = 1. */
	return (double)tk_time_ns() * 1e-9;
}
MPII_ALIAS(MPI_Wtime)

double PMPI_Wtick(void)
{
	return 1e-9;
}
MPII_ALIAS(MPI_Wtick)

int PMPI_Get_processor_name(char *name, int *resultlen)
{
	MPII_ENTER("MPI_Get_processor_name");
	if (!name || !resultlen)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Get_processor_name");
	*resultlen = snprintf(name, MPI_MAX_PROCESSOR_NAME, "tessera-core%u", (unsigned)tk_core());
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Get_processor_name)

int PMPI_Get_version(int *version, int *subversion)
{
	if (!version || !subversion)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Get_version");
	*version = MPI_VERSION;
	*subversion = MPI_SUBVERSION;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Get_version)

int PMPI_Get_library_version(char *version, int *resultlen)
{
	static const char v[] = "tessera MPI shim 0.1 (MPI 3.1, over mpb-channels)";

	if (!version || !resultlen)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Get_library_version");
	mpii_strlcpy(version, v, MPI_MAX_LIBRARY_VERSION_STRING);
	*resultlen = (int)strlen(version);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Get_library_version)

int PMPI_Get_address(const void *location, MPI_Aint *address)
{
	if (!address)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Get_address");
	*address = (MPI_Aint)(uintptr_t)location;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Get_address)

int PMPI_Address(void *location, MPI_Aint *address)
{
	return PMPI_Get_address(location, address);
}
MPII_ALIAS(MPI_Address)

MPI_Aint PMPI_Aint_add(MPI_Aint base, MPI_Aint disp)
{
	return (MPI_Aint)((uintptr_t)base + (uintptr_t)disp);
}
MPII_ALIAS(MPI_Aint_add)

MPI_Aint PMPI_Aint_diff(MPI_Aint addr1, MPI_Aint addr2)
{
	return (MPI_Aint)((uintptr_t)addr1 - (uintptr_t)addr2);
}
MPII_ALIAS(MPI_Aint_diff)

int PMPI_Alloc_mem(MPI_Aint size, MPI_Info info, void *baseptr)
{
	static const char fname[] = "MPI_Alloc_mem";
	uintptr_t a;
	void *p;

	MPII_ENTER(fname);
	if (size < 0 || !baseptr)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if (info != MPI_INFO_NULL && !mpii_handle_get(MPII_K_INFO, info))
		return mpii_raise(NULL, MPI_ERR_INFO, fname);
	/* memory for one-sided communication: in shared DRAM when it fits, so that windows
	 * made over it are reached by the origins themselves (docs/rma.md) */
	if (!mpii_shm_alloc_spare((size_t)size, &a))
		p = (void *)a;
	else
		p = mpii_malloc((size_t)size);
	if (!p)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	memcpy(baseptr, &p, sizeof(p));
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Alloc_mem)

int PMPI_Free_mem(void *base)
{
	MPII_ENTER("MPI_Free_mem");
	if (base && mpii_shm_contains(base, 1))
		mpii_shm_free((uintptr_t)base);
	else
		free(base);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Free_mem)

int PMPI_Pcontrol(const int level, ...)
{
	(void)level;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Pcontrol)

void *mpii_malloc(size_t n)
{
	return malloc(n ? n : 1);
}

char *mpii_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

void mpii_strlcpy(char *dst, const char *src, size_t n)
{
	size_t l = strlen(src);

	if (l >= n)
		l = n - 1;
	memcpy(dst, src, l);
	dst[l] = 0;
}
