// SPDX-License-Identifier: MIT
/*
 * job.c: one job on a board: load the image and boot info into each core of the job, release
 * the cores through their backends, then serve them (console output, host calls) until they
 * have all exited or one has failed, the job timed out or was interrupted; then stop every
 * core. The host sleeps on the board's doorbell futex between events, so an idle job costs
 * no host CPU.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hd_impl.h"

struct hd_job {
	uint32_t nranks;
	uint32_t *rank_core;
	hd_output_fn output;
	void *output_arg;
	double timeout_s;
	uint64_t start_ns;
	struct hd_files *files;
	int poll_ms;		/* how often to look without a doorbell (0: rely on it) */
	int abort_code;
	uint32_t abort_rank;
	struct hd_trace *trace;
	/* deadlock detection: what every rank waited for when nothing last changed */
	double deadlock_s;
	uint64_t still_since_ns;
	uint64_t still_sum;	/* a digest of wait states and message counters */
};

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const struct hd_backend *const backends[] = { &hd_backend_emu, &hd_backend_qemu };

const struct hd_backend *hd_backend_find(const char *name)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(name, backends[i]->name))
			return backends[i];
	return NULL;
}

const struct hd_backend *hd_backend_by_id(uint8_t id)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (id == backends[i]->id)
			return backends[i];
	return NULL;
}

/* "emu", "qemu", or items NAME[:A[-B][+C[-D]]...] joined by ',': an item without cores
 * names the backend of every core no other item names. Fills per-core backends. */
static int parse_backends(const char *spec, uint32_t ncores, const struct hd_backend **be)
{
	char buf[512], *save = NULL, *item;
	const struct hd_backend *deflt = NULL;

	for (uint32_t c = 0; c < ncores; c++)
		be[c] = NULL;
	if (!spec || !*spec)
		spec = "emu";
	if (strlen(spec) >= sizeof(buf))
		return hd_fail(-EINVAL, "--backend: too long");
	snprintf(buf, sizeof(buf), "%s", spec);
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(item, ':'), *rsave = NULL, *r;
		const struct hd_backend *b;

		if (colon)
			*colon = 0;
		b = hd_backend_find(item);
		if (!b)
			return hd_fail(-EINVAL, "--backend: unknown backend '%s' (known: emu, qemu)",
				       item);
		if (!colon) {
			deflt = b;
			continue;
		}
		for (r = strtok_r(colon + 1, "+", &rsave); r; r = strtok_r(NULL, "+", &rsave)) {
			char *end;
			unsigned long lo = strtoul(r, &end, 10), hi = lo;
			if (*end == '-')
				hi = strtoul(end + 1, &end, 10);
			if (end == r || *end || lo > hi || hi >= ncores)
				return hd_fail(-EINVAL, "--backend: bad core range '%s' (cores are "
					       "0..%u)", r, ncores - 1);
			for (unsigned long c = lo; c <= hi; c++)
				be[c] = b;
		}
	}
	for (uint32_t c = 0; c < ncores; c++)
		if (!be[c])
			be[c] = deflt ? deflt : &hd_backend_emu;
	return 0;
}

void hd_job_free(struct hd_board *b)
{
	if (!b->job)
		return;
	if (b->job->trace)
		hd_trace_finish(b->job->trace);
	hd_files_free(b->job->files);
	free(b->job->rank_core);
	free(b->job);
	b->job = NULL;
}

/* CPUs this process may run on (and so its core processes). */
static uint32_t host_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (uint32_t)CPU_COUNT(&set);
	return 1;
}

