/* SPDX-License-Identifier: MIT */
/*
 * io.c: MPI-IO file handles and independent access: open modes and their errors, delete,
 * sizes (set_size, preallocate, get_size), amode, group, atomicity, sync; explicit offsets
 * and the individual file pointer (seek, get_position, get_byte_offset); views with derived
 * filetypes (get_view, get_type_extent); nonblocking reads and writes; the shared file
 * pointer; file error handlers (MPI_ERRORS_RETURN by default, a user's handler); and the
 * error classes both MPIs agree on. Files are made in the working directory and removed.
 */
#include "conf.h"

static int handled;
static void file_handler(MPI_File *f, int *code, ...)
{
	(void)f;
	handled = *code;
}

static void handles(void)
{
	MPI_File fh;
	MPI_Errhandler eh;
	MPI_Group g, wg;
	MPI_Offset size;
	int amode, flag, cmp;

	MPI_File_get_errhandler(MPI_FILE_NULL, &eh);
	report_ok("MPI_FILE_NULL's handler is MPI_ERRORS_RETURN", eh == MPI_ERRORS_RETURN);
	MPI_Errhandler_free(&eh);
	if (rank == 0)
		MPI_File_delete("io_a.dat", MPI_INFO_NULL);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_File_open(MPI_COMM_WORLD, "io_a.dat", MPI_MODE_CREATE | MPI_MODE_RDWR, MPI_INFO_NULL,
		      &fh);
	MPI_File_get_amode(fh, &amode);
	report_ok("amode", amode == (MPI_MODE_CREATE | MPI_MODE_RDWR));
	MPI_File_get_group(fh, &g);
	MPI_Comm_group(MPI_COMM_WORLD, &wg);
	MPI_Group_compare(g, wg, &cmp);
	report_ok("group is the communicator's", cmp == MPI_IDENT);
	MPI_Group_free(&g);
	MPI_Group_free(&wg);
	MPI_File_get_atomicity(fh, &flag);
	report_int("atomicity at open", flag);
	MPI_File_set_atomicity(fh, 1);
	MPI_File_get_atomicity(fh, &flag);
	report_int("atomicity after set", flag);
	MPI_File_set_atomicity(fh, 0);
	MPI_File_set_size(fh, 1000);
	MPI_File_get_size(fh, &size);
	report_same("size after set_size 1000", (int)size);
	MPI_File_preallocate(fh, 4000);
	MPI_File_get_size(fh, &size);
	report_same("size after preallocate 4000", (int)size);
	MPI_File_preallocate(fh, 10);
	MPI_File_get_size(fh, &size);
	report_same("preallocate never shrinks", (int)size);
	MPI_File_set_size(fh, 0);
	MPI_File_get_size(fh, &size);
	report_same("size after set_size 0", (int)size);
	MPI_File_sync(fh);
	MPI_File_close(&fh);
	report_ok("close gives MPI_FILE_NULL", fh == MPI_FILE_NULL);
	MPI_Barrier(MPI_COMM_WORLD);
	if (rank == 0)
		printf("delete: %s\n", errname(MPI_File_delete("io_a.dat", MPI_INFO_NULL)));
}

