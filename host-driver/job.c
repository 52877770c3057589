// SPDX-License-Identifier: MIT
/*
 * job.c: the life of a job on a board once it is loaded (load.c): release its cores
 * (backend.c), then serve them (console output, trace records, host calls) until they have
 * all exited or one has failed, the job timed out, was interrupted or deadlocked
 * (deadlock.c decides; this file takes the snapshots); then stop every core and write the
 * trace. The host sleeps on the board's doorbell futex between events, so an idle job costs
 * no host CPU. What a failure is called is fault.c's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "hd_impl.h"

void hd_job_destroy(struct hd_job *job)
{
	if (!job)
		return;
	if (job->trace)
		hd_trace_finish(job->trace);
	hd_record_discard(job->record);
	hd_replay_free(job->replay);
	hd_files_free(job->files);
	free(job->rank_core);
	free(job->snap);
	free(job);
}

void hd_job_free(struct hd_board *b)
{
	hd_job_destroy(b->job);
	b->job = NULL;
}

/* After a load that returned rc: release every core of the job, or hold them all again if
 * the load or a release failed. */
static int release_all(struct hd_board *b, int rc)
{
	/* all at once (the emu backend may run them in fewer processes), and an interrupt
	 * that came meanwhile undoes it */
	if (!rc && !b->interrupted)
		rc = hd_cores_release(b, b->job->rank_core, b->job->nranks);
	if (!rc && b->interrupted)
		rc = hd_fail(-EINTR, "interrupted while starting the cores");
	if (!rc)
		hd_progress(b->job->progress, b->job->progress_arg, "starting cores",
			    b->job->nranks, b->job->nranks);
	if (rc && b && b->job)
		for (uint32_t r = 0; r < b->job->nranks; r++)
			hd_core_hold(b, b->job->rank_core[r]);
	if (!rc)
		b->job->release_ns = hd_now_ns(CLOCK_MONOTONIC);
	return rc;
}

HD_API int hd_job_start(struct hd_board *b, const struct hd_job_opts *o)
{
	return release_all(b, hd_job_load(b, o));
}

HD_API int hd_job_start_apps(struct hd_board *b, const struct hd_job_opts *o,
			     const struct hd_job_app *apps, uint32_t napps)
{
	return release_all(b, hd_job_load_apps(b, o, apps, napps));
}

HD_API void hd_job_interrupt(struct hd_board *b)
{
	struct tessera_boardreg_global *g;

	if (!b)
		return;
	b->interrupted = 1;
	g = hd_boardreg_global(b);
	__atomic_fetch_add(&g->host_doorbell, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &g->host_doorbell, FUTEX_WAKE, 1, NULL, NULL, 0);
}

HD_API int hd_board_set_output(struct hd_board *b, hd_output_fn fn, void *arg)
{
	if (!b)
		return hd_fail(-EINVAL, "hd_board_set_output: NULL board");
	b->output = fn;
	b->output_arg = arg;
	return 0;
}

struct out_ctx {
	struct hd_job *job;
	uint32_t rank;
};

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void console_out(void *arg, int fd, const char *data, size_t n)
{
	struct out_ctx *c = arg;

	if (c->job->output)
		c->job->output(c->job->output_arg, c->rank, fd, data, n);
	else
		write_all(fd, data, n);
}

