/* SPDX-License-Identifier: MIT */
/*
 * trace_pb.h: the part of Perfetto's trace format that trace_pftrace.c writes and
 * trace_meta.c reads back: the field numbers, each under the .proto file of Perfetto's
 * repository (protos/perfetto/...) that defines it, and a protobuf encoder small enough to
 * read in one sitting: varints, tags, length-delimited fields, nested messages whose length
 * is patched in when they end. Why hand-written rather than protobuf-c: docs/trace.md.
 * host-driver only.
 */
#ifndef TRACE_PB_H
#define TRACE_PB_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Wire types (protobuf encoding). */
enum { PB_VARINT = 0, PB_I64 = 1, PB_LEN = 2 };

/* trace/trace.proto: message Trace */
#define PF_TRACE_PACKET			1	/* repeated TracePacket */

/* trace/trace_packet.proto: message TracePacket */
#define PF_PACKET_CLOCK_SNAPSHOT	6	/* ClockSnapshot */
#define PF_PACKET_TIMESTAMP		8	/* uint64 */
#define PF_PACKET_SEQUENCE_ID		10	/* uint32 trusted_packet_sequence_id */
#define PF_PACKET_TRACK_EVENT		11	/* TrackEvent */
#define PF_PACKET_INTERNED_DATA		12	/* InternedData */
#define PF_PACKET_SEQUENCE_FLAGS	13	/* uint32 */
#define PF_PACKET_COMPRESSED		50	/* bytes compressed_packets: zlib-deflated packets */
#define PF_PACKET_DEFAULTS		59	/* TracePacketDefaults */
#define PF_PACKET_TRACK_DESCRIPTOR	60	/* TrackDescriptor */
#define PF_SEQ_INCREMENTAL_STATE_CLEARED 1	/* TracePacket.SequenceFlags */

/* trace/trace_packet_defaults.proto: message TracePacketDefaults */
#define PF_DEFAULTS_TRACK_EVENT		11	/* TrackEventDefaults */
#define PF_DEFAULTS_CLOCK_ID		58	/* uint32 timestamp_clock_id */

/* trace/clock_snapshot.proto: ClockSnapshot, ClockSnapshot.Clock */
#define PF_SNAPSHOT_CLOCKS		1	/* repeated Clock */
#define PF_CLOCK_ID			1	/* uint32 */
#define PF_CLOCK_TIMESTAMP		2	/* uint64 */
#define PF_CLOCK_INCREMENTAL		3	/* bool is_incremental */
#define PF_CLOCK_BOOTTIME		6	/* common/builtin_clock.proto */
#define PF_CLOCK_SEQUENCE		64	/* 64..127: defined by the sequence */

/* trace/track_event/track_event.proto: TrackEvent, TrackEventDefaults, EventName,
 * EventCategory */
#define PF_EVENT_CATEGORY_IIDS		3	/* repeated uint64 */
#define PF_EVENT_DEBUG_ANNOTATIONS	4	/* repeated DebugAnnotation */
#define PF_EVENT_TYPE			9	/* Type */
#define PF_EVENT_NAME_IID		10	/* uint64 */
#define PF_EVENT_TRACK_UUID		11	/* uint64 */
#define PF_EVENT_NAME			23	/* string */
#define PF_EVENT_COUNTER_VALUE		30	/* int64 */
#define PF_EVENT_FLOW_IDS		47	/* repeated fixed64 */
#define PF_EVENT_TERMINATING_FLOW_IDS	48	/* repeated fixed64 */
#define PF_TYPE_SLICE_BEGIN		1	/* TrackEvent.Type */
#define PF_TYPE_SLICE_END		2
#define PF_TYPE_INSTANT			3
#define PF_TYPE_COUNTER			4
#define PF_EVENT_DEFAULTS_TRACK_UUID	11	/* TrackEventDefaults.track_uuid */
#define PF_INTERNED_IID			1	/* EventName.iid, EventCategory.iid */
#define PF_INTERNED_NAME		2	/* EventName.name, EventCategory.name */

/* trace/interned_data/interned_data.proto: message InternedData */
#define PF_INTERNED_CATEGORIES		1	/* repeated EventCategory */
#define PF_INTERNED_EVENT_NAMES		2	/* repeated EventName */
#define PF_INTERNED_ANNOTATION_NAMES	3	/* repeated DebugAnnotationName */

