/* SPDX-License-Identifier: MIT */
/*
 * test_coll_bcast.c: the broadcast tree for ranks that share host CPUs (coll_bcast.c,
 * mpii_build_bcast_cpus), built as listed schedules for every rank of communicators that
 * are never run: every rank but the root receives once, before it sends, from a rank that
 * sends to it; everything reaches everyone from the root; a group's leader is fed by a
 * different member of its parent group from call to call (the point of the tree); and every
 * 64th call (by the tag) the leaders answer up the tree, with empty messages.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <mpi.h>
#include "mpii_impl.h"

static void setup(void)
{
	MPI_Init(NULL, NULL);
}

static void teardown(void)
{
	MPI_Finalize();
}

TestSuite(coll_bcast, .init = setup, .fini = teardown);

#define MAXN 80

/* What rank `rank` of n does in the broadcast from root on `cpus` CPUs whose tag is tag:
 * the rank it receives from (-1: none), the ranks it sends to (nsend of them, in order);
 * the empty messages it sends (to) and receives (from) after those. */
struct plan {
	int from, nsend, to[MAXN];
	int nup_to, up_to, nup_from, up_from[MAXN];
};

static void plan_of(int n, int rank, int root, int cpus, int tag, struct plan *pl)
{
	struct mpii_comm c = { .rank = rank, .size = n, .refs = 1 << 20, .coll_seq = (uint32_t)tag };
	struct mpii_sched *s = mpii_sched_new(&c);
	static char one;
	int i, ended = 0;

	cr_assert_not_null(s);
	cr_assert_eq(s->tag, tag);
	cr_assert_eq(mpii_build_bcast_cpus(s, &one, 1, mpii_byte_type(), root, cpus),
		     MPI_SUCCESS);
	memset(pl, 0, sizeof(*pl));
	pl->from = -1;
	for (i = 0; i < s->nops; i++) {
		struct mpii_sop *o = &s->ops[i];

		if (o->kind == MPII_S_END) {
			ended = 1;
			continue;
		}
		cr_assert(o->peer >= 0 && o->peer < n && o->peer != rank,
			  "n %d rank %d: a message to or from %d", n, rank, o->peer);
		if (o->count == 0) {
			if (o->kind == MPII_S_RECV) {
				pl->up_from[pl->nup_from++] = o->peer;
			} else {
				cr_assert_eq(pl->nup_to, 0, "n %d rank %d answers twice", n, rank);
				pl->nup_to = 1;
				pl->up_to = o->peer;
			}
			continue;
		}
		cr_assert_eq(pl->nup_to + pl->nup_from, 0, "n %d rank %d: the answers come last",
			     n, rank);
		if (o->kind == MPII_S_RECV) {
			cr_assert_eq(pl->from, -1, "n %d rank %d receives twice", n, rank);
			cr_assert_eq(pl->nsend, 0, "n %d rank %d sends before it receives", n, rank);
			pl->from = o->peer;
		} else {
			cr_assert_eq(o->kind, MPII_S_SEND);
			cr_assert(pl->from < 0 || ended, "n %d rank %d sends in its receive's round",
				  n, rank);
			pl->to[pl->nsend++] = o->peer;
		}
	}
	mpii_sched_free(s);
}

/* The whole tree of one call: checks it, and returns in parent[] who feeds whom. */
static void check_tree(int n, int root, int cpus, int tag, int *parent)
{
	static struct plan pl[MAXN];
	int reached[MAXN] = { 0 }, queue[MAXN], head = 0, tail = 0, r, i, ups;

	for (r = 0; r < n; r++)
		plan_of(n, r, root, cpus, tag, &pl[r]);
	for (r = 0; r < n; r++) {
		parent[r] = pl[r].from;
		cr_assert_eq(r == root, pl[r].from < 0, "n %d cpus %d root %d tag %d: rank %d %s",
			     n, cpus, root, tag, r, r == root ? "receives" : "receives nothing");
		for (i = 0; i < pl[r].nsend; i++)
			cr_assert_eq(pl[pl[r].to[i]].from, r,
				     "n %d cpus %d root %d tag %d: %d sends to %d, which receives "
				     "from %d", n, cpus, root, tag, r, pl[r].to[i],
				     pl[pl[r].to[i]].from);
	}
	reached[root] = 1;
	queue[tail++] = root;
	while (head < tail)
		for (r = queue[head++], i = 0; i < pl[r].nsend; i++) {
			cr_assert(!reached[pl[r].to[i]]);
			reached[pl[r].to[i]] = 1;
			queue[tail++] = pl[r].to[i];
		}
	cr_assert_eq(tail, n, "n %d cpus %d root %d tag %d: %d ranks reached", n, cpus, root,
		     tag, tail);
	/* the answers: each received from whom it was sent, up the tree; only every 64th call */
	for (r = 0, ups = 0; r < n; r++) {
		int a;

		for (i = 0; i < pl[r].nup_from; i++) {
			cr_assert(pl[pl[r].up_from[i]].nup_to &&
				  pl[pl[r].up_from[i]].up_to == r);
			ups++;
		}
		if (!pl[r].nup_to)
			continue;
		for (a = parent[r]; a >= 0 && a != pl[r].up_to; a = parent[a])
			;
		cr_assert_eq(a, pl[r].up_to, "n %d: %d answers %d, not above it", n, r, a);
		for (i = 0; i < pl[a].nup_from && pl[a].up_from[i] != r; i++)
			;
		cr_assert_lt(i, pl[a].nup_from, "n %d: %d's answer is not taken", n, r);
	}
	if (tag % 64)
		cr_assert_eq(ups, 0, "n %d cpus %d tag %d: answers", n, cpus, tag);
}

