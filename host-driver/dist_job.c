// SPDX-License-Identifier: MIT
/*
 * dist_job.c: a job on one host of a board spread over several (dist.h). Every host process
 * runs this with the same arguments; host 0 decides for all. In order:
 *   1. each host creates its part of the board (the whole geometry; it runs only the cores
 *      of its tiles, and the LUTs of those cores map no other host's MPB or CRB, so a raw
 *      pointer there faults instead of reading a copy that is not the real one);
 *   2. the hosts check that they agree on the job, and measure their clocks against host
 *      0's (the smallest round trip of a few, as Cristian's algorithm does), so that every
 *      core's time, and so every trace record, is on host 0's timeline;
 *   3. each host loads the ranks of its cores; host 0 hears that all did, then all release;
 *   4. each host serves its cores (consoles, host calls, trace rings, hand-offs through
 *      dist.c) and tells host 0 how its ranks are (a failure at once; the rest every
 *      quarter of the deadlock limit: what the detector needs, and what `tessera ps` on
 *      host 0's board shows of every core); host 0 ends the job for all: the first failure,
 *      all done, a timeout, a deadlock of the whole board, an interrupt;
 *   5. every host stops its cores, sends its ranks' trace records to host 0, which writes
 *      one trace, and waits until nothing it sent is in flight.
 * The loop sleeps on the board's doorbell (the cores ring it) between looks at the network,
 * which cannot wake it: after activity it looks continuously for a while, then less and
 * less often (TESSERA_DIST_SPIN_US, TESSERA_DIST_IDLE_US bound the two).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "hd_impl.h"
#include "dist.h"

#define CTRL_MAGIC	0x4c525443u	/* "CTRL" */
#define CLOCK_ROUNDS	8
#define SPIN_US		2000		/* look continuously this long after activity */
#define IDLE_US		2000		/* at most this long between looks when idle */
#define DRAIN_MAX	64		/* messages taken in per pass of the loop (net_drain) */
#define END_GRACE_NS	2000000000ull	/* an interrupted host waits this long for the others */
#define TRACE_CHUNK	TESSERA_TRACE_RECS	/* records per trace message */

enum ctrl_kind {
	C_HELLO = 1,	/* h -> 0: rc, digest of the job as h sees it, error text */
	C_SYNC,		/* 0 -> h: rc (the hosts agree), text */
	C_PING,		/* h -> 0: a = h's clock, b = h's CPUs (hd_host_cpus) */
	C_PONG,		/* 0 -> h: a echoed, b = host 0's clock */
	C_START,	/* 0 -> h: the job's start on host 0's clocks: a monotonic, b real;
			 * then the fewest CPUs of any host (uint32_t) */
	C_LOADED,	/* h -> 0: rc, text */
	C_GO,		/* 0 -> h: rc (0: release the cores), text */
	C_STATE,	/* h -> 0: a = traffic, b = done; then struct rank_info[n] */
	C_FAIL,		/* h -> 0: struct hd_job_result */
	C_END,		/* 0 -> h: struct hd_job_result */
	C_TRACE,	/* h -> 0: a = rank; struct tessera_trace_rec[n] */
	C_BYE,		/* h -> 0: nothing of h's is in flight */
	C_FIN,		/* 0 -> h: everyone said bye */
};

struct ctrl {
	uint32_t magic, kind;
	int32_t rc;
	uint32_t n;		/* of what follows */
	uint64_t a, b;
	uint64_t t;		/* when it was sent, on host 0's clock (C_STATE: when taken) */
};

/* One rank as its host sees it (C_STATE). */
struct rank_info {
	uint32_t rank;
	int32_t exit_code;
	uint32_t halted, pm_fdiv, pm_vlevel, pad;
	struct hd_dl_rank dl;
};

/* Trace records of one rank of this host, kept until the end (hosts other than 0). */
struct rank_trace {
	struct tessera_trace_rec *rec;
	size_t n, cap;
};

struct djob {
	struct hd_board *b;
	const struct hd_dist_net *net;
	struct hd_dist *d;
	struct hd_dist_load load;
	uint32_t me, n;
	/* host 0 */
	uint8_t *done;			/* [h]: h's ranks all exited */
	uint64_t *traffic;		/* [h]: as h last said */
	uint64_t *heard;		/* [h]: when h's last state was taken (host 0's clock) */
	struct hd_dl_rank *dl;		/* [rank]: the whole board, as last heard */
	struct hd_deadlock deadlock;
	uint32_t byes;
	int failed;			/* a failure is known (host 0) / was sent (others) */
	struct hd_job_result fail;
	/* every host */
	int ended, fin, bye_sent, tracing;
	struct hd_job_result end;
	struct rank_trace *trace;	/* [rank] */
	uint32_t nranks;
	struct hd_trace *trace_out;	/* host 0: the job's trace, once the board is gone */
	void (*on_board)(struct hd_board *b, void *arg);	/* hd_dist_job_opts' */
	void *on_board_arg;
	uint64_t last_state_ns;
	int spin_us, idle_us;
};

