// SPDX-License-Identifier: MIT
/*
 * test_trace_pftrace.c: traces in Perfetto's protobuf format (host-driver/trace_pftrace.c),
 * read back with a reader of the format written apart from the writer (pftrace_read.h):
 * a track per rank under the board's, named by rank, core and tile and in rank order;
 * slices that open and close on their track; every arrow with one start on a send and one
 * end on a message slice, later; names interned; the metadata for the heat map; a cut.
 */
#include <criterion/criterion.h>
#include <sys/stat.h>
#include "trace_fake.h"
#include "pftrace_read.h"

static struct pf_trace T;

static void setup(void)
{
	fake_setup("pftrace");
	memset(&T, 0, sizeof(T));
}

static void teardown(void)
{
	pf_free(&T);
	fake_teardown();
}

TestSuite(pftrace, .init = setup, .fini = teardown);

/* Drain, finish, read back; the reader must have found nothing wrong. */
static void finish(struct hd_trace *t)
{
	drain_all(t);
	cr_assert_eq(hd_trace_finish(t), 0, "%s", hd_last_error());
	cr_assert_eq(pf_read(path, &T), 0, "%s does not read", path);
	cr_assert_not(T.bad, "%s", T.what);
}

static const struct pf_event *event_named(const char *name, int type)
{
	for (size_t i = 0; i < T.nev; i++)
		if (T.ev[i].type == type && !strcmp(T.ev[i].name, name))
			return &T.ev[i];
	return NULL;
}

static const struct pf_event *flow_end(uint64_t id)
{
	for (size_t i = 0; i < T.nev; i++)
		if (T.ev[i].term_flow == id)
			return &T.ev[i];
	return NULL;
}

Test(pftrace, the_extension_chooses_the_format)
{
	FILE *f;
	int c;

	finish(new_trace_opts(NULL));
	f = fopen(path, "rb");
	cr_assert_not_null(f);
	c = fgetc(f);
	fclose(f);
	cr_assert_eq(c, 0x0a, "not a TracePacket stream: first byte 0x%02x", c);
}

Test(pftrace, a_track_per_rank_named_by_rank_core_and_tile_in_rank_order)
{
	static const char *const want[NRANKS] = { "rank 0 (core 0, tile 0,0)",
		"rank 1 (core 1, tile 0,0)", "rank 2 (core 5, tile 2,0)",
		"rank 3 (core 47, tile 5,3)" };
	const struct pf_track *root = NULL, *rank[NRANKS] = { 0 };

	finish(new_trace_opts(NULL));
	for (size_t i = 0; i < T.ntr; i++) {
		if (!T.tr[i].parent)
			root = &T.tr[i];
		for (int r = 0; r < NRANKS; r++)
			if (!strcmp(T.tr[i].name, want[r]))
				rank[r] = &T.tr[i];
	}
	cr_assert_not_null(root);
	cr_assert_str_eq(root->name, "tessera board scc48");
	cr_assert(root->explicit_order, "the ranks would be sorted by name (rank 10 before 2)");
	for (int r = 0; r < NRANKS; r++) {
		cr_assert_not_null(rank[r], "no track '%s'", want[r]);
		cr_assert_eq(rank[r]->parent, root->uuid);
		if (r)
			cr_assert_gt(rank[r]->order, rank[r - 1]->order);
	}
}

Test(pftrace, every_arrow_goes_from_a_send_to_its_message_later)
{
	long arrows;

	put_ring(20);
	finish(new_trace_opts(NULL));
	arrows = pf_check(&T);
	cr_assert_eq(arrows, 20 * NRANKS, "%s", T.what);
	for (size_t i = 0; i < T.nev; i++) {
		const struct pf_event *e = &T.ev[i], *end;
		if (!e->flow)
			continue;
		cr_assert_eq(e->type, 1);
		cr_assert(!strncmp(e->name, "send to ", 8), "an arrow starts on '%s'", e->name);
		cr_assert_str_eq(e->cat, "send");
		end = flow_end(e->flow);
		cr_assert_not_null(end);
		cr_assert(!strncmp(end->name, "message from ", 13), "an arrow ends on '%s'",
			  end->name);
		cr_assert_str_eq(end->cat, "message");
		cr_assert_neq(end->track, e->track, "an arrow within one rank's track");
	}
}

