/* SPDX-License-Identifier: MIT */
/*
 * trace_impl.h: what trace.c (collecting a job's records from the cores' trace rings) and
 * trace_json.c (turning them into the Chrome trace JSON file) share. host-driver only.
 */
#ifndef TRACE_IMPL_H
#define TRACE_IMPL_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include "hd_impl.h"

#define COMM_MANY	0xffffu		/* the index every communicator past 65534 shares */

/* A record as kept until the end of the job: 24 bytes instead of 32 (comm interned). */
struct rec {
	uint64_t t_ns;
	uint64_t bytes : 48, comm : 16;	/* comm: index into hd_trace.comm_id */
	int32_t tag;
	int16_t peer;			/* a rank, or -1 (any, none) */
	uint8_t kind;			/* enum tessera_trace_kind */
	uint8_t pad;
};
_Static_assert(sizeof(struct rec) == 24, "compact trace record");

struct rank_log {
	struct rec *rec;		/* in the order the rank wrote them */
	size_t n, cap;
	uint64_t t_last;		/* latest time seen: where unfinished slices end */
};

struct hd_trace {
	FILE *f;			/* the temporary file, renamed to path when complete */
	char path[PATH_MAX], tmp[PATH_MAX];
	struct tessera_geom geom;
	uint32_t nranks;
	uint32_t *rank_core;
	struct rank_log *log;
	uint32_t *comm_id;		/* interned communicator ids, by index */
	uint32_t ncomm, comm_cap;
	uint32_t *comm_hash;		/* open addressing: index + 1, 0 = empty */
	uint32_t hash_cap;		/* power of two */
	uint64_t records, bad, resets, comms_merged;
	int err;			/* sticky -ENOMEM: records are dropped from then on */
};

/* trace_json.c: write t's records to t->f as the trace file (freeing each rank's records
 * once used); 0 or -ENOMEM. Write errors of the stream are left for the caller to see. */
int hd_trace_write(struct hd_trace *t);

#endif
