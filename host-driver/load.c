// SPDX-License-Identifier: MIT
/*
 * load.c: loading a job onto a board: check the ranks' cores and the images against the
 * backends that will run them, clear what a previous job left in each core's part of the
 * chip, write the image and the boot info into each core's private DRAM, and record the
 * job in the board header. The cores stay in reset (backend.c releases them); the job is
 * then served by job.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hd_impl.h"

/* CPUs this process may run on (and so its core processes). */
uint32_t hd_host_cpus(void)
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

/* What a core's fds 0-2 are (boot info): 1 and 2 as the host has them, 0 as stdin_fd for
 * rank 0; every other rank reads end-of-file on fd 0, as from /dev/null. */
static void stdio_fill(struct tessera_bootinfo *bi, int stdin_fd)
{
	struct stat st;

	bi->stdio_tty = 0;
	for (int fd = 0; fd < 3; fd++) {
		int host = fd ? fd : stdin_fd;

		bi->stdio_mode[fd] = S_IFCHR | 0666;
		if (host < 0)
			continue;
		if (fstat(host, &st) == 0)
			bi->stdio_mode[fd] = st.st_mode;
		if (isatty(host))
			bi->stdio_tty |= 1u << fd;
	}
}

static int write_core(struct hd_board *b, uint32_t core, const struct hd_image *img,
		      const struct tessera_bootinfo *tmpl, const char *strings, size_t strings_n)
{
	char path[PATH_MAX];
	struct tessera_bootinfo bi = *tmpl;
	uint8_t *seg = NULL;
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
	/* A position-independent image's text is in the board's text file (write_text); its
	 * data, relocated for this core's view base, is this core's own. */
	b->core[core].view = img->pie ? hd_view_base(core) : 0;
	for (unsigned i = 0; i < img->nseg; i++) {
		const uint8_t *src = img->data + img->seg[i].off;
		ssize_t put;

		if (img->pie && !img->seg[i].writable)
			continue;
		if (img->pie) {
			if (!(seg = realloc(seg, img->seg[i].filesz + 1))) {
				rc = hd_fail(-ENOMEM, "out of memory");
				goto out;
			}
			hd_image_segment(img, i, b->core[core].view, seg);
			src = seg;
		}
		put = pwrite(fd, src, img->seg[i].filesz, (off_t)img->seg[i].vaddr);
		if (put != (ssize_t)img->seg[i].filesz) {
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
	if (bi.rank != 0) {
		bi.stdio_mode[0] = S_IFCHR | 0666;
		bi.stdio_tty &= ~1u;
	}
	bi.entry = img->entry;
	if (pwrite(fd, &bi, sizeof(bi), TESSERA_ADDR_BOOTINFO) != sizeof(bi) ||
	    pwrite(fd, strings, strings_n, TESSERA_ADDR_BOOTINFO + sizeof(bi)) != (ssize_t)strings_n)
		rc = hd_fail(-EIO, "%s: cannot write the boot info", path);
out:
	free(seg);
	close(fd);
	return rc;
}

/* The read-only segments of a position-independent image into the board's text file of its
 * slot, once for every core that runs it. */
static int write_text(struct hd_board *b, uint32_t slot, const struct hd_image *img)
{
	struct hd_host_image *hi = &b->host->images[slot];
	char path[PATH_MAX];
	int fd, rc = 0;

	hd_text_path(b, slot, path);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return hd_fail(-errno, "%s: %s", path, strerror(errno));
	for (unsigned i = 0; i < img->nseg && !rc; i++)
		if (!img->seg[i].writable &&
		    pwrite(fd, img->data + img->seg[i].off, img->seg[i].filesz,
			   (off_t)(img->seg[i].vaddr - img->text_lo)) != (ssize_t)img->seg[i].filesz)
			rc = hd_fail(-EIO, "%s: cannot write the image's text", path);
	if (!rc && ftruncate(fd, (off_t)(img->text_hi - img->text_lo)))
		rc = hd_fail(-errno, "%s: %s", path, strerror(errno));
	close(fd);
	if (!rc) {
		hi->text_lo = img->text_lo;
		hi->text_bytes = img->text_hi - img->text_lo;
		hi->pie = 1;
	}
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
	r->asleep = 0;
	r->runner = 0;
	r->relay = 0;
	r->clock_req = r->clock_resp = 0;
	r->vclock = 0;
	r->irq_stamp = 0;
	r->det_state = TESSERA_DET_NONE;
	r->det_turn = 0;
	r->det_deadline = 0;
	memset(b->chip + tessera_boardreg_src_off(&b->geom, &b->layout, core), 0, TESSERA_SRC_BYTES);
	hd_crb_core(b, core)->lock = 0;
	memset(b->chip + tessera_mpb_off(&b->layout, tile) + tessera_core_z(&b->geom, core) * per,
	       0, per);
}

/* The core is run by another host of a distributed board. */
static int elsewhere(const struct hd_board *b, uint32_t core)
{
	return b->dist && b->dist->core_host[core] != b->dist->host;
}

/* The slot of the host file's image table for an image (path, contents digest key): the
 * one that already holds it, or one no core refers to (*fresh set: its text is to be
 * written); 1 + slot, or 0 when all are used. */
static uint32_t image_slot(struct hd_board *b, const char *path, uint64_t key, int *fresh)
{
	struct hd_host_file *hf = b->host;
	uint8_t used[HD_HOST_IMAGES] = { 0 };
	uint32_t free_slot = 0;

	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++)
		if (hf->core_image[c] && hf->core_image[c] <= HD_HOST_IMAGES)
			used[hf->core_image[c] - 1] = 1;
	*fresh = 0;
	for (uint32_t i = 0; i < HD_HOST_IMAGES; i++) {
		if (hf->images[i].key == key && !strncmp(hf->images[i].path, path,
							  sizeof(hf->images[i].path)))
			return i + 1;
		if (!used[i] && !free_slot)
			free_slot = i + 1;
	}
	if (free_slot) {
		memset(&hf->images[free_slot - 1], 0, sizeof(hf->images[0]));
		snprintf(hf->images[free_slot - 1].path, sizeof(hf->images[0].path), "%s", path);
		hf->images[free_slot - 1].key = key;
		*fresh = 1;
	}
	return free_slot;
}

/* One image file, read once however many ranks or contexts run it. */
struct loaded {
	const char *path;
	struct hd_image img;
};

/* The image at path, read on first use into l[*n]; NULL with rc set on failure. */
static const struct hd_image *image_get(struct loaded *l, unsigned *n, const char *path,
					uint64_t dram_bytes, int *rc)
{
	for (unsigned i = 0; i < *n; i++)
		if (!strcmp(l[i].path, path))
			return &l[i].img;
	if ((*rc = hd_image_read(path, dram_bytes, &l[*n].img)))
		return NULL;
	l[*n].path = path;
	return &l[(*n)++].img;
}

/* The image a context runs on a core of backend cb: its i386 image on qemu cores when it
 * has one, else its image. */
static const char *app_image(const struct hd_job_app *a, const struct hd_backend *cb)
{
	return cb->arch == TESSERA_ARCH_I386 && a->image_i386 ? a->image_i386 : a->image;
}

/* The job's command as a record names it: each context's argv, NUL-separated, contexts
 * separated by ":". malloc'd (*n bytes), NULL when out of memory. */
static char *command_of(const struct hd_job_app *apps, uint32_t napps, size_t *n)
{
	size_t len = 0, at = 0;
	char *cmd;

	for (uint32_t k = 0; k < napps; k++)
		for (int i = 0; i < apps[k].argc; i++)
			len += strlen(apps[k].argv[i]) + 1;
	len += 2 * napps;
	if (!(cmd = malloc(len + 1)))
		return NULL;
	for (uint32_t k = 0; k < napps; k++) {
		if (k) {
			memcpy(cmd + at, ":", 2);
			at += 2;
		}
		for (int i = 0; i < apps[k].argc; i++) {
			size_t m = strlen(apps[k].argv[i]) + 1;

			memcpy(cmd + at, apps[k].argv[i], m);
			at += m;
		}
	}
	*n = at;
	return cmd;
}

/* Virtual time and its modes: the options make sense, and every core keeps the clock (only
 * the emu backend's do this round). 0 or -EINVAL. */
static int timing_check(const struct hd_job_opts *o, const struct hd_job *job, uint32_t nranks,
			const struct hd_backend **be)
{
	if (o->timing != HD_TIMING_HOST && o->timing != HD_TIMING_SCC)
		return hd_fail(-EINVAL, "timing %d: not host or scc", o->timing);
	if (!(o->timing_scale >= 0 && o->timing_scale <= 1e6))
		return hd_fail(-EINVAL, "timing scale %g: not 0 (the host's calibration) to 1e6 "
			       "cycles per ns", o->timing_scale);
	if (o->timing == HD_TIMING_HOST && !o->deterministic)
		return 0;
	for (uint32_t r = 0; r < nranks; r++)
		if (be[job->rank_core[r]]->arch != TESSERA_ARCH_EMU)
			return hd_fail(-EINVAL, "%s: core %u runs on the %s backend, which keeps no "
				       "virtual clock yet: run the job on emu cores only",
				       o->deterministic ? "--deterministic" : "--timing=scc",
				       job->rank_core[r], be[job->rank_core[r]]->name);
	return 0;
}

/* Check the contexts of a job; 0 and *total (their ranks), or -EINVAL. */
static int apps_check(const struct hd_job_app *apps, uint32_t napps, uint32_t ncores,
		      const char *board, uint32_t *total)
{
	uint64_t sum = 0;

	if (!apps || !napps)
		return hd_fail(-EINVAL, "a job needs at least one program");
	for (uint32_t k = 0; k < napps; k++) {
		const struct hd_job_app *a = &apps[k];

		if (!a->image || !a->nranks)
			return hd_fail(-EINVAL, "program %u: no image, or no ranks", k);
		if (a->argc < 0 || (a->argc && !a->argv))
			return hd_fail(-EINVAL, "program %u (%s): bad argc/argv", k, a->image);
		sum += a->nranks;
	}
	if (sum > ncores)
		return hd_fail(-EINVAL, "%llu ranks: the board %s has only %u cores",
			       (unsigned long long)sum, board, ncores);
	*total = (uint32_t)sum;
	return 0;
}

/* Load a job of napps contexts: context k runs apps[k].image on the next apps[k].nranks
 * ranks, with its own argv and environment, and learns k as its MPI_APPNUM. */
static int load_apps(struct hd_board *b, const struct hd_job_opts *o,
		     const struct hd_job_app *apps, uint32_t napps)
{
	uint32_t ncores, nranks = 0;
	const struct hd_backend **be = NULL;
	struct loaded *img = NULL;
	const struct hd_image **rank_img = NULL;
	unsigned nimg = 0;
	struct tessera_bootinfo *bi = NULL;
	struct tessera_header *h;
	struct hd_job *job = NULL;
	int rc;

	/* an interrupt from here on is for this job (one before was for the last) */
	b->interrupted = 0;
	if (b->pci)
		return hd_fail(-EOPNOTSUPP, "board %s: a job needs the cores' private DRAM (image "
			       "and boot info), which a PCI board does not expose (docs/pci.md)",
			       b->dir);
	ncores = tessera_cores(&b->geom);
	if ((rc = apps_check(apps, napps, ncores, b->geom.name, &nranks)))
		return rc;
	if (!(o->timeout_s >= 0 && o->timeout_s <= HD_SECONDS_MAX))
		return hd_fail(-EINVAL, "timeout %g s: not 0 (none) to %g s", o->timeout_s,
			       HD_SECONDS_MAX);
	if (!(o->deadlock_s <= HD_SECONDS_MAX))	/* negative: never; NaN fails too */
		return hd_fail(-EINVAL, "deadlock limit %g s: more than %g s, or not a number",
			       o->deadlock_s, HD_SECONDS_MAX);
	be = calloc(ncores, sizeof(*be));
	bi = calloc(1, TESSERA_BOOTINFO_BYTES);
	job = calloc(1, sizeof(*job));
	img = calloc((size_t)napps * 2, sizeof(*img));
	rank_img = calloc(nranks, sizeof(*rank_img));
	if (!be || !bi || !job || !img || !rank_img ||
	    !(job->rank_core = calloc(nranks, sizeof(uint32_t))) ||
	    !(job->snap = calloc(nranks, sizeof(*job->snap)))) {
		rc = hd_fail(-ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = hd_backends_parse(o->backend, ncores, be)))
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
	if ((rc = timing_check(o, job, nranks, be)))
		goto out;
	/* The job's cores become this process's; one another process uses is refused, naming
	 * that process's job (owner.c). */
	for (uint32_t r = 0; r < nranks; r++) {
		uint32_t c = job->rank_core[r];

		if (!b->core[c].locked) {
			if ((rc = hd_owner_lock_core(b, c)))
				goto out;
			b->core[c].locked = 2;	/* taken by this call: let go if it fails */
		}
	}
	/* Read each image once and check it against the arch of the cores it goes to. */
	for (uint32_t k = 0, r = 0; k < napps; k++) {
		for (uint32_t end = r + apps[k].nranks; r < end; r++) {
			const struct hd_backend *cb = be[job->rank_core[r]];
			const char *path = app_image(&apps[k], cb);

			if (elsewhere(b, job->rank_core[r]))
				continue;
			if (!(rank_img[r] = image_get(img, &nimg, path, b->layout.private_bytes,
						      &rc)))
				goto out;
			if (rank_img[r]->arch != cb->arch) {
				rc = hd_fail(-ENOEXEC, "%s is a tile image for %s, but core %u runs "
					     "on the %s backend, which runs %s images: rebuild it "
					     "with `tessera-mpicc --arch=%s`", path,
					     hd_arch_name(rank_img[r]->arch), job->rank_core[r],
					     cb->name, hd_arch_name(cb->arch),
					     hd_arch_name(cb->arch));
				goto out;
			}
		}
	}
	/* The boot info every core shares; write_core fills in what is per core. */
	bi->magic = TESSERA_BOOTINFO_MAGIC;
	bi->version = TESSERA_LAYOUT_VERSION;
	bi->nranks = nranks;
	bi->universe = ncores;
	bi->host_cpus = hd_host_cpus();
	bi->flags = o->flags | (o->trace_path ? TESSERA_BOOT_TRACE : 0) |
		    (o->timing == HD_TIMING_SCC ? TESSERA_BOOT_TIMING : 0) |
		    (o->deterministic ? TESSERA_BOOT_DET : 0) |
		    (o->record_path ? TESSERA_BOOT_RECORD : 0) |
		    (o->replay_path ? TESSERA_BOOT_REPLAY : 0);
	bi->vt_scale_q32 = hd_vt_scale_q32(o);
	bi->stack_top = b->layout.private_bytes & ~(uint64_t)15;
	bi->time_base_ns = hd_now_ns(CLOCK_MONOTONIC);
	bi->realtime_base_ns = hd_now_ns(CLOCK_REALTIME);
	if (b->dist) {		/* a board over several hosts (dist_job.c) */
		bi->flags |= TESSERA_BOOT_DIST;
		bi->dist_host = b->dist->host;
		bi->dist_hosts = b->dist->nhosts;
		memcpy(bi->core_host, b->dist->core_host, sizeof(bi->core_host));
		bi->time_base_ns = b->dist->time_base_ns;
		bi->realtime_base_ns = b->dist->realtime_base_ns;
		bi->dist_clock_ns = b->dist->clock_ns;
		/* lib/mpi picks collective algorithms by it: one value on every host */
		bi->host_cpus = b->dist->host_cpus;
	}
	stdio_fill(bi, o->stdin_fd);
	bi->geom = b->geom;
	for (uint32_t r = 0; r < nranks; r++)
		bi->rank_core[r] = (uint16_t)job->rank_core[r];
	h = hd_header(b);
	for (uint32_t c = 0; c < ncores; c++)
		if (!b->core[c].backend || b->core[c].ended)
			b->core[c].rank = -1, h->core_rank[c] = 0xffff;
	for (uint32_t k = 0, r = 0; k < napps; k++) {
		/* what differs per context: its number, argv and environment */
		bi->appnum = k;
		if ((rc = put_strings(bi, TESSERA_BOOTINFO_BYTES, apps[k].argc, apps[k].argv,
				      apps[k].envp ? apps[k].envp : o->envp)))
			goto out;
		for (uint32_t end = r + apps[k].nranks; r < end; r++) {
			uint32_t c = job->rank_core[r], slot;
			const struct hd_backend *cb = be[c];
			int fresh;

			h->rank_core[r] = (uint16_t)c;
			h->core_rank[c] = (uint16_t)r;
			if (elsewhere(b, c)) {	/* another host loads and runs it */
				b->core[c].rank = (int32_t)r;
				continue;
			}
			if (b->interrupted) {
				rc = hd_fail(-EINTR, "interrupted while loading");
				goto out;
			}
			if (b->core[c].backend)
				hd_core_stop(b, c);
			b->core[c].rank = (int32_t)r;
			b->core[c].backend = NULL;
			b->core[c].assigned = cb;
			snprintf(b->core[c].image, sizeof(b->core[c].image), "%s",
				 app_image(&apps[k], cb));
			reset_core_chip(b, c);
			hd_luts_restore(b, c);
			h->core_backend[c] = cb->id;
			b->host->core_image[c] = 0;
			if (!(slot = image_slot(b, b->core[c].image, rank_img[r]->key, &fresh))) {
				rc = hd_fail(-ENOSPC, "board %s: more than %u different images "
					     "loaded at once", b->dir, HD_HOST_IMAGES);
				goto out;
			}
			if (fresh && rank_img[r]->pie && (rc = write_text(b, slot - 1, rank_img[r])))
				goto out;
			b->host->core_image[c] = (uint8_t)slot;
			if ((rc = write_core(b, c, rank_img[r], bi, (const char *)bi + sizeof(*bi),
					     bi->strings_bytes)))
				goto out;
			hd_progress(o->progress, o->progress_arg, "loading images", r + 1, nranks);
		}
	}
	hd_boardreg_global(b)->det_arrived = 0;
	h->nranks = nranks;
	h->flags = bi->flags;
	b->host->cores_per_process = o->cores_per_process;
	h->trace_t0_ns = bi->time_base_ns;
	h->job_seq++;
	job->nranks = nranks;
	job->output = o->output;
	job->output_arg = o->output_arg;
	job->timeout_s = o->timeout_s;
	job->progress = o->progress;
	job->progress_arg = o->progress_arg;
	job->start_ns = bi->time_base_ns;
	if ((rc = hd_files_new(o->workdir, o->allow_paths, o->stdin_fd, ncores, &job->files)))
		goto out;
	hd_files_guard(job->files, b->dir);	/* the board's files are the host's */
	hd_deadlock_init(&job->deadlock, o->deadlock_s ? o->deadlock_s : 2.0);
	if (o->trace_path) {
		job->trace = hd_trace_new(o->trace_path, &b->geom, nranks, job->rank_core, o);
		if (!job->trace) {
			rc = hd_fail(-EIO, "--trace: %s", hd_last_error());
			goto out;
		}
	}
	job->timed = (bi->flags & (TESSERA_BOOT_TIMING | TESSERA_BOOT_DET)) != 0;
	if (o->record_path || o->replay_path) {
		size_t cmd_n;
		char *cmd = command_of(apps, napps, &cmd_n);

		if (!cmd) {
			rc = hd_fail(-ENOMEM, "out of memory");
			goto out;
		}
		if (o->record_path)
			job->record = hd_record_new(o->record_path, nranks, cmd, cmd_n);
		if (o->replay_path)
			job->replay = hd_replay_load(o->replay_path, nranks, cmd, cmd_n);
		free(cmd);
		if ((o->record_path && !job->record) || (o->replay_path && !job->replay)) {
			rc = -EINVAL;
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
	job = NULL;
	/* Cores of an earlier job of this process that are not running are let go. */
	for (uint32_t c = 0; c < ncores; c++) {
		if (b->core[c].locked == 2 || (b->core[c].locked && b->core[c].rank >= 0))
			b->core[c].locked = 1;
		else if (b->core[c].locked && !b->core[c].backend)
			hd_owner_unlock_core(b, c), b->core[c].locked = 0;
	}
	hd_owner_note_job(b, apps[0].image, nranks);
	rc = 0;
out:
	for (uint32_t c = 0; rc && c < ncores; c++)
		if (b->core[c].locked == 2)
			hd_owner_unlock_core(b, c), b->core[c].locked = 0;
	for (unsigned i = 0; i < nimg; i++)
		hd_image_free(&img[i].img);
	free(img);
	free(rank_img);
	hd_job_destroy(job);
	free(bi);
	free(be);
	return rc;
}

HD_API int hd_job_load(struct hd_board *b, const struct hd_job_opts *o)
{
	struct hd_job_app app;

	if (!b || !o || !o->image)
		return hd_fail(-EINVAL, "hd_job_load: NULL board, options or image");
	app = (struct hd_job_app){ .image = o->image, .image_i386 = o->image_i386,
				   .nranks = o->nranks ? o->nranks : 1, .argc = o->argc,
				   .argv = o->argv, .envp = o->envp };
	return load_apps(b, o, &app, 1);
}

HD_API int hd_job_load_apps(struct hd_board *b, const struct hd_job_opts *o,
			    const struct hd_job_app *apps, uint32_t napps)
{
	if (!b || !o)
		return hd_fail(-EINVAL, "hd_job_load_apps: NULL board or options");
	if (o->image || o->image_i386 || o->argc || o->argv)
		return hd_fail(-EINVAL, "hd_job_load_apps: the programs go in apps, not in the "
			       "options' image, image_i386, argc and argv");
	if (o->nranks) {
		uint64_t sum = 0;
		for (uint32_t k = 0; apps && k < napps; k++)
			sum += apps[k].nranks;
		if (sum != o->nranks)
			return hd_fail(-EINVAL, "hd_job_load_apps: the options say %u ranks, the "
				       "programs %llu", o->nranks, (unsigned long long)sum);
	}
	return load_apps(b, o, apps, napps);
}
