/* SPDX-License-Identifier: MIT */
/*
 * file_io.c: moving an access's bytes between a rank and its file: the view's pieces in
 * batches of one vectored host call each (TESSERA_HC_PREADV/_PWRITEV). A small batch travels
 * in the host-call mailbox with its piece list; a large one through a staging buffer in
 * shared DRAM that the host reads or fills itself (the host writes shared DRAM as another
 * agent would: the core invalidates before it reads what the host put there).
 */
#include <stdlib.h>
#include "mpii_file.h"

int64_t mpii_file_pio(struct mpii_file *f, const struct mpii_pio *b, char *stream,
		      uintptr_t shm, int write)
{
	static char msg[TESSERA_HOSTCALL_DATA];	/* one core, one call at a time */
	size_t list = (size_t)b->n * sizeof(b->p[0]), in = list;
	int64_t arg[6] = { f->fd, b->n, b->bytes, shm ? (int64_t)(shm - TESSERA_ADDR_SHARED) : -1 };
	int mbox_read = !write && !shm;

	memcpy(msg, b->p, list);
	if (write && !shm) {
		memcpy(msg + list, stream, (size_t)b->bytes);
		in += (size_t)b->bytes;
	}
	return tk_hostcall(write ? TESSERA_HC_PWRITEV : TESSERA_HC_PREADV, arg, msg, in,
			   mbox_read ? stream : NULL, mbox_read ? (size_t)b->bytes : 0);
}

/* Bytes a mailbox batch of n pieces may carry. */
static int64_t mbox_room(int n)
{
	return (int64_t)TESSERA_HOSTCALL_DATA - (int64_t)n * (int64_t)sizeof(struct tessera_hc_piece);
}

/* Carries out batch b (its bytes at stream) through stage (0: the mailbox). */
static int64_t batch_run(struct mpii_file *f, struct mpii_pio *b, char *stream, uintptr_t stage,
			 int write)
{
	int64_t r;

	if (write && stage) {
		tk_mpb_write(stage, stream, (size_t)b->bytes);
		tk_wcb_flush();	/* in memory before the host reads it */
	}
	r = mpii_file_pio(f, b, stream, stage, write);
	if (!write && stage && r > 0) {
		tk_cl1invmb();	/* the host wrote it: our cached lines of the stage are old */
		tk_mpb_read(stream, stage, (size_t)r);
	}
	return r;
}

int64_t mpii_file_move(struct mpii_file *f, int64_t pos, char *stream, int64_t n, int write)
{
	struct mpii_pio *b = malloc(sizeof(*b));
	struct mpii_view_iter it;
	uintptr_t stage = 0;
	int64_t done = 0, cap, off = 0, len = 0, r = 0;
	size_t stage_bytes = 0;

	if (!b)
		return -MPI_ERR_NO_MEM;
	if (n <= 0) {
		free(b);
		return 0;
	}
	/* more than a mailbox holds: stage in shared DRAM if there is room there */
	if (n > mbox_room(1)) {
		stage_bytes = n < MPII_IO_STAGE ? (size_t)n : MPII_IO_STAGE;
		if (mpii_shm_alloc(stage_bytes, &stage))
			stage = 0;
	}
	mpii_view_iter(&it, f, pos, n);
	b->n = 0;
	b->bytes = 0;
	for (;;) {
		int64_t take;

		/* the rest of the current piece, or the next one */
		if (!len && !mpii_view_next(&it, &off, &len))
			break;
		cap = stage ? (int64_t)stage_bytes : mbox_room(b->n + 1);
		if (b->n == (int)TESSERA_HC_MAX_PIECES || b->bytes >= cap) {
			r = batch_run(f, b, stream + done, stage, write);
			if (r < 0)
				break;
			done += r;
			if (r < b->bytes) {	/* a short read: the end of the file */
				b->n = 0;
				break;
			}
			b->n = 0;
			b->bytes = 0;
			continue;
		}
		take = len < cap - b->bytes ? len : cap - b->bytes;
		b->p[b->n].off = off;
		b->p[b->n].len = take;
		b->n++;
		b->bytes += take;
		off += take;
		len -= take;
	}
	if (r >= 0 && b->n && (r = batch_run(f, b, stream + done, stage, write)) > 0)
		done += r;
	if (stage)
		mpii_shm_free(stage);
	free(b);
	return r < 0 ? -mpii_file_err(r) : done;
}

int64_t mpii_file_xfer(struct mpii_file *f, int64_t pos, char *stream, int64_t n, int write)
{
	int64_t r;

	if (f->atomic)
		mpii_file_lock(f, write);
	r = mpii_file_move(f, pos, stream, n, write);
	if (f->atomic)
		mpii_file_unlock(f, write);
	return r;
}
