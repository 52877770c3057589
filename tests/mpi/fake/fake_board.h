/* SPDX-License-Identifier: MIT */
/*
 * fake_board.h: forced (gcc -include) into the tile-side files that the libmpi-host-mpbc.a
 * build compiles for the host (mpb-channels, tile-kernel/coherence.c): core addresses of the
 * MPBs and shared DRAM are translated into the board area of fakerun's shared region.
 */
#ifndef FAKE_BOARD_H
#define FAKE_BOARD_H

/* No header here: forced in first, it would fix the C library's feature macros before the
 * file's own _GNU_SOURCE. (unsigned long is uintptr_t on the host.) */
void *fake_board_ptr(unsigned long addr);
#define TK_MPB_PTR(addr) fake_board_ptr((unsigned long)(addr))

#endif