/* Drain consoles and serve host calls of every core of the job; returns what moved. */
static int serve_all(struct hd_board *b)
{
	struct hd_job *job = b->job;
	int moved = 0;

	for (uint32_t r = 0; r < job->nranks; r++) {
		uint32_t c = job->rank_core[r];
		struct tessera_hostwin *hw = hd_hostwin(b, c);
		struct out_ctx ctx = { job, (uint32_t)b->core[c].rank };
		int n, asked = 0, code = 0;

		n = hd_console_drain(&hw->console_ctl, hw->console, TESSERA_CONSOLE_BYTES,
				     console_out, &ctx);
		/* The core that waits for room sets `waiting`, then looks at the tail; we move
		 * the tail, then look at `waiting` (the fence orders our store before our load):
		 * one of us sees the other, so the core sleeps without a timeout. */
		if (n > 0) {
			moved++;
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (__atomic_load_n(&hw->console_ctl.waiting, __ATOMIC_SEQ_CST))
				hd_core_irq(b, c);
		}
		if (job->trace) {
			n = hd_trace_drain(job->trace, r, &hw->trace_ctl, hw->trace);
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (n != 0 && __atomic_load_n(&hw->trace_ctl.waiting, __ATOMIC_SEQ_CST))
				hd_core_irq(b, c);
		}
		if (job->record) {
			n = hd_record_drain(job->record, r, &hw->record_ctl, hw->record);
			if (n != 0 && __atomic_load_n(&hw->record_ctl.waiting, __ATOMIC_SEQ_CST))
				hd_core_irq(b, c);
		}
		n = hd_hostcall_serve(b, c, job->files, &asked, &code, console_out, &ctx);
		if (n > 0)
			moved++;
		if (asked && !job->aborted) {
			job->aborted = 1;
			job->abort_code = code;
			job->abort_rank = r;
		}
	}
	return moved;
}

/* Progress for a user who waits: the cores still booting, then the ranks running. */
static void report(struct hd_board *b)
{
	struct hd_job *job = b->job;
	uint32_t n = 0;

	if (!job->progress)
		return;
	if (job->at_main == job->nranks) {
		job->progress(job->progress_arg, "ranks running", job->nranks, 0);
		return;
	}
	for (uint32_t r = 0; r < job->nranks; r++)
		n += __atomic_load_n(&hd_hostwin(b, job->rank_core[r])->status.state,
				     __ATOMIC_ACQUIRE) >= TESSERA_CORE_RUNNING;
	job->at_main = n;
	job->progress(job->progress_arg, "cores reaching main", n, job->nranks);
}

/* Look at every core of the job; fills res and returns 1 when the job is over. */
static int check_cores(struct hd_board *b, struct hd_job_result *res, int *running)
{
	struct hd_job *job = b->job;
	int lost = -1;

	*running = 0;
	if (job->aborted) {
		hd_fault_abort(b, job->abort_rank, job->rank_core[job->abort_rank], job->abort_code,
			       res);
		return 1;
	}
	for (uint32_t r = 0; r < job->nranks; r++) {
		uint32_t c = job->rank_core[r];
		struct hd_core *hc = &b->core[c];
		struct tessera_status *st = &hd_hostwin(b, c)->status;
		uint32_t state = __atomic_load_n(&st->state, __ATOMIC_ACQUIRE);
		int ws = 0;

		if (!hc->backend)
			continue;
		if (!hc->ended && hc->backend->poll(b, c, &ws)) {
			hc->ended = 1;
			hc->wstatus = ws;
			state = __atomic_load_n(&st->state, __ATOMIC_ACQUIRE);
		}
		if (__atomic_load_n(&hd_crb_core(b, c)->reset, __ATOMIC_ACQUIRE)) {
			/* held in reset by another command (tessera reset --hold, shutdown), which
			 * asks us, who run the core, to stop it: no longer part of this job */
			hd_core_hold_ask(b, c);
			job->held++;
			continue;
		}
		/* under gdb, what the core says counts once its process has ended and gdb has
		 * been told (backend/emu/debug.c) */
		if (hc->debugger && !hc->ended) {
			(*running)++;
			continue;
		}
		if (state == TESSERA_CORE_CRASHED || state == TESSERA_CORE_PANICKED) {
			hd_fault_crash(b, c, state, res);
			return 1;
		}
		if (state == TESSERA_CORE_EXITED && st->exit_code != 0) {
			res->end = HD_END_EXIT;
			res->status = st->exit_code & 0xff;
			snprintf(res->detail, sizeof(res->detail), "rank %u (core %u) exited with "
				 "status %d", r, c, st->exit_code);
			return 1;
		}
		/* A core whose process ended without saying why is reported after the loop:
		 * a crash that another core of the same process published comes first. */
		if (hc->ended && state != TESSERA_CORE_EXITED && lost < 0)
			lost = (int)c;
		/* An exited core counts as done before its process is reaped: it has said so
		 * (and rung the doorbell) just before it ends. */
		if (state != TESSERA_CORE_EXITED)
			(*running)++;
	}
	if (lost >= 0) {
		hd_fault_lost(b, (uint32_t)lost, b->core[lost].wstatus, res);
		return 1;
	}
	return 0;
}

