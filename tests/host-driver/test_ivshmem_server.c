/* SPDX-License-Identifier: MIT */
/*
 * test_ivshmem_server.c: the host's ivshmem server (backend/qemu/ivshmem_server.c) against
 * fake clients that read the protocol as QEMU's ivshmem-doorbell device does: the greeting in
 * the spec's order, reserved peers announced with their own eventfds, the relay for every
 * other id, rings in every direction, nothing sent after a greeting (QEMU 7.2 cannot take an
 * id back), the eventfds of a peer that left read by the server, bad requests refused.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "backend/qemu/ivshmem_server.h"

#define NPEERS 4
#define HOST_ID NPEERS
#define SHM_BYTES (1u << 20)

static char dir[64];
static int shm = -1;
static struct ivs_server *srv;

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/tessera-ivs-test-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	shm = memfd_create("chip", MFD_CLOEXEC);
	cr_assert_geq(shm, 0);
	cr_assert_eq(ftruncate(shm, SHM_BYTES), 0);
	cr_assert_eq(ivs_server_new(shm, NPEERS, 1, &srv), 0);
}

static void teardown(void)
{
	ivs_server_free(srv);
	srv = NULL;
	close(shm);
	rmdir(dir);
}

TestSuite(ivshmem_server, .init = setup, .fini = teardown);

static void sock_path(uint32_t id, char *out, size_t n)
{
	snprintf(out, n, "%s/peer%u.sock", dir, id);
}

/* The server listens for id and a fake client connects; the server greets it. */
static int client(uint32_t id)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct timeval tv = { 2, 0 };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_eq(ivs_server_listen(srv, id, (sock_path(id, a.sun_path, sizeof(a.sun_path)),
						a.sun_path)), 0);
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0, "connect: %s",
		     strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (int i = 0; i < 100 && !ivs_server_connected(srv, id); i++)
		cr_assert_geq(ivs_server_wait(srv, 20), 0);
	cr_assert(ivs_server_connected(srv, id), "peer %u was not greeted", id);
	return fd;
}

/* One message as QEMU reads it: the number, and the descriptor that came with it (-1). */
static int64_t recv_msg(int sock, int *fd)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	int64_t v = 0;
	struct iovec iov = { &v, sizeof(v) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	ssize_t n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);

	cr_assert_eq(n, (ssize_t)sizeof(v), "recvmsg: %zd (%s)", n, strerror(errno));
	*fd = -1;
	c = CMSG_FIRSTHDR(&m);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return (int64_t)le64toh((uint64_t)v);
}

static void expect(int sock, int64_t want, int with_fd, int *fd_out)
{
	int fd;
	int64_t v = recv_msg(sock, &fd);

	cr_assert_eq(v, want, "got message %lld, expected %lld", (long long)v, (long long)want);
	cr_assert_eq(fd >= 0, with_fd, "message %lld: fd %d", (long long)v, fd);
	if (fd_out)
		*fd_out = fd;
	else if (fd >= 0)
		close(fd);
}

static int nothing_pending(int sock)
{
	struct pollfd p = { sock, POLLIN, 0 };

	return poll(&p, 1, 50) == 0;
}

static void ring_fd(int fd)
{
	uint64_t one = 1;

	cr_assert_eq(write(fd, &one, sizeof(one)), (ssize_t)sizeof(one));
}

/* The relay woke the server. */
static int relay_woke(void)
{
	return (ivs_server_wait(srv, 1000) & IVS_EV_RELAY) == IVS_EV_RELAY;
}

/* The eventfd has been rung (and is consumed). */
static int rung(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	uint64_t v;

	if (poll(&p, 1, 1000) != 1)
		return 0;
	return read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v);
}

/* The greeting of client id: *own, its own eventfd; to[j], the one it got for id j. */
static void greeting(int sock, uint32_t id, int *own, int to[NPEERS + 1])
{
	int shm_fd;
	struct stat st;

	expect(sock, IVS_PROTOCOL_VERSION, 0, NULL);
	expect(sock, id, 0, NULL);
	expect(sock, -1, 1, &shm_fd);
	cr_assert_eq(fstat(shm_fd, &st), 0);
	cr_assert_eq(st.st_size, SHM_BYTES, "the shared memory is the chip");
	close(shm_fd);
	for (uint32_t j = 0; j <= NPEERS; j++)
		if (j != id)
			expect(sock, j, 1, to ? &to[j] : NULL);
	expect(sock, id, 1, own);
}

