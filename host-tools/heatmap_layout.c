// SPDX-License-Identifier: MIT
/*
 * heatmap_layout.c: where `tessera heatmap` puts things on its picture and in what colour:
 * the title, one box per tile, one arrow per direction of every link, the legend. The
 * picture (documented in docs/trace.md; a test checks its size and its arrows):
 *   width  = 120 * mesh_x + 80 px, height = 120 * mesh_y + 140 px
 *   (scc48: 800 x 620). A 40 px title band, then one 120 px cell per tile, tile (0,0) at
 *   the bottom left, x to the right, y up; a 100 px legend band and margins of 40 px.
 *   Each tile is a box with its coordinates, S = messages its ranks sent, R = messages sent
 *   to its ranks, and which ranks it holds. Between neighbouring boxes, one arrow per
 *   direction of the link, coloured by what crossed it in that direction (the metric:
 *   bytes, messages, or bytes at the busiest moment) on a linear viridis scale from the
 *   least to the most loaded direction with traffic; a direction with none is a dashed
 *   outline, no colour of the scale.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "heatmap.h"

#define CELL	120	/* px per tile */
#define BOX	84	/* the tile's box inside its cell */
#define INSET	((CELL - BOX) / 2)
#define MARGIN	40
#define TITLE_H	40
#define LEGEND_H 100
#define LANE	10	/* thickness of one direction's arrow */

static const struct rgb WHITE = { 255, 255, 255 }, BLACK = { 0, 0, 0 },
	GREY = { 200, 200, 200 }, DIM = { 150, 150, 150 }, FRAME = { 60, 60, 60 };

/*
 * The palette: viridis, perceptually uniform and readable in grey and by colour-blind
 * eyes, its lightness rising from dark purple to yellow. The stops are entries 0, 16, 32,
 * ..., 255 of the 256-entry table _viridis_data of the matplotlib colormaps by Nathaniel J.
 * Smith, Stefan van der Walt and Eric Firing (mpl-colormaps, CC0; matplotlib's
 * lib/matplotlib/_cm_listed.py), rounded to 8 bits; between stops, linear.
 */
static const struct rgb viridis[17] = {
	{ 68, 1, 84 }, { 72, 24, 106 }, { 71, 45, 123 }, { 66, 64, 134 }, { 59, 82, 139 },
	{ 51, 99, 141 }, { 44, 114, 142 }, { 38, 130, 142 }, { 33, 145, 140 }, { 31, 159, 136 },
	{ 39, 173, 129 }, { 61, 188, 116 }, { 92, 200, 99 }, { 129, 211, 77 }, { 170, 220, 50 },
	{ 213, 226, 26 }, { 253, 231, 37 },
};

/* A direction that carried nothing is not a colour of the scale: only a dashed outline. */
const struct rgb ht_zero_colour = { 150, 150, 150 };

struct rgb ht_palette(double t)
{
	double p = (t < 0 ? 0 : t > 1 ? 1 : t) * 16;
	int i = p >= 16 ? 15 : (int)p;
	double f = p - i;
	struct rgb a = viridis[i], b = viridis[i + 1];

	return (struct rgb){ (uint8_t)(a.r + (b.r - a.r) * f + 0.5),
			     (uint8_t)(a.g + (b.g - a.g) * f + 0.5),
			     (uint8_t)(a.b + (b.b - a.b) * f + 0.5) };
}

static struct rgb load_colour(const struct ht_scale *s, uint64_t v)
{
	if (s->max == s->min)
		return ht_palette(1);
	return ht_palette((double)(v - s->min) / (double)(s->max - s->min));
}

/*
 * One direction of a link: a bar with a head at the end it points to (dx, dy: direction),
 * x0, y0 its top left. Loaded: filled with col inside a dark outline. Empty (dashed): the
 * outline only, dashed, in ht_zero_colour, nothing inside.
 */
static void arrow(struct canvas *c, int x0, int y0, int len, int dx, int dy, struct rgb col,
		  int dashed)
{
	int head = 9, body = len - head;

	for (int i = 0; i < len; i++) {
		/* i = 0 at the tail; the head narrows to a point */
		int half = i < body ? LANE / 2 : (LANE / 2 + 2) * (len - i) / head;
		int along = dx > 0 || dy > 0 ? i : len - 1 - i, lo = LANE / 2 - half;
		int x = dx ? x0 + along : x0, y = dx ? y0 : y0 + along;

		if (dashed) {
			if ((i / 3) % 2)
				continue;
			if (dx) {
				ht_fill(c, x, y + lo - 1, 1, 1, ht_zero_colour);
				ht_fill(c, x, y + lo + 2 * half, 1, 1, ht_zero_colour);
			} else {
				ht_fill(c, x + lo - 1, y, 1, 1, ht_zero_colour);
				ht_fill(c, x + lo + 2 * half, y, 1, 1, ht_zero_colour);
			}
			continue;
		}
		if (dx) {
			ht_fill(c, x, y + lo - 1, 1, 2 * half + 2, FRAME);
			if (i && half)
				ht_fill(c, x, y + lo, 1, 2 * half, col);
		} else {
			ht_fill(c, x + lo - 1, y, 2 * half + 2, 1, FRAME);
			if (i && half)
				ht_fill(c, x + lo, y, 2 * half, 1, col);
		}
	}
}

