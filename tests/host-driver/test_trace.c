// SPDX-License-Identifier: MIT
/*
 * test_trace.c: collecting a job's trace and writing it as Chrome trace JSON
 * (host-driver/trace.c and the parts every format shares): draining fake rings
 * (wrap-around, a corrupt head, bad records), pairing sends with receives by MPI's
 * non-overtaking rule, naming, the filter and the limits, and a file that json-c parses,
 * whose every flow start has one finish, each bound to the right slice.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "trace_fake.h"

static json_object *doc;

static void setup(void)
{
	fake_setup("json");
	doc = NULL;
}

static void teardown(void)
{
	if (doc)
		json_object_put(doc);
	fake_teardown();
}

TestSuite(trace, .init = setup, .fini = teardown);

static struct hd_trace *new_trace(void)
{
	return new_trace_opts(NULL);
}

/* Drain, finish, parse; returns the traceEvents array. */
static json_object *finish(struct hd_trace *t)
{
	json_object *ev;

	drain_all(t);
	cr_assert_eq(hd_trace_finish(t), 0, "%s", hd_last_error());
	doc = json_object_from_file(path);
	cr_assert_not_null(doc, "the trace does not parse: %s", json_util_get_last_err());
	cr_assert(json_object_object_get_ex(doc, "traceEvents", &ev));
	cr_assert(json_object_is_type(ev, json_type_array));
	return ev;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

static double num(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_double(v) : -1;
}

static int64_t meta(const char *key)
{
	json_object *m, *v;

	cr_assert(json_object_object_get_ex(doc, "tessera", &m));
	cr_assert(json_object_object_get_ex(m, key, &v), "no tessera.%s", key);
	return json_object_get_int64(v);
}

/* The X event named `name` (NULL if none). */
static json_object *slice_named(json_object *ev, const char *name)
{
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *e = json_object_array_get_idx(ev, i);
		if (!strcmp(str(e, "ph"), "X") && !strcmp(str(e, "name"), name))
			return e;
	}
	return NULL;
}

static int count_ph(json_object *ev, const char *ph)
{
	int n = 0;

	for (size_t i = 0; i < json_object_array_length(ev); i++)
		n += !strcmp(str(json_object_array_get_idx(ev, i), "ph"), ph);
	return n;
}

/*
 * The slice a viewer binds a flow event to. Perfetto: the slice that opened last on the
 * flow's thread up to the flow's time (at equal times, file order, if its sort keeps it;
 * a slice after the flow at its very time is taken as ambiguous). chrome://tracing (bp
 * "e"): the slice that encloses it. NULL unless both agree.
 */
static json_object *bound_slice(json_object *ev, json_object *flow)
{
	double ts = num(flow, "ts"), best = -1;
	json_object *found = NULL;
	int after = 0;

	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *e = json_object_array_get_idx(ev, i);
		double t0 = num(e, "ts");
		after |= e == flow;	/* later events at the flow's time come after it */
		if (strcmp(str(e, "ph"), "X") || num(e, "tid") != num(flow, "tid"))
			continue;
		if (t0 == ts && after)
			return NULL;	/* which comes first is up to the viewer's sort */
		if (t0 <= ts && t0 >= best) {
			best = t0;
			found = e;
		}
	}
	if (found && num(found, "ts") + num(found, "dur") < num(flow, "ts"))
		return NULL;
	return found;
}

/* The flow event of phase ph with this id. */
static json_object *flow(json_object *ev, const char *ph, int64_t id)
{
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *e = json_object_array_get_idx(ev, i), *v;
		if (!strcmp(str(e, "ph"), ph) && json_object_object_get_ex(e, "id", &v) &&
		    json_object_get_int64(v) == id)
			return e;
	}
	return NULL;
}

/* The name of the slice the arrow from the send slice named `send` ends on. */
static const char *arrow_from(json_object *ev, const char *send)
{
	json_object *s = slice_named(ev, send);

	cr_assert_not_null(s, "no slice '%s'", send);
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *e = json_object_array_get_idx(ev, i), *v, *f;
		if (strcmp(str(e, "ph"), "s") || bound_slice(ev, e) != s)
			continue;
		cr_assert(json_object_object_get_ex(e, "id", &v));
		f = flow(ev, "f", json_object_get_int64(v));
		cr_assert_not_null(f, "flow %lld has no finish", (long long)json_object_get_int64(v));
		cr_assert_str_eq(str(f, "bp"), "e");
		cr_assert_not_null(bound_slice(ev, f));
		return str(bound_slice(ev, f), "name");
	}
	return NULL;
}

Test(trace, drain_moves_records_and_releases_the_room)
{
	struct hd_trace *t = new_trace();

	put(0, TESSERA_TR_HALT, 100, 0, 0, 0, 0);
	put(0, TESSERA_TR_WAKE, 200, 0, 0, 0, 0);
	put(0, TESSERA_TR_HALT, 300, 0, 0, 0, 0);
	cr_assert_eq(hd_trace_drain(t, 0, &ring[0]->ctl, ring[0]->ring), 3);
	cr_assert_eq(ring[0]->ctl.tail, 3);
	cr_assert_eq(hd_trace_drain(t, 0, &ring[0]->ctl, ring[0]->ring), 0);
	cr_assert_eq(hd_trace_finish(t), 0, "%s", hd_last_error());
}

