/* SPDX-License-Identifier: MIT */
/*
 * coll_inter.c: the collectives on intercommunicators (MPI-3.1 5.2.2), blocking and not,
 * entered from the MPI_ functions of the coll_*.c files when the communicator is an
 * intercommunicator.
 *
 * Data goes from one group to the other. Rooted collectives name their root as MPI_ROOT
 * (the root itself), MPI_PROC_NULL (the rest of its group: they take no part) or the root's
 * rank in the remote group (the other group). Algorithms: the steps within a group run on
 * the intercommunicator's local intracommunicator with the intracommunicator builders
 * (binomial reduce and bcast, the barrier), and the groups meet through their leaders
 * (rank 0): barrier, bcast, reduce, allreduce and reduce-scatter that way; the gathers,
 * scatters and all-to-alls send every block straight to its destination in one round.
 * MPI_IN_PLACE has no meaning here and is refused (MPI_ERR_BUFFER), as are MPI_Scan and
 * MPI_Exscan (MPI_ERR_COMM, in coll_scan.c).
 */
#include <stdlib.h>
#include "mpii_impl.h"

enum { ROLE_NONE, ROLE_ROOT, ROLE_LEAF };	/* MPI_PROC_NULL, MPI_ROOT, the other group */

static int role_of(struct mpii_comm *c, int root, int *role)
{
	if (root == MPI_ROOT)
		*role = ROLE_ROOT;
	else if (root == MPI_PROC_NULL)
		*role = ROLE_NONE;
	else if (root >= 0 && root < c->remote->size)
		*role = ROLE_LEAF;
	else
		return MPI_ERR_ROOT;
	return MPI_SUCCESS;
}

/* A typed buffer argument: count, type (committed) and buffer; 0 or the class. */
static int check_buf(const void *buf, int count, MPI_Datatype h, struct mpii_dtype **t)
{
	if (count < 0)
		return MPI_ERR_COUNT;
	if (mpii_dtype_check(h, t))
		return MPI_ERR_TYPE;
	if (buf == MPI_IN_PLACE || mpii_check_buf(buf, count, *t))
		return MPI_ERR_BUFFER;
	return MPI_SUCCESS;
}

static int check_op(MPI_Op h, struct mpii_dtype *t, struct mpii_op **o)
{
	*o = mpii_handle_get(MPII_K_OP, h);
	return *o && !mpii_op_check_reduce(*o, t) ? MPI_SUCCESS : MPI_ERR_OP;
}

/* A schedule on c, or the error raised. (Every member makes one, even one that takes no
 * part: the collective sequence numbers of the two groups stay in step.) */
static struct mpii_sched *start(struct mpii_comm *c, int rc, MPI_Request *req, const char *fname,
				 int *err)
{
	struct mpii_sched *s;

	*err = rc;
	if (rc) {
		mpii_raise(c, rc, fname);
		return NULL;
	}
	s = mpii_coll_sched(c, req, fname);
	if (!s)
		*err = mpii_raise(c, MPI_ERR_NO_MEM, fname);
	return s;
}

/* The leaders trade n of t: from sbuf to the other leader, from it into rbuf. */
static int leaders(struct mpii_sched *s, const void *sbuf, void *rbuf, MPI_Count n,
		   struct mpii_dtype *t)
{
	int rc;

	if (s->comm->rank != 0)
		return MPI_SUCCESS;
	rc = mpii_sched_send(s, sbuf, n, t, 0);
	if (!rc)
		rc = mpii_sched_recv(s, rbuf, n, t, 0);
	return rc ? rc : mpii_sched_round(s);
}

int mpii_inter_barrier(struct mpii_comm *c, MPI_Request *req, const char *fname)
{
	struct mpii_dtype *b = mpii_byte_type();
	struct mpii_sched *s;
	int rc;

	if (!(s = start(c, 0, req, fname, &rc)))
		return rc;
	/* everyone here has entered; the leaders learn the same of the other group; go */
	mpii_sched_use(s, c->lcomm);
	rc = mpii_build_barrier(s);
	if (!rc)
		rc = mpii_sched_round(s);
	mpii_sched_use(s, c);
	if (!rc)
		rc = leaders(s, NULL, NULL, 0, b);
	mpii_sched_use(s, c->lcomm);
	if (!rc)
		rc = mpii_build_bcast(s, NULL, 0, b, 0);
	mpii_sched_use(s, c);
	return mpii_coll_run(c, s, rc, req, fname);
}

