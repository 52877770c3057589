// SPDX-License-Identifier: MIT
/*
 * mpbc-stress: every rank sends --messages messages of random sizes (0 to --max-size bytes,
 * 64 KB by default) with checksums to random peers, itself included, through mpb-channels
 * alone (no MPI), and checks everything it receives. Rank 0 prints exactly one line:
 *   mpbc-stress: <messages> messages, <bytes> bytes, <errors> errors
 * and the job exits non-zero on any corruption, loss, reordering or stall (1 for errors,
 * which a rank other than 0 also states on stderr: "mpbc-stress: rank R: N errors"; 3 for
 * a stall).
 *
 * Termination: each rank first tells every rank how many messages it will send it (a COUNT
 * message, the count in the envelope), then sends its data. A rank whose sends are all
 * complete and that has received every announced message sends DONE (its totals) to rank 0
 * and waits for FINISH. Rank 0, once it has a DONE from every rank, prints the totals and
 * sends FINISH to every other rank.
 * Stall detection: every completed message bumps a board counter; a rank that sees it
 * unchanged for --stall-ms (5000) reports the stall and exits non-zero, so a broken
 * protocol (--break) fails by itself instead of hanging until the job's timeout.
 * The plan is a deterministic function of --seed: a run can be replayed exactly.
 * The data messages are counted for `tessera ps` and `top` (tk_count_*): the channels count
 * nothing themselves.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mpbc.h"
#include "tk.h"

#define MAX_RANKS	TESSERA_MAX_CORES
#define WINDOW		8		/* data sends in flight */
#define PROGRESS_CTR	(TESSERA_ATOMIC_COUNTERS - 1)	/* board counter used for stalls */

enum kind { K_COUNT = 1, K_DATA = 2, K_DONE = 3, K_FINISH = 4 };

struct totals {
	uint64_t msgs_sent, msgs_recv, bytes_recv, errors;
};

static struct {
	uint32_t messages, max_size, stall_ms;
	uint64_t seed;
	uint32_t brk;
} opt = { .messages = 100, .max_size = 65536, .stall_ms = 5000, .seed = 1 };

static uint32_t me, nranks;
static uint32_t expect[MAX_RANKS];	/* data messages announced by each rank */
static uint32_t counted[MAX_RANKS];	/* COUNT seen from each rank */
static uint32_t next_seq[MAX_RANKS];	/* next data sequence number from each rank */
static uint32_t to_send[MAX_RANKS];	/* data messages this rank sends to each rank */
static uint32_t sent_seq[MAX_RANKS];
static struct mpbc_send count_req[MAX_RANKS], finish_req[MAX_RANKS], done_req;
static struct mpbc_send win_req[WINDOW];
static uint32_t win_busy[WINDOW], win_len[WINDOW];
static uint8_t win_buf[WINDOW][65536];
static uint8_t rbuf[65536];
static struct totals tot;

/* splitmix64: small, fast, and the same on every arch. */
static uint64_t next64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The k-th message of this rank: destination and size, log-uniformly spread over sizes. */
static void plan(uint64_t *s, uint32_t *dst, uint32_t *len)
{
	uint32_t bits = (uint32_t)(next64(s) % 18), max = opt.max_size;

	*dst = (uint32_t)(next64(s) % nranks);
	*len = bits == 0 ? 0 : (uint32_t)(next64(s) % ((1u << (bits - 1)) + 1));
	if (bits == 17)
		*len = max;
	if (*len > max)
		*len = max;
}

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void fill(uint8_t *p, size_t n, uint64_t seed)
{
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t v = next64(&seed);

		memcpy(p + i, &v, 8);
	}
	for (; i < n; i++)
		p[i] = (uint8_t)next64(&seed);
}

static void progress_made(void)
{
	tk_counter_add(PROGRESS_CTR, 1);
}

static int usage(void)
{
	fprintf(stderr, "usage: mpbc-stress [--messages N] [--seed S] [--max-size BYTES] "
			"[--stall-ms MS] [--break=invalidate|flush]\n");
	return 2;
}

static int parse(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--messages") && i + 1 < argc)
			opt.messages = (uint32_t)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(a, "--seed") && i + 1 < argc)
			opt.seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(a, "--max-size") && i + 1 < argc)
			opt.max_size = (uint32_t)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(a, "--stall-ms") && i + 1 < argc)
			opt.stall_ms = (uint32_t)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(a, "--break=invalidate"))
			opt.brk |= TESSERA_BOOT_BREAK_INV;
		else if (!strcmp(a, "--break=flush"))
			opt.brk |= TESSERA_BOOT_BREAK_FLUSH;
		else
			return -EINVAL;
	}
	if (opt.max_size > sizeof(rbuf))
		return -EINVAL;
	return 0;
}

