/* SPDX-License-Identifier: MIT */
/*
 * win_exec.c: carrying out one-sided operations on target memory, for both ways of reaching
 * it: the origin on a shared-DRAM window (through tk_mpb_read/write, the modelled L1 and WCB)
 * and the owner serving a request on its private memory (plain loads and stores). Data
 * arrive and leave packed (the typemap's bytes in order). Atomicity is the caller's: the
 * test-and-set register of the target core for the first, one thread per core for the other.
 */
#include <stdlib.h>
#include "mpii_win.h"
#include "tk.h"

static void shm_mover(char *typed, char *stream, MPI_Count n, int pack)
{
	if (n <= 0)
		return;
	if (pack)
		tk_mpb_read(stream, (uintptr_t)typed, (size_t)n);
	else
		tk_mpb_write((uintptr_t)typed, stream, (size_t)n);
}

static MPI_Count move(const struct mpii_tmem *m, MPI_Count tcount, const struct mpii_dtype *tt,
		      void *packed, MPI_Count n, int pack)
{
	return mpii_walk(m->base, tcount, tt, packed, n, pack, m->shm ? shm_mover : mpii_copy_mover);
}

void mpii_win_put_exec(const struct mpii_tmem *m, MPI_Count tcount, const struct mpii_dtype *tt,
		       const void *packed, MPI_Count n)
{
	move(m, tcount, tt, (void *)packed, n, 0);
}

void mpii_win_get_exec(const struct mpii_tmem *m, MPI_Count tcount, const struct mpii_dtype *tt,
		       void *packed, MPI_Count n)
{
	move(m, tcount, tt, packed, n, 1);
}

int mpii_win_acc_exec(const struct mpii_tmem *m, MPI_Count tcount, const struct mpii_dtype *tt,
		      int opcode, int basic, const void *packed, void *old)
{
	const struct mpii_basic *b = &mpii_basics[basic];
	struct mpii_dtype *bt = mpii_dtype_get(MPII_H(MPII_K_DTYPE, basic));
	MPI_Count bytes = tcount * tt->size, n = bytes / b->size;
	char *cur = NULL, *tgt = NULL, *org = NULL;
	int rc = MPI_ERR_NO_MEM;

	if (bytes <= 0)
		return MPI_SUCCESS;
	if (opcode == (int)MPII_HINDEX(MPI_NO_OP) || opcode == (int)MPII_HINDEX(MPI_REPLACE)) {
		if (old)
			move(m, tcount, tt, old, bytes, 1);
		if (opcode == (int)MPII_HINDEX(MPI_REPLACE))
			move(m, tcount, tt, (void *)packed, bytes, 0);
		return MPI_SUCCESS;
	}
	cur = malloc((size_t)bytes);
	if (!cur)
		goto out;
	move(m, tcount, tt, cur, bytes, 1);
	if (old)
		memcpy(old, cur, (size_t)bytes);
	if (b->size == b->extent) {
		/* packed items are the kernel's items */
		rc = mpii_op_kernel(opcode, basic, packed, cur, n);
	} else {
		/* pair types: the kernel wants items at their extent, the stream has them dense */
		tgt = malloc((size_t)(n * b->extent));
		org = malloc((size_t)(n * b->extent));
		if (!tgt || !org)
			goto out;
		mpii_unpack(cur, bytes, tgt, n, bt);
		mpii_unpack(packed, bytes, org, n, bt);
		rc = mpii_op_kernel(opcode, basic, org, tgt, n);
		mpii_pack(tgt, n, bt, cur, bytes);
	}
	if (!rc)
		move(m, tcount, tt, cur, bytes, 0);
out:
	free(org);
	free(tgt);
	free(cur);
	return rc;
}

void mpii_win_cas_exec(const struct mpii_tmem *m, int basic, const void *val, const void *cmp,
		       void *old)
{
	struct mpii_dtype *bt = mpii_dtype_get(MPII_H(MPII_K_DTYPE, basic));

	move(m, 1, bt, old, bt->size, 1);
	if (!memcmp(old, cmp, (size_t)bt->size))
		move(m, 1, bt, (void *)val, bt->size, 0);
}
