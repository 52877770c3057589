/* SPDX-License-Identifier: MIT */
/*
 * win_info.c: the properties of a window: name, info, error handler, attributes (the
 * predefined MPI_WIN_BASE, _SIZE, _DISP_UNIT, _CREATE_FLAVOR, _MODEL and the user's).
 */
#include <stdlib.h>
#include "mpii_win.h"

int mpii_raise_win(struct mpii_win *w, int code, const char *fn)
{
	if (!w)
		return mpii_raise(NULL, code, fn);
	return mpii_raise_errh(w->errh, w->handle, code, fn);
}

/* The live window of h, or raises MPI_ERR_WIN (*rc) on MPI_COMM_WORLD. */
static struct mpii_win *get(MPI_Win h, int *rc, const char *fname)
{
	struct mpii_win *w = mpii_win_get(h);

	*rc = w ? MPI_SUCCESS : mpii_raise(NULL, MPI_ERR_WIN, fname);
	return w;
}

int PMPI_Win_set_name(MPI_Win win, const char *win_name)
{
	static const char fname[] = "MPI_Win_set_name";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = get(win, &rc, fname)))
		return rc;
	if (!win_name)
		return mpii_raise_win(w, MPI_ERR_ARG, fname);
	mpii_strlcpy(w->name, win_name, MPI_MAX_OBJECT_NAME);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_set_name)

int PMPI_Win_get_name(MPI_Win win, char *win_name, int *resultlen)
{
	static const char fname[] = "MPI_Win_get_name";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = get(win, &rc, fname)))
		return rc;
	if (!win_name || !resultlen)
		return mpii_raise_win(w, MPI_ERR_ARG, fname);
	mpii_strlcpy(win_name, w->name, MPI_MAX_OBJECT_NAME);
	*resultlen = (int)strlen(win_name);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_get_name)

int PMPI_Win_set_info(MPI_Win win, MPI_Info info)
{
	static const char fname[] = "MPI_Win_set_info";
	struct mpii_win *w;
	struct mpii_info *in, *n;
	int rc;

	MPII_ENTER(fname);
	if (!(w = get(win, &rc, fname)))
		return rc;
	in = mpii_handle_get(MPII_K_INFO, info);
	if (!in)
		return mpii_raise_win(w, MPI_ERR_INFO, fname);
	n = mpii_info_copy(w->info);
	for (const struct mpii_info_ent *e = in->head; n && e; e = e->next)
		if (mpii_info_put(n, e->key, e->val)) {
			mpii_info_destroy(n);
			n = NULL;
		}
	if (!n)
		return mpii_raise_win(w, MPI_ERR_NO_MEM, fname);
	mpii_info_destroy(w->info);
	w->info = n;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_set_info)

int PMPI_Win_get_info(MPI_Win win, MPI_Info *info_used)
{
	static const char fname[] = "MPI_Win_get_info";
	/* MPI-3.1 11.2.1's keys with what this implementation does: any lock, any order of
	 * accumulates kept, operations of any kind may be mixed */
	static const char *const dflt[][2] = {
		{ "no_locks", "false" }, { "accumulate_ordering", "rar,raw,war,waw" },
		{ "accumulate_ops", "same_op_no_op" }, { "same_size", "false" },
		{ "same_disp_unit", "false" },
	};
	struct mpii_win *w;
	struct mpii_info *n;
	int rc, bad = 0;

	MPII_ENTER(fname);
	if (!(w = get(win, &rc, fname)))
		return rc;
	if (!info_used)
		return mpii_raise_win(w, MPI_ERR_ARG, fname);
	n = mpii_info_new();
	for (size_t i = 0; n && i < sizeof(dflt) / sizeof(dflt[0]); i++)
		bad |= mpii_info_put(n, dflt[i][0], dflt[i][1]);
	if (n && w->flavor == MPI_WIN_FLAVOR_SHARED)
		bad |= mpii_info_put(n, "alloc_shared_noncontig", "false");
	/* the user's values of those keys; keys a window does not know are ignored (MPI-3.1
	 * 11.2.7 returns the hints in use; as Open MPI and MPICH do) */
	for (const struct mpii_info_ent *e = w->info ? w->info->head : NULL; n && e; e = e->next)
		for (size_t i = 0; i <= sizeof(dflt) / sizeof(dflt[0]); i++)
			if (!strcmp(e->key, i < sizeof(dflt) / sizeof(dflt[0]) ? dflt[i][0] :
					    "alloc_shared_noncontig")) {
				bad |= mpii_info_put(n, e->key, e->val);
				break;
			}
	if (!n || bad || !(n->handle = mpii_handle_new(MPII_K_INFO, n))) {
		mpii_info_destroy(n);
		return mpii_raise_win(w, MPI_ERR_NO_MEM, fname);
	}
	*info_used = n->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_get_info)

/* ---- Error handlers ---- */