Test(pftrace, times_come_back_exact_through_the_incremental_clock)
{
	const struct pf_event *s, *m;

	put(0, TESSERA_TR_SEND_BEGIN, 1000, 3, 7, 0, 1024);
	put(0, TESSERA_TR_SEND_END, 250000, 3, 7, 0, 1024);
	put(3, TESSERA_TR_RECV_BEGIN, 500, 0, 7, 0, 0);
	put(3, TESSERA_TR_RECV_END, 3000000000ull, 0, 7, 0, 1024);
	finish(new_trace_opts(NULL));
	s = event_named("send to 3 (tag 7, 1024 B)", 1);
	cr_assert_not_null(s);
	cr_assert_eq(s->ts, 1000);
	m = event_named("message from 0 (tag 7, 1024 B)", 1);
	cr_assert_not_null(m);
	cr_assert_eq(m->ts, 1001, "the message starts 1 ns after its send");
	cr_assert_not_null(event_named("recv from 0 (tag 7, 1024 B)", 1));
	cr_assert_eq(pf_check(&T), 1, "%s", T.what);
	for (size_t i = 0; i < T.nev; i++)
		if (T.ev[i].type == 2 && T.ev[i].track == m->track)
			cr_assert_eq(T.ev[i].ts, 3000000000ull);
}

Test(pftrace, the_communicator_is_an_argument_when_not_world)
{
	const struct pf_event *a, *b;

	put(0, TESSERA_TR_SEND_BEGIN, 10, 1, 0, 6, 4);
	put(0, TESSERA_TR_SEND_END, 20, 1, 0, 6, 4);
	put(0, TESSERA_TR_SEND_BEGIN, 30, 1, 1, 0, 4);
	put(0, TESSERA_TR_SEND_END, 40, 1, 1, 0, 4);
	finish(new_trace_opts(NULL));
	a = event_named("send to 1 (tag 0, 4 B)", 1);
	b = event_named("send to 1 (tag 1, 4 B)", 1);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert(a->has_comm);
	cr_assert_eq(a->value, 6);
	cr_assert_not(b->has_comm);
}

Test(pftrace, a_repeated_name_costs_a_few_bytes_and_the_file_is_small)
{
	struct stat js, ps;
	char json_path[80];

	/* the same trace in both formats: the protobuf one a fraction of the size */
	put_ring(200);
	finish(new_trace_opts(NULL));
	cr_assert_eq(pf_check(&T), 200 * NRANKS, "%s", T.what);
	cr_assert_geq(T.ngroups, 1, "no compressed_packets");
	cr_assert_eq(stat(path, &ps), 0);
	snprintf(json_path, sizeof(json_path), "%s.json", path);
	{
		static const uint32_t cores[NRANKS] = { 0, 1, 5, 47 };
		struct hd_trace *t = hd_trace_new(json_path, &geom, NRANKS, cores, NULL);
		cr_assert_not_null(t);
		for (int r = 0; r < NRANKS; r++)
			ring[r]->ctl.tail -= 200 * 6;	/* the same records again */
		drain_all(t);
		cr_assert_eq(hd_trace_finish(t), 0);
	}
	cr_assert_eq(stat(json_path, &js), 0);
	unlink(json_path);
	cr_assert_lt(ps.st_size * 5, js.st_size, "protobuf %lld B, JSON %lld B",
		     (long long)ps.st_size, (long long)js.st_size);
	/* per message: 3 slices (6 events, 2 with an arrow) and a halt, deflated: 8 B (about
	 * 120 B before deflating) */
	cr_assert_lt(ps.st_size / (200 * NRANKS), 16, "%lld B per message",
		     (long long)ps.st_size / (200 * NRANKS));
}

