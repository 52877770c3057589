// SPDX-License-Identifier: MIT
/*
 * test_trace.c: traces end to end: `tessera run --trace` of an MPI ring (every send pairs
 * with a receive, every arrow has both ends), `tessera heatmap` (a PNG of the mesh's size
 * whose arrows follow X-then-Y routes), `tessera top` on a running board. The ring tests
 * skip while build/apps/ring is not built; the others always run.
 */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <png.h>
#include <math.h>
#include <signal.h>
#include "helpers.h"
#include "../host-driver/pftrace_read.h"

#define RING "build/apps/ring"
#define HANG "build/tests/images/crash hang"

static char trace_path[128], png_path[128], pf_path[128];

static void paths(void)
{
	snprintf(trace_path, sizeof(trace_path), "/tmp/tessera-test-%d-trace.json", (int)getpid());
	snprintf(png_path, sizeof(png_path), "/tmp/tessera-test-%d-heatmap.png", (int)getpid());
	snprintf(pf_path, sizeof(pf_path), "/tmp/tessera-test-%d-trace.pftrace", (int)getpid());
}

static void cleanup(void)
{
	unlink(trace_path);
	unlink(png_path);
	unlink(pf_path);
}

TestSuite(trace, .init = paths, .fini = cleanup);
TestSuite(heatmap, .init = paths, .fini = cleanup);

