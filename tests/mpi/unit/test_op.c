/* SPDX-License-Identifier: MIT */
/* test_op.c: lib/mpi's reduction operations (op.c, op_kernels.c) through MPI_Reduce_local. */
#include <criterion/criterion.h>
#include <stddef.h>
#include <wchar.h>
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

TestSuite(op, .init = setup, .fini = teardown);

Test(op, sum_of_ints)
{
	int a[3] = { 1, 2, 3 }, b[3] = { 10, 20, 30 };

	cr_assert_eq(MPI_Reduce_local(a, b, 3, MPI_INT, MPI_SUM), MPI_SUCCESS);
	cr_assert_arr_eq(b, ((int[]){ 11, 22, 33 }), sizeof(b));
}

Test(op, max_of_doubles_on_a_vector_type_skips_the_gaps)
{
	MPI_Datatype t;
	double a[4] = { 5, 100, 1, 100 }, b[4] = { 2, -1, 7, -1 };

	MPI_Type_vector(2, 1, 2, MPI_DOUBLE, &t);
	MPI_Type_commit(&t);
	MPI_Reduce_local(a, b, 1, t, MPI_MAX);
	cr_assert_eq(b[0], 5);
	cr_assert_eq(b[1], -1);
	cr_assert_eq(b[2], 7);
	MPI_Type_free(&t);
}

Test(op, minloc_prefers_the_smaller_index_on_a_tie)
{
	struct {
		double v;
		int i;
	} a = { 3.0, 7 }, b = { 3.0, 9 };

	MPI_Reduce_local(&a, &b, 1, MPI_DOUBLE_INT, MPI_MINLOC);
	cr_assert_eq(b.v, 3.0);
	cr_assert_eq(b.i, 7);
}

Test(op, maxloc_takes_the_larger_value)
{
	int a[2] = { 5, 1 }, b[2] = { 4, 0 };

	MPI_Reduce_local(a, b, 1, MPI_2INT, MPI_MAXLOC);
	cr_assert_arr_eq(b, ((int[]){ 5, 1 }), sizeof(b));
}

Test(op, logical_and_bitwise)
{
	_Bool a = 1, b = 0;
	unsigned char x = 0x0f, y = 0xf3;

	MPI_Reduce_local(&a, &b, 1, MPI_C_BOOL, MPI_LOR);
	cr_assert_eq(b, 1);
	MPI_Reduce_local(&x, &y, 1, MPI_BYTE, MPI_BAND);
	cr_assert_eq(y, 0x03);
}

Test(op, complex_product)
{
	double _Complex a = 1.0 + 2.0 * __builtin_complex(0.0, 1.0), b = 3.0;

	MPI_Reduce_local(&a, &b, 1, MPI_C_DOUBLE_COMPLEX, MPI_PROD);
	cr_assert_eq(__real__ b, 3.0);
	cr_assert_eq(__imag__ b, 6.0);
}

Test(op, band_on_double_is_err_op)
{
	double a = 1, b = 2;

	cr_assert_eq(MPI_Reduce_local(&a, &b, 1, MPI_DOUBLE, MPI_BAND), MPI_ERR_OP);
}

Test(op, sum_on_char_adds_as_integers)
{
	char a = 1, b = 2;

	cr_assert_eq(MPI_Reduce_local(&a, &b, 1, MPI_CHAR, MPI_SUM), MPI_SUCCESS);
	cr_assert_eq(b, 3);
}

Test(op, sum_on_wchar_is_err_op)
{
	wchar_t a = 1, b = 2;

	cr_assert_eq(MPI_Reduce_local(&a, &b, 1, MPI_WCHAR, MPI_SUM), MPI_ERR_OP);
}

Test(op, replace_in_a_reduction_is_err_op)
{
	int a = 1, b = 2;

	cr_assert_eq(MPI_Reduce_local(&a, &b, 1, MPI_INT, MPI_REPLACE), MPI_ERR_OP);
}

Test(op, land_on_count_is_logical)
{
	MPI_Count a[2] = { 4, 0 }, b[2] = { 2, 2 };

	cr_assert_eq(MPI_Reduce_local(a, b, 2, MPI_COUNT, MPI_LAND), MPI_SUCCESS);
	cr_assert_eq(b[0], 1);
	cr_assert_eq(b[1], 0);
}

/* MAXLOC copies value and index, never the padding after them: buffers sized by the
 * type's true extent end there. */
Test(op, maxloc_leaves_pair_padding_alone)
{
	struct { long double v; int i; } a = { 5, 1 }, b;

	memset(&b, 0xa5, sizeof(b));
	b.v = 2;
	b.i = 7;
	cr_assert_eq(MPI_Reduce_local(&a, &b, 1, MPI_LONG_DOUBLE_INT, MPI_MAXLOC), MPI_SUCCESS);
	cr_assert_eq(b.v, 5);
	cr_assert_eq(b.i, 1);
	for (size_t k = offsetof(__typeof__(b), i) + sizeof(int); k < sizeof(b); k++)
		cr_assert_eq(((unsigned char *)&b)[k], 0xa5, "padding byte %zu written", k);
}

static void concat_digits(void *in, void *inout, int *len, MPI_Datatype *dt)
{
	int *a = in, *b = inout, k;

	(void)dt;
	for (k = 0; k < *len; k++)
		b[k] = a[k] * 10 + b[k];
}

Test(op, user_op_is_called_with_in_as_left_operand)
{
	MPI_Op op;
	int a = 1, b = 2, commute;

	MPI_Op_create(concat_digits, 0, &op);
	MPI_Op_commutative(op, &commute);
	cr_assert_eq(commute, 0);
	MPI_Reduce_local(&a, &b, 1, MPI_INT, op);
	cr_assert_eq(b, 12);
	MPI_Op_free(&op);
	cr_assert_eq(op, MPI_OP_NULL);
}

Test(op, predefined_op_cannot_be_freed)
{
	MPI_Op op = MPI_SUM;

	cr_assert_eq(MPI_Op_free(&op), MPI_ERR_OP);
}
