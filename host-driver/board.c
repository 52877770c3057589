// SPDX-License-Identifier: MIT
/*
 * board.c: a board's life: create it (a directory with one chip file and one private DRAM
 * file per core, the header, the CRBs with every core held in reset and every LUT written),
 * open an existing one by its handle, read and write its memory, close or destroy it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "hd_impl.h"

const char *hd_board_dir(void)
{
	const char *d = getenv("TESSERA_BOARD_DIR");

	return d && *d ? d : "/dev/shm";
}

void hd_chip_path(const struct hd_board *b, char *out)
{
	snprintf(out, PATH_MAX, "%s/chip", b->dir);
}

void hd_host_path(const struct hd_board *b, char *out)
{
	snprintf(out, PATH_MAX, "%s/host", b->dir);
}

void hd_text_path(const struct hd_board *b, uint32_t slot, char *out)
{
	snprintf(out, PATH_MAX, "%s/text-%02u", b->dir, slot);
}

void hd_dram_path(const struct hd_board *b, uint32_t core, char *out)
{
	snprintf(out, PATH_MAX, "%s/core%04u.dram", b->dir, core);
}

void hd_core_wake(struct hd_board *b, uint32_t core)
{
	struct tessera_boardreg_core *r = hd_boardreg_core(b, core);
	uint32_t leader = __atomic_load_n(&r->runner, __ATOMIC_ACQUIRE);
	struct tessera_wake *w;

	/* `runner` is board memory, which tiles may write: it only picks the futex to wake */
	if (!leader || leader > tessera_cores(&b->geom)) {
		syscall(SYS_futex, &r->irq, FUTEX_WAKE, 1, NULL, NULL, 0);
		return;
	}
	w = (struct tessera_wake *)(b->chip + tessera_boardreg_wake_off(&b->geom, &b->layout,
									 leader - 1));
	/* Dekker with the runner's sleep (board.h): the bit, then its "sleeping" */
	__atomic_fetch_or(&w->pending[core / 32], 1u << (core % 32), __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&w->sleeping, __ATOMIC_SEQ_CST)) {
		__atomic_fetch_add(&w->seq, 1, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, &w->seq, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
}

void hd_core_irq(struct hd_board *b, uint32_t core)
{
	struct tessera_boardreg_core *r = hd_boardreg_core(b, core);
	const struct hd_backend *be = b->core ? b->core[core].backend : NULL;

	if (__atomic_fetch_or(&r->irq, TESSERA_IRQ_HOST, __ATOMIC_SEQ_CST))
		return;
	if (be && be->wake)
		be->wake(b, core);
	else
		hd_core_wake(b, core);
}

static struct hd_board *board_alloc(void)
{
	struct hd_board *b = calloc(1, sizeof(*b));

	if (b) {
		b->chip_fd = -1;
		b->owner_fd = -1;
		b->chip = MAP_FAILED;
	}
	return b;
}

/* Map the host file (fd: open read-write, at least its size); closes fd. */
static int map_host(struct hd_board *b, int fd)
{
	void *p = mmap(NULL, sizeof(*b->host), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	close(fd);
	if (p == MAP_FAILED)
		return hd_fail(-errno, "board %s: cannot map its host file: %s", b->dir,
			       strerror(errno));
	b->host = p;
	return 0;
}

static int map_chip(struct hd_board *b)
{
	b->chip = mmap(NULL, b->layout.chip_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
		       b->chip_fd, 0);
	if (b->chip == MAP_FAILED)
		return hd_fail(-errno, "board %s: cannot map the chip: %s", b->dir, strerror(errno));
	b->core = calloc(tessera_cores(&b->geom), sizeof(*b->core));
	if (!b->core)
		return hd_fail(-ENOMEM, "out of memory");
	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++)
		b->core[c].rank = -1;
	return 0;
}

static void board_free(struct hd_board *b)
{
	if (b->pci)
		hd_pci_close(b);
	else if (b->chip != MAP_FAILED)
		munmap(b->chip, b->layout.chip_bytes);
	if (b->host)
		munmap(b->host, sizeof(*b->host));
	if (b->chip_fd >= 0)
		close(b->chip_fd);
	hd_owner_detach(b);
	free(b->core);
	free(b);
}

/* Remove a board directory: its files and one level of folders (console logs). */
void hd_remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char sub[PATH_MAX];

	if (d) {
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			if (e->d_type == DT_DIR) {
				snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
				hd_remove_tree(sub);
			} else {
				unlinkat(dirfd(d), e->d_name, 0);
			}
		}
		closedir(d);
	}
	rmdir(dir);
}