Test(trace, file_appears_only_when_finished)
{
	struct hd_trace *t = new_trace();

	put(1, TESSERA_TR_HALT, 100, 0, 0, 0, 0);
	drain_all(t);
	cr_assert_neq(access(path, F_OK), 0, "the trace exists before the job ended");
	cr_assert_eq(hd_trace_finish(t), 0);
	cr_assert_eq(access(path, F_OK), 0);
}

Test(trace, records_wrapping_the_ring_and_the_counters_come_out_in_order)
{
	struct hd_trace *t = new_trace();
	json_object *ev;
	char name[64];

	/* both the index (head % RECS) and the free-running counters wrap during these */
	ring[2]->ctl.head = ring[2]->ctl.tail = UINT32_MAX - 2;
	for (int i = 0; i < 6; i++)
		put(2, i % 2 ? TESSERA_TR_SEND_END : TESSERA_TR_SEND_BEGIN, 1000u * (i + 1), 3,
		    i / 2, 0, 64u * (uint64_t)(i / 2 + 1));
	cr_assert_eq(ring[2]->ctl.head, 3);
	cr_assert_eq(hd_trace_drain(t, 2, &ring[2]->ctl, ring[2]->ring), 6);
	cr_assert_eq(ring[2]->ctl.tail, 3);
	ev = finish(t);
	for (int k = 0; k < 3; k++) {
		json_object *s;
		snprintf(name, sizeof(name), "send to 3 (tag %d, %d B)", k, 64 * (k + 1));
		s = slice_named(ev, name);
		cr_assert_not_null(s, "missing '%s'", name);
		cr_assert_float_eq(num(s, "ts"), 1.0 + 2 * k, 1e-9);
		cr_assert_float_eq(num(s, "dur"), 1.0, 1e-9);
	}
	cr_assert_eq(meta("records"), 6);
}

Test(trace, full_ring_is_drained_whole)
{
	struct hd_trace *t = new_trace();

	for (uint32_t i = 0; i < TESSERA_TRACE_RECS; i++)
		put(0, i % 2 ? TESSERA_TR_WAKE : TESSERA_TR_HALT, i, 0, 0, 0, 0);
	cr_assert_eq(hd_trace_drain(t, 0, &ring[0]->ctl, ring[0]->ring), (int)TESSERA_TRACE_RECS);
	for (uint32_t i = 0; i < TESSERA_TRACE_RECS; i++)
		put(0, i % 2 ? TESSERA_TR_WAKE : TESSERA_TR_HALT, TESSERA_TRACE_RECS + i, 0, 0, 0, 0);
	cr_assert_eq(hd_trace_drain(t, 0, &ring[0]->ctl, ring[0]->ring), (int)TESSERA_TRACE_RECS);
	finish(t);
	cr_assert_eq(meta("records"), 2 * TESSERA_TRACE_RECS);
	cr_assert_eq(meta("ring_resets"), 0);
}

Test(trace, corrupt_head_returns_eproto_and_empties_the_ring)
{
	struct hd_trace *t = new_trace();

	ring[1]->ctl.tail = 10;
	ring[1]->ctl.head = 10 + TESSERA_TRACE_RECS + 1;
	cr_assert_eq(hd_trace_drain(t, 1, &ring[1]->ctl, ring[1]->ring), -EPROTO);
	cr_assert_eq(ring[1]->ctl.tail, ring[1]->ctl.head);
	/* the ring works again from there */
	put(1, TESSERA_TR_HALT, 5, 0, 0, 0, 0);
	cr_assert_eq(hd_trace_drain(t, 1, &ring[1]->ctl, ring[1]->ring), 1);
	finish(t);
	cr_assert_eq(meta("ring_resets"), 1);
	cr_assert_eq(meta("records"), 1);
}

Test(trace, head_behind_tail_is_corrupt_too)
{
	struct hd_trace *t = new_trace();

	ring[0]->ctl.tail = 100;
	ring[0]->ctl.head = 99;
	cr_assert_eq(hd_trace_drain(t, 0, &ring[0]->ctl, ring[0]->ring), -EPROTO);
	cr_assert_eq(ring[0]->ctl.tail, 99);
	cr_assert_eq(hd_trace_finish(t), 0);
}

Test(trace, bad_records_are_dropped_and_counted)
{
	struct hd_trace *t = new_trace();
	json_object *ev;

	put(0, 99, 10, 1, 0, 0, 0);				/* unknown kind */
	put(0, TESSERA_TR_SEND_BEGIN, 20, NRANKS, 0, 0, 8);	/* no such rank */
	put(0, TESSERA_TR_RECV_END, 30, -1, 0, 0, 8);		/* arrived from nobody */
	put(0, TESSERA_TR_SEND_END, 40, 1, 0, 0, 1ull << 60);	/* impossible size */
	put(0, TESSERA_TR_SEND_BEGIN, 50, 1, 0, 0, 8);
	put(0, TESSERA_TR_SEND_END, 60, 1, 0, 0, 8);
	ev = finish(t);
	cr_assert_eq(meta("bad_records"), 4);
	cr_assert_eq(meta("records"), 6);
	cr_assert_not_null(slice_named(ev, "send to 1 (tag 0, 8 B)"));
}

