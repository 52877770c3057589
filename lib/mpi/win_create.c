/* SPDX-License-Identifier: MIT */
/*
 * win_create.c: making and freeing windows (MPI_Win_create, _allocate, _allocate_shared,
 * _create_dynamic, _free), the memory of dynamic windows (attach, detach), and the queries
 * of a window's memory and group (MPI_Win_shared_query, MPI_Win_get_group).
 *
 * Creation is collective over the user's communicator: a duplicate of it becomes the
 * window's own (its messages never meet the user's), every rank learns every rank's base,
 * size, displacement unit and whether that memory is in shared DRAM, and rank 0 allocates
 * the control block (one lock record per rank, and for dynamic windows the table of attached
 * regions, and the flags of active target synchronisation: win_flag.c) in shared DRAM and
 * tells the others where it is.
 */
#include <stdlib.h>
#include "mpii_win.h"
#include "tk.h"

struct mpii_win *mpii_win_get(MPI_Win h)
{
	return mpii_handle_get(MPII_K_WIN, h);
}

uint32_t mpii_win_core(struct mpii_win *w, int r)
{
	return tk_rank_core((uint32_t)w->comm->local->wr[r]);
}

static void win_destroy(struct mpii_win *w)
{
	if (!w)
		return;
	mpii_comm_unref(w->comm);
	mpii_errh_unref(w->errh);
	mpii_info_destroy(w->info);
	if (w->handle)
		mpii_handle_free(w->handle);
	free(w->peer);
	free(w->locked);
	free(w->dirty);
	free(w->done_seen);
	free(w->post_sent);
	free(w->post_used);
	free(w->done_sent);
	free(w->done_used);
	free(w->post_rank);
	free(w->start_rank);
	free(w->pend);
	free(w);
}

/* A window of flavor over a duplicate of c (collective over c). */
static int win_new(struct mpii_comm *c, int flavor, struct mpii_win **out)
{
	struct mpii_win *w = calloc(1, sizeof(*w));
	int rc, n = c->size;

	if (!w)
		return MPI_ERR_NO_MEM;
	rc = mpii_comm_dup_plain(c, &w->comm);
	if (rc) {
		free(w);
		return rc;
	}
	w->flavor = flavor;
	w->rank = c->rank;
	w->size = n;
	w->next_tag = 1;
	w->errh = mpii_errh_ref(mpii_handle_get(MPII_K_ERRH, MPI_ERRORS_ARE_FATAL));
	w->peer = calloc((size_t)n, sizeof(*w->peer));
	w->locked = calloc((size_t)n, sizeof(int));
	w->dirty = calloc((size_t)n, 1);
	w->done_seen = calloc((size_t)n, sizeof(int));
	w->post_rank = calloc((size_t)n, sizeof(int));
	w->start_rank = calloc((size_t)n, sizeof(int));
	w->post_sent = calloc((size_t)n, sizeof(uint32_t));
	w->post_used = calloc((size_t)n, sizeof(uint32_t));
	w->done_sent = calloc((size_t)n, sizeof(uint32_t));
	w->done_used = calloc((size_t)n, sizeof(uint32_t));
	if (!w->peer || !w->locked || !w->dirty || !w->done_seen || !w->post_rank ||
	    !w->start_rank || !w->post_sent || !w->post_used || !w->done_sent || !w->done_used)
		mpii_fatal(MPI_ERR_NO_MEM, "MPI_ERR_NO_MEM: out of memory making a window");
	*out = w;
	return MPI_SUCCESS;
}

static size_t round_line(size_t n)
{
	return (n + 2 * TESSERA_LINE_BYTES - 1) & ~(size_t)(2 * TESSERA_LINE_BYTES - 1);
}

/*
 * The collective part of every creation: exchanges what each rank exposes, and rank 0 makes
 * the control block (and, for a shared window, the memory of all ranks: shared_total bytes,
 * rank r's part after those of ranks < r). `ok` is this rank's readiness; 0 or an error
 * class every rank agrees on.
 */