static int cell_x(const struct ht_traffic *t, uint32_t x)
{
	(void)t;
	return MARGIN + CELL * (int)x;
}

static int cell_y(const struct ht_traffic *t, uint32_t y)	/* y = 0 at the bottom */
{
	return TITLE_H + CELL * (int)(t->mesh_y - 1 - y);
}

static void count_text(char *buf, size_t n, char what, uint64_t v)
{
	if (v < 10000)
		snprintf(buf, n, "%c %" PRIu64, what, v);
	else if (v < 1000000)
		snprintf(buf, n, "%c %" PRIu64 "K", what, v / 1000);
	else if (v < 1000000000)
		snprintf(buf, n, "%c %" PRIu64 "M", what, v / 1000000);
	else
		snprintf(buf, n, "%c %" PRIu64 "G", what, v / 1000000000);
}

/* A value of the metric: "3000 B (2.93 KB)", "12 messages". */
static void value_text(const struct ht_traffic *t, char *buf, size_t n, uint64_t v)
{
	static const char *unit[] = { "KB", "MB", "GB", "TB" };
	double d = (double)v;
	int u = -1;

	if (t->metric == HT_METRIC_MESSAGES) {
		snprintf(buf, n, "%" PRIu64 " message%s", v, v == 1 ? "" : "s");
		return;
	}
	while (d >= 1024 && u < 3)
		d /= 1024, u++;
	if (u < 0)
		snprintf(buf, n, "%" PRIu64 " B", v);
	else
		snprintf(buf, n, "%" PRIu64 " B (%.*f %s)", v, d < 10 ? 2 : d < 100 ? 1 : 0, d,
			 unit[u]);
}

static void draw_tile(struct canvas *c, const struct ht_traffic *t, uint32_t x, uint32_t y)
{
	uint32_t tile = y * t->mesh_x + x, first[2] = { 0, 0 };
	int bx = cell_x(t, x) + INSET, by = cell_y(t, y) + INSET, used = 0;
	char line[64], ranks[64] = "no ranks";
	struct rgb ink;

	for (uint32_t r = 0; r < t->nranks; r++)
		if (t->rank_core[r] / t->cpt == tile && used++ < 2)
			first[used - 1] = r;
	if (used == 1)
		snprintf(ranks, sizeof(ranks), "rank %u", first[0]);
	else if (used > 1)
		snprintf(ranks, sizeof(ranks), "ranks %u,%u%s", first[0], first[1],
			 used > 2 ? "+" : "");
	ink = used ? BLACK : DIM;
	ht_fill(c, bx, by, BOX, BOX, WHITE);
	ht_frame(c, bx, by, BOX, BOX, 2, used ? FRAME : GREY);
	snprintf(line, sizeof(line), "%u,%u", x, y);
	ht_text(c, bx + 6, by + 6, 2, BOX - 12, ink, line);
	count_text(line, sizeof(line), 'S', t->tile_sent[tile]);
	ht_text(c, bx + 6, by + 26, 2, BOX - 12, ink, line);
	count_text(line, sizeof(line), 'R', t->tile_recv[tile]);
	ht_text(c, bx + 6, by + 46, 2, BOX - 12, ink, line);
	ht_text(c, bx + 6, by + 68, 1, BOX - 12, ink, ranks);
}

static void link_arrow(struct canvas *c, const struct ht_scale *s, uint64_t v, int x, int y,
		       int len, int dx, int dy)
{
	arrow(c, x, y, len, dx, dy, v ? load_colour(s, v) : WHITE, !v);
}

/* Arrows of the links east and north of tile (x, y). Travel keeps to the right: the +x
 * arrow runs below the centre line, the +y arrow to the right of it. */
