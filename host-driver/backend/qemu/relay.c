/* SPDX-License-Identifier: MIT */
/*
 * backend/qemu/relay.c: what joins a board's QEMU tiles to its other sleepers. A VM sleeps in
 * `hlt` and is woken by an MSI-X interrupt of its ivshmem-doorbell device; an emulated core and
 * the host sleep on futexes in the chip. Neither side can reach the other's, so the host is the
 * VMs' ivshmem server (ivshmem_server.c) and passes wakes across, with two threads per board
 * that sleep while nothing happens (an idle board costs no host CPU):
 *
 *  - the server thread waits on the server: connections, hangups, and the relay eventfd that
 *    a VM rings through the peer id of an emulated core or of the host (board.h), or of a VM
 *    that is not (or no more) connected. It then futex-wakes every halted emulated core whose
 *    interrupt is raised, rings every such VM, wakes the host if it sleeps, and answers the
 *    VMs' clock requests (below);
 *  - the bell thread sleeps on the board's vm_bell futex, which an emulated core bumps after it
 *    raised the interrupt of a VM (boardreg `relay`), and rings the doorbell of every halted
 *    VM whose interrupt is raised.
 *
 * A VM rings another VM's doorbell itself (QEMU writes the target's eventfd), and the host
 * rings a VM through qemu_relay_ring (console drained, host call answered).
 *
 * The clock: a VM's TSC is the host's TSC minus a constant (QEMU's TCG reads the host's
 * counter), and its rate is the host's. A VM asks for the host's CLOCK_MONOTONIC a few times
 * at boot and keeps the exchange with the shortest round trip; with the answer goes the host's
 * TSC rate, measured by the host between the board's first VM and the answer (a span of
 * 0.1 s or more). So VM clocks agree with the host's to within that round trip, and the host
 * does nothing for it afterwards.
 *
 * Board state lives in b->qemu; everything here runs on the host's thread but the two threads
 * and qemu_relay_ring, which host-call workers call too (their answers wake cores): that and
 * the board state's end hold `relay_lock`. The threads read the chip and the header (input,
 * checked only for what they do: a futex wake or a ring more or less is harmless) and call
 * the server, which has its own lock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>
#include "hd_impl.h"
#include "ivshmem_server.h"
#include "qemu_impl.h"

/* After answering a clock request, look for the next round this long before sleeping (a VM
 * rings for a round only when it is not answered within 100 us: arch/i386/timer.c). */
#define CLOCK_SPIN_NS	200000u
/* A host (TSC, ns) pair read across a preemption is read again. */
#define PAIR_MAX_TICKS	20000u

/* Orders qemu_relay_ring (any thread) against the end of a board's relay state. */
static pthread_mutex_t relay_lock = PTHREAD_MUTEX_INITIALIZER;

struct qemu_board {
	struct hd_board *b;
	struct ivs_server *srv;
	pthread_t server, bell;
	int threads;			/* both threads run */
	int vms;			/* VMs with a peer id (host thread only) */
	int stopping;			/* atomic: the threads end */
	char sockdir[PATH_MAX];		/* where the VMs' sockets are */
	int own_sockdir;		/* a private directory made for them */
	int tsc_ok;			/* the host's TSC is constant-rate */
	uint64_t tsc0, ns0;		/* where the TSC rate is measured from */
};

static void futex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The host's TSC and CLOCK_MONOTONIC at one moment (best of a few reads). */
static void host_pair(uint64_t *tsc, uint64_t *ns)
{
	for (int i = 0; i < 5; i++) {
		uint64_t a = __rdtsc(), n = mono_ns(), b = __rdtsc();

		*tsc = a + (b - a) / 2;
		*ns = n;
		if (b - a < PAIR_MAX_TICKS)
			return;
	}
}

/* A constant-rate TSC (so QEMU's guest TSC, the host's minus a constant, measures time). */
static int tsc_constant(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	int ok = 0;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5)) {
			ok = strstr(line, " constant_tsc") != NULL;
			break;
		}
	if (f)
		fclose(f);
	return ok;
}

/* Host ns per TSC tick, 32.32 fixed point, measured since the board's first VM (0: unknown). */
static uint64_t tsc_mult(const struct qemu_board *q, uint64_t tsc, uint64_t ns)
{
	if (!q->tsc_ok || tsc <= q->tsc0 || ns <= q->ns0)
		return 0;
	return (uint64_t)(((unsigned __int128)(ns - q->ns0) << 32) / (tsc - q->tsc0));
}

