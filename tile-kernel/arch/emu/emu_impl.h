/* SPDX-License-Identifier: MIT */
/*
 * emu_impl.h: what the files of the emu tile arch (tile-kernel/arch/emu/) share, never
 * included from outside it. Safe to include from assembly.
 */
#ifndef TK_EMU_IMPL_H
#define TK_EMU_IMPL_H

#define EMU_NOTE_ABI	3		/* TESSERA_ABI_VERSION (checked in hal.c) */

#endif
