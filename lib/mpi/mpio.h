/* SPDX-License-Identifier: MIT */
/*
 * mpio.h: the MPI-IO part of the MPI-3.1 C interface (chapter 13), included by mpi.h where
 * its MPI-IO section is; programs written for ROMIO may include it themselves. The ROMIO
 * names MPIO_Request, MPIO_Wait and MPIO_Test are the MPI ones. docs/mpi-io.md says how
 * files reach the host.
 */
#ifndef TESSERA_MPIO_H
#define TESSERA_MPIO_H

#include "mpi.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MPIO_Request MPI_Request
#define MPIO_REQUEST_NULL MPI_REQUEST_NULL
#define MPIO_Wait MPI_Wait
#define MPIO_Test MPI_Test
#define MPIO_USES_MPI_REQUEST 1

#define MPIO_FN(ret, name, params) ret MPI_##name params; ret P##MPI_##name params;

MPIO_FN(int, File_open, (MPI_Comm comm, const char *filename, int amode, MPI_Info info,
			 MPI_File *fh))
MPIO_FN(int, File_close, (MPI_File *fh))
MPIO_FN(int, File_delete, (const char *filename, MPI_Info info))
MPIO_FN(int, File_set_size, (MPI_File fh, MPI_Offset size))
MPIO_FN(int, File_preallocate, (MPI_File fh, MPI_Offset size))
MPIO_FN(int, File_get_size, (MPI_File fh, MPI_Offset *size))
MPIO_FN(int, File_get_group, (MPI_File fh, MPI_Group *group))
MPIO_FN(int, File_get_amode, (MPI_File fh, int *amode))
MPIO_FN(int, File_set_info, (MPI_File fh, MPI_Info info))
MPIO_FN(int, File_get_info, (MPI_File fh, MPI_Info *info_used))
MPIO_FN(int, File_set_view, (MPI_File fh, MPI_Offset disp, MPI_Datatype etype,
			     MPI_Datatype filetype, const char *datarep, MPI_Info info))
MPIO_FN(int, File_get_view, (MPI_File fh, MPI_Offset *disp, MPI_Datatype *etype,
			     MPI_Datatype *filetype, char *datarep))
MPIO_FN(int, File_read_at, (MPI_File fh, MPI_Offset offset, void *buf, int count,
			    MPI_Datatype datatype, MPI_Status *status))
MPIO_FN(int, File_read_at_all, (MPI_File fh, MPI_Offset offset, void *buf, int count,
				MPI_Datatype datatype, MPI_Status *status))
MPIO_FN(int, File_write_at, (MPI_File fh, MPI_Offset offset, const void *buf, int count,
			     MPI_Datatype datatype, MPI_Status *status))
MPIO_FN(int, File_write_at_all, (MPI_File fh, MPI_Offset offset, const void *buf, int count,
				 MPI_Datatype datatype, MPI_Status *status))
MPIO_FN(int, File_iread_at, (MPI_File fh, MPI_Offset offset, void *buf, int count,
			     MPI_Datatype datatype, MPI_Request *request))
MPIO_FN(int, File_iwrite_at, (MPI_File fh, MPI_Offset offset, const void *buf, int count,
			      MPI_Datatype datatype, MPI_Request *request))
MPIO_FN(int, File_iread_at_all, (MPI_File fh, MPI_Offset offset, void *buf, int count,
				 MPI_Datatype datatype, MPI_Request *request))
MPIO_FN(int, File_iwrite_at_all, (MPI_File fh, MPI_Offset offset, const void *buf, int count,
				  MPI_Datatype datatype, MPI_Request *request))
MPIO_FN(int, File_read, (MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			 MPI_Status *status))
MPIO_FN(int, File_read_all, (MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			     MPI_Status *status))
MPIO_FN(int, File_write, (MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			  MPI_Status *status))
MPIO_FN(int, File_write_all, (MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			      MPI_Status *status))
MPIO_FN(int, File_iread, (MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			  MPI_Request *request))
MPIO_FN(int, File_iwrite, (MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			   MPI_Request *request))
MPIO_FN(int, File_iread_all, (MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			      MPI_Request *request))
MPIO_FN(int, File_iwrite_all, (MPI_File fh, const void *buf, int count,
			       MPI_Datatype datatype, MPI_Request *request))
