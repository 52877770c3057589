/* SPDX-License-Identifier: MIT */
/*
 * dist.h: a board spread over several hosts, one host process each (docs/distributed.md).
 * host-driver and the host tools that run such a board (host-tools/dist_*.c: Open MPI
 * carries the messages); nothing here knows MPI. Three parts:
 *   - dist_map.c: which host runs which tile (contiguous blocks of the mesh by default);
 *   - dist.c: the engine of one host: the cores' hand-offs (board.h: dist_out) shipped in
 *     ticket order, batched per destination host; memory, registers, locks and counters
 *     homed here served for the others; every message delivered in causal order;
 *   - dist_job.c: a job's life on one host: its part of the board, the clocks, loading, the
 *     cores' consoles and host calls, and what the hosts tell each other (status, failures,
 *     the wait-for graph, the end, the trace).
 * One host process, one thread: nothing here may be called from two threads at once.
 */
#ifndef HD_DIST_H
#define HD_DIST_H

#include <stddef.h>
#include <stdint.h>
#include "tessera/board.h"
#include "tessera/host.h"

struct hd_board;
struct hd_dist;

/* Message channels between host processes. */
#define HD_DIST_CH_DATA	0	/* memory, registers, locks, counters: causal order */
#define HD_DIST_CH_CTRL	1	/* the job's life (dist_job.c) */

/* How this host reaches the others (host-tools/dist_mpi.c over Open MPI; a loopback in the
 * tests). Messages between two hosts on one channel arrive in the order they were sent. */
struct hd_dist_net {
	void *ctx;
	uint32_t me, nhosts;
	/* Send n bytes of buf (malloc'd; the net owns it from now, success or not) to host
	 * `to`; never blocks. 0 or a negative errno value. */
	int (*send)(void *ctx, uint32_t to, int ch, void *buf, size_t n);
	/* A received message, if any: 1 with *from, *ch, *buf (malloc'd, the caller frees it)
	 * and *n; 0 when none is there; never blocks. Also moves the sends along. */
	int (*recv)(void *ctx, uint32_t *from, int *ch, void **buf, size_t *n);
	/* Sends not yet complete (the end of a job waits for none to be left). */
	int (*pending)(void *ctx);
};

/* ---- dist_map.c ---- */
/*
 * Fill tile_host[0..tiles) for nhosts hosts: spec NULL or "blocks" (the mesh cut into
 * hx x hy rectangles, hx * hy = nhosts, as square as the mesh allows; rows when no such
 * cut exists), "rows" (runs of consecutive tiles), or one tile list per host separated by
 * '/' ("0-11/12-23"). 0, or -EINVAL with hd_last_error() naming the problem.
 */
int hd_dist_map(const struct tessera_geom *g, uint32_t nhosts, const char *spec,
		uint8_t *tile_host);

/* ---- dist.c: the engine ---- */
/* An engine for host net->me of a board (its cores' homes: core_host, TESSERA_MAX_CORES
 * entries; the geometry is the board's). NULL on failure (hd_last_error). */
struct hd_dist *hd_dist_new(struct hd_board *b, const struct hd_dist_net *net,
			    const uint8_t *core_host);
void hd_dist_free(struct hd_dist *d);
/* A message of the data channel from host `from` (the engine frees buf). */
void hd_dist_input(struct hd_dist *d, uint32_t from, void *buf, size_t n);
/* Ship what this host's cores handed off (in ticket order), deliver what can be, send the
 * batches; returns how much moved (0: nothing). */
int hd_dist_step(struct hd_dist *d);
/* Core `core` (of this host) waits for an answer from another host. */
int hd_dist_waiting(const struct hd_dist *d, uint32_t core);
/* Messages sent and delivered so far (what the deadlock detector counts as movement). */
uint64_t hd_dist_traffic(const struct hd_dist *d);
/* Items refused as malformed since the start (hand-offs and messages are input). */
uint64_t hd_dist_refused(const struct hd_dist *d);

/* ---- dist_job.c: a job on this host's part of the board ---- */
struct hd_dist_job_opts {
	const struct hd_dist_net *net;
	const uint8_t *tile_host;	/* hd_dist_map's */
	/* called once the board exists (a signal handler may then hd_job_interrupt it), and
	 * with NULL before it goes */
	void (*on_board)(struct hd_board *b, void *arg);
	void *on_board_arg;
};
/*
 * Run a job over every host: each host process calls this with the same board, job and
 * programs (bo->dir: host 0's board directory, DIR.hN for host N). This host creates its
 * part of the board, loads the ranks whose cores it runs, serves them and the others' needs
 * until the job ends anywhere, and fills res with the job's end, the same on every host.
 * Returns 0, or a negative errno value when this host failed (hd_last_error).
 */
int hd_dist_job_run(const struct hd_board_opts *bo, const struct hd_job_opts *jo,
		    const struct hd_job_app *apps, uint32_t napps,
		    const struct hd_dist_job_opts *dopts, struct hd_job_result *res);

#endif
