/* SPDX-License-Identifier: MIT */
/*
 * coll_reduce.c: MPI_Reduce (binomial tree), MPI_Allreduce (recursive doubling for short
 * vectors, reduce-scatter by recursive halving + allgather by recursive doubling for long
 * ones with commutative operations), MPI_Reduce_scatter(_block), and non-blocking forms.
 * Non-commutative operations keep rank order: the lower ranks' partial result is always
 * the left operand.
 */
#include <stdlib.h>
#include <string.h>
#include "mpii_impl.h"
#include "tk.h"

/* acc <- in op acc when the in data comes from lower ranks, else acc <- acc op in. */
static int combine(struct mpii_sched *s, struct mpii_op *op, void *in, void **acc, void *spare,
		   MPI_Count count, struct mpii_dtype *t, int in_is_lower)
{
	int rc;

	if (in_is_lower || op->commute)
		return mpii_sched_reduce(s, in, *acc, count, t, op);
	/* in := acc op in, then in holds the result: swap the roles of the buffers */
	rc = mpii_sched_reduce(s, *acc, in, count, t, op);
	(void)spare;
	*acc = in;
	return rc;
}

/*
 * One binomial reduce of count elements. a and b are work buffers of count elements (the
 * accumulator and a receive buffer, their roles may swap); a rank without children needs
 * none and sends straight from sbuf.
 */
static int reduce_tree(struct mpii_sched *s, const void *sbuf, void *rbuf, MPI_Count count,
		       struct mpii_dtype *t, struct mpii_op *op, int root, void *a, void *b)
{
	struct mpii_comm *c = s->comm;
	int p = c->size, r = c->rank, eroot = op->commute ? root : 0;
	int vr = (r - eroot + p) % p, mask = 1, rc = 0;
	void *acc, *spare;

	if (!a) {
		acc = (void *)sbuf;
		spare = NULL;
	} else {
		acc = (r == eroot && r == root) ? rbuf : a;
		spare = acc == a ? b : a;
		if (sbuf != acc && (rc = mpii_sched_copy(s, sbuf, count, t, acc, count, t)))
			return rc;
	}
	while (mask < p && !rc) {
		if (vr & mask) {
			rc = mpii_sched_send(s, acc, count, t, (vr - mask + eroot) % p);
			if (!rc)
				rc = mpii_sched_round(s);
			break;
		}
		if (vr + mask < p) {
			void *in = spare;

			rc = mpii_sched_recv(s, in, count, t, (vr + mask + eroot) % p);
			if (!rc)
				rc = mpii_sched_round(s);
			if (!rc) {
				void *old = acc;

				rc = combine(s, op, in, &acc, spare, count, t, 0);
				spare = acc == old ? spare : old;
			}
		}
		mask <<= 1;
	}
	if (rc)
		return rc;
	if (eroot != root) {
		/* non-commutative with root != 0: rank 0 holds the result */
		if (r == eroot) {
			rc = mpii_sched_round(s);
			if (!rc)
				rc = mpii_sched_send(s, acc, count, t, root);
		} else if (r == root) {
			rc = mpii_sched_recv(s, rbuf, count, t, eroot);
		}
		return rc ? rc : mpii_sched_round(s);
	}
	if (r == root && acc != rbuf) {
		rc = mpii_sched_round(s);
		if (!rc)
			rc = mpii_sched_copy(s, acc, count, t, rbuf, count, t);
	}
	return rc;
}

/* Does this rank receive from anyone in reduce_tree? (Else it needs no work buffer.) Its
 * first child would be vr + 1, which exists for an even vr below p - 1. */
static int tree_has_children(int p, int r, int eroot)
{
	int vr = (r - eroot + p) % p;

	return vr % 2 == 0 && vr + 1 < p;
}

/*
 * Reduce, cut into segments of MPII_REDUCE_SEG_BYTES when the vector is longer: the work
 * buffers then hold one segment, not two copies of the whole vector (a user operation on
 * a 128 MB vector would otherwise need 256 MB more on every inner rank of the tree).
 */
int mpii_build_reduce(struct mpii_sched *s, const void *sbuf, void *rbuf, MPI_Count count,
		      struct mpii_dtype *t, struct mpii_op *op, int root)
{
	struct mpii_comm *c = s->comm;
	MPI_Aint ext = mpii_extent(t);
	MPI_Count seg = count, done;
	void *a = NULL, *b = NULL;
	int rc = 0;