static void env_set(struct mpbc_env *e, enum kind k, uint32_t a, uint32_t b, uint32_t c)
{
	e->w[0] = (uint32_t)k | me << 8;
	e->w[1] = a;
	e->w[2] = b;
	e->w[3] = c;
}

/* Start data sends while the window has room; returns how many completed meanwhile. */
static int pump_sends(uint64_t *plan_state, uint32_t *planned)
{
	int moved = 0;
	uint32_t w;

	for (w = 0; w < WINDOW; w++) {
		uint32_t dst, len;
		struct mpbc_env e;

		if (win_busy[w]) {
			int rc = mpbc_send_test(&win_req[w]);

			if (rc == -EAGAIN)
				continue;
			if (rc < 0)
				tot.errors++;
			win_busy[w] = 0;
			tot.msgs_sent++;
			tk_count_send(win_len[w]);
			progress_made();
			moved++;
		}
		if (*planned == opt.messages)
			continue;
		plan(plan_state, &dst, &len);
		(*planned)++;
		fill(win_buf[w], len, opt.seed ^ ((uint64_t)me << 40) ^ ((uint64_t)dst << 20) ^
				      sent_seq[dst]);
		env_set(&e, K_DATA, sent_seq[dst]++, fnv1a(win_buf[w], len), len);
		win_len[w] = len;
		if (mpbc_isend(&win_req[w], tk_rank_core(dst), &e, win_buf[w], len) < 0)
			tot.errors++;
		else
			win_busy[w] = 1;
	}
	return moved;
}

static int sends_idle(uint32_t planned)
{
	uint32_t w;

	if (planned != opt.messages)
		return 0;
	for (w = 0; w < WINDOW; w++)
		if (win_busy[w])
			return 0;
	return 1;
}

/* The stall detector: the board counter every rank bumps on progress, and when it last
 * moved. A rank that waits anywhere (wait_some) ends the job once it has not for stall_ms. */
static uint32_t last_ctr;
static uint64_t last_change;
static uint32_t done_now;

static void wait_some(void)
{
	mpbc_wait_timeout(100000000ull);
	if (tk_counter_add(PROGRESS_CTR, 0) != last_ctr) {
		last_ctr = tk_counter_add(PROGRESS_CTR, 0);
		last_change = tk_time_ns();
	} else if (tk_time_ns() - last_change > (uint64_t)opt.stall_ms * 1000000ull) {
		uint32_t want = 0;

		for (uint32_t r = 0; r < nranks; r++)
			want += expect[r];
		fprintf(stderr, "mpbc-stress: rank %u: no progress for %u ms (sent %llu of "
			"%u, received %llu of %u%s)\n", me, opt.stall_ms,
			(unsigned long long)tot.msgs_sent, opt.messages,
			(unsigned long long)tot.msgs_recv, want,
			done_now ? ", waiting for the end" : "");
		if (me == 0)
			printf("mpbc-stress: stalled: no progress for %u ms\n", opt.stall_ms);
		exit(3);
	}
}

static int recv_now(uint32_t from, void *buf, size_t cap)
{
	struct mpbc_recv r;
	int rc = mpbc_irecv(&r, from, buf, cap);

	if (rc == 0)
		while ((rc = mpbc_recv_test(&r)) == -EAGAIN)
			wait_some();
	return rc;
}

/* Rank 0's record of the DONE messages. */
static uint32_t dones;
static struct totals all;