/* trace/track_event/debug_annotation.proto: DebugAnnotation, DebugAnnotationName (iid 1,
 * name 2, as PF_INTERNED_*) */
#define PF_ANNOTATION_NAME_IID		1	/* uint64 */
#define PF_ANNOTATION_INT		4	/* int64 int_value */
#define PF_ANNOTATION_STRING		6	/* string string_value */
#define PF_ANNOTATION_NAME		10	/* string name */

/* trace/track_event/track_descriptor.proto: message TrackDescriptor */
#define PF_TRACK_UUID			1	/* uint64 */
#define PF_TRACK_NAME			2	/* string */
#define PF_TRACK_PARENT_UUID		5	/* uint64 */
#define PF_TRACK_COUNTER		8	/* CounterDescriptor */
#define PF_TRACK_CHILD_ORDERING		11	/* ChildTracksOrdering */
#define PF_TRACK_SIBLING_ORDER		12	/* int32 sibling_order_rank */
#define PF_ORDERING_EXPLICIT		3	/* TrackDescriptor.ChildTracksOrdering */

/* trace/track_event/counter_descriptor.proto: message CounterDescriptor */
#define PF_COUNTER_UNIT			3	/* Unit */
#define PF_UNIT_COUNT			2	/* CounterDescriptor.Unit */

/* ---- the encoder ---- */

/* A growing buffer; err is set (and nothing more is written) once memory ran out. */
struct pb {
	uint8_t *p;
	size_t n, cap;
	int err;
};

static inline int pb_room(struct pb *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;
	uint8_t *np;

	if (b->err)
		return 0;
	if (b->n + more <= b->cap)
		return 1;
	while (cap < b->n + more)
		cap *= 2;
	if (!(np = realloc(b->p, cap))) {
		b->err = 1;
		return 0;
	}
	b->p = np;
	b->cap = cap;
	return 1;
}

static inline size_t pb_varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80)
		v >>= 7, n++;
	return n;
}

static inline void pb_varint(struct pb *b, uint64_t v)
{
	if (!pb_room(b, 10))
		return;
	while (v >= 0x80) {
		b->p[b->n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b->p[b->n++] = (uint8_t)v;
}

static inline void pb_tag(struct pb *b, unsigned field, unsigned wire)
{
	pb_varint(b, (uint64_t)field << 3 | wire);
}

static inline void pb_uint(struct pb *b, unsigned field, uint64_t v)
{
	pb_tag(b, field, PB_VARINT);
	pb_varint(b, v);
}

static inline void pb_fixed64(struct pb *b, unsigned field, uint64_t v)
{
	pb_tag(b, field, PB_I64);
	if (!pb_room(b, 8))
		return;
	for (int i = 0; i < 8; i++)
		b->p[b->n++] = (uint8_t)(v >> (8 * i));	/* little-endian */
}

static inline void pb_bytes(struct pb *b, unsigned field, const void *p, size_t n)
{
	pb_tag(b, field, PB_LEN);
	pb_varint(b, n);
	if (!pb_room(b, n))
		return;
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static inline void pb_string(struct pb *b, unsigned field, const char *s)
{
	pb_bytes(b, field, s, strlen(s));
}

/* Open a nested message; returns where its length goes, for pb_close. */
static inline size_t pb_open(struct pb *b, unsigned field)
{
	pb_tag(b, field, PB_LEN);
	if (!pb_room(b, 1))
		return 0;
	b->p[b->n++] = 0;		/* one byte reserved: most messages are short */
	return b->n;
}

/* Close the message opened at `at`: its length goes in front of it (moved right when it
 * needs more than the reserved byte). */
static inline void pb_close(struct pb *b, size_t at)
{
	size_t len, extra;

	if (b->err)
		return;
	len = b->n - at;
	extra = pb_varint_len(len) - 1;
	if (extra) {
		if (!pb_room(b, extra))
			return;
		memmove(b->p + at + extra, b->p + at, len);
		b->n += extra;
	}
	for (size_t i = at - 1; len >= 0x80; i++, len >>= 7)
		b->p[i] = (uint8_t)(len | 0x80);
	b->p[at - 1 + extra] = (uint8_t)len;
}

#endif