static void draw_links(struct canvas *c, const struct ht_traffic *t, const struct ht_scale *s,
		       uint32_t x, uint32_t y)
{
	uint32_t i = y * t->mesh_x + x;
	int gap = CELL - BOX - 6, cx = cell_x(t, x), cy = cell_y(t, y);

	if (x + 1 < t->mesh_x) {
		int gx = cx + INSET + BOX + 3, mid = cy + CELL / 2;
		link_arrow(c, s, t->link[HT_DIR_PX][i], gx, mid + 2, gap, 1, 0);
		link_arrow(c, s, t->link[HT_DIR_NX][i], gx, mid - 2 - LANE, gap, -1, 0);
	}
	if (y + 1 < t->mesh_y) {
		int gy = cy - INSET + 3, mid = cx + CELL / 2;	/* the gap above the box */
		link_arrow(c, s, t->link[HT_DIR_PY][i], mid + 2, gy, gap, 0, -1);
		link_arrow(c, s, t->link[HT_DIR_NY][i], mid - 2 - LANE, gy, gap, 0, 1);
	}
}

/* What the arrows measure, in words. */
static void metric_text(const struct ht_traffic *t, char *buf, size_t n)
{
	if (t->metric == HT_METRIC_MESSAGES)
		snprintf(buf, n, "messages per link direction");
	else if (t->metric == HT_METRIC_BYTES)
		snprintf(buf, n, "bytes per link direction");
	else
		snprintf(buf, n, "bytes per link direction from %.6f s to %.6f s, the busiest "
			 "hundredth of the run", (double)t->t0_ns / 1e9, (double)t->t1_ns / 1e9);
}

/* Below the mesh: what the colours measure, the scale with its ends in units, what an
 * empty direction looks like, how to read the rest. */
static void draw_legend(struct canvas *c, const struct ht_traffic *t, const struct ht_scale *s)
{
	int y = TITLE_H + CELL * (int)t->mesh_y + 8, w = c->w - 2 * MARGIN, x = MARGIN;
	int bar = w > 480 ? 480 : w;
	char buf[160], v[64];

	metric_text(t, buf, sizeof(buf));
	ht_text(c, x, y, 1, w, BLACK, buf);
	if (!s->max) {
		ht_text(c, x, y + 14, 1, w, BLACK, "no link carried anything");
	} else {
		for (int i = 0; i < bar; i++)
			ht_fill(c, x + i, y + 12, 1, 14,
				ht_palette(bar > 1 ? (double)i / (bar - 1) : 1));
		ht_frame(c, x - 1, y + 11, bar + 2, 16, 1, FRAME);
		value_text(t, v, sizeof(v), s->min);
		snprintf(buf, sizeof(buf), "%s (least)", v);
		ht_text(c, x, y + 30, 1, bar / 2, BLACK, buf);
		value_text(t, v, sizeof(v), s->max);
		snprintf(buf, sizeof(buf), "(most) %s", v);
		{
			int tw = (int)strlen(buf) * 6;
			ht_text(c, tw < bar / 2 ? x + bar - tw : x + bar / 2, y + 30, 1, bar / 2, BLACK,
				buf);
		}
	}
	arrow(c, x, y + 44, 30, 1, 0, WHITE, 1);
	ht_text(c, x + 38, y + 46, 1, w - 38, BLACK, "dashed outline: nothing crossed that way");
	ht_text(c, x, y + 62, 1, w, BLACK,
		"one arrow per direction, traffic keeps right; routes: x first, then y");
	ht_text(c, x, y + 74, 1, w, BLACK, "S/R: messages sent by/to the tile's ranks");
}

static void draw_title(struct canvas *c, const struct ht_traffic *t)
{
	char title[160];

	snprintf(title, sizeof(title), "%s: %ux%u tiles, %u ranks, %s%" PRIu64 " messages",
		 t->board, t->mesh_x, t->mesh_y, t->nranks,
		 t->metric == HT_METRIC_PEAK ? "busiest moment: " : "", t->messages);
	if ((int)strlen(title) * 12 <= c->w - 2 * MARGIN)
		ht_text(c, MARGIN, 12, 2, 0, BLACK, title);
	else
		ht_text(c, MARGIN, 16, 1, c->w - 2 * MARGIN, BLACK, title);
}

void ht_heatmap_size(const struct ht_traffic *t, int *w, int *h)
{
	*w = CELL * (int)t->mesh_x + 2 * MARGIN;
	*h = CELL * (int)t->mesh_y + TITLE_H + LEGEND_H;
}

void ht_heatmap_draw(struct canvas *c, const struct ht_traffic *t, const struct ht_scale *s)
{
	ht_fill(c, 0, 0, c->w, c->h, WHITE);
	draw_title(c, t);
	for (uint32_t y = 0; y < t->mesh_y; y++)
		for (uint32_t x = 0; x < t->mesh_x; x++) {
			draw_tile(c, t, x, y);
			draw_links(c, t, s, x, y);
		}
	draw_legend(c, t, s);
}
