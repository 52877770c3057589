/* SPDX-License-Identifier: MIT */
/*
 * mpit.c: the tool information interface (MPI-3.1 chapter 14), without variables yet.
 * MPI_T_init_thread and MPI_T_finalize nest as the standard says, every count is zero,
 * every index, name and handle of a variable, category or enumeration is invalid, and
 * performance-variable sessions exist (empty). So tools and test suites that look for what
 * an implementation exports run and find nothing, instead of failing to link.
 *
 * Like the standard's: these calls return their error (MPI_T_ERR_*), never call an error
 * handler, and work before MPI_Init and after MPI_Finalize.
 */
#include <stdlib.h>
#include "mpii_impl.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"	/* most arguments name nothing */

static int inits;		/* MPI_T_init_thread calls not yet finalized */
static int *sessions;		/* live sessions (their handles), nsessions of them */
static int nsessions, session_cap, next_session = 1;

#define ENTER() do { if (inits == 0) return MPI_T_ERR_NOT_INITIALIZED; } while (0)

int PMPI_T_init_thread(int required, int *provided)
{
	if (!provided)
		return MPI_T_ERR_INVALID;
	/* one thread per tile: every level is granted, as MPI_Init_thread does */
	*provided = required < MPI_THREAD_SINGLE ? MPI_THREAD_SINGLE :
		    required > MPI_THREAD_MULTIPLE ? MPI_THREAD_MULTIPLE : required;
	inits++;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_T_init_thread)

int PMPI_T_finalize(void)
{
	ENTER();
	if (--inits == 0) {
		free(sessions);
		sessions = NULL;
		nsessions = session_cap = 0;
	}
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_T_finalize)

/* A count of things of which there are none. */
static int none(int *num)
{
	ENTER();
	if (!num)
		return MPI_T_ERR_INVALID;
	*num = 0;
	return MPI_SUCCESS;
}

/* The index of a named thing: there is none of any name. */
static int no_name(const char *name, const int *index)
{
	ENTER();
	return name && index ? MPI_T_ERR_INVALID_NAME : MPI_T_ERR_INVALID;
}

int PMPI_T_enum_get_info(MPI_T_enum enumtype, int *num, char *name, int *name_len)
{
	ENTER();
	return MPI_T_ERR_INVALID_HANDLE;
}
MPII_ALIAS(MPI_T_enum_get_info)

int PMPI_T_enum_get_item(MPI_T_enum enumtype, int index, int *value, char *name, int *name_len)
{
	ENTER();
	return MPI_T_ERR_INVALID_HANDLE;
}
MPII_ALIAS(MPI_T_enum_get_item)

int PMPI_T_cvar_get_num(int *num_cvar)
{
	return none(num_cvar);
}
MPII_ALIAS(MPI_T_cvar_get_num)

int PMPI_T_cvar_get_info(int cvar_index, char *name, int *name_len, int *verbosity,
			 MPI_Datatype *datatype, MPI_T_enum *enumtype, char *desc, int *desc_len,
			 int *binding, int *scope)
{
	ENTER();
	return MPI_T_ERR_INVALID_INDEX;
}
MPII_ALIAS(MPI_T_cvar_get_info)

int PMPI_T_cvar_get_index(const char *name, int *cvar_index)
{
	return no_name(name, cvar_index);
}
MPII_ALIAS(MPI_T_cvar_get_index)

int PMPI_T_cvar_handle_alloc(int cvar_index, void *obj_handle, MPI_T_cvar_handle *handle,
			     int *count)
{
	ENTER();
	return MPI_T_ERR_INVALID_INDEX;
}
MPII_ALIAS(MPI_T_cvar_handle_alloc)

int PMPI_T_cvar_handle_free(MPI_T_cvar_handle *handle)
{
	ENTER();
	return MPI_T_ERR_INVALID_HANDLE;
}
MPII_ALIAS(MPI_T_cvar_handle_free)

int PMPI_T_cvar_read(MPI_T_cvar_handle handle, void *buf)
{
	ENTER();
	return MPI_T_ERR_INVALID_HANDLE;
}
MPII_ALIAS(MPI_T_cvar_read)

int PMPI_T_cvar_write(MPI_T_cvar_handle handle, const void *buf)
{
	ENTER();
	return MPI_T_ERR_INVALID_HANDLE;
}
MPII_ALIAS(MPI_T_cvar_write)

int PMPI_T_pvar_get_num(int *num_pvar)
{
	return none(num_pvar);
}
MPII_ALIAS(MPI_T_pvar_get_num)

int PMPI_T_pvar_get_info(int pvar_index, char *name, int *name_len, int *verbosity,
			 int *var_class, MPI_Datatype *datatype, MPI_T_enum *enumtype, char *desc,
			 int *desc_len, int *binding, int *readonly, int *continuous, int *atomic)
{
	ENTER();
	return MPI_T_ERR_INVALID_INDEX;
}
MPII_ALIAS(MPI_T_pvar_get_info)

int PMPI_T_pvar_get_index(const char *name, int var_class, int *pvar_index)
{
	return no_name(name, pvar_index);
}
MPII_ALIAS(MPI_T_pvar_get_index)

static int session_at(MPI_T_pvar_session s)
{
	int i;

	for (i = 0; i < nsessions; i++)
		if (sessions[i] == s)
			return i;
	return -1;
}

