/* SPDX-License-Identifier: MIT */
/*
 * attr.c: attribute caching on communicators and datatypes: keyvals with their copy and
 * delete callbacks, the predefined attributes of communicators, and the MPI-1 names.
 */
#include <stdlib.h>
#include "mpii_impl.h"
#include "tk.h"

struct keyval {
	int kind;	/* MPII_AK_*, 0 when the slot is unused */
	MPI_Comm_copy_attr_function *copy;
	MPI_Comm_delete_attr_function *del;
	void *extra;
	int refs;	/* 1 for the user's handle + 1 per attribute using it */
};

#define FIRST_USER_KEYVAL 32
static struct keyval *kv;
static int nkv;

/* Values of the predefined attributes: the attribute value is a pointer to these. */
static int attr_tag_ub = MPII_TAG_UB, attr_host = MPI_PROC_NULL, attr_io = MPI_ANY_SOURCE;
static int attr_wtime_global = 1, attr_universe, attr_appnum;
extern int mpii_lastusedcode;

static void *predefined(int keyval)
{
	switch (keyval) {
	case MPI_TAG_UB:
		return &attr_tag_ub;
	case MPI_HOST:
		return &attr_host;
	case MPI_IO:
		return &attr_io;
	case MPI_WTIME_IS_GLOBAL:
		return &attr_wtime_global;
	case MPI_UNIVERSE_SIZE:
		/* as Open MPI: the slots a job could use (the board's cores), not the ranks */
		attr_universe = (int)tk_universe();
		return &attr_universe;
	case MPI_APPNUM:
		attr_appnum = (int)tk_appnum();
		return &attr_appnum;
	case MPI_LASTUSEDCODE:
		return &mpii_lastusedcode;
	}
	return NULL;
}

static struct keyval *kv_get(int keyval, int kind)
{
	if (keyval < FIRST_USER_KEYVAL || keyval >= FIRST_USER_KEYVAL + nkv)
		return NULL;
	if (kv[keyval - FIRST_USER_KEYVAL].kind != kind)
		return NULL;
	return &kv[keyval - FIRST_USER_KEYVAL];
}

int mpii_keyval_kind_ok(int keyval, int kind)
{
	return kv_get(keyval, kind) != NULL;
}

static void kv_unref(struct keyval *k)
{
	if (--k->refs == 0)
		k->kind = 0;
}

static int keyval_create(int kind, MPI_Comm_copy_attr_function *copy,
			 MPI_Comm_delete_attr_function *del, int *keyval, void *extra)
{
	int i;

	for (i = 0; i < nkv && kv[i].kind; i++)
		;
	if (i == nkv) {
		struct keyval *p = realloc(kv, (size_t)(nkv + 16) * sizeof(*p));

		if (!p)
			return MPI_ERR_NO_MEM;
		memset(p + nkv, 0, 16 * sizeof(*p));
		kv = p;
		nkv += 16;
	}
	kv[i].kind = kind;
	kv[i].copy = copy;
	kv[i].del = del;
	kv[i].extra = extra;
	kv[i].refs = 1;
	*keyval = FIRST_USER_KEYVAL + i;
	return MPI_SUCCESS;
}

static struct mpii_attr **find(struct mpii_attr **list, int keyval)
{
	for (; *list; list = &(*list)->next)
		if ((*list)->keyval == keyval)
			return list;
	return NULL;
}

/* Removes one attribute, running its delete callback; 0 or the callback's error. */
static int remove_attr(int kind, int h, struct mpii_attr **pos)
{
	struct mpii_attr *a = *pos;
	struct keyval *k = &kv[a->keyval - FIRST_USER_KEYVAL];
	int rc = MPI_SUCCESS;

	if (k->del)
		rc = k->del(h, a->keyval, a->val, k->extra);
	if (rc)
		return rc;
	*pos = a->next;
	free(a);
	kv_unref(k);
	(void)kind;
	return MPI_SUCCESS;
}

int mpii_attr_delete_all(int kind, int h, struct mpii_attr **list)
{
	int rc;

	while (*list) {
		rc = remove_attr(kind, h, list);
		if (rc)
			return rc;
	}
	return MPI_SUCCESS;
}