MPIO_FN(int, File_seek, (MPI_File fh, MPI_Offset offset, int whence))
MPIO_FN(int, File_get_position, (MPI_File fh, MPI_Offset *offset))
MPIO_FN(int, File_get_byte_offset, (MPI_File fh, MPI_Offset offset, MPI_Offset *disp))
MPIO_FN(int, File_read_shared, (MPI_File fh, void *buf, int count, MPI_Datatype datatype,
				MPI_Status *status))
MPIO_FN(int, File_write_shared, (MPI_File fh, const void *buf, int count,
				 MPI_Datatype datatype, MPI_Status *status))
MPIO_FN(int, File_iread_shared, (MPI_File fh, void *buf, int count, MPI_Datatype datatype,
				 MPI_Request *request))
MPIO_FN(int, File_iwrite_shared, (MPI_File fh, const void *buf, int count,
				  MPI_Datatype datatype, MPI_Request *request))
MPIO_FN(int, File_read_ordered, (MPI_File fh, void *buf, int count, MPI_Datatype datatype,
				 MPI_Status *status))
MPIO_FN(int, File_write_ordered, (MPI_File fh, const void *buf, int count,
				  MPI_Datatype datatype, MPI_Status *status))
MPIO_FN(int, File_seek_shared, (MPI_File fh, MPI_Offset offset, int whence))
MPIO_FN(int, File_get_position_shared, (MPI_File fh, MPI_Offset *offset))
MPIO_FN(int, File_read_at_all_begin, (MPI_File fh, MPI_Offset offset, void *buf, int count,
				      MPI_Datatype datatype))
MPIO_FN(int, File_read_at_all_end, (MPI_File fh, void *buf, MPI_Status *status))
MPIO_FN(int, File_write_at_all_begin, (MPI_File fh, MPI_Offset offset, const void *buf,
				       int count, MPI_Datatype datatype))
MPIO_FN(int, File_write_at_all_end, (MPI_File fh, const void *buf, MPI_Status *status))
MPIO_FN(int, File_read_all_begin, (MPI_File fh, void *buf, int count, MPI_Datatype datatype))
MPIO_FN(int, File_read_all_end, (MPI_File fh, void *buf, MPI_Status *status))
MPIO_FN(int, File_write_all_begin, (MPI_File fh, const void *buf, int count,
				    MPI_Datatype datatype))
MPIO_FN(int, File_write_all_end, (MPI_File fh, const void *buf, MPI_Status *status))
MPIO_FN(int, File_read_ordered_begin, (MPI_File fh, void *buf, int count,
				       MPI_Datatype datatype))
MPIO_FN(int, File_read_ordered_end, (MPI_File fh, void *buf, MPI_Status *status))
MPIO_FN(int, File_write_ordered_begin, (MPI_File fh, const void *buf, int count,
					MPI_Datatype datatype))
MPIO_FN(int, File_write_ordered_end, (MPI_File fh, const void *buf, MPI_Status *status))
MPIO_FN(int, File_get_type_extent, (MPI_File fh, MPI_Datatype datatype, MPI_Aint *extent))
MPIO_FN(int, File_set_atomicity, (MPI_File fh, int flag))
MPIO_FN(int, File_get_atomicity, (MPI_File fh, int *flag))
MPIO_FN(int, File_sync, (MPI_File fh))
MPIO_FN(int, File_create_errhandler, (MPI_File_errhandler_function *file_errhandler_fn,
				      MPI_Errhandler *errhandler))
MPIO_FN(int, File_set_errhandler, (MPI_File file, MPI_Errhandler errhandler))
MPIO_FN(int, File_get_errhandler, (MPI_File file, MPI_Errhandler *errhandler))
MPIO_FN(int, File_call_errhandler, (MPI_File fh, int errorcode))
MPIO_FN(int, Register_datarep, (const char *datarep,
				MPI_Datarep_conversion_function *read_conversion_fn,
				MPI_Datarep_conversion_function *write_conversion_fn,
				MPI_Datarep_extent_function *dtype_file_extent_fn,
				void *extra_state))

#undef MPIO_FN

#ifdef __cplusplus
}
#endif

#endif
