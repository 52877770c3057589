/* SPDX-License-Identifier: MIT */
/*
 * raster.h: a small RGB raster for the host tools' pictures: filled rectangles, frames, text
 * in a 5x7 font, and writing the raster as a PNG (libpng encodes). Knows nothing of boards.
 */
#ifndef HT_RASTER_H
#define HT_RASTER_H

#include <stddef.h>
#include <stdint.h>

struct rgb {
	uint8_t r, g, b;
};

struct canvas {
	int w, h;
	uint8_t *px;	/* RGB rows, top to bottom */
};

/* A w x h canvas filled with bg; 0 or -ENOMEM. ht_canvas_free frees its pixels. */
int ht_canvas_new(struct canvas *c, int w, int h, struct rgb bg);
void ht_canvas_free(struct canvas *c);
/* A rectangle, clipped to the canvas. */
void ht_fill(struct canvas *c, int x0, int y0, int w, int h, struct rgb col);
/* The border of a rectangle, t px thick. */
void ht_frame(struct canvas *c, int x0, int y0, int w, int h, int t, struct rgb col);
/*
 * Text with its top left corner at (x, y): a character is 6 * scale px wide, 8 * scale high;
 * characters the font lacks are drawn as '?'. Cut off at max_w px (0: no limit). Returns
 * the width drawn.
 */
int ht_text(struct canvas *c, int x, int y, int scale, int max_w, struct rgb col, const char *s);
/* Write c to path as an 8-bit RGB PNG; 0, or a negative errno value with why filled (the
 * file is removed then). */
int ht_png_write(const struct canvas *c, const char *path, char *why, size_t n);

#endif