int PMPI_T_pvar_session_create(MPI_T_pvar_session *session)
{
	ENTER();
	if (!session)
		return MPI_T_ERR_INVALID;
	if (nsessions == session_cap) {
		int cap = session_cap ? 2 * session_cap : 4;
		int *p = realloc(sessions, (size_t)cap * sizeof(*p));

		if (!p)
			return MPI_T_ERR_MEMORY;
		sessions = p;
		session_cap = cap;
	}
	if (next_session == MPI_T_PVAR_SESSION_NULL)	/* after 2^31 sessions */
		next_session = 1;
	sessions[nsessions++] = next_session;
	*session = next_session++;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_T_pvar_session_create)

int PMPI_T_pvar_session_free(MPI_T_pvar_session *session)
{
	int i;

	ENTER();
	if (!session || (i = session_at(*session)) < 0)
		return MPI_T_ERR_INVALID_SESSION;
	sessions[i] = sessions[--nsessions];
	*session = MPI_T_PVAR_SESSION_NULL;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_T_pvar_session_free)

int PMPI_T_pvar_handle_alloc(MPI_T_pvar_session session, int pvar_index, void *obj_handle,
			     MPI_T_pvar_handle *handle, int *count)
{
	ENTER();
	return session_at(session) < 0 ? MPI_T_ERR_INVALID_SESSION : MPI_T_ERR_INVALID_INDEX;
}
MPII_ALIAS(MPI_T_pvar_handle_alloc)

/*
 * An operation on handle in session: the session must be live; MPI_T_PVAR_ALL_HANDLES
 * (when all_ok) stands for the session's handles, of which there are none; any other handle
 * is invalid.
 */
static int on_handle(MPI_T_pvar_session session, MPI_T_pvar_handle handle, int all_ok)
{
	ENTER();
	if (session_at(session) < 0)
		return MPI_T_ERR_INVALID_SESSION;
	return all_ok && handle == MPI_T_PVAR_ALL_HANDLES ? MPI_SUCCESS
							  : MPI_T_ERR_INVALID_HANDLE;
}

int PMPI_T_pvar_handle_free(MPI_T_pvar_session session, MPI_T_pvar_handle *handle)
{
	return on_handle(session, handle ? *handle : MPI_T_PVAR_HANDLE_NULL, 0);
}
MPII_ALIAS(MPI_T_pvar_handle_free)

int PMPI_T_pvar_start(MPI_T_pvar_session session, MPI_T_pvar_handle handle)
{
	return on_handle(session, handle, 1);
}
MPII_ALIAS(MPI_T_pvar_start)

int PMPI_T_pvar_stop(MPI_T_pvar_session session, MPI_T_pvar_handle handle)
{
	return on_handle(session, handle, 1);
}
MPII_ALIAS(MPI_T_pvar_stop)

int PMPI_T_pvar_read(MPI_T_pvar_session session, MPI_T_pvar_handle handle, void *buf)
{
	return on_handle(session, handle, 0);
}
MPII_ALIAS(MPI_T_pvar_read)

int PMPI_T_pvar_write(MPI_T_pvar_session session, MPI_T_pvar_handle handle, const void *buf)
{
	return on_handle(session, handle, 0);
}
MPII_ALIAS(MPI_T_pvar_write)

int PMPI_T_pvar_reset(MPI_T_pvar_session session, MPI_T_pvar_handle handle)
{
	return on_handle(session, handle, 1);
}
MPII_ALIAS(MPI_T_pvar_reset)

int PMPI_T_pvar_readreset(MPI_T_pvar_session session, MPI_T_pvar_handle handle, void *buf)
{
	return on_handle(session, handle, 0);
}
MPII_ALIAS(MPI_T_pvar_readreset)

int PMPI_T_category_get_num(int *num_cat)
{
	return none(num_cat);
}
MPII_ALIAS(MPI_T_category_get_num)

int PMPI_T_category_get_info(int cat_index, char *name, int *name_len, char *desc,
			     int *desc_len, int *num_cvars, int *num_pvars, int *num_categories)
{
	ENTER();
	return MPI_T_ERR_INVALID_INDEX;
}
MPII_ALIAS(MPI_T_category_get_info)

int PMPI_T_category_get_index(const char *name, int *cat_index)
{
	return no_name(name, cat_index);
}
MPII_ALIAS(MPI_T_category_get_index)

/* The members of a category: there is no category. */
static int no_category(int len, const int *indices)
{
	ENTER();
	return len < 0 || (len > 0 && !indices) ? MPI_T_ERR_INVALID : MPI_T_ERR_INVALID_INDEX;
}

int PMPI_T_category_get_cvars(int cat_index, int len, int indices[])
{
	return no_category(len, indices);
}
MPII_ALIAS(MPI_T_category_get_cvars)

int PMPI_T_category_get_pvars(int cat_index, int len, int indices[])
{
	return no_category(len, indices);
}
MPII_ALIAS(MPI_T_category_get_pvars)

int PMPI_T_category_get_categories(int cat_index, int len, int indices[])
{
	return no_category(len, indices);
}
MPII_ALIAS(MPI_T_category_get_categories)

int PMPI_T_category_changed(int *stamp)
{
	return none(stamp);	/* the categories never change: always stamp 0 */
}
MPII_ALIAS(MPI_T_category_changed)