static int win_setup(struct mpii_win *w, int ok)
{
	int n = w->size, rc, all_ok = 1, shared_far = 0;
	int32_t mine[8], *all = malloc((size_t)n * sizeof(mine));
	uint64_t blk[2] = { 0, 0 }, total = 0;
	uint64_t base = (uint64_t)(uintptr_t)w->base;
	int64_t len = w->len;

	if (!all)
		mpii_fatal(MPI_ERR_NO_MEM, "MPI_ERR_NO_MEM: out of memory making a window");
	memcpy(&mine[0], &base, 8);
	memcpy(&mine[2], &len, 8);
	mine[4] = w->disp_unit;
	mine[5] = w->flavor == MPI_WIN_FLAVOR_SHARED || !w->len ||
		  mpii_shm_contains(w->base, (size_t)w->len);
	mine[6] = ok;
	mine[7] = 0;
	rc = mpii_allgather_int(w->comm, mine, 8, all);
	if (rc)
		goto out;
	for (int r = 0; r < n; r++) {
		const int32_t *v = all + 8 * r;

		int near = mpii_shm_domain(w->comm->local->wr[r]) ==
			   mpii_shm_domain(mpii_world_rank());

		memcpy(&w->peer[r].base, &v[0], 8);
		memcpy(&w->peer[r].size, &v[2], 8);
		w->peer[r].disp_unit = v[4];
		/* shared DRAM of another host's rank is its host's replica: ask the owner */
		w->peer[r].direct = v[5] && near;
		all_ok &= v[6];
		if (!near && w->flavor == MPI_WIN_FLAVOR_SHARED)
			shared_far = 1;
		total += (uint64_t)w->peer[r].size;
	}
	if (shared_far) {	/* a shared window needs one shared-memory domain (split_type) */
		rc = MPI_ERR_RMA_SHARED;
		goto out;
	}
	w->lock_bytes = mpii_shlock_bytes();
	w->flag_off = round_line(w->lock_bytes + (w->flavor == MPI_WIN_FLAVOR_DYNAMIC ?
				 TESSERA_LINE_BYTES + MPII_WIN_MAX_ATTACH * sizeof(struct mpii_win_region) : 0));
	w->ctl_bytes = round_line(w->flag_off + mpii_win_flag_bytes(n));
	if (w->rank == 0 && all_ok) {
		uintptr_t a;

		if (!mpii_shm_alloc(w->ctl_bytes * (size_t)n, &a)) {
			blk[0] = a;
			for (int r = 0; r < n; r++) {
				uintptr_t rec = a + (uintptr_t)r * w->ctl_bytes;

				mpii_shlock_init(rec);
				if (w->flavor == MPI_WIN_FLAVOR_DYNAMIC)
					tk_mpb_write32(rec + MPII_WIN_CTL_NREG_OFF(w), 0);
				for (size_t off = 0; off < mpii_win_flag_bytes(n); off += 4)
					tk_mpb_write32(rec + w->flag_off + off, 0);
			}
			tk_wcb_flush();
		}
		if (blk[0] && w->flavor == MPI_WIN_FLAVOR_SHARED && total) {
			if (total <= SIZE_MAX && !mpii_shm_alloc((size_t)total, &a)) {
				blk[1] = a;
			} else {
				mpii_shm_free((uintptr_t)blk[0]);
				blk[0] = 0;
			}
		}
	}
	rc = mpii_bcast_raw(w->comm, blk, sizeof(blk), 0);
	if (rc)
		goto out;
	if (!blk[0]) {
		rc = MPI_ERR_NO_MEM;
		goto out;
	}
	w->ctl = (uintptr_t)blk[0];
	if (w->flavor == MPI_WIN_FLAVOR_SHARED) {
		uint64_t off = 0;

		w->mem_shm = w->rank == 0 ? (uintptr_t)blk[1] : 0;
		for (int r = 0; r < n; r++) {
			w->peer[r].base = blk[1] ? blk[1] + off : 0;
			off += (uint64_t)w->peer[r].size;
		}
		w->base = (void *)(uintptr_t)w->peer[w->rank].base;
	}
out:
	free(all);
	return rc;
}

/* Gives w its handle and returns it to the user; on failure undoes everything. */
static int win_finish(struct mpii_win *w, int rc, MPI_Win *win)
{
	if (!rc) {
		w->handle = mpii_handle_new(MPII_K_WIN, w);
		if (!w->handle)
			rc = MPI_ERR_NO_MEM;
	}
	if (rc) {
		if (w->mem_shm)
			mpii_shm_free(w->mem_shm);
		if (w->mem_malloc)
			free(w->base);
		if (w->ctl && w->rank == 0)
			mpii_shm_free(w->ctl);
		win_destroy(w);
		return rc;
	}
	mpii_win_list_add(w);
	*win = w->handle;
	return MPI_SUCCESS;
}

/* Checks common to the creating calls; 0 or the class to raise on c (NULL: on the world). */
static int create_check(MPI_Comm comm, MPI_Aint size, int disp_unit, MPI_Info info, void *out,
			struct mpii_comm **c)
{
	int rc = mpii_coll_comm(comm, c, 1);