int PMPI_Win_create_errhandler(MPI_Win_errhandler_function *win_errhandler_fn,
			       MPI_Errhandler *errhandler)
{
	return mpii_errh_create(MPII_AK_WIN, (MPI_Comm_errhandler_function *)win_errhandler_fn,
				errhandler, "MPI_Win_create_errhandler");
}
MPII_ALIAS(MPI_Win_create_errhandler)

int PMPI_Win_set_errhandler(MPI_Win win, MPI_Errhandler errhandler)
{
	static const char fname[] = "MPI_Win_set_errhandler";
	struct mpii_win *w;
	struct mpii_errh *e;
	int rc;

	MPII_ENTER(fname);
	if (!(w = get(win, &rc, fname)))
		return rc;
	e = mpii_handle_get(MPII_K_ERRH, errhandler);
	if (!e || (e->kind && e->kind != MPII_AK_WIN))
		return mpii_raise_win(w, MPI_ERR_ARG, fname);
	mpii_errh_ref(e);
	mpii_errh_unref(w->errh);
	w->errh = e;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_set_errhandler)

int PMPI_Win_get_errhandler(MPI_Win win, MPI_Errhandler *errhandler)
{
	static const char fname[] = "MPI_Win_get_errhandler";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = get(win, &rc, fname)))
		return rc;
	if (!errhandler)
		return mpii_raise_win(w, MPI_ERR_ARG, fname);
	*errhandler = mpii_errh_ref(w->errh)->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_get_errhandler)

int PMPI_Win_call_errhandler(MPI_Win win, int errorcode)
{
	static const char fname[] = "MPI_Win_call_errhandler";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = get(win, &rc, fname)))
		return rc;
	if (mpii_err_class(errorcode) < 0)
		return mpii_raise_win(w, MPI_ERR_ARG, fname);
	mpii_raise_win(w, errorcode, fname);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_call_errhandler)

/* ---- Attributes ---- */

int PMPI_Win_create_keyval(MPI_Win_copy_attr_function *win_copy_attr_fn,
			   MPI_Win_delete_attr_function *win_delete_attr_fn, int *win_keyval,
			   void *extra_state)
{
	static const char fname[] = "MPI_Win_create_keyval";
	int rc;

	MPII_ENTER(fname);
	if (!win_keyval)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	rc = mpii_keyval_create(MPII_AK_WIN, (MPI_Comm_copy_attr_function *)win_copy_attr_fn,
				(MPI_Comm_delete_attr_function *)win_delete_attr_fn, win_keyval,
				extra_state);
	return rc ? mpii_raise(NULL, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_create_keyval)

int PMPI_Win_free_keyval(int *win_keyval)
{
	static const char fname[] = "MPI_Win_free_keyval";
	int rc;

	MPII_ENTER(fname);
	rc = mpii_keyval_free(MPII_AK_WIN, win_keyval);
	return rc ? mpii_raise(NULL, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_free_keyval)

int PMPI_Win_set_attr(MPI_Win win, int win_keyval, void *attribute_val)
{
	static const char fname[] = "MPI_Win_set_attr";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = get(win, &rc, fname)))
		return rc;
	rc = mpii_attr_set(MPII_AK_WIN, win, &w->attrs, win_keyval, attribute_val);
	return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_set_attr)

int PMPI_Win_get_attr(MPI_Win win, int win_keyval, void *attribute_val, int *flag)
{
	static const char fname[] = "MPI_Win_get_attr";
	struct mpii_win *w;
	void *p = NULL;
	int rc;

	MPII_ENTER(fname);
	if (!(w = get(win, &rc, fname)))
		return rc;
	if (!attribute_val || !flag)
		return mpii_raise_win(w, MPI_ERR_ARG, fname);
	/* predefined values: the base itself, pointers to the others (MPI-3.1 11.2.6) */
	switch (win_keyval) {
	case MPI_WIN_BASE:
		p = w->base;
		break;
	case MPI_WIN_SIZE:
		p = &w->len;
		break;
	case MPI_WIN_DISP_UNIT:
		p = &w->disp_unit;
		break;
	case MPI_WIN_CREATE_FLAVOR:
		p = &w->flavor;
		break;
	case MPI_WIN_MODEL: {
		static int unified = MPI_WIN_UNIFIED;

		p = &unified;
		break;
	}
	default:
		/* the communicators' predefined keys exist, but not on windows */
		if (win_keyval >= MPI_TAG_UB && win_keyval <= MPI_LASTUSEDCODE) {
			*flag = 0;
			return MPI_SUCCESS;
		}
		rc = mpii_attr_get(MPII_AK_WIN, &w->attrs, win_keyval, attribute_val, flag);
		return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
	}
	memcpy(attribute_val, &p, sizeof(p));
	*flag = 1;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_get_attr)

int PMPI_Win_delete_attr(MPI_Win win, int win_keyval)
{
	static const char fname[] = "MPI_Win_delete_attr";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = get(win, &rc, fname)))
		return rc;
	rc = mpii_attr_delete(MPII_AK_WIN, win, &w->attrs, win_keyval);
	return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_delete_attr)
