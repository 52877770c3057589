# SPDX-License-Identifier: MIT
# host-driver/backend/qemu: every core a qemu-system-i386 VM booting the i386 tile kernel.
HD_SRCS += host-driver/backend/qemu/qemu.c host-driver/backend/qemu/forward.c