/* ---- control messages ---- */

static int ctrl_send(struct djob *j, uint32_t to, uint32_t kind, int32_t rc, uint64_t a,
		     uint64_t b, const void *data, size_t n)
{
	struct ctrl *c = malloc(sizeof(*c) + n);

	if (!c)
		return hd_fail(-ENOMEM, "out of memory");
	*c = (struct ctrl){ CTRL_MAGIC, kind, rc, (uint32_t)n, a, b,
			    hd_now_ns(CLOCK_MONOTONIC) + (uint64_t)j->load.clock_ns };
	if (n)
		memcpy(c + 1, data, n);
	return j->net->send(j->net->ctx, to, HD_DIST_CH_CTRL, c, sizeof(*c) + n);
}

/* The next control message (data messages meanwhile go to the engine, if any); waits,
 * sleeping a little between looks. 0, or -EPROTO for a message that is not one. */
static int ctrl_wait(struct djob *j, uint32_t *from, struct ctrl *c, void **payload)
{
	uint32_t us = 20;

	for (;;) {
		void *buf;
		size_t n;
		int ch, got = j->net->recv(j->net->ctx, from, &ch, &buf, &n);

		if (got < 0)
			return got;
		if (!got) {
			usleep(us);
			us = us < 1000 ? us * 2 : us;
			continue;
		}
		us = 20;
		if (ch == HD_DIST_CH_DATA) {
			if (j->d)
				hd_dist_input(j->d, *from, buf, n);
			else
				free(buf);
			continue;
		}
		if (n < sizeof(*c) || ((struct ctrl *)buf)->magic != CTRL_MAGIC ||
		    ((struct ctrl *)buf)->n != n - sizeof(*c)) {
			free(buf);
			return hd_fail(-EPROTO, "distributed board: a bad control message from host "
				       "%u", *from);
		}
		memcpy(c, buf, sizeof(*c));
		*payload = buf;
		return 0;
	}
}

/* Wait for a control message of `kind` (from `from`, or any host when from is NULL). */
static int ctrl_expect(struct djob *j, uint32_t kind, uint32_t *from, struct ctrl *c,
		       void **payload)
{
	uint32_t f;
	int rc = ctrl_wait(j, &f, c, payload);

	if (rc)
		return rc;
	if (c->kind != kind) {
		free(*payload);
		return hd_fail(-EPROTO, "distributed board: host %u said %u where %u was due", f,
			       c->kind, kind);
	}
	if (from)
		*from = f;
	return 0;
}

/* ---- start ---- */

static uint64_t job_digest(const struct hd_board *b, const struct hd_job_opts *jo,
			   const struct hd_job_app *apps, uint32_t napps, const uint8_t *tile_host,
			   uint32_t nhosts)
{
	uint64_t h = 1469598103934665603ull;
	uint32_t nranks = 0;

#define MIX(p, len) do { const uint8_t *m_ = (const uint8_t *)(p); \
	for (size_t i_ = 0; i_ < (len); i_++) h = (h ^ m_[i_]) * 1099511628211ull; } while (0)
	MIX(&b->geom, sizeof(b->geom));
	MIX(&nhosts, sizeof(nhosts));
	MIX(tile_host, tessera_tiles(&b->geom));
	MIX(&jo->flags, sizeof(jo->flags));
	for (uint32_t k = 0; k < napps; k++) {
		MIX(&apps[k].nranks, sizeof(apps[k].nranks));
		nranks += apps[k].nranks;
	}
	if (jo->cores)
		MIX(jo->cores, nranks * sizeof(uint32_t));
#undef MIX
	return h;
}

/*
 * Every host tells host 0 its state (rc, and a), host 0 names the first failure, or a host
 * whose a is not its own, and tells every host (up and down: the message kinds). Returns the
 * same rc on every host (hd_last_error names the failure).
 */
