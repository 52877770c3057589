// SPDX-License-Identifier: MIT
/*
 * heatmap.c: `tessera heatmap TRACE -o FILE.png`: the traffic of a traced job drawn on the
 * board's mesh. It reads only the "tessera" object of a trace written by `tessera run
 * --trace` (geometry, rank -> core, messages and bytes per rank pair: host-driver/trace.c)
 * and routes every pair's bytes over the mesh as the SCC routers do, X first, then Y.
 * It does not read the events (Perfetto shows those) and needs no board.
 *
 * The picture (documented in docs/trace.md; a test checks its size):
 *   width  = 120 * mesh_x + 80 px, height = 120 * mesh_y + 140 px
 *   (scc48: 800 x 620). A 40 px title band, then one 120 px cell per tile, tile (0,0) at
 *   the bottom left, x to the right, y up; a 100 px legend band and margins of 40 px.
 *   Each tile is a box with its coordinates, S = messages its ranks sent, R = messages sent
 *   to its ranks, and which ranks it holds. Between neighbouring boxes, one arrow per
 *   direction of the link, coloured by the bytes that crossed it in that direction (grey:
 *   none), on a linear scale from the least to the most loaded direction with traffic.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tessera/host.h"
#include "ht.h"

#define CELL	120	/* px per tile */
#define BOX	84	/* the tile's box inside its cell */
#define INSET	((CELL - BOX) / 2)
#define MARGIN	40
#define TITLE_H	40
#define LEGEND_H 100
#define LANE	10	/* thickness of one direction's arrow */

static const char heatmap_usage[] =
	"usage: tessera heatmap TRACE -o FILE.png\n"
	"  Draw the mesh of the board a trace (tessera run --trace TRACE) ran on: per tile the\n"
	"  messages its ranks sent (S) and were sent (R); per link and direction the bytes\n"
	"  that crossed it under X-then-Y routing, as colour. The PNG is 120 * mesh_x + 80 by\n"
	"  120 * mesh_y + 140 pixels.\n";

/* ---- what the trace says ---- */

struct traffic {
	uint32_t mesh_x, mesh_y, cpt, nranks, tiles;
	char board[64];
	uint32_t *rank_core;
	uint64_t *tile_sent, *tile_recv;	/* messages, per tile */
	uint64_t *link[4];		/* bytes per direction: +x, -x (by the link's west
					 * tile), +y, -y (by its south tile) */
	uint64_t messages, bytes;
};

enum { DIR_PX, DIR_NX, DIR_PY, DIR_NY };

/*
 * Read the trace, keeping only the text of the top-level "tessera" member (the events may
 * be hundreds of MB: they are scanned, not parsed). NULL with *why set if there is none.
 */
static char *read_meta(FILE *f, const char **why)
{
	char chunk[65536], key[16];
	size_t n, klen = 0, len = 0, cap = 0;
	int depth = 0, in_str = 0, esc = 0, expect_key = 0, in_key = 0, want = 0, taking = 0;
	char *out = NULL;

	*why = "no \"tessera\" object: not a trace written by `tessera run --trace`";
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		for (size_t i = 0; i < n; i++) {
			char c = chunk[i];

			if (taking) {
				if (!in_str && depth == 1 && (c == ',' || c == '}')) {
					if (out)
						out[len] = 0;
					else
						*why = "\"tessera\" has no value";
					return out;
				}
				if (len + 2 > cap) {
					char *nb = realloc(out, cap = cap ? cap * 2 : 4096);
					if (!nb) {
						*why = "out of memory";
						free(out);
						return NULL;
					}
					out = nb;
				}
				out[len++] = c;
			}
			if (in_str) {
				if (esc)
					esc = 0;
				else if (c == '\\')
					esc = 1;
				else if (c == '"')
					in_str = 0, in_key = 0;
				else if (in_key && klen < sizeof(key) - 1)
					key[klen++] = c;
				else if (in_key)
					klen = sizeof(key);	/* too long to be ours */
				continue;
			}
			switch (c) {
			case '"':
				in_str = 1;
				if (depth == 1 && expect_key) {
					in_key = 1;
					klen = 0;
					expect_key = 0;
				}
				break;
			case ':':
				if (depth == 1 && !taking)
					want = klen == 7 && !memcmp(key, "tessera", 7);
				if (want)
					taking = 1, want = 0;
				break;
			case '{': case '[':
				if (++depth == 1)
					expect_key = c == '{';
				break;
			case '}': case ']':
				depth--;
				break;
			case ',':
				if (depth == 1)
					expect_key = 1;
				break;
			}
		}
	}
	if (ferror(f))
		*why = strerror(errno);
	free(out);
	return NULL;
}

