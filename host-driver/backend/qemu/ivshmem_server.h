/* SPDX-License-Identifier: MIT */
/*
 * ivshmem_server.h: the server side of QEMU's ivshmem client-server protocol (QEMU's
 * docs/specs/ivshmem-spec.rst), which Debian does not ship as a program. Every QEMU tile's
 * ivshmem-doorbell device is a client; the server hands it the shared memory (the chip) and
 * the eventfds through which peers interrupt each other. Generic: it knows peer ids, not cores
 * or boards (backend/qemu/relay.c gives it those).
 *
 * The host decides the ids: a client connects to a UNIX socket that ivs_server_listen made for
 * one id, so no pid or connection order is involved. Ids below `npeers` are peers; the id
 * `npeers` is the host's. An id is reserved (ivs_server_reserve, or by listening) before its
 * client comes: its eventfds exist from then on, for the server's life. A new client is
 * greeted with every other id at once: a reserved id with its own eventfds (whether or not its
 * client has come yet), any other id (an emulated core, the host) with the relay, one eventfd
 * of the server's own. Ringing the relay wakes the server (ivs_server_wait returns
 * IVS_EV_RELAY), which passes the wake on; so does ringing a reserved id whose client is not
 * connected (not yet, or no more), because the server watches such an id's eventfds itself.
 *
 * Nothing is sent to a client after its greeting, unlike QEMU's example server, which sends
 * connect and disconnect notifications as peers come and go: QEMU 7.2's device frees a peer's
 * eventfd array on a disconnect and writes into it on the next connect of that id (a
 * use-after-free that crashes it), and ids here are cores, which come back. Instead an id's
 * eventfds never change, and a ring for a peer that is gone is the relay's (above); an id
 * reserved after a client's greeting stays the relay's for that client.
 *
 * Messages are 8-byte little-endian signed numbers, some with one file descriptor
 * (SCM_RIGHTS). To a new client, in order: the protocol version (0), its id, -1 with the
 * shared memory, then every other id with its eventfds (one message per vector), then its own
 * id with its own eventfds (to be woken through). Sends never block: a client that cannot
 * take them is dropped.
 *
 * Threads: one thread calls ivs_server_wait; any thread may call the others (an internal
 * mutex orders them). Every descriptor is close-on-exec.
 */
#ifndef IVSHMEM_SERVER_H
#define IVSHMEM_SERVER_H

#include <stdint.h>

#define IVS_PROTOCOL_VERSION	0
#define IVS_MAX_VECTORS		64u
#define IVS_MAX_PEERS		65535u	/* the Doorbell register's 16 bits of peer id */

/* What ivs_server_wait saw (a mask). */
#define IVS_EV_RELAY	1	/* the relay, or a peer without client, was rung (read) */
#define IVS_EV_HANGUP	2	/* a client went away */
#define IVS_EV_STOP	4	/* ivs_server_stop was called */

struct ivs_server;

/* A server for peers 0..npeers-1 with `vectors` interrupt vectors each; shm_fd (not taken
 * over) is sent to every client. 0 and *out, or a negative errno value. */
int ivs_server_new(int shm_fd, uint32_t npeers, uint32_t vectors, struct ivs_server **out);
/* Close every connection, socket (unlinking its path) and descriptor, and free s. */
void ivs_server_free(struct ivs_server *s);
/* Make peer id's eventfds now (nothing if it has them): clients greeted from now on are
 * given them for id. 0, -EINVAL (id >= npeers) or a negative errno value. */
int ivs_server_reserve(struct ivs_server *s, uint32_t id);
/* Reserve id and listen at `path` (which must not exist) for its client. -EEXIST if id
 * already listens or has a client, -ENAMETOOLONG if path does not fit a UNIX socket address. */
int ivs_server_listen(struct ivs_server *s, uint32_t id, const char *path);
/* Close id's socket and connection; it stays reserved, its rings now the relay's. */
void ivs_server_drop(struct ivs_server *s, uint32_t id);
/* Interrupt peer id on vector v, as another peer would: 0, or -ENOENT (id not reserved). */
int ivs_server_ring(struct ivs_server *s, uint32_t id, uint32_t vector);
/* Whether peer id's client is connected and has been sent everything (1) or not (0). */
int ivs_server_connected(struct ivs_server *s, uint32_t id);
/* Wait up to timeout_ms (-1: no limit) and handle what came (connections, hangups); returns a
 * mask of IVS_EV_* (0 on timeout), or a negative errno value. */
int ivs_server_wait(struct ivs_server *s, int timeout_ms);
/* Make the waiting thread's ivs_server_wait return IVS_EV_STOP (now or at its next call). */
void ivs_server_stop(struct ivs_server *s);

#endif