static int agree(struct djob *j, uint32_t up, uint32_t down, int rc, uint64_t a)
{
	char why[512] = "";
	struct ctrl c;
	void *p;
	uint32_t from;

	if (rc)
		snprintf(why, sizeof(why), "host %u: %s", j->me, hd_last_error());
	if (j->me) {
		ctrl_send(j, 0, up, rc, a, 0, why, strlen(why) + 1);
		if ((rc = ctrl_expect(j, down, NULL, &c, &p)))
			return rc;
		if (c.rc)
			hd_fail(c.rc, "%.*s", (int)c.n, (char *)p + sizeof(c));
		free(p);
		return c.rc;
	}
	for (uint32_t k = 1; k < j->n; k++) {
		if (ctrl_expect(j, up, &from, &c, &p))
			return -EPROTO;
		if (!rc && c.rc) {
			rc = c.rc;
			snprintf(why, sizeof(why), "%.*s", (int)c.n, (char *)p + sizeof(c));
		} else if (!rc && c.a != a) {
			rc = -EINVAL;
			snprintf(why, sizeof(why), "host %u was given another job (board, ranks, "
				 "cores or options differ): every host must run the same command",
				 from);
		}
		free(p);
	}
	for (uint32_t k = 1; k < j->n; k++)
		ctrl_send(j, k, down, rc, 0, 0, why, strlen(why) + 1);
	if (rc)
		hd_fail(rc, "%s", why);
	return rc;
}

/*
 * Step 2: agree on the job (digest), measure the clocks against host 0's, fix the job's
 * start on host 0's clock and the CPUs its cores count on (the fewest of any host: every
 * core must see the same, lib/mpi's collectives choose their algorithm by it). rc is this
 * host's state so far.
 */
static int start(struct djob *j, int rc, uint64_t digest)
{
	struct ctrl c;
	void *p;
	uint32_t from, cpus = 0;

	if ((rc = agree(j, C_HELLO, C_SYNC, rc, digest)))
		return rc;
	if (j->me) {
		int64_t best_rtt = INT64_MAX, offset = 0;

		for (int i = 0; i < CLOCK_ROUNDS; i++) {
			uint64_t t1 = hd_now_ns(CLOCK_MONOTONIC), t3;

			ctrl_send(j, 0, C_PING, 0, t1, hd_host_cpus(), NULL, 0);
			if ((rc = ctrl_expect(j, C_PONG, NULL, &c, &p)))
				return rc;
			free(p);
			t3 = hd_now_ns(CLOCK_MONOTONIC);
			if ((int64_t)(t3 - t1) < best_rtt) {
				best_rtt = (int64_t)(t3 - t1);
				offset = (int64_t)c.b - (int64_t)(t1 + (t3 - t1) / 2);
			}
		}
		if ((rc = ctrl_expect(j, C_START, NULL, &c, &p)))
			return rc;
		if (c.n == sizeof(cpus))
			memcpy(&cpus, (char *)p + sizeof(c), sizeof(cpus));
		free(p);
		if (!cpus)
			return hd_fail(-EPROTO, "distributed board: host 0 sent no CPU count");
		j->load.time_base_ns = c.a;
		j->load.realtime_base_ns = c.b;
		j->load.clock_ns = offset;
		j->load.host_cpus = cpus;
		return 0;
	}
	cpus = hd_host_cpus();
	for (uint32_t k = 0; k < (j->n - 1) * CLOCK_ROUNDS; k++) {
		if ((rc = ctrl_expect(j, C_PING, &from, &c, &p)))
			return rc;
		free(p);
		if (c.b && c.b < cpus)
			cpus = (uint32_t)c.b;
		ctrl_send(j, from, C_PONG, 0, c.a, hd_now_ns(CLOCK_MONOTONIC), NULL, 0);
	}
	j->load.time_base_ns = hd_now_ns(CLOCK_MONOTONIC);
	j->load.realtime_base_ns = hd_now_ns(CLOCK_REALTIME);
	j->load.host_cpus = cpus;
	for (uint32_t k = 1; k < j->n; k++)
		ctrl_send(j, k, C_START, 0, j->load.time_base_ns, j->load.realtime_base_ns, &cpus,
			  sizeof(cpus));
	return 0;
}

/* The LUTs of this host's cores map no MPB or CRB of a tile another host runs (boards whose
 * tiles have a LUT window each; finer boards share windows between tiles: docs). */
static void unmap_remote(struct djob *j)
{
	const struct tessera_geom *g = &j->b->geom;

	if (tessera_fine_stride(g))
		return;
	for (uint32_t c = 0; c < tessera_cores(g); c++) {
		struct tessera_lut_entry *lut = hd_lut(j->b, c);

		if (j->load.core_host[c] != j->me)
			continue;
		for (uint32_t t = 0; t < tessera_tiles(g); t++) {
			if (j->load.core_host[t * g->cores_per_tile] == j->me)
				continue;
			memset(&lut[tessera_mpb_addr(g, t) >> TESSERA_LUT_SHIFT], 0, sizeof(*lut));
			memset(&lut[tessera_crb_addr(g, t) >> TESSERA_LUT_SHIFT], 0, sizeof(*lut));
		}
	}
	hd_luts_keep(j->b);	/* the host's copy, which every load and release puts back */
}

