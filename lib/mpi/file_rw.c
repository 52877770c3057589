/* SPDX-License-Identifier: MIT */
/*
 * file_rw.c: the data access calls of MPI-IO: explicit offsets (_at), the individual file
 * pointer, the shared file pointer (_shared, _ordered), each blocking, collective (_all),
 * split collective (_begin/_end) and nonblocking (i...). Each says what it is and hands it to
 * one of four functions of file_access.c, which do them all.
 */
#include "mpii_file.h"

#define ACCESS(where, coll, write, off) \
	struct mpii_access a = { where, coll, write, off, (void *)buf, count, datatype }

/* ---- Explicit offsets ---- */

int PMPI_File_read_at(MPI_File fh, MPI_Offset offset, void *buf, int count,
		      MPI_Datatype datatype, MPI_Status *status)
{
	ACCESS(MPII_AT_EXPLICIT, 0, 0, offset);
	return mpii_file_blocking(fh, &a, status, "MPI_File_read_at");
}
MPII_ALIAS(MPI_File_read_at)

int PMPI_File_read_at_all(MPI_File fh, MPI_Offset offset, void *buf, int count,
			  MPI_Datatype datatype, MPI_Status *status)
{
	ACCESS(MPII_AT_EXPLICIT, 1, 0, offset);
	return mpii_file_blocking(fh, &a, status, "MPI_File_read_at_all");
}
MPII_ALIAS(MPI_File_read_at_all)

int PMPI_File_write_at(MPI_File fh, MPI_Offset offset, const void *buf, int count,
		       MPI_Datatype datatype, MPI_Status *status)
{
	ACCESS(MPII_AT_EXPLICIT, 0, 1, offset);
	return mpii_file_blocking(fh, &a, status, "MPI_File_write_at");
}
MPII_ALIAS(MPI_File_write_at)

int PMPI_File_write_at_all(MPI_File fh, MPI_Offset offset, const void *buf, int count,
			   MPI_Datatype datatype, MPI_Status *status)
{
	ACCESS(MPII_AT_EXPLICIT, 1, 1, offset);
	return mpii_file_blocking(fh, &a, status, "MPI_File_write_at_all");
}
MPII_ALIAS(MPI_File_write_at_all)

int PMPI_File_iread_at(MPI_File fh, MPI_Offset offset, void *buf, int count,
		       MPI_Datatype datatype, MPI_Request *request)
{
	ACCESS(MPII_AT_EXPLICIT, 0, 0, offset);
	return mpii_file_nonblocking(fh, &a, request, "MPI_File_iread_at");
}
MPII_ALIAS(MPI_File_iread_at)

int PMPI_File_iwrite_at(MPI_File fh, MPI_Offset offset, const void *buf, int count,
			MPI_Datatype datatype, MPI_Request *request)
{
	ACCESS(MPII_AT_EXPLICIT, 0, 1, offset);
	return mpii_file_nonblocking(fh, &a, request, "MPI_File_iwrite_at");
}
MPII_ALIAS(MPI_File_iwrite_at)

int PMPI_File_iread_at_all(MPI_File fh, MPI_Offset offset, void *buf, int count,
			   MPI_Datatype datatype, MPI_Request *request)
{
	ACCESS(MPII_AT_EXPLICIT, 1, 0, offset);
	return mpii_file_nonblocking(fh, &a, request, "MPI_File_iread_at_all");
}
MPII_ALIAS(MPI_File_iread_at_all)

int PMPI_File_iwrite_at_all(MPI_File fh, MPI_Offset offset, const void *buf, int count,
			    MPI_Datatype datatype, MPI_Request *request)
{
	ACCESS(MPII_AT_EXPLICIT, 1, 1, offset);
	return mpii_file_nonblocking(fh, &a, request, "MPI_File_iwrite_at_all");
}
MPII_ALIAS(MPI_File_iwrite_at_all)

