/* SPDX-License-Identifier: MIT */
/*
 * backend/qemu/ivshmem_server.c: the host as the ivshmem server of QEMU's tiles (the protocol
 * and the contract are in ivshmem_server.h). One epoll set holds the listening sockets, the
 * connections (watched only for their end: clients never send), the relay eventfd, the
 * eventfds of reserved ids without a client, and a stop eventfd; one mutex guards the peer
 * table against the host's rings and drops.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "ivshmem_server.h"

enum { K_LISTEN = 1, K_CONN, K_IDLE, K_RELAY, K_STOP };

struct peer {
	int *efd;			/* `vectors` eventfds once reserved; NULL: not reserved */
	int idle;			/* the server watches efd (no client reads it) */
	int listen_fd;			/* -1: not listening */
	int conn_fd;			/* -1: no client */
	int ready;			/* the client has been greeted */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

struct ivs_server {
	pthread_mutex_t lock;
	int shm_fd, epfd, relay_fd, stop_fd;
	uint32_t npeers, vectors;
	struct peer *peer;
};

static int watch(struct ivs_server *s, int fd, uint32_t kind, uint32_t id, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.u64 = (uint64_t)kind << 32 | id };

	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static void close_fd(struct ivs_server *s, int *fd)
{
	if (*fd >= 0) {
		epoll_ctl(s->epfd, EPOLL_CTL_DEL, *fd, NULL);
		close(*fd);
		*fd = -1;
	}
}

/* Whether the server reads id's eventfds (on) or its client does (off). */
static void set_idle(struct ivs_server *s, uint32_t id, int on)
{
	struct peer *p = &s->peer[id];

	if (p->idle == on)
		return;
	for (uint32_t v = 0; v < s->vectors; v++) {
		if (on)
			watch(s, p->efd[v], K_IDLE, id, EPOLLIN);
		else
			epoll_ctl(s->epfd, EPOLL_CTL_DEL, p->efd[v], NULL);
	}
	p->idle = on;
}

/* One message: a little-endian 64-bit number and, if fd >= 0, that descriptor. */
static int send_msg(int sock, int64_t v, int fd)
{
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	int64_t le = (int64_t)htole64((uint64_t)v);
	struct iovec iov = { &le, sizeof(le) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (fd >= 0) {
		struct cmsghdr *c;

		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(le))
		return 0;
	return n < 0 ? -errno : -EIO;
}

/* Send `id` once per vector with its eventfds (NULL: the relay's). */
static int send_id(struct ivs_server *s, int sock, uint32_t id, const int *fds)
{
	int rc = 0;

	for (uint32_t v = 0; !rc && v < s->vectors; v++)
		rc = send_msg(sock, id, fds ? fds[v] : s->relay_fd);
	return rc;
}

/* Everything a new client of id is owed, in the spec's order: 0, or a negative errno. */
static int greet(struct ivs_server *s, uint32_t id)
{
	struct peer *p = &s->peer[id];
	int rc = send_msg(p->conn_fd, IVS_PROTOCOL_VERSION, -1);

	if (!rc)
		rc = send_msg(p->conn_fd, id, -1);
	if (!rc)
		rc = send_msg(p->conn_fd, -1, s->shm_fd);
	for (uint32_t j = 0; !rc && j <= s->npeers; j++)
		if (j != id)
			rc = send_id(s, p->conn_fd, j, j < s->npeers ? s->peer[j].efd : NULL);
	if (!rc)
		rc = send_id(s, p->conn_fd, id, p->efd);
	return rc;
}

/* id's client is gone (or never came): its eventfds are the server's to watch again. */
static void hang_up(struct ivs_server *s, uint32_t id)
{
	struct peer *p = &s->peer[id];

	close_fd(s, &p->conn_fd);
	p->ready = 0;
	set_idle(s, id, 1);
}

static void on_listen(struct ivs_server *s, uint32_t id)
{
	struct peer *p = &s->peer[id];
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int c;

	if (p->listen_fd < 0)
		return;
	c = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (c < 0)
		return;
	/* Only this user's processes (the directory is private too). */
	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) || cred.uid != geteuid()) {
		close(c);
		return;
	}
	close_fd(s, &p->listen_fd);
	unlink(p->path);
	p->conn_fd = c;
	/* The client reads its eventfds from now on (QEMU drains what is pending). */
	set_idle(s, id, 0);
	if (watch(s, c, K_CONN, id, EPOLLIN | EPOLLRDHUP) || greet(s, id)) {
		hang_up(s, id);
		return;
	}
	p->ready = 1;
}

/* Clients send nothing: input is discarded, its end is the client's end. 1 if it ended. */
static int on_conn(struct ivs_server *s, uint32_t id, uint32_t events)
{
	struct peer *p = &s->peer[id];
	char buf[64];
	ssize_t n;

	if (p->conn_fd < 0)
		return 0;
	while ((n = recv(p->conn_fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		;
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) ||
	    (events & (EPOLLHUP | EPOLLRDHUP | EPOLLERR))) {
		hang_up(s, id);
		return 1;
	}
	return 0;
}

static void drain(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		;
}

int ivs_server_new(int shm_fd, uint32_t npeers, uint32_t vectors, struct ivs_server **out)
{
	struct ivs_server *s;
	int rc;

	if (shm_fd < 0 || !npeers || npeers > IVS_MAX_PEERS || !vectors ||
	    vectors > IVS_MAX_VECTORS)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->shm_fd = shm_fd;
	s->npeers = npeers;
	s->vectors = vectors;
	s->epfd = s->relay_fd = s->stop_fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	s->peer = calloc(npeers, sizeof(*s->peer));
	if (!s->peer) {
		rc = -ENOMEM;
		goto fail;
	}
	for (uint32_t i = 0; i < npeers; i++)
		s->peer[i].listen_fd = s->peer[i].conn_fd = -1;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	s->relay_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	s->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->epfd < 0 || s->relay_fd < 0 || s->stop_fd < 0) {
		rc = -errno;
		goto fail;
	}
	if ((rc = watch(s, s->relay_fd, K_RELAY, 0, EPOLLIN)) ||
	    (rc = watch(s, s->stop_fd, K_STOP, 0, EPOLLIN)))
		goto fail;
	*out = s;
	return 0;
fail:
	ivs_server_free(s);
	return rc;
}