/* Independent writes at explicit offsets, then reads through the individual pointer. */
static void independent(void)
{
	enum { N = 3000 };	/* ints: more than a mailbox, less than a stage */
	int *w = malloc(N * sizeof(int)), *r = malloc(N * sizeof(int)), count, ok = 1;
	int other = (rank + 1) % size;
	MPI_File fh;
	MPI_Status st;
	MPI_Offset pos, byte;

	for (int i = 0; i < N; i++)
		w[i] = rank * 1000000 + i;
	MPI_File_open(MPI_COMM_WORLD, "io_b.dat", MPI_MODE_CREATE | MPI_MODE_RDWR |
		      MPI_MODE_DELETE_ON_CLOSE, MPI_INFO_NULL, &fh);
	MPI_File_write_at(fh, (MPI_Offset)rank * N * sizeof(int), w, N, MPI_INT, &st);
	MPI_Get_count(&st, MPI_INT, &count);
	report_int("write_at count", count);
	MPI_Barrier(MPI_COMM_WORLD);
	/* the pointer, in bytes (the default view), then in ints (a view of ints) */
	MPI_File_seek(fh, (MPI_Offset)other * N * sizeof(int), MPI_SEEK_SET);
	MPI_File_read(fh, r, 10, MPI_INT, &st);
	MPI_File_read(fh, r + 10, N - 10, MPI_INT, &st);
	for (int i = 0; i < N; i++)
		ok &= r[i] == other * 1000000 + i;
	report_ok("read through the pointer", ok);
	MPI_File_get_position(fh, &pos);
	report_ok("position after reads", pos == (MPI_Offset)(other + 1) * N * sizeof(int));
	MPI_File_set_view(fh, 0, MPI_INT, MPI_INT, "native", MPI_INFO_NULL);
	MPI_File_get_position(fh, &pos);
	report_int("set_view resets the pointer", (int)pos);
	MPI_File_seek(fh, 5, MPI_SEEK_SET);
	MPI_File_seek(fh, 3, MPI_SEEK_CUR);
	MPI_File_get_position(fh, &pos);
	MPI_File_get_byte_offset(fh, pos, &byte);
	int pb[2] = { (int)pos, (int)byte };
	report_ints("seek set 5 cur 3: position, byte", pb, 2);
	MPI_File_seek(fh, -4, MPI_SEEK_END);
	MPI_File_get_position(fh, &pos);
	report_same("seek end -4", (int)pos);
	MPI_File_read(fh, r, 4, MPI_INT, &st);
	MPI_Get_count(&st, MPI_INT, &count);
	int last[2] = { count, r[3] };
	report_ints("last 4: count, value", last, 2);
	/* past the end: fewer elements */
	MPI_File_read_at(fh, (MPI_Offset)size * N - 3, r, 10, MPI_INT, &st);
	MPI_Get_count(&st, MPI_INT, &count);
	report_int("read_at past the end: count", count);
	MPI_File_close(&fh);
	free(w);
	free(r);
}

/* A strided view of a vector filetype; get_view, extents, nonblocking calls. */
static void views(void)
{
	enum { B = 4, K = 50 };	/* blocks of B ints, K of them per rank */
	int *w = malloc(B * K * sizeof(int)), *r = malloc(B * K * sizeof(int)), ok = 1, count;
	MPI_Datatype blk, ft, et, got_ft;
	MPI_Offset disp;
	MPI_Aint ext;
	MPI_File fh;
	MPI_Status st;
	MPI_Request rq[2];
	char rep[MPI_MAX_DATAREP_STRING];

	for (int i = 0; i < B * K; i++)
		w[i] = rank * 100000 + i;
	MPI_Type_contiguous(B, MPI_INT, &blk);
	MPI_Type_create_resized(blk, 0, (MPI_Aint)B * sizeof(int) * size, &ft);
	MPI_Type_commit(&ft);
	MPI_File_open(MPI_COMM_WORLD, "io_c.dat", MPI_MODE_CREATE | MPI_MODE_RDWR |
		      MPI_MODE_DELETE_ON_CLOSE, MPI_INFO_NULL, &fh);
	MPI_File_set_view(fh, (MPI_Offset)rank * B * sizeof(int), MPI_INT, ft, "native",
			  MPI_INFO_NULL);
	MPI_File_get_view(fh, &disp, &et, &got_ft, rep);
	MPI_File_get_type_extent(fh, got_ft, &ext);
	report_ok("get_view: disp, etype, datarep", disp == (MPI_Offset)rank * B * 4 &&
		  et == MPI_INT && !strcmp(rep, "native"));
	report_same("type extent of the filetype", (int)ext);
	MPI_Type_free(&got_ft);
	/* half with a blocking write, half with a nonblocking one */
	MPI_File_write(fh, w, B * K / 2, MPI_INT, &st);
	MPI_File_iwrite(fh, w + B * K / 2, B * K / 2, MPI_INT, &rq[0]);
	MPI_Wait(&rq[0], &st);
	MPI_Get_count(&st, MPI_INT, &count);
	report_int("iwrite count", count);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_File_iread_at(fh, 0, r, B * K, MPI_INT, &rq[1]);
	MPI_Wait(&rq[1], &st);
	for (int i = 0; i < B * K; i++)
		ok &= r[i] == w[i];
	report_ok("iread_at through the view", ok);
	/* the layout, seen through bytes: rank r's block j at (j * size + r) * B ints */
	MPI_File_set_view(fh, 0, MPI_BYTE, MPI_BYTE, "native", MPI_INFO_NULL);
	int probe[3];
	for (int j = 0; j < 3; j++)
		MPI_File_read_at(fh, ((MPI_Offset)(7 * j + 1) * size + rank) * B * sizeof(int) + 4,
				 &probe[j], 1, MPI_INT, &st);
	report_ints("interleaved blocks", probe, 3);
	MPI_File_close(&fh);
	MPI_Type_free(&blk);
	MPI_Type_free(&ft);
	free(w);
	free(r);
}