int mpii_attr_copy_all(int kind, int oldh, struct mpii_attr *from, struct mpii_attr **to)
{
	struct mpii_attr **tail = to;

	(void)kind;
	for (; from; from = from->next) {
		struct keyval *k = &kv[from->keyval - FIRST_USER_KEYVAL];
		void *out = NULL;
		int flag = 0, rc;
		struct mpii_attr *a;

		if (!k->copy)
			continue;
		rc = k->copy(oldh, from->keyval, k->extra, from->val, &out, &flag);
		if (rc)
			return rc;
		if (!flag)
			continue;
		a = malloc(sizeof(*a));
		if (!a)
			return MPI_ERR_NO_MEM;
		a->keyval = from->keyval;
		a->val = out;
		a->next = NULL;
		k->refs++;
		while (*tail)
			tail = &(*tail)->next;
		*tail = a;
	}
	return MPI_SUCCESS;
}

static int set_attr(int kind, int h, struct mpii_attr **list, int keyval, void *val)
{
	struct mpii_attr **pos, *a;
	int rc;

	if (!kv_get(keyval, kind))
		return MPI_ERR_KEYVAL;
	pos = find(list, keyval);
	if (pos) {
		struct keyval *k = &kv[keyval - FIRST_USER_KEYVAL];

		if (k->del && (rc = k->del(h, keyval, (*pos)->val, k->extra)))
			return rc;
		(*pos)->val = val;
		return MPI_SUCCESS;
	}
	a = malloc(sizeof(*a));
	if (!a)
		return MPI_ERR_NO_MEM;
	a->keyval = keyval;
	a->val = val;
	a->next = *list;
	*list = a;
	kv[keyval - FIRST_USER_KEYVAL].refs++;
	return MPI_SUCCESS;
}

static int get_attr(int kind, struct mpii_attr **list, int keyval, void *val, int *flag)
{
	struct mpii_attr **pos;
	void *p;

	if (kind == MPII_AK_COMM && (p = predefined(keyval))) {
		memcpy(val, &p, sizeof(p));
		*flag = 1;
		return MPI_SUCCESS;
	}
	if (!kv_get(keyval, kind))
		return MPI_ERR_KEYVAL;
	pos = find(list, keyval);
	*flag = pos != NULL;
	if (pos)
		memcpy(val, &(*pos)->val, sizeof(void *));
	return MPI_SUCCESS;
}

static int delete_attr(int kind, int h, struct mpii_attr **list, int keyval)
{
	struct mpii_attr **pos;

	if (!kv_get(keyval, kind))
		return MPI_ERR_KEYVAL;
	pos = find(list, keyval);
	if (!pos)
		return MPI_ERR_KEYVAL;
	return remove_attr(kind, h, pos);
}

static int free_keyval(int kind, int *keyval)
{
	struct keyval *k;

	if (!keyval || !(k = kv_get(*keyval, kind)))
		return MPI_ERR_KEYVAL;
	kv_unref(k);
	*keyval = MPI_KEYVAL_INVALID;
	return MPI_SUCCESS;
}

/* ---- Communicators ---- */

int PMPI_Comm_create_keyval(MPI_Comm_copy_attr_function *copy,
			    MPI_Comm_delete_attr_function *del, int *comm_keyval, void *extra)
{
	int rc;

	MPII_ENTER("MPI_Comm_create_keyval");
	if (!comm_keyval)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Comm_create_keyval");
	rc = keyval_create(MPII_AK_COMM, copy, del, comm_keyval, extra);
	return rc ? mpii_raise(NULL, rc, "MPI_Comm_create_keyval") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_create_keyval)

int PMPI_Keyval_create(MPI_Copy_function *copy, MPI_Delete_function *del, int *keyval,
		       void *extra)
{
	return PMPI_Comm_create_keyval(copy, del, keyval, extra);
}
MPII_ALIAS(MPI_Keyval_create)

int PMPI_Comm_free_keyval(int *comm_keyval)
{
	int rc;

	MPII_ENTER("MPI_Comm_free_keyval");
	rc = free_keyval(MPII_AK_COMM, comm_keyval);
	return rc ? mpii_raise(NULL, rc, "MPI_Comm_free_keyval") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_free_keyval)

