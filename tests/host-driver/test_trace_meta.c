// SPDX-License-Identifier: MIT
/*
 * test_trace_meta.c: reading a trace's "tessera" object (host-driver/trace_meta.c) from
 * files made by hand: what a tool needs comes out; a file without the object, or with a
 * value a board cannot have, is refused with -EPROTO and the key named. (The round trip
 * through the writer is in test_trace.c.)
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "tessera/host.h"

static char path[64];

static void setup(void)
{
	snprintf(path, sizeof(path), "/tmp/tessera-test-meta-%d.json", (int)getpid());
}

static void teardown(void)
{
	unlink(path);
}

TestSuite(trace_meta, .init = setup, .fini = teardown);

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* Read path expecting failure rc; returns the explanation. */
static const char *refused(int rc)
{
	struct hd_trace_meta *m = (void *)1;

	cr_assert_eq(hd_trace_meta_read(path, &m), rc, "%s", hd_last_error());
	cr_assert_null(m);
	return hd_last_error();
}

Test(trace_meta, object_after_the_events_is_read)
{
	struct hd_trace_meta *m;

	write_file("{\"traceEvents\":[{\"name\":\"tessera\",\"args\":{\"tessera\":1}}],\n"
		   "\"tessera\":{\"board\":\"mesh8x8\",\"mesh_x\":8,\"mesh_y\":8,"
		   "\"cores_per_tile\":1,\"nranks\":2,\"rank_core\":[0,9],"
		   "\"traffic\":[[0,1,3,3000],[1,0,1,8]]}}\n");
	cr_assert_eq(hd_trace_meta_read(path, &m), 0, "%s", hd_last_error());
	cr_assert_str_eq(m->board, "mesh8x8");
	cr_assert_eq(m->mesh_x, 8);
	cr_assert_eq(m->nranks, 2);
	cr_assert_eq(m->rank_core[1], 9);
	cr_assert_eq(m->ntraffic, 2);
	cr_assert_eq(m->traffic[0].messages, 3);
	cr_assert_eq(m->traffic[0].bytes, 3000);
	cr_assert_eq(m->traffic[1].src, 1);
	cr_assert_eq(m->sends, 0, "a count the file does not give reads as 0");
	hd_trace_meta_free(m);
}

Test(trace_meta, file_without_the_object_is_not_a_trace)
{
	write_file("{\"traceEvents\":[{\"ph\":\"X\",\"name\":\"tessera\"}]}\n");
	cr_assert(strstr(refused(-EPROTO), "no \"tessera\" object"), "%s", hd_last_error());
}

Test(trace_meta, missing_file_is_enoent)
{
	cr_assert(strstr(refused(-ENOENT), path), "%s", hd_last_error());
}

Test(trace_meta, core_outside_the_board_is_refused)
{
	write_file("{\"tessera\":{\"mesh_x\":2,\"mesh_y\":2,\"cores_per_tile\":1,\"nranks\":1,"
		   "\"rank_core\":[4],\"traffic\":[]}}\n");
	cr_assert(strstr(refused(-EPROTO), "tessera.rank_core[0]: not a core of the board"), "%s",
		  hd_last_error());
}

Test(trace_meta, rank_outside_the_job_in_traffic_is_refused)
{
	write_file("{\"tessera\":{\"mesh_x\":2,\"mesh_y\":2,\"cores_per_tile\":1,\"nranks\":2,"
		   "\"rank_core\":[0,1],\"traffic\":[[0,2,1,1]]}}\n");
	cr_assert(strstr(refused(-EPROTO), "tessera.traffic[0]"), "%s", hd_last_error());
}

Test(trace_meta, mesh_larger_than_a_board_is_refused)
{
	write_file("{\"tessera\":{\"mesh_x\":2000,\"mesh_y\":1,\"cores_per_tile\":1,\"nranks\":1,"
		   "\"rank_core\":[0],\"traffic\":[]}}\n");
	cr_assert(strstr(refused(-EPROTO), "tessera.mesh_x: 2000 is not in 1..1024"), "%s",
		  hd_last_error());
	write_file("{\"tessera\":{\"mesh_x\":64,\"mesh_y\":64,\"cores_per_tile\":1,\"nranks\":1,"
		   "\"rank_core\":[0],\"traffic\":[]}}\n");
	cr_assert(strstr(refused(-EPROTO), "too big"), "%s", hd_last_error());
}

Test(trace_meta, object_that_does_not_parse_is_refused)
{
	write_file("{\"tessera\":{\"mesh_x\":2,,}}\n");
	cr_assert(strstr(refused(-EPROTO), "does not parse"), "%s", hd_last_error());
}

Test(trace_meta, missing_key_is_named)
{
	write_file("{\"tessera\":{\"mesh_x\":2,\"mesh_y\":2,\"nranks\":1,\"rank_core\":[0],"
		   "\"traffic\":[]}}\n");
	cr_assert(strstr(refused(-EPROTO), "tessera.cores_per_tile: missing"), "%s",
		  hd_last_error());
}

Test(trace_meta, busiest_moment_is_read_and_checked)
{
	struct hd_trace_meta *m;

	write_file("{\"tessera\":{\"mesh_x\":2,\"mesh_y\":2,\"cores_per_tile\":1,\"nranks\":2,"
		   "\"rank_core\":[0,3],\"traffic\":[[0,1,5,50]],\"cut_ns\":900,"
		   "\"peak\":{\"t0_ns\":100,\"t1_ns\":200,\"traffic\":[[0,1,2,20]]}}}\n");
	cr_assert_eq(hd_trace_meta_read(path, &m), 0, "%s", hd_last_error());
	cr_assert_eq(m->peak_t0_ns, 100);
	cr_assert_eq(m->peak_t1_ns, 200);
	cr_assert_eq(m->npeak, 1);
	cr_assert_eq(m->peak[0].bytes, 20);
	cr_assert_eq(m->cut_ns, 900);
	hd_trace_meta_free(m);
	write_file("{\"tessera\":{\"mesh_x\":2,\"mesh_y\":2,\"cores_per_tile\":1,\"nranks\":2,"
		   "\"rank_core\":[0,3],\"traffic\":[],"
		   "\"peak\":{\"t0_ns\":100,\"t1_ns\":200,\"traffic\":[[0,7,2,20]]}}}\n");
	cr_assert(strstr(refused(-EPROTO), "tessera.peak.traffic[0]"), "%s", hd_last_error());
	write_file("{\"tessera\":{\"mesh_x\":2,\"mesh_y\":2,\"cores_per_tile\":1,\"nranks\":2,"
		   "\"rank_core\":[0,3],\"traffic\":[],"
		   "\"peak\":{\"t0_ns\":300,\"t1_ns\":200,\"traffic\":[]}}}\n");
	cr_assert(strstr(refused(-EPROTO), "t1_ns is not after"), "%s", hd_last_error());
}

Test(trace_meta, a_protobuf_file_without_the_argument_is_not_a_trace)
{
	/* one TracePacket holding a track event without arguments */
	static const unsigned char pkt[] = { 0x0a, 0x06, 0x5a, 0x04, 0x48, 0x03, 0x50, 0x01 };
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f);
	fwrite(pkt, 1, sizeof(pkt), f);
	fclose(f);
	cr_assert(strstr(refused(-EPROTO), "no \"tessera\" argument"), "%s", hd_last_error());
}