Test(pftrace, metadata_reads_back_for_the_heat_map)
{
	struct hd_trace_meta *m;
	const struct pf_event *e;

	put(0, TESSERA_TR_SEND_BEGIN, 1, 3, 0, 0, 100);
	put(0, TESSERA_TR_SEND_END, 2, 3, 0, 0, 100);
	put(3, TESSERA_TR_RECV_BEGIN, 1, 0, 0, 0, 0);
	put(3, TESSERA_TR_RECV_END, 3, 0, 0, 0, 100);
	finish(new_trace_opts(NULL));
	e = event_named("tessera trace", 3);
	cr_assert_not_null(e, "no metadata event");
	cr_assert_str_eq(e->arg_name, "tessera");
	cr_assert(strstr(e->arg, "\"traffic\":[[0,3,1,100]]"), "%s", e->arg);
	cr_assert_eq(hd_trace_meta_read(path, &m), 0, "%s", hd_last_error());
	cr_assert_eq(m->nranks, NRANKS);
	cr_assert_eq(m->rank_core[3], 47);
	cr_assert_eq(m->ntraffic, 1);
	cr_assert_eq(m->traffic[0].bytes, 100);
	cr_assert_eq(m->cut_ns, UINT64_MAX);
	hd_trace_meta_free(m);
}

Test(pftrace, cut_trace_closes_its_slices_and_keeps_only_whole_arrows)
{
	struct hd_job_opts o = { .trace_limit_bytes = 2000 };
	struct hd_trace_meta *m;
	struct stat st;
	long arrows;

	put_ring(100);
	finish(new_trace_opts(&o));
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_leq(st.st_size, 2000);
	arrows = pf_check(&T);
	cr_assert_gt(arrows, 10, "%s", T.what);
	cr_assert_lt(arrows, 100 * NRANKS);
	cr_assert_not_null(event_named("trace cut here by --trace-limit", 3));
	cr_assert_eq(hd_trace_meta_read(path, &m), 0, "%s", hd_last_error());
	cr_assert_lt(m->cut_ns, 100000);
	cr_assert_eq(m->paired, 100 * NRANKS);
	hd_trace_meta_free(m);
}

Test(pftrace, counter_track_holds_the_messages_in_flight)
{
	struct hd_job_opts o = { .trace_kinds = HD_TRACE_DEFAULT | HD_TRACE_COUNTER };
	const struct pf_track *c = NULL;
	int samples = 0;

	put_ring(2);
	finish(new_trace_opts(&o));
	for (size_t i = 0; i < T.ntr; i++)
		if (T.tr[i].counter)
			c = &T.tr[i];
	cr_assert_not_null(c);
	cr_assert_str_eq(c->name, "messages in flight");
	for (size_t i = 0; i < T.nev; i++)
		if (T.ev[i].type == 4) {
			cr_assert_eq(T.ev[i].track, c->uuid);
			cr_assert_leq(T.ev[i].value, NRANKS);
			samples++;
		}
	cr_assert_geq(samples, 2 * NRANKS);
}

Test(pftrace, a_change_of_power_state_is_an_instant_event)
{
	const struct pf_event *e;

	put(1, TESSERA_TR_POWER, 500, 4, 8, 0, 200);	/* level 4, divider 8, 200 MHz */
	finish(new_trace_opts(NULL));
	e = event_named("power: 200 MHz (divider 8), voltage level 4", 3);
	cr_assert_not_null(e, "no power instant");
	cr_assert_eq(e->ts, 500);
	cr_assert_str_eq(e->cat, "power");
	cr_assert_eq(pf_check(&T), 0, "%s", T.what);
}
