/* SPDX-License-Identifier: MIT */
/*
 * win_sync.c: the synchronisation calls of one-sided communication: fence, post-start-
 * complete-wait, and passive target (lock, lock_all, unlock, unlock_all, flush, flush_local,
 * their _all forms, sync), with the epoch rules that make a misplaced call MPI_ERR_RMA_SYNC.
 *
 * On a chip without coherence every epoch boundary is a pair of cache operations: the WCB
 * is drained before the other side may look (our direct writes reach shared DRAM), and the
 * MPB-typed lines are invalidated after it may have written (our next direct reads go to
 * memory). Operations that went to an owner as requests are completed by a FLUSH round trip
 * (passive target, fence) or ordered before a DONE message (post-start-complete-wait); the
 * fence barrier and the other notices are flags in shared DRAM (win_flag.c).
 */
#include "mpii_win.h"
#include "tk.h"

#define LOCK_NOCHECK 0x10000	/* w->locked: the lock was asserted, not taken */

int mpii_win_access_ok(struct mpii_win *w, int target, int request_based)
{
	switch (w->access) {
	case MPII_AC_FENCE:
		return request_based ? MPI_ERR_RMA_SYNC : MPI_SUCCESS;
	case MPII_AC_START:
		if (request_based)
			return MPI_ERR_RMA_SYNC;
		if (target == MPI_PROC_NULL)
			return MPI_SUCCESS;
		for (int i = 0; i < w->nstart; i++)
			if (w->start_rank[i] == target)
				return MPI_SUCCESS;
		return MPI_ERR_RMA_SYNC;
	case MPII_AC_LOCK:
		return target == MPI_PROC_NULL || w->locked[target] ? MPI_SUCCESS : MPI_ERR_RMA_SYNC;
	case MPII_AC_LOCK_ALL:
		return MPI_SUCCESS;
	default:
		return MPI_ERR_RMA_SYNC;
	}
}

/* A new access epoch may start: none open, or a fence epoch nothing has used yet. */
static int may_open(struct mpii_win *w)
{
	return w->access == MPII_AC_NONE || (w->access == MPII_AC_FENCE && !w->fence_ops);
}

/* ---- Fence ---- */

int PMPI_Win_fence(int assert, MPI_Win win)
{
	static const char fname[] = "MPI_Win_fence";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (assert & ~(MPI_MODE_NOSTORE | MPI_MODE_NOPUT | MPI_MODE_NOPRECEDE | MPI_MODE_NOSUCCEED))
		return mpii_raise_win(w, MPI_ERR_ASSERT, fname);
	if ((w->access != MPII_AC_NONE && w->access != MPII_AC_FENCE) || w->posted)
		return mpii_raise_win(w, MPI_ERR_RMA_SYNC, fname);
	rc = mpii_win_complete_am(w, -1);
	/* our direct writes reach memory before anyone leaves the barrier */
	tk_wcb_flush();
	mpii_win_barrier(w);
	/* and what the others wrote before it is read from memory after it */
	tk_cl1invmb();
	w->access = assert & MPI_MODE_NOSUCCEED ? MPII_AC_NONE : MPII_AC_FENCE;
	w->fence_ops = 0;
	return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_fence)

/* ---- Post, start, complete, wait ---- */

/* The ranks of w of the members of group (into out); 0 or MPI_ERR_GROUP. */
static int group_ranks(struct mpii_win *w, MPI_Group group, int *out, int *n)
{
	struct mpii_group *g = mpii_handle_get(MPII_K_GROUP, group);

	if (!g)
		return MPI_ERR_GROUP;
	for (int i = 0; i < g->size; i++) {
		out[i] = mpii_group_rank_of(w->comm->local, g->wr[i]);
		if (out[i] == MPI_UNDEFINED)
			return MPI_ERR_GROUP;
	}
	*n = g->size;
	return MPI_SUCCESS;
}