static int make_file(const char *path, uint64_t bytes)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600), rc = 0;

	if (fd < 0)
		return hd_fail(-errno, "%s: %s", path, strerror(errno));
	if (ftruncate(fd, (off_t)bytes))
		rc = hd_fail(-errno, "%s: cannot size it to %llu bytes: %s", path,
			     (unsigned long long)bytes, strerror(errno));
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

HD_API int hd_board_create(const struct hd_board_opts *opts, struct hd_board **out)
{
	static unsigned seq;
	struct hd_board *b;
	struct tessera_header *h;
	char path[PATH_MAX];
	int rc;

	if (!out)
		return hd_fail(-EINVAL, "hd_board_create: NULL out");
	*out = NULL;
	b = board_alloc();
	if (!b)
		return hd_fail(-ENOMEM, "out of memory");
	rc = hd_geom_load(opts ? opts->board : NULL, &b->geom);
	if (rc)
		goto fail_free;
	if ((rc = hd_geom_check(&b->geom)))
		goto fail_free;
	tessera_layout_compute(&b->geom, &b->layout);
	/* A default name taken already (a board left by a killed process whose pid this
	 * process now has, a board of `tessera boot`) is skipped, never reused. */
	for (unsigned tries = 0;; tries++) {
		if (opts && opts->dir)
			snprintf(b->dir, sizeof(b->dir), "%s", opts->dir);
		else
			snprintf(b->dir, sizeof(b->dir), "%s/tessera-%d-%u", hd_board_dir(), (int)getpid(),
				 __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));
		if (!mkdir(b->dir, 0700))
			break;
		if (errno != EEXIST || (opts && opts->dir) || tries == 1000) {
			rc = hd_fail(-errno, "board directory %s: %s", b->dir, strerror(errno));
			goto fail_free;
		}
	}
	b->created = 1;
	b->persistent = opts ? opts->persistent : 0;
	/* first of all the owner file, locked: from now on the board is this process's */
	if ((rc = hd_owner_make(b, b->persistent)))
		goto fail_dir;
	hd_chip_path(b, path);
	rc = make_file(path, tessera_chip_file_bytes(&b->layout));
	if (rc < 0)
		goto fail_dir;
	b->chip_fd = rc;
	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++) {
		hd_dram_path(b, c, path);
		rc = make_file(path, b->layout.private_bytes);
		if (rc < 0)
			goto fail_dir;
		close(rc);
		if (opts)
			hd_progress(opts->progress, opts->progress_arg, "creating the board", c + 1,
				    tessera_cores(&b->geom));
	}
	if ((rc = map_chip(b)))
		goto fail_dir;
	hd_host_path(b, path);
	rc = make_file(path, sizeof(*b->host));
	if (rc < 0 || (rc = map_host(b, rc)))
		goto fail_dir;
	b->host->version = HD_HOST_VERSION;
	b->host->magic = HD_HOST_MAGIC;
	h = hd_header(b);
	h->version = TESSERA_LAYOUT_VERSION;
	h->header_bytes = (uint32_t)b->layout.header_bytes;
	h->geom = b->geom;
	h->layout = b->layout;
	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++) {
		hd_crb_core(b, c)->reset = 1;
		hd_lut_build(&b->geom, &b->layout, c, hd_lut(b, c));
		hd_boardreg_core(b, c)->irq_mask = 1;
		h->core_rank[c] = 0xffff;
	}
	hd_luts_keep(b);
	/* The magic last: a board whose magic is set is complete. */
	__atomic_store_n(&h->magic, TESSERA_BOARD_MAGIC, __ATOMIC_RELEASE);
	hd_owner_made(b);
	snprintf(b->log_dir, sizeof(b->log_dir), "%s", b->dir);
	*out = b;
	return 0;
fail_dir:
	hd_remove_tree(b->dir);
fail_free:
	board_free(b);
	return rc;
}