/* The shared file pointer: everyone appends one record, then reads them in order. */
static void shared_pointer(void)
{
	MPI_File fh;
	MPI_Status st;
	MPI_Request rq;
	MPI_Offset pos;
	int rec[2] = { rank, rank * rank }, *all = malloc(2 * size * sizeof(int)), seen = 0;

	MPI_File_open(MPI_COMM_WORLD, "io_d.dat", MPI_MODE_CREATE | MPI_MODE_RDWR |
		      MPI_MODE_DELETE_ON_CLOSE, MPI_INFO_NULL, &fh);
	MPI_File_set_view(fh, 0, MPI_INT, MPI_INT, "native", MPI_INFO_NULL);
	MPI_File_write_shared(fh, rec, 2, MPI_INT, &st);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_File_get_position_shared(fh, &pos);
	report_same("shared pointer after one record each", (int)pos);
	MPI_File_read_at(fh, 0, all, 2 * size, MPI_INT, &st);
	for (int i = 0; i < size; i++)
		seen += all[2 * i + 1] == all[2 * i] * all[2 * i];
	report_same("whole records", seen);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_File_seek_shared(fh, 0, MPI_SEEK_SET);
	if (rank == 0)
		MPI_File_read_shared(fh, all, 2 * size, MPI_INT, &st);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_File_get_position_shared(fh, &pos);
	report_same("after one read_shared of all", (int)pos);
	MPI_File_iwrite_shared(fh, rec, 2, MPI_INT, &rq);
	MPI_Wait(&rq, MPI_STATUS_IGNORE);
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_File_get_position_shared(fh, &pos);
	report_same("after iwrite_shared", (int)pos);
	MPI_File_close(&fh);
	free(all);
}