Test(trace, drain_refuses_a_rank_outside_the_job)
{
	struct hd_trace *t = new_trace();

	cr_assert_eq(hd_trace_drain(t, NRANKS, &ring[0]->ctl, ring[0]->ring), -EINVAL);
	cr_assert_eq(hd_trace_finish(t), 0);
}

Test(trace, unwritable_path_fails_at_start)
{
	static const uint32_t cores[1] = { 0 };

	cr_assert_null(hd_trace_new("/nonexistent-dir/x.json", &geom, 1, cores, NULL));
	cr_assert(strstr(hd_last_error(), "/nonexistent-dir/x.json"), "%s", hd_last_error());
}

Test(trace, threads_are_named_by_rank_core_and_tile)
{
	json_object *ev = finish(new_trace());
	static const char *const want[NRANKS] = { "rank 0 (core 0, tile 0,0)",
		"rank 1 (core 1, tile 0,0)", "rank 2 (core 5, tile 2,0)",
		"rank 3 (core 47, tile 5,3)" };
	int found = 0;

	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *e = json_object_array_get_idx(ev, i), *a;
		if (strcmp(str(e, "ph"), "M") || strcmp(str(e, "name"), "thread_name"))
			continue;
		cr_assert(json_object_object_get_ex(e, "args", &a));
		cr_assert_geq(num(e, "tid"), 1, "Perfetto merges tid 0 into the process");
		cr_assert_str_eq(str(a, "name"), want[(int)num(e, "tid") - 1]);
		found++;
	}
	cr_assert_eq(found, NRANKS);
}

Test(trace, receives_in_another_tag_order_pair_by_tag)
{
	struct hd_trace *t = new_trace();
	json_object *ev;

	/* rank 0 sends tag 1 then tag 2 (eagerly, done before rank 1 asks); rank 1 receives
	 * tag 2 first, then tag 1 */
	put(0, TESSERA_TR_SEND_BEGIN, 100, 1, 1, 0, 10);
	put(0, TESSERA_TR_SEND_END, 150, 1, 1, 0, 10);
	put(0, TESSERA_TR_SEND_BEGIN, 200, 1, 2, 0, 20);
	put(0, TESSERA_TR_SEND_END, 250, 1, 2, 0, 20);
	put(1, TESSERA_TR_RECV_BEGIN, 300, 0, 2, 0, 0);
	put(1, TESSERA_TR_RECV_END, 350, 0, 2, 0, 20);
	put(1, TESSERA_TR_RECV_BEGIN, 400, 0, 1, 0, 0);
	put(1, TESSERA_TR_RECV_END, 450, 0, 1, 0, 10);
	ev = finish(t);
	cr_assert_str_eq(arrow_from(ev, "send to 1 (tag 1, 10 B)"), "message from 0 (tag 1, 10 B)");
	cr_assert_str_eq(arrow_from(ev, "send to 1 (tag 2, 20 B)"), "message from 0 (tag 2, 20 B)");
	cr_assert_eq(meta("paired"), 2);
	cr_assert_eq(meta("unpaired_sends"), 0);
	cr_assert_eq(meta("unpaired_recvs"), 0);
}

Test(trace, same_tag_pairs_kth_send_with_kth_receive)
{
	struct hd_trace *t = new_trace();
	json_object *ev, *m;

	for (int k = 0; k < 3; k++) {
		put(2, TESSERA_TR_SEND_BEGIN, 1000 + 100 * k, 3, 7, 5, 100u * (k + 1));
		put(2, TESSERA_TR_SEND_END, 1050 + 100 * k, 3, 7, 5, 100u * (k + 1));
	}
	for (int k = 0; k < 3; k++) {
		put(3, TESSERA_TR_RECV_BEGIN, 900 + 200 * k, -1, -1, 5, 0);	/* any, any */
		put(3, TESSERA_TR_RECV_END, 1080 + 200 * k, 2, 7, 5, 100u * (k + 1));
	}
	ev = finish(t);
	cr_assert_str_eq(arrow_from(ev, "send to 3 (tag 7, 100 B)"), "message from 2 (tag 7, 100 B)");
	cr_assert_str_eq(arrow_from(ev, "send to 3 (tag 7, 200 B)"), "message from 2 (tag 7, 200 B)");
	cr_assert_str_eq(arrow_from(ev, "send to 3 (tag 7, 300 B)"), "message from 2 (tag 7, 300 B)");
	/* the arrow lands inside the receive, 1 ns after its send began (never before) */
	m = slice_named(ev, "message from 2 (tag 7, 200 B)");
	cr_assert_float_eq(num(m, "ts"), 1.101, 1e-9);
	cr_assert_float_eq(num(m, "ts") + num(m, "dur"), 1.28, 1e-9);
	cr_assert_not_null(slice_named(ev, "recv from 2 (tag 7, 200 B)"));
}

