/* SPDX-License-Identifier: MIT */
/*
 * test_file.c: MPI-IO on one rank of the host fake (whose host calls are the process's own
 * file calls): the mapping of views to file offsets (file_view.c) through
 * MPI_File_get_byte_offset and MPI_File_seek, the data representations, hints, split
 * collectives, the shared pointer, and what Open MPI does not check (so the conformance
 * programs cannot).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <mpi.h>

/* lib/mpi's internals under test (mpii_file.h needs the tile headers): the atomic-mode lock */
struct mpii_file;
struct mpii_file *mpii_file_get(MPI_File h);
void mpii_file_lock(struct mpii_file *f, int excl);
void mpii_file_unlock(struct mpii_file *f, int excl);

static MPI_File fh;
static char path[64];

static void setup(void)
{
	MPI_Init(NULL, NULL);
	snprintf(path, sizeof(path), "/tmp/tessera-test-%d-file.dat", (int)getpid());
	cr_assert_eq(MPI_File_open(MPI_COMM_WORLD, path, MPI_MODE_CREATE | MPI_MODE_RDWR |
				   MPI_MODE_DELETE_ON_CLOSE, MPI_INFO_NULL, &fh), MPI_SUCCESS);
}

static void teardown(void)
{
	MPI_File_close(&fh);
	MPI_Finalize();
	unlink(path);
}

TestSuite(file, .init = setup, .fini = teardown);

/* A view of ints: 2 used, 3 skipped, from byte 8. */
static void gappy_view(void)
{
	MPI_Datatype two, ft;

	MPI_Type_contiguous(2, MPI_INT, &two);
	MPI_Type_create_resized(two, 0, 5 * sizeof(int), &ft);
	MPI_Type_commit(&ft);
	cr_assert_eq(MPI_File_set_view(fh, 8, MPI_INT, ft, "native", MPI_INFO_NULL), MPI_SUCCESS);
	MPI_Type_free(&two);
	MPI_Type_free(&ft);
}

Test(file, byte_offsets_follow_the_filetype)
{
	MPI_Offset b;

	gappy_view();
	MPI_File_get_byte_offset(fh, 0, &b);
	cr_assert_eq(b, 8);
	MPI_File_get_byte_offset(fh, 1, &b);
	cr_assert_eq(b, 12);
	MPI_File_get_byte_offset(fh, 2, &b);
	cr_assert_eq(b, 8 + 20, "the next instance, one extent on");
	MPI_File_get_byte_offset(fh, 5, &b);
	cr_assert_eq(b, 8 + 40 + 4);
}

Test(file, seek_end_counts_the_etypes_before_the_end)
{
	MPI_Offset pos;

	MPI_File_set_size(fh, 8 + 20 + 4);	/* two and a half instances... */
	gappy_view();
	MPI_File_seek(fh, 0, MPI_SEEK_END);
	MPI_File_get_position(fh, &pos);
	cr_assert_eq(pos, 3, "ints at 8, 12 and 28 lie before the end");
}

Test(file, writes_skip_the_gaps_and_reads_find_them)
{
	int w[4] = { 1, 2, 3, 4 }, raw[12] = { 0 }, r[4];
	MPI_Status st;
	int count;

	gappy_view();
	MPI_File_write_all(fh, w, 4, MPI_INT, &st);
	MPI_Get_count(&st, MPI_INT, &count);
	cr_assert_eq(count, 4);
	MPI_File_set_view(fh, 0, MPI_INT, MPI_INT, "native", MPI_INFO_NULL);
	MPI_File_read_at(fh, 0, raw, 12, MPI_INT, &st);
	cr_assert_arr_eq(raw, ((int[]){ 0, 0, 1, 2, 0, 0, 0, 3, 4, 0, 0, 0 }), sizeof(raw));
	gappy_view();
	MPI_File_read_at(fh, 1, r, 3, MPI_INT, &st);
	cr_assert_arr_eq(r, ((int[]){ 2, 3, 4 }), 3 * sizeof(int));
}

