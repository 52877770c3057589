/* SPDX-License-Identifier: MIT */
/*
 * coll_bcast.c: MPI_Barrier (dissemination: ceil(log2 p) rounds of one message each way;
 * with ranks outnumbering host CPUs a binomial fan-in and fan-out) and MPI_Bcast (binomial
 * tree: a rank receives once, then forwards to its subtrees), with their non-blocking forms.
 */
#include "mpii_impl.h"
#include "tk.h"

/* Fan in to rank 0 along a binomial tree (children all at once), then fan out. */
static int barrier_tree(struct mpii_sched *s)
{
	struct mpii_comm *c = s->comm;
	struct mpii_dtype *b = mpii_byte_type();
	int p = c->size, r = c->rank, mask, parent = -1, rc = 0;

	for (mask = 1; mask < p; mask <<= 1) {
		if (r & mask) {
			parent = r - mask;
			break;
		}
		if (r + mask < p)
			rc = rc ? rc : mpii_sched_recv(s, NULL, 0, b, r + mask);
	}
	if (!rc)
		rc = mpii_sched_round(s);
	if (!rc && parent >= 0) {
		rc = mpii_sched_send(s, NULL, 0, b, parent);
		if (!rc)
			rc = mpii_sched_round(s);
	}
	return rc ? rc : mpii_build_bcast(s, NULL, 0, b, 0);
}

int mpii_build_barrier(struct mpii_sched *s)
{
	struct mpii_comm *c = s->comm;
	struct mpii_dtype *b = mpii_byte_type();
	int k, rc = 0;

	/* Dissemination takes log p rounds in which every rank waits: cheap when each core
	 * has a host CPU, costly in wake-ups when they share; the tree waits less. */
	if (mpii_oversubscribed() && c->size > 2)
		return barrier_tree(s);
	for (k = 1; k < c->size && !rc; k <<= 1) {
		rc = mpii_sched_send(s, NULL, 0, b, (c->rank + k) % c->size);
		if (!rc)
			rc = mpii_sched_recv(s, NULL, 0, b, (c->rank - k + c->size) % c->size);
		if (!rc)
			rc = mpii_sched_round(s);
	}
	return rc;
}

int mpii_build_bcast(struct mpii_sched *s, void *buf, MPI_Count count, struct mpii_dtype *t,
		     int root)
{
	int p = s->comm->size, vr = (s->comm->rank - root + p) % p, mask = 1, rc = 0;

	while (mask < p) {
		if (vr & mask) {
			rc = mpii_sched_recv(s, buf, count, t, (vr - mask + root) % p);
			if (!rc)
				rc = mpii_sched_round(s);
			break;
		}
		mask <<= 1;
	}
	for (mask >>= 1; mask > 0 && !rc; mask >>= 1)
		if (vr + mask < p)
			rc = mpii_sched_send(s, buf, count, t, (vr + mask + root) % p);
	return rc;
}

static int barrier(MPI_Comm comm, MPI_Request *req, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_sched *s;
	int rc;

	MPII_ENTER(fname);
	if ((c = mpii_inter_get(comm)))
		return mpii_inter_barrier(c, req, fname);
	rc = mpii_coll_comm(comm, &c, 1);
	if (rc)
		return mpii_raise(c, rc, fname);
	s = mpii_coll_sched(c, req, fname);
	if (!s)
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	return mpii_coll_run(c, s, mpii_build_barrier(s), req, fname);
}

int mpii_barrier(struct mpii_comm *c)
{
	struct mpii_sched *s = mpii_sched_blocking(c, "MPI_Barrier", TESSERA_STEP_INTERNAL);

	return s ? mpii_sched_finish(s, mpii_build_barrier(s), NULL) : MPI_ERR_NO_MEM;
}

int PMPI_Barrier(MPI_Comm comm)
{
	return barrier(comm, NULL, "MPI_Barrier");
}
MPII_ALIAS(MPI_Barrier)

int PMPI_Ibarrier(MPI_Comm comm, MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ibarrier");
	return barrier(comm, request, "MPI_Ibarrier");
}
MPII_ALIAS(MPI_Ibarrier)

static int bcast(void *buffer, int count, MPI_Datatype datatype, int root, MPI_Comm comm,
		 MPI_Request *req, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *t = NULL;
	struct mpii_sched *s;
	int rc;

	MPII_ENTER(fname);
	if ((c = mpii_inter_get(comm)))
		return mpii_inter_bcast(buffer, count, datatype, root, c, req, fname);
	rc = mpii_coll_check(comm, count, datatype, &c, &t);
	if (!rc)
		rc = mpii_check_root(c, root);
	if (!rc)
		rc = mpii_check_buf(buffer, count, t);
	if (rc)
		return mpii_raise(c, rc, fname);
	s = mpii_coll_sched(c, req, fname);
	if (!s)
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	return mpii_coll_run(c, s, mpii_build_bcast(s, buffer, count, t, root), req, fname);
}

int PMPI_Bcast(void *buffer, int count, MPI_Datatype datatype, int root, MPI_Comm comm)
{
	return bcast(buffer, count, datatype, root, comm, NULL, "MPI_Bcast");
}
MPII_ALIAS(MPI_Bcast)

int PMPI_Ibcast(void *buffer, int count, MPI_Datatype datatype, int root, MPI_Comm comm,
		MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ibcast");
	return bcast(buffer, count, datatype, root, comm, request, "MPI_Ibcast");
}
MPII_ALIAS(MPI_Ibcast)

int mpii_bcast_raw(struct mpii_comm *c, void *buf, size_t bytes, int root)
{
	struct mpii_sched *s = mpii_sched_blocking(c, "MPI_Bcast", TESSERA_STEP_INTERNAL);

	if (!s)
		return MPI_ERR_NO_MEM;
	return mpii_sched_finish(s, mpii_build_bcast(s, buf, (MPI_Count)bytes, mpii_byte_type(),
						     root), NULL);
}