int mpii_inter_bcast(void *buf, int count, MPI_Datatype dt, int root, struct mpii_comm *c,
		     MPI_Request *req, const char *fname)
{
	struct mpii_dtype *t = NULL;
	struct mpii_sched *s;
	int role, rc = role_of(c, root, &role);

	if (!rc && role != ROLE_NONE)
		rc = check_buf(buf, count, dt, &t);
	if (!(s = start(c, rc, req, fname, &rc)))
		return rc;
	if (role == ROLE_ROOT) {
		rc = mpii_sched_send(s, buf, count, t, 0);
	} else if (role == ROLE_LEAF) {
		if (c->rank == 0) {
			rc = mpii_sched_recv(s, buf, count, t, root);
			if (!rc)
				rc = mpii_sched_round(s);
		}
		mpii_sched_use(s, c->lcomm);
		if (!rc)
			rc = mpii_build_bcast(s, buf, count, t, 0);
		mpii_sched_use(s, c);
	}
	return mpii_coll_run(c, s, rc, req, fname);
}

/*
 * Gather(v) (gather 1) and Scatter(v) (gather 0): the root's many blocks (counts NULL:
 * count for everyone, one after the other) meet one block of each member of the other group.
 */
static int rooted(int gather, const void *one, int onecount, MPI_Datatype onedt, void *many,
		  const int *counts, int count, const int *displs, MPI_Datatype manydt, int root,
		  struct mpii_comm *c, MPI_Request *req, const char *fname)
{
	struct mpii_dtype *ot, *mt;
	struct mpii_sched *s;
	int role, i, rc = role_of(c, root, &role);

	if (!rc && role == ROLE_LEAF)
		rc = check_buf(one, onecount, onedt, &ot);
	if (!rc && role == ROLE_ROOT) {
		if (counts && !displs)
			rc = MPI_ERR_ARG;
		for (i = 0; !rc && i < c->remote->size; i++)
			rc = check_buf(many, counts ? counts[i] : count, manydt, &mt);
		if (!rc && c->remote->size == 0)
			rc = mpii_dtype_check(manydt, &mt) ? MPI_ERR_TYPE : 0;
	}
	if (!(s = start(c, rc, req, fname, &rc)))
		return rc;
	if (role == ROLE_LEAF) {
		rc = gather ? mpii_sched_send(s, one, onecount, ot, root)
			    : mpii_sched_recv(s, (void *)one, onecount, ot, root);
	} else if (role == ROLE_ROOT) {
		MPI_Aint ext = mpii_extent(mt);

		for (i = 0; i < c->remote->size && !rc; i++) {
			char *blk = (char *)many + (counts ? (MPI_Aint)displs[i] :
							     (MPI_Aint)i * count) * ext;
			MPI_Count n = counts ? counts[i] : count;

			rc = gather ? mpii_sched_recv(s, blk, n, mt, i)
				    : mpii_sched_send(s, blk, n, mt, i);
		}
	}
	return mpii_coll_run(c, s, rc, req, fname);
}

int mpii_inter_gather(const void *sbuf, int scount, MPI_Datatype sdt, void *rbuf,
		      const int *counts, int count, const int *displs, MPI_Datatype rdt, int root,
		      struct mpii_comm *c, MPI_Request *req, const char *fname)
{
	return rooted(1, sbuf, scount, sdt, rbuf, counts, count, displs, rdt, root, c, req,
		      fname);
}

int mpii_inter_scatter(const void *sbuf, const int *counts, int count, const int *displs,
		       MPI_Datatype sdt, void *rbuf, int rcount, MPI_Datatype rdt, int root,
		       struct mpii_comm *c, MPI_Request *req, const char *fname)
{
	return rooted(0, rbuf, rcount, rdt, (void *)sbuf, counts, count, displs, sdt, root, c,
		      req, fname);
}

/* Allgather and Allgatherv: every member's block goes to every member of the other group. */
int mpii_inter_allgather(const void *sbuf, int scount, MPI_Datatype sdt, void *rbuf,
			 const int *counts, int count, const int *displs, MPI_Datatype rdt,
			 struct mpii_comm *c, MPI_Request *req, const char *fname)
{
	struct mpii_dtype *st, *rt = NULL;
	struct mpii_sched *s;
	int i, rc = check_buf(sbuf, scount, sdt, &st);
	MPI_Aint ext;

