/* SPDX-License-Identifier: MIT */
/*
 * test_mpit.c: the tool information interface (lib/mpi/mpit.c), which has no variables
 * yet: initialisation nests, everything counts zero, every index, name and handle is
 * refused with its class, sessions come and go, and none of it needs MPI_Init.
 */
#include <criterion/criterion.h>
#include <mpi.h>
#include <string.h>

Test(mpit, calls_before_init_are_refused)
{
	int n;

	cr_assert_eq(MPI_T_cvar_get_num(&n), MPI_T_ERR_NOT_INITIALIZED);
	cr_assert_eq(MPI_T_finalize(), MPI_T_ERR_NOT_INITIALIZED);
}

Test(mpit, init_nests_and_grants_the_level_asked)
{
	int provided, n;

	cr_assert_eq(MPI_T_init_thread(MPI_THREAD_FUNNELED, &provided), MPI_SUCCESS);
	cr_assert_eq(provided, MPI_THREAD_FUNNELED);
	cr_assert_eq(MPI_T_init_thread(MPI_THREAD_MULTIPLE, &provided), MPI_SUCCESS);
	cr_assert_eq(MPI_T_finalize(), MPI_SUCCESS);
	cr_assert_eq(MPI_T_pvar_get_num(&n), MPI_SUCCESS);	/* still one init open */
	cr_assert_eq(MPI_T_finalize(), MPI_SUCCESS);
	cr_assert_eq(MPI_T_pvar_get_num(&n), MPI_T_ERR_NOT_INITIALIZED);
}

Test(mpit, there_is_nothing_to_find)
{
	int provided, n = -1, idx, stamp = -1;
	char name[64];
	int len = sizeof(name);

	MPI_T_init_thread(MPI_THREAD_SINGLE, &provided);
	cr_assert_eq(MPI_T_cvar_get_num(&n), MPI_SUCCESS);
	cr_assert_eq(n, 0);
	n = -1;
	cr_assert_eq(MPI_T_pvar_get_num(&n), MPI_SUCCESS);
	cr_assert_eq(n, 0);
	n = -1;
	cr_assert_eq(MPI_T_category_get_num(&n), MPI_SUCCESS);
	cr_assert_eq(n, 0);
	cr_assert_eq(MPI_T_category_changed(&stamp), MPI_SUCCESS);
	cr_assert_eq(stamp, 0);
	cr_assert_eq(MPI_T_cvar_get_info(0, name, &len, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
		     MPI_T_ERR_INVALID_INDEX);
	cr_assert_eq(MPI_T_cvar_get_index("mpi_eager_limit", &idx), MPI_T_ERR_INVALID_NAME);
	cr_assert_eq(MPI_T_pvar_get_index("x", MPI_T_PVAR_CLASS_COUNTER, &idx),
		     MPI_T_ERR_INVALID_NAME);
	cr_assert_eq(MPI_T_category_get_cvars(0, 0, NULL), MPI_T_ERR_INVALID_INDEX);
	cr_assert_eq(MPI_T_enum_get_info(MPI_T_ENUM_NULL, &n, name, &len),
		     MPI_T_ERR_INVALID_HANDLE);
	cr_assert_eq(MPI_T_cvar_get_num(NULL), MPI_T_ERR_INVALID);
	MPI_T_finalize();
}

Test(mpit, sessions_hold_no_handles)
{
	MPI_T_pvar_session s, t, old;
	MPI_T_pvar_handle h = MPI_T_PVAR_HANDLE_NULL;
	int provided, buf, count;

	MPI_T_init_thread(MPI_THREAD_SINGLE, &provided);
	cr_assert_eq(MPI_T_pvar_session_create(&s), MPI_SUCCESS);
	cr_assert_eq(MPI_T_pvar_session_create(&t), MPI_SUCCESS);
	cr_assert_neq(s, t);
	cr_assert_eq(MPI_T_pvar_handle_alloc(s, 0, NULL, &h, &count), MPI_T_ERR_INVALID_INDEX);
	cr_assert_eq(MPI_T_pvar_start(s, MPI_T_PVAR_ALL_HANDLES), MPI_SUCCESS);
	cr_assert_eq(MPI_T_pvar_read(s, h, &buf), MPI_T_ERR_INVALID_HANDLE);
	cr_assert_eq(MPI_T_pvar_stop(s, MPI_T_PVAR_ALL_HANDLES), MPI_SUCCESS);
	old = s;
	cr_assert_eq(MPI_T_pvar_session_free(&s), MPI_SUCCESS);
	cr_assert_eq(s, MPI_T_PVAR_SESSION_NULL);
	cr_assert_eq(MPI_T_pvar_start(old, MPI_T_PVAR_ALL_HANDLES), MPI_T_ERR_INVALID_SESSION);
	cr_assert_eq(MPI_T_pvar_session_free(&old), MPI_T_ERR_INVALID_SESSION);
	cr_assert_eq(MPI_T_pvar_session_free(&t), MPI_SUCCESS);
	MPI_T_finalize();
}

Test(mpit, its_classes_have_strings)
{
	char s[MPI_MAX_ERROR_STRING];
	int len, cls;

	MPI_Init(NULL, NULL);
	cr_assert_eq(MPI_Error_class(MPI_T_ERR_INVALID_NAME, &cls), MPI_SUCCESS);
	cr_assert_eq(cls, MPI_T_ERR_INVALID_NAME);
	cr_assert_eq(MPI_Error_string(MPI_T_ERR_NOT_INITIALIZED, s, &len), MPI_SUCCESS);
	cr_assert(strstr(s, "MPI_T_ERR_NOT_INITIALIZED"), "%s", s);
	MPI_Finalize();
}