HD_API int hd_board_open(const char *handle, struct hd_board **out)
{
	struct hd_board *b;
	struct tessera_header h;
	char path[PATH_MAX];
	struct stat st;
	int rc;

	if (!handle || !out)
		return hd_fail(-EINVAL, "hd_board_open: NULL argument");
	*out = NULL;
	b = board_alloc();
	if (!b)
		return hd_fail(-ENOMEM, "out of memory");
	if (!strncmp(handle, "pci:", 4) || !strcmp(handle, "pci")) {
		if ((rc = hd_pci_open(handle, b)))
			goto fail;
		b->core = calloc(tessera_cores(&b->geom), sizeof(*b->core));
		if (!b->core) {
			rc = hd_fail(-ENOMEM, "out of memory");
			goto fail;
		}
		for (uint32_t c = 0; c < tessera_cores(&b->geom); c++)
			b->core[c].rank = -1;
		*out = b;
		return 0;
	}
	snprintf(b->dir, sizeof(b->dir), "%s", handle);
	hd_chip_path(b, path);
	b->chip_fd = open(path, O_RDWR | O_CLOEXEC);
	if (b->chip_fd < 0) {
		rc = hd_fail(-errno, "board %s: %s", handle, errno == ENOENT ?
			     "no such board (no chip file)" : strerror(errno));
		goto fail;
	}
	if (fstat(b->chip_fd, &st) || (size_t)st.st_size < sizeof(h) ||
	    pread(b->chip_fd, &h, sizeof(h), 0) != sizeof(h) || h.magic != TESSERA_BOARD_MAGIC ||
	    h.version != TESSERA_LAYOUT_VERSION) {
		rc = hd_fail(-EPROTO, "board %s: not a tessera board (bad magic or layout version)",
			     handle);
		goto fail;
	}
	b->geom = h.geom;
	if ((rc = hd_geom_check(&b->geom))) {
		hd_fail(-EPROTO, "board %s: bad geometry in its header: %s", handle,
			hd_last_error());
		rc = -EPROTO;
		goto fail;
	}
	tessera_layout_compute(&b->geom, &b->layout);
	if (memcmp(&b->layout, &h.layout, sizeof(h.layout)) ||
	    (uint64_t)st.st_size < b->layout.chip_bytes) {
		rc = hd_fail(-EPROTO, "board %s: header layout does not match its geometry",
			     handle);
		goto fail;
	}
	if ((rc = map_chip(b)) || (rc = hd_owner_attach(b)))
		goto fail;
	hd_host_path(b, path);
	rc = open(path, O_RDWR | O_CLOEXEC);
	if (rc < 0 || fstat(rc, &st) || (size_t)st.st_size < sizeof(*b->host)) {
		if (rc >= 0)
			close(rc);
		rc = hd_fail(-EPROTO, "board %s: no host file of this tessera version", handle);
		goto fail;
	}
	if ((rc = map_host(b, rc)))
		goto fail;
	if (b->host->magic != HD_HOST_MAGIC || b->host->version != HD_HOST_VERSION) {
		rc = hd_fail(-EPROTO, "board %s: its host file is of another tessera version",
			     handle);
		goto fail;
	}
	/* What earlier commands loaded, so this process can release those cores. */
	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++) {
		struct tessera_header *hh = hd_header(b);
		uint32_t img = b->host->core_image[c];

		if (hh->core_rank[c] != 0xffff)
			b->core[c].rank = hh->core_rank[c];
		b->core[c].assigned = hd_backend_by_id(hh->core_backend[c]);
		if (img && img <= HD_HOST_IMAGES) {
			snprintf(b->core[c].image, sizeof(b->core[c].image), "%.*s",
				 (int)sizeof(b->host->images[0].path), b->host->images[img - 1].path);
			b->core[c].view = b->host->images[img - 1].pie ? hd_view_base(c) : 0;
		}
	}
	snprintf(b->log_dir, sizeof(b->log_dir), "%s", b->dir);
	*out = b;
	return 0;
fail:
	board_free(b);
	return rc;
}

static void stop_started(struct hd_board *b)
{
	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++)
		if (b->core[c].backend)
			hd_core_hold(b, c);
}

HD_API int hd_board_close(struct hd_board *b)
{
	if (!b)
		return hd_fail(-EINVAL, "hd_board_close: NULL board");
	stop_started(b);
	hd_job_free(b);
	if (b->created && !b->persistent)
		hd_remove_tree(b->dir);
	board_free(b);
	return 0;
}