static int get_u32(json_object *m, const char *key, uint32_t lo, uint32_t hi, uint32_t *v,
		   char *why, size_t n)
{
	json_object *o;
	int64_t x;

	if (!json_object_object_get_ex(m, key, &o) || !json_object_is_type(o, json_type_int)) {
		snprintf(why, n, "tessera.%s: missing or not an integer", key);
		return -EPROTO;
	}
	x = json_object_get_int64(o);
	if (x < lo || x > hi) {
		snprintf(why, n, "tessera.%s: %" PRId64 " is not in %u..%u", key, x, lo, hi);
		return -EPROTO;
	}
	*v = (uint32_t)x;
	return 0;
}

/* Every hop of a message from tile a to tile b under X-then-Y routing gets `bytes`. */
static void route(struct traffic *t, uint32_t a, uint32_t b, uint64_t bytes)
{
	uint32_t x = a % t->mesh_x, y = a / t->mesh_x, bx = b % t->mesh_x, by = b / t->mesh_x;

	for (; x < bx; x++)
		t->link[DIR_PX][y * t->mesh_x + x] += bytes;
	for (; x > bx; x--)
		t->link[DIR_NX][y * t->mesh_x + x - 1] += bytes;
	for (; y < by; y++)
		t->link[DIR_PY][y * t->mesh_x + x] += bytes;
	for (; y > by; y--)
		t->link[DIR_NY][(y - 1) * t->mesh_x + x] += bytes;
}