Test(trace, communicators_keep_messages_apart)
{
	struct hd_trace *t = new_trace();
	json_object *ev;

	put(0, TESSERA_TR_SEND_BEGIN, 10, 1, 0, 111, 1);
	put(0, TESSERA_TR_SEND_END, 20, 1, 0, 111, 1);
	put(0, TESSERA_TR_SEND_BEGIN, 30, 1, 0, 222, 2);
	put(0, TESSERA_TR_SEND_END, 40, 1, 0, 222, 2);
	put(1, TESSERA_TR_RECV_BEGIN, 50, 0, 0, 222, 0);
	put(1, TESSERA_TR_RECV_END, 60, 0, 0, 222, 2);
	put(1, TESSERA_TR_RECV_BEGIN, 70, 0, 0, 111, 0);
	put(1, TESSERA_TR_RECV_END, 80, 0, 0, 111, 1);
	ev = finish(t);
	cr_assert_str_eq(arrow_from(ev, "send to 1 (tag 0, 1 B)"), "message from 0 (tag 0, 1 B)");
	cr_assert_str_eq(arrow_from(ev, "send to 1 (tag 0, 2 B)"), "message from 0 (tag 0, 2 B)");
}

Test(trace, a_send_nobody_received_has_no_arrow)
{
	struct hd_trace *t = new_trace();
	json_object *ev;

	put(0, TESSERA_TR_SEND_BEGIN, 10, 2, 4, 0, 16);
	put(0, TESSERA_TR_SEND_END, 20, 2, 4, 0, 16);
	put(2, TESSERA_TR_RECV_BEGIN, 10, 0, 5, 0, 0);
	put(2, TESSERA_TR_RECV_END, 30, 0, 5, 0, 16);	/* another tag: not that send */
	ev = finish(t);
	cr_assert_eq(count_ph(ev, "s"), 0);
	cr_assert_eq(count_ph(ev, "f"), 0);
	cr_assert_eq(meta("unpaired_sends"), 1);
	cr_assert_eq(meta("unpaired_recvs"), 1);
}

Test(trace, every_flow_start_has_one_finish_and_ids_are_unique)
{
	struct hd_trace *t = new_trace();
	json_object *ev;
	int s = 0;

	put_ring(20);
	ev = finish(t);
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *e = json_object_array_get_idx(ev, i), *v, *f;
		if (strcmp(str(e, "ph"), "s"))
			continue;
		s++;
		cr_assert(json_object_object_get_ex(e, "id", &v));
		f = flow(ev, "f", json_object_get_int64(v));
		cr_assert_not_null(f);
		cr_assert_geq(num(f, "ts"), num(e, "ts"), "an arrow going back in time");
		cr_assert(!strncmp(str(bound_slice(ev, e), "name"), "send to ", 8));
		cr_assert(!strncmp(str(bound_slice(ev, f), "name"), "message from ", 13),
			  "flow bound to '%s'", str(bound_slice(ev, f), "name"));
	}
	cr_assert_eq(s, 20 * NRANKS);
	cr_assert_eq(count_ph(ev, "f"), 20 * NRANKS);
	cr_assert_eq(meta("paired"), 20 * NRANKS);
	cr_assert_eq(meta("sends"), 20 * NRANKS);
}

Test(trace, arrow_into_a_halted_receive_lands_after_the_halt)
{
	struct hd_trace *t = new_trace();
	json_object *ev, *m;

	put(1, TESSERA_TR_RECV_BEGIN, 1000, 0, 0, 0, 0);
	put(1, TESSERA_TR_HALT, 1100, 0, 0, 0, 0);
	put(1, TESSERA_TR_WAKE, 3000, 0, 0, 0, 0);
	put(1, TESSERA_TR_RECV_END, 3100, 0, 0, 0, 4);
	put(0, TESSERA_TR_SEND_BEGIN, 2000, 1, 0, 0, 4);
	put(0, TESSERA_TR_SEND_END, 2100, 1, 0, 0, 4);
	ev = finish(t);
	m = slice_named(ev, "message from 0 (tag 0, 4 B)");
	cr_assert_not_null(m);
	cr_assert_float_eq(num(m, "ts"), 3.0, 1e-9);	/* not 2.0, inside the halt */
	cr_assert_str_eq(arrow_from(ev, "send to 1 (tag 0, 4 B)"), "message from 0 (tag 0, 4 B)");
	cr_assert_not_null(slice_named(ev, "halted"));
}

