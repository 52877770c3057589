/* SPDX-License-Identifier: MIT */
/*
 * backend/qemu/forward.c: the forwarder, what stands in for the futex wakes a VM cannot
 * make. A VM that raises an emulated core's interrupt, or that needs the host, can only set
 * a word and ring the board's doorbell (an atomic increment); nobody sleeping on a futex
 * notices. While VMs of a board run, a thread watches that doorbell, every FW_MIN_NS after a
 * ring and backing off to FW_MAX_NS while all is quiet, and on every ring wakes the host
 * (if it sleeps on the doorbell) and every halted emulated core whose interrupt is raised.
 * The thread touches only the chip (shared memory and futexes), never the host's
 * structures, so it needs no lock; it serves one board at a time, the first that starts a
 * VM; for any other board the host's own looks (qemu_poll) forward.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "hd_impl.h"
#include "qemu_impl.h"

#define FW_MIN_NS	20000L
#define FW_MAX_NS	1000000L

static struct {
	pthread_t thread;
	int started;			/* thread created, not yet joined */
	int vms;			/* VMs of fw.board not yet reaped (atomic) */
	struct hd_board *board;
} fw;

void qemu_forward_wakes(struct hd_board *b)
{
	const struct tessera_header *h = hd_header(b);

	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++) {
		struct tessera_boardreg_core *r;

		if (h->core_backend[c] != TESSERA_BACKEND_EMU)
			continue;
		r = hd_boardreg_core(b, c);
		if (__atomic_load_n(&r->irq, __ATOMIC_SEQ_CST) &&
		    __atomic_load_n(&r->halted, __ATOMIC_SEQ_CST))
			hd_core_wake(b, c);
	}
}

static void *forwarder(void *arg)
{
	struct hd_board *b = arg;
	struct tessera_boardreg_global *g = hd_boardreg_global(b);
	uint32_t seen = __atomic_load_n(&g->host_doorbell, __ATOMIC_SEQ_CST);
	long idle = FW_MIN_NS;

	prctl(PR_SET_TIMERSLACK, 1000UL);	/* the default 50 us would swamp FW_MIN_NS */
	while (__atomic_load_n(&fw.vms, __ATOMIC_SEQ_CST) > 0) {
		struct timespec ts = { 0, idle };
		uint32_t now;

		nanosleep(&ts, NULL);
		now = __atomic_load_n(&g->host_doorbell, __ATOMIC_SEQ_CST);
		if (now == seen) {
			idle = idle * 2 > FW_MAX_NS ? FW_MAX_NS : idle * 2;
			continue;
		}
		seen = now;
		idle = FW_MIN_NS;
		qemu_forward_wakes(b);
		if (__atomic_load_n(&g->host_waiting, __ATOMIC_SEQ_CST))
			syscall(SYS_futex, &g->host_doorbell, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
	return NULL;
}

int qemu_forward_vm_started(struct hd_board *b)
{
	if (fw.vms > 0 && fw.board != b)
		return 0;
	if (__atomic_fetch_add(&fw.vms, 1, __ATOMIC_SEQ_CST) == 0) {
		sigset_t all, old;

		/* Signals (Ctrl-C) stay with the host's own thread. */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		fw.board = b;
		fw.started = !pthread_create(&fw.thread, NULL, forwarder, b);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	return 1;
}

void qemu_forward_vm_ended(void)
{
	if (__atomic_sub_fetch(&fw.vms, 1, __ATOMIC_SEQ_CST) == 0 && fw.started) {
		pthread_join(fw.thread, NULL);
		fw.started = 0;
	}
}

int qemu_forward_serves(struct hd_board *b)
{
	return fw.board == b && __atomic_load_n(&fw.vms, __ATOMIC_SEQ_CST) > 0;
}
