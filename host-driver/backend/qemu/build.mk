# SPDX-License-Identifier: MIT
# host-driver/backend/qemu: every core a qemu-system-i386 VM booting the i386 tile kernel; the host
# is the VMs' ivshmem server and relays wakes between their doorbells and the futexes.
HD_SRCS += host-driver/backend/qemu/qemu.c host-driver/backend/qemu/relay.c \
	host-driver/backend/qemu/ivshmem_server.c