	if (!rc && counts && !displs)
		rc = MPI_ERR_ARG;
	for (i = 0; !rc && i < c->remote->size; i++)
		rc = check_buf(rbuf, counts ? counts[i] : count, rdt, &rt);
	if (!rc && !rt && mpii_dtype_check(rdt, &rt))
		rc = MPI_ERR_TYPE;
	if (!(s = start(c, rc, req, fname, &rc)))
		return rc;
	ext = mpii_extent(rt);
	for (i = 0; i < c->remote->size && !rc; i++) {
		rc = mpii_sched_send(s, sbuf, scount, st, i);
		if (!rc)
			rc = mpii_sched_recv(s, (char *)rbuf + (counts ? (MPI_Aint)displs[i] :
							       (MPI_Aint)i * count) * ext,
					     counts ? counts[i] : count, rt, i);
	}
	return mpii_coll_run(c, s, rc, req, fname);
}

/* kind 0: alltoall (counts and types [0] for all), 1: alltoallv, 2: alltoallw (byte
 * displacements); the arrays run over the remote group. */
int mpii_inter_alltoall(int kind, const void *sbuf, const int *scounts, const int *sdispls,
			const MPI_Datatype *stypes, void *rbuf, const int *rcounts,
			const int *rdispls, const MPI_Datatype *rtypes, struct mpii_comm *c,
			MPI_Request *req, const char *fname)
{
	int q = c->remote->size, i, rc = 0;
	struct mpii_sched *s;

	for (i = 0; !rc && i < q; i++) {
		struct mpii_dtype *t;

		rc = check_buf(sbuf, scounts[kind ? i : 0], stypes[kind == 2 ? i : 0], &t);
		if (!rc)
			rc = check_buf(rbuf, rcounts[kind ? i : 0], rtypes[kind == 2 ? i : 0], &t);
	}
	if (!(s = start(c, rc, req, fname, &rc)))
		return rc;
	for (i = 0; i < q && !rc; i++) {
		struct mpii_dtype *st = mpii_dtype_get(stypes[kind == 2 ? i : 0]);
		struct mpii_dtype *rt = mpii_dtype_get(rtypes[kind == 2 ? i : 0]);
		MPI_Count sn = scounts[kind ? i : 0], rn = rcounts[kind ? i : 0];
		MPI_Aint sd = kind == 0 ? (MPI_Aint)i * sn * mpii_extent(st) :
			      kind == 1 ? (MPI_Aint)sdispls[i] * mpii_extent(st) : sdispls[i];
		MPI_Aint rd = kind == 0 ? (MPI_Aint)i * rn * mpii_extent(rt) :
			      kind == 1 ? (MPI_Aint)rdispls[i] * mpii_extent(rt) : rdispls[i];

		rc = mpii_sched_send(s, (const char *)sbuf + sd, sn, st, i);
		if (!rc)
			rc = mpii_sched_recv(s, (char *)rbuf + rd, rn, rt, i);
	}
	return mpii_coll_run(c, s, rc, req, fname);
}

/* This group's reduction of count elements of sbuf, into a work buffer of the leader
 * (*acc; NULL elsewhere). Leaves the schedule on c. */
static int reduce_here(struct mpii_sched *s, struct mpii_comm *c, const void *sbuf,
		       MPI_Count count, struct mpii_dtype *t, struct mpii_op *o, void **acc)
{
	int rc = 0;

	*acc = NULL;
	if (c->rank == 0)
		rc = mpii_sched_tmpbuf(s, count, t, acc);
	mpii_sched_use(s, c->lcomm);
	if (!rc)
		rc = mpii_build_reduce(s, sbuf, *acc, count, t, o, 0);
	if (!rc)
		rc = mpii_sched_round(s);
	mpii_sched_use(s, c);
	return rc;
}

int mpii_inter_reduce(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op,
		      int root, struct mpii_comm *c, MPI_Request *req, const char *fname)
{
	struct mpii_dtype *t;
	struct mpii_op *o;
	struct mpii_sched *s;
	void *acc;
	int role, rc = role_of(c, root, &role);

	if (!rc && role != ROLE_NONE)
		rc = check_buf(role == ROLE_ROOT ? rbuf : sbuf, count, dt, &t);
	if (!rc && role != ROLE_NONE)
		rc = check_op(op, t, &o);
	if (!(s = start(c, rc, req, fname, &rc)))
		return rc;
	if (role == ROLE_ROOT) {
		rc = mpii_sched_recv(s, rbuf, count, t, 0);
	} else if (role == ROLE_LEAF) {
		rc = reduce_here(s, c, sbuf, count, t, o, &acc);
		if (!rc && c->rank == 0)
			rc = mpii_sched_send(s, acc, count, t, root);
	}
	return mpii_coll_run(c, s, rc, req, fname);
}

