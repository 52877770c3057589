// SPDX-License-Identifier: MIT
/*
 * hostcall.c: the mailbox side of host calls. The host's loop (job.c) looks at each core's
 * mailbox; a new request is copied into the host's own memory and checked there. What
 * cannot wait is answered at once, in the loop: the standard descriptors 0-2 (the host's
 * own: fd 1 and 2 go to the job's output as the console does, reading them, seeking them or
 * asking the terminal anything is refused; isatty and fstat answer from what the host
 * learnt once, at the start of the job), an abort. Everything that touches the file system
 * (hostfile.c), and rank 0 reading the host's standard input, goes to a worker thread, so
 * that a slow file system or a user who does not type never stalls the loop: output keeps
 * flowing, timeouts, Ctrl-C and deadlock detection keep working. A worker answers the core
 * itself (result, resp_seq last, interrupt).
 *
 * Workers are made when needed, up to HD_HC_WORKERS per job; each core has at most one
 * request in flight (calls are synchronous), so no two workers serve one core at once.
 * When the job ends (hd_files_free) the workers are told to stop, from then on none touches
 * the board, and they are joined; a worker stuck in a file system call for longer than
 * HD_HC_JOIN_MS is left behind (it and the job's files are then never freed: a leak, not a
 * wait, and no write to a board that is gone).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "hd_impl.h"
#include "hostcall_impl.h"

#define HD_HC_WORKERS 4
#define HD_HC_JOIN_MS 500

struct hd_hc_core {
	uint32_t taken;		/* seq of the last request taken off the mailbox */
	uint32_t done;		/* seq of the last request answered (written by workers) */
	int seen;		/* taken and done start from the mailbox's resp_seq */
	struct hd_hc_msg *msg;	/* the request being served (made at the first call) */
};

struct hd_files {
	struct hd_fileset *fs;
	struct hd_board *board;		/* of the job, known from the first serve */
	uint32_t ncores;
	struct hd_hc_core *core;
	int stdin_fd;
	/* what the tiles are told about fds 0-2, learnt once */
	int std_tty[3];
	uint32_t std_mode[3];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint32_t *queue;		/* cores waiting for a worker, a ring of ncores */
	uint32_t qhead, qlen;		/* (a core is never in it twice) */
	int nthreads, idle;
	pthread_t thread[HD_HC_WORKERS];
	int stopping;			/* workers leave the board alone from now on */
	int wake_fd;			/* eventfd, readable once stopping */
};

/* What fds 0-2 look like: a character device or a FIFO and so on, never the host's inode. */
static void learn_std(struct hd_files *f)
{
	for (int fd = 0; fd < 3; fd++) {
		int host = fd == 0 ? f->stdin_fd : fd;
		struct stat st;

		f->std_tty[fd] = host >= 0 && isatty(host);
		f->std_mode[fd] = host >= 0 && !fstat(host, &st) ? (st.st_mode & S_IFMT) | 0600 :
							       S_IFCHR | 0600;
	}
}

int hd_files_new(const char *workdir, const char *const *allow, int stdin_fd, uint32_t ncores,
		 struct hd_files **out)
{
	struct hd_files *f = calloc(1, sizeof(*f));
	int rc;

	*out = NULL;
	if (!f)
		return hd_fail(-ENOMEM, "out of memory");
	f->wake_fd = -1;
	if ((rc = hd_fileset_new(workdir, allow, ncores, &f->fs))) {
		free(f);
		return rc;
	}
	f->ncores = ncores;
	f->stdin_fd = stdin_fd;
	f->core = calloc(ncores ? ncores : 1, sizeof(*f->core));
	f->queue = calloc(ncores ? ncores : 1, sizeof(*f->queue));
	f->wake_fd = eventfd(0, EFD_CLOEXEC);
	if (!f->core || !f->queue || f->wake_fd < 0) {
		rc = hd_fail(f->wake_fd < 0 ? -errno : -ENOMEM, "host calls: %s",
			     strerror(f->wake_fd < 0 ? errno : ENOMEM));
		hd_fileset_free(f->fs);
		free(f->core);
		free(f->queue);
		if (f->wake_fd >= 0)
			close(f->wake_fd);
		free(f);
		return rc;
	}
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	learn_std(f);
	*out = f;
	return 0;
}