static void errors(void)
{
	MPI_File fh, fh2;
	MPI_Errhandler eh;
	MPI_Status st;
	int buf[4] = { 0 };

	if (rank == 0)
		MPI_File_delete("io_e.dat", MPI_INFO_NULL);
	MPI_Barrier(MPI_COMM_WORLD);
	if (rank == 0) {
		printf("open missing: %s\n", errname(MPI_File_open(MPI_COMM_SELF, "io_e.dat",
					MPI_MODE_RDONLY, MPI_INFO_NULL, &fh)));
		printf("open in missing dir: %s\n", errname(MPI_File_open(MPI_COMM_SELF,
					"no_such_dir/io_e.dat", MPI_MODE_RDONLY, MPI_INFO_NULL, &fh)));
		printf("amode RDONLY|CREATE: %s\n", errname(MPI_File_open(MPI_COMM_SELF, "io_e.dat",
					MPI_MODE_RDONLY | MPI_MODE_CREATE, MPI_INFO_NULL, &fh)));
		printf("amode RDWR|WRONLY: %s\n", errname(MPI_File_open(MPI_COMM_SELF, "io_e.dat",
					MPI_MODE_RDWR | MPI_MODE_WRONLY, MPI_INFO_NULL, &fh)));
		printf("amode 0: %s\n", errname(MPI_File_open(MPI_COMM_SELF, "io_e.dat", 0,
					MPI_INFO_NULL, &fh)));
		printf("amode RDONLY|EXCL: %s\n", errname(MPI_File_open(MPI_COMM_SELF, "io_e.dat",
					MPI_MODE_RDONLY | MPI_MODE_EXCL, MPI_INFO_NULL, &fh)));
		printf("delete missing: %s\n", errname(MPI_File_delete("io_e.dat", MPI_INFO_NULL)));
		printf("open a directory: %s\n", errname(MPI_File_open(MPI_COMM_SELF, ".",
					MPI_MODE_RDWR, MPI_INFO_NULL, &fh)));
	}
	MPI_File_open(MPI_COMM_WORLD, "io_e.dat", MPI_MODE_CREATE | MPI_MODE_EXCL | MPI_MODE_RDWR,
		      MPI_INFO_NULL, &fh);
	if (rank == 0)
		printf("create exclusive again: %s\n", errname(MPI_File_open(MPI_COMM_SELF,
					"io_e.dat", MPI_MODE_CREATE | MPI_MODE_EXCL | MPI_MODE_RDWR,
					MPI_INFO_NULL, &fh2)));
	if (rank == 0) {
		printf("count -1: %s\n", errname(MPI_File_write_at(fh, 0, buf, -1, MPI_INT, &st)));
		printf("datatype null: %s\n", errname(MPI_File_write_at(fh, 0, buf, 1,
					MPI_DATATYPE_NULL, &st)));
		printf("MPI_FILE_NULL: %s\n", errname(MPI_File_write_at(MPI_FILE_NULL, 0, buf, 1,
					MPI_INT, &st)));
		printf("seek bad whence: %s\n", errname(MPI_File_seek(fh, 0, 12345)));
	}
	if (rank == 0)
		printf("view datarep bogus: %s\n", errname(MPI_File_set_view(fh, 0, MPI_INT, MPI_INT,
					"bogus", MPI_INFO_NULL)));
	MPI_Barrier(MPI_COMM_WORLD);
	/* a user's handler on the file */
	MPI_File_create_errhandler(file_handler, &eh);
	MPI_File_set_errhandler(fh, eh);
	if (rank == 0)
		MPI_File_write_at(fh, 0, buf, -1, MPI_INT, &st);
	MPI_File_call_errhandler(fh, MPI_ERR_IO);
	report_same("user handler saw MPI_ERR_IO", handled == MPI_ERR_IO);
	MPI_Errhandler_free(&eh);
	MPI_File_close(&fh);
	if (rank == 0)
		printf("close twice: %s\n", errname(MPI_File_close(&fh)));
	MPI_File_open(MPI_COMM_WORLD, "io_e.dat", MPI_MODE_RDONLY, MPI_INFO_NULL, &fh);
	if (rank == 0) {
		printf("write read-only: %s\n", errname(MPI_File_write(fh, buf, 1, MPI_INT, &st)));
		printf("sync read-only: %s\n", errname(MPI_File_sync(fh)));
	}
	MPI_File_close(&fh);
	MPI_File_open(MPI_COMM_WORLD, "io_e.dat", MPI_MODE_WRONLY | MPI_MODE_DELETE_ON_CLOSE,
		      MPI_INFO_NULL, &fh);
	if (rank == 0)
		printf("read write-only: %s\n", errname(MPI_File_read(fh, buf, 1, MPI_INT, &st)));
	MPI_File_close(&fh);
}

int main(int argc, char **argv)
{
	conf_init(&argc, &argv);
	handles();
	independent();
	views();
	shared_pointer();
	errors();
	conf_done();
	return 0;
}