int mpii_inter_allreduce(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op,
			 struct mpii_comm *c, MPI_Request *req, const char *fname)
{
	struct mpii_dtype *t;
	struct mpii_op *o;
	struct mpii_sched *s;
	void *acc;
	int rc = check_buf(sbuf, count, dt, &t);

	if (!rc)
		rc = check_buf(rbuf, count, dt, &t);
	if (!rc)
		rc = check_op(op, t, &o);
	if (!(s = start(c, rc, req, fname, &rc)))
		return rc;
	/* each group reduces to its leader, the leaders trade, each group gets the other's */
	rc = reduce_here(s, c, sbuf, count, t, o, &acc);
	if (!rc)
		rc = leaders(s, acc, rbuf, count, t);
	mpii_sched_use(s, c->lcomm);
	if (!rc)
		rc = mpii_build_bcast(s, rbuf, count, t, 0);
	mpii_sched_use(s, c);
	return mpii_coll_run(c, s, rc, req, fname);
}

/* Reduce_scatter (counts per local rank) and Reduce_scatter_block (block for each): the
 * other group's reduction of the whole vector, scattered here by the leader. */
int mpii_inter_reduce_scatter(const void *sbuf, void *rbuf, const int *counts, int block,
			      MPI_Datatype dt, MPI_Op op, struct mpii_comm *c, MPI_Request *req,
			      const char *fname)
{
	struct mpii_dtype *t;
	struct mpii_op *o;
	struct mpii_sched *s;
	MPI_Count total = 0, d = 0;
	void *acc, *theirs = NULL;
	int i, rc = 0;

	for (i = 0; i < c->size && !rc; i++) {
		if ((counts ? counts[i] : block) < 0)
			rc = MPI_ERR_COUNT;
		total += counts ? counts[i] : block;
	}
	if (!rc)
		rc = check_buf(sbuf, (int)total, dt, &t);
	if (!rc)
		rc = check_buf(rbuf, counts ? counts[c->rank] : block, dt, &t);
	if (!rc)
		rc = check_op(op, t, &o);
	if (!(s = start(c, rc, req, fname, &rc)))
		return rc;
	rc = reduce_here(s, c, sbuf, total, t, o, &acc);
	if (!rc && c->rank == 0)
		rc = mpii_sched_tmpbuf(s, total, t, &theirs);
	if (!rc)
		rc = leaders(s, acc, theirs, total, t);
	mpii_sched_use(s, c->lcomm);
	for (i = 0; i < c->size && !rc && c->rank == 0; i++) {
		MPI_Count n = counts ? counts[i] : block;
		char *blk = (char *)theirs + d * mpii_extent(t);

		rc = i == 0 ? mpii_sched_copy(s, blk, n, t, rbuf, n, t)
			    : mpii_sched_send(s, blk, n, t, i);
		d += n;
	}
	if (!rc && c->rank != 0)
		rc = mpii_sched_recv(s, rbuf, counts ? counts[c->rank] : block, t, 0);
	mpii_sched_use(s, c);
	return mpii_coll_run(c, s, rc, req, fname);
}

int mpii_inter_allgather_int(struct mpii_comm *c, const int *mine, int n, int *lall,
			     int *rall)
{
	struct mpii_dtype *it = mpii_dtype_get(MPI_INT);
	struct mpii_sched *s = mpii_sched_blocking(c, NULL, 0);
	int i, rc = 0;

	if (!s)
		return MPI_ERR_NO_MEM;
	for (i = 0; i < c->remote->size && !rc; i++) {
		rc = mpii_sched_send(s, mine, n, it, i);
		if (!rc)
			rc = mpii_sched_recv(s, rall + (size_t)i * n, n, it, i);
	}
	mpii_sched_use(s, c->lcomm);
	for (i = 0; i < c->size && !rc; i++) {
		if (i == c->rank) {
			rc = mpii_sched_copy(s, mine, n, it, lall + (size_t)i * n, n, it);
			continue;
		}
		rc = mpii_sched_send(s, mine, n, it, i);
		if (!rc)
			rc = mpii_sched_recv(s, lall + (size_t)i * n, n, it, i);
	}
	mpii_sched_use(s, c);
	return mpii_sched_finish(s, rc, NULL);
}