/* Close what a client was given for every id but its own. */
static void close_to(int to[NPEERS + 1], uint32_t own)
{
	for (uint32_t j = 0; j <= NPEERS; j++)
		if (j != own)
			close(to[j]);
}

/* Peer 1 reserved, then clients 0 and 1 greeted, in that order. */
static void two_clients(int *c0, int *own0, int to0[NPEERS + 1], int *c1, int *own1,
			int to1[NPEERS + 1])
{
	cr_assert_eq(ivs_server_reserve(srv, 1), 0);
	*c0 = client(0);
	greeting(*c0, 0, own0, to0);
	*c1 = client(1);
	greeting(*c1, 1, own1, to1);
}

Test(ivshmem_server, greets_in_the_spec_order)
{
	int c = client(2), own;

	greeting(c, 2, &own, NULL);
	cr_assert(nothing_pending(c), "nothing after the greeting");
	close(own);
	close(c);
}

Test(ivshmem_server, ids_without_a_peer_and_the_host_are_the_relay)
{
	int c = client(1), own, to[NPEERS + 1];

	greeting(c, 1, &own, to);
	for (uint32_t j = 0; j <= NPEERS; j++) {
		if (j == 1)
			continue;
		ring_fd(to[j]);
		cr_assert(relay_woke(), "ringing id %u wakes the server", j);
		close(to[j]);
	}
	cr_assert_eq(ivs_server_wait(srv, 0), 0, "the relay's count was consumed");
	close(own);
	close(c);
}

Test(ivshmem_server, host_rings_a_peer)
{
	int c = client(3), own;

	greeting(c, 3, &own, NULL);
	cr_assert_eq(ivs_server_ring(srv, 3, 0), 0);
	cr_assert(rung(own));
	cr_assert_eq(ivs_server_ring(srv, 0, 0), -ENOENT, "0 is not reserved");
	cr_assert_eq(ivs_server_ring(srv, 3, 1), -ENOENT, "one vector only");
	cr_assert_eq(ivs_server_ring(srv, HOST_ID, 0), -ENOENT);
	close(own);
	close(c);
}

Test(ivshmem_server, reserved_peers_ring_each_other_directly)
{
	int c0, c1, own0, own1, to0[NPEERS + 1], to1[NPEERS + 1];

	cr_assert_eq(ivs_server_reserve(srv, 1), 0, "reserving twice is harmless");
	two_clients(&c0, &own0, to0, &c1, &own1, to1);
	ring_fd(to0[1]);
	cr_assert(rung(own1), "0 rings 1 (announced before 1 came)");
	ring_fd(to1[0]);
	cr_assert(rung(own0), "1 rings 0");
	cr_assert_eq(ivs_server_wait(srv, 0), 0, "the relay was not involved");
	cr_assert(nothing_pending(c0), "0 is told nothing when 1 comes");
	close_to(to0, 0);
	close_to(to1, 1);
	close(own0), close(own1), close(c0), close(c1);
}

Test(ivshmem_server, a_peer_without_its_client_rings_the_relay)
{
	int c0, own0, to0[NPEERS + 1];

	cr_assert_eq(ivs_server_reserve(srv, 2), 0);
	c0 = client(0);
	greeting(c0, 0, &own0, to0);
	ring_fd(to0[2]);
	cr_assert(relay_woke(), "2 has not come: the server reads its eventfd");
	close(own0), close(c0);
	close_to(to0, 0);
}

Test(ivshmem_server, a_hangup_leaves_the_others_untold_and_the_relay_reads)
{
	int c0, c1, own0, own1, to0[NPEERS + 1], to1[NPEERS + 1];

	two_clients(&c0, &own0, to0, &c1, &own1, to1);
	close_to(to1, 1);
	close(c1);
	close(own1);
	cr_assert_eq(ivs_server_wait(srv, 1000) & IVS_EV_HANGUP, IVS_EV_HANGUP);
	cr_assert_not(ivs_server_connected(srv, 1));
	cr_assert(nothing_pending(c0), "no disconnect message");
	ring_fd(to0[1]);
	cr_assert(relay_woke(), "1's eventfd is the server's to read again");
	close(own0), close(c0);
	close_to(to0, 0);
}