/* ---- while the job runs ---- */

static int local_rank(const struct djob *j, uint32_t r)
{
	return j->load.core_host[j->b->job->rank_core[r]] == j->me;
}

/* Hosts other than 0 keep their ranks' trace records until the end. */
static int trace_keep(struct djob *j)
{
	struct hd_job *job = j->b->job;
	int moved = 0;

	for (uint32_t r = 0; j->tracing && j->me && r < job->nranks; r++) {
		struct tessera_hostwin *hw = hd_hostwin(j->b, job->rank_core[r]);
		struct tessera_ring_ctl *ctl = &hw->trace_ctl;
		struct rank_trace *t = &j->trace[r];
		uint32_t head, tail, n;

		if (!local_rank(j, r))
			continue;
		head = __atomic_load_n(&ctl->head, __ATOMIC_ACQUIRE);
		tail = ctl->tail;
		if (!(n = head - tail))
			continue;
		if (n > TESSERA_TRACE_RECS) {	/* impossible: a core's input, dropped */
			__atomic_store_n(&ctl->tail, head, __ATOMIC_RELEASE);
			continue;
		}
		if (t->n + n > t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 1024;
			void *p;

			while (cap < t->n + n)
				cap *= 2;
			if (!(p = realloc(t->rec, cap * sizeof(*t->rec)))) {
				__atomic_store_n(&ctl->tail, head, __ATOMIC_RELEASE);
				continue;
			}
			t->rec = p;
			t->cap = cap;
		}
		for (uint32_t i = 0; i < n; i++)
			memcpy(&t->rec[t->n++], hw->trace + ((tail + i) % TESSERA_TRACE_RECS) *
			       sizeof(struct tessera_trace_rec), sizeof(struct tessera_trace_rec));
		__atomic_store_n(&ctl->tail, head, __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(&ctl->waiting, __ATOMIC_SEQ_CST))
			hd_core_irq(j->b, job->rank_core[r]);
		moved++;
	}
	return moved;
}

/* This host's ranks, for host 0 (C_STATE), or host 0's own into its picture. */
static size_t rank_infos(struct djob *j, struct rank_info *out)
{
	struct hd_job *job = j->b->job;
	const struct hd_dl_rank *snap = hd_job_snapshot(j->b);
	size_t n = 0;

	for (uint32_t r = 0; r < job->nranks; r++) {
		uint32_t c = job->rank_core[r];
		struct tessera_boardreg_core *reg = hd_boardreg_core(j->b, c);

		if (!local_rank(j, r))
			continue;
		out[n] = (struct rank_info){ .rank = r,
			.exit_code = hd_hostwin(j->b, c)->status.exit_code,
			.halted = reg->halted, .pm_fdiv = reg->pm_fdiv, .pm_vlevel = reg->pm_vlevel,
			.dl = snap[r] };
		/* a core that waits for another host's answer is about to run */
		if (hd_dist_waiting(j->d, c))
			out[n].dl.irq = 1;
		n++;
	}
	return n;
}

/* Host 0: what host `from` says of its ranks, into the picture and into this board, where
 * `tessera ps` and `tessera top` read every core. */
static void state_take(struct djob *j, uint32_t from, const struct ctrl *c,
		       const struct rank_info *ri)
{
	struct hd_job *job = j->b->job;

	j->traffic[from] = c->a;
	j->done[from] = (uint8_t)c->b;
	if (c->t > j->heard[from])
		j->heard[from] = c->t;
	for (uint32_t i = 0; i < c->n / sizeof(*ri); i++) {
		uint32_t r = ri[i].rank, core;
		struct tessera_status *st;
		struct tessera_boardreg_core *reg;

		if (r >= job->nranks || j->load.core_host[job->rank_core[r]] != from)
			continue;
		j->dl[r] = ri[i].dl;
		if (from == j->me)
			continue;
		core = job->rank_core[r];
		st = &hd_hostwin(j->b, core)->status;
		st->state = ri[i].dl.state;
		st->exit_code = ri[i].exit_code;
		st->wait_kind = ri[i].dl.wait_kind;
		st->wait_peer = ri[i].dl.wait_peer;
		st->wait_tag = ri[i].dl.wait_tag;
		st->wait_comm = ri[i].dl.wait_comm;
		st->wait_seq = ri[i].dl.wait_seq;
		st->msgs_sent = ri[i].dl.msgs_sent;
		st->bytes_sent = ri[i].dl.bytes_sent;
		st->msgs_recv = ri[i].dl.msgs_recv;
		st->bytes_recv = ri[i].dl.bytes_recv;
		reg = hd_boardreg_core(j->b, core);
		reg->halted = ri[i].halted;
		reg->pm_fdiv = ri[i].pm_fdiv;
		reg->pm_vlevel = ri[i].pm_vlevel;
	}
}