Test(trace, unfinished_operations_end_with_the_rank)
{
	struct hd_trace *t = new_trace();
	json_object *ev, *s;

	put(0, TESSERA_TR_COLL_BEGIN, 100, -1, TESSERA_COLL_ALLREDUCE, 0, 8);
	put(0, TESSERA_TR_SEND_BEGIN, 200, 3, 9, 0, 8);
	put(0, TESSERA_TR_HOSTCALL_BEGIN, 300, -1, TESSERA_HC_WRITE, 0, 0);
	put(0, TESSERA_TR_HOSTCALL_END, 900, -1, TESSERA_HC_WRITE, 0, 0);
	ev = finish(t);
	s = slice_named(ev, "send to 3 (tag 9, unfinished)");
	cr_assert_not_null(s);
	cr_assert_float_eq(num(s, "ts") + num(s, "dur"), 0.9, 1e-9);
	cr_assert_not_null(slice_named(ev, "MPI_Allreduce (unfinished)"));
	cr_assert_not_null(slice_named(ev, "host call write"));
	cr_assert_eq(meta("sends"), 0);
}

/* MPI_Irecv from any source twice (tags 0 and 1); tag 1's matches, tag 0's is cancelled: it
 * ends where the cancel took it, named as asked, and pairs with no send. */
Test(trace, a_cancelled_receive_ends_at_its_cancel)
{
	struct hd_trace *t = new_trace();
	json_object *ev, *s;

	put(0, TESSERA_TR_RECV_BEGIN, 100, -1, 0, 0, 0);
	put(0, TESSERA_TR_RECV_BEGIN, 200, -1, 1, 0, 0);
	put(0, TESSERA_TR_RECV_END, 300, 1, 1, 0, 4);
	put(0, TESSERA_TR_RECV_END, 400, -1, 0, 0, 0);
	put(1, TESSERA_TR_SEND_BEGIN, 50, 0, 1, 0, 4);
	put(1, TESSERA_TR_SEND_END, 60, 0, 1, 0, 4);
	put(0, TESSERA_TR_HOSTCALL_BEGIN, 800, -1, TESSERA_HC_WRITE, 0, 0);
	put(0, TESSERA_TR_HOSTCALL_END, 900, -1, TESSERA_HC_WRITE, 0, 0);
	ev = finish(t);
	s = slice_named(ev, "recv from any (cancelled)");
	cr_assert_not_null(s);
	cr_assert_float_eq(num(s, "ts"), 0.1, 1e-9);
	cr_assert_float_eq(num(s, "ts") + num(s, "dur"), 0.4, 1e-9);
	cr_assert_not_null(slice_named(ev, "recv from 1 (tag 1, 4 B)"));
	cr_assert_null(slice_named(ev, "recv from any (unfinished)"));
	cr_assert_eq(meta("paired"), 1);
	cr_assert_eq(meta("unpaired_recvs"), 0);
}

Test(trace, overlapping_operations_go_on_an_overlap_track)
{
	struct hd_trace *t = new_trace();
	json_object *ev, *a, *b;

	/* MPI_Isend, MPI_Irecv, then the send completes first: not nested */
	put(0, TESSERA_TR_SEND_BEGIN, 100, 1, 0, 0, 8);
	put(0, TESSERA_TR_RECV_BEGIN, 200, 1, 0, 0, 0);
	put(0, TESSERA_TR_SEND_END, 300, 1, 0, 0, 8);
	put(0, TESSERA_TR_RECV_END, 400, 1, 0, 0, 8);
	ev = finish(t);
	a = slice_named(ev, "send to 1 (tag 0, 8 B)");
	b = slice_named(ev, "recv from 1 (tag 0, 8 B)");
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_neq(num(a, "tid"), num(b, "tid"));
}

Test(trace, metadata_holds_what_the_heat_map_needs)
{
	struct hd_trace *t = new_trace();
	json_object *m, *v, *p;

	put(0, TESSERA_TR_SEND_BEGIN, 1, 3, 0, 0, 100);
	put(0, TESSERA_TR_SEND_END, 2, 3, 0, 0, 100);
	put(0, TESSERA_TR_SEND_BEGIN, 3, 3, 1, 0, 200);
	put(0, TESSERA_TR_SEND_END, 4, 3, 1, 0, 200);
	put(3, TESSERA_TR_SEND_BEGIN, 1, 2, 0, 0, 7);
	put(3, TESSERA_TR_SEND_END, 2, 2, 0, 0, 7);
	finish(t);
	cr_assert_eq(meta("mesh_x"), 6);
	cr_assert_eq(meta("mesh_y"), 4);
	cr_assert_eq(meta("cores_per_tile"), 2);
	cr_assert_eq(meta("nranks"), NRANKS);
	cr_assert(json_object_object_get_ex(doc, "tessera", &m));
	cr_assert(json_object_object_get_ex(m, "rank_core", &v));
	cr_assert_eq(json_object_get_int(json_object_array_get_idx(v, 3)), 47);
	cr_assert(json_object_object_get_ex(m, "traffic", &v));
	cr_assert_eq(json_object_array_length(v), 2);
	p = json_object_array_get_idx(v, 0);
	cr_assert_eq(json_object_get_int(json_object_array_get_idx(p, 0)), 0);
	cr_assert_eq(json_object_get_int(json_object_array_get_idx(p, 1)), 3);
	cr_assert_eq(json_object_get_int(json_object_array_get_idx(p, 2)), 2);
	cr_assert_eq(json_object_get_int(json_object_array_get_idx(p, 3)), 300);
	p = json_object_array_get_idx(v, 1);
	cr_assert_eq(json_object_get_int(json_object_array_get_idx(p, 0)), 3);
	cr_assert_eq(json_object_get_int(json_object_array_get_idx(p, 3)), 7);
	cr_assert_str_eq(str(m, "board"), "scc48");
}

