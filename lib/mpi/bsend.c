/* SPDX-License-Identifier: MIT */
/*
 * bsend.c: buffered sends. MPI_Buffer_attach gives the library a region; each buffered send
 * packs its data into a free stretch of it (charging MPI_BSEND_OVERHEAD), returns at once and
 * sends from there; the stretch is freed when that send completes.
 */
#include <stdlib.h>
#include "mpii_impl.h"
#include "tk.h"

struct mpii_bblock {
	struct mpii_bblock *next;	/* in address order */
	size_t off, len;		/* len includes MPI_BSEND_OVERHEAD */
};

static char *bbuf;
static size_t bsize;
static int attached;
static struct mpii_bblock *blocks;

/* First fit; returns the new block or NULL when no stretch is long enough. */
static struct mpii_bblock *alloc_block(size_t len)
{
	struct mpii_bblock **pp = &blocks, *b;
	size_t at = 0;

	for (;;) {
		size_t end = *pp ? (*pp)->off : bsize;

		if (end >= at && end - at >= len)
			break;
		if (!*pp)
			return NULL;
		at = (*pp)->off + (*pp)->len;
		pp = &(*pp)->next;
	}
	b = malloc(sizeof(*b));
	if (!b)
		return NULL;
	b->off = at;
	b->len = len;
	b->next = *pp;
	*pp = b;
	return b;
}

void mpii_bsend_done(struct mpii_req *r)
{
	struct mpii_bblock **pp;

	for (pp = &blocks; *pp; pp = &(*pp)->next)
		if (*pp == r->bblk) {
			*pp = r->bblk->next;
			free(r->bblk);
			break;
		}
	r->bblk = NULL;
}

int mpii_bsend(const void *buf, MPI_Count count, struct mpii_dtype *t, int dest, int tag,
	       struct mpii_comm *c, struct mpii_req **out)
{
	size_t n = (size_t)(count * t->size);
	struct mpii_bblock *b = NULL;
	struct mpii_req *r, *done;
	int rc;

	if (attached) {
		b = alloc_block(n + MPI_BSEND_OVERHEAD);
		if (!b) {
			/* sends that finished since free their stretches */
			mpii_progress();
			b = alloc_block(n + MPI_BSEND_OVERHEAD);
		}
	}
	if (!b)
		return MPI_ERR_BUFFER;
	mpii_pack(buf, count, t, bbuf + b->off, (MPI_Count)n);
	done = mpii_req_new(MPII_R_NONE);
	if (!done) {
		rc = MPI_ERR_NO_MEM;
		goto fail;
	}
	rc = mpii_isend(bbuf + b->off, (MPI_Count)n, mpii_byte_type(), dest, tag, c, 0,
			MPII_SEND_STD, &r);
	if (rc) {
		mpii_req_destroy(done);
		goto fail;
	}
	r->bblk = b;
	if (r->done)
		mpii_bsend_done(r);
	mpii_req_release(r);
	done->done = 1;
	*out = done;
	return MPI_SUCCESS;
fail: {
		struct mpii_req tmp = { 0 };

		tmp.bblk = b;
		mpii_bsend_done(&tmp);
	}
	return rc;
}

int PMPI_Buffer_attach(void *buffer, int size)
{
	MPII_ENTER("MPI_Buffer_attach");
	if (attached)
		return mpii_raise(NULL, MPI_ERR_BUFFER, "MPI_Buffer_attach");
	if (size < 0 || (!buffer && size > 0))
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Buffer_attach");
	bbuf = buffer;
	bsize = (size_t)size;
	attached = 1;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Buffer_attach)

int PMPI_Buffer_detach(void *buffer_addr, int *size)
{
	void *p;

	MPII_ENTER("MPI_Buffer_detach");
	if (!buffer_addr || !size)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Buffer_detach");
	if (!attached) {
		p = NULL;
		memcpy(buffer_addr, &p, sizeof(p));
		*size = 0;
		return MPI_SUCCESS;
	}
	/* Blocks until every buffered message has left (MPI-3.1 3.6.1). */
	mpii_progress();
	if (blocks) {
		tk_wait_set(TESSERA_WAIT_SEND, -1, 0, 0);
		while (blocks) {
			mpii_idle();
			mpii_progress();
		}
		tk_wait_set(TESSERA_WAIT_NONE, -1, 0, 0);
	}
	p = bbuf;
	memcpy(buffer_addr, &p, sizeof(p));
	*size = (int)bsize;
	bbuf = NULL;
	bsize = 0;
	attached = 0;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Buffer_detach)
