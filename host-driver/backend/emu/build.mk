# SPDX-License-Identifier: MIT
# host-driver/backend/emu: every core a host process running the tile image natively.
HD_SRCS += host-driver/backend/emu/emu.c host-driver/backend/emu/debug.c