static int64_t meta_int(json_object *doc, const char *key)
{
	json_object *m, *v;

	cr_assert(json_object_object_get_ex(doc, "tessera", &m), "no \"tessera\" object");
	cr_assert(json_object_object_get_ex(m, key, &v), "no tessera.%s", key);
	return json_object_get_int64(v);
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

/* A traced 4-rank ring, parsed. */
static json_object *traced_ring(void)
{
	struct run r;
	json_object *doc;

	if (!path_exists(RING))
		cr_skip_test("%s is not built yet (it needs the MPI library)", RING);
	run_cmd(&r, TESSERA " run -n 4 --trace %s " RING, trace_path);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_free(&r);
	doc = json_object_from_file(trace_path);
	cr_assert_not_null(doc, "%s does not parse: %s", trace_path, json_util_get_last_err());
	return doc;
}

Test(trace, ring_every_send_pairs_with_a_receive)
{
	json_object *doc = traced_ring(), *ev;
	int64_t sends = meta_int(doc, "sends");

	cr_assert_geq(sends, 4, "a ring of 4 ranks traced %lld sends: does lib/mpi call tk_trace?",
		      (long long)sends);
	cr_assert_eq(meta_int(doc, "paired"), sends);
	cr_assert_eq(meta_int(doc, "unpaired_sends"), 0);
	cr_assert_eq(meta_int(doc, "unpaired_recvs"), 0);
	cr_assert_eq(meta_int(doc, "bad_records"), 0);
	cr_assert_eq(meta_int(doc, "ring_resets"), 0);
	cr_assert_eq(meta_int(doc, "nranks"), 4);
	cr_assert(json_object_object_get_ex(doc, "traceEvents", &ev));
	{
		size_t n = json_object_array_length(ev);
		int64_t starts = 0, finishes = 0, slices = 0;

		for (size_t i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(ev, i), *id;
			const char *ph = get_str(e, "ph");
			int64_t matched = 0;

			slices += !strcmp(ph, "X") && !strncmp(get_str(e, "name"), "send to ", 8);
			if (strcmp(ph, "s") && strcmp(ph, "f"))
				continue;
			starts += ph[0] == 's';
			finishes += ph[0] == 'f';
			cr_assert(json_object_object_get_ex(e, "id", &id));
			for (size_t j = 0; j < n; j++) {
				json_object *o = json_object_array_get_idx(ev, j), *oid;
				if (strcmp(get_str(o, "ph"), ph[0] == 's' ? "f" : "s") ||
				    !json_object_object_get_ex(o, "id", &oid))
					continue;
				matched += json_object_get_int64(oid) == json_object_get_int64(id);
			}
			cr_assert_eq(matched, 1, "flow %s %lld has %lld other ends", ph,
				     (long long)json_object_get_int64(id), (long long)matched);
		}
		cr_assert_eq(starts, sends);
		cr_assert_eq(finishes, sends);
		cr_assert_eq(slices, sends);
	}
	json_object_put(doc);
}

Test(trace, ring_in_perfetto_format_decodes_and_every_arrow_pairs)
{
	struct pf_trace T;
	struct run r;
	long arrows;
	int ranks = 0;
	const char *meta = NULL;
	char want[64];

	if (!path_exists(RING))
		cr_skip_test("%s is not built yet (it needs the MPI library)", RING);
	run_cmd(&r, TESSERA " run -n 4 --trace %s " RING, pf_path);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_free(&r);
	cr_assert_eq(pf_read(pf_path, &T), 0);
	cr_assert_not(T.bad, "%s", T.what);
	arrows = pf_check(&T);
	cr_assert_geq(arrows, 4, "%s", T.what);
	for (size_t i = 0; i < T.ntr; i++)
		ranks += !strncmp(T.tr[i].name, "rank ", 5) && !strstr(T.tr[i].name, "overlap");
	cr_assert_eq(ranks, 4);
	for (size_t i = 0; i < T.nev; i++)
		if (T.ev[i].arg && !strcmp(T.ev[i].arg_name, "tessera"))
			meta = T.ev[i].arg;
	cr_assert_not_null(meta, "no metadata in the trace");
	cr_assert(strstr(meta, "\"unpaired_sends\":0,\"unpaired_recvs\":0"), "%s", meta);
	snprintf(want, sizeof(want), "\"paired\":%ld,", arrows);
	cr_assert(strstr(meta, want), "%ld arrows for %s", arrows, meta);
	pf_free(&T);
	/* the heat map reads the same metadata out of this format */
	run_cmd(&r, TESSERA " heatmap %s -o %s", pf_path, png_path);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	snprintf(want, sizeof(want), " %ld messages,", arrows);
	cr_assert(strstr(r.out, want), "%s", r.out);
	run_free(&r);
}

/* Trace conformance program `prog` on 4 ranks: every slice in want[] is there, and no
 * collective is named only "collective" or by no call ("MPI: ..."). */
static void check_coll_names(const char *prog, const char *const *want, int nwant)
{
	char path[128];
	int found[8] = { 0 }, anonymous = 0;
	json_object *doc, *ev;
	struct run r;

	snprintf(path, sizeof(path), "build/tests/mpi/tessera/%s", prog);
	if (!path_exists(path))
		cr_skip_test("%s is not built yet", path);
	run_cmd(&r, TESSERA " run -n 4 --trace %s %s", trace_path, path);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_free(&r);
	doc = json_object_from_file(trace_path);
	cr_assert_not_null(doc);
	cr_assert(json_object_object_get_ex(doc, "traceEvents", &ev));
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		const char *name = get_str(json_object_array_get_idx(ev, i), "name");
		anonymous += !strncmp(name, "collective", 10) || !strncmp(name, "MPI: ", 5);
		for (int k = 0; k < nwant; k++)
			found[k] += !strcmp(name, want[k]);
	}
	for (int k = 0; k < nwant; k++)
		cr_assert_gt(found[k], 0, "%s: no slice '%s'", prog, want[k]);
	cr_assert_eq(anonymous, 0, "%s: %d collectives named by no call", prog, anonymous);
	json_object_put(doc);
}

Test(trace, collectives_inside_other_mpi_calls_are_named_by_the_call)
{
	static const char *const comm[] = { "MPI_Comm_split: internal MPI_Allgather",
		"MPI_Comm_split: context agreement (MPI_Allreduce)",
		"MPI_Comm_dup: context agreement",
		"MPI_Intercomm_create: internal MPI_Bcast",
		"MPI_Finalize: internal MPI_Barrier" };
	/* MPI_Cart_sub runs MPI_Comm_split: the outermost call names what happens inside */
	static const char *const topo[] = { "MPI_Cart_create: context agreement (MPI_Allreduce)",
		"MPI_Cart_sub: internal MPI_Allgather",
		"MPI_Dist_graph_create: internal MPI_Allreduce",
		"MPI_Neighbor_alltoall" };

	check_coll_names("comm", comm, 5);
	check_coll_names("topo", topo, 4);
}

