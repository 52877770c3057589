/* SPDX-License-Identifier: MIT */
/*
 * tile.h: what a tile program may ask of the tile kernel about where it runs. Tile side only
 * (build with tessera-mpicc). MPI programs need none of it; it is for tile-aware programs.
 */
#ifndef TESSERA_TILE_H
#define TESSERA_TILE_H

#include <stdint.h>
#include "tessera/board.h"

const struct tessera_geom *tessera_geom(void);	/* the board's geometry */
uint32_t tessera_core(void);			/* this core's id */
uint32_t tessera_tile_x(void);			/* this core's tile */
uint32_t tessera_tile_y(void);
uint32_t tessera_rank(void);			/* rank in the job */
uint32_t tessera_nranks(void);			/* ranks in the job */
uint32_t tessera_rank_core(uint32_t rank);	/* core of a rank */
uint64_t tessera_time_ns(void);			/* ns since the job started, on every core alike */

#endif
