/* SPDX-License-Identifier: MIT */
/*
 * test_objects.c: lib/mpi's local objects: groups (group.c), topology arithmetic (topo_cart.c),
 * error classes (error.c), info (info.c), attributes (attr.c) on one rank.
 */
#include <criterion/criterion.h>
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

TestSuite(objects, .init = setup, .fini = teardown);

static void dims(int n, int nd, const int *expect)
{
	int d[4] = { 0, 0, 0, 0 };

	cr_assert_eq(MPI_Dims_create(n, nd, d), MPI_SUCCESS);
	cr_assert_arr_eq(d, expect, (size_t)nd * sizeof(int), "dims_create(%d, %d)", n, nd);
}

Test(objects, dims_create_balances_in_decreasing_order)
{
	dims(12, 2, (int[]){ 4, 3 });
	dims(7, 2, (int[]){ 7, 1 });
	dims(24, 3, (int[]){ 4, 3, 2 });
	dims(48, 2, (int[]){ 8, 6 });
	dims(1, 3, (int[]){ 1, 1, 1 });
}

Test(objects, dims_create_keeps_fixed_dimensions)
{
	int d[2] = { 0, 3 };

	MPI_Dims_create(12, 2, d);
	cr_assert_eq(d[0], 4);
	cr_assert_eq(d[1], 3);
}

Test(objects, dims_create_that_cannot_divide_is_err_dims)
{
	int d[2] = { 5, 0 };

	cr_assert_eq(MPI_Dims_create(12, 2, d), MPI_ERR_DIMS);
}

Test(objects, cart_on_one_rank_shifts_to_itself_when_periodic)
{
	MPI_Comm c;
	int d[2] = { 1, 1 }, p[2] = { 1, 0 }, src, dst;

	MPI_Cart_create(MPI_COMM_WORLD, 2, d, p, 0, &c);
	MPI_Cart_shift(c, 0, 1, &src, &dst);
	cr_assert_eq(src, 0);
	cr_assert_eq(dst, 0);
	MPI_Cart_shift(c, 1, 1, &src, &dst);
	cr_assert_eq(src, MPI_PROC_NULL);
	cr_assert_eq(dst, MPI_PROC_NULL);
	MPI_Comm_free(&c);
}

Test(objects, group_set_operations)
{
	MPI_Group w, e, u;
	int n, res;

	MPI_Comm_group(MPI_COMM_WORLD, &w);
	MPI_Group_excl(w, 1, (int[]){ 0 }, &e);
	cr_assert_eq(e, MPI_GROUP_EMPTY);
	MPI_Group_union(w, e, &u);
	MPI_Group_size(u, &n);
	cr_assert_eq(n, 1);
	MPI_Group_compare(w, u, &res);
	cr_assert_eq(res, MPI_IDENT);
	MPI_Group_free(&u);
	MPI_Group_free(&w);
}

Test(objects, group_incl_of_a_rank_outside_the_group_is_err_rank)
{
	MPI_Group w, g;

	MPI_Comm_group(MPI_COMM_WORLD, &w);
	cr_assert_eq(MPI_Group_incl(w, 1, (int[]){ 1 }, &g), MPI_ERR_RANK);
	MPI_Group_free(&w);
}

Test(objects, error_string_of_a_class_names_it)
{
	char s[MPI_MAX_ERROR_STRING];
	int len;

	MPI_Error_string(MPI_ERR_RANK, s, &len);
	cr_assert_not_null(strstr(s, "MPI_ERR_RANK"));
	cr_assert_eq(len, (int)strlen(s));
}

Test(objects, added_code_belongs_to_its_class)
{
	int cls, code, got;

	MPI_Add_error_class(&cls);
	MPI_Add_error_code(cls, &code);
	MPI_Error_class(code, &got);
	cr_assert_eq(got, cls);
	cr_assert_gt(code, MPI_ERR_LASTCODE);
}

Test(objects, errors_return_gives_the_class_back)
{
	int x = 0;

	cr_assert_eq(MPI_Send(&x, 1, MPI_INT, 1, 0, MPI_COMM_WORLD), MPI_ERR_RANK);
	cr_assert_eq(MPI_Send(&x, 1, MPI_INT, 0, -1, MPI_COMM_WORLD), MPI_ERR_TAG);
	cr_assert_eq(MPI_Send(&x, -1, MPI_INT, 0, 0, MPI_COMM_WORLD), MPI_ERR_COUNT);
	cr_assert_eq(MPI_Send(&x, 1, MPI_DATATYPE_NULL, 0, 0, MPI_COMM_WORLD), MPI_ERR_TYPE);
	cr_assert_eq(MPI_Send(&x, 1, MPI_INT, 0, 0, MPI_COMM_NULL), MPI_ERR_COMM);
	cr_assert_eq(MPI_Send(&x, 1, MPI_INT, 0, 0, (MPI_Comm)MPI_INT), MPI_ERR_COMM);
}

Test(objects, info_keeps_keys_in_order_and_replaces_values)
{
	MPI_Info in;
	char key[MPI_MAX_INFO_KEY], val[16];
	int n, flag;

	MPI_Info_create(&in);
	MPI_Info_set(in, "b", "1");
	MPI_Info_set(in, "a", "2");
	MPI_Info_set(in, "b", "3");
	MPI_Info_get_nkeys(in, &n);
	cr_assert_eq(n, 2);
	MPI_Info_get_nthkey(in, 0, key);
	cr_assert_str_eq(key, "b");
	MPI_Info_get(in, "b", 15, val, &flag);
	cr_assert_str_eq(val, "3");
	cr_assert_eq(MPI_Info_delete(in, "zz"), MPI_ERR_INFO_NOKEY);
	MPI_Info_free(&in);
	cr_assert_eq(in, MPI_INFO_NULL);
}

static int deleted;

static int on_delete(MPI_Comm c, int k, void *v, void *e)
{
	(void)c, (void)k, (void)e;
	deleted += (int)(long)v;
	return MPI_SUCCESS;
}

Test(objects, attribute_delete_callback_runs_on_free)
{
	MPI_Comm c;
	int key;

	MPI_Comm_dup(MPI_COMM_SELF, &c);
	MPI_Comm_create_keyval(MPI_COMM_NULL_COPY_FN, on_delete, &key, NULL);
	MPI_Comm_set_attr(c, key, (void *)5);
	MPI_Comm_free(&c);
	cr_assert_eq(deleted, 5);
	MPI_Comm_free_keyval(&key);
}

Test(objects, unsupported_call_says_so)
{
	char port[MPI_MAX_PORT_NAME];

	cr_assert_eq(MPI_Open_port(MPI_INFO_NULL, port), MPI_ERR_UNSUPPORTED_OPERATION);
}