HD_API int hd_board_destroy(struct hd_board *b)
{
	int rc;

	if (!b)
		return hd_fail(-EINVAL, "hd_board_destroy: NULL board");
	if (b->pci) {
		hd_fail(-EOPNOTSUPP, "board %s: a PCI board cannot be destroyed from here", b->dir);
		board_free(b);
		return -EOPNOTSUPP;
	}
	/* Our cores stop; whoever runs the others is asked to stop them. */
	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++)
		hd_core_hold_ask(b, c);
	hd_job_free(b);
	/* The processes that still hold it (its creator, servers of released cores) are asked
	 * to end, and the board goes once nobody holds it (owner.c). */
	rc = hd_owner_remove(b);
	board_free(b);
	return rc;
}

HD_API const char *hd_board_handle(const struct hd_board *b)
{
	return b ? b->dir : NULL;
}

HD_API const struct tessera_geom *hd_board_geom(const struct hd_board *b)
{
	return b ? &b->geom : NULL;
}

HD_API const struct tessera_layout *hd_board_layout(const struct hd_board *b)
{
	return b ? &b->layout : NULL;
}

/* Resolve a core address through the core's LUT: backing and offset, and bytes left. */
static int core_resolve(struct hd_board *b, uint32_t core, uint64_t addr, size_t n,
			enum hd_space *space, uint64_t *off)
{
	struct tessera_lut_entry e;
	uint64_t in;

	if (addr > UINT32_MAX || n > UINT32_MAX - addr + 1)
		return hd_fail(-EFAULT, "core address 0x%llx: beyond 4 GB", (unsigned long long)addr);
	e = hd_lut(b, core)[addr >> TESSERA_LUT_SHIFT];
	in = addr & (TESSERA_LUT_WINDOW - 1);
	if (e.kind == TESSERA_LUT_NONE || in + n > e.bytes)
		return hd_fail(-EFAULT, "core %u address 0x%llx: not mapped by its LUT", core,
			       (unsigned long long)addr);
	*space = e.kind == TESSERA_LUT_PRIVATE ? HD_SPACE_PRIVATE : HD_SPACE_CHIP;
	*off = e.offset + in;
	return 0;
}

/*
 * The part of private DRAM [addr, addr + n) that is the shared text of the core's image
 * (load.c: a position-independent image's read-only segments live in the board's text file,
 * not in each core's DRAM file): read from there over what the DRAM file gave; refused for
 * writing, since every core that runs the image would see the change.
 */
