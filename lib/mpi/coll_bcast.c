/* SPDX-License-Identifier: MIT */
/*
 * coll_bcast.c: MPI_Barrier (dissemination: ceil(log2 p) rounds of one message each way;
 * with ranks outnumbering host CPUs a binomial fan-in and fan-out) and MPI_Bcast (binomial
 * tree: a rank receives once, then forwards to its subtrees; with ranks outnumbering host
 * CPUs a tree of groups, below), with their non-blocking forms.
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

/*
 * MPI_Bcast with ranks outnumbering host CPUs. The emu backend then runs the ranks in
 * runners, one per host CPU, each an even share of them in rank order (docs/board.md, "Core
 * runners"), and a core that waits switches to another of its runner. A ring between two
 * ranks holds few messages (2 at 48 ranks on scc48): along a fixed tree a root that runs
 * ahead waits for a child in another runner after 2 calls, so when one runner lags (other
 * work holds its CPU) the other idles, and the two fall into turns in which every core
 * runs for one call at a time.
 * Here the communicator's ranks are cut the same way into groups ("runners"): a binomial
 * tree within each group, from the root in its group and from the group's first rank (its
 * leader) in the others, and a binomial tree of the groups, where the leader of a group
 * receives from a member of its parent group in turn, call by call (by the collective's
 * tag, which every rank has alike): a group may fall behind its parent group by 2 calls per
 * member of it before one of them waits. A rank that waits takes in whatever has come,
 * though, so nothing but the runners' pace would stop a group from running ahead of its
 * child groups without end (their leaders queueing its messages as unexpected): every
 * BCAST_SYNC calls (by the tag) each leader tells its parent group's root (the root, or
 * that group's leader) that it has the call's message, and that root waits for it. For
 * MPI_COMM_WORLD the groups are the runners (unless --cores-per-process says otherwise);
 * for other communicators the cut is still a tree that every rank computes alike, only its
 * groups need not be runners.
 */
#define BCAST_SYNC	64
struct groups {
	int g;			/* how many */
	int small, big;		/* a group has small ranks, the first big of them one more */
};

/* The cut of n ranks into groups as emu_start_group shares cores out over `cpus` CPUs; 0 if
 * it is not worth it (one group, or a group per rank). */
static int groups_cut(int n, int cpus, struct groups *gr)
{
	int per;

	if (cpus <= 0 || n <= cpus)
		return 0;
	per = (n + cpus - 1) / cpus;
	gr->g = (n + per - 1) / per;
	gr->small = n / gr->g;
	gr->big = n % gr->g;
	return gr->g > 1;
}

static int group_start(const struct groups *gr, int g)
{
	return g * gr->small + (g < gr->big ? g : gr->big);
}

static int group_size(const struct groups *gr, int g)
{
	return gr->small + (g < gr->big);
}

static int group_of(const struct groups *gr, int r)
{
	int b = gr->big * (gr->small + 1);

	return r < b ? r / (gr->small + 1) : gr->big + (r - b) / gr->small;
}

/* Node v of a binomial tree of n nodes: its lowest set bit (its parent is v - that, its
 * children v + each lower power of two below n), or for the root (0) the first power of two
 * not below n (its children: v + each lower one). */
static int binomial_span(int v, int n)
{
	int m;

	for (m = 1; m < n && !(v & m); m <<= 1)
		;
	return m;
}

/* The rank of node v of the binomial tree in group g (first rank gs, gz ranks) from lroot. */
static int node_rank(int gs, int gz, int lroot, int v)
{
	return gs + (lroot - gs + v) % gz;
}

/* The member (node of its group's tree) that sends to the leader of group h this call. */
static int feeder(const struct mpii_sched *s, int h, int gz)
{
	return (int)(((unsigned)s->tag + (unsigned)h) % (unsigned)gz);
}

static int bcast_groups(struct mpii_sched *s, void *buf, MPI_Count count, struct mpii_dtype *t,
			int root, const struct groups *gr)
{
	int r = s->comm->rank, g0 = group_of(gr, root), g = group_of(gr, r), G = gr->g;
	int gs = group_start(gr, g), gz = group_size(gr, g), lroot = g == g0 ? root : gs;
	int v = (r - lroot + gz) % gz, x = (g - g0 + G) % G;	/* node in group, group node */
	int mask, rc = 0, parent_root = -1;

	/* the parent: in the group's tree, or for a leader the feeder in the parent group */
	if (v) {
		rc = mpii_sched_recv(s, buf, count, t,
				     node_rank(gs, gz, lroot, v - binomial_span(v, gz)));
	} else if (x) {
		int px = x - binomial_span(x, G), pg, pgs, pgz;

		pg = (px + g0) % G;
		pgs = group_start(gr, pg);
		pgz = group_size(gr, pg);
		parent_root = px ? pgs : root;
		rc = mpii_sched_recv(s, buf, count, t,
				     node_rank(pgs, pgz, parent_root, feeder(s, g, pgz)));
	}
	if (!rc && (v || x))
		rc = mpii_sched_round(s);
	/* the leaders this rank feeds, of the largest subtrees of groups first */
	for (mask = binomial_span(x, G) >> 1; mask > 0 && !rc; mask >>= 1) {
		int h = (x + mask + g0) % G;

		if (x + mask < G && feeder(s, h, gz) == v)
			rc = mpii_sched_send(s, buf, count, t, group_start(gr, h));
	}
	/* then its children in the group */
	for (mask = binomial_span(v, gz) >> 1; mask > 0 && !rc; mask >>= 1)
		if (v + mask < gz)
			rc = mpii_sched_send(s, buf, count, t, node_rank(gs, gz, lroot, v + mask));
	if (v || (unsigned)s->tag % BCAST_SYNC)
		return rc;
	/* a group's root: the leaders of its child groups say they are there */
	if (x && !rc)
		rc = mpii_sched_send(s, NULL, 0, mpii_byte_type(), parent_root);
	for (mask = binomial_span(x, G) >> 1; mask > 0 && !rc; mask >>= 1)
		if (x + mask < G)
			rc = mpii_sched_recv(s, NULL, 0, mpii_byte_type(),
					     group_start(gr, (x + mask + g0) % G));
	return rc;
}

int mpii_build_bcast_cpus(struct mpii_sched *s, void *buf, MPI_Count count,
			  struct mpii_dtype *t, int root, int cpus)
{
	struct groups gr;

	if (!groups_cut(s->comm->size, cpus, &gr))
		return mpii_build_bcast(s, buf, count, t, root);
	return bcast_groups(s, buf, count, t, root, &gr);
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
	rc = mpii_build_bcast_cpus(s, buffer, count, t, root,
				   mpii_oversubscribed() ? (int)tk_bootinfo()->host_cpus : 0);
	return mpii_coll_run(c, s, rc, req, fname);
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
