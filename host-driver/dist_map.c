// SPDX-License-Identifier: MIT
/*
 * dist_map.c: which host of a distributed board runs which tile (dist.h). Neighbouring tiles
 * should share a host, since a message between the cores of one host never touches the
 * network: by default the mesh is cut into nhosts rectangles as square as it allows, which
 * keeps the cut (the messages that cross hosts, under nearest-neighbour traffic) short.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hd_impl.h"
#include "dist.h"

/* Tiles in runs of consecutive ids: tile t on host t * nhosts / tiles. */
static void map_rows(uint32_t tiles, uint32_t nhosts, uint8_t *tile_host)
{
	for (uint32_t t = 0; t < tiles; t++)
		tile_host[t] = (uint8_t)((uint64_t)t * nhosts / tiles);
}

/*
 * hx x hy rectangles (hx * hy = nhosts, hx <= X, hy <= Y) whose sides differ least; on a tie
 * more rows of hosts (a block then holds whole rows of tiles, consecutive core ids). 0 when
 * no such cut exists.
 */
static int map_blocks(const struct tessera_geom *g, uint32_t nhosts, uint8_t *tile_host)
{
	uint32_t X = g->mesh_x, Y = g->mesh_y, hx = 0, hy = 0;
	double best = 0;

	for (uint32_t a = 1; a <= nhosts; a++) {
		uint32_t b = nhosts / a;
		double w, h, diff;

		if (a * b != nhosts || a > X || b > Y)
			continue;
		w = (double)X / a;
		h = (double)Y / b;
		diff = w > h ? w - h : h - w;
		if (!hx || diff < best || (diff == best && b > hy)) {
			hx = a;
			hy = b;
			best = diff;
		}
	}
	if (!hx)
		return 0;
	for (uint32_t y = 0; y < Y; y++)
		for (uint32_t x = 0; x < X; x++)
			tile_host[x + X * y] = (uint8_t)((y * hy / Y) * hx + x * hx / X);
	return 1;
}

/* "0-11/12-23": the tiles of each host, hosts separated by '/'. */
static int map_lists(const struct tessera_geom *g, uint32_t nhosts, const char *spec,
		     uint8_t *tile_host)
{
	uint32_t tiles = tessera_tiles(g), host = 0;
	const char *p = spec;

	memset(tile_host, 0xff, tiles);
	while (*p) {
		char *end;
		unsigned long lo, hi;

		if (*p == '/') {
			if (++host >= nhosts)
				return hd_fail(-EINVAL, "--host-map: '%s' names more than %u hosts",
					       spec, nhosts);
			p++;
			continue;
		}
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p < '0' || *p > '9')
			return hd_fail(-EINVAL, "--host-map: '%s': '%c' is not part of a tile list",
				       spec, *p);
		lo = hi = strtoul(p, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return hd_fail(-EINVAL, "--host-map: '%s': a range without its end",
					       spec);
			hi = strtoul(end + 1, &end, 10);
		}
		if (lo > hi || hi >= tiles)
			return hd_fail(-EINVAL, "--host-map: '%s': tiles %lu-%lu (the board has "
				       "tiles 0-%u)", spec, lo, hi, tiles - 1);
		for (unsigned long t = lo; t <= hi; t++) {
			if (tile_host[t] != 0xff)
				return hd_fail(-EINVAL, "--host-map: tile %lu is given twice", t);
			tile_host[t] = (uint8_t)host;
		}
		p = end;
	}
	if (host + 1 != nhosts)
		return hd_fail(-EINVAL, "--host-map: '%s' names %u hosts, the job has %u", spec,
			       host + 1, nhosts);
	for (uint32_t t = 0; t < tiles; t++)
		if (tile_host[t] == 0xff)
			return hd_fail(-EINVAL, "--host-map: tile %u is on no host", t);
	return 0;
}

int hd_dist_map(const struct tessera_geom *g, uint32_t nhosts, const char *spec,
		uint8_t *tile_host)
{
	uint32_t tiles = tessera_tiles(g);
	uint32_t seen[TESSERA_DIST_MAX_HOSTS] = { 0 };
	int rc = 0;

	if (!nhosts || nhosts > TESSERA_DIST_MAX_HOSTS)
		return hd_fail(-EINVAL, "a distributed board has 1 to %u hosts, not %u",
			       TESSERA_DIST_MAX_HOSTS, nhosts);
	if (nhosts > tiles)
		return hd_fail(-EINVAL, "%u hosts for the %u tiles of %s: every host needs a tile",
			       nhosts, tiles, g->name);
	if (!spec || !strcmp(spec, "blocks")) {
		if (!map_blocks(g, nhosts, tile_host))
			map_rows(tiles, nhosts, tile_host);
	} else if (!strcmp(spec, "rows")) {
		map_rows(tiles, nhosts, tile_host);
	} else if ((rc = map_lists(g, nhosts, spec, tile_host))) {
		return rc;
	}
	for (uint32_t t = 0; t < tiles; t++)
		seen[tile_host[t]]++;
	for (uint32_t h = 0; h < nhosts; h++)
		if (!seen[h])
			return hd_fail(-EINVAL, "--host-map: host %u has no tile", h);
	return 0;
}
