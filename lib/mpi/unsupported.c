/* SPDX-License-Identifier: MIT */
/*
 * unsupported.c: the MPI-3.1 C calls tessera does not provide (MPI-IO, dynamic process
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

int PMPI_File_open(MPI_Comm comm, const char *filename, int amode, MPI_Info info, MPI_File *fh)
{
	return unsupported("MPI_File_open", "MPI-IO");
}
MPII_ALIAS(MPI_File_open)

int PMPI_File_close(MPI_File *fh)
{
	return unsupported("MPI_File_close", "MPI-IO");
}
MPII_ALIAS(MPI_File_close)

int PMPI_File_delete(const char *filename, MPI_Info info)
{
	return unsupported("MPI_File_delete", "MPI-IO");
}
MPII_ALIAS(MPI_File_delete)

int PMPI_File_set_size(MPI_File fh, MPI_Offset size)
{
	return unsupported("MPI_File_set_size", "MPI-IO");
}
MPII_ALIAS(MPI_File_set_size)

int PMPI_File_preallocate(MPI_File fh, MPI_Offset size)
{
	return unsupported("MPI_File_preallocate", "MPI-IO");
}
MPII_ALIAS(MPI_File_preallocate)

int PMPI_File_get_size(MPI_File fh, MPI_Offset *size)
{
	return unsupported("MPI_File_get_size", "MPI-IO");
}
MPII_ALIAS(MPI_File_get_size)

int PMPI_File_get_group(MPI_File fh, MPI_Group *group)
{
	return unsupported("MPI_File_get_group", "MPI-IO");
}
MPII_ALIAS(MPI_File_get_group)

int PMPI_File_get_amode(MPI_File fh, int *amode)
{
	return unsupported("MPI_File_get_amode", "MPI-IO");
}
MPII_ALIAS(MPI_File_get_amode)

int PMPI_File_set_info(MPI_File fh, MPI_Info info)
{
	return unsupported("MPI_File_set_info", "MPI-IO");
}
MPII_ALIAS(MPI_File_set_info)

int PMPI_File_get_info(MPI_File fh, MPI_Info *info_used)
{
	return unsupported("MPI_File_get_info", "MPI-IO");
}
MPII_ALIAS(MPI_File_get_info)

int PMPI_File_set_view(MPI_File fh, MPI_Offset disp, MPI_Datatype etype, MPI_Datatype filetype,
		       const char *datarep, MPI_Info info)
{
	return unsupported("MPI_File_set_view", "MPI-IO");
}
MPII_ALIAS(MPI_File_set_view)

int PMPI_File_get_view(MPI_File fh, MPI_Offset *disp, MPI_Datatype *etype, MPI_Datatype *filetype,
		       char *datarep)
{
	return unsupported("MPI_File_get_view", "MPI-IO");
}
MPII_ALIAS(MPI_File_get_view)

int PMPI_File_read_at(MPI_File fh, MPI_Offset offset, void *buf, int count, MPI_Datatype datatype,
		      MPI_Status *status)
{
	return unsupported("MPI_File_read_at", "MPI-IO");
}
MPII_ALIAS(MPI_File_read_at)

int PMPI_File_read_at_all(MPI_File fh, MPI_Offset offset, void *buf, int count,
			  MPI_Datatype datatype, MPI_Status *status)
{
	return unsupported("MPI_File_read_at_all", "MPI-IO");
}
MPII_ALIAS(MPI_File_read_at_all)

int PMPI_File_write_at(MPI_File fh, MPI_Offset offset, const void *buf, int count,
		       MPI_Datatype datatype, MPI_Status *status)
{
	return unsupported("MPI_File_write_at", "MPI-IO");
}
MPII_ALIAS(MPI_File_write_at)

int PMPI_File_write_at_all(MPI_File fh, MPI_Offset offset, const void *buf, int count,
			   MPI_Datatype datatype, MPI_Status *status)
{
	return unsupported("MPI_File_write_at_all", "MPI-IO");
}
MPII_ALIAS(MPI_File_write_at_all)

int PMPI_File_iread_at(MPI_File fh, MPI_Offset offset, void *buf, int count, MPI_Datatype datatype,
		       MPI_Request *request)
{
	return unsupported("MPI_File_iread_at", "MPI-IO");
}
MPII_ALIAS(MPI_File_iread_at)

int PMPI_File_iwrite_at(MPI_File fh, MPI_Offset offset, const void *buf, int count,
			MPI_Datatype datatype, MPI_Request *request)
{
	return unsupported("MPI_File_iwrite_at", "MPI-IO");
}
MPII_ALIAS(MPI_File_iwrite_at)

int PMPI_File_iread_at_all(MPI_File fh, MPI_Offset offset, void *buf, int count,
			   MPI_Datatype datatype, MPI_Request *request)
{
	return unsupported("MPI_File_iread_at_all", "MPI-IO");
}
MPII_ALIAS(MPI_File_iread_at_all)

int PMPI_File_iwrite_at_all(MPI_File fh, MPI_Offset offset, const void *buf, int count,
			    MPI_Datatype datatype, MPI_Request *request)
{
	return unsupported("MPI_File_iwrite_at_all", "MPI-IO");
}
MPII_ALIAS(MPI_File_iwrite_at_all)

int PMPI_File_read(MPI_File fh, void *buf, int count, MPI_Datatype datatype, MPI_Status *status)
{
	return unsupported("MPI_File_read", "MPI-IO");
}
MPII_ALIAS(MPI_File_read)

int PMPI_File_read_all(MPI_File fh, void *buf, int count, MPI_Datatype datatype, MPI_Status *status)
{
	return unsupported("MPI_File_read_all", "MPI-IO");
}
MPII_ALIAS(MPI_File_read_all)

int PMPI_File_write(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
		    MPI_Status *status)
{
	return unsupported("MPI_File_write", "MPI-IO");
}
MPII_ALIAS(MPI_File_write)

int PMPI_File_write_all(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			MPI_Status *status)
{
	return unsupported("MPI_File_write_all", "MPI-IO");
}
MPII_ALIAS(MPI_File_write_all)

int PMPI_File_iread(MPI_File fh, void *buf, int count, MPI_Datatype datatype, MPI_Request *request)
{
	return unsupported("MPI_File_iread", "MPI-IO");
}
MPII_ALIAS(MPI_File_iread)

int PMPI_File_iwrite(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
		     MPI_Request *request)
{
	return unsupported("MPI_File_iwrite", "MPI-IO");
}
MPII_ALIAS(MPI_File_iwrite)

int PMPI_File_iread_all(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			MPI_Request *request)
{
	return unsupported("MPI_File_iread_all", "MPI-IO");
}
MPII_ALIAS(MPI_File_iread_all)

int PMPI_File_iwrite_all(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			 MPI_Request *request)
{
	return unsupported("MPI_File_iwrite_all", "MPI-IO");
}
MPII_ALIAS(MPI_File_iwrite_all)

int PMPI_File_seek(MPI_File fh, MPI_Offset offset, int whence)
{
	return unsupported("MPI_File_seek", "MPI-IO");
}
MPII_ALIAS(MPI_File_seek)

int PMPI_File_get_position(MPI_File fh, MPI_Offset *offset)
{
	return unsupported("MPI_File_get_position", "MPI-IO");
}
MPII_ALIAS(MPI_File_get_position)

int PMPI_File_get_byte_offset(MPI_File fh, MPI_Offset offset, MPI_Offset *disp)
{
	return unsupported("MPI_File_get_byte_offset", "MPI-IO");
}
MPII_ALIAS(MPI_File_get_byte_offset)

int PMPI_File_read_shared(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			  MPI_Status *status)
{
	return unsupported("MPI_File_read_shared", "MPI-IO");
}
MPII_ALIAS(MPI_File_read_shared)

int PMPI_File_write_shared(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			   MPI_Status *status)
{
	return unsupported("MPI_File_write_shared", "MPI-IO");
}
MPII_ALIAS(MPI_File_write_shared)

int PMPI_File_iread_shared(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			   MPI_Request *request)
{
	return unsupported("MPI_File_iread_shared", "MPI-IO");
}
MPII_ALIAS(MPI_File_iread_shared)

int PMPI_File_iwrite_shared(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			    MPI_Request *request)
{
	return unsupported("MPI_File_iwrite_shared", "MPI-IO");
}
MPII_ALIAS(MPI_File_iwrite_shared)

int PMPI_File_read_ordered(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			   MPI_Status *status)
{
	return unsupported("MPI_File_read_ordered", "MPI-IO");
}
MPII_ALIAS(MPI_File_read_ordered)

int PMPI_File_write_ordered(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			    MPI_Status *status)
{
	return unsupported("MPI_File_write_ordered", "MPI-IO");
}
MPII_ALIAS(MPI_File_write_ordered)

int PMPI_File_seek_shared(MPI_File fh, MPI_Offset offset, int whence)
{
	return unsupported("MPI_File_seek_shared", "MPI-IO");
}
MPII_ALIAS(MPI_File_seek_shared)

int PMPI_File_get_position_shared(MPI_File fh, MPI_Offset *offset)
{
	return unsupported("MPI_File_get_position_shared", "MPI-IO");
}
MPII_ALIAS(MPI_File_get_position_shared)

int PMPI_File_read_at_all_begin(MPI_File fh, MPI_Offset offset, void *buf, int count,
				MPI_Datatype datatype)
{
	return unsupported("MPI_File_read_at_all_begin", "MPI-IO");
}
MPII_ALIAS(MPI_File_read_at_all_begin)

int PMPI_File_read_at_all_end(MPI_File fh, void *buf, MPI_Status *status)
{
	return unsupported("MPI_File_read_at_all_end", "MPI-IO");
}
MPII_ALIAS(MPI_File_read_at_all_end)

int PMPI_File_write_at_all_begin(MPI_File fh, MPI_Offset offset, const void *buf, int count,
				 MPI_Datatype datatype)
{
	return unsupported("MPI_File_write_at_all_begin", "MPI-IO");
}
MPII_ALIAS(MPI_File_write_at_all_begin)

int PMPI_File_write_at_all_end(MPI_File fh, const void *buf, MPI_Status *status)
{
	return unsupported("MPI_File_write_at_all_end", "MPI-IO");
}
MPII_ALIAS(MPI_File_write_at_all_end)

int PMPI_File_read_all_begin(MPI_File fh, void *buf, int count, MPI_Datatype datatype)
{
	return unsupported("MPI_File_read_all_begin", "MPI-IO");
}
MPII_ALIAS(MPI_File_read_all_begin)

int PMPI_File_read_all_end(MPI_File fh, void *buf, MPI_Status *status)
{
	return unsupported("MPI_File_read_all_end", "MPI-IO");
}
MPII_ALIAS(MPI_File_read_all_end)

int PMPI_File_write_all_begin(MPI_File fh, const void *buf, int count, MPI_Datatype datatype)
{
	return unsupported("MPI_File_write_all_begin", "MPI-IO");
}
MPII_ALIAS(MPI_File_write_all_begin)

int PMPI_File_write_all_end(MPI_File fh, const void *buf, MPI_Status *status)
{
	return unsupported("MPI_File_write_all_end", "MPI-IO");
}
MPII_ALIAS(MPI_File_write_all_end)

int PMPI_File_read_ordered_begin(MPI_File fh, void *buf, int count, MPI_Datatype datatype)
{
	return unsupported("MPI_File_read_ordered_begin", "MPI-IO");
}
MPII_ALIAS(MPI_File_read_ordered_begin)

int PMPI_File_read_ordered_end(MPI_File fh, void *buf, MPI_Status *status)
{
	return unsupported("MPI_File_read_ordered_end", "MPI-IO");
}
MPII_ALIAS(MPI_File_read_ordered_end)

int PMPI_File_write_ordered_begin(MPI_File fh, const void *buf, int count, MPI_Datatype datatype)
{
	return unsupported("MPI_File_write_ordered_begin", "MPI-IO");
}
MPII_ALIAS(MPI_File_write_ordered_begin)

int PMPI_File_write_ordered_end(MPI_File fh, const void *buf, MPI_Status *status)
{
	return unsupported("MPI_File_write_ordered_end", "MPI-IO");
}
MPII_ALIAS(MPI_File_write_ordered_end)

int PMPI_File_get_type_extent(MPI_File fh, MPI_Datatype datatype, MPI_Aint *extent)
{
	return unsupported("MPI_File_get_type_extent", "MPI-IO");
}
MPII_ALIAS(MPI_File_get_type_extent)

int PMPI_File_set_atomicity(MPI_File fh, int flag)
{
	return unsupported("MPI_File_set_atomicity", "MPI-IO");
}
MPII_ALIAS(MPI_File_set_atomicity)

int PMPI_File_get_atomicity(MPI_File fh, int *flag)
{
	return unsupported("MPI_File_get_atomicity", "MPI-IO");
}
MPII_ALIAS(MPI_File_get_atomicity)

int PMPI_File_sync(MPI_File fh)
{
	return unsupported("MPI_File_sync", "MPI-IO");
}
MPII_ALIAS(MPI_File_sync)

int PMPI_File_create_errhandler(MPI_File_errhandler_function *file_errhandler_fn,
				MPI_Errhandler *errhandler)
{
	return unsupported("MPI_File_create_errhandler", "MPI-IO");
}
MPII_ALIAS(MPI_File_create_errhandler)

int PMPI_File_set_errhandler(MPI_File file, MPI_Errhandler errhandler)
{
	return unsupported("MPI_File_set_errhandler", "MPI-IO");
}
MPII_ALIAS(MPI_File_set_errhandler)

int PMPI_File_get_errhandler(MPI_File file, MPI_Errhandler *errhandler)
{
	return unsupported("MPI_File_get_errhandler", "MPI-IO");
}
MPII_ALIAS(MPI_File_get_errhandler)

int PMPI_File_call_errhandler(MPI_File fh, int errorcode)
{
	return unsupported("MPI_File_call_errhandler", "MPI-IO");
}
MPII_ALIAS(MPI_File_call_errhandler)

int PMPI_Register_datarep(const char *datarep, MPI_Datarep_conversion_function *read_conversion_fn,
			  MPI_Datarep_conversion_function *write_conversion_fn,
			  MPI_Datarep_extent_function *dtype_file_extent_fn, void *extra_state)
{
	return unsupported("MPI_Register_datarep", "MPI-IO");
}
MPII_ALIAS(MPI_Register_datarep)

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