int PMPI_Keyval_free(int *keyval)
{
	return PMPI_Comm_free_keyval(keyval);
}
MPII_ALIAS(MPI_Keyval_free)

int PMPI_Comm_set_attr(MPI_Comm comm, int comm_keyval, void *attribute_val)
{
	struct mpii_comm *c;
	int rc;

	MPII_ENTER("MPI_Comm_set_attr");
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, "MPI_Comm_set_attr");
	rc = set_attr(MPII_AK_COMM, comm, &c->attrs, comm_keyval, attribute_val);
	return rc ? mpii_raise(c, rc, "MPI_Comm_set_attr") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_set_attr)

int PMPI_Attr_put(MPI_Comm comm, int keyval, void *attribute_val)
{
	return PMPI_Comm_set_attr(comm, keyval, attribute_val);
}
MPII_ALIAS(MPI_Attr_put)

int PMPI_Comm_get_attr(MPI_Comm comm, int comm_keyval, void *attribute_val, int *flag)
{
	struct mpii_comm *c;
	int rc;

	MPII_ENTER("MPI_Comm_get_attr");
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, "MPI_Comm_get_attr");
	if (!attribute_val || !flag)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Comm_get_attr");
	rc = get_attr(MPII_AK_COMM, &c->attrs, comm_keyval, attribute_val, flag);
	return rc ? mpii_raise(c, rc, "MPI_Comm_get_attr") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_get_attr)

int PMPI_Attr_get(MPI_Comm comm, int keyval, void *attribute_val, int *flag)
{
	return PMPI_Comm_get_attr(comm, keyval, attribute_val, flag);
}
MPII_ALIAS(MPI_Attr_get)

int PMPI_Comm_delete_attr(MPI_Comm comm, int comm_keyval)
{
	struct mpii_comm *c;
	int rc;

	MPII_ENTER("MPI_Comm_delete_attr");
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, "MPI_Comm_delete_attr");
	rc = delete_attr(MPII_AK_COMM, comm, &c->attrs, comm_keyval);
	return rc ? mpii_raise(c, rc, "MPI_Comm_delete_attr") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Comm_delete_attr)

int PMPI_Attr_delete(MPI_Comm comm, int keyval)
{
	return PMPI_Comm_delete_attr(comm, keyval);
}
MPII_ALIAS(MPI_Attr_delete)

/* ---- Datatypes ---- */

int PMPI_Type_create_keyval(MPI_Type_copy_attr_function *copy,
			    MPI_Type_delete_attr_function *del, int *type_keyval, void *extra)
{
	int rc;

	MPII_ENTER("MPI_Type_create_keyval");
	if (!type_keyval)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_create_keyval");
	rc = keyval_create(MPII_AK_TYPE, (MPI_Comm_copy_attr_function *)copy,
			   (MPI_Comm_delete_attr_function *)del, type_keyval, extra);
	return rc ? mpii_raise(NULL, rc, "MPI_Type_create_keyval") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_create_keyval)

int PMPI_Type_free_keyval(int *type_keyval)
{
	int rc;

	MPII_ENTER("MPI_Type_free_keyval");
	rc = free_keyval(MPII_AK_TYPE, type_keyval);
	return rc ? mpii_raise(NULL, rc, "MPI_Type_free_keyval") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_free_keyval)

int PMPI_Type_set_attr(MPI_Datatype datatype, int type_keyval, void *attribute_val)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_set_attr");
	if (!(t = mpii_dtype_get(datatype)))
		return mpii_raise(NULL, MPI_ERR_TYPE, "MPI_Type_set_attr");
	rc = set_attr(MPII_AK_TYPE, datatype, &t->attrs, type_keyval, attribute_val);
	return rc ? mpii_raise(NULL, rc, "MPI_Type_set_attr") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_set_attr)

int PMPI_Type_get_attr(MPI_Datatype datatype, int type_keyval, void *attribute_val, int *flag)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_get_attr");
	if (!(t = mpii_dtype_get(datatype)))
		return mpii_raise(NULL, MPI_ERR_TYPE, "MPI_Type_get_attr");
	if (!attribute_val || !flag)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Type_get_attr");
	rc = get_attr(MPII_AK_TYPE, &t->attrs, type_keyval, attribute_val, flag);
	return rc ? mpii_raise(NULL, rc, "MPI_Type_get_attr") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_get_attr)