	if (sbuf == MPI_IN_PLACE)
		sbuf = rbuf;
	if (c->size == 1)
		return sbuf == rbuf ? 0 : mpii_sched_copy(s, sbuf, count, t, rbuf, count, t);
	if (ext > 0 && count * ext > MPII_REDUCE_SEG_BYTES)
		seg = MPII_REDUCE_SEG_BYTES / ext > 0 ? MPII_REDUCE_SEG_BYTES / ext : 1;
	if (tree_has_children(c->size, c->rank, op->commute ? root : 0) &&
	    ((rc = mpii_sched_tmpbuf(s, seg, t, &a)) || (rc = mpii_sched_tmpbuf(s, seg, t, &b))))
		return rc;
	for (done = 0; done < count && !rc; done += seg) {
		MPI_Count n = count - done < seg ? count - done : seg;

		if (done)
			rc = mpii_sched_round(s);
		if (!rc)
			rc = reduce_tree(s, (const char *)sbuf + done * ext,
					 (char *)rbuf + done * ext, n, t, op, root, a, b);
	}
	return rc;
}

/*
 * The allreduces below work among a power of two of ranks. On other sizes the first 2*rem
 * ranks (rem = p - pof2) fold in pairs first: each odd rank takes its even neighbour's
 * vector (the lower rank's, as the left operand) and carries on for both, the even one sits
 * out and gets the result at the end (fold_out).
 */
struct fold {
	int pof2, rem;
	int newrank;	/* rank among the pof2 that carry on; -1 for one that sits out */
};

/* Schedules the fold of rbuf (tmp: room for count elements); fills f. */
static int fold_in(struct mpii_sched *s, void *rbuf, void *tmp, MPI_Count count,
		   struct mpii_dtype *t, struct mpii_op *op, struct fold *f)
{
	int p = s->comm->size, r = s->comm->rank, rc = 0;

	for (f->pof2 = 1; f->pof2 * 2 <= p; f->pof2 *= 2)
		;
	f->rem = p - f->pof2;
	if (r < 2 * f->rem) {
		if (r % 2 == 0) {
			rc = mpii_sched_send(s, rbuf, count, t, r + 1);
			f->newrank = -1;
		} else {
			rc = mpii_sched_recv(s, tmp, count, t, r - 1);
			if (!rc)
				rc = mpii_sched_round(s);
			if (!rc)
				rc = mpii_sched_reduce(s, tmp, rbuf, count, t, op);
			f->newrank = r / 2;
		}
	} else {
		f->newrank = r - f->rem;
	}
	return rc ? rc : mpii_sched_round(s);
}

/* The communicator rank of the rank that carries on as nr. */
static int fold_rank(const struct fold *f, int nr)
{
	return nr < f->rem ? nr * 2 + 1 : nr + f->rem;
}

/* After the last round: the odd ranks of the folded pairs hand the result back. */
static int fold_out(struct mpii_sched *s, void *rbuf, MPI_Count count, struct mpii_dtype *t,
		    const struct fold *f)
{
	int r = s->comm->rank, rc = mpii_sched_round(s);

	if (rc || r >= 2 * f->rem)
		return rc;
	return r % 2 ? mpii_sched_send(s, rbuf, count, t, r - 1) :
		       mpii_sched_recv(s, rbuf, count, t, r + 1);
}

/* Recursive doubling on rbuf, which already holds this rank's contribution. */
static int allreduce_rd(struct mpii_sched *s, void *rbuf, MPI_Count count, struct mpii_dtype *t,
			struct mpii_op *op)
{
	int r = s->comm->rank, mask, rc;
	struct fold f;
	void *tmp;

	if ((rc = mpii_sched_tmpbuf(s, count, t, &tmp)) ||
	    (rc = fold_in(s, rbuf, tmp, count, t, op, &f)))
		return rc;
	for (mask = 1; f.newrank >= 0 && mask < f.pof2 && !rc; mask <<= 1) {
		int dst = fold_rank(&f, f.newrank ^ mask);

		rc = mpii_sched_send(s, rbuf, count, t, dst);
		if (!rc)
			rc = mpii_sched_recv(s, tmp, count, t, dst);
		if (!rc)
			rc = mpii_sched_round(s);
		if (rc)
			break;
		if (op->commute || dst < r) {
			rc = mpii_sched_reduce(s, tmp, rbuf, count, t, op);
		} else {
			rc = mpii_sched_reduce(s, rbuf, tmp, count, t, op);
			if (!rc)
				rc = mpii_sched_copy(s, tmp, count, t, rbuf, count, t);
		}
	}
	return rc ? rc : fold_out(s, rbuf, count, t, &f);
}

