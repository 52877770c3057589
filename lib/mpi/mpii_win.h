/* SPDX-License-Identifier: MIT */
/*
 * mpii_win.h: what the files of one-sided communication share (win_*.c); included only
 * there. The design is docs/rma.md's; in short:
 *
 *  - A window's memory is either in shared DRAM (MPI_Win_allocate, MPI_Win_allocate_shared,
 *    memory from MPI_Alloc_mem, attached regions there) or in a rank's private DRAM. The
 *    origin reaches shared-DRAM memory itself ("direct"): loads and stores through the
 *    modelled L1 and WCB, accumulates under the target core's test-and-set register. Private
 *    memory is reached by asking its owner: a request message on the window's communicator
 *    that the owner serves whenever it progresses ("AM", active message).
 *  - Every rank's lock record lives in shared DRAM (the window's control block), so locks
 *    never need the target either: passive target on shared-DRAM windows involves only the
 *    origin.
 *  - Active target synchronisation uses flags in the control block (win_flag.c): a
 *    dissemination barrier for fence, POST and DONE counters for post-start-complete-wait
 *    (a DONE to a rank that was sent requests is a message, ordered behind them). FLUSH
 *    round trips complete AM operations.
 */
#ifndef MPII_WIN_H
#define MPII_WIN_H

#include "mpii_impl.h"

/* Message kinds of the AM protocol (struct mpii_win_msg.op). */
enum {
	MPII_WM_PUT = 1, MPII_WM_GET, MPII_WM_ACC, MPII_WM_GACC, MPII_WM_CAS, MPII_WM_FLUSH,
	MPII_WM_DONE = 8,
};

/* Tag of requests and notices on the window's communicator; replies use tags >= 1. */
#define MPII_WIN_TAG_SVC 0
#define MPII_WIN_MAX_ATTACH 64	/* attached regions per rank of a dynamic window */

/*
 * The wire header of a request (fixed widths: cores of a mixed board differ in word size),
 * followed by nseg struct mpii_win_seg describing the target datatype, then datalen bytes
 * (packed origin data; for MPII_WM_CAS the origin value then the compare value).
 */
struct mpii_win_msg {
	uint32_t op;
	int32_t reply_tag;	/* where the answer goes (0: none) */
	int64_t disp;		/* byte offset in the target window (dynamic: an address there) */
	int64_t tcount;		/* elements of the target datatype */
	int64_t tlb, textent;	/* the target datatype's lb and extent */
	int64_t datalen;
	int64_t rlen;		/* bytes of the answer the origin takes (gets) */
	int32_t nseg;
	int32_t opcode;		/* predefined MPI_Op index for accumulates */
	int32_t basic;		/* the predefined type accumulates work on */
	int32_t pad;
};

struct mpii_win_seg {
	int64_t disp, stride, blen, cnt;
	int32_t basic, pad;
};

/* What every rank knows about every rank's part of the window. */
struct mpii_win_peer {
	uint64_t base;		/* core address at that rank (0 for dynamic windows) */
	int64_t size;
	int32_t disp_unit;
	int32_t direct;		/* in shared DRAM: the origin reaches it itself */
};

/* A dynamic window's regions, per rank, in the control block. */
struct mpii_win_region {
	uint64_t base, size;
};

/* Per rank in the control block (shared DRAM): the lock record, then (dynamic windows) the
 * count of attached regions and the regions. */
#define MPII_WIN_CTL_NREG_OFF(w) ((w)->lock_bytes)
#define MPII_WIN_CTL_REG_OFF(w) ((w)->lock_bytes + TESSERA_LINE_BYTES)

enum mpii_access { MPII_AC_NONE, MPII_AC_FENCE, MPII_AC_START, MPII_AC_LOCK, MPII_AC_LOCK_ALL };

struct mpii_win_in;	/* a request being received (win_am.c) */

struct mpii_win {
	int handle;
	int flavor;		/* MPI_WIN_FLAVOR_* */
	struct mpii_comm *comm;	/* private duplicate of the user's communicator */
	int rank, size;
	void *base;
	MPI_Aint len;
	int disp_unit;
	struct mpii_win_peer *peer;
	uintptr_t mem_shm;	/* shared DRAM this rank allocated for the window memory */
	int mem_malloc;		/* the window memory is this rank's malloc */
	uintptr_t ctl;		/* control block: rank r's part at ctl + r * ctl_bytes */
	size_t ctl_bytes, lock_bytes;
	/* dynamic windows: this rank's attached regions (mirrored in the control block) */
	int nreg;
	struct mpii_win_region reg[MPII_WIN_MAX_ATTACH];
	/* access epoch (origin side) */
	int access;		/* enum mpii_access */
	int fence_ops;		/* RMA calls since the last fence */
	int *locked;		/* per target: 0, or the lock type (+ MPI_MODE_NOCHECK) */
	int nlocked;
	struct mpii_group *start_grp;	/* ranks of the access group, translated */
	int *start_rank;
	int nstart;
	/* exposure epoch (target side) */
	int posted;
	int *post_rank;
	int npost;
	int *done_seen;		/* DONE messages from each rank not yet used by a wait */
	/* flags in the control block (win_flag.c): where they start in a rank's part, and what
	 * this rank wrote and used of them */
	size_t flag_off;
	uint32_t fence_epoch;	/* fences so far */
	uint32_t *post_sent;	/* per origin: POSTs given */
	uint32_t *post_used;	/* per target: POSTs used by a start */
	uint32_t *done_sent;	/* per target: DONE flags given */
	uint32_t *done_used;	/* per origin: DONE flags used by a wait */
	/* AM bookkeeping */
	uint8_t *dirty;		/* per target: AM updates sent since the last flush */
	struct mpii_win_pend {
		struct mpii_req *r;
		int target;
	} *pend;		/* internal receives of replies (gets), completed at syncs */
	int npend, pendcap;
	uint32_t next_tag;
	struct mpii_win_in *in_head, *in_tail;	/* requests received, served in order */
	struct mpii_win *next;	/* list of live windows (win_am.c serves them) */
	/* properties */
	struct mpii_errh *errh;
	struct mpii_attr *attrs;
	struct mpii_info *info;
	char name[MPI_MAX_OBJECT_NAME];
};