void hd_files_guard(struct hd_files *f, const char *board_dir)
{
	if (f)
		hd_fileset_guard(f->fs, board_dir);
}

static void free_all(struct hd_files *f)
{
	for (uint32_t c = 0; c < f->ncores; c++)
		free(f->core[c].msg);
	hd_fileset_free(f->fs);
	free(f->core);
	free(f->queue);
	close(f->wake_fd);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	free(f);
}

void hd_files_free(struct hd_files *f)
{
	struct timespec until;
	uint64_t one = 1;
	int left = 0;

	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	f->stopping = 1;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	if (write(f->wake_fd, &one, sizeof(one)) < 0)
		left = 0;	/* an eventfd write of 1 cannot fail short of a bug */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += HD_HC_JOIN_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	for (int i = 0; i < f->nthreads; i++)
		if (pthread_timedjoin_np(f->thread[i], NULL, &until)) {
			pthread_detach(f->thread[i]);
			left++;
		}
	if (!left)
		free_all(f);
}

/* Put the answer into the core's mailbox: data, ret, then resp_seq last; wake the core.
 * Called with f->mu held by workers, by the loop alone otherwise. */
static void publish(struct hd_files *f, uint32_t core)
{
	struct tessera_hostcall *hc = &hd_hostwin(f->board, core)->hostcall;
	struct hd_hc_core *st = &f->core[core];
	struct hd_hc_msg *m = st->msg;
	uint32_t seq = st->taken;

	if (m->out_n)
		memcpy(hc->data, m->data, m->out_n);
	hc->ret = m->ret;
	__atomic_store_n(&st->done, seq, __ATOMIC_RELEASE);
	__atomic_store_n(&hc->resp_seq, seq, __ATOMIC_RELEASE);
	hd_core_irq(f->board, core);
}

/*
 * Positioned I/O through shared DRAM: the bytes move through a bounce buffer of the host's,
 * so that a file system that takes its time never holds board memory, and nothing touches
 * the board once the job stops. The range [arg[3], +arg[2]) is the tile's word: checked
 * against the board's shared DRAM. Called by a worker with f->mu held; 0, or -1 with m->ret
 * set when the request is refused.
 */
static int bulk_in(struct hd_files *f, struct hd_hc_msg *m)
{
	uint64_t where = (uint64_t)m->arg[3], total = (uint64_t)m->arg[2];
	uint64_t shared = f->board->layout.shared_bytes;

	m->bulk = NULL;
	if (!hd_hc_pio_bulk(m))
		return 0;
	if (m->arg[3] < 0 || m->arg[2] < 0 || total > TESSERA_HC_SHM_MAX || where > shared ||
	    total > shared - where) {
		m->ret = hd_wire_err(EINVAL);
		return -1;
	}
	if (!(m->bulk = malloc(total ? total : 1))) {
		m->ret = hd_wire_err(ENOMEM);
		return -1;
	}
	m->bulk_n = total;
	if (m->op == TESSERA_HC_PWRITEV)
		memcpy(m->bulk, f->board->chip + f->board->layout.shared_off + where, total);
	return 0;
}

/* The other half of bulk_in, after the call, with f->mu held and the job still running. */
static void bulk_out(struct hd_files *f, struct hd_hc_msg *m)
{
	if (!m->bulk)
		return;
	if (m->op == TESSERA_HC_PREADV && m->ret > 0 && !f->stopping)
		memcpy(f->board->chip + f->board->layout.shared_off + (uint64_t)m->arg[3], m->bulk,
		       (size_t)m->ret);
	free(m->bulk);
	m->bulk = NULL;
}

/* Rank 0 reads the host's standard input: wait for data (or for the job's end), then read
 * what is there. */
static void read_stdin(struct hd_files *f, struct hd_hc_msg *m)
{
	struct pollfd p[2] = { { .fd = f->stdin_fd, .events = POLLIN },
			       { .fd = f->wake_fd, .events = POLLIN } };
	int64_t n = m->arg[1];
	ssize_t got;

	if (n < 0 || n > TESSERA_HOSTCALL_DATA) {
		m->ret = hd_wire_err(EINVAL);
		return;
	}
	while (poll(p, 2, -1) < 0 && errno == EINTR)
		;
	if (p[1].revents) {
		m->ret = hd_wire_err(EINTR);	/* the job ends: nobody reads the answer */
		return;
	}
	got = read(f->stdin_fd, m->data, (size_t)n);
	m->ret = got < 0 ? hd_wire_err(errno) : got;
	m->out_n = got > 0 ? (uint32_t)got : 0;
}