Test(trace, metadata_reads_back_through_its_reader)
{
	struct hd_trace *t = new_trace();
	struct hd_trace_meta *m;

	put(0, TESSERA_TR_SEND_BEGIN, 1, 3, 0, 0, 100);
	put(0, TESSERA_TR_SEND_END, 2, 3, 0, 0, 100);
	put(3, TESSERA_TR_RECV_BEGIN, 1, 0, 0, 0, 0);
	put(3, TESSERA_TR_RECV_END, 3, 0, 0, 0, 100);
	finish(t);
	cr_assert_eq(hd_trace_meta_read(path, &m), 0, "%s", hd_last_error());
	cr_assert_str_eq(m->board, "scc48");
	cr_assert_eq(m->mesh_x, 6);
	cr_assert_eq(m->mesh_y, 4);
	cr_assert_eq(m->cores_per_tile, 2);
	cr_assert_eq(m->nranks, NRANKS);
	cr_assert_eq(m->rank_core[2], 5);
	cr_assert_eq(m->ntraffic, 1);
	cr_assert_eq(m->traffic[0].src, 0);
	cr_assert_eq(m->traffic[0].dst, 3);
	cr_assert_eq(m->traffic[0].messages, 1);
	cr_assert_eq(m->traffic[0].bytes, 100);
	cr_assert_eq(m->sends, 1);
	cr_assert_eq(m->paired, 1);
	cr_assert_eq(m->records, 4);
	cr_assert_eq(m->duration_ns, 3);
	hd_trace_meta_free(m);
}

Test(trace, out_of_memory_fails_the_trace_not_the_job)
{
	struct hd_trace *t = new_trace();
	unsigned long pages = 0;
	struct rlimit lim;
	FILE *statm = fopen("/proc/self/statm", "r");
	int rc = 0, i;

	cr_assert_not_null(statm);
	cr_assert_eq(fscanf(statm, "%lu", &pages), 1);
	fclose(statm);
	/* 16 MB more address space than now: the records (24 B each) run out of it */
	lim.rlim_cur = lim.rlim_max = pages * (unsigned long)sysconf(_SC_PAGESIZE) + (16ul << 20);
	cr_assert_eq(setrlimit(RLIMIT_AS, &lim), 0);
	for (i = 0; i < 2000 && rc >= 0; i++) {
		for (uint32_t k = 0; k < TESSERA_TRACE_RECS; k++)
			put(0, k % 2 ? TESSERA_TR_WAKE : TESSERA_TR_HALT, k, 0, 0, 0, 0);
		rc = hd_trace_drain(t, 0, &ring[0]->ctl, ring[0]->ring);
	}
	cr_assert_eq(rc, -ENOMEM, "still %d after %d full rings", rc, i);
	cr_assert_eq(ring[0]->ctl.tail, ring[0]->ctl.head, "the core would wait forever");
	put(0, TESSERA_TR_HALT, 1, 0, 0, 0, 0);
	cr_assert_eq(hd_trace_drain(t, 0, &ring[0]->ctl, ring[0]->ring), -ENOMEM);
	cr_assert_eq(ring[0]->ctl.tail, ring[0]->ctl.head);
	cr_assert_eq(hd_trace_finish(t), -ENOMEM);
	cr_assert(strstr(hd_last_error(), "out of memory"), "%s", hd_last_error());
	cr_assert_neq(access(path, F_OK), 0, "a trace was written");
}

Test(trace, a_receive_ends_the_begin_that_asked_for_it)
{
	struct hd_trace *t = new_trace();
	json_object *ev, *a, *b;

	/* MPI_Irecv from 1, MPI_Irecv from 2, then the one from 2 completes first */
	put(0, TESSERA_TR_RECV_BEGIN, 1000, 1, 5, 0, 0);
	put(0, TESSERA_TR_RECV_BEGIN, 2000, 2, 6, 0, 0);
	put(0, TESSERA_TR_RECV_END, 3000, 2, 6, 0, 8);
	put(0, TESSERA_TR_RECV_END, 4000, 1, 5, 0, 8);
	ev = finish(t);
	a = slice_named(ev, "recv from 1 (tag 5, 8 B)");
	b = slice_named(ev, "recv from 2 (tag 6, 8 B)");
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_float_eq(num(a, "ts"), 1.0, 1e-9);
	cr_assert_float_eq(num(a, "dur"), 3.0, 1e-9);
	cr_assert_float_eq(num(b, "ts"), 2.0, 1e-9);
	cr_assert_float_eq(num(b, "dur"), 1.0, 1e-9);
}