/* win_create.c */
struct mpii_win *mpii_win_get(MPI_Win h);	/* live window or NULL */
/* Core of rank r of the window and the address of its control record. */
uint32_t mpii_win_core(struct mpii_win *w, int r);
static inline uintptr_t mpii_win_ctl(struct mpii_win *w, int r)
{
	return w->ctl + (uintptr_t)r * w->ctl_bytes;
}

/* win_am.c: the AM protocol */
void mpii_win_list_add(struct mpii_win *w);
void mpii_win_list_remove(struct mpii_win *w);
/* Sends a request to rank `to`: the header (reply_tag set by the caller), the segments of
 * the target type tt, ocount elements of ot at obuf packed, then nextra bytes of extra.
 * 0 or an error class. */
int mpii_win_send(struct mpii_win *w, int to, struct mpii_win_msg *m,
		  const struct mpii_dtype *tt, const void *obuf, MPI_Count ocount,
		  const struct mpii_dtype *ot, const void *extra, size_t nextra);
/* A fresh reply tag of w. */
int mpii_win_tag(struct mpii_win *w);
/* Posts the receive of a reply into (buf, count, t) from rank `from`; kept in w->pend. */
int mpii_win_expect(struct mpii_win *w, void *buf, MPI_Count count, struct mpii_dtype *t,
		    int from, int tag, struct mpii_req **out);
/* Serves what has arrived for w (requests and notices); 1 if anything moved. */
int mpii_win_serve(struct mpii_win *w);
/* Completes every AM operation this rank issued to `target` (-1: all targets). */
int mpii_win_complete_am(struct mpii_win *w, int target);
/* Waits for the internal reply receives from `target` (-1: all); 0 or the first error. */
int mpii_win_reap(struct mpii_win *w, int target);

/* win_exec.c: carrying out an operation on target memory */
/* The target memory as the executor sees it: plain memory, or shared DRAM through the
 * modelled caches. */
struct mpii_tmem {
	char *base;
	int shm;
};
/* Put or get n bytes (at most tcount elements of tt) between packed and the target. */
void mpii_win_put_exec(const struct mpii_tmem *m, MPI_Count tcount, const struct mpii_dtype *tt,
		       const void *packed, MPI_Count n);
void mpii_win_get_exec(const struct mpii_tmem *m, MPI_Count tcount, const struct mpii_dtype *tt,
		       void *packed, MPI_Count n);
/* Accumulate tcount elements of tt (items of predefined type basic) with the packed origin
 * data (unread for MPI_NO_OP); old, if not NULL, receives the packed previous contents.
 * 0 or an error class. */
int mpii_win_acc_exec(const struct mpii_tmem *m, MPI_Count tcount, const struct mpii_dtype *tt,
		      int opcode, int basic, const void *packed, void *old);
/* Compare and swap of one element of basic type: old receives the previous value. */
void mpii_win_cas_exec(const struct mpii_tmem *m, int basic, const void *val, const void *cmp,
		       void *old);

/* win_flag.c: synchronisation through counters in shared DRAM */
/* Bytes of a rank's flags in the control block of a window of n ranks (whole lines). */
size_t mpii_win_flag_bytes(int n);
/* -1 when what the caller waits for has come, else a rank of w it still waits for. */
typedef int mpii_win_pending(struct mpii_win *w, void *arg);
/* Waits until pending(w, arg) < 0 (its flags read after an invalidate), progressing;
 * spins while the rank waited for runs, else halts until an interrupt. */
void mpii_win_await(struct mpii_win *w, mpii_win_pending *pending, void *arg);
/* The barrier of MPI_Win_fence over w's ranks. */
void mpii_win_barrier(struct mpii_win *w);
/* A POST to rank origin; a DONE flag to rank target. */
void mpii_win_post_to(struct mpii_win *w, int origin);
void mpii_win_done_to(struct mpii_win *w, int target);
/* Target has posted and no start used it yet (read after an invalidate). */
int mpii_win_posted(struct mpii_win *w, int target);
/* A DONE (flag or message) from origin that no wait used yet; mpii_win_done_take uses one. */
int mpii_win_done_from(struct mpii_win *w, int origin);
void mpii_win_done_take(struct mpii_win *w, int origin);

/* win_sync.c */
/* 0, or MPI_ERR_RMA_SYNC when no access epoch of w allows an operation on target. */
int mpii_win_access_ok(struct mpii_win *w, int target, int request_based);

#endif
