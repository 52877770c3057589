/* SPDX-License-Identifier: MIT */
/* test_datatype.c: lib/mpi's datatypes (dtype_*.c) and packing (pack*.c), one rank, no peers. */
#include <criterion/criterion.h>
#include <stddef.h>
#include <mpi.h>

static void setup(void)
{
	MPI_Init(NULL, NULL);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

static void teardown(void)
{
	MPI_Finalize();
}

TestSuite(datatype, .init = setup, .fini = teardown);

Test(datatype, vector_has_size_extent_and_packs_its_elements)
{
	MPI_Datatype t;
	int size, pos = 0, i, a[20], out[20];
	MPI_Aint lb, ext;

	MPI_Type_vector(3, 2, 5, MPI_INT, &t);
	MPI_Type_commit(&t);
	MPI_Type_size(t, &size);
	MPI_Type_get_extent(t, &lb, &ext);
	cr_assert_eq(size, 24);
	cr_assert_eq(lb, 0);
	cr_assert_eq(ext, (2 * 5 + 2) * 4);
	for (i = 0; i < 20; i++)
		a[i] = i;
	MPI_Pack(a, 1, t, out, sizeof(out), &pos, MPI_COMM_WORLD);
	cr_assert_eq(pos, 24);
	cr_assert_arr_eq(out, ((int[]){ 0, 1, 5, 6, 10, 11 }), 6 * sizeof(int));
	MPI_Type_free(&t);
	cr_assert_eq(t, MPI_DATATYPE_NULL);
}

/* Blocks of one run each make one strided segment at once, whatever the count: a vector of
 * 2^30 blocks (MPICH's large-count test) is built in no time, and small ones still pack right. */
Test(datatype, vector_of_one_run_blocks_is_built_at_once, .timeout = 5)
{
	MPI_Datatype four, huge, dense, back;
	MPI_Count size, lb, ext;
	int i, a[12], out[12], pos;

	MPI_Type_contiguous(4, MPI_INT, &four);
	MPI_Type_vector(1 << 30, 1, 3, four, &huge);
	MPI_Type_commit(&huge);
	MPI_Type_size_x(huge, &size);
	MPI_Type_get_true_extent_x(huge, &lb, &ext);
	cr_assert_eq(size, 16LL << 30);
	cr_assert_eq(lb, 0);
	cr_assert_eq(ext, 48LL * ((1 << 30) - 1) + 16);
	for (i = 0; i < 12; i++)
		a[i] = i;
	MPI_Type_vector(3, 2, 2, MPI_INT, &dense);	/* stride = block: one run of 6 */
	MPI_Type_vector(3, 1, -2, MPI_INT, &back);	/* a[4], a[2], a[0] */
	MPI_Type_commit(&dense);
	MPI_Type_commit(&back);
	pos = 0;
	MPI_Pack(a, 1, dense, out, sizeof(out), &pos, MPI_COMM_WORLD);
	cr_assert_arr_eq(out, ((int[]){ 0, 1, 2, 3, 4, 5 }), 6 * sizeof(int));
	pos = 0;
	MPI_Pack(a + 4, 1, back, out, sizeof(out), &pos, MPI_COMM_WORLD);
	cr_assert_eq(pos, 12);
	cr_assert_arr_eq(out, ((int[]){ 4, 2, 0 }), 3 * sizeof(int));
	MPI_Type_free(&back);
	MPI_Type_free(&dense);
	MPI_Type_free(&huge);
	MPI_Type_free(&four);
}

Test(datatype, unpack_leaves_the_gaps_alone)
{
	MPI_Datatype t;
	int pos = 0, a[6] = { 1, 2, 3, 4, 5, 6 }, out[8];

	MPI_Type_vector(2, 1, 3, MPI_INT, &t);
	MPI_Type_commit(&t);
	memset(out, 0xff, sizeof(out));
	MPI_Unpack(a, sizeof(a), &pos, out, 1, t, MPI_COMM_WORLD);
	cr_assert_eq(pos, 8);
	cr_assert_eq(out[0], 1);
	cr_assert_eq(out[1], -1);
	cr_assert_eq(out[3], 2);
	MPI_Type_free(&t);
}

struct s {
	char c;
	double d;
	int i;
};

Test(datatype, struct_extent_is_padded_to_its_alignment)
{
	MPI_Datatype t;
	int bl[3] = { 1, 1, 1 }, size;
	MPI_Aint d[3] = { offsetof(struct s, c), offsetof(struct s, d), offsetof(struct s, i) };
	MPI_Datatype ty[3] = { MPI_CHAR, MPI_DOUBLE, MPI_INT };
	MPI_Aint lb, ext, tlb, text;

	MPI_Type_create_struct(3, bl, d, ty, &t);
	MPI_Type_size(t, &size);
	MPI_Type_get_extent(t, &lb, &ext);
	MPI_Type_get_true_extent(t, &tlb, &text);
	cr_assert_eq(size, 13);
	cr_assert_eq(ext, (MPI_Aint)sizeof(struct s));
	cr_assert_eq(text, (MPI_Aint)(offsetof(struct s, i) + sizeof(int)));
	MPI_Type_free(&t);
}

Test(datatype, resized_sets_lb_and_extent)
{
	MPI_Datatype t;
	MPI_Aint lb, ext;

	MPI_Type_create_resized(MPI_INT, -8, 32, &t);
	MPI_Type_get_extent(t, &lb, &ext);
	cr_assert_eq(lb, -8);
	cr_assert_eq(ext, 32);
	MPI_Type_free(&t);
}

Test(datatype, indexed_envelope_and_contents_give_back_the_arguments)
{
	MPI_Datatype t, got;
	int bl[3] = { 2, 1, 3 }, dp[3] = { 0, 5, 9 }, ni, na, nd, comb, ints[7];
	MPI_Aint none[1];

	MPI_Type_indexed(3, bl, dp, MPI_SHORT, &t);
	MPI_Type_get_envelope(t, &ni, &na, &nd, &comb);
	cr_assert_eq(comb, MPI_COMBINER_INDEXED);
	cr_assert_eq(ni, 7);
	cr_assert_eq(na, 0);
	cr_assert_eq(nd, 1);
	MPI_Type_get_contents(t, 7, 0, 1, ints, none, &got);
	cr_assert_arr_eq(ints, ((int[]){ 3, 2, 1, 3, 0, 5, 9 }), sizeof(ints));
	cr_assert_eq(got, MPI_SHORT);
	MPI_Type_free(&t);
}

Test(datatype, subarray_picks_the_block)
{
	MPI_Datatype t;
	int sizes[2] = { 4, 6 }, sub[2] = { 2, 3 }, st[2] = { 1, 2 }, a[24], out[6], pos = 0, i;

	MPI_Type_create_subarray(2, sizes, sub, st, MPI_ORDER_C, MPI_INT, &t);
	MPI_Type_commit(&t);
	for (i = 0; i < 24; i++)
		a[i] = i;
	MPI_Pack(a, 1, t, out, sizeof(out), &pos, MPI_COMM_WORLD);
	cr_assert_arr_eq(out, ((int[]){ 8, 9, 10, 14, 15, 16 }), sizeof(out));
	MPI_Type_free(&t);
}

Test(datatype, darray_block_cyclic_owns_the_right_elements)
{
	MPI_Datatype t;
	int gs[1] = { 10 }, di[1] = { MPI_DISTRIBUTE_CYCLIC }, da[1] = { 2 }, ps[1] = { 3 };
	int a[10], out[10], pos = 0, size, i;

	MPI_Type_create_darray(3, 1, 1, gs, di, da, ps, MPI_ORDER_C, MPI_INT, &t);
	MPI_Type_commit(&t);
	MPI_Type_size(t, &size);
	cr_assert_eq(size, 4 * 4);	/* elements 2, 3, 8, 9 */
	for (i = 0; i < 10; i++)
		a[i] = i;
	MPI_Pack(a, 1, t, out, sizeof(out), &pos, MPI_COMM_WORLD);
	cr_assert_arr_eq(out, ((int[]){ 2, 3, 8, 9 }), 4 * sizeof(int));
	MPI_Type_free(&t);
}

Test(datatype, get_elements_counts_basics_of_a_partial_element)
{
	MPI_Datatype t;
	MPI_Status st;
	int e, c;

	MPI_Type_contiguous(3, MPI_INT, &t);
	MPI_Type_commit(&t);
	MPI_Status_set_elements(&st, MPI_INT, 7);
	MPI_Get_elements(&st, t, &e);
	MPI_Get_count(&st, t, &c);
	cr_assert_eq(e, 7);
	cr_assert_eq(c, MPI_UNDEFINED);
	MPI_Type_free(&t);
}

Test(datatype, pair_types_have_mpi_sizes)
{
	int size;
	MPI_Aint lb, ext;

	MPI_Type_size(MPI_DOUBLE_INT, &size);
	MPI_Type_get_extent(MPI_DOUBLE_INT, &lb, &ext);
	cr_assert_eq(size, 12);
	cr_assert_eq(ext, 16);
	MPI_Type_size(MPI_SHORT_INT, &size);
	cr_assert_eq(size, 6);
}

Test(datatype, external32_is_big_endian)
{
	int v = 0x01020304;
	unsigned char out[4];
	MPI_Aint pos = 0;

	MPI_Pack_external("external32", &v, 1, MPI_INT, out, 4, &pos);
	cr_assert_eq(pos, 4);
	cr_assert_arr_eq(out, ((unsigned char[]){ 1, 2, 3, 4 }), 4);
}

Test(datatype, external32_long_is_4_bytes_and_sign_extends_back)
{
	long v = -5, back = 0;
	unsigned char out[8];
	MPI_Aint pos = 0, sz;

	MPI_Pack_external_size("external32", 1, MPI_LONG, &sz);
	cr_assert_eq(sz, 4);
	MPI_Pack_external("external32", &v, 1, MPI_LONG, out, 8, &pos);
	pos = 0;
	MPI_Unpack_external("external32", out, 8, &pos, &back, 1, MPI_LONG);
	cr_assert_eq(back, -5);
}

Test(datatype, uncommitted_type_is_refused_in_pack)
{
	MPI_Datatype t;
	int a[2], out[2], pos = 0;

	MPI_Type_contiguous(2, MPI_INT, &t);
	cr_assert_eq(MPI_Pack(a, 1, t, out, sizeof(out), &pos, MPI_COMM_WORLD), MPI_ERR_TYPE);
	MPI_Type_free(&t);
}

Test(datatype, pack_past_the_end_is_truncate)
{
	int a[4] = { 0 }, pos = 0;
	char out[8];

	cr_assert_eq(MPI_Pack(a, 4, MPI_INT, out, sizeof(out), &pos, MPI_COMM_WORLD),
		     MPI_ERR_TRUNCATE);
	cr_assert_eq(pos, 0);
}