static void end_all(struct djob *j, const struct hd_job_result *res)
{
	j->end = *res;
	j->ended = 1;
	for (uint32_t k = 1; k < j->n; k++)
		ctrl_send(j, k, C_END, 0, 0, 0, res, sizeof(*res));
}

/* A failure seen here: host 0 ends the job, the others tell host 0. */
static void fail(struct djob *j, const struct hd_job_result *res)
{
	if (j->failed)
		return;
	j->failed = 1;
	if (j->me)
		ctrl_send(j, 0, C_FAIL, 0, 0, 0, res, sizeof(*res));
	else if (!j->ended)
		end_all(j, res);
}

/* Host 0 injects another host's trace records into the job's trace. */
static void trace_inject(struct djob *j, uint32_t rank, const struct tessera_trace_rec *rec,
			 size_t n)
{
	struct tessera_ring_ctl ctl;

	if (!j->trace_out || rank >= j->nranks || n > TESSERA_TRACE_RECS)
		return;
	memset(&ctl, 0, sizeof(ctl));
	ctl.head = (uint32_t)n;
	hd_trace_drain(j->trace_out, rank, &ctl, (const uint8_t *)rec);
}

static void ctrl_handle(struct djob *j, uint32_t from, void *buf, size_t n)
{
	struct ctrl *c = buf;

	if (n < sizeof(*c) || c->magic != CTRL_MAGIC || c->n != n - sizeof(*c))
		goto out;
	switch (c->kind) {
	case C_STATE:
		if (!j->me && j->b && !(c->n % sizeof(struct rank_info)))
			state_take(j, from, c, (const struct rank_info *)(c + 1));
		break;
	case C_FAIL:
		if (!j->me && c->n == sizeof(struct hd_job_result)) {
			struct hd_job_result res;

			memcpy(&res, c + 1, sizeof(res));
			if (!j->ended)
				end_all(j, &res);
		}
		break;
	case C_END:
		if (j->me && c->n == sizeof(struct hd_job_result) && !j->ended) {
			memcpy(&j->end, c + 1, sizeof(j->end));
			j->ended = 1;
		}
		break;
	case C_TRACE:
		if (!j->me && !(c->n % sizeof(struct tessera_trace_rec)))
			trace_inject(j, (uint32_t)c->a, (const struct tessera_trace_rec *)(c + 1),
				     c->n / sizeof(struct tessera_trace_rec));
		break;
	case C_BYE:
		if (!j->me)
			j->byes++;
		break;
	case C_FIN:
		if (j->me)
			j->fin = 1;
		break;
	}
out:
	free(buf);
}

/* What the network has for us, DRAIN_MAX messages at most: another host that keeps sending
 * (the stores of a flood of shared DRAM writes) must not hold the loop here, away from this
 * host's cores, whose hand-offs would stop leaving, and from its reports to host 0, which
 * would judge the board on old news. Returns how many messages. */
static int net_drain(struct djob *j)
{
	int moved = 0;
	uint32_t from;
	void *buf;
	size_t n;
	int ch;

	while (moved < DRAIN_MAX && j->net->recv(j->net->ctx, &from, &ch, &buf, &n) > 0) {
		moved++;
		if (ch == HD_DIST_CH_DATA && !j->ended)
			hd_dist_input(j->d, from, buf, n);
		else if (ch == HD_DIST_CH_CTRL)
			ctrl_handle(j, from, buf, n);
		else
			free(buf);
	}
	return moved;
}

/* A core that touched another host's MPB or CRB through a pointer: say why it faulted. */
static void explain(struct djob *j, struct hd_job_result *res)
{
	const struct tessera_geom *g = &j->b->geom;
	uint64_t a = res->fault.addr, stride = tessera_tile_stride(g);
	uint32_t tile;
	const char *what;

	if (res->end != HD_END_CRASH || res->fault.reason[0])
		return;
	if (a >= TESSERA_ADDR_MPB && a < TESSERA_ADDR_MPB + tessera_tiles(g) * stride) {
		tile = (uint32_t)((a - TESSERA_ADDR_MPB) / stride);
		what = "MPB";
	} else if (a >= TESSERA_ADDR_CRB && a < TESSERA_ADDR_CRB + tessera_tiles(g) * stride) {
		tile = (uint32_t)((a - TESSERA_ADDR_CRB) / stride);
		what = "CRB";
	} else {
		return;
	}
	if (j->load.core_host[tile * g->cores_per_tile] == j->me)
		return;
	snprintf(res->fault.reason, sizeof(res->fault.reason), "the %s of tile %u is on host %u: "
		 "a distributed board reaches it only through tk_mpb_* (docs/distributed.md)",
		 what, tile, j->load.core_host[tile * g->cores_per_tile]);
}