/* Check the metadata (a file is input) and compute the tiles' and links' load. */
static int load(json_object *m, struct traffic *t, char *why, size_t n)
{
	json_object *rc, *tr, *o;
	uint32_t cores;

	if (!json_object_is_type(m, json_type_object)) {
		snprintf(why, n, "tessera: not an object");
		return -EPROTO;
	}
	if (get_u32(m, "mesh_x", 1, 64, &t->mesh_x, why, n) ||
	    get_u32(m, "mesh_y", 1, 64, &t->mesh_y, why, n) ||
	    get_u32(m, "cores_per_tile", 1, TESSERA_MAX_CORES_PER_TILE, &t->cpt, why, n) ||
	    get_u32(m, "nranks", 1, TESSERA_MAX_CORES, &t->nranks, why, n))
		return -EPROTO;
	t->tiles = t->mesh_x * t->mesh_y;
	cores = t->tiles * t->cpt;
	if (t->tiles > TESSERA_MAX_TILES || cores > TESSERA_MAX_CORES) {
		snprintf(why, n, "tessera: a %ux%u mesh of %u cores per tile is too big",
			 t->mesh_x, t->mesh_y, t->cpt);
		return -EPROTO;
	}
	snprintf(t->board, sizeof(t->board), "%s",
		 json_object_object_get_ex(m, "board", &o) ? json_object_get_string(o) : "?");
	if (!json_object_object_get_ex(m, "rank_core", &rc) ||
	    !json_object_is_type(rc, json_type_array) ||
	    json_object_array_length(rc) != t->nranks) {
		snprintf(why, n, "tessera.rank_core: not an array of %u cores", t->nranks);
		return -EPROTO;
	}
	t->rank_core = calloc(t->nranks, sizeof(uint32_t));
	t->tile_sent = calloc(t->tiles, sizeof(uint64_t));
	t->tile_recv = calloc(t->tiles, sizeof(uint64_t));
	for (int d = 0; d < 4; d++)
		t->link[d] = calloc(t->tiles, sizeof(uint64_t));
	if (!t->rank_core || !t->tile_sent || !t->tile_recv || !t->link[0] || !t->link[1] ||
	    !t->link[2] || !t->link[3]) {
		snprintf(why, n, "out of memory");
		return -ENOMEM;
	}
	for (uint32_t r = 0; r < t->nranks; r++) {
		json_object *c = json_object_array_get_idx(rc, r);
		int64_t v = json_object_is_type(c, json_type_int) ? json_object_get_int64(c) : -1;
		if (v < 0 || v >= cores) {
			snprintf(why, n, "tessera.rank_core[%u]: not a core of the board", r);
			return -EPROTO;
		}
		t->rank_core[r] = (uint32_t)v;
	}
	if (!json_object_object_get_ex(m, "traffic", &tr) ||
	    !json_object_is_type(tr, json_type_array)) {
		snprintf(why, n, "tessera.traffic: missing or not an array");
		return -EPROTO;
	}
	for (size_t i = 0; i < json_object_array_length(tr); i++) {
		json_object *p = json_object_array_get_idx(tr, i);
		int64_t v[4];
		uint32_t a, b;

		if (!json_object_is_type(p, json_type_array) || json_object_array_length(p) != 4)
			goto bad;
		for (int k = 0; k < 4; k++) {
			json_object *e = json_object_array_get_idx(p, k);
			if (!json_object_is_type(e, json_type_int))
				goto bad;
			v[k] = json_object_get_int64(e);
			if (v[k] < 0)
				goto bad;
		}
		if (v[0] >= t->nranks || v[1] >= t->nranks)
			goto bad;
		a = t->rank_core[v[0]] / t->cpt;
		b = t->rank_core[v[1]] / t->cpt;
		t->tile_sent[a] += (uint64_t)v[2];
		t->tile_recv[b] += (uint64_t)v[2];
		t->messages += (uint64_t)v[2];
		t->bytes += (uint64_t)v[3];
		route(t, a, b, (uint64_t)v[3]);
		continue;
bad:
		snprintf(why, n, "tessera.traffic[%zu]: not [src rank, dst rank, messages, bytes]",
			 i);
		return -EPROTO;
	}
	return 0;
}

static void traffic_free(struct traffic *t)
{
	free(t->rank_core);
	free(t->tile_sent);
	free(t->tile_recv);
	for (int d = 0; d < 4; d++)
		free(t->link[d]);
}

/* ---- drawing ---- */

struct canvas {
	int w, h;
	uint8_t *px;	/* RGB rows */
};

struct rgb {
	uint8_t r, g, b;
};

static const struct rgb WHITE = { 255, 255, 255 }, BLACK = { 0, 0, 0 },
	GREY = { 200, 200, 200 }, DIM = { 150, 150, 150 }, FRAME = { 60, 60, 60 };

static void fill(struct canvas *c, int x0, int y0, int w, int h, struct rgb col)
{
	for (int y = y0 < 0 ? 0 : y0; y < y0 + h && y < c->h; y++)
		for (int x = x0 < 0 ? 0 : x0; x < x0 + w && x < c->w; x++) {
			uint8_t *p = c->px + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
			p[0] = col.r, p[1] = col.g, p[2] = col.b;
		}
}

static void frame(struct canvas *c, int x0, int y0, int w, int h, int t, struct rgb col)
{
	fill(c, x0, y0, w, t, col);
	fill(c, x0, y0 + h - t, w, t, col);
	fill(c, x0, y0, t, h, col);
	fill(c, x0 + w - t, y0, t, h, col);
}

/* A 5x7 font, drawn by hand for this tool: rows top to bottom, bit 4 the leftmost pixel.
 * Capitals only (small letters are drawn as capitals); anything else as '?'. */