int PMPI_Win_post(MPI_Group group, int assert, MPI_Win win)
{
	static const char fname[] = "MPI_Win_post";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (assert & ~(MPI_MODE_NOCHECK | MPI_MODE_NOSTORE | MPI_MODE_NOPUT))
		return mpii_raise_win(w, MPI_ERR_ASSERT, fname);
	if (w->posted)
		return mpii_raise_win(w, MPI_ERR_RMA_SYNC, fname);
	rc = group_ranks(w, group, w->post_rank, &w->npost);
	if (rc)
		return mpii_raise_win(w, rc, fname);
	/* the window's memory is ready for the origins before they hear of it */
	tk_wcb_flush();
	for (int i = 0; !(assert & MPI_MODE_NOCHECK) && i < w->npost; i++)
		mpii_win_post_to(w, w->post_rank[i]);
	w->posted = 1;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_post)

/* The first rank of the access group that has not posted yet, or -1. */
static int not_posted(struct mpii_win *w, void *arg)
{
	(void)arg;
	for (int i = 0; i < w->nstart; i++)
		if (!mpii_win_posted(w, w->start_rank[i]))
			return w->start_rank[i];
	return -1;
}

int PMPI_Win_start(MPI_Group group, int assert, MPI_Win win)
{
	static const char fname[] = "MPI_Win_start";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (assert & ~MPI_MODE_NOCHECK)
		return mpii_raise_win(w, MPI_ERR_ASSERT, fname);
	if (!may_open(w))
		return mpii_raise_win(w, MPI_ERR_RMA_SYNC, fname);
	rc = group_ranks(w, group, w->start_rank, &w->nstart);
	if (rc) {
		w->nstart = 0;
		return mpii_raise_win(w, rc, fname);
	}
	/* MPI-3.1 11.5.2 lets start wait for the matching posts: it does */
	if (!(assert & MPI_MODE_NOCHECK)) {
		mpii_win_await(w, not_posted, NULL);
		for (int i = 0; i < w->nstart; i++)
			w->post_used[w->start_rank[i]]++;
	}
	tk_cl1invmb();
	w->access = MPII_AC_START;
	w->fence_ops = 0;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_start)

int PMPI_Win_complete(MPI_Win win)
{
	static const char fname[] = "MPI_Win_complete";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (w->access != MPII_AC_START)
		return mpii_raise_win(w, MPI_ERR_RMA_SYNC, fname);
	rc = mpii_win_reap(w, -1);
	/* direct writes in memory, then the notice: a flag, or a message behind the requests
	 * this rank sent the target (the owner serves them first) */
	tk_wcb_flush();
	for (int i = 0; i < w->nstart; i++) {
		int t = w->start_rank[i], rc2 = MPI_SUCCESS;
		struct mpii_win_msg m = { .op = MPII_WM_DONE };

		if (w->dirty[t])
			rc2 = mpii_win_send(w, t, &m, NULL, NULL, 0, NULL, NULL, 0);
		else
			mpii_win_done_to(w, t);
		w->dirty[t] = 0;
		if (rc2 && !rc)
			rc = rc2;
	}
	w->access = MPII_AC_NONE;
	w->nstart = 0;
	return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_complete)

/* The first rank of the exposure group that has not completed yet, or -1. */
static int not_done(struct mpii_win *w, void *arg)
{
	(void)arg;
	for (int i = 0; i < w->npost; i++)
		if (!mpii_win_done_from(w, w->post_rank[i]))
			return w->post_rank[i];
	return -1;
}

static void end_exposure(struct mpii_win *w)
{
	for (int i = 0; i < w->npost; i++)
		mpii_win_done_take(w, w->post_rank[i]);
	tk_cl1invmb();
	w->posted = 0;
	w->npost = 0;
}

int PMPI_Win_wait(MPI_Win win)
{
	static const char fname[] = "MPI_Win_wait";
	struct mpii_win *w;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (!w->posted)
		return mpii_raise_win(w, MPI_ERR_RMA_SYNC, fname);
	mpii_win_await(w, not_done, NULL);
	end_exposure(w);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_wait)