/* This host's part of one look at the job: failures, done, the periodic state. */
static void look(struct djob *j, uint64_t now)
{
	struct hd_job *job = j->b->job;
	struct hd_job_result res;
	int running = 0;
	uint64_t every = job->deadlock.limit_ns ? job->deadlock.limit_ns / 4 : 250000000ull;

	memset(&res, 0, sizeof(res));
	if (!j->failed && hd_job_check(j->b, &res, &running)) {
		explain(j, &res);
		fail(j, &res);
	}
	if (j->b->interrupted && !j->failed) {
		memset(&res, 0, sizeof(res));
		res.end = HD_END_INTERRUPT;
		res.status = HD_STATUS_INTERRUPT;
		snprintf(res.detail, sizeof(res.detail), "interrupted");
		fail(j, &res);
	}
	if (every > 250000000ull)
		every = 250000000ull;
	if (now - j->last_state_ns >= every || (!running && !j->done[j->me])) {
		struct rank_info *ri = calloc(job->nranks, sizeof(*ri));
		size_t k;

		j->last_state_ns = now;
		j->done[j->me] = !running;
		if (ri) {
			k = rank_infos(j, ri);
			if (j->me) {
				ctrl_send(j, 0, C_STATE, 0, hd_dist_traffic(j->d), !running, ri,
					  k * sizeof(*ri));
			} else {
				struct ctrl c = { .a = hd_dist_traffic(j->d), .b = !running,
						  .n = (uint32_t)(k * sizeof(*ri)), .t = now };

				state_take(j, 0, &c, ri);
			}
			free(ri);
		}
	}
}

/* Host 0: is the job over for everyone? */
static void decide(struct djob *j, uint64_t now)
{
	struct hd_job *job = j->b->job;
	struct hd_job_result res;
	uint32_t done = 0;
	uint64_t traffic = 0;

	if (j->ended)
		return;
	memset(&res, 0, sizeof(res));
	for (uint32_t k = 0; k < j->n; k++) {
		done += j->done[k];
		traffic += j->traffic[k];
	}
	if (done == j->n) {
		res.end = HD_END_EXIT;
		end_all(j, &res);
		return;
	}
	if (job->timeout_s > 0 && (double)(now - job->start_ns) / 1e9 >= job->timeout_s) {
		res.end = HD_END_TIMEOUT;
		res.status = HD_STATUS_TIMEOUT;
		snprintf(res.detail, sizeof(res.detail), "timeout after %g s", job->timeout_s);
		end_all(j, &res);
		return;
	}
	/* messages between hosts are movement the ranks' own counters may not show yet */
	if (traffic != j->traffic[j->n]) {
		j->traffic[j->n] = traffic;
		hd_deadlock_init(&j->deadlock, (double)j->deadlock.limit_ns / 1e9);
	}
	/* judged as of the oldest report: a host busy elsewhere is not taken for a stuck one */
	if (j->deadlock.limit_ns &&
	    hd_deadlock_step_hosts(&j->deadlock, j->dl, job->nranks, j->heard, j->n, res.detail,
				   sizeof(res.detail))) {
		res.end = HD_END_DEADLOCK;
		res.status = HD_STATUS_DEADLOCK;
		end_all(j, &res);
	}
}

/* Sleep until a core rings or `us` pass. */
static void doze(struct djob *j, uint32_t seen, long us)
{
	struct tessera_boardreg_global *g = hd_boardreg_global(j->b);
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	__atomic_store_n(&g->host_waiting, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&g->host_doorbell, __ATOMIC_SEQ_CST) == seen)
		syscall(SYS_futex, &g->host_doorbell, FUTEX_WAIT, seen, &ts, NULL, 0);
	__atomic_store_n(&g->host_waiting, 0, __ATOMIC_SEQ_CST);
}