/*
 * Rabenseifner: among a power-of-two set of ranks, halve the vector at every step
 * (reduce-scatter by recursive halving), then double it back (allgather). Commutative
 * operations, contiguous types only (blocks are cut by element).
 */
static int allreduce_rsag(struct mpii_sched *s, void *rbuf, MPI_Count count,
			  struct mpii_dtype *t, struct mpii_op *op)
{
	int pof2, newrank, mask, i, rc, steps = 0;
	MPI_Aint ext = mpii_extent(t);
	MPI_Count *cnts, *disps, lo, hi, mid;
	MPI_Count slo[32], shi[32];
	struct fold f;
	char *tmp;

	if ((rc = mpii_sched_tmpbuf(s, count, t, (void **)&tmp)) ||
	    (rc = fold_in(s, rbuf, tmp, count, t, op, &f)))
		return rc;
	pof2 = f.pof2;
	newrank = f.newrank;
	cnts = mpii_sched_tmp(s, (size_t)pof2 * sizeof(*cnts));
	disps = mpii_sched_tmp(s, (size_t)pof2 * sizeof(*disps));
	if (!cnts || !disps)
		return MPI_ERR_NO_MEM;
	for (i = 0; i < pof2; i++) {
		cnts[i] = count / pof2 + (i < count % pof2);
		disps[i] = i ? disps[i - 1] + cnts[i - 1] : 0;
	}
	if (newrank >= 0) {
		/* reduce-scatter: keep the half of the current range that holds my block */
		lo = 0;
		hi = pof2;
		for (mask = pof2 / 2; mask > 0 && !rc; mask >>= 1, steps++) {
			int dst = fold_rank(&f, newrank ^ mask);
			MPI_Count keep_lo, keep_hi, give_lo, give_hi;

			mid = lo + (hi - lo) / 2;
			if (newrank & mask) {
				keep_lo = mid, keep_hi = hi, give_lo = lo, give_hi = mid;
			} else {
				keep_lo = lo, keep_hi = mid, give_lo = mid, give_hi = hi;
			}
			slo[steps] = lo;
			shi[steps] = hi;
			rc = mpii_sched_send(s, (char *)rbuf + disps[give_lo] * ext,
					     disps[give_hi - 1] + cnts[give_hi - 1] - disps[give_lo],
					     t, dst);
			if (!rc)
				rc = mpii_sched_recv(s, tmp + disps[keep_lo] * ext,
						     disps[keep_hi - 1] + cnts[keep_hi - 1] -
							     disps[keep_lo], t, dst);
			if (!rc)
				rc = mpii_sched_round(s);
			if (!rc)
				rc = mpii_sched_reduce(s, tmp + disps[keep_lo] * ext,
						       (char *)rbuf + disps[keep_lo] * ext,
						       disps[keep_hi - 1] + cnts[keep_hi - 1] -
							       disps[keep_lo], t, op);
			lo = keep_lo;
			hi = keep_hi;
		}
		if (!rc)
			rc = mpii_sched_round(s);
		/* allgather: retrace the steps, exchanging the part each side owns */
		for (mask = 1; mask < pof2 && !rc; mask <<= 1) {
			int dst = fold_rank(&f, newrank ^ mask);
			MPI_Count plo, phi;

			steps--;
			mid = slo[steps] + (shi[steps] - slo[steps]) / 2;
			plo = lo == slo[steps] ? mid : slo[steps];
			phi = lo == slo[steps] ? shi[steps] : mid;
			rc = mpii_sched_send(s, (char *)rbuf + disps[lo] * ext,
					     disps[hi - 1] + cnts[hi - 1] - disps[lo], t, dst);
			if (!rc)
				rc = mpii_sched_recv(s, (char *)rbuf + disps[plo] * ext,
						     disps[phi - 1] + cnts[phi - 1] - disps[plo], t,
						     dst);
			if (!rc)
				rc = mpii_sched_round(s);
			lo = slo[steps];
			hi = shi[steps];
		}
	}
	return rc ? rc : fold_out(s, rbuf, count, t, &f);
}

int mpii_build_allreduce(struct mpii_sched *s, const void *sbuf, void *rbuf, MPI_Count count,
			 struct mpii_dtype *t, struct mpii_op *op)
{
	int rc = 0, p = s->comm->size;