Test(file, internal_is_native_and_external32_is_big_endian)
{
	int v = 0x01020304;
	unsigned char raw[4];
	MPI_Status st;
	char rep[MPI_MAX_DATAREP_STRING];
	MPI_Offset d;
	MPI_Datatype et, ft;

	cr_assert_eq(MPI_File_set_view(fh, 0, MPI_INT, MPI_INT, "internal", MPI_INFO_NULL),
		     MPI_SUCCESS);
	MPI_File_get_view(fh, &d, &et, &ft, rep);
	cr_assert_str_eq(rep, "native");
	MPI_File_set_view(fh, 0, MPI_INT, MPI_INT, "external32", MPI_INFO_NULL);
	MPI_File_write_at(fh, 0, &v, 1, MPI_INT, &st);
	MPI_File_set_view(fh, 0, MPI_BYTE, MPI_BYTE, "native", MPI_INFO_NULL);
	MPI_File_read_at(fh, 0, raw, 4, MPI_BYTE, &st);
	cr_assert_arr_eq(raw, ((unsigned char[]){ 1, 2, 3, 4 }), 4);
}

Test(file, external32_views_of_types_that_change_size_are_refused)
{
	cr_assert_eq(MPI_File_set_view(fh, 0, MPI_LONG, MPI_LONG, "external32", MPI_INFO_NULL),
		     MPI_ERR_UNSUPPORTED_DATAREP);
	cr_assert_eq(MPI_File_set_view(fh, 0, MPI_INT, MPI_INT, "nosuchrep", MPI_INFO_NULL),
		     MPI_ERR_UNSUPPORTED_DATAREP);
}

Test(file, a_filetype_must_be_made_of_etypes)
{
	MPI_Datatype three;

	MPI_Type_contiguous(3, MPI_BYTE, &three);
	MPI_Type_commit(&three);
	cr_assert_eq(MPI_File_set_view(fh, 0, MPI_INT, three, "native", MPI_INFO_NULL),
		     MPI_ERR_TYPE);
	cr_assert_eq(MPI_File_set_view(fh, -3, MPI_INT, MPI_INT, "native", MPI_INFO_NULL),
		     MPI_ERR_ARG);
	MPI_Type_free(&three);
}

Test(file, registered_datareps_are_unique_and_not_usable_in_views)
{
	cr_assert_eq(MPI_Register_datarep("mine", MPI_CONVERSION_FN_NULL, MPI_CONVERSION_FN_NULL,
					  (MPI_Datarep_extent_function *)1, NULL), MPI_SUCCESS);
	cr_assert_eq(MPI_Register_datarep("mine", MPI_CONVERSION_FN_NULL, MPI_CONVERSION_FN_NULL,
					  (MPI_Datarep_extent_function *)1, NULL),
		     MPI_ERR_DUP_DATAREP);
	cr_assert_eq(MPI_Register_datarep("external32", MPI_CONVERSION_FN_NULL,
					  MPI_CONVERSION_FN_NULL, (MPI_Datarep_extent_function *)1,
					  NULL), MPI_ERR_DUP_DATAREP);
	cr_assert_eq(MPI_File_set_view(fh, 0, MPI_INT, MPI_INT, "mine", MPI_INFO_NULL),
		     MPI_ERR_UNSUPPORTED_DATAREP);
}

Test(file, split_end_without_begin_is_an_error)
{
	int x = 0;
	MPI_Status st;

	cr_assert_eq(MPI_File_read_all_end(fh, &x, &st), MPI_ERR_OTHER);
	cr_assert_eq(MPI_File_write_all_begin(fh, &x, 1, MPI_INT), MPI_SUCCESS);
	cr_assert_eq(MPI_File_write_all_begin(fh, &x, 1, MPI_INT), MPI_ERR_OTHER);
	cr_assert_eq(MPI_File_write_all_end(fh, &x, &st), MPI_SUCCESS);
}

Test(file, hints_in_force_are_reported)
{
	MPI_Info in, out;
	char v[MPI_MAX_INFO_VAL];
	int flag;

	MPI_Info_create(&in);
	MPI_Info_set(in, "cb_buffer_size", "65536");
	MPI_Info_set(in, "my_hint", "x");
	MPI_File_set_info(fh, in);
	MPI_File_get_info(fh, &out);
	MPI_Info_get(out, "cb_buffer_size", sizeof(v) - 1, v, &flag);
	cr_assert(flag && !strcmp(v, "65536"));
	MPI_Info_get(out, "my_hint", sizeof(v) - 1, v, &flag);
	cr_assert(flag && !strcmp(v, "x"), "other hints are kept");
	MPI_Info_get(out, "romio_cb_write", sizeof(v) - 1, v, &flag);
	cr_assert(flag && !strcmp(v, "automatic"));
	MPI_Info_free(&in);
	MPI_Info_free(&out);
}

