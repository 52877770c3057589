/* SPDX-License-Identifier: MIT */
/*
 * unsupported.c: the MPI-3.1 C calls tessera does not provide (dynamic process
 * management). Each links, says so on stderr and raises
 * MPI_ERR_UNSUPPORTED_OPERATION on MPI_COMM_WORLD (fatal unless MPI_ERRORS_RETURN is set).
 */
#include <stdio.h>
#include "mpii_impl.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

static int unsupported(const char *fn, const char *area)
{
	fprintf(stderr, "tessera MPI: %s is not supported (%s)\n", fn, area);
	return mpii_raise(NULL, MPI_ERR_UNSUPPORTED_OPERATION, fn);
}

int PMPI_Comm_spawn(const char *command, char *argv[], int maxprocs, MPI_Info info, int root,
		    MPI_Comm comm, MPI_Comm *intercomm, int array_of_errcodes[])
{
	return unsupported("MPI_Comm_spawn", "dynamic process management");
}
MPII_ALIAS(MPI_Comm_spawn)

int PMPI_Comm_spawn_multiple(int count, char *array_of_commands[], char **array_of_argv[],
			     const int array_of_maxprocs[], const MPI_Info array_of_info[],
			     int root, MPI_Comm comm, MPI_Comm *intercomm, int array_of_errcodes[])
{
	return unsupported("MPI_Comm_spawn_multiple", "dynamic process management");
}
MPII_ALIAS(MPI_Comm_spawn_multiple)

int PMPI_Open_port(MPI_Info info, char *port_name)
{
	return unsupported("MPI_Open_port", "dynamic process management");
}
MPII_ALIAS(MPI_Open_port)

int PMPI_Close_port(const char *port_name)
{
	return unsupported("MPI_Close_port", "dynamic process management");
}
MPII_ALIAS(MPI_Close_port)

int PMPI_Comm_accept(const char *port_name, MPI_Info info, int root, MPI_Comm comm,
		     MPI_Comm *newcomm)
{
	return unsupported("MPI_Comm_accept", "dynamic process management");
}
MPII_ALIAS(MPI_Comm_accept)

int PMPI_Comm_connect(const char *port_name, MPI_Info info, int root, MPI_Comm comm,
		      MPI_Comm *newcomm)
{
	return unsupported("MPI_Comm_connect", "dynamic process management");
}
MPII_ALIAS(MPI_Comm_connect)

int PMPI_Publish_name(const char *service_name, MPI_Info info, const char *port_name)
{
	return unsupported("MPI_Publish_name", "dynamic process management");
}
MPII_ALIAS(MPI_Publish_name)

int PMPI_Unpublish_name(const char *service_name, MPI_Info info, const char *port_name)
{
	return unsupported("MPI_Unpublish_name", "dynamic process management");
}
MPII_ALIAS(MPI_Unpublish_name)

int PMPI_Lookup_name(const char *service_name, MPI_Info info, char *port_name)
{
	return unsupported("MPI_Lookup_name", "dynamic process management");
}
MPII_ALIAS(MPI_Lookup_name)

int PMPI_Comm_join(int fd, MPI_Comm *intercomm)
{
	return unsupported("MPI_Comm_join", "dynamic process management");
}
MPII_ALIAS(MPI_Comm_join)