/* Answer every pending clock request; returns how many. */
static int answer_clocks(struct hd_board *b, struct qemu_board *q)
{
	int n = 0;

	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++) {
		struct tessera_boardreg_core *r = hd_boardreg_core(b, c);
		uint32_t seq = __atomic_load_n(&r->clock_req, __ATOMIC_ACQUIRE);
		uint64_t tsc, ns;

		if (seq == __atomic_load_n(&r->clock_resp, __ATOMIC_RELAXED))
			continue;
		host_pair(&tsc, &ns);
		r->clock_ns = ns;
		r->clock_mult = tsc_mult(q, tsc, ns);
		__atomic_store_n(&r->clock_resp, seq, __ATOMIC_RELEASE);
		ivs_server_ring(q->srv, c, TESSERA_DOORBELL_VECTOR);	/* it may have halted */
		n++;
	}
	return n;
}

/* Wake every halted core of the board whose interrupt is raised: a VM through its doorbell,
 * an emulated core through its runner (hd_core_wake) (`vms`: only VMs). */
static void wake_raised(struct hd_board *b, struct qemu_board *q, int vms)
{
	const struct tessera_header *h = hd_header(b);

	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++) {
		struct tessera_boardreg_core *r = hd_boardreg_core(b, c);
		int vm = h->core_backend[c] == TESSERA_BACKEND_QEMU;

		if ((vm || !vms) && __atomic_load_n(&r->irq, __ATOMIC_SEQ_CST) &&
		    __atomic_load_n(&r->halted, __ATOMIC_SEQ_CST)) {
			if (vm)
				ivs_server_ring(q->srv, c, TESSERA_DOORBELL_VECTOR);
			else
				hd_core_wake(b, c);
		}
	}
}

/* A VM rang the relay: wake the cores and the host that have something to do. */
static void relay_pass(struct hd_board *b, struct qemu_board *q)
{
	struct tessera_boardreg_global *g = hd_boardreg_global(b);
	uint64_t until;

	wake_raised(b, q, 0);
	if (__atomic_load_n(&g->host_waiting, __ATOMIC_SEQ_CST))
		futex_wake(&g->host_doorbell);
	/* A VM asks for the clock a few times in a row: catch the next round without a wake. */
	if (answer_clocks(b, q))
		for (until = mono_ns() + CLOCK_SPIN_NS; mono_ns() < until;)
			if (answer_clocks(b, q))
				until = mono_ns() + CLOCK_SPIN_NS;
}

static void *server_main(void *arg)
{
	struct qemu_board *q = arg;
	struct hd_board *b = q->b;
	struct tessera_boardreg_global *g = hd_boardreg_global(b);

	for (;;) {
		int ev = ivs_server_wait(q->srv, -1);

		if (ev < 0 || (ev & IVS_EV_STOP) || __atomic_load_n(&q->stopping, __ATOMIC_ACQUIRE))
			break;
		if (ev & IVS_EV_HANGUP) {	/* a VM died: let the host see it now */
			__atomic_fetch_add(&g->host_doorbell, 1, __ATOMIC_SEQ_CST);
			futex_wake(&g->host_doorbell);
		}
		if (ev & IVS_EV_RELAY)
			relay_pass(b, q);
	}
	return NULL;
}

static void *bell_main(void *arg)
{
	struct qemu_board *q = arg;
	struct hd_board *b = q->b;
	struct tessera_boardreg_global *g = hd_boardreg_global(b);
	uint32_t seen = __atomic_load_n(&g->vm_bell, __ATOMIC_SEQ_CST);

	while (!__atomic_load_n(&q->stopping, __ATOMIC_ACQUIRE)) {
		syscall(SYS_futex, &g->vm_bell, FUTEX_WAIT, seen, NULL, NULL, 0);
		/* Read before looking: a bell rung during the look is not slept through. */
		seen = __atomic_load_n(&g->vm_bell, __ATOMIC_SEQ_CST);
		wake_raised(b, q, 1);
	}
	return NULL;
}