int PMPI_Win_test(MPI_Win win, int *flag)
{
	static const char fname[] = "MPI_Win_test";
	struct mpii_win *w;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (!flag)
		return mpii_raise_win(w, MPI_ERR_ARG, fname);
	if (!w->posted)
		return mpii_raise_win(w, MPI_ERR_RMA_SYNC, fname);
	mpii_progress();
	tk_cl1invmb();
	*flag = not_done(w, NULL) < 0;
	if (*flag)
		end_exposure(w);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_test)

/* ---- Passive target ---- */

static int check_lock_args(struct mpii_win *w, int rank, int assert)
{
	if (rank < 0 || rank >= w->size)
		return MPI_ERR_RANK;
	if (assert & ~MPI_MODE_NOCHECK)
		return MPI_ERR_ASSERT;
	return MPI_SUCCESS;
}

static void lock_take(struct mpii_win *w, int r, int type, int assert)
{
	struct mpii_lockwait lw = { TESSERA_WAIT_RMA_LOCK, w->comm->local->wr[r], w->comm->ctx };

	if (!(assert & MPI_MODE_NOCHECK))
		mpii_shlock_acquire(mpii_win_ctl(w, r), mpii_win_core(w, r),
				    type == MPI_LOCK_EXCLUSIVE, &lw);
	w->locked[r] = type | (assert & MPI_MODE_NOCHECK ? LOCK_NOCHECK : 0);
}

static void lock_give(struct mpii_win *w, int r)
{
	if (!(w->locked[r] & LOCK_NOCHECK))
		mpii_shlock_release(mpii_win_ctl(w, r), mpii_win_core(w, r),
				    (w->locked[r] & ~LOCK_NOCHECK) == MPI_LOCK_EXCLUSIVE);
	w->locked[r] = 0;
}

int PMPI_Win_lock(int lock_type, int rank, int assert, MPI_Win win)
{
	static const char fname[] = "MPI_Win_lock";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (lock_type != MPI_LOCK_SHARED && lock_type != MPI_LOCK_EXCLUSIVE)
		return mpii_raise_win(w, MPI_ERR_LOCKTYPE, fname);
	if (rank == MPI_PROC_NULL)	/* a valid target: its epoch has nothing in it */
		return assert & ~MPI_MODE_NOCHECK ? mpii_raise_win(w, MPI_ERR_ASSERT, fname) :
						   MPI_SUCCESS;
	rc = check_lock_args(w, rank, assert);
	if (!rc && !may_open(w) && !(w->access == MPII_AC_LOCK && !w->locked[rank]))
		rc = MPI_ERR_RMA_SYNC;
	if (rc)
		return mpii_raise_win(w, rc, fname);
	lock_take(w, rank, lock_type, assert);
	tk_cl1invmb();
	w->nlocked++;
	w->access = MPII_AC_LOCK;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_lock)

int PMPI_Win_lock_all(int assert, MPI_Win win)
{
	static const char fname[] = "MPI_Win_lock_all";
	struct mpii_win *w;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (assert & ~MPI_MODE_NOCHECK)
		return mpii_raise_win(w, MPI_ERR_ASSERT, fname);
	if (!may_open(w))
		return mpii_raise_win(w, MPI_ERR_RMA_SYNC, fname);
	for (int r = 0; r < w->size; r++)
		lock_take(w, r, MPI_LOCK_SHARED, assert);
	tk_cl1invmb();
	w->access = MPII_AC_LOCK_ALL;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_lock_all)