	if (rc)
		return rc;
	if (size < 0)
		return MPI_ERR_SIZE;
	if (disp_unit <= 0)
		return MPI_ERR_DISP;
	if (info != MPI_INFO_NULL && !mpii_handle_get(MPII_K_INFO, info))
		return MPI_ERR_INFO;
	if (!out)
		return MPI_ERR_ARG;
	return MPI_SUCCESS;
}

static int create(void *base, MPI_Aint size, int disp_unit, MPI_Info info, MPI_Comm comm,
		  int flavor, void *baseptr, MPI_Win *win, const char *fname)
{
	struct mpii_comm *c = NULL;
	struct mpii_win *w;
	int rc, ok = 1;
	uintptr_t a;

	MPII_ENTER(fname);
	rc = create_check(comm, size, disp_unit, info, win, &c);
	if (!rc && (flavor == MPI_WIN_FLAVOR_ALLOCATE || flavor == MPI_WIN_FLAVOR_SHARED) &&
	    !baseptr)
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, fname);
	rc = win_new(c, flavor, &w);
	if (rc)
		return mpii_raise(c, rc, fname);
	w->len = size;
	w->disp_unit = disp_unit;
	if (info != MPI_INFO_NULL)
		w->info = mpii_info_copy(mpii_handle_get(MPII_K_INFO, info));
	switch (flavor) {
	case MPI_WIN_FLAVOR_CREATE:
		w->base = base;
		break;
	case MPI_WIN_FLAVOR_ALLOCATE:
		/* in shared DRAM if it fits (other ranks then reach it themselves), else private */
		if (size && !mpii_shm_alloc_spare((size_t)size, &a)) {
			w->mem_shm = a;
			w->base = (void *)a;
		} else if (size) {
			w->base = malloc((size_t)size);
			w->mem_malloc = w->base != NULL;
			ok &= w->mem_malloc;
		}
		break;
	case MPI_WIN_FLAVOR_DYNAMIC:
		w->base = MPI_BOTTOM;
		w->len = 0;
		w->disp_unit = 1;
		break;
	}
	rc = win_setup(w, ok);
	rc = win_finish(w, rc, win);
	if (rc)
		return mpii_raise(c, rc, fname);
	if (baseptr) {
		void *p = w->base;

		memcpy(baseptr, &p, sizeof(p));
	}
	return MPI_SUCCESS;
}

int PMPI_Win_create(void *base, MPI_Aint size, int disp_unit, MPI_Info info, MPI_Comm comm,
		    MPI_Win *win)
{
	return create(base, size, disp_unit, info, comm, MPI_WIN_FLAVOR_CREATE, NULL, win,
		      "MPI_Win_create");
}
MPII_ALIAS(MPI_Win_create)

int PMPI_Win_allocate(MPI_Aint size, int disp_unit, MPI_Info info, MPI_Comm comm, void *baseptr,
		      MPI_Win *win)
{
	return create(NULL, size, disp_unit, info, comm, MPI_WIN_FLAVOR_ALLOCATE, baseptr, win,
		      "MPI_Win_allocate");
}
MPII_ALIAS(MPI_Win_allocate)

int PMPI_Win_allocate_shared(MPI_Aint size, int disp_unit, MPI_Info info, MPI_Comm comm,
			     void *baseptr, MPI_Win *win)
{
	return create(NULL, size, disp_unit, info, comm, MPI_WIN_FLAVOR_SHARED, baseptr, win,
		      "MPI_Win_allocate_shared");
}
MPII_ALIAS(MPI_Win_allocate_shared)

int PMPI_Win_create_dynamic(MPI_Info info, MPI_Comm comm, MPI_Win *win)
{
	return create(NULL, 0, 1, info, comm, MPI_WIN_FLAVOR_DYNAMIC, NULL, win,
		      "MPI_Win_create_dynamic");
}
MPII_ALIAS(MPI_Win_create_dynamic)

