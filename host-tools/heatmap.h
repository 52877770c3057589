/* SPDX-License-Identifier: MIT */
/*
 * heatmap.h: what `tessera heatmap` works out from a trace (heatmap.c: the traffic of each
 * tile and of each direction of each link under X-then-Y routing) and how it draws it
 * (heatmap_layout.c). Host tools only.
 */
#ifndef HT_HEATMAP_H
#define HT_HEATMAP_H

#include <stdint.h>
#include "raster.h"

enum { HT_DIR_PX, HT_DIR_NX, HT_DIR_PY, HT_DIR_NY };

/* What the arrows show (--metric). */
enum ht_metric {
	HT_METRIC_BYTES,		/* bytes over the whole run */
	HT_METRIC_MESSAGES,		/* messages over the whole run */
	HT_METRIC_PEAK,			/* bytes in the busiest hundredth of the run */
};

struct ht_traffic {
	uint32_t mesh_x, mesh_y, cpt, nranks, tiles;
	char board[64];
	enum ht_metric metric;
	uint64_t t0_ns, t1_ns;		/* HT_METRIC_PEAK: the span shown */
	const uint32_t *rank_core;	/* nranks, from the trace */
	uint64_t *tile_sent, *tile_recv;	/* messages, per tile */
	uint64_t *link[4];		/* the metric per direction: +x, -x (by the link's
					 * west tile), +y, -y (by its south tile) */
	uint64_t messages, bytes;
};

/* The colour scale: the metric of the least and the most loaded direction that carried any. */
struct ht_scale {
	uint64_t min, max;
};

/* The colour of t in 0..1 (least to most loaded), and the one of a direction that carried
 * nothing, which is none of them (heatmap_layout.c). */
struct rgb ht_palette(double t);
extern const struct rgb ht_zero_colour;
/* The picture's size for t's mesh. */
void ht_heatmap_size(const struct ht_traffic *t, int *w, int *h);
/* Draw t on c (of that size), link colours on scale s. */
void ht_heatmap_draw(struct canvas *c, const struct ht_traffic *t, const struct ht_scale *s);

#endif