static int text_io(struct hd_board *b, uint32_t core, uint64_t addr, void *buf, size_t n,
		   int write)
{
	uint32_t slot = b->host ? b->host->core_image[core] : 0;
	const struct hd_host_image *hi;
	uint64_t lo, hi_end;
	char path[PATH_MAX];
	int fd, rc = 0;

	if (!slot || slot > HD_HOST_IMAGES || !(hi = &b->host->images[slot - 1])->pie)
		return 0;
	lo = addr > hi->text_lo ? addr : hi->text_lo;
	hi_end = addr + n < hi->text_lo + hi->text_bytes ? addr + n : hi->text_lo + hi->text_bytes;
	if (lo >= hi_end)
		return 0;
	if (write)
		return hd_fail(-EROFS, "core %u: 0x%llx-0x%llx is the text of its image, shared by "
			       "every core that runs it", core, (unsigned long long)lo,
			       (unsigned long long)hi_end);
	hd_text_path(b, slot - 1, path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hd_fail(-errno, "%s: %s", path, strerror(errno));
	if (pread(fd, (uint8_t *)buf + (lo - addr), hi_end - lo, (off_t)(lo - hi->text_lo)) !=
	    (ssize_t)(hi_end - lo))
		rc = hd_fail(-EIO, "%s: short read", path);
	close(fd);
	return rc;
}

static int mem_io(struct hd_board *b, enum hd_space space, uint32_t core, uint64_t addr,
		  void *buf, size_t n, int write)
{
	char path[PATH_MAX];
	int fd, rc = 0;
	ssize_t got;

	if (!b || (!buf && n))
		return hd_fail(-EINVAL, "hd_mem: NULL argument");
	if (space != HD_SPACE_CHIP && core >= tessera_cores(&b->geom))
		return hd_fail(-EINVAL, "core %u: the board has %u cores", core,
			       tessera_cores(&b->geom));
	if (space == HD_SPACE_CORE) {
		rc = core_resolve(b, core, addr, n, &space, &addr);
		if (rc)
			return rc;
	}
	if (space == HD_SPACE_CHIP) {
		if (addr > b->layout.chip_bytes || n > b->layout.chip_bytes - addr)
			return hd_fail(-EFAULT, "chip offset 0x%llx+%zu: beyond the chip (%llu bytes)",
				       (unsigned long long)addr, n,
				       (unsigned long long)b->layout.chip_bytes);
		if (write) {
			memcpy(b->chip + addr, buf, n);
			hd_luts_note_write(b, addr, n);	/* a LUT the host writes is the host's */
		} else
			memcpy(buf, b->chip + addr, n);
		return 0;
	}
	if (space != HD_SPACE_PRIVATE)
		return hd_fail(-EINVAL, "unknown memory space %d", (int)space);
	if (b->pci)
		return hd_fail(-EOPNOTSUPP, "board %s: private DRAM is not in the PCI BAR (a real "
			       "board would need a DRAM window or a DMA engine for it)", b->dir);
	if (addr > b->layout.private_bytes || n > b->layout.private_bytes - addr)
		return hd_fail(-EFAULT, "private DRAM offset 0x%llx+%zu: beyond %llu MB",
			       (unsigned long long)addr, n,
			       (unsigned long long)(b->layout.private_bytes >> 20));
	if (write && (rc = text_io(b, core, addr, buf, n, 1)))
		return rc;
	hd_dram_path(b, core, path);
	fd = open(path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return hd_fail(-errno, "%s: %s", path, strerror(errno));
	got = write ? pwrite(fd, buf, n, (off_t)addr) : pread(fd, buf, n, (off_t)addr);
	if (got != (ssize_t)n)
		rc = hd_fail(got < 0 ? -errno : -EIO, "%s: short %s", path, write ? "write" : "read");
	close(fd);
	return rc || write ? rc : text_io(b, core, addr, buf, n, 0);
}

HD_API int hd_mem_read(struct hd_board *b, enum hd_space space, uint32_t core, uint64_t addr,
		       void *buf, size_t n)
{
	return mem_io(b, space, core, addr, buf, n, 0);
}

HD_API int hd_mem_write(struct hd_board *b, enum hd_space space, uint32_t core, uint64_t addr,
			const void *buf, size_t n)
{
	return mem_io(b, space, core, addr, (void *)buf, n, 1);
}

HD_API int hd_core_info(struct hd_board *b, uint32_t core, struct hd_core_info *out)
{
	struct tessera_status *st;
	struct tessera_header *h;

	if (!b || !out)
		return hd_fail(-EINVAL, "hd_core_info: NULL argument");
	if (core >= tessera_cores(&b->geom))
		return hd_fail(-EINVAL, "core %u: the board has %u cores", core,
			       tessera_cores(&b->geom));
	st = &hd_hostwin(b, core)->status;
	h = hd_header(b);
	memset(out, 0, sizeof(*out));
	out->core = core;
	out->tile_x = tessera_core_x(&b->geom, core);
	out->tile_y = tessera_core_y(&b->geom, core);
	out->tile_z = tessera_core_z(&b->geom, core);
	out->rank = h->core_rank[core] == 0xffff ? -1 : h->core_rank[core];
	out->state = __atomic_load_n(&st->state, __ATOMIC_ACQUIRE);
	out->exit_code = st->exit_code;
	out->wait_kind = st->wait_kind;
	out->wait_peer = st->wait_peer;
	out->wait_tag = st->wait_tag;
	out->wait_comm = st->wait_comm;
	out->halted = hd_boardreg_core(b, core)->halted;
	out->host_pid = b->core[core].backend || b->core[core].locked ? getpid() :
			b->pci ? -1 : hd_owner_core_holder(b, core);
	out->msgs_sent = st->msgs_sent;
	out->bytes_sent = st->bytes_sent;
	out->msgs_recv = st->msgs_recv;
	out->bytes_recv = st->bytes_recv;
	if (out->rank >= 0 && (h->flags & TESSERA_BOOT_TIMING)) {
		uint32_t mhz = b->geom.core_mhz ? b->geom.core_mhz : 533;

		out->timed = 1;
		out->vclock = __atomic_load_n(&hd_boardreg_core(b, core)->vclock, __ATOMIC_ACQUIRE);
		out->vtime_ns = out->vclock / mhz * 1000u + out->vclock % mhz * 1000u / mhz;
	}
	return 0;
}