/* Every rank as the deadlock detector needs it, read from its host window and registers. */
static const struct hd_dl_rank *snapshot(struct hd_board *b)
{
	struct hd_job *job = b->job;

	for (uint32_t r = 0; r < job->nranks; r++) {
		uint32_t c = job->rank_core[r];
		const struct tessera_status *st = &hd_hostwin(b, c)->status;
		const struct tessera_boardreg_core *reg = hd_boardreg_core(b, c);
		struct hd_dl_rank *s = &job->snap[r];

		s->state = __atomic_load_n(&st->state, __ATOMIC_ACQUIRE);
		s->wait_kind = __atomic_load_n(&st->wait_kind, __ATOMIC_ACQUIRE);
		s->wait_seq = __atomic_load_n(&st->wait_seq, __ATOMIC_ACQUIRE);
		s->wait_peer = st->wait_peer;
		s->wait_tag = st->wait_tag;
		s->wait_comm = st->wait_comm;
		s->asleep = __atomic_load_n(&reg->asleep, __ATOMIC_ACQUIRE);
		s->irq = __atomic_load_n(&reg->irq, __ATOMIC_ACQUIRE);
		s->wakeups = reg->wakeups;
		s->msgs_sent = st->msgs_sent;
		s->bytes_sent = st->bytes_sent;
		s->msgs_recv = st->msgs_recv;
		s->bytes_recv = st->bytes_recv;
	}
	return job->snap;
}

/* A job made of the cores this process released on a board it opened (tessera reset). */
static int job_adopt(struct hd_board *b)
{
	struct hd_job *job = calloc(1, sizeof(*job));
	uint32_t n = 0;
	int rc;

	if (!job || !(job->rank_core = calloc(tessera_cores(&b->geom), sizeof(uint32_t)))) {
		free(job);
		return hd_fail(-ENOMEM, "out of memory");
	}
	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++)
		if (b->core[c].backend)
			job->rank_core[n++] = c;
	if (!n) {
		hd_job_destroy(job);
		return hd_fail(-EINVAL, "hd_job_wait: no core of this board runs from here");
	}
	/* Output callbacks get ranks: this job's ranks are the cores' ranks on the board. */
	job->nranks = n;
	job->output = b->output;
	job->output_arg = b->output_arg;
	/* deadlock detection stays off: a partial view of the board cannot judge one */
	if ((rc = hd_files_new(NULL, NULL, -1, tessera_cores(&b->geom), &job->files))) {
		hd_job_destroy(job);
		return rc;
	}
	hd_files_guard(job->files, b->dir);
	b->job = job;
	return 0;
}

/* Write the job's record: a rank that exited has a complete record, the others were cut
 * short by the job's end. A failure to write it fails a job that had succeeded. */
static void finish_record(struct hd_board *b, struct hd_job_result *res)
{
	struct hd_job *job = b->job;
	struct hd_record *rec = job->record;
	int *finished = calloc(job->nranks, sizeof(int)), rc;

	job->record = NULL;
	for (uint32_t r = 0; finished && r < job->nranks; r++)
		finished[r] = __atomic_load_n(&hd_hostwin(b, job->rank_core[r])->status.state,
					      __ATOMIC_ACQUIRE) == TESSERA_CORE_EXITED;
	res->record_entries = hd_record_entries(rec);
	rc = finished ? hd_record_finish(rec, finished, &res->record_bytes) :
			(hd_record_discard(rec), hd_fail(-ENOMEM, "--record: out of memory"));
	free(finished);
	if (rc && res->end == HD_END_EXIT && !res->status) {
		res->end = HD_END_ERROR;
		res->status = 1;
		snprintf(res->detail, sizeof(res->detail), "%s", hd_last_error());
	}
}