Test(ivshmem_server, a_peer_that_comes_back_has_the_same_eventfds)
{
	int c0, c1, own0, own1, to0[NPEERS + 1], to1[NPEERS + 1];

	two_clients(&c0, &own0, to0, &c1, &own1, to1);
	close_to(to1, 1);
	close(own1);
	ivs_server_drop(srv, 1);
	close(c1);
	c1 = client(1);
	greeting(c1, 1, &own1, NULL);
	ring_fd(to0[1]);
	cr_assert(rung(own1), "what 0 was given for 1 still reaches 1");
	close(own0), close(own1), close(c0), close(c1);
	close_to(to0, 0);
}

Test(ivshmem_server, a_peer_reserved_after_a_greeting_stays_the_relay_there)
{
	int c0, own0, to0[NPEERS + 1];

	c0 = client(0);
	greeting(c0, 0, &own0, to0);
	cr_assert_eq(ivs_server_reserve(srv, 3), 0);
	cr_assert(nothing_pending(c0));
	ring_fd(to0[3]);
	cr_assert(relay_woke());
	close(own0), close(c0);
	close_to(to0, 0);
}

Test(ivshmem_server, drop_closes_the_socket)
{
	char path[108];
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	sock_path(2, path, sizeof(path));
	cr_assert_eq(ivs_server_listen(srv, 2, path), 0);
	cr_assert_eq(access(path, F_OK), 0);
	ivs_server_drop(srv, 2);
	cr_assert_neq(access(path, F_OK), 0, "socket unlinked");
	strcpy(a.sun_path, path);
	cr_assert_neq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	close(fd);
	cr_assert_eq(ivs_server_listen(srv, 2, path), 0, "the id can listen again");
}

Test(ivshmem_server, bad_requests_are_refused)
{
	char path[108], longp[200];

	sock_path(1, path, sizeof(path));
	cr_assert_eq(ivs_server_listen(srv, NPEERS, path), -EINVAL, "the host's id is no peer");
	cr_assert_eq(ivs_server_reserve(srv, NPEERS), -EINVAL);
	cr_assert_eq(ivs_server_listen(srv, 1, path), 0);
	cr_assert_eq(ivs_server_listen(srv, 1, path), -EEXIST);
	memset(longp, 'x', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = 0;
	cr_assert_eq(ivs_server_listen(srv, 2, longp), -ENAMETOOLONG);
	cr_assert_eq(ivs_server_new(shm, 0, 1, &(struct ivs_server *){ NULL }), -EINVAL);
	cr_assert_eq(ivs_server_new(shm, 4, 0, &(struct ivs_server *){ NULL }), -EINVAL);
}

Test(ivshmem_server, stop_wakes_the_waiter)
{
	ivs_server_stop(srv);
	cr_assert_eq(ivs_server_wait(srv, 1000), IVS_EV_STOP);
}

Test(ivshmem_server, every_vector_gets_its_eventfd)
{
	struct ivs_server *s2;
	char path[108];
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), own[3];

	cr_assert_eq(ivs_server_new(shm, 2, 3, &s2), 0);
	snprintf(path, sizeof(path), "%s/v.sock", dir);
	cr_assert_eq(ivs_server_listen(s2, 1, path), 0);
	strcpy(a.sun_path, path);
	cr_assert_eq(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_geq(ivs_server_wait(s2, 1000), 0);
	expect(c, 0, 0, NULL);
	expect(c, 1, 0, NULL);
	expect(c, -1, 1, NULL);
	for (uint32_t j = 0; j <= 2; j++) {
		if (j == 1)
			continue;
		for (int v = 0; v < 3; v++)
			expect(c, j, 1, NULL);
	}
	for (int v = 0; v < 3; v++)
		expect(c, 1, 1, &own[v]);
	cr_assert_eq(ivs_server_ring(s2, 1, 2), 0);
	cr_assert(rung(own[2]), "vector 2's eventfd");
	cr_assert(nothing_pending(own[0]), "not vector 0's");
	for (int v = 0; v < 3; v++)
		close(own[v]);
	close(c);
	ivs_server_free(s2);
}
