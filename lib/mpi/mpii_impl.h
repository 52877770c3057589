/* SPDX-License-Identifier: MIT */
/*
 * mpii_impl.h: what the files of lib/mpi share; never included from outside lib/mpi.
 *
 * Layout of the library (one job per file, musl style):
 *   handle.c      handle tables: int handle <-> object, kind checked on every lookup
 *   error.c, errhandler.c   classes, strings, raising an error on a communicator
 *   init.c, env.c            start and end, time, names, memory
 *   dtype_*.c, pack*.c       datatypes: typemaps flattened to segment lists
 *   op.c, op_kernels.c       reduction operations
 *   group.c, comm*.c, intercomm.c, attr.c, info.c
 *   topo.c (shared), topo_cart.c, topo_graph.c, topo_dist_graph.c   virtual topologies
 *   engine.c      the point-to-point protocol on mpb-channels (the only user of mpbc)
 *   match.c       posted and unexpected queues: MPI matching, non-overtaking
 *   req_pool.c    request objects; progress.c  the progress loop and waiting
 *   send.c recv.c probe.c request.c persist.c bsend.c status.c  point to point calls
 *   sched.c       collective schedules (rounds of sends, receives and local steps)
 *   coll_*.c      collective algorithms, blocking and non-blocking from one schedule
 *   ctx_agree.c   context ids of new communicators, agreed by collective schedules
 *   coll_inter.c  collectives on intercommunicators
 *   mpit.c        the tool information interface (no variables yet)
 *   shm.c         the shared-DRAM heap, test-and-set critical sections, shared locks
 *   win_*.c       one-sided communication (mpii_win.h, docs/rma.md)
 *   file_*.c      MPI-IO (mpii_file.h, docs/mpi-io.md)
 *   unsupported.c dynamic processes: MPI_ERR_UNSUPPORTED_OPERATION
 *
 * Errors: internal functions return MPI error classes (0 = MPI_SUCCESS); a negative errno
 * value from mpb-channels is converted once, in mpii_err_from_errno(). Every MPI_ entry point
 * checks its arguments and hands a failure to mpii_raise(), which applies the error handler.
 * Single-threaded: one core, one thread, no locking anywhere.
 */
#ifndef MPII_IMPL_H
#define MPII_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "mpi.h"
#include "mpii_param.h"
#include "mpbc.h"
#include "tessera/board.h"	/* enum tessera_trace_step */
#include "tk.h"		/* TK_VT_SCOPE */

/* A static function on the path of every short message, inlined whatever the compiler's
 * estimate of its size (a call and its register saves cost as much as what it does). */
#define MPII_HOT static inline __attribute__((always_inline))