HD_API int hd_job_wait(struct hd_board *b, struct hd_job_result *res)
{
	struct tessera_boardreg_global *g;
	struct hd_job *job;
	int running, over = 0, rc;

	if (!b || !res)
		return hd_fail(-EINVAL, "hd_job_wait: NULL argument");
	memset(res, 0, sizeof(*res));
	if (!b->job && (rc = job_adopt(b)))
		return rc;
	job = b->job;
	g = hd_boardreg_global(b);
	while (!over) {
		uint32_t seen = __atomic_load_n(&g->host_doorbell, __ATOMIC_SEQ_CST);
		int moved = serve_all(b);
		uint64_t now = hd_now_ns(CLOCK_MONOTONIC);
		int wait_ms = job->poll_ms ? job->poll_ms : 100;

		/* look at least four times per deadlock limit */
		if (job->deadlock.limit_ns && (uint64_t)wait_ms * 4000000u > job->deadlock.limit_ns)
			wait_ms = (int)(job->deadlock.limit_ns / 4000000u) + 1;
		report(b);
		if ((over = check_cores(b, res, &running)))
			break;
		if (!running && job->held) {
			res->end = HD_END_INTERRUPT;
			res->status = HD_STATUS_INTERRUPT;
			snprintf(res->detail, sizeof(res->detail), "stopped: %u core%s held in reset by "
				 "another command (tessera reset --hold, or shutdown)", job->held,
				 job->held == 1 ? " was" : "s were");
			break;
		}
		if (!running) {
			res->end = HD_END_EXIT;
			break;
		}
		if (job->deadlock.limit_ns &&
		    hd_deadlock_step(&job->deadlock, snapshot(b), job->nranks, now, res->detail,
				     sizeof(res->detail))) {
			res->end = HD_END_DEADLOCK;
			res->status = HD_STATUS_DEADLOCK;
			break;
		}
		if (b->interrupted) {
			res->end = HD_END_INTERRUPT;
			res->status = HD_STATUS_INTERRUPT;
			snprintf(res->detail, sizeof(res->detail), "interrupted");
			break;
		}
		if (job->timeout_s > 0) {
			/* time a core was held stopped under gdb does not count (debug.c) */
			double left = job->timeout_s -
				      (double)(now - job->start_ns - hd_debug_paused_ns(b, now)) / 1e9;
			if (left <= 0) {
				res->end = HD_END_TIMEOUT;
				res->status = HD_STATUS_TIMEOUT;
				snprintf(res->detail, sizeof(res->detail), "timeout after %g s",
					 job->timeout_s);
				break;
			}
			if (left * 1000 < wait_ms)
				wait_ms = (int)(left * 1000) + 1;
		}
		if (moved)
			continue;
		__atomic_store_n(&g->host_waiting, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&g->host_doorbell, __ATOMIC_SEQ_CST) == seen) {
			struct timespec ts = { wait_ms / 1000, (wait_ms % 1000) * 1000000L };
			syscall(SYS_futex, &g->host_doorbell, FUTEX_WAIT, seen, &ts, NULL, 0);
		}
		__atomic_store_n(&g->host_waiting, 0, __ATOMIC_SEQ_CST);
	}
	/* Stop what still runs, then take the last output and write the trace. Every core's
	 * process (our child, not yet reaped, so its pid is still its own) is killed first and
	 * reaped after, so that a thousand cores die together, not one after another. */
	for (uint32_t r = 0; r < job->nranks; r++) {
		struct hd_core *hc = &b->core[job->rank_core[r]];
		if (hc->backend && !hc->ended && hc->pid > 0)
			kill(hc->pid, SIGKILL);
	}
	for (uint32_t r = 0; r < job->nranks; r++)
		hd_core_hold(b, job->rank_core[r]);
	serve_all(b);
	hd_progress(job->progress, job->progress_arg, NULL, 0, 0);
	hd_vt_summary(b, res);
	if (job->record)
		finish_record(b, res);
	if (job->trace) {
		struct hd_trace *t = job->trace;
		job->trace = NULL;
		if ((rc = hd_trace_finish(t))) {
			hd_fail(rc, "--trace: the trace could not be written: %s", strerror(-rc));
			if (res->end == HD_END_EXIT && !res->status) {
				res->end = HD_END_ERROR;
				res->status = 1;
				snprintf(res->detail, sizeof(res->detail), "%s", hd_last_error());
			}
		}
	}
	return 0;
}