static const struct glyph {
	char c;
	uint8_t row[7];
} font[] = {
	{ ' ', { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 } },
	{ '0', { 0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e } },
	{ '1', { 0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e } },
	{ '2', { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f } },
	{ '3', { 0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e } },
	{ '4', { 0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02 } },
	{ '5', { 0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e } },
	{ '6', { 0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e } },
	{ '7', { 0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08 } },
	{ '8', { 0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e } },
	{ '9', { 0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c } },
	{ 'A', { 0x0e, 0x11, 0x11, 0x11, 0x1f, 0x11, 0x11 } },
	{ 'B', { 0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e } },
	{ 'C', { 0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e } },
	{ 'D', { 0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c } },
	{ 'E', { 0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f } },
	{ 'F', { 0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10 } },
	{ 'G', { 0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f } },
	{ 'H', { 0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11 } },
	{ 'I', { 0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e } },
	{ 'J', { 0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c } },
	{ 'K', { 0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11 } },
	{ 'L', { 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f } },
	{ 'M', { 0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11 } },
	{ 'N', { 0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11 } },
	{ 'O', { 0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e } },
	{ 'P', { 0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10 } },
	{ 'Q', { 0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d } },
	{ 'R', { 0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11 } },
	{ 'S', { 0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e } },
	{ 'T', { 0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04 } },
	{ 'U', { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e } },
	{ 'V', { 0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04 } },
	{ 'W', { 0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a } },
	{ 'X', { 0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11 } },
	{ 'Y', { 0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04 } },
	{ 'Z', { 0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f } },
	{ ',', { 0x00, 0x00, 0x00, 0x00, 0x0c, 0x04, 0x08 } },
	{ '.', { 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c } },
	{ ':', { 0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00 } },
	{ '-', { 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00 } },
	{ '+', { 0x00, 0x04, 0x04, 0x1f, 0x04, 0x04, 0x00 } },
	{ '=', { 0x00, 0x00, 0x1f, 0x00, 0x1f, 0x00, 0x00 } },
	{ '(', { 0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02 } },
	{ ')', { 0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08 } },
	{ '/', { 0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00 } },
	{ '<', { 0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02 } },
	{ '>', { 0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08 } },
	{ '#', { 0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a } },
	{ '_', { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1f } },
	{ '%', { 0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03 } },
	{ '\'', { 0x04, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00 } },
	{ '?', { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04 } },
};

static const struct glyph *glyph(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	for (size_t i = 0; i < sizeof(font) / sizeof(font[0]); i++)
		if (font[i].c == c)
			return &font[i];
	return glyph('?');
}

/* Text at (x, y), its top left corner; a character is 6 * scale px wide, 8 * scale high.
 * Cut off at max_w px (0: no limit). Returns the width drawn. */
static int text(struct canvas *c, int x, int y, int scale, int max_w, struct rgb col,
		const char *s)
{
	int x0 = x;

	for (; *s; s++, x += 6 * scale) {
		const struct glyph *g = glyph(*s);
		if (max_w && x + 5 * scale - x0 > max_w)
			break;
		for (int r = 0; r < 7; r++)
			for (int b = 0; b < 5; b++)
				if (g->row[r] & (0x10 >> b))
					fill(c, x + b * scale, y + r * scale, scale, scale, col);
	}
	return x - x0;
}

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

struct scale {
	uint64_t min, max;	/* over the directions that carried anything */
};

static struct rgb load_colour(const struct scale *s, uint64_t v)
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
			fill(c, x0 + along, y0 + LANE / 2 - half, 1, 2 * half, col);
		else
			fill(c, x0 + LANE / 2 - half, y0 + along, 2 * half, 1, col);
	}
}

static int cell_x(const struct traffic *t, uint32_t x)
{
	(void)t;
	return MARGIN + CELL * (int)x;
}

static int cell_y(const struct traffic *t, uint32_t y)	/* y = 0 at the bottom */
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