int PMPI_File_read_at_all_begin(MPI_File fh, MPI_Offset offset, void *buf, int count,
				MPI_Datatype datatype)
{
	ACCESS(MPII_AT_EXPLICIT, 1, 0, offset);
	return mpii_file_split_begin(fh, &a, "MPI_File_read_at_all_begin");
}
MPII_ALIAS(MPI_File_read_at_all_begin)

int PMPI_File_read_at_all_end(MPI_File fh, void *buf, MPI_Status *status)
{
	(void)buf;
	return mpii_file_split_end(fh, status, "MPI_File_read_at_all_end");
}
MPII_ALIAS(MPI_File_read_at_all_end)

int PMPI_File_write_at_all_begin(MPI_File fh, MPI_Offset offset, const void *buf, int count,
				 MPI_Datatype datatype)
{
	ACCESS(MPII_AT_EXPLICIT, 1, 1, offset);
	return mpii_file_split_begin(fh, &a, "MPI_File_write_at_all_begin");
}
MPII_ALIAS(MPI_File_write_at_all_begin)

int PMPI_File_write_at_all_end(MPI_File fh, const void *buf, MPI_Status *status)
{
	(void)buf;
	return mpii_file_split_end(fh, status, "MPI_File_write_at_all_end");
}
MPII_ALIAS(MPI_File_write_at_all_end)

/* ---- Individual file pointer ---- */

int PMPI_File_read(MPI_File fh, void *buf, int count, MPI_Datatype datatype, MPI_Status *status)
{
	ACCESS(MPII_AT_INDIVIDUAL, 0, 0, 0);
	return mpii_file_blocking(fh, &a, status, "MPI_File_read");
}
MPII_ALIAS(MPI_File_read)

int PMPI_File_read_all(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
		       MPI_Status *status)
{
	ACCESS(MPII_AT_INDIVIDUAL, 1, 0, 0);
	return mpii_file_blocking(fh, &a, status, "MPI_File_read_all");
}
MPII_ALIAS(MPI_File_read_all)

int PMPI_File_write(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
		    MPI_Status *status)
{
	ACCESS(MPII_AT_INDIVIDUAL, 0, 1, 0);
	return mpii_file_blocking(fh, &a, status, "MPI_File_write");
}
MPII_ALIAS(MPI_File_write)

int PMPI_File_write_all(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			MPI_Status *status)
{
	ACCESS(MPII_AT_INDIVIDUAL, 1, 1, 0);
	return mpii_file_blocking(fh, &a, status, "MPI_File_write_all");
}
MPII_ALIAS(MPI_File_write_all)

int PMPI_File_iread(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
		    MPI_Request *request)
{
	ACCESS(MPII_AT_INDIVIDUAL, 0, 0, 0);
	return mpii_file_nonblocking(fh, &a, request, "MPI_File_iread");
}
MPII_ALIAS(MPI_File_iread)

int PMPI_File_iwrite(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
		     MPI_Request *request)
{
	ACCESS(MPII_AT_INDIVIDUAL, 0, 1, 0);
	return mpii_file_nonblocking(fh, &a, request, "MPI_File_iwrite");
}
MPII_ALIAS(MPI_File_iwrite)

int PMPI_File_iread_all(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			MPI_Request *request)
{
	ACCESS(MPII_AT_INDIVIDUAL, 1, 0, 0);
	return mpii_file_nonblocking(fh, &a, request, "MPI_File_iread_all");
}
MPII_ALIAS(MPI_File_iread_all)

int PMPI_File_iwrite_all(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			 MPI_Request *request)
{
	ACCESS(MPII_AT_INDIVIDUAL, 1, 1, 0);
	return mpii_file_nonblocking(fh, &a, request, "MPI_File_iwrite_all");
}
MPII_ALIAS(MPI_File_iwrite_all)

int PMPI_File_read_all_begin(MPI_File fh, void *buf, int count, MPI_Datatype datatype)
{
	ACCESS(MPII_AT_INDIVIDUAL, 1, 0, 0);
	return mpii_file_split_begin(fh, &a, "MPI_File_read_all_begin");
}
MPII_ALIAS(MPI_File_read_all_begin)

