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

/* ---- trace_pair.c: records -> slices, and sends paired with receives ---- */

enum sl_kind { SL_COLL, SL_SEND, SL_RECV, SL_MSG, SL_HOST, SL_HALT, SL_POWER };	/* outer to inner */

#define SL_UNFINISHED	1u	/* no end: the job stopped inside it */
#define SL_NO_BEGIN	2u	/* no begin was seen: a zero-length slice at the end */

/* One operation of one rank, from its begin record to its end record. */
struct slice {
	uint64_t t0, t1;
	uint64_t bytes : 48, comm : 16;
	int32_t tag;
	int16_t peer;
	uint8_t kind : 4, flags : 4;
	uint8_t lane;			/* the output's track (trace_json.c) */
};
_Static_assert(sizeof(struct slice) == 32, "slice");

/* Every rank's slices, rank by rank in program order, and who pairs with whom. */
struct slices {
	struct slice *s;
	size_t n, cap;
	size_t *first;			/* rank r's slices: first[r] .. first[r + 1] */
	uint32_t *mate;			/* send <-> receive, by global index; UINT32_MAX: none */
	uint64_t paired, lone_sends, lone_recvs;
};

/* Make the slices of every rank of t (freeing the ranks' records as it goes), then pair
 * every completed send with its receive; 0 or -ENOMEM. hd_slices_free frees S. */
int hd_slices_make(struct hd_trace *t, struct slices *S);
void hd_slices_free(struct slices *S);
/* Make room for need elements of size bytes in *p (capacity *cap); 0 or -ENOMEM. */
int hd_trace_grow(void **p, size_t *cap, size_t need, size_t size);

/* ---- trace_json.c ---- */
/* Write t's records to t->f as the trace file (freeing each rank's records once used); 0 or
 * -ENOMEM. Write errors of the stream are left for the caller to see. */
int hd_trace_write(struct hd_trace *t);

/* ---- trace_meta.c: the "tessera" object, written here and read by hd_trace_meta_read ---- */
/* Fill m from t and S (m->traffic malloc'd: hd_trace_meta_free); 0 or -ENOMEM. */
int hd_trace_meta_make(const struct hd_trace *t, const struct slices *S, uint64_t t_end,
		       struct hd_trace_meta *m);
/* Write m as the "tessera" member (key and object) of the file's top-level object. */
void hd_trace_meta_put(FILE *f, const struct hd_trace_meta *m);
/* Write s as a JSON string (quoted, escaped). */
void hd_json_string(FILE *f, const char *s);

#endif