/* Take one message if one has arrived; returns 1 if it did. */
static int take_one(int *finished)
{
	struct mpbc_env e;
	uint32_t from, src, kind;
	size_t len;
	int rc = mpbc_peek(MPBC_ANY_SOURCE, &from, &e, &len);

	if (rc == -EAGAIN)
		return 0;
	if (rc < 0) {
		tot.errors++;
		return 0;
	}
	kind = e.w[0] & 0xff;
	src = e.w[0] >> 8;
	if (src >= nranks || tk_rank_core(src) != from) {
		tot.errors++;
		recv_now(from, NULL, 0);
		return 1;
	}
	switch (kind) {
	case K_COUNT:
		if (counted[src]++)
			tot.errors++;
		expect[src] = e.w[1];
		if (recv_now(from, NULL, 0) || len)
			tot.errors++;
		break;
	case K_DATA:
		if (len > opt.max_size || e.w[3] != len) {
			tot.errors++;
			recv_now(from, NULL, 0);
			break;
		}
		if (recv_now(from, rbuf, sizeof(rbuf)) || !counted[src] ||
		    e.w[1] != next_seq[src] || fnv1a(rbuf, len) != e.w[2])
			tot.errors++;
		next_seq[src]++;
		tot.msgs_recv++;
		tot.bytes_recv += len;
		tk_count_recv(len);
		break;
	case K_DONE: {
		struct totals t;

		if (me != 0 || len != sizeof(t) || recv_now(from, &t, sizeof(t))) {
			tot.errors++;
			break;
		}
		all.msgs_sent += t.msgs_sent;
		all.msgs_recv += t.msgs_recv;
		all.bytes_recv += t.bytes_recv;
		all.errors += t.errors;
		dones++;
		break;
	}
	case K_FINISH:
		if (recv_now(from, NULL, 0) || src != 0)
			tot.errors++;
		*finished = 1;
		break;
	default:
		tot.errors++;
		recv_now(from, NULL, 0);
	}
	progress_made();
	return 1;
}

static int all_received(void)
{
	uint32_t r;

	for (r = 0; r < nranks; r++)
		if (!counted[r] || next_seq[r] != expect[r])
			return 0;
	return 1;
}

static int wait_sent(struct mpbc_send *s)
{
	int rc;

	while ((rc = mpbc_send_test(s)) == -EAGAIN)
		wait_some();
	return rc;
}

int main(int argc, char **argv)
{
	uint64_t ps;
	uint32_t planned = 0, r, dst, len;
	int finished = 0, done_sent = 0, rc;
	struct mpbc_env e;

	me = tk_rank();
	nranks = tk_nranks();
	if (parse(argc, argv) < 0)
		return usage();
	rc = mpbc_init();
	if (rc < 0) {
		fprintf(stderr, "mpbc-stress: rank %u: mpbc_init: %d\n", me, rc);
		return 1;
	}
	if (opt.brk)
		mpbc_debug_break(opt.brk | (tk_flags() & (TESSERA_BOOT_BREAK_INV |
							   TESSERA_BOOT_BREAK_FLUSH)));
	/* Count what goes where, announce it, then replay the same plan for the data. */
	ps = opt.seed * 0x100000001b3ull + me;
	for (planned = 0; planned < opt.messages; planned++) {
		plan(&ps, &dst, &len);
		to_send[dst]++;
	}
	for (r = 0; r < nranks; r++) {
		env_set(&e, K_COUNT, to_send[r], 0, 0);
		if (mpbc_isend(&count_req[r], tk_rank_core(r), &e, NULL, 0) < 0)
			tot.errors++;
	}
	ps = opt.seed * 0x100000001b3ull + me;
	planned = 0;
	last_ctr = tk_counter_add(PROGRESS_CTR, 0);
	last_change = tk_time_ns();
	while (!finished) {
		int moved = pump_sends(&ps, &planned);

		moved += take_one(&finished);
		if (!done_sent && sends_idle(planned) && all_received()) {
			for (r = 0; r < nranks; r++)
				if (wait_sent(&count_req[r]))
					tot.errors++;
			env_set(&e, K_DONE, 0, 0, 0);
			if (mpbc_isend(&done_req, tk_rank_core(0), &e, &tot, sizeof(tot)) < 0 ||
			    wait_sent(&done_req))
				tot.errors++;
			done_sent = done_now = 1;
		}
		if (me == 0 && dones == nranks) {
			for (r = 1; r < nranks; r++) {
				env_set(&e, K_FINISH, 0, 0, 0);
				if (mpbc_isend(&finish_req[r], tk_rank_core(r), &e, NULL, 0) < 0)
					all.errors++;
			}
			for (r = 1; r < nranks; r++)
				if (wait_sent(&finish_req[r]))
					all.errors++;
			if (all.msgs_sent != all.msgs_recv)
				all.errors += all.msgs_sent > all.msgs_recv ?
					all.msgs_sent - all.msgs_recv : all.msgs_recv - all.msgs_sent;
			printf("mpbc-stress: %llu messages, %llu bytes, %llu errors\n",
			       (unsigned long long)all.msgs_recv,
			       (unsigned long long)all.bytes_recv,
			       (unsigned long long)all.errors);
			return all.errors ? 1 : 0;
		}
		if (moved)
			continue;
		wait_some();
	}
	if (tot.errors)
		fprintf(stderr, "mpbc-stress: rank %u: %llu errors\n", me,
			(unsigned long long)tot.errors);
	return tot.errors ? 1 : 0;
}
