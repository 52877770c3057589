// SPDX-License-Identifier: MIT
/*
 * heatmap.c: `tessera heatmap TRACE -o FILE.png`: the traffic of a traced job drawn on the
 * board's mesh. It reads the trace's "tessera" object through hd_trace_meta_read (the
 * reader next to its writer, host-driver/trace_meta.c), routes every rank pair's bytes over
 * the mesh as the SCC routers do, X first, then Y, and has heatmap_layout.c draw the result
 * on a raster (raster.c) written as a PNG. It does not read the events (Perfetto shows
 * those) and needs no board.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tessera/host.h"
#include "heatmap.h"
#include "ht.h"

/* The widest mesh drawn: 120 px a tile. */
#define MESH_MAX 64

static const char heatmap_usage[] =
	"usage: tessera heatmap TRACE -o FILE.png [--metric bytes|messages|busiest-moment]\n"
	"  Draw the mesh of the board a trace (tessera run --trace TRACE, either format) ran\n"
	"  on: per tile the messages its ranks sent (S) and were sent (R); per link and\n"
	"  direction what crossed it under X-then-Y routing, as colour (viridis; a direction\n"
	"  that carried nothing is a dashed outline). The PNG is 120 * mesh_x + 80 by\n"
	"  120 * mesh_y + 140 pixels.\n"
	"\n"
	"  --metric bytes          bytes over the whole run (default)\n"
	"  --metric messages       messages over the whole run\n"
	"  --metric busiest-moment bytes in the hundredth of the run that loaded the mesh\n"
	"                          most (bytes times hops)\n";

/* Every hop of a message from tile a to tile b under X-then-Y routing gets `v`. */
static void route(struct ht_traffic *t, uint32_t a, uint32_t b, uint64_t v)
{
	uint32_t x = a % t->mesh_x, y = a / t->mesh_x, bx = b % t->mesh_x, by = b / t->mesh_x;

	for (; x < bx; x++)
		t->link[HT_DIR_PX][y * t->mesh_x + x] += v;
	for (; x > bx; x--)
		t->link[HT_DIR_NX][y * t->mesh_x + x - 1] += v;
	for (; y < by; y++)
		t->link[HT_DIR_PY][y * t->mesh_x + x] += v;
	for (; y > by; y--)
		t->link[HT_DIR_NY][(y - 1) * t->mesh_x + x] += v;
}

/* The load of every tile and link from the trace's (checked) metadata, in t->metric; 0 or
 * -ENOMEM. */
static int traffic_from(const struct hd_trace_meta *m, struct ht_traffic *t)
{
	const struct hd_trace_traffic *list = t->metric == HT_METRIC_PEAK ? m->peak : m->traffic;
	size_t n = t->metric == HT_METRIC_PEAK ? m->npeak : m->ntraffic;

	t->mesh_x = m->mesh_x;
	t->mesh_y = m->mesh_y;
	t->cpt = m->cores_per_tile;
	t->nranks = m->nranks;
	t->tiles = m->mesh_x * m->mesh_y;
	t->rank_core = m->rank_core;
	snprintf(t->board, sizeof(t->board), "%s", m->board);
	t->tile_sent = calloc(t->tiles, sizeof(uint64_t));
	t->tile_recv = calloc(t->tiles, sizeof(uint64_t));
	for (int d = 0; d < 4; d++)
		t->link[d] = calloc(t->tiles, sizeof(uint64_t));
	if (!t->tile_sent || !t->tile_recv || !t->link[0] || !t->link[1] || !t->link[2] ||
	    !t->link[3])
		return -ENOMEM;
	t->t0_ns = m->peak_t0_ns;
	t->t1_ns = m->peak_t1_ns;
	for (size_t i = 0; i < n; i++) {
		const struct hd_trace_traffic *p = &list[i];
		uint32_t a = m->rank_core[p->src] / t->cpt, b = m->rank_core[p->dst] / t->cpt;

		t->tile_sent[a] += p->messages;
		t->tile_recv[b] += p->messages;
		t->messages += p->messages;
		t->bytes += p->bytes;
		route(t, a, b, t->metric == HT_METRIC_MESSAGES ? p->messages : p->bytes);
	}
	return 0;
}

static void traffic_free(struct ht_traffic *t)
{
	free(t->tile_sent);
	free(t->tile_recv);
	for (int d = 0; d < 4; d++)
		free(t->link[d]);
}