Test(file, atomic_mode_accesses_take_the_lock_and_give_it_back)
{
	int v[3] = { 7, 8, 9 }, r[3];
	MPI_Status st;

	MPI_File_set_atomicity(fh, 1);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(MPI_File_write_at(fh, 4 * i, &v[i], 1, MPI_INT, &st), MPI_SUCCESS);
	cr_assert_eq(MPI_File_read_at_all(fh, 0, r, 12, MPI_BYTE, &st), MPI_SUCCESS);
	cr_assert_arr_eq(r, v, sizeof(v));
}

Test(file, atomic_collective_waits_for_the_lock_after_it_started)
{
	int v[3] = { 4, 5, 6 }, r[3], flag = 1, count;
	MPI_Request rq;
	MPI_Status st;

	MPI_File_set_atomicity(fh, 1);
	/* the lock is held, as by another rank writing: the access starts, and waits */
	mpii_file_lock(mpii_file_get(fh), 1);
	cr_assert_eq(MPI_File_iwrite_at_all(fh, 0, v, 3, MPI_INT, &rq), MPI_SUCCESS);
	cr_assert_eq(MPI_Test(&rq, &flag, &st), MPI_SUCCESS);
	cr_assert_eq(flag, 0, "done while the lock was held elsewhere");
	mpii_file_unlock(mpii_file_get(fh), 1);
	cr_assert_eq(MPI_Wait(&rq, &st), MPI_SUCCESS);
	MPI_Get_count(&st, MPI_INT, &count);
	cr_assert_eq(count, 3);
	cr_assert_eq(MPI_File_read_at(fh, 0, r, 3, MPI_INT, &st), MPI_SUCCESS);
	cr_assert_arr_eq(r, v, sizeof(v));
}

Test(file, nonblocking_collective_moves_the_pointer_when_it_starts)
{
	int v[4] = { 1, 2, 3, 4 };
	MPI_Offset pos;
	MPI_Request rq;

	cr_assert_eq(MPI_File_iwrite_all(fh, v, 4, MPI_INT, &rq), MPI_SUCCESS);
	MPI_File_get_position(fh, &pos);
	cr_assert_eq(pos, 16, "MPI-3.1 13.4.3: updated when the access starts");
	cr_assert_eq(MPI_Wait(&rq, MPI_STATUS_IGNORE), MPI_SUCCESS);
}

Test(file, shared_pointer_moves_by_what_each_access_takes)
{
	int v[5] = { 0 };
	MPI_Offset pos;
	MPI_Status st;

	MPI_File_set_view(fh, 0, MPI_INT, MPI_INT, "native", MPI_INFO_NULL);
	MPI_File_write_shared(fh, v, 5, MPI_INT, &st);
	MPI_File_write_ordered(fh, v, 2, MPI_INT, &st);
	MPI_File_get_position_shared(fh, &pos);
	cr_assert_eq(pos, 7);
	MPI_File_seek_shared(fh, -1, MPI_SEEK_END);
	MPI_File_get_position_shared(fh, &pos);
	cr_assert_eq(pos, 6);
	cr_assert_eq(MPI_File_seek_shared(fh, -10, MPI_SEEK_CUR), MPI_ERR_ARG);
}

Test(file, strided_reads_larger_than_a_mailbox_cross_the_stage)
{
	enum { N = 50000 };
	static int w[N], r[N];
	MPI_Datatype one, ft;
	MPI_Status st;
	int count;

	for (int i = 0; i < N; i++)
		w[i] = i * 3 + 1;
	MPI_Type_contiguous(1, MPI_INT, &one);
	MPI_Type_create_resized(one, 0, 8, &ft);	/* every other int */
	MPI_Type_commit(&ft);
	MPI_File_set_view(fh, 0, MPI_INT, ft, "native", MPI_INFO_NULL);
	MPI_File_write(fh, w, N, MPI_INT, &st);
	MPI_File_read_at(fh, 0, r, N, MPI_INT, &st);
	MPI_Get_count(&st, MPI_INT, &count);
	cr_assert_eq(count, N);
	cr_assert_arr_eq(r, w, sizeof(w));
	MPI_Type_free(&one);
	MPI_Type_free(&ft);
}