Test(trace, internal_collective_is_named_by_its_mpi_call)
{
	struct hd_trace *t = new_trace();
	int32_t tag = TESSERA_TRACE_COLL_TAG(TESSERA_COLL_ALLREDUCE, TESSERA_STEP_CONTEXT, 8);
	json_object *ev;

	/* call 8 of TESSERA_TRACE_CALLS: MPI_Cart_create */
	put(0, TESSERA_TR_COLL_BEGIN, 100, -1, tag, 0, 0);
	put(0, TESSERA_TR_COLL_END, 900, -1, tag, 0, 0);
	put(1, TESSERA_TR_COLL_BEGIN, 100, -1, TESSERA_COLL_OTHER, 0, 0);
	put(1, TESSERA_TR_COLL_END, 200, -1, TESSERA_COLL_OTHER, 0, 0);
	put(2, TESSERA_TR_COLL_BEGIN, 100, -1, 0x7f0201, 0, 0);	/* a call beyond the list */
	put(2, TESSERA_TR_COLL_END, 200, -1, 0x7f0201, 0, 0);
	/* call 15: MPI_Finalize */
	tag = TESSERA_TRACE_COLL_TAG(TESSERA_COLL_BARRIER, TESSERA_STEP_INTERNAL, 15);
	put(3, TESSERA_TR_COLL_BEGIN, 100, -1, tag, 0, 0);
	put(3, TESSERA_TR_COLL_END, 200, -1, tag, 0, 0);
	/* call 31: MPI_File_write_all, a collective access as a whole */
	tag = TESSERA_TRACE_COLL_TAG(TESSERA_COLL_OTHER, TESSERA_STEP_IO, 31);
	put(3, TESSERA_TR_COLL_BEGIN, 300, -1, tag, 0, 0);
	put(3, TESSERA_TR_COLL_END, 400, -1, tag, 0, 0);
	ev = finish(t);
	cr_assert_not_null(slice_named(ev, "MPI_Cart_create: context agreement (MPI_Allreduce)"));
	cr_assert_not_null(slice_named(ev, "MPI_Finalize: internal MPI_Barrier"));
	cr_assert_not_null(slice_named(ev, "MPI_File_write_all: collective I/O"));
	cr_assert_not_null(slice_named(ev, "collective"));
	cr_assert_eq(count_ph(ev, "X"), 5);
	cr_assert_null(slice_named(ev, "MPI_Allreduce"), "the inner collective kept its old name");
}

Test(trace, messages_inside_a_collective_are_named_without_their_round)
{
	struct hd_trace *t = new_trace();
	json_object *ev;

	put(0, TESSERA_TR_COLL_BEGIN, 100, -1, TESSERA_COLL_ALLREDUCE, 0, 8);
	put(0, TESSERA_TR_SEND_BEGIN, 200, 1, 1234, 1, 8);
	put(0, TESSERA_TR_SEND_END, 300, 1, 1234, 1, 8);
	put(0, TESSERA_TR_COLL_END, 400, -1, TESSERA_COLL_ALLREDUCE, 0, 8);
	put(0, TESSERA_TR_SEND_BEGIN, 500, 1, 7, 0, 8);		/* the program's own */
	put(0, TESSERA_TR_SEND_END, 600, 1, 7, 0, 8);
	ev = finish(t);
	cr_assert_not_null(slice_named(ev, "send to 1 (8 B)"));
	cr_assert_not_null(slice_named(ev, "send to 1 (tag 7, 8 B)"));
}

Test(trace, filter_leaves_out_the_kinds_not_asked_for)
{
	struct hd_job_opts o = { 0 };
	json_object *ev;

	cr_assert_eq(hd_trace_filter_parse("-halt,-message", &o.trace_kinds), 0);
	put_ring(3);
	ev = finish(new_trace_opts(&o));
	cr_assert_null(slice_named(ev, "halted"));
	cr_assert_eq(count_ph(ev, "s") + count_ph(ev, "f"), 0, "arrows without message slices");
	cr_assert_not_null(slice_named(ev, "send to 1 (tag 0, 64 B)"));
	cr_assert_eq(meta("paired"), 3 * NRANKS, "the metadata still counts every message");
}

Test(trace, filter_names_are_checked)
{
	uint32_t k = 0;

	cr_assert_eq(hd_trace_filter_parse("send,recv", &k), 0);
	cr_assert_eq(k, HD_TRACE_SEND | HD_TRACE_RECV);
	cr_assert_eq(hd_trace_filter_parse("+counter", &k), 0);
	cr_assert_eq(k, HD_TRACE_DEFAULT | HD_TRACE_COUNTER);
	cr_assert_eq(hd_trace_filter_parse("all,-p2p", &k), 0);
	cr_assert_eq(k, HD_TRACE_COLL | HD_TRACE_HALT | HD_TRACE_HOSTCALL | HD_TRACE_COUNTER |
		     HD_TRACE_POWER);
	cr_assert_eq(hd_trace_filter_parse("send,bogus", &k), -EINVAL);
	cr_assert(strstr(hd_last_error(), "'bogus'"), "%s", hd_last_error());
	cr_assert_eq(hd_trace_filter_parse("send,", &k), -EINVAL);
}