int PMPI_Type_delete_attr(MPI_Datatype datatype, int type_keyval)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Type_delete_attr");
	if (!(t = mpii_dtype_get(datatype)))
		return mpii_raise(NULL, MPI_ERR_TYPE, "MPI_Type_delete_attr");
	rc = delete_attr(MPII_AK_TYPE, datatype, &t->attrs, type_keyval);
	return rc ? mpii_raise(NULL, rc, "MPI_Type_delete_attr") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Type_delete_attr)

/* ---- The same machinery for windows (win_info.c) ---- */

int mpii_keyval_create(int kind, MPI_Comm_copy_attr_function *copy,
		       MPI_Comm_delete_attr_function *del, int *keyval, void *extra)
{
	return keyval_create(kind, copy, del, keyval, extra);
}

int mpii_keyval_free(int kind, int *keyval)
{
	return free_keyval(kind, keyval);
}

int mpii_attr_set(int kind, int h, struct mpii_attr **list, int keyval, void *val)
{
	return set_attr(kind, h, list, keyval, val);
}

int mpii_attr_get(int kind, struct mpii_attr **list, int keyval, void *val, int *flag)
{
	return get_attr(kind, list, keyval, val, flag);
}

int mpii_attr_delete(int kind, int h, struct mpii_attr **list, int keyval)
{
	return delete_attr(kind, h, list, keyval);
}

/* ---- Predefined callbacks ---- */

int MPI_COMM_NULL_COPY_FN(MPI_Comm c, int k, void *e, void *in, void *out, int *flag)
{
	(void)c, (void)k, (void)e, (void)in, (void)out;
	*flag = 0;
	return MPI_SUCCESS;
}

int MPI_COMM_DUP_FN(MPI_Comm c, int k, void *e, void *in, void *out, int *flag)
{
	(void)c, (void)k, (void)e;
	memcpy(out, &in, sizeof(in));
	*flag = 1;
	return MPI_SUCCESS;
}

int MPI_COMM_NULL_DELETE_FN(MPI_Comm c, int k, void *v, void *e)
{
	(void)c, (void)k, (void)v, (void)e;
	return MPI_SUCCESS;
}

int MPI_TYPE_NULL_COPY_FN(MPI_Datatype t, int k, void *e, void *in, void *out, int *flag)
{
	return MPI_COMM_NULL_COPY_FN(t, k, e, in, out, flag);
}

int MPI_TYPE_DUP_FN(MPI_Datatype t, int k, void *e, void *in, void *out, int *flag)
{
	return MPI_COMM_DUP_FN(t, k, e, in, out, flag);
}

int MPI_TYPE_NULL_DELETE_FN(MPI_Datatype t, int k, void *v, void *e)
{
	return MPI_COMM_NULL_DELETE_FN(t, k, v, e);
}

int MPI_WIN_NULL_COPY_FN(MPI_Win w, int k, void *e, void *in, void *out, int *flag)
{
	return MPI_COMM_NULL_COPY_FN(w, k, e, in, out, flag);
}

int MPI_WIN_DUP_FN(MPI_Win w, int k, void *e, void *in, void *out, int *flag)
{
	return MPI_COMM_DUP_FN(w, k, e, in, out, flag);
}

int MPI_WIN_NULL_DELETE_FN(MPI_Win w, int k, void *v, void *e)
{
	return MPI_COMM_NULL_DELETE_FN(w, k, v, e);
}

int MPI_NULL_COPY_FN(MPI_Comm c, int k, void *e, void *in, void *out, int *flag)
{
	return MPI_COMM_NULL_COPY_FN(c, k, e, in, out, flag);
}

int MPI_DUP_FN(MPI_Comm c, int k, void *e, void *in, void *out, int *flag)
{
	return MPI_COMM_DUP_FN(c, k, e, in, out, flag);
}

int MPI_NULL_DELETE_FN(MPI_Comm c, int k, void *v, void *e)
{
	return MPI_COMM_NULL_DELETE_FN(c, k, v, e);
}