static void *worker(void *arg)
{
	struct hd_files *f = arg;

	pthread_mutex_lock(&f->mu);
	for (;;) {
		uint32_t core;
		struct hd_hc_msg *m;

		while (!f->stopping && !f->qlen)
			pthread_cond_wait(&f->cv, &f->mu);
		if (f->stopping)
			break;
		core = f->queue[f->qhead];
		f->qhead = (f->qhead + 1) % f->ncores;
		f->qlen--;
		f->idle--;
		m = f->core[core].msg;
		if (bulk_in(f, m)) {
			pthread_mutex_unlock(&f->mu);
		} else {
			pthread_mutex_unlock(&f->mu);
			if (m->op == TESSERA_HC_READ && m->arg[0] == 0)
				read_stdin(f, m);
			else
				hd_fileset_serve(f->fs, core, m);
		}
		pthread_mutex_lock(&f->mu);
		f->idle++;
		bulk_out(f, m);
		if (f->stopping)
			break;
		publish(f, core);
		/* a core that asked again before this answer was out rang while it was busy */
		if (__atomic_load_n(&hd_hostwin(f->board, core)->hostcall.req_seq,
				    __ATOMIC_ACQUIRE) != f->core[core].taken) {
			struct tessera_boardreg_global *g = hd_boardreg_global(f->board);
			__atomic_fetch_add(&g->host_doorbell, 1, __ATOMIC_SEQ_CST);
			syscall(SYS_futex, &g->host_doorbell, FUTEX_WAKE, 1, NULL, NULL, 0);
		}
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

/* Hand the core's request to a worker, making one if there are more requests waiting than
 * idle workers. 0, or -errno if no worker can be had at all (the loop tries again later). */
static int enqueue(struct hd_files *f, uint32_t core)
{
	int rc = 0;

	pthread_mutex_lock(&f->mu);
	f->queue[(f->qhead + f->qlen++) % f->ncores] = core;
	/* one idle worker per queued request, or a new one: a request never queues behind one
	 * that may wait long (stdin) while a worker could still be made */
	if (f->qlen > (uint32_t)f->idle && f->nthreads < HD_HC_WORKERS) {
		sigset_t all, old;

		/* signals are the loop's: a worker never takes one */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		rc = -pthread_create(&f->thread[f->nthreads], NULL, worker, f);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (!rc) {
			f->nthreads++;
			f->idle++;
		}
	}
	if (f->nthreads == 0 && rc) {
		f->qlen--;	/* no worker at all: the loop tries again later */
	} else {
		rc = 0;
		pthread_cond_signal(&f->cv);
	}
	pthread_mutex_unlock(&f->mu);
	return rc;
}

/*
 * Answer a request on the standard descriptors (or an abort, or a bad descriptor) at once.
 * Returns 1 when answered (m->ret and m->out_n set), 0 when it is a worker's.
 */
static int serve_now(struct hd_files *f, int rank0, struct hd_hc_msg *m, int *abort_asked,
		     int *abort_code, void (*out)(void *, int, const char *, size_t), void *out_arg)
{
	int64_t fd = m->arg[0], n = m->arg[1];
	struct tessera_hc_stat *w;

	switch (m->op) {
	case TESSERA_HC_ABORT_JOB:
		*abort_asked = 1;
		*abort_code = (int)m->arg[0];
		m->ret = 0;
		return 1;
	case TESSERA_HC_CLOSE: case TESSERA_HC_READ: case TESSERA_HC_WRITE:
	case TESSERA_HC_LSEEK: case TESSERA_HC_FSTAT: case TESSERA_HC_ISATTY:
	case TESSERA_HC_PREADV: case TESSERA_HC_PWRITEV: case TESSERA_HC_FTRUNCATE:
	case TESSERA_HC_FSYNC: case TESSERA_HC_FALLOCATE:
		break;
	default:
		return 0;
	}
	if (fd >= 3)
		return 0;
	if (fd < 0) {
		m->ret = hd_wire_err(EBADF);
		return 1;
	}
	if (hd_hc_is_pio(m->op)) {	/* files the tile opened, never the console */
		m->ret = hd_wire_err(ESPIPE);
		return 1;
	}
	switch (m->op) {
	case TESSERA_HC_CLOSE:
		m->ret = 0;
		return 1;
	case TESSERA_HC_READ:
		if (fd == 0 && rank0 && f->stdin_fd >= 0)
			return 0;	/* may wait for the user: a worker's */
		m->ret = fd == 0 ? 0 : hd_wire_err(EBADF);	/* others read end-of-file */
		return 1;
	case TESSERA_HC_WRITE:
		if (fd == 0)
			m->ret = hd_wire_err(EBADF);
		else if (n < 0 || n > TESSERA_HOSTCALL_DATA)
			m->ret = hd_wire_err(EINVAL);
		else {
			out(out_arg, (int)fd, (const char *)m->data, (size_t)n);
			m->ret = n;
		}
		return 1;
	case TESSERA_HC_LSEEK:
		m->ret = hd_wire_err(ESPIPE);
		return 1;
	case TESSERA_HC_FSTAT:
		w = (struct tessera_hc_stat *)m->data;
		memset(w, 0, sizeof(*w));
		w->mode = fd == 0 && !rank0 ? S_IFCHR | 0600 : f->std_mode[fd];
		w->nlink = 1;
		w->blksize = 4096;
		m->out_n = sizeof(*w);
		m->ret = sizeof(*w);
		return 1;
	default:	/* TESSERA_HC_ISATTY */
		m->ret = fd == 0 && !rank0 ? 0 : f->std_tty[fd];
		return 1;
	}
}

/* Bytes of the mailbox's data a request brings along. */
static size_t data_in(const struct hd_hc_msg *m)
{
	int64_t n;

	switch (m->op) {
	case TESSERA_HC_WRITE:
		n = m->arg[1];
		break;
	case TESSERA_HC_OPEN: case TESSERA_HC_STAT: case TESSERA_HC_UNLINK:
	case TESSERA_HC_MKDIR:
		n = m->arg[0];
		break;
	default:
		n = TESSERA_HOSTCALL_DATA;	/* calls added later: bring everything */
		break;
	}
	return n < 0 ? 0 : n > TESSERA_HOSTCALL_DATA ? TESSERA_HOSTCALL_DATA : (size_t)n;
}

int hd_hostcall_serve(struct hd_board *b, uint32_t core, struct hd_files *f, int *abort_asked,
		      int *abort_code, void (*out)(void *arg, int fd, const char *data, size_t n),
		      void *out_arg)
{
	struct tessera_hostcall *hc = &hd_hostwin(b, core)->hostcall;
	struct hd_hc_core *st;
	struct hd_hc_msg *m;
	uint32_t seq;

	if (core >= f->ncores)
		return 0;
	f->board = b;
	st = &f->core[core];
	if (!st->seen) {
		st->taken = st->done = __atomic_load_n(&hc->resp_seq, __ATOMIC_ACQUIRE);
		st->seen = 1;
	}
	seq = __atomic_load_n(&hc->req_seq, __ATOMIC_ACQUIRE);
	if (seq == st->taken || __atomic_load_n(&st->done, __ATOMIC_ACQUIRE) != st->taken)
		return 0;	/* nothing new, or a worker still serves the last one */
	if (!st->msg && !(st->msg = malloc(sizeof(*st->msg))))
		return 0;
	m = st->msg;
	m->op = hc->op;
	memcpy(m->arg, hc->arg, sizeof(m->arg));
	m->ret = 0;
	m->out_n = 0;
	memcpy(m->data, hc->data, data_in(m));
	st->taken = seq;
	if (m->op == TESSERA_HC_REPLAY) {	/* --replay: the core's recorded decisions */
		m->ret = hd_replay_serve(b->job ? b->job->replay : NULL, b->core[core].rank,
					 m->arg[0], m->data, &m->out_n);
		publish(f, core);
		return 1;
	}
	if (serve_now(f, b->core[core].rank == 0, m, abort_asked, abort_code, out, out_arg)) {
		publish(f, core);
		return 1;
	}
	if (enqueue(f, core))
		st->taken = st->done;	/* not taken after all */
	return 1;
}