/* Stop q's threads and free it; b->qemu is no more (q may not have been published yet). */
static void board_free(struct hd_board *b, struct qemu_board *q)
{
	if (!q)
		return;
	if (q->threads) {
		struct tessera_boardreg_global *g = hd_boardreg_global(b);

		__atomic_store_n(&q->stopping, 1, __ATOMIC_RELEASE);
		ivs_server_stop(q->srv);
		__atomic_fetch_add(&g->vm_bell, 1, __ATOMIC_SEQ_CST);
		futex_wake(&g->vm_bell);
		pthread_join(q->server, NULL);
		pthread_join(q->bell, NULL);
	}
	pthread_mutex_lock(&relay_lock);
	if (b->qemu == q)
		b->qemu = NULL;
	pthread_mutex_unlock(&relay_lock);
	ivs_server_free(q->srv);
	if (q->own_sockdir)
		rmdir(q->sockdir);
	free(q);
}

/* The server, its socket directory and its threads, for the board's first VM. */
static int board_start(struct hd_board *b)
{
	struct qemu_board *q = calloc(1, sizeof(*q));
	sigset_t all, old;
	int rc;

	if (!q)
		return hd_fail(-ENOMEM, "out of memory");
	q->b = b;
	q->tsc_ok = tsc_constant();
	host_pair(&q->tsc0, &q->ns0);
	/* A UNIX socket's path is short: the board's directory if it fits, else a private one. */
	snprintf(q->sockdir, sizeof(q->sockdir), "%s", b->dir);
	if (strlen(q->sockdir) + sizeof("/qemu-core0000.sock") > QEMU_SOCK_PATH_MAX) {
		snprintf(q->sockdir, sizeof(q->sockdir), "/tmp/tessera-ivshmem-XXXXXX");
		if (!mkdtemp(q->sockdir)) {
			rc = hd_fail(-errno, "qemu backend: cannot make a directory for the doorbell "
				     "sockets: %s", strerror(errno));
			goto fail;
		}
		q->own_sockdir = 1;
	}
	rc = ivs_server_new(b->chip_fd, tessera_cores(&b->geom), 1, &q->srv);
	if (rc) {
		hd_fail(rc, "qemu backend: ivshmem server: %s", strerror(-rc));
		goto fail;
	}
	/* Every VM of the job has its peer id from the start, so each VM is greeted with every
	 * other's eventfds, whichever connects first (the header says which cores they are). */
	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++)
		if (hd_header(b)->core_backend[c] == TESSERA_BACKEND_QEMU &&
		    (rc = ivs_server_reserve(q->srv, c))) {
			hd_fail(rc, "qemu backend: ivshmem server: %s", strerror(-rc));
			goto fail;
		}
	/* Signals (Ctrl-C) stay with the host's own thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = -pthread_create(&q->server, NULL, server_main, q);
	if (!rc && (rc = -pthread_create(&q->bell, NULL, bell_main, q))) {
		ivs_server_stop(q->srv);
		pthread_join(q->server, NULL);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		hd_fail(rc, "qemu backend: cannot start the relay threads: %s", strerror(-rc));
		goto fail;
	}
	q->threads = 1;
	pthread_mutex_lock(&relay_lock);
	b->qemu = q;
	pthread_mutex_unlock(&relay_lock);
	return 0;
fail:
	board_free(b, q);
	return rc;
}

int qemu_relay_add(struct hd_board *b, uint32_t core, char *sock, size_t n)
{
	struct qemu_board *q;
	int rc;

	if (!b->qemu && (rc = board_start(b)))
		return rc;
	q = b->qemu;
	snprintf(sock, n, "%s/qemu-core%04u.sock", q->sockdir, core);
	unlink(sock);		/* left by a host that was killed */
	rc = ivs_server_listen(q->srv, core, sock);
	if (rc) {
		hd_fail(rc, "qemu backend: core %u: doorbell socket %s: %s", core, sock,
			strerror(-rc));
		if (!q->vms)
			board_free(b, q);
		return rc;
	}
	q->vms++;
	__atomic_store_n(&hd_boardreg_core(b, core)->relay, 1, __ATOMIC_SEQ_CST);
	return 0;
}

void qemu_relay_remove(struct hd_board *b, uint32_t core)
{
	struct qemu_board *q = b->qemu;

	if (!q)
		return;
	__atomic_store_n(&hd_boardreg_core(b, core)->relay, 0, __ATOMIC_SEQ_CST);
	ivs_server_drop(q->srv, core);
	if (--q->vms == 0)
		board_free(b, q);
}

void qemu_relay_ring(struct hd_board *b, uint32_t core)
{
	pthread_mutex_lock(&relay_lock);
	if (b->qemu)
		ivs_server_ring(((struct qemu_board *)b->qemu)->srv, core, TESSERA_DOORBELL_VECTOR);
	pthread_mutex_unlock(&relay_lock);
}