/* The busiest direction of any link, for the summary line. */
static uint64_t busiest(const struct ht_traffic *t, struct ht_scale *s, char *where, size_t n)
{
	static const char *dir[] = { "+x", "-x", "+y", "-y" };
	uint64_t best = 0;

	s->min = s->max = 0;
	for (int d = 0; d < 4; d++)
		for (uint32_t i = 0; i < t->tiles; i++) {
			uint64_t v = t->link[d][i];
			uint32_t x = i % t->mesh_x, y = i / t->mesh_x;
			if (!v)
				continue;
			if (!s->min || v < s->min)
				s->min = v;
			if (v > s->max)
				s->max = v;
			if (v > best) {
				best = v;
				snprintf(where, n, "%u,%u -> %u,%u (%s)",
					 d == HT_DIR_NX ? x + 1 : x, d == HT_DIR_NY ? y + 1 : y,
					 d == HT_DIR_PX ? x + 1 : x, d == HT_DIR_PY ? y + 1 : y, dir[d]);
			}
		}
	return best;
}

/*
 * `tessera heatmap TRACE -o FILE.png`: argv[0] is "heatmap". Prints one summary line and
 * returns 0; dies with 2 for bad usage, 1 when the trace cannot be read or the PNG written.
 */
int ht_heatmap(int argc, char **argv)
{
	static const struct option opts[] = { { "output", required_argument, 0, 'o' },
		{ "metric", required_argument, 0, 'm' }, { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 } };
	static const char *const metric[] = { "bytes", "messages", "busiest-moment" };
	const char *out = NULL;
	struct hd_trace_meta *meta;
	struct ht_traffic t = { 0 };
	struct canvas c = { 0 };
	struct ht_scale s;
	char err[256] = "", where[64] = "";
	uint64_t top;
	int opt, w, h;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'm':
			for (t.metric = 0; t.metric < 3 && strcmp(optarg, metric[t.metric]);
			     t.metric++)
				;
			if (t.metric == 3)
				ht_die(2, "heatmap: --metric: '%s' is not bytes, messages or "
				       "busiest-moment", optarg);
			break;
		case 'h': fputs(heatmap_usage, stdout); return 0;
		default:
			ht_die(2, "heatmap: unknown or incomplete option '%s' (see tessera heatmap "
			       "--help)", argv[optind - 1]);
		}
	}
	if (optind != argc - 1 || !out)
		ht_die(2, "heatmap: give one TRACE and -o FILE.png (see tessera heatmap --help)");
	if (hd_trace_meta_read(argv[optind], &meta))
		ht_die(1, "heatmap: %s", hd_last_error());
	if (meta->mesh_x > MESH_MAX || meta->mesh_y > MESH_MAX)
		ht_die(1, "heatmap: %s: a %ux%u mesh is too large to draw (at most %ux%u)",
		       argv[optind], meta->mesh_x, meta->mesh_y, MESH_MAX, MESH_MAX);
	if (t.metric == HT_METRIC_PEAK && !meta->npeak)
		ht_die(1, "heatmap: %s: the trace has no busiest moment (no message was sent, or "
		       "the trace was written by an older tessera)", argv[optind]);
	if (traffic_from(meta, &t))
		ht_die(1, "heatmap: out of memory");
	ht_heatmap_size(&t, &w, &h);
	if (ht_canvas_new(&c, w, h, (struct rgb){ 255, 255, 255 }))
		ht_die(1, "heatmap: out of memory for a %dx%d picture", w, h);
	top = busiest(&t, &s, where, sizeof(where));
	ht_heatmap_draw(&c, &t, &s);
	if (ht_png_write(&c, out, err, sizeof(err)))
		ht_die(1, "heatmap: %s: %s", out, err);
	printf("%s: %dx%d px, %ux%u tiles, %u ranks, %" PRIu64 " messages, %" PRIu64 " bytes",
	       out, c.w, c.h, t.mesh_x, t.mesh_y, t.nranks, t.messages, t.bytes);
	if (t.metric == HT_METRIC_PEAK)
		printf(" from %.6f s to %.6f s", (double)t.t0_ns / 1e9, (double)t.t1_ns / 1e9);
	if (top)
		printf("; busiest link %s: %" PRIu64 " %s", where, top,
		       t.metric == HT_METRIC_MESSAGES ? "messages" : "bytes");
	putchar('\n');
	ht_canvas_free(&c);
	traffic_free(&t);
	hd_trace_meta_free(meta);
	return 0;
}