Test(trace, file_and_window_collectives_are_named_by_the_call)
{
	/* a blocking collective access is one slice; a nonblocking one, like MPI_Iallreduce,
	 * shows only its messages */
	static const char *const io[] = { "MPI_File_open: internal MPI_Bcast",
		"MPI_File_write_all: collective I/O", "MPI_File_read_at_all: collective I/O",
		"MPI_File_write_ordered: collective I/O" };
	static const char *const rma[] = { "MPI_Win_create: internal MPI_Allgather",
		"MPI_Win_free: internal MPI_Barrier" };

	check_coll_names("io_coll", io, 4);
	check_coll_names("rma", rma, 2);
}

/* A core that waits for the host inside a halt window of its own (the last look for work of a
 * waiting MPI call traced something, wrote output or made a host call) keeps the window
 * announced and a wake-up it got in it: with either lost, a rank that sent to it did not wake
 * it (conformance rma under --trace: a deadlock). */
Test(trace, a_wait_for_the_host_keeps_a_halt_announced_and_its_wake_up)
{
	static const char *const waits[] = { "trace", "console", "hostcall" };
	struct run r;

	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		run_cmd(&r, TESSERA " run --timeout 30 --trace %s --trace-filter p2p build/tests/images/waits window %s",
			trace_path, waits[i]);
		cr_assert_eq(r.status, 0, "%s: exit %d: %s", waits[i], r.status, r.err);
		cr_assert_str_eq(r.out, "rank 0: window kept, wake-up kept\n", "%s", waits[i]);
		run_free(&r);
	}
}

/* A sleep is a halt of the tile kernel like any other: traced (one slice as long as the sleep,
 * no interrupt coming to cut it short). */
Test(trace, a_sleep_is_traced_as_a_halt)
{
	json_object *doc, *ev;
	struct run r;
	int64_t longest = 0;

	run_cmd(&r, TESSERA " run --timeout 30 --trace %s --trace-filter halt "
		"build/tests/images/waits doze 200", trace_path);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_free(&r);
	doc = json_object_from_file(trace_path);
	cr_assert_not_null(doc, "%s does not parse: %s", trace_path, json_util_get_last_err());
	cr_assert(json_object_object_get_ex(doc, "traceEvents", &ev));
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *e = json_object_array_get_idx(ev, i), *dur;

		if (!strcmp(get_str(e, "ph"), "X") && !strcmp(get_str(e, "cat"), "halt") &&
		    json_object_object_get_ex(e, "dur", &dur) && json_object_get_int64(dur) > longest)
			longest = json_object_get_int64(dur);
	}
	cr_assert_geq(longest, 200000, "longest halt %lld us", (long long)longest);
	json_object_put(doc);
}

Test(trace, bad_trace_options_are_usage_errors)
{
	struct run r;

	run_cmd(&r, TESSERA " run --trace %s --trace-limit 12parsecs build/apps/hello", pf_path);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--trace-limit"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " run --trace %s --trace-filter send,flows build/apps/hello", pf_path);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "'flows'"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " run --trace-limit 1M build/apps/hello");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "need --trace"), "%s", r.err);
	run_free(&r);
	cr_assert_not(path_exists(pf_path));
}

/* ---- PNG ---- */

struct image {
	unsigned w, h;
	uint8_t *rgb;
};

static int png_load(const char *path, struct image *img)
{
	FILE *f = fopen(path, "rb");
	png_structp png;
	png_infop info;

	if (!f)
		return -1;
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(png);
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		fclose(f);
		return -1;
	}
	png_init_io(png, f);
	png_read_info(png, info);
	img->w = png_get_image_width(png, info);
	img->h = png_get_image_height(png, info);
	cr_assert_eq(png_get_color_type(png, info), PNG_COLOR_TYPE_RGB);
	cr_assert_eq(png_get_bit_depth(png, info), 8);
	img->rgb = malloc((size_t)img->w * img->h * 3);
	for (unsigned y = 0; y < img->h; y++)
		png_read_row(png, img->rgb + (size_t)y * img->w * 3, NULL);
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	fclose(f);
	return 0;
}