Test(trace, event_limit_cuts_in_time_and_says_so)
{
	struct hd_job_opts o = { .trace_limit_events = 100 };
	json_object *ev;
	int slices, events = 0;

	put_ring(20);
	ev = finish(new_trace_opts(&o));
	slices = count_ph(ev, "X");
	cr_assert_leq(slices, 100);
	cr_assert_geq(slices, 80, "cut much earlier than needed: %d slices", slices);
	cr_assert_gt(meta("cut_ns"), 0);
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *e = json_object_array_get_idx(ev, i);
		if (!strcmp(str(e, "ph"), "i") && strstr(str(e, "name"), "--trace-limit"))
			events++;
		if (!strcmp(str(e, "ph"), "X"))
			cr_assert_lt(num(e, "ts") * 1000, (double)meta("cut_ns") + 0.5);
	}
	cr_assert_eq(events, 1, "no note where the trace was cut");
	cr_assert_eq(count_ph(ev, "s"), count_ph(ev, "f"), "an arrow with one end");
	cr_assert_eq(meta("paired"), 20 * NRANKS, "the metadata counts the whole job");
}

Test(trace, byte_limit_keeps_the_file_under_it)
{
	struct hd_job_opts o = { .trace_limit_bytes = 20000 };
	struct stat st;

	put_ring(100);
	finish(new_trace_opts(&o));
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_leq(st.st_size, 20000);
	cr_assert_geq(st.st_size, 15000, "cut much earlier than needed: %lld bytes",
		      (long long)st.st_size);
	cr_assert_gt(meta("cut_ns"), 0);
}

Test(trace, a_limit_the_trace_fits_in_cuts_nothing)
{
	struct hd_job_opts o = { .trace_limit_bytes = 1 << 30, .trace_limit_events = 1 << 20 };
	json_object *m, *v;

	put_ring(5);
	finish(new_trace_opts(&o));
	cr_assert(json_object_object_get_ex(doc, "tessera", &m));
	cr_assert_not(json_object_object_get_ex(m, "cut_ns", &v));
}

Test(trace, counter_counts_the_messages_in_flight)
{
	struct hd_job_opts o = { .trace_kinds = HD_TRACE_ALL };
	json_object *ev, *a, *v;
	int64_t peak = 0, last = -1;

	put(0, TESSERA_TR_SEND_BEGIN, 100, 1, 0, 0, 8);
	put(0, TESSERA_TR_SEND_END, 110, 1, 0, 0, 8);
	put(2, TESSERA_TR_SEND_BEGIN, 150, 1, 0, 0, 8);
	put(2, TESSERA_TR_SEND_END, 160, 1, 0, 0, 8);
	put(1, TESSERA_TR_RECV_BEGIN, 50, -1, 0, 0, 0);
	put(1, TESSERA_TR_RECV_END, 200, 0, 0, 0, 8);
	put(1, TESSERA_TR_RECV_BEGIN, 210, -1, 0, 0, 0);
	put(1, TESSERA_TR_RECV_END, 300, 2, 0, 0, 8);
	ev = finish(new_trace_opts(&o));
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *e = json_object_array_get_idx(ev, i);
		if (strcmp(str(e, "ph"), "C"))
			continue;
		cr_assert(json_object_object_get_ex(e, "args", &a));
		cr_assert(json_object_object_get_ex(a, "messages", &v));
		last = json_object_get_int64(v);
		if (last > peak)
			peak = last;
	}
	cr_assert_eq(peak, 2);
	cr_assert_eq(last, 0);
	cr_assert_eq(count_ph(ev, "C"), 4);
}

Test(trace, busiest_moment_is_the_span_that_loaded_the_mesh_most)
{
	struct hd_trace *t = new_trace();
	struct hd_trace_meta *m;

	/* many small messages early; one large message late, over 8 hops (core 0 -> 47) */
	for (int k = 0; k < 50; k++) {
		put(0, TESSERA_TR_SEND_BEGIN, 100u * (uint64_t)k, 1, 0, 0, 8);
		put(0, TESSERA_TR_SEND_END, 100u * (uint64_t)k + 50, 1, 0, 0, 8);
	}
	put(0, TESSERA_TR_SEND_BEGIN, 90000, 3, 1, 0, 4096);
	put(0, TESSERA_TR_SEND_END, 99999, 3, 1, 0, 4096);
	finish(t);
	cr_assert_eq(hd_trace_meta_read(path, &m), 0, "%s", hd_last_error());
	cr_assert_eq(m->npeak, 1);
	cr_assert_eq(m->peak[0].dst, 3);
	cr_assert_leq(m->peak_t0_ns, 90000);
	cr_assert_gt(m->peak_t1_ns, 90000);
	cr_assert_eq(m->ntraffic, 2);
	hd_trace_meta_free(m);
}