int PMPI_Win_unlock(int rank, MPI_Win win)
{
	static const char fname[] = "MPI_Win_unlock";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (rank == MPI_PROC_NULL)
		return MPI_SUCCESS;
	rc = check_lock_args(w, rank, 0);
	if (!rc && (w->access != MPII_AC_LOCK || !w->locked[rank]))
		rc = MPI_ERR_RMA_SYNC;
	if (rc)
		return mpii_raise_win(w, rc, fname);
	/* everything done at the target before another may have the lock */
	rc = mpii_win_complete_am(w, rank);
	tk_wcb_flush();
	lock_give(w, rank);
	if (--w->nlocked == 0)
		w->access = MPII_AC_NONE;
	return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_unlock)

int PMPI_Win_unlock_all(MPI_Win win)
{
	static const char fname[] = "MPI_Win_unlock_all";
	struct mpii_win *w;
	int rc;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (w->access != MPII_AC_LOCK_ALL)
		return mpii_raise_win(w, MPI_ERR_RMA_SYNC, fname);
	rc = mpii_win_complete_am(w, -1);
	tk_wcb_flush();
	for (int r = 0; r < w->size; r++)
		lock_give(w, r);
	w->access = MPII_AC_NONE;
	return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_unlock_all)

#define ALL_RANKS (-1)	/* flush's rank for the _all forms (a user's -1 is refused first) */

/* Every flush: rank (ALL_RANKS for all), local (origin buffers only) or remote completion. */
static int flush(MPI_Win win, int rank, int local, const char *fname)
{
	struct mpii_win *w;
	int rc = MPI_SUCCESS;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	if (rank == MPI_PROC_NULL)
		return MPI_SUCCESS;
	if (rank != ALL_RANKS)
		rc = check_lock_args(w, rank, 0);
	if (!rc && w->access != MPII_AC_LOCK_ALL &&
	    !(w->access == MPII_AC_LOCK && (rank == ALL_RANKS || w->locked[rank])))
		rc = MPI_ERR_RMA_SYNC;
	if (rc)
		return mpii_raise_win(w, rc, fname);
	rc = local ? mpii_win_reap(w, rank) : mpii_win_complete_am(w, rank);
	/* a flush may be all a loop does (polling a flag on its own window): serve the others'
	 * requests meanwhile, or a rank that waits for ours never gets them served */
	mpii_progress();
	tk_wcb_flush();
	tk_cl1invmb();
	return rc ? mpii_raise_win(w, rc, fname) : MPI_SUCCESS;
}

int PMPI_Win_flush(int rank, MPI_Win win)
{
	return rank == ALL_RANKS ? mpii_raise_win(mpii_win_get(win), MPI_ERR_RANK, "MPI_Win_flush") :
				   flush(win, rank, 0, "MPI_Win_flush");
}
MPII_ALIAS(MPI_Win_flush)

int PMPI_Win_flush_all(MPI_Win win)
{
	return flush(win, ALL_RANKS, 0, "MPI_Win_flush_all");
}
MPII_ALIAS(MPI_Win_flush_all)

int PMPI_Win_flush_local(int rank, MPI_Win win)
{
	return rank == ALL_RANKS ? mpii_raise_win(mpii_win_get(win), MPI_ERR_RANK,
						  "MPI_Win_flush_local") :
				   flush(win, rank, 1, "MPI_Win_flush_local");
}
MPII_ALIAS(MPI_Win_flush_local)

int PMPI_Win_flush_local_all(MPI_Win win)
{
	return flush(win, ALL_RANKS, 1, "MPI_Win_flush_local_all");
}
MPII_ALIAS(MPI_Win_flush_local_all)

int PMPI_Win_sync(MPI_Win win)
{
	static const char fname[] = "MPI_Win_sync";
	struct mpii_win *w;

	MPII_ENTER(fname);
	if (!(w = mpii_win_get(win)))
		return mpii_raise(NULL, MPI_ERR_WIN, fname);
	/* the public and private copies of the window are one memory: drain and invalidate
	 * so that load/store and RMA accesses see each other (and progress, as flush does) */
	mpii_progress();
	tk_wcb_flush();
	tk_cl1invmb();
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Win_sync)
