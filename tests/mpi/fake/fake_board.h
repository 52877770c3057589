/* SPDX-License-Identifier: MIT */
/*
 * fake_board.h: forced (gcc -include) into the tile-side files that the libmpi-host-mpbc.a
 * build compiles for the host (mpb-channels, tile-kernel/coherence.c): core addresses of the
 * MPBs and shared DRAM are translated into the board area of fakerun's shared region.
 */
#ifndef FAKE_BOARD_H
#define FAKE_BOARD_H

#include <stdint.h>

void *fake_board_ptr(uintptr_t addr);
#define TK_MPB_PTR(addr) fake_board_ptr((uintptr_t)(addr))

#endif