Test(coll_bcast, every_rank_gets_it_once_along_a_tree)
{
	static const int cpus[] = { 0, 1, 2, 3, 4, 7 }, tags[] = { 0, 1, 2, 9, 1000003, 640 };
	int parent[MAXN];

	for (int n = 1; n <= MAXN; n += n < 40 ? 1 : 13)
		for (size_t c = 0; c < sizeof(cpus) / sizeof(cpus[0]); c++)
			for (int root = 0; root < n; root += n < 12 ? 1 : n / 5)
				for (size_t k = 0; k < sizeof(tags) / sizeof(tags[0]); k++)
					check_tree(n, root, cpus[c], tags[k], parent);
}

Test(coll_bcast, no_cut_for_a_cpu_per_rank_or_one_cpu)
{
	struct plan a, b;

	for (int r = 0; r < 7; r++) {
		/* the plain binomial tree: what cpus 0 builds */
		plan_of(7, r, 2, 0, 5, &a);
		plan_of(7, r, 2, 7, 5, &b);
		cr_assert_eq(memcmp(&a, &b, sizeof(a)), 0, "rank %d", r);
		plan_of(7, r, 2, 1, 5, &b);
		cr_assert_eq(memcmp(&a, &b, sizeof(a)), 0, "rank %d", r);
	}
}

Test(coll_bcast, a_leader_is_fed_by_each_member_of_its_parent_group_in_turn)
{
	/* 48 ranks on 2 CPUs: groups 0-23 and 24-47; from root 5, group 1's leader (24) is fed
	 * by a member of group 0, another one each call, all 24 in 24 calls */
	int parent[MAXN], seen[MAXN] = { 0 }, tag;

	for (tag = 100; tag < 124; tag++) {
		check_tree(48, 5, 2, tag, parent);
		cr_assert(parent[24] >= 0 && parent[24] < 24, "tag %d: 24 fed by %d", tag,
			  parent[24]);
		cr_assert(!seen[parent[24]], "tag %d: %d fed 24 already", tag, parent[24]);
		seen[parent[24]] = 1;
	}
	/* and the groups' own trees stay within them: 25..47 are fed from 24..47 */
	for (int r = 25; r < 48; r++)
		cr_assert(parent[r] >= 24, "rank %d fed by %d", r, parent[r]);
}

Test(coll_bcast, every_64th_call_the_leaders_answer)
{
	/* 48 ranks on 2 CPUs from root 5: 24 answers 5; on 3 CPUs (groups 0-15, 16-31, 32-47:
	 * the groups' tree is 0 -> 1, 2 ... from root 20: group 1 -> 2, 0) 32 and 0 answer 20 */
	struct plan pl;
	int parent[MAXN];

	check_tree(48, 5, 2, 128, parent);
	plan_of(48, 24, 5, 2, 128, &pl);
	cr_assert(pl.nup_to && pl.up_to == 5);
	plan_of(48, 5, 5, 2, 128, &pl);
	cr_assert(pl.nup_from == 1 && pl.up_from[0] == 24);
	plan_of(48, 5, 5, 2, 129, &pl);
	cr_assert_eq(pl.nup_from, 0);
	check_tree(48, 20, 3, 64, parent);
	plan_of(48, 20, 20, 3, 64, &pl);
	cr_assert_eq(pl.nup_from, 2);
	cr_assert(pl.up_from[0] + pl.up_from[1] == 32, "%d %d", pl.up_from[0], pl.up_from[1]);
}