static const uint8_t *pixel(const struct image *img, unsigned x, unsigned y)
{
	cr_assert_lt(x, img->w);
	cr_assert_lt(y, img->h);
	return img->rgb + ((size_t)y * img->w + x) * 3;
}

static int is_white(const uint8_t *p)
{
	return p[0] == 255 && p[1] == 255 && p[2] == 255;
}

/* docs/trace.md: 120 px cells from (40, 40), tile (0,0) at the bottom left. A point on the
 * body of the +x arrow east of tile (x, y), and of the +y arrow north of it; a point of the
 * outline of each (dashed when the direction carried nothing). */
static unsigned east_x(unsigned x) { return 40 + 120 * x + 112; }
static unsigned east_y(unsigned y, unsigned mesh_y) { return 40 + 120 * (mesh_y - 1 - y) + 67; }
static unsigned east_edge_y(unsigned y, unsigned mesh_y) { return east_y(y, mesh_y) - 6; }
static unsigned north_x(unsigned x) { return 40 + 120 * x + 67; }
static unsigned north_y(unsigned y, unsigned mesh_y) { return 40 + 120 * (mesh_y - 1 - y) + 8; }
static unsigned north_edge_x(unsigned x) { return north_x(x) - 6; }

/* The colour bar of the legend, left to right: the scale as drawn. */
static size_t legend_palette(const struct image *img, unsigned mesh_y, uint8_t (*out)[3])
{
	unsigned y = 40 + 120 * mesh_y + 8 + 19;
	size_t n = 0;

	for (unsigned x = 40; x < 40 + 480 && x < img->w - 40; x++, n++)
		memcpy(out[n], pixel(img, x, y), 3);
	return n;
}

static double distance(const uint8_t *a, const uint8_t *b)
{
	double d = 0;

	for (int k = 0; k < 3; k++)
		d += ((double)a[k] - b[k]) * ((double)a[k] - b[k]);
	return sqrt(d);
}

/* The nearest colour of the scale. */
static double off_palette(const uint8_t *p, uint8_t (*pal)[3], size_t n)
{
	double best = 1e9;

	for (size_t i = 0; i < n; i++)
		if (distance(p, pal[i]) < best)
			best = distance(p, pal[i]);
	return best;
}

/* CIE L* of an sRGB colour: the lightness a viewer sees. */
static double lightness(const uint8_t *p)
{
	double lin[3], y, f;

	for (int k = 0; k < 3; k++) {
		double c = p[k] / 255.0;
		lin[k] = c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
	}
	y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
	f = y > 216.0 / 24389 ? cbrt(y) : (24389.0 / 27 * y + 16) / 116;
	return 116 * f - 16;
}

/* A direction that carried something: its body is a colour of the scale. */
static int loaded(const uint8_t *body, uint8_t (*pal)[3], size_t n)
{
	return off_palette(body, pal, n) <= 3;
}

/* A direction that carried nothing: nothing inside, a dashed outline off the scale. */
static int empty(const uint8_t *body, const uint8_t *edge, uint8_t (*pal)[3], size_t n)
{
	return is_white(body) && !is_white(edge) && off_palette(edge, pal, n) > 40;
}