	if (sbuf != MPI_IN_PLACE)
		rc = mpii_sched_copy(s, sbuf, count, t, rbuf, count, t);
	if (rc || p == 1)
		return rc;
	rc = mpii_sched_round(s);
	if (rc)
		return rc;
	if (op->commute && t->contig && count >= p && count * t->size >= MPII_ALLREDUCE_RSAG_MIN)
		return allreduce_rsag(s, rbuf, count, t, op);
	if (mpii_oversubscribed()) {
		/* Reduce to rank 0, then broadcast: 2(p-1) messages instead of p log p, so
		 * fewer halts and wake-ups when cores must share host CPUs. */
		rc = mpii_build_reduce(s, MPI_IN_PLACE, rbuf, count, t, op, 0);
		if (!rc)
			rc = mpii_sched_round(s);
		return rc ? rc : mpii_build_bcast(s, rbuf, count, t, 0);
	}
	return allreduce_rd(s, rbuf, count, t, op);
}

static int reduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		  MPI_Op op, int root, MPI_Comm comm, MPI_Request *req, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *t;
	struct mpii_op *o;
	struct mpii_sched *s;
	int rc;

	MPII_ENTER(fname);
	if ((c = mpii_inter_get(comm)))
		return mpii_inter_reduce(sendbuf, recvbuf, count, datatype, op, root, c, req, fname);
	rc = mpii_coll_check_op(comm, sendbuf, count, datatype, op, &c, &t, &o);
	if (!rc)
		rc = mpii_check_root(c, root);
	if (!rc && c->rank == root && mpii_check_buf(recvbuf, count, t))
		rc = MPI_ERR_BUFFER;
	if (!rc && c->rank != root && sendbuf == MPI_IN_PLACE)
		rc = MPI_ERR_BUFFER;
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!(s = mpii_coll_sched(c, req, fname)))
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	rc = mpii_build_reduce(s, sendbuf, recvbuf, count, t, o, root);
	return mpii_coll_run(c, s, rc, req, fname);
}

int PMPI_Reduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op,
		int root, MPI_Comm comm)
{
	return reduce(sendbuf, recvbuf, count, datatype, op, root, comm, NULL, "MPI_Reduce");
}
MPII_ALIAS(MPI_Reduce)

int PMPI_Ireduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		 MPI_Op op, int root, MPI_Comm comm, MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ireduce");
	return reduce(sendbuf, recvbuf, count, datatype, op, root, comm, request, "MPI_Ireduce");
}
MPII_ALIAS(MPI_Ireduce)

static int allreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		     MPI_Op op, MPI_Comm comm, MPI_Request *req, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *t;
	struct mpii_op *o;
	struct mpii_sched *s;
	int rc;

	MPII_ENTER(fname);
	if ((c = mpii_inter_get(comm)))
		return mpii_inter_allreduce(sendbuf, recvbuf, count, datatype, op, c, req, fname);
	rc = mpii_coll_check_op(comm, sendbuf, count, datatype, op, &c, &t, &o);
	if (!rc && mpii_check_buf(recvbuf, count, t))
		rc = MPI_ERR_BUFFER;
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!(s = mpii_coll_sched(c, req, fname)))
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	rc = mpii_build_allreduce(s, sendbuf, recvbuf, count, t, o);
	return mpii_coll_run(c, s, rc, req, fname);
}

int PMPI_Allreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		   MPI_Op op, MPI_Comm comm)
{
	return allreduce(sendbuf, recvbuf, count, datatype, op, comm, NULL, "MPI_Allreduce");
}
MPII_ALIAS(MPI_Allreduce)

int PMPI_Iallreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		    MPI_Op op, MPI_Comm comm, MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Iallreduce");
	return allreduce(sendbuf, recvbuf, count, datatype, op, comm, request, "MPI_Iallreduce");
}
MPII_ALIAS(MPI_Iallreduce)

int mpii_allreduce_int(struct mpii_comm *c, int *buf, int n, MPI_Op op)
{
	struct mpii_sched *s = mpii_sched_blocking(c, "MPI_Allreduce", TESSERA_STEP_INTERNAL);

	if (!s)
		return MPI_ERR_NO_MEM;
	return mpii_sched_finish(s, mpii_build_allreduce(s, MPI_IN_PLACE, buf, n,
							 mpii_dtype_get(MPI_INT),
							 mpii_handle_get(MPII_K_OP, op)), NULL);
}