void ivs_server_free(struct ivs_server *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; s->peer && i < s->npeers; i++) {
		struct peer *p = &s->peer[i];

		close_fd(s, &p->conn_fd);
		if (p->listen_fd >= 0) {
			close_fd(s, &p->listen_fd);
			unlink(p->path);
		}
		for (uint32_t v = 0; p->efd && v < s->vectors; v++)
			if (p->efd[v] >= 0)
				close(p->efd[v]);
		free(p->efd);
	}
	free(s->peer);
	if (s->relay_fd >= 0)
		close(s->relay_fd);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	if (s->epfd >= 0)
		close(s->epfd);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static int reserve(struct ivs_server *s, uint32_t id)
{
	struct peer *p = &s->peer[id];
	int *efd;

	if (p->efd)
		return 0;
	efd = malloc(s->vectors * sizeof(int));
	if (!efd)
		return -ENOMEM;
	for (uint32_t v = 0; v < s->vectors; v++) {
		efd[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (efd[v] < 0) {
			int rc = -errno;

			while (v--)
				close(efd[v]);
			free(efd);
			return rc;
		}
	}
	p->efd = efd;
	set_idle(s, id, 1);
	return 0;
}

int ivs_server_reserve(struct ivs_server *s, uint32_t id)
{
	int rc;

	if (id >= s->npeers)
		return -EINVAL;
	pthread_mutex_lock(&s->lock);
	rc = reserve(s, id);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int ivs_server_listen(struct ivs_server *s, uint32_t id, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct peer *p;
	int rc, fd = -1;

	if (id >= s->npeers)
		return -EINVAL;
	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	strcpy(a.sun_path, path);
	pthread_mutex_lock(&s->lock);
	p = &s->peer[id];
	if (p->listen_fd >= 0 || p->conn_fd >= 0) {
		rc = -EEXIST;
		goto out;
	}
	if ((rc = reserve(s, id)))
		goto out;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		rc = -errno;
		goto out;
	}
	if (listen(fd, 1) || (rc = watch(s, fd, K_LISTEN, id, EPOLLIN))) {
		rc = rc ? rc : -errno;
		unlink(path);
		goto out;
	}
	snprintf(p->path, sizeof(p->path), "%s", path);
	p->listen_fd = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

void ivs_server_drop(struct ivs_server *s, uint32_t id)
{
	struct peer *p;

	if (id >= s->npeers)
		return;
	pthread_mutex_lock(&s->lock);
	p = &s->peer[id];
	if (p->listen_fd >= 0) {
		close_fd(s, &p->listen_fd);
		unlink(p->path);
	}
	if (p->conn_fd >= 0)
		hang_up(s, id);
	pthread_mutex_unlock(&s->lock);
}

int ivs_server_ring(struct ivs_server *s, uint32_t id, uint32_t vector)
{
	uint64_t one = 1;
	int rc = -ENOENT;

	if (id >= s->npeers || vector >= s->vectors)
		return -ENOENT;
	pthread_mutex_lock(&s->lock);
	if (s->peer[id].efd) {
		/* EAGAIN (the count is full) still leaves the eventfd readable: rung. */
		if (write(s->peer[id].efd[vector], &one, sizeof(one)) < 0 && errno != EAGAIN)
			rc = -errno;
		else
			rc = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int ivs_server_connected(struct ivs_server *s, uint32_t id)
{
	int r;

	if (id >= s->npeers)
		return 0;
	pthread_mutex_lock(&s->lock);
	r = s->peer[id].ready;
	pthread_mutex_unlock(&s->lock);
	return r;
}

int ivs_server_wait(struct ivs_server *s, int timeout_ms)
{
	struct epoll_event ev[16];
	int n = epoll_wait(s->epfd, ev, 16, timeout_ms), ret = 0;

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < n; i++) {
		uint32_t kind = (uint32_t)(ev[i].data.u64 >> 32), id = (uint32_t)ev[i].data.u64;

		switch (kind) {
		case K_RELAY:
			drain(s->relay_fd);
			ret |= IVS_EV_RELAY;
			break;
		case K_IDLE:
			/* stale if the client came meanwhile: its count is the client's then */
			if (s->peer[id].idle) {
				for (uint32_t v = 0; v < s->vectors; v++)
					drain(s->peer[id].efd[v]);
				ret |= IVS_EV_RELAY;
			}
			break;
		case K_STOP:
			drain(s->stop_fd);
			ret |= IVS_EV_STOP;
			break;
		case K_LISTEN:
			on_listen(s, id);
			break;
		case K_CONN:
			if (on_conn(s, id, ev[i].events))
				ret |= IVS_EV_HANGUP;
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

void ivs_server_stop(struct ivs_server *s)
{
	uint64_t one = 1;

	if (write(s->stop_fd, &one, sizeof(one)) < 0)
		return;	/* only EAGAIN: a stop is already pending */
}
