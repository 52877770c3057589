/* SPDX-License-Identifier: MIT */
/*
 * qemu_impl.h: what the files of the qemu backend share (never included from outside
 * host-driver/backend/qemu/): the forwarder of wakes (forward.c) that qemu.c drives.
 * All from the host's one serving thread.
 */
#ifndef QEMU_IMPL_H
#define QEMU_IMPL_H

#include <stdint.h>

struct hd_board;

/* How often qemu_poll forwards itself for a board the forwarder does not serve (ns). */
#define QEMU_POLL_FORWARD_NS	1000000u

/* A VM of b has started: returns 1 if the forwarder (started now if need be) counts it,
 * 0 if it serves another board. Each 1 is to be matched by one qemu_forward_vm_ended. */
int qemu_forward_vm_started(struct hd_board *b);
/* A counted VM has ended; after the last one the forwarder thread is joined. */
void qemu_forward_vm_ended(void);
/* Whether the forwarder runs for b. */
int qemu_forward_serves(struct hd_board *b);
/* Futex-wake every halted emulated core of b whose interrupt is raised. */
void qemu_forward_wakes(struct hd_board *b);

#endif