int PMPI_File_read_all_end(MPI_File fh, void *buf, MPI_Status *status)
{
	(void)buf;
	return mpii_file_split_end(fh, status, "MPI_File_read_all_end");
}
MPII_ALIAS(MPI_File_read_all_end)

int PMPI_File_write_all_begin(MPI_File fh, const void *buf, int count, MPI_Datatype datatype)
{
	ACCESS(MPII_AT_INDIVIDUAL, 1, 1, 0);
	return mpii_file_split_begin(fh, &a, "MPI_File_write_all_begin");
}
MPII_ALIAS(MPI_File_write_all_begin)

int PMPI_File_write_all_end(MPI_File fh, const void *buf, MPI_Status *status)
{
	(void)buf;
	return mpii_file_split_end(fh, status, "MPI_File_write_all_end");
}
MPII_ALIAS(MPI_File_write_all_end)

/* ---- Shared file pointer ---- */

int PMPI_File_read_shared(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			  MPI_Status *status)
{
	ACCESS(MPII_AT_SHARED, 0, 0, 0);
	return mpii_file_blocking(fh, &a, status, "MPI_File_read_shared");
}
MPII_ALIAS(MPI_File_read_shared)

int PMPI_File_write_shared(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			   MPI_Status *status)
{
	ACCESS(MPII_AT_SHARED, 0, 1, 0);
	return mpii_file_blocking(fh, &a, status, "MPI_File_write_shared");
}
MPII_ALIAS(MPI_File_write_shared)

int PMPI_File_iread_shared(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			   MPI_Request *request)
{
	ACCESS(MPII_AT_SHARED, 0, 0, 0);
	return mpii_file_nonblocking(fh, &a, request, "MPI_File_iread_shared");
}
MPII_ALIAS(MPI_File_iread_shared)

int PMPI_File_iwrite_shared(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			    MPI_Request *request)
{
	ACCESS(MPII_AT_SHARED, 0, 1, 0);
	return mpii_file_nonblocking(fh, &a, request, "MPI_File_iwrite_shared");
}
MPII_ALIAS(MPI_File_iwrite_shared)

int PMPI_File_read_ordered(MPI_File fh, void *buf, int count, MPI_Datatype datatype,
			   MPI_Status *status)
{
	ACCESS(MPII_AT_ORDERED, 1, 0, 0);
	return mpii_file_blocking(fh, &a, status, "MPI_File_read_ordered");
}
MPII_ALIAS(MPI_File_read_ordered)

int PMPI_File_write_ordered(MPI_File fh, const void *buf, int count, MPI_Datatype datatype,
			    MPI_Status *status)
{
	ACCESS(MPII_AT_ORDERED, 1, 1, 0);
	return mpii_file_blocking(fh, &a, status, "MPI_File_write_ordered");
}
MPII_ALIAS(MPI_File_write_ordered)

int PMPI_File_read_ordered_begin(MPI_File fh, void *buf, int count, MPI_Datatype datatype)
{
	ACCESS(MPII_AT_ORDERED, 1, 0, 0);
	return mpii_file_split_begin(fh, &a, "MPI_File_read_ordered_begin");
}
MPII_ALIAS(MPI_File_read_ordered_begin)

int PMPI_File_read_ordered_end(MPI_File fh, void *buf, MPI_Status *status)
{
	(void)buf;
	return mpii_file_split_end(fh, status, "MPI_File_read_ordered_end");
}
MPII_ALIAS(MPI_File_read_ordered_end)

int PMPI_File_write_ordered_begin(MPI_File fh, const void *buf, int count, MPI_Datatype datatype)
{
	ACCESS(MPII_AT_ORDERED, 1, 1, 0);
	return mpii_file_split_begin(fh, &a, "MPI_File_write_ordered_begin");
}
MPII_ALIAS(MPI_File_write_ordered_begin)

int PMPI_File_write_ordered_end(MPI_File fh, const void *buf, MPI_Status *status)
{
	(void)buf;
	return mpii_file_split_end(fh, status, "MPI_File_write_ordered_end");
}
MPII_ALIAS(MPI_File_write_ordered_end)