static void write_trace(const char *text)
{
	FILE *f = fopen(trace_path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* mesh8x8, one core per tile: rank 0 on tile (0,0) sends 3 messages, 3000 bytes to rank 1
 * on tile (1,1); with a busiest moment of 1 message. */
static const char route_trace[] =
	"{\"traceEvents\":[],\n\"tessera\":{\"board\":\"mesh8x8\",\"mesh_x\":8,\"mesh_y\":8,"
	"\"cores_per_tile\":1,\"nranks\":2,\"rank_core\":[0,9],"
	"\"traffic\":[[0,1,3,3000]],\"peak\":{\"t0_ns\":100,\"t1_ns\":200,"
	"\"traffic\":[[0,1,1,1000]]}}}\n";

Test(heatmap, png_has_the_mesh_size_and_routes_x_then_y)
{
	uint8_t pal[480][3];
	struct image img;
	struct run r;
	size_t n;

	write_trace(route_trace);
	run_cmd(&r, TESSERA " heatmap %s -o %s", trace_path, png_path);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "1040x1100 px"), "%s", r.out);
	cr_assert(strstr(r.out, "3 messages, 3000 bytes"), "%s", r.out);
	run_free(&r);
	cr_assert_eq(png_load(png_path, &img), 0, "%s does not decode", png_path);
	cr_assert_eq(img.w, 120 * 8 + 80);
	cr_assert_eq(img.h, 120 * 8 + 140);
	n = legend_palette(&img, 8, pal);
	/* X first: (0,0) -> (1,0), then Y: (1,0) -> (1,1) */
	cr_assert(loaded(pixel(&img, east_x(0), east_y(0, 8)), pal, n),
		  "no +x arrow east of 0,0");
	cr_assert(loaded(pixel(&img, north_x(1), north_y(0, 8)), pal, n),
		  "no +y arrow north of 1,0");
	/* not Y first, and nothing further */
	cr_assert(empty(pixel(&img, north_x(0), north_y(0, 8)),
			pixel(&img, north_edge_x(0), north_y(0, 8)), pal, n),
		  "+y north of 0,0 is loaded");
	cr_assert(empty(pixel(&img, east_x(0), east_y(1, 8)),
			pixel(&img, east_x(0), east_edge_y(1, 8)), pal, n),
		  "+x east of 0,1 is loaded");
	cr_assert(empty(pixel(&img, east_x(1), east_y(0, 8)),
			pixel(&img, east_x(1), east_edge_y(0, 8)), pal, n),
		  "+x east of 1,0 is loaded");
	free(img.rgb);
}

Test(heatmap, zero_is_drawn_off_the_scale_and_the_scale_rises_in_lightness)
{
	uint8_t pal[480][3];
	struct image img;
	struct run r;
	const uint8_t *edge;
	double prev = -1, first, last;
	size_t n;

	write_trace(route_trace);
	run_cmd(&r, TESSERA " heatmap %s -o %s", trace_path, png_path);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_free(&r);
	cr_assert_eq(png_load(png_path, &img), 0);
	n = legend_palette(&img, 8, pal);
	cr_assert_eq(n, 480);
	/* the outline of an empty direction is no colour of the scale, nor near one */
	edge = pixel(&img, east_x(3), east_edge_y(3, 8));
	cr_assert_not(is_white(edge), "no dashed outline where nothing went");
	cr_assert_gt(off_palette(edge, pal, n), 40, "the empty colour is near the scale");
	/* the scale: lightness rises from one end to the other, as viridis does */
	first = lightness(pal[0]);
	last = lightness(pal[n - 1]);
	for (size_t i = 0; i < n; i++) {
		double l = lightness(pal[i]);
		cr_assert_geq(l, prev - 0.5, "lightness falls at %zu: %.1f after %.1f", i, l, prev);
		prev = l;
	}
	cr_assert_gt(last - first, 60, "the scale spans only %.1f of lightness", last - first);
	free(img.rgb);
}

Test(heatmap, metric_chooses_what_the_arrows_show)
{
	struct run r;

	write_trace(route_trace);
	run_cmd(&r, TESSERA " heatmap %s -o %s --metric messages", trace_path, png_path);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "busiest link 0,0 -> 1,0 (+x): 3 messages"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " heatmap %s -o %s --metric busiest-moment", trace_path, png_path);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "1 messages, 1000 bytes from 0.000000 s to 0.000000 s"), "%s",
		  r.out);
	cr_assert(strstr(r.out, ": 1000 bytes"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " heatmap %s -o %s --metric hops", trace_path, png_path);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "'hops'"), "%s", r.err);
	run_free(&r);
}

