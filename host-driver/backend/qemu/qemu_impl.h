/* SPDX-License-Identifier: MIT */
/*
 * qemu_impl.h: what the files of the qemu backend share (never included from outside
 * host-driver/backend/qemu/): the relay of wakes and the ivshmem server around a board's VMs
 * (relay.c), which qemu.c drives. From the host's thread, but for qemu_relay_ring.
 */
#ifndef QEMU_IMPL_H
#define QEMU_IMPL_H

#include <stddef.h>
#include <stdint.h>

struct hd_board;

/* Longest path of a UNIX socket (sun_path, with its NUL). */
#define QEMU_SOCK_PATH_MAX	108u

/* The VM of `core` is about to start: starts the board's ivshmem server and relay threads if
 * this is its first VM, listens for the VM's doorbell device and marks the core as one whose
 * wakes the host relays. *sock (n bytes): the socket QEMU's chardev connects to. 0 or a
 * negative errno value (explained with hd_fail). Each 0 is to be matched by one
 * qemu_relay_remove. */
int qemu_relay_add(struct hd_board *b, uint32_t core, char *sock, size_t n);
/* The VM of `core` is gone: its peer is dropped; after the board's last VM the threads and the
 * server end. */
void qemu_relay_remove(struct hd_board *b, uint32_t core);
/* Interrupt the VM of `core` through its doorbell (nothing if it has none). Any thread (a
 * host-call worker answers a core itself). */
void qemu_relay_ring(struct hd_board *b, uint32_t core);

#endif
