// SPDX-License-Identifier: MIT
/*
 * ircce_list.c: iRCCE's wait lists (test or wait for all or any of a set of send and
 * receive requests), and the iRCCE names of RCCE calls (put, get, memcpy, flags,
 * collectives). A wait list's elements are allocated here and freed when their request
 * is taken off the list (test_any/wait_any) or the list completes (test_all/wait_all).
 */
#include <string.h>
#include "rcce_impl.h"
#include "iRCCE.h"

void iRCCE_init_wait_list(iRCCE_WAIT_LIST *l)
{
	if (l)
		l->first = l->last = NULL;
}

void iRCCE_add_to_wait_list(iRCCE_WAIT_LIST *l, iRCCE_SEND_REQUEST *s, iRCCE_RECV_REQUEST *r)
{
	for (int k = 0; k < 2 && l; k++) {
		void *req = k == 0 ? (void *)s : (void *)r;
		iRCCE_WAIT_LISTELEM *e;

		if (!req || !(e = malloc(sizeof(*e))))
			continue;
		e->type = k == 0 ? iRCCE_WAIT_LIST_SEND_TYPE : iRCCE_WAIT_LIST_RECV_TYPE;
		e->req = req;
		e->next = NULL;
		if (l->last)
			l->last->next = e;
		else
			l->first = e;
		l->last = e;
	}
}

static int elem_done(const iRCCE_WAIT_LISTELEM *e)
{
	return e->type == iRCCE_WAIT_LIST_SEND_TYPE ? ((iRCCE_SEND_REQUEST *)e->req)->finished :
						      ((iRCCE_RECV_REQUEST *)e->req)->finished;
}

static void progress(void)
{
	iRCCE_isend_push();
	iRCCE_irecv_push();
}

static void clear(iRCCE_WAIT_LIST *l)
{
	while (l->first) {
		iRCCE_WAIT_LISTELEM *e = l->first;

		l->first = e->next;
		free(e);
	}
	l->last = NULL;
}

static int all_done(void *p)
{
	iRCCE_WAIT_LIST *l = p;

	progress();
	for (iRCCE_WAIT_LISTELEM *e = l->first; e; e = e->next)
		if (!elem_done(e))
			return 0;
	return 1;
}

int iRCCE_test_all(iRCCE_WAIT_LIST *l, int *test)
{
	int done;

	if (!l)
		return iRCCE_ERROR;
	done = all_done(l);
	if (done)
		clear(l);
	if (test)
		*test = done;
	return done ? iRCCE_SUCCESS : iRCCE_PENDING;
}

int iRCCE_wait_all(iRCCE_WAIT_LIST *l)
{
	if (!l)
		return iRCCE_ERROR;
	rcce_wait(all_done, l, TESSERA_WAIT_RECV, -1);
	clear(l);
	return iRCCE_SUCCESS;
}

/* Take the first finished request off the list: 1 and *s or *r set, or 0. */
static int take_any(iRCCE_WAIT_LIST *l, iRCCE_SEND_REQUEST **s, iRCCE_RECV_REQUEST **r)
{
	iRCCE_WAIT_LISTELEM *prev = NULL;

	progress();
	for (iRCCE_WAIT_LISTELEM *e = l->first; e; prev = e, e = e->next) {
		if (!elem_done(e))
			continue;
		if (s)
			*s = e->type == iRCCE_WAIT_LIST_SEND_TYPE ? e->req : NULL;
		if (r)
			*r = e->type == iRCCE_WAIT_LIST_RECV_TYPE ? e->req : NULL;
		if (prev)
			prev->next = e->next;
		else
			l->first = e->next;
		if (l->last == e)
			l->last = prev;
		free(e);
		return 1;
	}
	return 0;
}

int iRCCE_test_any(iRCCE_WAIT_LIST *l, iRCCE_SEND_REQUEST **s, iRCCE_RECV_REQUEST **r)
{
	if (s)
		*s = NULL;
	if (r)
		*r = NULL;
	if (!l || !l->first)
		return iRCCE_ERROR;
	return take_any(l, s, r) ? iRCCE_SUCCESS : iRCCE_PENDING;
}

struct any {
	iRCCE_WAIT_LIST *l;
	iRCCE_SEND_REQUEST **s;
	iRCCE_RECV_REQUEST **r;
};

static int any_done(void *p)
{
	struct any *a = p;

	return take_any(a->l, a->s, a->r);
}

int iRCCE_wait_any(iRCCE_WAIT_LIST *l, iRCCE_SEND_REQUEST **s, iRCCE_RECV_REQUEST **r)
{
	struct any a = { l, s, r };

	if (s)
		*s = NULL;
	if (r)
		*r = NULL;
	if (!l || !l->first)
		return iRCCE_ERROR;
	rcce_wait(any_done, &a, TESSERA_WAIT_RECV, -1);
	return iRCCE_SUCCESS;
}

/* ---- RCCE calls under iRCCE's names ---- */

int iRCCE_put(t_vcharp target, t_vcharp source, int n, int ue)
{
	return RCCE_put(target, source, n, ue);
}

int iRCCE_get(t_vcharp target, t_vcharp source, int n, int ue)
{
	return RCCE_get(target, source, n, ue);
}

/* Copies where one side may be an MPB (a core address in the MPB window): through the
 * coherence model then, a plain memcpy otherwise. */
static int is_mpb(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	return a >= TESSERA_ADDR_MPB && a < TESSERA_ADDR_MPB + TESSERA_MPB_WINDOW_BYTES;
}

void *iRCCE_memcpy_put(void *dst, const void *src, size_t n)
{
	if (is_mpb(dst) && is_mpb(src)) {
		unsigned char tmp[256];

		for (size_t off = 0; off < n; off += sizeof(tmp)) {
			size_t k = n - off < sizeof(tmp) ? n - off : sizeof(tmp);

			rcce_copy_from_mpb(tmp, (uintptr_t)src + off, k);
			rcce_copy_to_mpb((uintptr_t)dst + off, tmp, k);
		}
	} else if (is_mpb(dst))
		rcce_copy_to_mpb((uintptr_t)dst, src, n);
	else if (is_mpb(src))
		rcce_copy_from_mpb(dst, (uintptr_t)src, n);
	else
		memcpy(dst, src, n);
	return dst;
}

void *iRCCE_memcpy_get(void *dst, const void *src, size_t n)
{
	return iRCCE_memcpy_put(dst, src, n);
}

t_vcharp iRCCE_malloc(size_t n)
{
	return RCCE_malloc(n);
}

int iRCCE_flag_alloc(RCCE_FLAG *f)
{
	return RCCE_flag_alloc(f);
}

int iRCCE_flag_write(RCCE_FLAG *f, RCCE_FLAG_STATUS v, int ue)
{
	return RCCE_flag_write(f, v, ue);
}

int iRCCE_flag_read(RCCE_FLAG f, RCCE_FLAG_STATUS *v, int ue)
{
	return RCCE_flag_read(f, v, ue);
}

int iRCCE_wait_until(RCCE_FLAG f, RCCE_FLAG_STATUS v)
{
	return RCCE_wait_until(f, v);
}

int iRCCE_barrier(RCCE_COMM *comm)
{
	return RCCE_barrier(comm);
}

int iRCCE_bcast(char *buf, size_t size, int root, RCCE_COMM comm)
{
	return RCCE_bcast(buf, size, root, comm);
}