/*
 * Reduce-scatter: the whole vector is reduced to rank 0 by the binomial tree, then rank 0
 * sends every rank its block, all in one round (as Scatterv does).
 */
static int reduce_scatter(const void *sendbuf, void *recvbuf, const int *counts, int block,
			  MPI_Datatype datatype, MPI_Op op, MPI_Comm comm, MPI_Request *req,
			  const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *t;
	struct mpii_op *o;
	struct mpii_sched *s;
	MPI_Count total = 0;
	MPI_Aint ext;
	void *full;
	int rc, i, mine;

	MPII_ENTER(fname);
	if ((c = mpii_inter_get(comm)))
		return mpii_inter_reduce_scatter(sendbuf, recvbuf, counts, block, datatype, op, c,
						 req, fname);
	rc = mpii_coll_comm(comm, &c, 1);
	if (!rc && !counts && block < 0)
		rc = MPI_ERR_ARG;
	if (!rc)
		for (i = 0; i < c->size; i++) {
			int n = counts ? counts[i] : block;

			if (n < 0) {
				rc = MPI_ERR_COUNT;
				break;
			}
			total += n;
		}
	if (!rc)
		rc = mpii_coll_check_op(comm, sendbuf, 0, datatype, op, &c, &t, &o);
	if (rc)
		return mpii_raise(c, rc, fname);
	mine = counts ? counts[c->rank] : block;
	ext = mpii_extent(t);
	if (!(s = mpii_coll_sched(c, req, fname)))
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	full = NULL;	/* only rank 0 holds the whole result */
	rc = c->rank == 0 ? mpii_sched_tmpbuf(s, total, t, &full) : 0;
	if (!rc)
		rc = mpii_build_reduce(s, sendbuf == MPI_IN_PLACE ? recvbuf : sendbuf, full, total, t,
				       o, 0);
	if (!rc)
		rc = mpii_sched_round(s);
	if (!rc) {
		/* rank 0 sends each block; every rank takes its own */
		if (c->rank == 0) {
			MPI_Count d = 0;

			for (i = 0; i < c->size && !rc; i++) {
				int n = counts ? counts[i] : block;

				if (i == 0)
					rc = mpii_sched_copy(s, full, n, t, recvbuf, n, t);
				else
					rc = mpii_sched_send(s, (char *)full + d * ext, n, t, i);
				d += n;
			}
		} else {
			rc = mpii_sched_recv(s, recvbuf, mine, t, 0);
		}
	}
	return mpii_coll_run(c, s, rc, req, fname);
}

int PMPI_Reduce_scatter(const void *sendbuf, void *recvbuf, const int recvcounts[],
			MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
{
	if (!recvcounts)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Reduce_scatter");
	return reduce_scatter(sendbuf, recvbuf, recvcounts, -1, datatype, op, comm, NULL,
			      "MPI_Reduce_scatter");
}
MPII_ALIAS(MPI_Reduce_scatter)

int PMPI_Ireduce_scatter(const void *sendbuf, void *recvbuf, const int recvcounts[],
			 MPI_Datatype datatype, MPI_Op op, MPI_Comm comm, MPI_Request *request)
{
	if (!recvcounts || !request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ireduce_scatter");
	return reduce_scatter(sendbuf, recvbuf, recvcounts, -1, datatype, op, comm, request,
			      "MPI_Ireduce_scatter");
}
MPII_ALIAS(MPI_Ireduce_scatter)

int PMPI_Reduce_scatter_block(const void *sendbuf, void *recvbuf, int recvcount,
			      MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
{
	if (recvcount < 0)
		return mpii_raise(mpii_comm_get(comm), MPI_ERR_COUNT, "MPI_Reduce_scatter_block");
	return reduce_scatter(sendbuf, recvbuf, NULL, recvcount, datatype, op, comm, NULL,
			      "MPI_Reduce_scatter_block");
}
MPII_ALIAS(MPI_Reduce_scatter_block)

int PMPI_Ireduce_scatter_block(const void *sendbuf, void *recvbuf, int recvcount,
			       MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
			       MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ireduce_scatter_block");
	if (recvcount < 0)
		return mpii_raise(mpii_comm_get(comm), MPI_ERR_COUNT, "MPI_Ireduce_scatter_block");
	return reduce_scatter(sendbuf, recvbuf, NULL, recvcount, datatype, op, comm, request,
			      "MPI_Ireduce_scatter_block");
}
MPII_ALIAS(MPI_Ireduce_scatter_block)
