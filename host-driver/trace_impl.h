/* SPDX-License-Identifier: MIT */
/*
 * trace_impl.h: what the parts of a trace share: trace.c (collecting a job's records from
 * the cores' trace rings), trace_pair.c (records -> slices, sends paired with receives),
 * trace_layout.c (what each rank's tracks show, named), trace_write.c (the limits, then one
 * of the writers), trace_json.c and trace_pftrace.c (the two file formats) and
 * trace_meta.c (the "tessera" metadata). host-driver only.
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

/* Bytes and events a writer put out for the events starting at t (trace_write.c). */
struct mark {
	uint64_t t;
	uint32_t bytes, events;
};

struct hd_trace {
	FILE *f;			/* the temporary file, renamed to path when complete */
	char path[PATH_MAX], tmp[PATH_MAX];
	uint32_t format;		/* HD_TRACE_FORMAT_JSON or _PERFETTO */
	uint32_t kinds;			/* HD_TRACE_* written */
	uint64_t limit_bytes, limit_events;	/* 0: none */
	hd_progress_fn progress;	/* NULL: none */
	void *progress_arg;
	uint64_t cut;			/* events from here on are left out (UINT64_MAX: none) */
	uint64_t events;		/* events written so far */
	/* while the limits are being worked out: what went through the counting stream */
	int counting;
	uint64_t counted, marked;	/* bytes through it; bytes at the last mark */
	struct mark *marks;
	size_t nmarks, marks_cap;
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
#define SL_CUT		4u	/* ends where --trace-limit cut the trace */
#define SL_INNER	8u	/* a message of a collective, inside its slice: its tag is the
				 * collective's round, not the program's (trace_layout.c) */
#define SL_CANCELLED	16u	/* a receive MPI_Cancel took back: named by its begin */

/* One operation of one rank, from its begin record to its end record. */
struct slice {
	uint64_t t0, t1;
	uint64_t bytes : 48, comm : 16;
	int32_t tag;
	int16_t peer;
	uint8_t kind : 3, flags : 5;	/* enum sl_kind, SL_* flags */
	uint8_t lane;			/* the output's track (trace_layout.c) */
};
_Static_assert(sizeof(struct slice) == 32, "slice");

/* Every rank's slices, rank by rank in program order, and who pairs with whom. */
struct slices {
	struct slice *s;
	size_t n, cap;
	size_t *first;			/* rank r's slices: first[r] .. first[r + 1] */
	uint32_t *mate;			/* send <-> receive, by global index; UINT32_MAX: none */
	uint64_t *msg_t0;		/* paired receive: where its message slice starts */
	uint64_t paired, lone_sends, lone_recvs;
};

/* Make the slices of every rank of t (freeing the ranks' records as it goes), then pair
 * every completed send with its receive; 0 or -ENOMEM. hd_slices_free frees S. */
int hd_slices_make(struct hd_trace *t, struct slices *S);
void hd_slices_free(struct slices *S);
/* Make room for need elements of size bytes in *p (capacity *cap); 0 or -ENOMEM. */
int hd_trace_grow(void **p, size_t *cap, size_t need, size_t size);

/* ---- trace_layout.c: what one rank's tracks show ---- */

/* One slice as written: a rank's own, or the "message" child of a matched receive. */
struct item {
	struct slice s;
	uint32_t ref;			/* global index of the slice (of the receive, for SL_MSG) */
};

/* A rank's items of the kinds written, up to the cut, in time order (a slice before the
 * slices it encloses), each on the first track (lane) where it nests. */
struct layout {
	struct item *it;
	size_t n;
	unsigned nlanes;
};

#define LANE_MAX	255u		/* extra tracks per rank for slices that overlap */

/* Fill S->msg_t0: where the message slice of each matched receive starts; 0 or -ENOMEM. */
int hd_msg_starts(const struct hd_trace *t, struct slices *S);
/* Rank r's items; 0 or -ENOMEM. hd_layout_free frees L's items. */
int hd_layout_rank(const struct hd_trace *t, const struct slices *S, uint32_t r,
		   struct layout *L);
void hd_layout_free(struct layout *L);
/* The arrow an item starts (send) or ends (message): its id (the send's global slice index
 * + 1), 0 for none (no mate, or its other end is not written). */
uint64_t hd_item_flow(const struct hd_trace *t, const struct slices *S, const struct item *it);
/* Names as shown: "send to 3 (tag 7, 1024 B)", "rank 2 (core 5, tile 2,0)", the category. */
void hd_slice_name(const struct slice *s, char *buf, size_t n);
void hd_lane_name(const struct hd_trace *t, uint32_t rank, unsigned lane, char *buf, size_t n);
extern const char *const hd_slice_category[];	/* by enum sl_kind */
/* The board's "messages in flight" counter: value after each change, in time order. */
struct sample {
	uint64_t t;
	uint64_t v;
};
int hd_inflight(const struct hd_trace *t, const struct slices *S, struct sample **out,
		size_t *n);

/* ---- trace_write.c: the limits, then the file ---- */
/* Write t's records to t->f as the trace file (freeing each rank's records once used); 0 or
 * -ENOMEM. Write errors of the stream are left for the caller to see. */
int hd_trace_write(struct hd_trace *t);
/* A writer has put out everything of the events starting at time at (events: how many). */
int hd_trace_mark(struct hd_trace *t, uint64_t at, uint32_t events);
/* A writer has written ranks 0 .. done - 1 (progress for whoever waits). */
void hd_trace_step(struct hd_trace *t, uint32_t done);
/* The job's last time stamp. */
uint64_t hd_trace_end(const struct hd_trace *t);
/* The writers: the whole file to f, the metadata m in it; 0 or -ENOMEM. */
int hd_trace_json(struct hd_trace *t, const struct slices *S, const struct hd_trace_meta *m,
		  FILE *f);
int hd_trace_pftrace(struct hd_trace *t, const struct slices *S,
		     const struct hd_trace_meta *m, FILE *f);

/* ---- trace_meta.c: the "tessera" object, written here and read by hd_trace_meta_read ---- */
/* Fill m from t and S (m->traffic malloc'd: hd_trace_meta_free); 0 or -ENOMEM. */
int hd_trace_meta_make(const struct hd_trace *t, const struct slices *S, uint64_t t_end,
		       struct hd_trace_meta *m);
/* Write m as the "tessera" member (key and object) of the file's top-level object. */
void hd_trace_meta_put(FILE *f, const struct hd_trace_meta *m);
/* Write s as a JSON string (quoted, escaped). */
void hd_json_string(FILE *f, const char *s);

#endif
