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
 *   direction of the link, coloured by the bytes that crossed it in that direction (grey:
 *   none), on a linear scale from the least to the most loaded direction with traffic.
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

/* Colour of t in 0..1: dark blue, light blue, pale yellow, orange, dark red. */
static struct rgb heat(double t)
{
	static const struct rgb stop[] = { { 49, 54, 149 }, { 116, 173, 209 },
		{ 254, 224, 144 }, { 244, 109, 67 }, { 165, 0, 38 } };
	double p = (t < 0 ? 0 : t > 1 ? 1 : t) * 4;
	int i = p >= 4 ? 3 : (int)p;
	double f = p - i;
	struct rgb a = stop[i], b = stop[i + 1];

	return (struct rgb){ (uint8_t)(a.r + (b.r - a.r) * f + 0.5),
			     (uint8_t)(a.g + (b.g - a.g) * f + 0.5),
			     (uint8_t)(a.b + (b.b - a.b) * f + 0.5) };
}

static struct rgb load_colour(const struct ht_scale *s, uint64_t v)
{
	if (!v)
		return GREY;
	if (s->max == s->min)
		return heat(1);
	return heat((double)(v - s->min) / (double)(s->max - s->min));
}

/* One direction of a link: a bar with a head at the end it points to. dx, dy: direction. */
static void arrow(struct canvas *c, int x0, int y0, int len, int dx, int dy, struct rgb col)
{
	int head = 9, body = len - head;

	for (int i = 0; i < len; i++) {
		/* distance along the arrow; the head narrows to a point */
		int half = i < body ? LANE / 2 : (LANE / 2 + 2) * (len - i) / head;
		int along = dx > 0 || dy > 0 ? i : len - 1 - i;
		if (dx)
			ht_fill(c, x0 + along, y0 + LANE / 2 - half, 1, 2 * half, col);
		else
			ht_fill(c, x0 + LANE / 2 - half, y0 + along, 2 * half, 1, col);
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

static void bytes_text(char *buf, size_t n, uint64_t v)
{
	static const char *unit[] = { "KB", "MB", "GB", "TB" };
	double d = (double)v;
	int u = -1;

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
	uint32_t tile = y * t->mesh_x + x;
	int bx = cell_x(t, x) + INSET, by = cell_y(t, y) + INSET, used = 0;
	char line[64], ranks[64] = "RANK";
	struct rgb ink;

	for (uint32_t r = 0; r < t->nranks; r++) {
		if (t->rank_core[r] / t->cpt != tile)
			continue;
		if (used++ < 2)
			snprintf(ranks + strlen(ranks), sizeof(ranks) - strlen(ranks), "%s%u",
				 used == 1 ? " " : ",", r);
		else if (used == 3)
			snprintf(ranks + strlen(ranks), sizeof(ranks) - strlen(ranks), "+");
	}
	ink = used ? BLACK : DIM;
	ht_fill(c, bx, by, BOX, BOX, WHITE);
	ht_frame(c, bx, by, BOX, BOX, 2, used ? FRAME : GREY);
	snprintf(line, sizeof(line), "%u,%u", x, y);
	ht_text(c, bx + 6, by + 6, 2, BOX - 12, ink, line);
	count_text(line, sizeof(line), 'S', t->tile_sent[tile]);
	ht_text(c, bx + 6, by + 26, 2, BOX - 12, ink, line);
	count_text(line, sizeof(line), 'R', t->tile_recv[tile]);
	ht_text(c, bx + 6, by + 46, 2, BOX - 12, ink, line);
	ht_text(c, bx + 6, by + 68, 1, BOX - 12, ink, used ? ranks : "NO RANKS");
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
		arrow(c, gx, mid + 2, gap, 1, 0, load_colour(s, t->link[HT_DIR_PX][i]));
		arrow(c, gx, mid - 2 - LANE, gap, -1, 0, load_colour(s, t->link[HT_DIR_NX][i]));
	}
	if (y + 1 < t->mesh_y) {
		int gy = cy - INSET + 3, mid = cx + CELL / 2;	/* the gap above the box */
		arrow(c, mid + 2, gy, gap, 0, -1, load_colour(s, t->link[HT_DIR_PY][i]));
		arrow(c, mid - 2 - LANE, gy, gap, 0, 1, load_colour(s, t->link[HT_DIR_NY][i]));
	}
}

static void draw_legend(struct canvas *c, const struct ht_traffic *t, const struct ht_scale *s)
{
	int y = TITLE_H + CELL * (int)t->mesh_y + 12, w = c->w - 2 * MARGIN, x = MARGIN;
	int bar = w > 480 ? 480 : w, sw = 16;
	char buf[96];

	if (!s->max) {
		ht_fill(c, x, y, sw, 14, GREY);
		ht_text(c, x + sw + 6, y + 3, 1, w - sw - 6, BLACK, "NO LINK TRAFFIC");
	} else {
		for (int i = 0; i < bar; i++)
			ht_fill(c, x + i, y, 1, 14, heat(bar > 1 ? (double)i / (bar - 1) : 1));
		ht_frame(c, x - 1, y - 1, bar + 2, 16, 1, FRAME);
		bytes_text(buf + 4, sizeof(buf) - 4, s->min);
		memcpy(buf, "MIN ", 4);
		ht_text(c, x, y + 20, 1, bar, BLACK, buf);
		bytes_text(buf + 4, sizeof(buf) - 4, s->max);
		memcpy(buf, "MAX ", 4);
		{
			int tw = (int)strlen(buf) * 6;
			ht_text(c, tw < bar ? x + bar - tw : x, y + 32, 1, bar, BLACK, buf);
		}
	}
	ht_fill(c, x, y + 48, sw, 8, GREY);
	ht_text(c, x + sw + 6, y + 48, 1, w - sw - 6, BLACK, "NO TRAFFIC");
	ht_text(c, x, y + 62, 1, w, BLACK, "ARROWS: BYTES PER LINK DIRECTION, X-THEN-Y ROUTING");
	ht_text(c, x, y + 74, 1, w, BLACK, "S/R: MESSAGES SENT BY/TO THE TILE'S RANKS");
}

static void draw_title(struct canvas *c, const struct ht_traffic *t)
{
	char title[128];

	snprintf(title, sizeof(title), "%s: %ux%u TILES, %u RANKS, %" PRIu64 " MESSAGES", t->board,
		 t->mesh_x, t->mesh_y, t->nranks, t->messages);
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