int PMPI_Win_free(MPI_Win *win)
{
	static const char fname[] = "MPI_Win_free";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!win || !(w = mpii_win_get(*win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if ((w->access != MPII_AC_NONE && w->access != MPII_AC_FENCE) || w->posted)
		return mpii_raise_win(w, MPI_ERR_RMA_SYNC, fname);
	rc = mpii_win_reap(w, -1);
	if (!rc)
		rc = mpii_attr_delete_all(MPII_AK_WIN, w->handle, &w->attrs);
	if (rc)
		return mpii_raise_win(w, rc, fname);
	/* After the barrier nobody sends to this window any more: what is left is served. A
	 * request held back (its data still coming in, or the replies in flight at their
	 * limit until origins take them in) waits for the channel, halted: a message or room
	 * freed wakes it (mpii_idle, which writes the acks this core owes first). */
	rc = mpii_barrier(w->comm);
	while (mpii_win_serve(w) || w->in_head) {
		mpii_progress();
		if (w->in_head && !mpii_win_serve(w))
			mpii_idle();
	}
	mpii_win_list_remove(w);
	if (w->rank == 0)
		mpii_shm_free(w->ctl);
	if (w->mem_shm)
		mpii_shm_free(w->mem_shm);
	if (w->mem_malloc)
		free(w->base);
	win_destroy(w);
	*win = MPI_WIN_NULL;
	return rc ? mpii_raise(NULL, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_free)

int PMPI_Win_shared_query(MPI_Win win, int rank, MPI_Aint *size, int *disp_unit, void *baseptr)
{
	static const char fname[] = "MPI_Win_shared_query";
	struct mpii_win *w;
	void *p;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (w->flavor != MPI_WIN_FLAVOR_SHARED)
		return mpii_raise_win(w, MPI_ERR_RMA_FLAVOR, fname);
	if (rank != MPI_PROC_NULL && (rank < 0 || rank >= w->size))
		return mpii_raise_win(w, MPI_ERR_RANK, fname);
	if (!size || !disp_unit || !baseptr)
		return mpii_raise_win(w, MPI_ERR_ARG, fname);
	if (rank == MPI_PROC_NULL) {
		/* the lowest rank with memory (MPI-3.1 11.2.3) */
		for (rank = 0; rank < w->size - 1 && !w->peer[rank].size; rank++)
			;
	}
	*size = (MPI_Aint)w->peer[rank].size;
	*disp_unit = w->peer[rank].disp_unit;
	p = (void *)(uintptr_t)w->peer[rank].base;
	memcpy(baseptr, &p, sizeof(p));
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_shared_query)

/* Publishes this rank's regions in the control block, where origins look them up. */
static void regions_publish(struct mpii_win *w)
{
	uintptr_t ctl = mpii_win_ctl(w, w->rank);
	uint32_t core = mpii_win_core(w, w->rank);

	mpii_tas_lock(core);
	tk_mpb_write(ctl + MPII_WIN_CTL_REG_OFF(w), w->reg, (size_t)w->nreg * sizeof(w->reg[0]));
	tk_mpb_write32(ctl + MPII_WIN_CTL_NREG_OFF(w), (uint32_t)w->nreg);
	mpii_tas_unlock(core);
}

int PMPI_Win_attach(MPI_Win win, void *base, MPI_Aint size)
{
	static const char fname[] = "MPI_Win_attach";
	struct mpii_win *w;
	uint64_t a = (uint64_t)(uintptr_t)base;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (w->flavor != MPI_WIN_FLAVOR_DYNAMIC)
		return mpii_raise_win(w, MPI_ERR_RMA_FLAVOR, fname);
	if (size < 0)
		return mpii_raise_win(w, MPI_ERR_SIZE, fname);
	if (!size)
		return MPI_SUCCESS;
	if (!base)
		return mpii_raise_win(w, MPI_ERR_BASE, fname);
	/* regions may not overlap one another (MPI-3.1 11.2.4); the table is finite */
	for (int i = 0; i < w->nreg; i++)
		if (a < w->reg[i].base + w->reg[i].size && w->reg[i].base < a + (uint64_t)size)
			return mpii_raise_win(w, MPI_ERR_RMA_ATTACH, fname);
	if (w->nreg == MPII_WIN_MAX_ATTACH)
		return mpii_raise_win(w, MPI_ERR_RMA_ATTACH, fname);
	w->reg[w->nreg].base = a;
	w->reg[w->nreg].size = (uint64_t)size;
	w->nreg++;
	regions_publish(w);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_attach)

int PMPI_Win_detach(MPI_Win win, const void *base)
{
	static const char fname[] = "MPI_Win_detach";
	struct mpii_win *w;
	int i;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (w->flavor != MPI_WIN_FLAVOR_DYNAMIC)
		return mpii_raise_win(w, MPI_ERR_RMA_FLAVOR, fname);
	for (i = 0; i < w->nreg && w->reg[i].base != (uint64_t)(uintptr_t)base; i++)
		;
	if (i == w->nreg)
		return mpii_raise_win(w, MPI_ERR_RMA_ATTACH, fname);
	w->reg[i] = w->reg[--w->nreg];
	regions_publish(w);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_detach)

int PMPI_Win_get_group(MPI_Win win, MPI_Group *group)
{
	static const char fname[] = "MPI_Win_get_group";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (!group)
		return mpii_raise_win(w, MPI_ERR_ARG, fname);
	rc = mpii_group_publish(w->comm->local, group);
	return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_get_group)