/* Every MPI_x is a weak alias of PMPI_x (the profiling interface). */
#define MPII_ALIAS(name) \
	extern __typeof(P##name) name __attribute__((weak, alias("P" #name)));

/* ---- Handles ---- */
enum mpii_kind {
	MPII_K_COMM = 1, MPII_K_GROUP, MPII_K_DTYPE, MPII_K_OP, MPII_K_REQ, MPII_K_ERRH,
	MPII_K_INFO, MPII_K_MSG, MPII_K_WIN, MPII_K_FILE, MPII_K_COUNT
};
#define MPII_HKIND(h) ((unsigned)(h) >> 24)
#define MPII_HINDEX(h) ((unsigned)(h) & 0xffffffu)

/* Gives obj a handle of kind (returns it, or 0 when out of memory). */
int mpii_handle_new(int kind, void *obj);
/* Places a predefined object at a fixed handle. */
void mpii_handle_fix(int handle, void *obj);
void mpii_handle_free(int handle);
/* The tables (handle.c); here for the lookup, which every call makes (inline). */
struct mpii_htable {
	void **obj;
	uint32_t cap;		/* slots allocated */
	uint32_t next;		/* first never-used dynamic index */
	uint32_t *freelist;	/* recycled indices */
	uint32_t nfree, freecap;
};
extern struct mpii_htable mpii_htables[MPII_K_COUNT];
/* The object behind handle if it is live and of kind, else NULL. */
static inline void *mpii_handle_get(int kind, int handle)
{
	const struct mpii_htable *t;
	uint32_t i;

	if (MPII_HKIND(handle) != (unsigned)kind || kind <= 0 || kind >= MPII_K_COUNT)
		return NULL;
	t = &mpii_htables[kind];
	i = MPII_HINDEX(handle);
	if (i == 0 || i >= t->cap)
		return NULL;
	return t->obj[i];
}

/* ---- Errors ---- */
/* Applies the error handler of comm (NULL: MPI_COMM_WORLD's) to code; returns code. */
struct mpii_comm;
int mpii_raise(struct mpii_comm *c, int code, const char *fn);
int mpii_err_from_errno(int neg_errno);
int mpii_err_class(int code);		/* class of a code, -1 for an invalid code */
/* Fatal abort of the whole job, after printing msg to stderr. */
__attribute__((noreturn)) void mpii_fatal(int code, const char *msg);

/* Return early from an MPI_ entry point when the library is not usable. */
extern int mpii_state;	/* 0 before MPI_Init, 1 running, 2 finalized */
int mpii_not_running(const char *fn);
/*
 * The MPI call in progress, for traces: they name the collectives the library runs inside
 * it after it (sched.c). Set on entry to the outermost call and cleared when that call
 * returns, however it returns (the cleanup attribute), so that an MPI call the library
 * makes inside another (MPI_Pack_external inside MPI_File_write_all) does not take its
 * place. MPII_ENTER declares a variable: once per function, before any return.
 * Also the start of the call's time as the runtime's under virtual time (tk_vt_enter, left
 * when the function returns, by whichever return): the library's own instructions are not
 * counted as the program's computation; what it does to the modelled hardware is (as
 * SimGrid's SMPI counts no time inside MPI but its network model's). A declaration: at the
 * top of a function's body.
 */
extern const char *mpii_call;
static inline const char *mpii_enter(const char *fn)
{
	if (mpii_call)
		return NULL;
	mpii_call = fn;
	return fn;
}
static inline void mpii_leave(const char *const *entered)
{
	if (*entered)
		mpii_call = NULL;
}
/* Facts of the run that every call asks, read once by MPI_Init (init.c; neither changes
 * during a run): virtual time is on (tk_vt_on), the job is traced (tk_tracing). */
extern int mpii_vt, mpii_trace;

static inline int mpii_tracing(void)
{
	return mpii_trace;
}
#define MPII_ENTER(fn) \
	TK_VT_SCOPE(mpii_vt_scope_, mpii_vt); \
	const char *const mpii_entered __attribute__((cleanup(mpii_leave))) = mpii_enter(fn); \
	if (mpii_state != 1) \
		return mpii_not_running(fn)

/* ---- Info ---- */
struct mpii_info_ent {
	struct mpii_info_ent *next;
	char *key, *val;
};
struct mpii_info {
	int handle;
	int nkeys;
	struct mpii_info_ent *head;
};
struct mpii_info *mpii_info_new(void);
void mpii_info_destroy(struct mpii_info *in);
struct mpii_info *mpii_info_copy(const struct mpii_info *in);
int mpii_info_put(struct mpii_info *in, const char *key, const char *val);

/* ---- Attributes ---- */
enum { MPII_AK_COMM = 1, MPII_AK_TYPE, MPII_AK_WIN, MPII_AK_FILE };
struct mpii_attr {
	struct mpii_attr *next;
	int keyval;
	void *val;
};
int mpii_attr_copy_all(int kind, int oldh, struct mpii_attr *from, struct mpii_attr **to);
int mpii_attr_delete_all(int kind, int h, struct mpii_attr **list);
int mpii_keyval_kind_ok(int keyval, int kind);
/* The attribute calls of communicators, for the other kinds (0 or an error class). */
int mpii_keyval_create(int kind, MPI_Comm_copy_attr_function *copy,
		       MPI_Comm_delete_attr_function *del, int *keyval, void *extra);
int mpii_keyval_free(int kind, int *keyval);
int mpii_attr_set(int kind, int h, struct mpii_attr **list, int keyval, void *val);
int mpii_attr_get(int kind, struct mpii_attr **list, int keyval, void *val, int *flag);
int mpii_attr_delete(int kind, int h, struct mpii_attr **list, int keyval);

/* ---- Error handlers ---- */
struct mpii_errh {
	int handle;
	int refs;
	int kind;	/* MPII_AK_COMM, _WIN, _FILE; 0 for the predefined ones */
	MPI_Comm_errhandler_function *fn;
};
struct mpii_errh *mpii_errh_ref(struct mpii_errh *e);
void mpii_errh_unref(struct mpii_errh *e);
/* MPI_{Comm,Win,File}_create_errhandler: a handler of kind (MPII_AK_*) calling fn. */
int mpii_errh_create(int kind, MPI_Comm_errhandler_function *fn, MPI_Errhandler *errhandler,
		     const char *fname);

/* ---- Groups ---- */
struct mpii_group {
	int handle;
	int refs;
	int size;
	int rank;	/* this process's rank in the group, or MPI_UNDEFINED */
	int *wr;	/* rank in group -> rank in MPI_COMM_WORLD */
};
struct mpii_group *mpii_group_new(int size);	/* wr to be filled, then mpii_group_done */
void mpii_group_done(struct mpii_group *g);	/* computes rank */
struct mpii_group *mpii_group_ref(struct mpii_group *g);
void mpii_group_unref(struct mpii_group *g);
int mpii_group_rank_of(const struct mpii_group *g, int world_rank);
int mpii_group_compare(const struct mpii_group *a, const struct mpii_group *b);
/* Gives the user a handle to g (a new reference). */
int mpii_group_publish(struct mpii_group *g, MPI_Group *out);
void mpii_group_init(void);
extern struct mpii_group *mpii_group_world;

/* ---- Datatypes ---- */
/*
 * A typemap flattened for one element, as runs of a predefined type: seg i is cnt blocks of
 * blen items of basic type `basic` (a predefined index, 1..MPII_NUM_BASIC), block j at byte
 * disp + j * stride from the buffer. Items of a block sit at the basic type's extent.
 */
struct mpii_seg {
	MPI_Aint disp;
	MPI_Aint stride;
	MPI_Count blen;
	MPI_Count cnt;
	int basic;
};

struct mpii_basic {
	const char *name;
	int size, extent, align;
	int vsize;	/* pair types: size of the value part; else = size */
	int ioff;	/* pair types: offset of the int; else 0 */
	int pair;	/* 1 for MINLOC/MAXLOC pair types */
	int ext32;	/* size in external32, 0 if none */
	int conv;	/* external32 conversion class (pack_external.c) */
};
/* external32 conversion classes: bytes, signed, unsigned, IEEE, long double, complex, pair */
enum { MPII_CV_B = 0, MPII_CV_I, MPII_CV_U, MPII_CV_F, MPII_CV_LD, MPII_CV_C, MPII_CV_P };
extern const struct mpii_basic mpii_basics[MPII_NUM_BASIC + 1];

struct mpii_dtype {
	int handle;
	int refs;	/* user reference + pending operations + types built on it */
	int predefined, committed, user_freed;
	MPI_Count size;
	MPI_Aint lb, ub, true_lb, true_ub;
	int nseg;
	struct mpii_seg *seg;
	int contig;	/* count elements occupy [buf+lb, buf+lb+count*size) densely */
	int elem;	/* predefined index if built from one predefined type only, else 0 */
	MPI_Count nelem;	/* items of `elem` per element (when elem) */
	MPI_Count nbasic;	/* basic elements per element (pairs count 2) */
	int align;
	int sticky;	/* bounds set explicitly (resized): no alignment padding in structs */
	/* envelope and contents */
	int combiner;
	int ni, na, nd;
	int *ints;
	MPI_Aint *aints;
	struct mpii_dtype **types;
	char name[MPI_MAX_OBJECT_NAME];
	struct mpii_attr *attrs;
};
/* Any live type, or NULL. */
static inline struct mpii_dtype *mpii_dtype_get(MPI_Datatype h)
{
	struct mpii_dtype *t = (struct mpii_dtype *)mpii_handle_get(MPII_K_DTYPE, h);

	return t && !t->user_freed ? t : NULL;
}
/* References (inline: every request takes one); the last one gone, the type is destroyed. */
static inline struct mpii_dtype *mpii_dtype_ref(struct mpii_dtype *t)
{
	if (t)
		t->refs++;
	return t;
}
void mpii_dtype_destroy(struct mpii_dtype *t);
static inline void mpii_dtype_unref(struct mpii_dtype *t)
{
	if (t && !t->predefined && --t->refs <= 0)
		mpii_dtype_destroy(t);
}
void mpii_dtype_init_basics(void);
/* Its segments (nseg, seg, lb, ub, size set) are one dense run from lb: what `contig` says. */
int mpii_dtype_one_run(const struct mpii_dtype *t);
/* Checks a type for use in communication: live and committed. 0 or MPI_ERR_TYPE. */
static inline int mpii_dtype_check(MPI_Datatype h, struct mpii_dtype **out)
{
	struct mpii_dtype *t = mpii_dtype_get(h);

	if (!t || !t->committed)
		return MPI_ERR_TYPE;
	*out = t;
	return MPI_SUCCESS;
}
/* Type constructors on objects (dtype_create.c): new type with refs 1, or NULL (no mem). */
struct mpii_dtype *mpii_mk_hvector(MPI_Count count, MPI_Count blen, MPI_Aint stride,
				   struct mpii_dtype *old);
struct mpii_dtype *mpii_mk_hindexed(int count, const MPI_Count *blens, const MPI_Aint *disps,
				    struct mpii_dtype *old);
struct mpii_dtype *mpii_mk_struct(int count, const MPI_Count *blens, const MPI_Aint *disps,
				  struct mpii_dtype *const *types);
struct mpii_dtype *mpii_mk_resized(struct mpii_dtype *old, MPI_Aint lb, MPI_Aint extent);
struct mpii_dtype *mpii_dtype_clone(const struct mpii_dtype *old);
/* Records the constructor call (for MPI_Type_get_contents); 0 or MPI_ERR_NO_MEM. */
int mpii_dtype_set_contents(struct mpii_dtype *t, int combiner, int ni, const int *ints,
			    int na, const MPI_Aint *aints, int nd, struct mpii_dtype *const *types);
/* Gives t a handle and stores it in *newtype; 0 or MPI_ERR_NO_MEM (t is then freed). */
int mpii_dtype_publish(struct mpii_dtype *t, MPI_Datatype *newtype);
static inline MPI_Aint mpii_extent(const struct mpii_dtype *t)
{
	return t->ub - t->lb;
}

/* Pack count elements at inbuf into out (up to max bytes); returns bytes written. */
MPI_Count mpii_pack(const void *inbuf, MPI_Count count, const struct mpii_dtype *t, void *out,
		    MPI_Count max);
/* Copies between two typed buffers (sizes may differ: min is copied). Returns bytes. */
MPI_Count mpii_copy(const void *src, MPI_Count scount, const struct mpii_dtype *st, void *dst,
		    MPI_Count dcount, const struct mpii_dtype *dt);
/* Moves n bytes between a typed location and a packed stream (pack: typed -> stream). */
typedef void mpii_mover(char *typed, char *stream, MPI_Count n, int pack);
/* The mover of plain memory (what mpii_pack and mpii_unpack use). */
mpii_mover mpii_copy_mover;
/* mpii_pack (pack = 1) or mpii_unpack (0) through the caller's mover; returns bytes moved. */
MPI_Count mpii_walk(char *typed, MPI_Count count, const struct mpii_dtype *t, char *stream,
		    MPI_Count max, int pack, mpii_mover *mv);
/* Unpack up to n bytes from in into count elements at outbuf; returns bytes consumed.
 * (Inline: a receive's message goes into its buffer so, mostly into a contiguous type, one
 * copy; memmove only where the two may overlap, as in mpii_copy.) */
static inline MPI_Count mpii_unpack(const void *in, MPI_Count n, void *outbuf, MPI_Count count,
				    const struct mpii_dtype *t)
{
	if (t->contig) {
		MPI_Count m = count * t->size < n ? count * t->size : n;
		char *out = (char *)outbuf + t->lb;
		const char *from = in;

		if (m <= 0)
			return 0;
		if (out + m <= from || from + m <= out)
			memcpy(out, from, (size_t)m);
		else
			memmove(out, from, (size_t)m);
		return m;
	}
	return mpii_walk(outbuf, count, t, (char *)in, n, 0, mpii_copy_mover);
}
/* Basic elements in the first `bytes` bytes of a stream of t (may be partial). */
MPI_Count mpii_dtype_elements(const struct mpii_dtype *t, MPI_Count bytes);

/* ---- Reduction operations ---- */
struct mpii_op {
	int handle;
	int refs;
	int builtin;	/* 1..MPII_NUM_OPS for predefined, 0 for user */
	int commute;
	MPI_User_function *fn;
};
struct mpii_op *mpii_op_ref(struct mpii_op *o);
void mpii_op_unref(struct mpii_op *o);
void mpii_op_init_builtin(void);
/* 0 if op may be applied to t, else MPI_ERR_OP. In reductions (collectives and
 * MPI_Reduce_local) MPI_REPLACE and MPI_NO_OP, for accumulates only, are refused too. */
int mpii_op_check(const struct mpii_op *o, const struct mpii_dtype *t);
int mpii_op_check_reduce(const struct mpii_op *o, const struct mpii_dtype *t);
/* inout[i] = in[i] op inout[i] for count elements of t (same layout for both buffers). */
void mpii_op_apply(const struct mpii_op *o, const void *in, void *inout, MPI_Count count,
		   const struct mpii_dtype *t);
/* Kernel on n contiguous items of predefined type `basic`; 0 or MPI_ERR_OP. */
int mpii_op_kernel(int op, int basic, const void *in, void *inout, MPI_Count n);

/* ---- Topologies ---- */
struct mpii_topo {
	int kind;	/* MPI_CART, MPI_GRAPH, MPI_DIST_GRAPH */
	int ndims;
	int *dims, *periods;
	int nnodes, nedges;
	int *index, *edges;
	int indeg, outdeg, weighted;
	int *srcs, *srcw, *dsts, *dstw;
};
void mpii_topo_free(struct mpii_topo *t);
struct mpii_topo *mpii_topo_dup(const struct mpii_topo *t);
/* Neighbours of this process in the order neighbour collectives use. */
int mpii_topo_neighbors(struct mpii_comm *c, int *indeg, int **in, int *outdeg, int **out);
/* The communicator of comm and its topology, which must be of kind (0: any); 0 or the class
 * (MPI_ERR_COMM, MPI_ERR_TOPOLOGY). *c is set whenever comm is a communicator. */
int mpii_topo_get(MPI_Comm comm, int kind, struct mpii_comm **c, struct mpii_topo **t);
/* The communicator a topology is built on: an intracommunicator, else MPI_ERR_COMM. */
int mpii_topo_parent(MPI_Comm comm_old, struct mpii_comm **c);
/* Gives n topology t and the user a handle to n. t NULL (it could not be allocated): n is
 * dropped and the result is MPI_ERR_NO_MEM. */
int mpii_topo_publish(struct mpii_comm *n, struct mpii_topo *t, MPI_Comm *out);
/* The communicator of c's first size ranks with topology t (collective over c; t is
 * consumed, NULL meaning out of memory); MPI_COMM_NULL on c's other ranks. */
int mpii_topo_create_first(struct mpii_comm *c, int size, struct mpii_topo *t, MPI_Comm *out);
/* Neighbours of rank at distance disp along dimension dir (MPI_PROC_NULL off the grid). */
int mpii_cart_shift(const struct mpii_topo *t, int rank, int dir, int disp, int *src, int *dst);
/* A malloc'd copy of n ints of a (room for one at least; a NULL: uninitialised), or NULL. */
int *mpii_ints_dup(const int *a, int n);

/* ---- Communicators ---- */
struct mpii_comm {
	int handle;
	int refs;	/* user reference + pending operations */
	int user_freed;
	uint16_t ctx;	/* point to point; ctx + 1 carries collectives */
	int rank, size;
	struct mpii_group *local;
	struct mpii_group *remote;	/* intercommunicators only */
	struct mpii_comm *lcomm;	/* intercommunicators: intracomm of the local group */
	int inter;
	int borrowed;	/* uses another communicator's context id: never releases it */
	uint32_t coll_seq;	/* collective calls so far: tags of collective messages */
	int fixed_tag;		/* nonzero: collectives use this tag (MPI_Comm_create_group) */
	struct mpii_errh *errh;
	struct mpii_attr *attrs;
	struct mpii_topo *topo;
	struct mpii_info *info;
	char name[MPI_MAX_OBJECT_NAME];
};
extern struct mpii_comm *mpii_comm_world, *mpii_comm_self;
/* Live communicator or NULL. */
static inline struct mpii_comm *mpii_comm_get(MPI_Comm h)
{
	struct mpii_comm *c = (struct mpii_comm *)mpii_handle_get(MPII_K_COMM, h);

	return c && !c->user_freed ? c : NULL;
}
/* References (inline: every request takes one); the last one gone, c is destroyed. */
static inline struct mpii_comm *mpii_comm_ref(struct mpii_comm *c)
{
	c->refs++;
	return c;
}
void mpii_comm_destroy(struct mpii_comm *c);
static inline void mpii_comm_unref(struct mpii_comm *c)
{
	if (c && --c->refs <= 0)
		mpii_comm_destroy(c);
}
/* A communicator over group `local` (and `remote` for an inter) with context ctx. */
struct mpii_comm *mpii_comm_new(struct mpii_group *local, struct mpii_group *remote, int ctx);
int mpii_comm_publish(struct mpii_comm *c, MPI_Comm *out);	/* gives it a handle */
/* World rank of rank r of the group this comm sends to (remote group for an inter). */
static inline int mpii_comm_peer_wr(const struct mpii_comm *c, int r)
{
	return (c->inter ? c->remote : c->local)->wr[r];
}
static inline int mpii_comm_peer_size(const struct mpii_comm *c)
{
	return c->inter ? c->remote->size : c->size;
}
/* Agrees on a fresh context id across c (blocking, collective over c); result in *ctx. */
int mpii_ctx_alloc(struct mpii_comm *c, int *ctx);
void mpii_ctx_release(int ctx);
void mpii_ctx_mark(int ctx);
/* ANDs this process's free-id mask into mask; returns the lowest id free in it, or -1. */
int mpii_ctx_mask_and(uint32_t *mask);

struct mpii_sched;
/*
 * A context-id agreement as steps of a schedule (ctx_agree.c). The caller fills local (the
 * group's intracommunicator), and for two groups (an intercommunicator) sets inter and
 * leader (the rank of local that trades with the other group's leader) and, at the leader,
 * bridge, bpeer, bctxoff and btag (where it trades); key (set by mpii_agree_new from the
 * schedule's communicator and tag) orders concurrent agreements and must be equal on every
 * member. done(s, a, err) is called once, when a->ids holds n
 * agreed ids (marked used here: done owns them) or with the error; what it returns becomes
 * the schedule's error.
 */
struct mpii_agree {
	struct mpii_comm *local;
	int inter, leader;
	struct mpii_comm *bridge;
	int bpeer, bctxoff, btag;
	int n;
	uint64_t key;
	int (*done)(struct mpii_sched *s, struct mpii_agree *a, int err);
	void *arg;
	int ids[2];
	/* state */
	uint32_t mask[MPII_CTX_PAIRS / 32 + 1], other[MPII_CTX_PAIRS / 32 + 1];
	int round, linked;
	struct mpii_agree *next;
};
/* A zeroed agreement for n ids over local, freed with s; NULL when out of memory. */
struct mpii_agree *mpii_agree_new(struct mpii_sched *s, struct mpii_comm *local, int n);
/* Appends the agreement to s (in rounds of its own). */
int mpii_agree_build(struct mpii_sched *s, struct mpii_agree *a);
/* A copy of the hints in `in` that communicators honour (the rest is ignored); NULL when
 * out of memory. */
struct mpii_info *mpii_comm_hints(const struct mpii_info *in);
/* Dup of c's membership (comm_dup without attributes); collective over c. */
int mpii_comm_dup_plain(struct mpii_comm *c, struct mpii_comm **out);
/* Creates the comm of group g (subset of c's group), collective over c. */
int mpii_comm_from_group(struct mpii_comm *c, struct mpii_group *g, struct mpii_comm **out);
/* The members of `from` whose color in ck (color, key pairs by rank) is color, ordered by
 * key then rank; NULL when out of memory. */
struct mpii_group *mpii_group_of_color(const int *ck, const struct mpii_group *from, int color);
/* MPI_Comm_split and MPI_Comm_create of an intercommunicator (intercomm.c): *out is the
 * new intercommunicator or NULL (MPI_COMM_NULL). */
int mpii_inter_split(struct mpii_comm *c, int color, int key, struct mpii_comm **out);
int mpii_inter_create(struct mpii_comm *c, struct mpii_group *g, struct mpii_comm **out);

/* ---- Point to point: protocol (engine.c), matching (match.c), requests (req_pool.c),
 * progress (progress.c) ---- */
enum mpii_msgkind {
	MPII_M_EAGER = 1,	/* envelope + data */
	MPII_M_RTS = 2,		/* rendezvous request; payload: 8-byte length */
	MPII_M_CTS = 3,		/* clear to send: w2 = receiver cookie, w3 = sender cookie */
	MPII_M_DATA = 4,	/* rendezvous data: w3 = receiver cookie */
};
enum mpii_sendmode { MPII_SEND_STD, MPII_SEND_SYNC, MPII_SEND_BUF, MPII_SEND_READY };
enum mpii_reqkind {
	MPII_R_SEND = 1, MPII_R_RECV, MPII_R_COLL, MPII_R_GREQ, MPII_R_NONE,
	MPII_R_IO,	/* MPI-IO: its status holds the byte count; a collective one runs a schedule */
};
/* Where a send or receive stands in the protocol (mpii_req.state, engine.c). */
enum mpii_reqstate {
	MPII_ST_EAGER = 1,	/* send: the eager message is queued or leaving */
	MPII_ST_RTS,		/* send: RTS out, waiting for the CTS */
	MPII_ST_DATA,		/* send: rendezvous data queued or leaving */
	MPII_ST_POSTED,		/* receive: in the posted queue (match.c) */
	MPII_ST_RECVING,	/* receive: its data is coming in from the channel */
	MPII_ST_WAIT_DATA,	/* receive: CTS sent, waiting for the rendezvous data */
	MPII_ST_UNEXP,		/* receive: matched an eager message still arriving */
};

struct mpii_out {
	struct mpbc_send s;
	uint32_t env[4];
	const void *buf;
	size_t len;
	int wr;		/* destination world rank */
	int state;	/* 0 idle, 1 queued, 2 in flight */
	struct mpii_out *next;
	struct mpii_req *req;	/* to notify on completion (or NULL) */
	int which;	/* 0: first message of req, 1: rendezvous data */
};

struct mpii_umsg;	/* an unexpected message */
struct mpii_sched;
struct mpii_bblock;

struct mpii_req {
	int handle;
	int kind;	/* enum mpii_reqkind */
	int mode;	/* enum mpii_sendmode */
	int persistent, active, done, user_freed, cancelled;
	int err;
	MPI_Status st;
	struct mpii_comm *comm;
	struct mpii_dtype *dt;
	void *buf;
	MPI_Count count;
	int peer, tag, ctxoff;
	/* engine state */
	int state;
	int finished;		/* logically complete, waiting for its messages to leave */
	const void *sdata;	/* send: the packed or contiguous data */
	void *tmp;
	size_t len;
	uint64_t rts_len;
	uint32_t cookie;	/* the other side's request id in a rendezvous */
	int pwr;		/* world rank of the other side */
	struct mpii_req *qnext, *qprev;
	struct mpii_sched *sched;
	struct mpii_bblock *bblk;
	struct mpii_req *nbnext;	/* list of active schedules / generalized requests */
	/* generalized requests */
	MPI_Grequest_query_function *gq;
	MPI_Grequest_free_function *gf;
	MPI_Grequest_cancel_function *gc;
	void *gstate;
	/* MPII_R_IO: the MPI_File, whose error handler its errors go to */
	int file;
	/* --record, --replay (replay.c) */
	int wild;		/* a receive the user posted from MPI_ANY_SOURCE */
	uint32_t dpoint;	/* its decision point */
	/* last, and not cleared by mpii_req_new (only their state is): the messages of the
	 * request, each with a channel request body */
	struct mpii_out out[2];
};

/*
 * The request of every nonblocking send that left at once (send.c's fast path): one
 * predefined object, complete for ever, which completing "frees" by setting the user's
 * handle to MPI_REQUEST_NULL (MPICH's completed lightweight requests are the same idea).
 */
#define MPII_REQ_SENT	MPII_H(MPII_K_REQ, 1)
extern struct mpii_req mpii_req_sent;

struct mpii_umsg {
	struct mpii_umsg *next, *prev;
	int handle;		/* MPI_Message when matched by Mprobe */
	int kind;		/* MPII_M_EAGER or MPII_M_RTS */
	uint16_t ctx;
	int src, tag;
	int wr;			/* world rank of the sender */
	uint32_t cookie;
	size_t len;
	void *buf;
	int arrived;
	struct mpii_req *owner;
	struct mpii_comm *mcomm;	/* set by MPI_Mprobe: the communicator it matched on */
	char small[MPII_UMSG_INLINE];	/* buf for short messages: no allocation */
};

/* ---- replay.c: decisions under --record and --replay ---- */
/* One decision point of a call (a probe, a Test, a Waitany ...). */
struct mpii_dec {
	int made;		/* recording or replaying: the point is numbered */
	int unrecorded;		/* replaying, and the recorded run did not decide here */
	uint32_t point, kind, aux;
	int32_t value;		/* the recorded decision, when mpii_dec_begin returned 1 */
};
/* A receive's source that no message has (a replayed any-source receive that never matched
 * in the recorded run). */
#define MPII_NO_SOURCE (-32000)
/* aux of a point on (context id, tag) */
uint32_t mpii_dec_aux(int ctx, int tag);
/* Number a decision point of kind (TESSERA_DEC_*); 1 when a replay has its value in d->value
 * (the call must then do what it says), 0 when the call decides live. */
int mpii_dec_begin(uint32_t kind, uint32_t aux, struct mpii_dec *d);
/* The point's next recorded index (Waitsome, Testsome): 1 and *value, or 0. */
int mpii_dec_more(struct mpii_dec *d, int32_t *value);
/* Log what the point decided (then its indices, one mpii_dec_end_more each). */
void mpii_dec_end(const struct mpii_dec *d, int32_t value);
void mpii_dec_end_more(const struct mpii_dec *d, int32_t value);
/* An any-source receive is posted (numbered; a replay gives it the recorded source) /
 * has matched (its source is logged). */
void mpii_dec_recv_wild(struct mpii_req *r);
void mpii_dec_recv_matched_wild(struct mpii_req *r);
/* (inline: only a receive from MPI_ANY_SOURCE, now or once, has anything to do) */
static inline void mpii_dec_recv_post(struct mpii_req *r)
{
	if (r->wild || r->peer == MPI_ANY_SOURCE)
		mpii_dec_recv_wild(r);
}
static inline void mpii_dec_recv_matched(struct mpii_req *r)
{
	if (r->wild)
		mpii_dec_recv_matched_wild(r);
}

int mpii_engine_init(void);
int mpii_engine_fini(void);
/* Runs the protocol over every peer until nothing moves; never blocks. 1 if anything did. */
int mpii_engine_poll(void);
/* Advances every communication of this process (progress.c); never blocks. */
void mpii_progress(void);
/*
 * A call that tests without waiting found nothing (MPI_Test*, MPI_Iprobe, MPI_Improbe,
 * MPI_Request_get_status): programs call them in loops. Where this core shares its host
 * thread with others (tk_halt_is_cheap), it lets them run now, as Open MPI yields when
 * oversubscribed; else such a loop would keep them (and maybe the peer it polls for) off the
 * CPU until the runner preempts it, a 5 ms slice per message. A core alone in its process
 * does nothing here.
 */
void mpii_poll_miss(void);
/* Halts until something may have changed (after mpii_progress found nothing). */
void mpii_idle(void);
/* mpii_idle for a core that expects the next message from world rank wr: 2 when it came,
 * 1 when something else happened, 0 when nothing did (mpbc_wait_from). */
int mpii_idle_from(int wr);
/* For a core that waits other than in mpii_idle* (on a flag: win_flag.c): the channel's acks
 * of what it consumed go out now, as they do when mpii_idle starts; a sender may wait for
 * the room, and the acks of a core that halts otherwise would wait for its next message. */
void mpii_idle_ack(void);
/*
 * Status helpers. MPI_ERROR belongs to the caller except in the calls that complete several
 * requests (MPI-3.1 3.2.5): single completions keep it; mpii_status_null is the empty
 * status of a single completion (MPI_STATUS_IGNORE is fine).
 */
/* (inline: every request's life sets one and gives one) */
static inline void mpii_status_empty(MPI_Status *st)
{
	st->MPI_SOURCE = MPI_ANY_SOURCE;
	st->MPI_TAG = MPI_ANY_TAG;
	st->MPI_ERROR = MPI_SUCCESS;
	st->mpii_cancelled = 0;
	st->mpii_count = 0;
}
void mpii_status_null(MPI_Status *st);
/* A single completion's status to the user's st: all of from but MPI_ERROR. */
static inline void mpii_status_give(MPI_Status *st, const MPI_Status *from)
{
	int keep;

	if (st == MPI_STATUS_IGNORE)
		return;
	keep = st->MPI_ERROR;
	*st = *from;
	st->MPI_ERROR = keep;
}

/* Zeroes n bytes at p, n a constant, as straight stores of 32 bytes at a time: a request's
 * 248 bytes are 16 vector stores (a memset of that size is a `rep stos`, whose start-up
 * alone costs as much). */
static inline void mpii_zero(void *p, size_t n)
{
	char *b = p;
	size_t i;

	_Pragma("GCC unroll 16")
	for (i = 0; i + 32 <= n; i += 32)
		memset(b + i, 0, 32);
	memset(b + i, 0, n - i);
}

/*
 * Request objects (req_pool.c): a zeroed request of kind with a handle, or NULL when out
 * of memory; mpii_req_destroy frees it (its comm, type, schedule and buffer with it).
 * Inline (every nonblocking call makes one): freed requests wait in req_pool.c's cache,
 * which mpii_req_new takes from and mpii_req_destroy puts back to; what goes beyond it
 * (a request malloc'd with its handle, one freed for good, a schedule or buffer to free)
 * is req_pool.c's, out of line.
 */
extern struct mpii_req *mpii_req_cache[MPII_REQ_CACHE];
extern int mpii_nreq_cache;
struct mpii_req *mpii_req_alloc(void);		/* malloc'd, handle set; or NULL */
void mpii_req_drop(struct mpii_req *r);		/* frees it and its handle */
void mpii_req_free_parts(struct mpii_req *r);	/* its schedule and buffer */
static inline struct mpii_req *mpii_req_new(int kind)
{
	struct mpii_req *r;
	int handle;

	if (mpii_nreq_cache) {
		r = mpii_req_cache[--mpii_nreq_cache];
	} else {
		r = mpii_req_alloc();
		if (!r)
			return NULL;
	}
	handle = r->handle;
	/* everything but the channel request bodies at the end, which their use fills */
	mpii_zero(r, offsetof(struct mpii_req, out));
	r->out[0].state = r->out[1].state = 0;
	r->handle = handle;
	r->kind = kind;
	mpii_status_empty(&r->st);
	return r;
}

static inline void mpii_req_destroy(struct mpii_req *r)
{
	if (r == &mpii_req_sent)
		return;		/* predefined: completing it leaves it as it is */
	if (r->sched || r->tmp)
		mpii_req_free_parts(r);
	mpii_comm_unref(r->comm);
	mpii_dtype_unref(r->dt);
	r->kind = 0;	/* no lookup takes it now */
	if (mpii_nreq_cache < MPII_REQ_CACHE)
		mpii_req_cache[mpii_nreq_cache++] = r;
	else
		mpii_req_drop(r);
}
void mpii_req_release(struct mpii_req *r);	/* drops request if done and not wanted */
/* At MPI_Init: the predefined request (MPII_REQ_SENT) gets its handle. */
void mpii_req_init(void);
/* Starts a send or receive on c (ctxoff 0: point to point, 1: collective context). */
int mpii_isend(const void *buf, MPI_Count count, struct mpii_dtype *t, int dest, int tag,
	       struct mpii_comm *c, int ctxoff, int mode, struct mpii_req **out);
/* mpii_isend in standard mode for a caller that only waits for the request and destroys it:
 * a send that leaves at once gets the predefined complete request (MPII_REQ_SENT). */
int mpii_isend_light(const void *buf, MPI_Count count, struct mpii_dtype *t, int dest,
		     int tag, struct mpii_comm *c, int ctxoff, struct mpii_req **out);
int mpii_irecv(void *buf, MPI_Count count, struct mpii_dtype *t, int src, int tag,
	       struct mpii_comm *c, int ctxoff, struct mpii_req **out);
int mpii_send_start(struct mpii_req *r);
int mpii_recv_start(struct mpii_req *r);
/* mpii_recv_start of a receive fresh from mpii_req_new, which has nothing to reset */
int mpii_recv_post(struct mpii_req *r);
/* Blocks until r is done; returns its error; publishes the wait to the host. */
int mpii_wait(struct mpii_req *r);
void mpii_req_complete(struct mpii_req *r);
int mpii_cancel_recv(struct mpii_req *r);
/* Receives an already matched (Mprobe) message into r. */
int mpii_recv_matched(struct mpii_req *r, struct mpii_umsg *m);
void mpii_nb_add(struct mpii_req *r);	/* progress r's schedule from mpii_progress */
void mpii_wait_publish(struct mpii_req *r);
int mpii_out_pending(void);
/* Whether the engine has messages in flight (coming in, or queued to go out). */
int mpii_engine_busy(void);
/*
 * The fast path of a short contiguous eager message (engine.c). mpii_send_now: 1 when len
 * bytes of buf went to world rank wr at once (the send is complete), 0 when the general
 * path must send it. mpii_recv_now: for a blocking receive that nothing posted or
 * unexpected precedes: 1 when the next message from world rank wr matched (ctx, src, tag)
 * and was received whole into buf (*st set), 0 when none has come yet, -1 when the general
 * path must take it (another message first, a rendezvous, more than cap bytes).
 */
int mpii_send_now(int wr, uint32_t ctx, int tag, int rank, const void *buf, size_t len);
int mpii_recv_now(int wr, uint32_t ctx, int src, int tag, void *buf, size_t cap,
		  MPI_Status *st);
/* Whether anything besides the engine needs progress (schedules of non-blocking
 * collectives, Comm_idup): a blocking call that waits outside mpii_wait must not. */
int mpii_progress_pending(void);

/*
 * Matching (match.c; its header comment is the contract). A receive is named by
 * (r->comm->ctx + r->ctxoff, r->peer, r->tag), wildcards allowed; a message by
 * (ctx, src, tag). Both queues are in arrival order, searched from the head.
 */
/* The rule: receive (rctx, rsrc, rtag), wildcards allowed, against message (ctx, src, tag). */
static inline int mpii_matches(int rctx, int rsrc, int rtag, int ctx, int src, int tag)
{
	return rctx == ctx && (rsrc == MPI_ANY_SOURCE || rsrc == src) &&
	       (rtag == MPI_ANY_TAG || rtag == tag);
}

/* The posted queue's ends: match.c's, here for its inline operations (every receive that
 * waits for its message is added and taken). */
extern struct mpii_req *mpii_posted_head, *mpii_posted_tail;
static inline int mpii_posted_empty(void)	/* no receive is posted */
{
	return mpii_posted_head == NULL;
}

/* Appends a receive that found no message. */
static inline void mpii_posted_add(struct mpii_req *r)
{
	r->qprev = mpii_posted_tail;
	r->qnext = NULL;
	if (mpii_posted_tail)
		mpii_posted_tail->qnext = r;
	else
		mpii_posted_head = r;
	mpii_posted_tail = r;
}

static inline void mpii_posted_unlink(struct mpii_req *r)
{
	if (r->qprev)
		r->qprev->qnext = r->qnext;
	else
		mpii_posted_head = r->qnext;
	if (r->qnext)
		r->qnext->qprev = r->qprev;
	else
		mpii_posted_tail = r->qprev;
	r->qnext = r->qprev = NULL;
}

/* The earliest posted receive message (ctx, src, tag) matches, out of the queue, or NULL. */
static inline struct mpii_req *mpii_posted_take(int ctx, int src, int tag)
{
	struct mpii_req *r;

	for (r = mpii_posted_head; r; r = r->qnext)
		if (mpii_matches(r->comm->ctx + r->ctxoff, r->peer, r->tag, ctx, src, tag)) {
			mpii_posted_unlink(r);
			return r;
		}
	return NULL;
}
int mpii_posted_remove(struct mpii_req *r);	/* 1 if r was posted (and now is not) */
/* An unexpected-message record with room for len bytes, or NULL; mpii_umsg_free frees it. */
struct mpii_umsg *mpii_umsg_new(size_t len);
void mpii_umsg_free(struct mpii_umsg *m);
void mpii_umsg_add(struct mpii_umsg *m);	/* appends to the unexpected queue */
/* The earliest unexpected message a receive (ctx, src, tag) matches, left queued; or NULL.
 * (Inline, the queue's head being match.c's: every receive asks, and it is mostly empty.) */
extern struct mpii_umsg *mpii_unexp_head;
struct mpii_umsg *mpii_umsg_find_queued(int ctx, int src, int tag);
static inline struct mpii_umsg *mpii_umsg_find(int ctx, int src, int tag)
{
	return mpii_unexp_head ? mpii_umsg_find_queued(ctx, src, tag) : NULL;
}
void mpii_umsg_unlink(struct mpii_umsg *m);
void mpii_umsg_status(const struct mpii_umsg *m, MPI_Status *st);

/*
 * Checks the arguments of a point-to-point call: 0, or the class of the first bad one with
 * *c set when the communicator itself is valid (to raise the error on it).
 */
static inline int mpii_check_buf(const void *buf, MPI_Count count, const struct mpii_dtype *t);
/* (inline: every point-to-point call makes it, and `recv` is a constant there) */
MPII_HOT int mpii_p2p_check(MPI_Comm comm, const void *buf, int count, MPI_Datatype datatype,
			    int peer, int tag, int recv, struct mpii_comm **c,
			    struct mpii_dtype **t)
{
	int n;

	*c = mpii_comm_get(comm);
	if (!*c)
		return MPI_ERR_COMM;
	if (count < 0)
		return MPI_ERR_COUNT;
	if (mpii_dtype_check(datatype, t))
		return MPI_ERR_TYPE;
	if (recv ? (tag < 0 && tag != MPI_ANY_TAG) : (tag < 0 || tag > MPII_TAG_UB))
		return MPI_ERR_TAG;
	n = mpii_comm_peer_size(*c);
	if (peer != MPI_PROC_NULL && !(recv && peer == MPI_ANY_SOURCE) && (peer < 0 || peer >= n))
		return MPI_ERR_RANK;
	if (mpii_check_buf(buf, count, *t))
		return MPI_ERR_BUFFER;
	return MPI_SUCCESS;
}

/* Buffered sends (bsend.c) */
int mpii_bsend(const void *buf, MPI_Count count, struct mpii_dtype *t, int dest, int tag,
	       struct mpii_comm *c, struct mpii_req **out);
void mpii_bsend_done(struct mpii_req *r);

/* Request lookup for MPI_ calls: 0 or MPI_ERR_REQUEST. NULL *out for MPI_REQUEST_NULL. */
int mpii_req_get(MPI_Request h, struct mpii_req **out);
/* Completes r for the user: fills status (but its MPI_ERROR), frees or deactivates;
 * returns its error. */
int mpii_req_finish(struct mpii_req *r, MPI_Request *h, MPI_Status *st);
int mpii_req_test(struct mpii_req *r);	/* 1 when done (runs generalized-request checks) */

/* ---- Collective schedules (sched.c) ---- */
enum mpii_sopkind {
	MPII_S_SEND = 1, MPII_S_RECV, MPII_S_REDUCE, MPII_S_COPY, MPII_S_CALL, MPII_S_END
};
/*
 * A step of the caller's own (MPII_S_CALL): fn(s, arg) runs when its round starts and returns
 * 0, an error class (kept in s->err), or MPII_SCHED_AGAIN: not done yet, call again at the
 * next progress (the round waits for it as for a message). It may add steps to s; they run
 * after every step already in s. Never waits itself: that is what AGAIN is for.
 */
struct mpii_sched;
typedef int mpii_sched_fn(struct mpii_sched *s, void *arg);
#define MPII_SCHED_AGAIN (-1)
struct mpii_sop {
	int kind;
	int peer;
	const void *sbuf;
	void *buf;
	MPI_Count count, count2;
	struct mpii_dtype *t, *t2;
	struct mpii_op *op;
	struct mpii_comm *comm;	/* the communicator the message goes on */
	int ctxoff, tag;	/* its context (1: collective) and tag (the schedule's) */
	mpii_sched_fn *fn;	/* MPII_S_CALL */
	void *arg;
};
struct mpii_sched {
	struct mpii_comm *comm;
	const char *name;	/* the MPI function that built it (for traces), or NULL */
	int step;		/* the library's own: enum tessera_trace_step (0: the user's) */
	int tag;
	int nops, cap;
	struct mpii_sop *ops;
	int cur, started;
	int npend;
	struct mpii_req **pend;
	int npcap;
	int *calls;		/* MPII_S_CALL steps of this round that said AGAIN (indices) */
	int ncalls, ccap;
	void **tmps;
	int ntmps, tmpcap;
	char *area;		/* MPII_SCHED_AREA bytes for small buffers, area_used of them taken */
	size_t area_used;
	int err;
	int eager;		/* runs as it is built (mpii_sched_blocking) */
	int32_t trace_tag;	/* an eager one's COLL trace records' tag, 0: none */
};
/* More ranks than host CPUs to run them (a paravirtual hint from the boot info): collectives
 * then prefer algorithms with fewer waits to algorithms with fewer rounds. */
int mpii_oversubscribed(void);
struct mpii_sched *mpii_sched_new(struct mpii_comm *c);
/*
 * A new eager schedule on c, for a blocking collective of kind name ("MPI_Barrier"; for
 * traces, step as mpii_sched_mine's): each step starts as it is added, a round's end waits
 * for its messages (the top of sched.c), mpii_sched_finish waits for the last ones and frees
 * it. No call steps. NULL: no memory.
 */
struct mpii_sched *mpii_sched_blocking(struct mpii_comm *c, const char *name, int step);
/* The schedule of the collective call fname on c: for a non-blocking call (req) a listed
 * one, which mpii_coll_run hands to a request; for a blocking one an eager one. */
struct mpii_sched *mpii_coll_sched(struct mpii_comm *c, MPI_Request *req, const char *fname);
/* Mark s (if any) as one of the library's own collectives, of kind coll ("MPI_Allreduce"),
 * for step (enum tessera_trace_step): traces name it after the MPI call it runs in. */
static inline struct mpii_sched *mpii_sched_mine(struct mpii_sched *s, const char *coll,
						 int step)
{
	if (s) {
		s->name = coll;
		s->step = step;
	}
	return s;
}
/* The tag of a trace's COLL records for a collective of kind name ("MPI_Allreduce", NULL:
 * none of MPI's) run for step (enum tessera_trace_step, 0: the user's own) in the MPI call
 * in progress. */
int32_t mpii_coll_tag(const char *name, int step);
void mpii_sched_free(struct mpii_sched *s);
void *mpii_sched_tmp(struct mpii_sched *s, size_t bytes);	/* freed with the schedule */
/* Room for count elements of t, as a buffer address for t (lb-adjusted); 0 or NO_MEM. */
int mpii_sched_tmpbuf(struct mpii_sched *s, MPI_Count count, struct mpii_dtype *t, void **out);
int mpii_sched_send(struct mpii_sched *s, const void *buf, MPI_Count count,
		    struct mpii_dtype *t, int peer);
int mpii_sched_recv(struct mpii_sched *s, void *buf, MPI_Count count, struct mpii_dtype *t,
		    int peer);
int mpii_sched_reduce(struct mpii_sched *s, const void *in, void *inout, MPI_Count count,
		      struct mpii_dtype *t, struct mpii_op *op);
int mpii_sched_copy(struct mpii_sched *s, const void *src, MPI_Count scount,
		    struct mpii_dtype *st, void *dst, MPI_Count dcount, struct mpii_dtype *dt);
int mpii_sched_round(struct mpii_sched *s);	/* later ops wait for earlier ones */
/* A step that calls fn(s, arg) when its round starts (MPII_S_CALL, above). */
int mpii_sched_call(struct mpii_sched *s, mpii_sched_fn *fn, void *arg);
/*
 * Steps added from now on send and receive on c (which must outlive the schedule, as the
 * local intracommunicator of an intercommunicator does) instead of the schedule's
 * communicator; rank and size in the builders are then c's. Returns the previous one, to
 * be restored before the schedule runs.
 */
struct mpii_comm *mpii_sched_use(struct mpii_sched *s, struct mpii_comm *c);
/* A send (recv 0) or receive on c with an explicit context offset and tag. */
int mpii_sched_xfer(struct mpii_sched *s, int recv, struct mpii_comm *c, int ctxoff, int tag,
		    void *buf, MPI_Count count, struct mpii_dtype *t, int peer);
/* 1 when the schedule has finished, 0 while not; errors land in s->err. */
int mpii_sched_progress(struct mpii_sched *s);
/* Runs the listed schedule s to completion (blocking call) or hands it to *req (non-blocking
 * call). An eager one has run already: mpii_sched_finish ends it. */
int mpii_sched_run(struct mpii_sched *s, MPI_Request *req);
/* A request of kind that owns s and completes when s has run (progressed by mpii_progress),
 * its error s->err; NULL when out of memory (s is freed then). */
struct mpii_req *mpii_sched_start(struct mpii_sched *s, int kind);
/* The end of building a schedule: rc 0 runs s (mpii_sched_run), else s is freed and rc
 * returned. mpii_coll_run does the same for the MPI_ call fname and raises an error on c. */
int mpii_sched_finish(struct mpii_sched *s, int rc, MPI_Request *req);
int mpii_coll_run(struct mpii_comm *c, struct mpii_sched *s, int rc, MPI_Request *req,
		  const char *fname);
struct mpii_dtype *mpii_byte_type(void);	/* MPI_BYTE */

/* Collective argument checks shared by the coll_*.c files: 0 or the class of the first bad
 * argument; *c is set whenever the communicator is valid (to raise the error on it). */
int mpii_coll_comm(MPI_Comm h, struct mpii_comm **out, int intra_only);
/* An intracommunicator, a count and a committed type. */
int mpii_coll_check(MPI_Comm comm, int count, MPI_Datatype datatype, struct mpii_comm **c,
		    struct mpii_dtype **t);
/* The same, then an op that applies to the type and a send buffer (MPI_IN_PLACE allowed). */
int mpii_coll_check_op(MPI_Comm comm, const void *sbuf, int count, MPI_Datatype datatype,
		       MPI_Op op, struct mpii_comm **c, struct mpii_dtype **t, struct mpii_op **o);
int mpii_check_root(struct mpii_comm *c, int root);
int mpii_check_count(int count);
/* A NULL buffer is an error unless the type addresses absolutely (MPI_BOTTOM use). */
static inline int mpii_check_buf(const void *buf, MPI_Count count, const struct mpii_dtype *t)
{
	if (buf == MPI_IN_PLACE)
		return MPI_ERR_BUFFER;
	return count > 0 && t->size > 0 && !buf && t->true_lb == 0 ? MPI_ERR_BUFFER : MPI_SUCCESS;
}

/* Schedule builders used by more than one collective file. */
int mpii_build_bcast(struct mpii_sched *s, void *buf, MPI_Count count, struct mpii_dtype *t,
		     int root);
/* MPI_Bcast's: for ranks that share `cpus` host CPUs (fewer than the ranks), a tree of groups
 * as the emu backend's runners hold them (coll_bcast.c); else (cpus 0) mpii_build_bcast. */
int mpii_build_bcast_cpus(struct mpii_sched *s, void *buf, MPI_Count count,
			  struct mpii_dtype *t, int root, int cpus);
int mpii_build_reduce(struct mpii_sched *s, const void *sbuf, void *rbuf, MPI_Count count,
		      struct mpii_dtype *t, struct mpii_op *op, int root);
int mpii_build_allreduce(struct mpii_sched *s, const void *sbuf, void *rbuf, MPI_Count count,
			 struct mpii_dtype *t, struct mpii_op *op);
int mpii_build_barrier(struct mpii_sched *s);
/* Every rank's n ints of mine into all (rank r's at all + r * n). */
int mpii_build_allgather_int(struct mpii_sched *s, const int *mine, int n, int *all);

/*
 * Collectives on intercommunicators (coll_inter.c), called by the MPI_ functions of the
 * coll_*.c files with the same arguments (c an intercommunicator, req NULL for the
 * blocking form; counts NULL for the regular forms of the v-collectives, block/count then);
 * they raise their errors on c and return what mpii_raise returned.
 */
int mpii_inter_barrier(struct mpii_comm *c, MPI_Request *req, const char *fname);
int mpii_inter_bcast(void *buf, int count, MPI_Datatype dt, int root, struct mpii_comm *c,
		     MPI_Request *req, const char *fname);
int mpii_inter_gather(const void *sbuf, int scount, MPI_Datatype sdt, void *rbuf,
		      const int *counts, int count, const int *displs, MPI_Datatype rdt, int root,
		      struct mpii_comm *c, MPI_Request *req, const char *fname);
int mpii_inter_scatter(const void *sbuf, const int *counts, int count, const int *displs,
		       MPI_Datatype sdt, void *rbuf, int rcount, MPI_Datatype rdt, int root,
		       struct mpii_comm *c, MPI_Request *req, const char *fname);
int mpii_inter_allgather(const void *sbuf, int scount, MPI_Datatype sdt, void *rbuf,
			 const int *counts, int count, const int *displs, MPI_Datatype rdt,
			 struct mpii_comm *c, MPI_Request *req, const char *fname);
int mpii_inter_alltoall(int kind, const void *sbuf, const int *scounts, const int *sdispls,
			const MPI_Datatype *stypes, void *rbuf, const int *rcounts,
			const int *rdispls, const MPI_Datatype *rtypes, struct mpii_comm *c,
			MPI_Request *req, const char *fname);
int mpii_inter_reduce(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op,
		      int root, struct mpii_comm *c, MPI_Request *req, const char *fname);
int mpii_inter_allreduce(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op,
			 struct mpii_comm *c, MPI_Request *req, const char *fname);
int mpii_inter_reduce_scatter(const void *sbuf, void *rbuf, const int *counts, int block,
			      MPI_Datatype dt, MPI_Op op, struct mpii_comm *c, MPI_Request *req,
			      const char *fname);
/* Both groups' n ints per member, local ones into lall, remote ones into rall (blocking). */
int mpii_inter_allgather_int(struct mpii_comm *c, const int *mine, int n, int *lall,
			     int *rall);
/* The intercommunicator behind h, or NULL (not one, or not a communicator). */
static inline struct mpii_comm *mpii_inter_get(MPI_Comm h)
{
	struct mpii_comm *c = mpii_comm_get(h);

	return c && c->inter ? c : NULL;
}

/* Internal collectives on a communicator (blocking); 0 or class. */
int mpii_allreduce_int(struct mpii_comm *c, int *buf, int n, MPI_Op op);
int mpii_allgather_int(struct mpii_comm *c, const int *mine, int n, int *all);
int mpii_bcast_raw(struct mpii_comm *c, void *buf, size_t bytes, int root);
int mpii_barrier(struct mpii_comm *c);

/* ---- Shared DRAM (shm.c): the part mpb-channels leaves, for windows and files ---- */
/*
 * A heap over the shared DRAM above mpbc_shared_bytes(), one for the board, its block table
 * in shared DRAM under the test-and-set register of world rank 0's core. Addresses are core
 * addresses, the same on every core. 0 or MPI_ERR_NO_MEM (also when the board has none).
 */
int mpii_shm_alloc(size_t bytes, uintptr_t *addr);
/* The same for memory the caller can do without (it falls back to private DRAM): granted
 * only while a reserve of the heap stays free for what must be shared. */
int mpii_shm_alloc_spare(size_t bytes, uintptr_t *addr);
void mpii_shm_free(uintptr_t addr);
int mpii_shm_contains(const void *p, size_t n);	/* [p, p + n) lies in shared DRAM */
/* The shared-memory domain of a world rank: ranks of one domain reach each other's shared
 * DRAM through pointers. The whole board is one, except a board spread over several hosts
 * (docs/distributed.md), where each host is one (each keeps its own replica). */
int mpii_shm_domain(int world_rank);
/* Short critical sections under core's test-and-set register: the lock, then CL1INVMB;
 * the unlock drains the WCB first. Never held across a wait. */
void mpii_tas_lock(uint32_t core);
void mpii_tas_unlock(uint32_t core);
/*
 * Reader-writer locks held across MPI calls (window locks, file atomicity): a record of
 * mpii_shlock_bytes() in shared DRAM, guarded by the test-and-set register of its home
 * core. A waiter registers in the record and halts; the releaser interrupts it. While it
 * waits it publishes (tk_wait_set) lw's kind, a rank that holds the lock, lw's owner as the
 * tag and lw's context: `tessera ps` shows it and the deadlock detector follows it.
 */
struct mpii_lockwait {
	uint32_t kind;		/* TESSERA_WAIT_RMA_LOCK or TESSERA_WAIT_FILE_LOCK */
	int owner;		/* world rank whose window part (or file) the lock guards */
	uint32_t ctx;		/* context id of the window's or file's communicator */
};
size_t mpii_shlock_bytes(void);
void mpii_shlock_init(uintptr_t rec);
void mpii_shlock_acquire(uintptr_t rec, uint32_t home, int excl, const struct mpii_lockwait *lw);
/* One attempt: 1 when taken; else 0, registered as a waiter (interrupted when it frees). */
int mpii_shlock_try(uintptr_t rec, uint32_t home, int excl);
void mpii_shlock_release(uintptr_t rec, uint32_t home, int excl);

/* ---- One-sided communication and MPI-IO (win_*.c, file_*.c) ---- */
/* Serves requests other ranks sent to this rank's windows; 1 if anything moved.
 * Called by mpii_progress. */
int mpii_win_progress(void);
/* Whether a window exists or requests of this rank are still owned: the one-sided service
 * then needs mpii_progress (the fast path of a blocking receive does not wait without it). */
int mpii_win_active(void);
/* Raise code on a window or file: their error handler, not a communicator's. */
struct mpii_win;
struct mpii_file;
int mpii_raise_win(struct mpii_win *w, int code, const char *fn);
int mpii_raise_file(struct mpii_file *f, int code, const char *fn);
/* Applies error handler e (its object `handle`) to code, fatal if e is; returns code. */
int mpii_raise_errh(struct mpii_errh *e, int handle, int code, const char *fn);

/* ---- Misc ---- */
void *mpii_malloc(size_t n);	/* malloc that never returns NULL for n == 0 */
char *mpii_strdup(const char *s);
void mpii_strlcpy(char *dst, const char *src, size_t n);
int mpii_world_rank(void);
int mpii_world_size(void);
extern int mpii_thread_level;

#endif
