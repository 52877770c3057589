/* SPDX-License-Identifier: MIT */
/* info.c: MPI_Info objects (ordered key/value lists) and MPI_INFO_ENV. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "mpii_impl.h"

static struct mpii_info info_env = { MPI_INFO_ENV, 0, NULL };

struct mpii_info *mpii_info_new(void)
{
	return calloc(1, sizeof(struct mpii_info));
}

static void ent_free(struct mpii_info_ent *e)
{
	free(e->key);
	free(e->val);
	free(e);
}

void mpii_info_destroy(struct mpii_info *in)
{
	struct mpii_info_ent *e, *n;

	if (!in)
		return;
	for (e = in->head; e; e = n) {
		n = e->next;
		ent_free(e);
	}
	if (in->handle && in->handle != MPI_INFO_ENV)
		mpii_handle_free(in->handle);
	if (in != &info_env)
		free(in);
}

static struct mpii_info_ent *find(struct mpii_info *in, const char *key)
{
	struct mpii_info_ent *e;

	for (e = in->head; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

int mpii_info_put(struct mpii_info *in, const char *key, const char *val)
{
	struct mpii_info_ent *e = find(in, key), **tail;
	char *v = mpii_strdup(val);

	if (!v)
		return MPI_ERR_NO_MEM;
	if (e) {
		free(e->val);
		e->val = v;
		return MPI_SUCCESS;
	}
	e = calloc(1, sizeof(*e));
	if (!e || !(e->key = mpii_strdup(key))) {
		free(e);
		free(v);
		return MPI_ERR_NO_MEM;
	}
	e->val = v;
	for (tail = &in->head; *tail; tail = &(*tail)->next)
		;
	*tail = e;
	in->nkeys++;
	return MPI_SUCCESS;
}

/*
 * MPI_INFO_ENV (MPI-3.1 8.7): how the program was started, with the keys both MPIs give:
 * thread_level is the level MPI_Init (MPI_THREAD_SINGLE) or MPI_Init_thread was asked for,
 * which init.c has set in mpii_thread_level by now, as Open MPI reports it.
 */
void mpii_info_init(int argc, char **argv)
{
	static const char *const levels[] = {
		"MPI_THREAD_SINGLE", "MPI_THREAD_FUNNELED", "MPI_THREAD_SERIALIZED", "MPI_THREAD_MULTIPLE",
	};
	char buf[256];

	mpii_handle_fix(MPI_INFO_ENV, &info_env);
	if (argc > 0 && argv && argv[0])
		mpii_info_put(&info_env, "command", argv[0]);
	snprintf(buf, sizeof(buf), "%d", mpii_world_size());
	mpii_info_put(&info_env, "maxprocs", buf);
	mpii_info_put(&info_env, "host", "tessera");
#if defined(__x86_64__)
	mpii_info_put(&info_env, "arch", "x86_64");
#elif defined(__i386__)
	mpii_info_put(&info_env, "arch", "i386");
#endif
	if (getcwd(buf, sizeof(buf)))
		mpii_info_put(&info_env, "wdir", buf);
	if (mpii_thread_level >= MPI_THREAD_SINGLE && mpii_thread_level <= MPI_THREAD_MULTIPLE)
		mpii_info_put(&info_env, "thread_level", levels[mpii_thread_level - MPI_THREAD_SINGLE]);
}

static struct mpii_info *get(MPI_Info h)
{
	return mpii_handle_get(MPII_K_INFO, h);
}

/* Keys are 1..MPI_MAX_INFO_KEY-1 characters (MPI-3.1 9.1). */
static int key_ok(const char *key)
{
	size_t n;

	if (!key)
		return MPI_ERR_INFO_KEY;
	n = strlen(key);
	return n > 0 && n < MPI_MAX_INFO_KEY ? MPI_SUCCESS : MPI_ERR_INFO_KEY;
}

int PMPI_Info_create(MPI_Info *info)
{
	struct mpii_info *in;

	MPII_ENTER("MPI_Info_create");
	if (!info)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Info_create");
	in = mpii_info_new();
	if (!in || !(in->handle = mpii_handle_new(MPII_K_INFO, in))) {
		free(in);
		return mpii_raise(NULL, MPI_ERR_NO_MEM, "MPI_Info_create");
	}
	*info = in->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Info_create)