static void draw_tile(struct canvas *c, const struct traffic *t, uint32_t x, uint32_t y)
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
	fill(c, bx, by, BOX, BOX, WHITE);
	frame(c, bx, by, BOX, BOX, 2, used ? FRAME : GREY);
	snprintf(line, sizeof(line), "%u,%u", x, y);
	text(c, bx + 6, by + 6, 2, BOX - 12, ink, line);
	count_text(line, sizeof(line), 'S', t->tile_sent[tile]);
	text(c, bx + 6, by + 26, 2, BOX - 12, ink, line);
	count_text(line, sizeof(line), 'R', t->tile_recv[tile]);
	text(c, bx + 6, by + 46, 2, BOX - 12, ink, line);
	text(c, bx + 6, by + 68, 1, BOX - 12, ink, used ? ranks : "NO RANKS");
}

/* Arrows of the links east and north of tile (x, y). Travel keeps to the right: the +x
 * arrow runs below the centre line, the +y arrow to the right of it. */
static void draw_links(struct canvas *c, const struct traffic *t, const struct scale *s,
		       uint32_t x, uint32_t y)
{
	uint32_t i = y * t->mesh_x + x;
	int gap = CELL - BOX - 6, cx = cell_x(t, x), cy = cell_y(t, y);

	if (x + 1 < t->mesh_x) {
		int gx = cx + INSET + BOX + 3, mid = cy + CELL / 2;
		arrow(c, gx, mid + 2, gap, 1, 0, load_colour(s, t->link[DIR_PX][i]));
		arrow(c, gx, mid - 2 - LANE, gap, -1, 0, load_colour(s, t->link[DIR_NX][i]));
	}
	if (y + 1 < t->mesh_y) {
		int gy = cy - INSET + 3, mid = cx + CELL / 2;	/* the gap above the box */
		arrow(c, mid + 2, gy, gap, 0, -1, load_colour(s, t->link[DIR_PY][i]));
		arrow(c, mid - 2 - LANE, gy, gap, 0, 1, load_colour(s, t->link[DIR_NY][i]));
	}
}

static void draw_legend(struct canvas *c, const struct traffic *t, const struct scale *s)
{
	int y = TITLE_H + CELL * (int)t->mesh_y + 12, w = c->w - 2 * MARGIN, x = MARGIN;
	int bar = w > 480 ? 480 : w, sw = 16;
	char buf[96];

	if (!s->max) {
		fill(c, x, y, sw, 14, GREY);
		text(c, x + sw + 6, y + 3, 1, w - sw - 6, BLACK, "NO LINK TRAFFIC");
	} else {
		for (int i = 0; i < bar; i++)
			fill(c, x + i, y, 1, 14, heat(bar > 1 ? (double)i / (bar - 1) : 1));
		frame(c, x - 1, y - 1, bar + 2, 16, 1, FRAME);
		bytes_text(buf + 4, sizeof(buf) - 4, s->min);
		memcpy(buf, "MIN ", 4);
		text(c, x, y + 20, 1, bar, BLACK, buf);
		bytes_text(buf + 4, sizeof(buf) - 4, s->max);
		memcpy(buf, "MAX ", 4);
		{
			int tw = (int)strlen(buf) * 6;
			text(c, tw < bar ? x + bar - tw : x, y + 32, 1, bar, BLACK, buf);
		}
	}
	fill(c, x, y + 48, sw, 8, GREY);
	text(c, x + sw + 6, y + 48, 1, w - sw - 6, BLACK, "NO TRAFFIC");
	text(c, x, y + 62, 1, w, BLACK, "ARROWS: BYTES PER LINK DIRECTION, X-THEN-Y ROUTING");
	text(c, x, y + 74, 1, w, BLACK, "S/R: MESSAGES SENT BY/TO THE TILE'S RANKS");
}