Test(heatmap, refuses_a_file_that_is_not_a_tessera_trace)
{
	FILE *f = fopen(trace_path, "w");
	struct run r;

	cr_assert_not_null(f);
	fputs("{\"traceEvents\":[{\"ph\":\"X\",\"name\":\"tessera\"}]}\n", f);
	fclose(f);
	run_cmd(&r, TESSERA " heatmap %s -o %s", trace_path, png_path);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "no \"tessera\" object"), "%s", r.err);
	cr_assert_not(path_exists(png_path));
	run_free(&r);
}

Test(heatmap, refuses_metadata_that_names_a_core_outside_the_board)
{
	FILE *f = fopen(trace_path, "w");
	struct run r;

	cr_assert_not_null(f);
	fputs("{\"tessera\":{\"mesh_x\":2,\"mesh_y\":2,\"cores_per_tile\":1,\"nranks\":1,"
	      "\"rank_core\":[4],\"traffic\":[]}}\n", f);
	fclose(f);
	run_cmd(&r, TESSERA " heatmap %s -o %s", trace_path, png_path);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "rank_core[0]"), "%s", r.err);
	run_free(&r);
}

Test(trace, heatmap_of_a_ring_has_the_size_of_scc48)
{
	json_object *doc = traced_ring();
	struct image img;
	struct run r;

	json_object_put(doc);
	run_cmd(&r, TESSERA " heatmap %s -o %s", trace_path, png_path);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_free(&r);
	cr_assert_eq(png_load(png_path, &img), 0);
	cr_assert_eq(img.w, 800);
	cr_assert_eq(img.h, 620);
	/* ranks 0-3 on cores 0-3: tiles (0,0) and (1,0); rank 1 -> 2 crosses +x east of 0,0 */
	{
		uint8_t pal[480][3];
		size_t n = legend_palette(&img, 4, pal);
		cr_assert(loaded(pixel(&img, east_x(0), east_y(0, 4)), pal, n));
	}
	free(img.rgb);
}

/* ---- top ---- */

Test(top, prints_the_frames_asked_for_on_a_running_board)
{
	char dir[256], chip[300];
	struct run r;
	pid_t job;
	int ws, ready = 0;

	board_dir(dir, sizeof(dir), "top");
	snprintf(chip, sizeof(chip), "%s/chip", dir);
	job = fork();
	if (job == 0) {
		char cmd[512];
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		snprintf(cmd, sizeof(cmd), "exec " TESSERA " run -n 2 --timeout 120 --board-dir %s "
			 HANG, dir);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	cr_assert_gt(job, 0);
	/* wait (not timed: a condition) until both ranks run */
	for (int i = 0; i < 600 && !ready; i++) {
		if (path_exists(chip)) {
			run_cmd(&r, TESSERA " top --once --interval 0.05 --board %s", dir);
			ready = r.status == 0 && strstr(r.out, "r0 run") && strstr(r.out, "r1 run");
			run_free(&r);
		}
		if (!ready)
			usleep(100000);
	}
	cr_assert(ready, "the job on %s never ran", dir);
	run_cmd(&r, TESSERA " top --board %s --iterations 2 --interval 0.1", dir);
	kill(job, SIGTERM);
	waitpid(job, &ws, 0);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_eq(count_lines(r.out, "tessera top: "), 2, "%s", r.out);
	cr_assert(strstr(r.out, "frame 1,"), "%s", r.out);
	cr_assert(strstr(r.out, "frame 2,"), "%s", r.out);
	cr_assert(strstr(r.out, "0,0    r0 run h      r1 run h"), "%s", r.out);
	cr_assert_not(strstr(r.out, "\033["), "escape codes on a pipe");
	cr_assert_not(path_exists(dir), "the board outlived its job");
	run_free(&r);
}

Test(top, refuses_a_board_that_does_not_exist)
{
	struct run r;

	run_cmd(&r, TESSERA " top --once --board /dev/shm/tessera-test-no-such-board");
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "no such board"), "%s", r.err);
	run_free(&r);
}