/* Strings of argv then envp, NUL-separated, after the boot info struct. */
static int put_strings(struct tessera_bootinfo *bi, size_t room, int argc, char *const *argv,
		       char *const *envp)
{
	char *p = (char *)bi + sizeof(*bi), *end = (char *)bi + room;

	bi->strings_off = sizeof(*bi);
	bi->argc = 0;
	bi->envc = 0;
	for (int i = 0; i < argc; i++, bi->argc++) {
		size_t n = strlen(argv[i]) + 1;
		if (n > (size_t)(end - p))
			return hd_fail(-E2BIG, "arguments too long for the boot info (%zu bytes)",
				       room);
		memcpy(p, argv[i], n);
		p += n;
	}
	for (; envp && *envp; envp++, bi->envc++) {
		size_t n = strlen(*envp) + 1;
		if (n > (size_t)(end - p))
			return hd_fail(-E2BIG, "environment too long for the boot info");
		memcpy(p, *envp, n);
		p += n;
	}
	bi->strings_bytes = (uint32_t)(p - ((char *)bi + sizeof(*bi)));
	return 0;
}

static int write_core(struct hd_board *b, uint32_t core, const struct hd_image *img,
		      const struct tessera_bootinfo *tmpl, const char *strings, size_t strings_n)
{
	char path[PATH_MAX];
	struct tessera_bootinfo bi = *tmpl;
	int fd, rc = 0;

	hd_dram_path(b, core, path);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return hd_fail(-errno, "%s: %s", path, strerror(errno));
	/* A fresh private DRAM: all zeroes, as after a power cycle. */
	if (ftruncate(fd, 0) || ftruncate(fd, (off_t)b->layout.private_bytes)) {
		rc = hd_fail(-errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	for (unsigned i = 0; i < img->nseg; i++) {
		if (pwrite(fd, img->data + img->seg[i].off, img->seg[i].filesz,
			   (off_t)img->seg[i].vaddr) != (ssize_t)img->seg[i].filesz) {
			rc = hd_fail(-EIO, "%s: cannot write the image", path);
			goto out;
		}
	}
	bi.core = core;
	bi.rank = (uint32_t)b->core[core].rank;
	bi.tile_x = tessera_core_x(&b->geom, core);
	bi.tile_y = tessera_core_y(&b->geom, core);
	bi.tile_z = tessera_core_z(&b->geom, core);
	bi.image_end = img->end;
	bi.entry = img->entry;
	if (pwrite(fd, &bi, sizeof(bi), TESSERA_ADDR_BOOTINFO) != sizeof(bi) ||
	    pwrite(fd, strings, strings_n, TESSERA_ADDR_BOOTINFO + sizeof(bi)) != (ssize_t)strings_n)
		rc = hd_fail(-EIO, "%s: cannot write the boot info", path);
out:
	close(fd);
	return rc;
}

/* Clear what a previous job may have left in the core's part of the chip. */
static void reset_core_chip(struct hd_board *b, uint32_t core)
{
	struct tessera_hostwin *hw = hd_hostwin(b, core);
	struct tessera_boardreg_core *r = hd_boardreg_core(b, core);
	uint32_t tile = tessera_core_tile(&b->geom, core), per = tessera_core_mpb_bytes(&b->geom);

	memset(&hw->status, 0, sizeof(hw->status));
	memset(&hw->console_ctl, 0, sizeof(hw->console_ctl));
	memset(&hw->stdin_ctl, 0, sizeof(hw->stdin_ctl));
	memset(&hw->trace_ctl, 0, sizeof(hw->trace_ctl));
	memset(&hw->hostcall, 0, offsetof(struct tessera_hostcall, data));
	r->irq = 0;
	r->halted = 0;
	r->wakeups = 0;
	memset(b->chip + tessera_boardreg_src_off(&b->geom, &b->layout, core), 0, TESSERA_SRC_BYTES);
	hd_crb_core(b, core)->lock = 0;
	memset(b->chip + tessera_mpb_off(&b->layout, tile) + tessera_core_z(&b->geom, core) * per,
	       0, per);
}

HD_API int hd_job_load(struct hd_board *b, const struct hd_job_opts *o)
{
	uint32_t ncores, nranks;
	const struct hd_backend **be = NULL;
	struct hd_image img[2] = { 0 };
	struct tessera_bootinfo *bi = NULL;
	struct tessera_header *h;
	struct hd_job *job = NULL;
	int rc;

	if (!b || !o || !o->image)
		return hd_fail(-EINVAL, "hd_job_load: NULL board, options or image");
	if (b->pci)
		return hd_fail(-EOPNOTSUPP, "board %s: a job needs the cores' private DRAM (image "
			       "and boot info), which a PCI board does not expose (docs/pci.md)",
			       b->dir);
	ncores = tessera_cores(&b->geom);
	nranks = o->nranks ? o->nranks : 1;
	if (nranks > ncores)
		return hd_fail(-EINVAL, "%u ranks: the board %s has only %u cores", nranks,
			       b->geom.name, ncores);
	if (o->argc < 0 || (o->argc && !o->argv))
		return hd_fail(-EINVAL, "hd_job_load: bad argc/argv");
	be = calloc(ncores, sizeof(*be));
	bi = calloc(1, TESSERA_BOOTINFO_BYTES);
	job = calloc(1, sizeof(*job));
	if (!be || !bi || !job || !(job->rank_core = calloc(nranks, sizeof(uint32_t)))) {
		rc = hd_fail(-ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = parse_backends(o->backend, ncores, be)))
		goto out;
	for (uint32_t r = 0; r < nranks; r++) {
		uint32_t c = o->cores ? o->cores[r] : r;
		if (c >= ncores) {
			rc = hd_fail(-EINVAL, "rank %u: core %u does not exist (the board has %u)", r,
				     c, ncores);
			goto out;
		}
		for (uint32_t q = 0; q < r; q++)
			if (job->rank_core[q] == c) {
				rc = hd_fail(-EINVAL, "core %u is given to ranks %u and %u", c, q, r);
				goto out;
			}
		if (b->core[c].backend && !b->core[c].ended) {
			rc = hd_fail(-EBUSY, "core %u is running: hold it in reset first", c);
			goto out;
		}
		job->rank_core[r] = c;
	}
	/* Read each image once and check it against the arch of the cores it goes to. */
	for (uint32_t r = 0; r < nranks; r++) {
		const struct hd_backend *cb = be[job->rank_core[r]];
		int i = cb->arch == TESSERA_ARCH_I386 && o->image_i386 ? 1 : 0;
		const char *path = i ? o->image_i386 : o->image;

		if (!img[i].data && (rc = hd_image_read(path, b->layout.private_bytes, &img[i])))
			goto out;
		if (img[i].arch != cb->arch) {
			rc = hd_fail(-ENOEXEC, "%s is a tile image for %s, but core %u runs on the "
				     "%s backend, which runs %s images: rebuild it with "
				     "`tessera-mpicc --arch=%s`", path, hd_arch_name(img[i].arch),
				     job->rank_core[r], cb->name, hd_arch_name(cb->arch),
				     hd_arch_name(cb->arch));
			goto out;
		}
	}
	/* The boot info every core shares; write_core fills in what is per core. */
	bi->magic = TESSERA_BOOTINFO_MAGIC;
	bi->version = TESSERA_LAYOUT_VERSION;
	bi->nranks = nranks;
	bi->host_cpus = host_cpus();
	bi->flags = o->flags | (o->trace_path ? TESSERA_BOOT_TRACE : 0);
	bi->stack_top = b->layout.private_bytes & ~(uint64_t)15;
	bi->time_base_ns = now_ns(CLOCK_MONOTONIC);
	bi->realtime_base_ns = now_ns(CLOCK_REALTIME);
	bi->geom = b->geom;
	for (uint32_t r = 0; r < nranks; r++)
		bi->rank_core[r] = (uint16_t)job->rank_core[r];
	if ((rc = put_strings(bi, TESSERA_BOOTINFO_BYTES, o->argc, o->argv, o->envp)))
		goto out;
	h = hd_header(b);
	for (uint32_t c = 0; c < ncores; c++)
		if (!b->core[c].backend || b->core[c].ended)
			b->core[c].rank = -1, h->core_rank[c] = 0xffff;
	for (uint32_t r = 0; r < nranks; r++) {
		uint32_t c = job->rank_core[r];
		const struct hd_backend *cb = be[c];
		int i = cb->arch == TESSERA_ARCH_I386 && o->image_i386 ? 1 : 0;

		if (b->core[c].backend)
			hd_core_hold(b, c);
		b->core[c].rank = (int32_t)r;
		b->core[c].backend = NULL;
		b->core[c].assigned = cb;
		snprintf(b->core[c].image, sizeof(b->core[c].image), "%s",
			 i ? o->image_i386 : o->image);
		reset_core_chip(b, c);
		h->core_backend[c] = cb->id;
		snprintf(hd_hostwin(b, c)->status.image, sizeof(hd_hostwin(b, c)->status.image),
			 "%s", b->core[c].image);
		if ((rc = write_core(b, c, &img[i], bi, (const char *)bi + sizeof(*bi),
				     bi->strings_bytes)))
			goto out;
		h->rank_core[r] = (uint16_t)c;
		h->core_rank[c] = (uint16_t)r;
	}
	h->nranks = nranks;
	h->flags = o->flags;
	h->trace_t0_ns = bi->time_base_ns;
	h->job_seq++;
	job->nranks = nranks;
	job->output = o->output;
	job->output_arg = o->output_arg;
	job->timeout_s = o->timeout_s;
	job->start_ns = bi->time_base_ns;
	job->abort_code = INT_MIN;
	job->files = hd_files_new(o->workdir, o->allow_paths, o->stdin_fd);
	job->deadlock_s = o->deadlock_s ? o->deadlock_s : 2.0;
	if (o->trace_path) {
		job->trace = hd_trace_new(o->trace_path, &b->geom, nranks, job->rank_core);
		if (!job->trace) {
			rc = hd_fail(-EIO, "--trace: %s", hd_last_error());
			goto out;
		}
	}
	for (uint32_t r = 0; r < nranks; r++)
		if (be[job->rank_core[r]]->poll_ms &&
		    (!job->poll_ms || be[job->rank_core[r]]->poll_ms < job->poll_ms))
			job->poll_ms = be[job->rank_core[r]]->poll_ms;
	if (o->log_dir)
		snprintf(b->log_dir, sizeof(b->log_dir), "%s", o->log_dir);
	hd_job_free(b);
	b->job = job;
	b->interrupted = 0;	/* an interrupt ended the job before this one, not this one */
	job = NULL;
	rc = 0;
out:
	hd_image_free(&img[0]);
	hd_image_free(&img[1]);
	if (job) {
		hd_files_free(job->files);
		if (job->trace)
			hd_trace_finish(job->trace);
		free(job->rank_core);
		free(job);
	}
	free(bi);
	free(be);
	return rc;
}

HD_API int hd_core_release(struct hd_board *b, uint32_t core)
{
	const struct hd_backend *be;
	int rc;

	if (!b || core >= tessera_cores(&b->geom))
		return hd_fail(-EINVAL, "hd_core_release: no core %u", core);
	if (b->pci)
		return hd_fail(-EOPNOTSUPP, "board %s: cores behind PCI are started by the board, "
			       "not from here (docs/pci.md)", b->dir);
	if (b->core[core].backend && !b->core[core].ended)
		return 0;	/* already running */
	be = b->core[core].assigned;
	if (b->core[core].rank < 0 || !be)
		return hd_fail(-ENOEXEC, "core %u: nothing loaded", core);
	hd_crb_core(b, core)->reset = 0;
	__atomic_store_n(&hd_hostwin(b, core)->status.state, TESSERA_CORE_BOOTING,
			 __ATOMIC_RELEASE);
	b->core[core].ended = 0;
	b->core[core].backend = be;
	rc = be->start(b, core);
	if (!rc) {
		hd_header(b)->core_pid[core] = b->core[core].pid;
		hd_header(b)->server_pid[core] = getpid();
	}
	if (rc) {
		b->core[core].backend = NULL;
		hd_crb_core(b, core)->reset = 1;
		__atomic_store_n(&hd_hostwin(b, core)->status.state, TESSERA_CORE_RESET,
				 __ATOMIC_RELEASE);
	}
	return rc;
}

HD_API int hd_core_hold(struct hd_board *b, uint32_t core)
{
	struct tessera_header *h;
	uint32_t *state;

	if (!b || core >= tessera_cores(&b->geom))
		return hd_fail(-EINVAL, "hd_core_hold: no core %u", core);
	h = hd_header(b);
	state = &hd_hostwin(b, core)->status.state;
	/* Say "reset" first, so a server watching this core takes its end for a hold. */
	if (*state == TESSERA_CORE_BOOTING || *state == TESSERA_CORE_RUNNING)
		__atomic_store_n(state, TESSERA_CORE_RESET, __ATOMIC_RELEASE);
	hd_crb_core(b, core)->reset = 1;
	if (b->core[core].backend) {
		b->core[core].backend->stop(b, core);
		b->core[core].backend = NULL;
	} else if (h->core_pid[core] > 0 && h->server_pid[core] != getpid()) {
		/* Started by another process (tessera reset --release): its server reaps it. */
		kill(h->core_pid[core], SIGKILL);
	}
	h->core_pid[core] = 0;
	h->server_pid[core] = 0;
	b->core[core].ended = 0;
	return 0;
}

HD_API int hd_job_start(struct hd_board *b, const struct hd_job_opts *o)
{
	int rc = hd_job_load(b, o);

	for (uint32_t r = 0; !rc && r < b->job->nranks; r++)
		rc = hd_core_release(b, b->job->rank_core[r]);
	if (rc && b && b->job)
		for (uint32_t r = 0; r < b->job->nranks; r++)
			hd_core_hold(b, b->job->rank_core[r]);
	return rc;
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
		int n, code = INT_MIN;

		n = hd_console_drain(&hw->console_ctl, hw->console, TESSERA_CONSOLE_BYTES,
				     console_out, &ctx);
		if (n > 0) {
			moved++;
			if (__atomic_load_n(&hw->console_ctl.waiting, __ATOMIC_SEQ_CST))
				hd_core_irq(b, c);
		}
		if (job->trace) {
			n = hd_trace_drain(job->trace, r, &hw->trace_ctl, hw->trace);
			if (n != 0 && __atomic_load_n(&hw->trace_ctl.waiting, __ATOMIC_SEQ_CST))
				hd_core_irq(b, c);
		}
		n = hd_hostcall_serve(b, c, job->files, &code);
		if (n > 0)
			moved++;
		if (code != INT_MIN && job->abort_code == INT_MIN) {
			job->abort_code = code;
			job->abort_rank = r;
		}
	}
	return moved;
}

static const char *signal_what(uint32_t sig, char *buf, size_t n)
{
	static const char *vec[] = { "divide error", "debug", "NMI", "breakpoint", "overflow",
		"bound range", "invalid opcode", "device not available", "double fault",
		"coprocessor overrun", "invalid TSS", "segment not present", "stack fault",
		"general protection fault", "page fault", "reserved", "x87 FP error",
		"alignment check", "machine check", "SIMD FP error" };

	if (sig >= 256) {
		uint32_t v = sig - 256;
		snprintf(buf, n, "%s (vector %u)", v < 20 ? vec[v] : "exception", v);
	} else {
		const char *abbrev = sigabbrev_np((int)sig);
		snprintf(buf, n, "SIG%s", abbrev ? abbrev : "?");
	}
	return buf;
}

/* The host signal a CPU exception stands for (for the exit status). */
static int vector_signal(uint32_t sig)
{
	switch (sig >= 256 ? sig - 256 : 256) {
	case 0: case 16: case 19: return SIGFPE;
	case 1: case 3: return SIGTRAP;
	case 6: return SIGILL;
	case 17: return SIGBUS;
	case 256: return (int)sig;
	default: return SIGSEGV;
	}
}

static void fill_fault(struct hd_board *b, uint32_t core, struct hd_fault *f, int pc_is_ret)
{
	struct tessera_status *st = &hd_hostwin(b, core)->status;

	memset(f, 0, sizeof(*f));
	f->core = core;
	f->rank = (uint32_t)b->core[core].rank;
	f->tile_x = tessera_core_x(&b->geom, core);
	f->tile_y = tessera_core_y(&b->geom, core);
	f->signal = st->signal;
	f->addr = st->fault_addr;
	f->pc = st->fault_pc;
	memcpy(f->reason, st->panic, sizeof(f->reason) - 1);
	if (f->pc)
		hd_symbolize(b->core[core].image, f->pc - (pc_is_ret ? 1 : 0), f->function,
			     sizeof(f->function), f->file, sizeof(f->file), &f->line);
}

/* Look at every core of the job; fills res and returns 1 when the job is over. */
static int check_cores(struct hd_board *b, struct hd_job_result *res, int *running)
{
	struct hd_job *job = b->job;

	*running = 0;
	if (job->abort_code != INT_MIN) {
		uint32_t c = job->rank_core[job->abort_rank];
		res->end = HD_END_ABORT;
		res->status = job->abort_code & 0xff;
		fill_fault(b, c, &res->fault, 0);
		snprintf(res->fault.what, sizeof(res->fault.what), "abort");
		snprintf(res->detail, sizeof(res->detail), "rank %u called MPI_Abort with error "
			 "code %d", job->abort_rank, job->abort_code);
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
		if (hc->ended && state == TESSERA_CORE_RESET) {
			/* held in reset by another command: no longer part of this job */
			hc->backend->stop(b, c);
			hc->backend = NULL;
			continue;
		}
		if (state == TESSERA_CORE_CRASHED || state == TESSERA_CORE_PANICKED) {
			res->end = state == TESSERA_CORE_CRASHED ? HD_END_CRASH : HD_END_PANIC;
			fill_fault(b, c, &res->fault, state == TESSERA_CORE_PANICKED ||
				   (st->signal < 256 && st->signal != SIGSEGV && st->signal != SIGBUS &&
				    st->signal != SIGILL && st->signal != SIGFPE));
			if (state == TESSERA_CORE_PANICKED) {
				snprintf(res->fault.what, sizeof(res->fault.what), "panic");
				res->status = 128 + SIGABRT;
			} else {
				signal_what(st->signal, res->fault.what, sizeof(res->fault.what));
				res->status = 128 + vector_signal(st->signal);
			}
			return 1;
		}
		if (state == TESSERA_CORE_EXITED && st->exit_code != 0) {
			res->end = HD_END_EXIT;
			res->status = st->exit_code & 0xff;
			snprintf(res->detail, sizeof(res->detail), "rank %u (core %u) exited with "
				 "status %d", r, c, st->exit_code);
			return 1;
		}
		if (hc->ended && state != TESSERA_CORE_EXITED) {
			/* The core's process or VM ended without saying why. */
			res->end = HD_END_CRASH;
			fill_fault(b, c, &res->fault, 0);
			if (WIFSIGNALED(hc->wstatus)) {
				res->fault.signal = (uint32_t)WTERMSIG(hc->wstatus);
				res->status = 128 + WTERMSIG(hc->wstatus);
			} else {
				res->status = WIFEXITED(hc->wstatus) ? WEXITSTATUS(hc->wstatus) : 1;
				if (!res->status)
					res->status = 1;
			}
			snprintf(res->fault.what, sizeof(res->fault.what), "%s",
				 WIFSIGNALED(hc->wstatus) ? "killed" : "lost");
			snprintf(res->fault.reason, sizeof(res->fault.reason), "the %s core ended "
				 "without an exit (%s %d)", hc->backend->name,
				 WIFSIGNALED(hc->wstatus) ? "signal" : "status",
				 WIFSIGNALED(hc->wstatus) ? WTERMSIG(hc->wstatus) :
				 WEXITSTATUS(hc->wstatus));
			return 1;
		}
		/* An exited core counts as done before its process is reaped: it has said so
		 * (and rung the doorbell) just before it ends. */
		if (state != TESSERA_CORE_EXITED)
			(*running)++;
	}
	return 0;
}

/*
 * Deadlock: every live rank waits (receive, synchronous send, or send held by flow
 * control) for another rank, and neither the wait states nor any message counter has
 * changed for deadlock_s seconds. Then the wait-for chain from the lowest waiting rank is
 * followed until it repeats, and reported. A rank that computes (waits for nothing) or any
 * message moving restarts the clock, so a slow job that progresses is never reported.
 */
static const char *wait_name(uint32_t kind)
{
	switch (kind) {
	case TESSERA_WAIT_RECV: return "waits for";
	case TESSERA_WAIT_SSEND: return "waits for a receive by";
	case TESSERA_WAIT_SEND: return "waits for room at";
	case TESSERA_WAIT_COLL: return "waits in a collective for";
	default: return "waits for";
	}
}

__attribute__((format(printf, 3, 4)))
static void append(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strnlen(buf, n);
	va_list ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

static int check_deadlock(struct hd_board *b, struct hd_job_result *res, uint64_t now)
{
	struct hd_job *job = b->job;
	uint64_t sum = 1469598103934665603ull;
	uint32_t live = 0, waiting = 0;

	if (job->deadlock_s < 0)
		return 0;
	for (uint32_t r = 0; r < job->nranks; r++) {
		uint32_t c = job->rank_core[r];
		struct tessera_status *st = &hd_hostwin(b, c)->status;
		uint32_t state = __atomic_load_n(&st->state, __ATOMIC_ACQUIRE);
		uint32_t kind = __atomic_load_n(&st->wait_kind, __ATOMIC_ACQUIRE);
		uint64_t v[] = { state, kind, st->wait_seq, (uint64_t)(uint32_t)st->wait_peer,
				 st->msgs_sent, st->msgs_recv, st->bytes_sent, st->bytes_recv };

		for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			sum = (sum ^ v[i]) * 1099511628211ull;
		if (state != TESSERA_CORE_RUNNING)
			continue;
		live++;
		if (kind == TESSERA_WAIT_RECV || kind == TESSERA_WAIT_SSEND ||
		    kind == TESSERA_WAIT_SEND || kind == TESSERA_WAIT_COLL)
			waiting++;
	}
	if (!live || waiting < live || sum != job->still_sum) {
		job->still_sum = sum;
		job->still_since_ns = now;
		return 0;
	}
	if ((double)(now - job->still_since_ns) / 1e9 < job->deadlock_s)
		return 0;

	/* Follow the chain from the first waiting rank until a rank repeats. */
	uint8_t *seen = calloc(job->nranks, 1);
	uint32_t r = 0;

	append(res->detail, sizeof(res->detail), "deadlock: ");
	for (int steps = 0; seen && steps <= (int)job->nranks; steps++) {
		struct tessera_status *st = &hd_hostwin(b, job->rank_core[r])->status;
		int32_t peer = st->wait_peer;
		char comm[32] = "MPI_COMM_WORLD";

		if (steps)
			append(res->detail, sizeof(res->detail), " -> ");
		if (st->state != TESSERA_CORE_RUNNING) {
			append(res->detail, sizeof(res->detail), "rank %u (%s)", r,
			       st->state == TESSERA_CORE_EXITED ? "exited" : "stopped");
			break;
		}
		if (seen[r]) {
			append(res->detail, sizeof(res->detail), "rank %u", r);
			break;
		}
		seen[r] = 1;
		if (st->wait_comm)
			snprintf(comm, sizeof(comm), "comm %u", st->wait_comm);
		if (peer < 0 || (uint32_t)peer >= job->nranks) {
			append(res->detail, sizeof(res->detail), "rank %u %s any rank (tag %d, %s)",
			       r, wait_name(st->wait_kind), st->wait_tag, comm);
			break;
		}
		append(res->detail, sizeof(res->detail), "rank %u %s rank %d (tag %d, %s)", r,
		       wait_name(st->wait_kind), peer, st->wait_tag, comm);
		r = (uint32_t)peer;
	}
	free(seen);
	res->end = HD_END_DEADLOCK;
	res->status = HD_STATUS_DEADLOCK;
	return 1;
}

HD_API int hd_board_set_output(struct hd_board *b, hd_output_fn fn, void *arg)
{
	if (!b)
		return hd_fail(-EINVAL, "hd_board_set_output: NULL board");
	b->output = fn;
	b->output_arg = arg;
	return 0;
}

/* A job made of the cores this process released on a board it opened (tessera reset). */
static int job_adopt(struct hd_board *b)
{
	struct hd_job *job = calloc(1, sizeof(*job));
	uint32_t n = 0;

	if (!job || !(job->rank_core = calloc(tessera_cores(&b->geom), sizeof(uint32_t)))) {
		free(job);
		return hd_fail(-ENOMEM, "out of memory");
	}
	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++)
		if (b->core[c].backend)
			job->rank_core[n++] = c;
	if (!n) {
		free(job->rank_core);
		free(job);
		return hd_fail(-EINVAL, "hd_job_wait: no core of this board runs from here");
	}
	/* Output callbacks get ranks: this job's ranks are the cores' ranks on the board. */
	job->nranks = n;
	job->output = b->output;
	job->output_arg = b->output_arg;
	job->abort_code = INT_MIN;
	job->deadlock_s = -1;	/* a partial view of the board cannot judge a deadlock */
	job->files = hd_files_new(NULL, NULL, -1);
	b->job = job;
	return 0;
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
		uint64_t now = now_ns(CLOCK_MONOTONIC);
		int wait_ms = job->poll_ms ? job->poll_ms : 100;

		if (job->deadlock_s > 0 && wait_ms > job->deadlock_s * 250)
			wait_ms = (int)(job->deadlock_s * 250) + 1;

		if ((over = check_cores(b, res, &running)))
			break;
		if (!running) {
			res->end = HD_END_EXIT;
			break;
		}
		if (check_deadlock(b, res, now))
			break;
		if (b->interrupted) {
			res->end = HD_END_INTERRUPT;
			res->status = HD_STATUS_INTERRUPT;
			snprintf(res->detail, sizeof(res->detail), "interrupted");
			break;
		}
		if (job->timeout_s > 0) {
			double left = job->timeout_s - (double)(now - job->start_ns) / 1e9;
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
	/* Stop what still runs, then take the last output and write the trace. */
	for (uint32_t r = 0; r < job->nranks; r++)
		hd_core_hold(b, job->rank_core[r]);
	serve_all(b);
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

HD_API int hd_job_report(const struct hd_job_result *res, char *buf, size_t n)
{
	const struct hd_fault *f = &res->fault;
	char where[512] = "";

	if (!res || !buf || !n)
		return hd_fail(-EINVAL, "hd_job_report: NULL argument");
	if (f->function[0] && f->file[0])
		snprintf(where, sizeof(where), " in %s (%s:%d)", f->function, f->file, f->line);
	else if (f->function[0])
		snprintf(where, sizeof(where), " in %s", f->function);
	switch (res->end) {
	case HD_END_CRASH:
		if (f->reason[0])
			snprintf(buf, n, "rank %u (core %u, tile %u,%u): %s at 0x%llx%s: %s",
				 f->rank, f->core, f->tile_x, f->tile_y, f->what,
				 (unsigned long long)f->pc, where, f->reason);
		else
			snprintf(buf, n, "rank %u (core %u, tile %u,%u): %s at 0x%llx%s",
				 f->rank, f->core, f->tile_x, f->tile_y, f->what,
				 (unsigned long long)(f->signal == SIGSEGV || f->signal == SIGBUS ||
						      f->signal == 256 + 14 ? f->addr : f->pc),
				 where);
		break;
	case HD_END_PANIC:
		snprintf(buf, n, "rank %u (core %u, tile %u,%u): panic: %s%s", f->rank, f->core,
			 f->tile_x, f->tile_y, f->reason, where);
		break;
	case HD_END_ABORT:
	case HD_END_TIMEOUT:
	case HD_END_DEADLOCK:
	case HD_END_INTERRUPT:
	case HD_END_ERROR:
		snprintf(buf, n, "%s", res->detail);
		break;
	default:
		snprintf(buf, n, "%s", res->status ? res->detail : "");
		break;
	}
	return 0;
}