static void serve(struct djob *j)
{
	struct tessera_boardreg_global *g = hd_boardreg_global(j->b);
	uint64_t hot = hd_now_ns(CLOCK_MONOTONIC);
	long idle = 50;

	while (!j->ended) {
		uint32_t seen = __atomic_load_n(&g->host_doorbell, __ATOMIC_SEQ_CST);
		int moved = hd_job_serve(j->b) + trace_keep(j) + net_drain(j) + hd_dist_step(j->d);
		uint64_t now = hd_now_ns(CLOCK_MONOTONIC);

		look(j, now);
		if (!j->me)
			decide(j, now);
		/* A signal (mpirun passes on Ctrl-C; it kills us soon after): the board goes now,
		 * host 0's word on the end is waited for after (finish). */
		if (j->b->interrupted)
			break;
		/* sends in flight need MPI's progress (a large one takes several exchanges) */
		if (moved || j->net->pending(j->net->ctx)) {
			hot = now;
			idle = 50;
			if (moved)
				continue;
		}
		if (now - hot < (uint64_t)j->spin_us * 1000) {
			sched_yield();
			continue;
		}
		doze(j, seen, idle);
		idle = idle * 2 < j->idle_us ? idle * 2 : j->idle_us;
	}
	if (!j->ended) {		/* unless host 0 says otherwise before the end (finish) */
		memset(&j->end, 0, sizeof(j->end));
		j->end.end = HD_END_INTERRUPT;
		j->end.status = HD_STATUS_INTERRUPT;
		snprintf(j->end.detail, sizeof(j->end.detail), "interrupted");
	}
}

/* The engine and the board go; whoever was told of the board first hears it is gone. */
static void board_gone(struct djob *j)
{
	if (j->on_board && j->b)
		j->on_board(NULL, j->on_board_arg);
	hd_dist_free(j->d);
	j->d = NULL;
	if (j->b) {
		j->b->dist = NULL;
		hd_board_close(j->b);
	}
	j->b = NULL;
}

/* Step 5: nothing of ours in flight, traces gathered, everyone gone. */
static void finish(struct djob *j)
{
	struct hd_job *job = j->b->job;
	uint64_t since, grace = (j->b->interrupted ? 1 : 30) * END_GRACE_NS;

	for (uint32_t r = 0; r < job->nranks; r++)
		if (local_rank(j, r))
			hd_core_hold(j->b, job->rank_core[r]);
	hd_job_serve(j->b);
	trace_keep(j);
	/* The board goes first: what follows needs only memory, and a host process that is
	 * killed while it waits for the others (mpirun ends them all when one dies) leaves
	 * nothing behind. Host 0 keeps the trace, for the others' records. */
	j->trace_out = job->trace;
	job->trace = NULL;
	board_gone(j);
	for (uint32_t r = 0; j->me && j->tracing && r < j->nranks; r++)
		for (size_t i = 0; i < j->trace[r].n; i += TRACE_CHUNK) {
			size_t k = j->trace[r].n - i < TRACE_CHUNK ? j->trace[r].n - i : TRACE_CHUNK;

			ctrl_send(j, 0, C_TRACE, 0, r, 0, j->trace[r].rec + i,
				  k * sizeof(struct tessera_trace_rec));
		}
	/* Wait until what we sent has left (a host that stopped listening early would leave a
	 * big message half sent), say so, and wait for everyone; a host that never answers
	 * (killed) is given up on after a while: mpirun ends the rest anyway. */
	since = hd_now_ns(CLOCK_MONOTONIC);
	for (;;) {
		int idle = !net_drain(j);
		uint64_t now = hd_now_ns(CLOCK_MONOTONIC);

		if (!j->bye_sent && !j->net->pending(j->net->ctx)) {
			j->bye_sent = 1;
			if (j->me)
				ctrl_send(j, 0, C_BYE, 0, 0, 0, NULL, 0);
		}
		if (!j->me && j->bye_sent && j->byes == j->n - 1 && !j->fin) {
			j->fin = 1;
			for (uint32_t k = 1; k < j->n; k++)
				ctrl_send(j, k, C_FIN, 0, 0, 0, NULL, 0);
		}
		if (j->fin && !j->net->pending(j->net->ctx))
			break;
		if (now - since > grace)
			break;
		if (idle)
			usleep(100);
	}
}

static int env_us(const char *name, int deflt)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return deflt;
	n = strtol(v, &end, 10);
	return *end || n < 0 || n > 10000000 ? deflt : (int)n;
}