int PMPI_Info_set(MPI_Info info, const char *key, const char *value)
{
	static const char fname[] = "MPI_Info_set";
	struct mpii_info *in = get(info);
	int rc;

	MPII_ENTER(fname);
	if (!in || info == MPI_INFO_ENV)
		return mpii_raise(NULL, MPI_ERR_INFO, fname);
	if ((rc = key_ok(key)))
		return mpii_raise(NULL, rc, fname);
	if (!value || strlen(value) >= MPI_MAX_INFO_VAL)
		return mpii_raise(NULL, MPI_ERR_INFO_VALUE, fname);
	rc = mpii_info_put(in, key, value);
	return rc ? mpii_raise(NULL, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Info_set)

int PMPI_Info_get(MPI_Info info, const char *key, int valuelen, char *value, int *flag)
{
	static const char fname[] = "MPI_Info_get";
	struct mpii_info *in = get(info);
	struct mpii_info_ent *e;
	int rc;

	MPII_ENTER(fname);
	if (!in)
		return mpii_raise(NULL, MPI_ERR_INFO, fname);
	if ((rc = key_ok(key)))
		return mpii_raise(NULL, rc, fname);
	if (valuelen < 0 || !value || !flag)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	e = find(in, key);
	*flag = e != NULL;
	if (e)
		mpii_strlcpy(value, e->val, (size_t)valuelen + 1);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Info_get)

int PMPI_Info_get_valuelen(MPI_Info info, const char *key, int *valuelen, int *flag)
{
	static const char fname[] = "MPI_Info_get_valuelen";
	struct mpii_info *in = get(info);
	struct mpii_info_ent *e;
	int rc;

	MPII_ENTER(fname);
	if (!in)
		return mpii_raise(NULL, MPI_ERR_INFO, fname);
	if ((rc = key_ok(key)))
		return mpii_raise(NULL, rc, fname);
	if (!valuelen || !flag)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	e = find(in, key);
	*flag = e != NULL;
	if (e)
		*valuelen = (int)strlen(e->val);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Info_get_valuelen)

int PMPI_Info_get_nkeys(MPI_Info info, int *nkeys)
{
	struct mpii_info *in = get(info);

	MPII_ENTER("MPI_Info_get_nkeys");
	if (!in)
		return mpii_raise(NULL, MPI_ERR_INFO, "MPI_Info_get_nkeys");
	if (!nkeys)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Info_get_nkeys");
	*nkeys = in->nkeys;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Info_get_nkeys)

int PMPI_Info_get_nthkey(MPI_Info info, int n, char *key)
{
	struct mpii_info *in = get(info);
	struct mpii_info_ent *e;

	MPII_ENTER("MPI_Info_get_nthkey");
	if (!in)
		return mpii_raise(NULL, MPI_ERR_INFO, "MPI_Info_get_nthkey");
	if (!key)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Info_get_nthkey");
	if (n < 0 || n >= in->nkeys)	/* the class Open MPI gives */
		return mpii_raise(NULL, MPI_ERR_INFO_KEY, "MPI_Info_get_nthkey");
	for (e = in->head; n > 0; n--)
		e = e->next;
	mpii_strlcpy(key, e->key, MPI_MAX_INFO_KEY);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Info_get_nthkey)

int PMPI_Info_delete(MPI_Info info, const char *key)
{
	static const char fname[] = "MPI_Info_delete";
	struct mpii_info *in = get(info);
	struct mpii_info_ent **p, *e;
	int rc;

	MPII_ENTER(fname);
	if (!in || info == MPI_INFO_ENV)
		return mpii_raise(NULL, MPI_ERR_INFO, fname);
	if ((rc = key_ok(key)))
		return mpii_raise(NULL, rc, fname);
	for (p = &in->head; *p; p = &(*p)->next)
		if (strcmp((*p)->key, key) == 0)
			break;
	if (!*p)
		return mpii_raise(NULL, MPI_ERR_INFO_NOKEY, fname);
	e = *p;
	*p = e->next;
	ent_free(e);
	in->nkeys--;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Info_delete)

struct mpii_info *mpii_info_copy(const struct mpii_info *in)
{
	struct mpii_info *n = mpii_info_new();
	const struct mpii_info_ent *e;

	if (!n)
		return NULL;
	for (e = in ? in->head : NULL; e; e = e->next)
		if (mpii_info_put(n, e->key, e->val)) {
			mpii_info_destroy(n);
			return NULL;
		}
	return n;
}

int PMPI_Info_dup(MPI_Info info, MPI_Info *newinfo)
{
	struct mpii_info *in = get(info), *n;

	MPII_ENTER("MPI_Info_dup");
	if (!in)
		return mpii_raise(NULL, MPI_ERR_INFO, "MPI_Info_dup");
	if (!newinfo)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Info_dup");
	n = mpii_info_copy(in);
	if (!n || !(n->handle = mpii_handle_new(MPII_K_INFO, n))) {
		mpii_info_destroy(n);
		return mpii_raise(NULL, MPI_ERR_NO_MEM, "MPI_Info_dup");
	}
	*newinfo = n->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Info_dup)

int PMPI_Info_free(MPI_Info *info)
{
	struct mpii_info *in;

	MPII_ENTER("MPI_Info_free");
	if (!info || !(in = get(*info)) || *info == MPI_INFO_ENV)
		return mpii_raise(NULL, MPI_ERR_INFO, "MPI_Info_free");
	mpii_info_destroy(in);
	*info = MPI_INFO_NULL;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Info_free)
