/* SPDX-License-Identifier: MIT */
/*
 * handle.c: the tables that turn int handles into objects. A handle is kind << 24 | index;
 * index 0 is each kind's null handle, indices below MPII_FIRST_DYNAMIC are predefined
 * objects, the rest are handed out and recycled. A lookup (mpii_handle_get, inline in
 * mpii_impl.h: every call makes several) checks kind, range and liveness,
 * so a wrong or stale handle is an error the caller reports, never a wild pointer.
 */
#include <stdlib.h>
#include "mpii_impl.h"

#define MPII_FIRST_DYNAMIC 64u

struct mpii_htable mpii_htables[MPII_K_COUNT];

static int grow(struct mpii_htable *t, uint32_t need)
{
	uint32_t cap = t->cap ? t->cap : 128;
	void **p;

	while (cap <= need)
		cap *= 2;
	if (cap > 0xffffffu)
		return -1;
	p = realloc(t->obj, cap * sizeof(*p));
	if (!p)
		return -1;
	memset(p + t->cap, 0, (cap - t->cap) * sizeof(*p));
	t->obj = p;
	t->cap = cap;
	return 0;
}

int mpii_handle_new(int kind, void *obj)
{
	struct mpii_htable *t = &mpii_htables[kind];
	uint32_t i;

	if (t->nfree) {
		i = t->freelist[--t->nfree];
	} else {
		if (t->next < MPII_FIRST_DYNAMIC)
			t->next = MPII_FIRST_DYNAMIC;
		i = t->next;
		if (i >= t->cap && grow(t, i))
			return 0;
		t->next++;
	}
	t->obj[i] = obj;
	return MPII_H(kind, i);
}

void mpii_handle_fix(int handle, void *obj)
{
	struct mpii_htable *t = &mpii_htables[MPII_HKIND(handle)];
	uint32_t i = MPII_HINDEX(handle);

	if (i >= t->cap && grow(t, i))
		mpii_fatal(MPI_ERR_NO_MEM, "out of memory for predefined handles");
	t->obj[i] = obj;
}

void mpii_handle_free(int handle)
{
	unsigned kind = MPII_HKIND(handle);
	struct mpii_htable *t;
	uint32_t i = MPII_HINDEX(handle);

	if (kind == 0 || kind >= MPII_K_COUNT)
		return;
	t = &mpii_htables[kind];
	if (i < MPII_FIRST_DYNAMIC || i >= t->cap || !t->obj[i])
		return;
	t->obj[i] = NULL;
	if (t->nfree == t->freecap) {
		uint32_t cap = t->freecap ? 2 * t->freecap : 64;
		uint32_t *p = realloc(t->freelist, cap * sizeof(*p));

		if (!p)
			return;	/* the slot is simply not recycled */
		t->freelist = p;
		t->freecap = cap;
	}
	t->freelist[t->nfree++] = i;
}