int hd_dist_job_run(const struct hd_board_opts *bo, const struct hd_job_opts *jo,
		    const struct hd_job_app *apps, uint32_t napps,
		    const struct hd_dist_job_opts *dopts, struct hd_job_result *res)
{
	struct djob j = { .net = dopts->net, .me = dopts->net->me, .n = dopts->net->nhosts };
	struct hd_board_opts mine = *bo;
	struct hd_job_opts o = *jo;
	char dir[PATH_MAX];
	uint64_t digest = 0;
	int rc;

	memset(res, 0, sizeof(*res));
	j.spin_us = env_us("TESSERA_DIST_SPIN_US", SPIN_US);
	j.idle_us = env_us("TESSERA_DIST_IDLE_US", IDLE_US);
	if (j.idle_us < 50)
		j.idle_us = 50;
	j.load.host = j.me;
	j.load.nhosts = j.n;
	if (bo->dir && j.me) {
		snprintf(dir, sizeof(dir), "%s.h%u", bo->dir, j.me);
		mine.dir = dir;
	}
	rc = hd_board_create(&mine, &j.b);
	if (!rc) {
		const struct tessera_geom *g = &j.b->geom;

		for (uint32_t c = 0; c < tessera_cores(g); c++)
			j.load.core_host[c] = dopts->tile_host[c / g->cores_per_tile];
		digest = job_digest(j.b, jo, apps, napps, dopts->tile_host, j.n);
		j.b->dist = &j.load;
		unmap_remote(&j);
		j.on_board = dopts->on_board;
		j.on_board_arg = dopts->on_board_arg;
		if (j.on_board)
			j.on_board(j.b, j.on_board_arg);
		if (!(j.d = hd_dist_new(j.b, j.net, j.load.core_host)))
			rc = -ENOMEM;
	}
	if ((rc = start(&j, rc, digest)))
		goto out;
	/* Host 0 writes the trace; the others keep their ranks' records (trace_keep). */
	j.tracing = jo->trace_path != NULL;
	if (j.me && o.trace_path) {
		o.trace_path = NULL;
		o.flags |= TESSERA_BOOT_TRACE;
	}
	o.deadlock_s = -1;		/* host 0 judges the whole board (decide) */
	rc = hd_job_load_apps(j.b, &o, apps, napps);
	if (!rc) {
		struct hd_job *job = j.b->job;

		hd_deadlock_init(&j.deadlock, jo->deadlock_s ? jo->deadlock_s : 2.0);
		job->deadlock.limit_ns = j.deadlock.limit_ns;	/* the pace of look() */
		j.done = calloc(j.n, 1);
		j.traffic = calloc(j.n + 1, sizeof(uint64_t));
		j.heard = calloc(j.n, sizeof(uint64_t));
		j.dl = calloc(job->nranks, sizeof(*j.dl));
		j.trace = calloc(job->nranks, sizeof(*j.trace));
		j.nranks = job->nranks;
		if (!j.done || !j.traffic || !j.heard || !j.dl || !j.trace)
			rc = hd_fail(-ENOMEM, "out of memory");
		for (uint32_t r = 0; r < job->nranks && j.dl; r++)
			j.dl[r].state = TESSERA_CORE_BOOTING;
		job->start_ns = hd_now_ns(CLOCK_MONOTONIC);
	}
	if ((rc = agree(&j, C_LOADED, C_GO, rc, 0)))	/* step 3: every host loaded */
		goto out;
	for (uint32_t r = 0; r < j.b->job->nranks && !rc; r++)
		if (local_rank(&j, r))
			rc = hd_core_release(j.b, j.b->job->rank_core[r]);
	if (rc) {		/* a core did not start: a failure like any other */
		struct hd_job_result f = { .end = HD_END_ERROR, .status = 1 };

		snprintf(f.detail, sizeof(f.detail), "host %u: %s", j.me, hd_last_error());
		fail(&j, &f);
		rc = 0;
	}
	serve(&j);
	finish(&j);
	*res = j.end;
	if (j.trace_out) {
		if ((rc = hd_trace_finish(j.trace_out))) {
			hd_fail(rc, "--trace: the trace could not be written: %s", strerror(-rc));
			if (res->end == HD_END_EXIT && !res->status) {
				res->end = HD_END_ERROR;
				res->status = 1;
				snprintf(res->detail, sizeof(res->detail), "%s", hd_last_error());
			}
			rc = 0;
		}
		j.trace_out = NULL;
	}
out:
	if (rc) {
		res->end = HD_END_ERROR;
		res->status = 1;
		snprintf(res->detail, sizeof(res->detail), "%s", hd_last_error());
	}
	for (uint32_t r = 0; j.trace && r < j.nranks; r++)
		free(j.trace[r].rec);
	free(j.trace);
	if (j.trace_out)
		hd_trace_finish(j.trace_out);
	board_gone(&j);
	free(j.done);
	free(j.traffic);
	free(j.heard);
	free(j.dl);
	return rc;
}
