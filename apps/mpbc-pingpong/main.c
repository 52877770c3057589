// SPDX-License-Identifier: MIT
/*
 * mpbc-pingpong: one-way latency and bandwidth of mpb-channels between ranks 0 and 1, per
 * message size (0, 8, 32 bytes ... 1 MB), measured as half the round trip of a ping-pong.
 * Other ranks only initialise and leave. Rank 0 prints one table; the coherence mode in its
 * title comes from the boot flags. Compare with build/bin/tessera-cacheline-floor, the same
 * ping-pong between two host threads through shared memory (apps/mpbc-pingpong/host/).
 * Each size runs 5 batches and reports the best (the host is shared: a preempted batch
 * only loses). Options: --max BYTES (1 MB), --time-ms MS per size (200).
 * Every message is counted for `tessera ps` and `top` (the channels count nothing).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mpbc.h"
#include "tk.h"

#define MAX_BYTES (1u << 20)
#define BATCHES 5

static uint8_t buf[MAX_BYTES];

static int send_wait(uint32_t core, const void *p, size_t len)
{
	struct mpbc_env e = { { 0x50494e47u, (uint32_t)len, 0, 0 } };	/* "PING" */
	struct mpbc_send s;
	int rc = mpbc_isend(&s, core, &e, p, len);

	if (rc == 0)
		while ((rc = mpbc_send_test(&s)) == -EAGAIN)
			mpbc_wait();
	if (rc == 0)
		tk_count_send(len);
	return rc;
}

static int recv_wait(uint32_t core, void *p, size_t len)
{
	struct mpbc_recv r;
	size_t got;
	int rc;

	while ((rc = mpbc_peek((int)core, NULL, NULL, &got)) == -EAGAIN)
		mpbc_wait();
	if (rc == 0 && got != len)
		rc = -EPROTO;
	if (rc == 0)
		rc = mpbc_irecv(&r, core, p, len);
	if (rc == 0)
		while ((rc = mpbc_recv_test(&r)) == -EAGAIN)
			mpbc_wait();
	if (rc == 0)
		tk_count_recv(len);
	return rc;
}

/* One round trip of len bytes; rank 0 starts it. */
static int round_trip(uint32_t me, uint32_t peer, size_t len)
{
	int rc;

	if (me == 0) {
		rc = send_wait(peer, buf, len);
		return rc ? rc : recv_wait(peer, buf, len);
	}
	rc = recv_wait(peer, buf, len);
	return rc ? rc : send_wait(peer, buf, len);
}

int main(int argc, char **argv)
{
	uint32_t me = tk_rank(), max = MAX_BYTES, time_ms = 200, i;
	uint32_t peer;
	size_t len;
	int rc;

	for (i = 1; i < (uint32_t)argc; i++) {
		if (!strcmp(argv[i], "--max") && i + 1 < (uint32_t)argc)
			max = (uint32_t)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--time-ms") && i + 1 < (uint32_t)argc)
			time_ms = (uint32_t)strtoul(argv[++i], NULL, 0);
		else {
			fprintf(stderr, "usage: mpbc-pingpong [--max BYTES] [--time-ms MS]\n");
			return 2;
		}
	}
	if (max > MAX_BYTES)
		max = MAX_BYTES;
	rc = mpbc_init();
	if (rc < 0) {
		fprintf(stderr, "mpbc-pingpong: mpbc_init: %d\n", rc);
		return 1;
	}
	if (tk_nranks() < 2) {
		fprintf(stderr, "mpbc-pingpong: needs 2 ranks\n");
		return 2;
	}
	if (me > 1)
		return 0;
	peer = tk_rank_core(1 - me);
	if (me == 0) {
		printf("mpbc-pingpong: cores %u and %u, %s coherence\n", tk_core(), peer,
		       (tk_flags() & TESSERA_BOOT_STRICT) ? "strict" : "host");
		printf("%10s %10s %12s %12s\n", "bytes", "iters", "latency_us", "MB/s");
	}
	for (len = 0; len <= max; len = len < 8 ? 8 : len * 4) {
		uint32_t iters = 0, k, b;
		uint64_t t0, t1, best, budget = (uint64_t)time_ms * 1000000ull / BATCHES;

		/* warm up, and let rank 0 size the run to the time budget */
		t0 = tk_time_ns();
		for (k = 0; k < 5; k++)
			if ((rc = round_trip(me, peer, len)))
				goto fail;
		t1 = tk_time_ns();
		if (me == 0) {
			uint64_t per = (t1 - t0) / 5 + 1;

			iters = budget / per < 10 ? 10 : budget / per > 200000 ? 200000 :
				(uint32_t)(budget / per);
			rc = send_wait(peer, &iters, sizeof(iters));
		} else {
			rc = recv_wait(peer, &iters, sizeof(iters));
		}
		if (rc)
			goto fail;
		/* best of BATCHES: a preempted batch (the host is shared) only loses */
		best = ~0ull;
		for (b = 0; b < BATCHES; b++) {
			t0 = tk_time_ns();
			for (k = 0; k < iters; k++)
				if ((rc = round_trip(me, peer, len)))
					goto fail;
			t1 = tk_time_ns();
			if (t1 - t0 < best)
				best = t1 - t0;
		}
		if (me == 0) {
			double us = (double)best / 1e3 / iters / 2.0;

			printf("%10zu %10u %12.2f %12.1f\n", len, iters, us,
			       us > 0 ? (double)len / us : 0.0);
		}
		if (len == max)
			break;
		if (len * 4 > max && len < max)
			len = max / 4;
	}
	return 0;
fail:
	fprintf(stderr, "mpbc-pingpong: rank %u: %d\n", me, rc);
	return 1;
}