static int write_png(const struct canvas *c, const char *path, char *why, size_t n)
{
	FILE *f = fopen(path, "wb");
	png_structp png = NULL;
	png_infop info = NULL;
	int rc = -EIO;

	if (!f) {
		snprintf(why, n, "%s", strerror(errno));
		return -errno;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (png)
		info = png_create_info_struct(png);
	if (!png || !info) {
		snprintf(why, n, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	if (setjmp(png_jmpbuf(png))) {
		snprintf(why, n, "libpng could not write it");
		goto out;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)c->w, (png_uint_32)c->h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < c->h; y++)
		png_write_row(png, c->px + (size_t)y * (size_t)c->w * 3);
	png_write_end(png, info);
	rc = 0;
out:
	png_destroy_write_struct(&png, &info);
	if (fclose(f) && !rc) {
		snprintf(why, n, "%s", strerror(errno));
		rc = -EIO;
	}
	if (rc)
		unlink(path);
	return rc;
}

/* The busiest direction of any link, for the summary line. */
static uint64_t busiest(const struct traffic *t, struct scale *s, char *where, size_t n)
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
					 d == DIR_NX ? x + 1 : x, d == DIR_NY ? y + 1 : y,
					 d == DIR_PX ? x + 1 : x, d == DIR_PY ? y + 1 : y, dir[d]);
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
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *out = NULL, *why;
	struct traffic t = { 0 };
	struct canvas c = { 0 };
	struct scale s;
	char err[256] = "", where[64] = "", title[128];
	json_object *meta;
	enum json_tokener_error jerr;
	char *text_meta;
	uint64_t top;
	FILE *f;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'h': fputs(heatmap_usage, stdout); return 0;
		default:
			ht_die(2, "heatmap: unknown or incomplete option '%s' (see tessera heatmap "
			       "--help)", argv[optind - 1]);
		}
	}
	if (optind != argc - 1 || !out)
		ht_die(2, "heatmap: give one TRACE and -o FILE.png (see tessera heatmap --help)");
	f = fopen(argv[optind], "r");
	if (!f)
		ht_die(1, "heatmap: %s: %s", argv[optind], strerror(errno));
	text_meta = read_meta(f, &why);
	fclose(f);
	if (!text_meta)
		ht_die(1, "heatmap: %s: %s", argv[optind], why);
	meta = json_tokener_parse_verbose(text_meta, &jerr);
	free(text_meta);
	if (!meta)
		ht_die(1, "heatmap: %s: the \"tessera\" object does not parse: %s", argv[optind],
		       json_tokener_error_desc(jerr));
	if (load(meta, &t, err, sizeof(err)))
		ht_die(1, "heatmap: %s: %s", argv[optind], err);
	json_object_put(meta);

	c.w = CELL * (int)t.mesh_x + 2 * MARGIN;
	c.h = CELL * (int)t.mesh_y + TITLE_H + LEGEND_H;
	c.px = malloc((size_t)c.w * (size_t)c.h * 3);
	if (!c.px)
		ht_die(1, "heatmap: out of memory for a %dx%d picture", c.w, c.h);
	fill(&c, 0, 0, c.w, c.h, WHITE);
	top = busiest(&t, &s, where, sizeof(where));
	snprintf(title, sizeof(title), "%s: %ux%u TILES, %u RANKS, %" PRIu64 " MESSAGES", t.board,
		 t.mesh_x, t.mesh_y, t.nranks, t.messages);
	if ((int)strlen(title) * 12 <= c.w - 2 * MARGIN)
		text(&c, MARGIN, 12, 2, 0, BLACK, title);
	else
		text(&c, MARGIN, 16, 1, c.w - 2 * MARGIN, BLACK, title);
	for (uint32_t y = 0; y < t.mesh_y; y++)
		for (uint32_t x = 0; x < t.mesh_x; x++) {
			draw_tile(&c, &t, x, y);
			draw_links(&c, &t, &s, x, y);
		}
	draw_legend(&c, &t, &s);
	if (write_png(&c, out, err, sizeof(err)))
		ht_die(1, "heatmap: %s: %s", out, err);
	printf("%s: %dx%d px, %ux%u tiles, %u ranks, %" PRIu64 " messages, %" PRIu64 " bytes",
	       out, c.w, c.h, t.mesh_x, t.mesh_y, t.nranks, t.messages, t.bytes);
	if (top)
		printf("; busiest link %s: %" PRIu64 " bytes", where, top);
	putchar('\n');
	free(c.px);
	traffic_free(&t);
	return 0;
}
