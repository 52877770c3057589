// SPDX-License-Identifier: MIT
/*
 * hostcall.c: the host side of host calls: a core's file access, confined to the run
 * directory and the paths the user granted. A path is resolved with openat2(RESOLVE_BENEATH)
 * under the root it names, so neither `..` nor a symbolic link can lead outside it. Open
 * flags and errno values travel in Newlib's numbering (board.h) and are converted here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "hd_impl.h"

#define HD_FILES_PER_CORE 64
#define HD_MAX_ROOTS 16

struct hd_files {
	int nroots;
	int root_fd[HD_MAX_ROOTS];	/* [0]: the run directory */
	char root[HD_MAX_ROOTS][PATH_MAX];	/* their real paths */
	int stdin_fd;
	uint32_t ncores;
	int (*fd)[HD_FILES_PER_CORE];	/* per core: tile fd -> host fd (-1 free) */
};

/* Linux errno -> the wire's (Newlib's), negated. */
static int64_t wire_err(int e)
{
	switch (e) {
	case ENAMETOOLONG: return -TESSERA_ENAMETOOLONG;
	case ENOSYS: return -TESSERA_ENOSYS;
	case ENOTEMPTY: return -TESSERA_ENOTEMPTY;
	case ELOOP: return -TESSERA_ELOOP;
	case EOPNOTSUPP: return -TESSERA_EOPNOTSUPP;
	case EXDEV: return -EACCES;	/* RESOLVE_BENEATH refused an escape */
	default: return e > 0 && e < TESSERA_ERRNO_SAME_BELOW ? -e : -EIO;
	}
}

struct hd_files *hd_files_new(const char *workdir, const char *const *allow, int stdin_fd)
{
	struct hd_files *f = calloc(1, sizeof(*f));
	const char *dirs[HD_MAX_ROOTS];
	int n = 0;

	if (!f)
		return NULL;
	dirs[n++] = workdir ? workdir : ".";
	for (; allow && *allow && n < HD_MAX_ROOTS; allow++)
		dirs[n++] = *allow;
	for (int i = 0; i < n; i++) {
		if (!realpath(dirs[i], f->root[f->nroots]))
			continue;
		f->root_fd[f->nroots] = open(f->root[f->nroots], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (f->root_fd[f->nroots] >= 0)
			f->nroots++;
	}
	f->stdin_fd = stdin_fd;
	return f;
}

void hd_files_free(struct hd_files *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->nroots; i++)
		close(f->root_fd[i]);
	if (f->fd)
		for (uint32_t c = 0; c < f->ncores; c++)
			for (int i = 3; i < HD_FILES_PER_CORE; i++)
				if (f->fd[c][i] >= 0)
					close(f->fd[c][i]);
	free(f->fd);
	free(f);
}

static int ensure_table(struct hd_files *f, uint32_t ncores)
{
	if (f->fd)
		return 0;
	f->fd = malloc(sizeof(*f->fd) * ncores);
	if (!f->fd)
		return -ENOMEM;
	f->ncores = ncores;
	for (uint32_t c = 0; c < ncores; c++)
		for (int i = 0; i < HD_FILES_PER_CORE; i++)
			f->fd[c][i] = -1;
	return 0;
}

/* Which root a path lives under: its fd, and the path relative to it (may be ""). */
static int pick_root(struct hd_files *f, const char *path, const char **rel)
{
	if (path[0] != '/') {
		*rel = path;
		return f->nroots ? f->root_fd[0] : -EACCES;
	}
	for (int i = 0; i < f->nroots; i++) {
		size_t n = strlen(f->root[i]);
		if (!strncmp(path, f->root[i], n) && (path[n] == '/' || !path[n] || n == 1)) {
			*rel = path + n;
			while (**rel == '/')
				(*rel)++;
			return f->root_fd[i];
		}
	}
	return -EACCES;
}

static int open_beneath(struct hd_files *f, const char *path, int flags, int mode)
{
	struct open_how how = { .flags = (uint64_t)flags | O_CLOEXEC, .mode = (uint64_t)mode,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	const char *rel;
	int root = pick_root(f, path, &rel), fd;

	if (root < 0)
		return root;
	if (!(flags & O_CREAT))
		how.mode = 0;
	fd = (int)syscall(SYS_openat2, root, *rel ? rel : ".", &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

/* The parent directory of path (beneath its root) and the last component. */
static int open_parent(struct hd_files *f, const char *path, char *last, size_t last_n)
{
	char dir[PATH_MAX];
	const char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = 0;
	slash = strrchr(dir, '/');
	snprintf(last, last_n, "%s", slash ? slash + 1 : dir);
	if (!*last || !strcmp(last, ".") || !strcmp(last, ".."))
		return -EINVAL;
	if (slash)
		dir[slash == dir ? 1 : slash - dir] = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	return open_beneath(f, dir, O_PATH | O_DIRECTORY, 0);
}

static int host_flags(int64_t w)
{
	int fl = (int)(w & TESSERA_O_ACCMODE);

	if (w & TESSERA_O_APPEND)
		fl |= O_APPEND;
	if (w & TESSERA_O_CREAT)
		fl |= O_CREAT;
	if (w & TESSERA_O_TRUNC)
		fl |= O_TRUNC;
	if (w & TESSERA_O_EXCL)
		fl |= O_EXCL;
	return fl;
}

static void to_wire(const struct stat *st, struct tessera_hc_stat *w)
{
	memset(w, 0, sizeof(*w));
	w->size = (uint64_t)st->st_size;
	w->mode = st->st_mode;
	w->nlink = (uint32_t)st->st_nlink;
	w->mtime_s = st->st_mtime;
	w->atime_s = st->st_atime;
	w->ctime_s = st->st_ctime;
	w->ino = st->st_ino;
	w->blksize = (uint32_t)st->st_blksize;
}

/* A path argument: NUL-terminated within the data and within arg[0] bytes. */
static const char *path_arg(struct tessera_hostcall *hc)
{
	int64_t n = hc->arg[0];

	if (n < 1 || n > TESSERA_HOSTCALL_DATA || hc->data[n - 1] != 0 ||
	    strlen((const char *)hc->data) != (size_t)n - 1)
		return NULL;
	return (const char *)hc->data;
}

/* ---- Positioned I/O (MPI-IO, pread/pwrite) ----
 * Everything in the request is the tile's: the piece list, every length and offset, the
 * shared-DRAM range, are checked before one byte moves; only regular files (no call can
 * wait on a pipe or a terminal); a call moves at most TESSERA_HC_SHM_MAX bytes and makes at
 * most TESSERA_HC_MAX_PIECES system calls' worth of work, so the loop is never held long. */

/* The board's shared DRAM, as the host maps it. */
struct hd_shm {
	uint8_t *p;
	uint64_t n;
};

static int64_t pio_vector(int host, struct tessera_hostcall *hc, const struct hd_shm *shm)
{
	int write_op = hc->op == TESSERA_HC_PWRITEV;
	int64_t n = hc->arg[1], total = hc->arg[2], where = hc->arg[3], sum = 0, done = 0;
	struct tessera_hc_piece pc[TESSERA_HC_MAX_PIECES];
	size_t list;
	uint8_t *bytes;

	if (n < 1 || (uint64_t)n > TESSERA_HC_MAX_PIECES || total < 0)
		return -EINVAL;
	list = (size_t)n * sizeof(pc[0]);
	memcpy(pc, hc->data, list);	/* checked once, used as checked */
	for (int64_t i = 0; i < n; i++) {
		if (pc[i].off < 0 || pc[i].len < 0 || pc[i].off > INT64_MAX - pc[i].len ||
		    pc[i].len > total - sum)
			return -EINVAL;
		sum += pc[i].len;
	}
	if (sum != total)
		return -EINVAL;
	if (where == -1) {
		if ((uint64_t)total > TESSERA_HOSTCALL_DATA - list)
			return -EINVAL;
		bytes = write_op ? hc->data + list : hc->data;	/* (the list is copied) */
	} else {
		if (where < 0 || total > TESSERA_HC_SHM_MAX || (uint64_t)where > shm->n ||
		    (uint64_t)total > shm->n - (uint64_t)where)
			return -EINVAL;
		bytes = shm->p + where;
	}
	for (int64_t i = 0; i < n; i++) {
		const struct tessera_hc_piece *p = &pc[i];

		for (int64_t got = 0; got < p->len;) {
			size_t want = (size_t)(p->len - got);
			off_t at = (off_t)(p->off + got);
			ssize_t r = write_op ? pwrite(host, bytes + done, want, at) :
					       pread(host, bytes + done, want, at);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return done ? done : wire_err(errno);
			if (r == 0)	/* end of file (reads), or nothing written: stop here */
				return done;
			got += r;
			done += r;
		}
	}
	return done;
}

static int64_t serve_pio(int host, struct tessera_hostcall *hc, const struct hd_shm *shm)
{
	struct stat st;

	if (fstat(host, &st))
		return wire_err(errno);
	if (!S_ISREG(st.st_mode))
		return -ESPIPE;
	switch (hc->op) {
	case TESSERA_HC_PREADV:
	case TESSERA_HC_PWRITEV:
		return pio_vector(host, hc, shm);
	case TESSERA_HC_FTRUNCATE:
		if (hc->arg[1] < 0)
			return -EINVAL;
		return ftruncate(host, (off_t)hc->arg[1]) ? wire_err(errno) : 0;
	case TESSERA_HC_FSYNC:
		return fsync(host) ? wire_err(errno) : 0;
	case TESSERA_HC_FALLOCATE: {
		int r;

		if (hc->arg[1] < 0 || hc->arg[2] < 0 || hc->arg[1] > INT64_MAX - hc->arg[2])
			return -EINVAL;
		if (!hc->arg[2])
			return 0;
		r = posix_fallocate(host, (off_t)hc->arg[1], (off_t)hc->arg[2]);
		if (r == EOPNOTSUPP || r == EINVAL) {	/* a file system without it: grow */
			if (st.st_size >= hc->arg[1] + hc->arg[2])
				return 0;
			return ftruncate(host, (off_t)(hc->arg[1] + hc->arg[2])) ? wire_err(errno) : 0;
		}
		return r ? wire_err(r) : 0;
	}
	default:
		return -TESSERA_ENOSYS;
	}
}

static int is_pio(uint32_t op)
{
	return op >= TESSERA_HC_PREADV && op <= TESSERA_HC_FALLOCATE;
}

static int64_t serve(struct hd_files *f, int *fds, struct tessera_hostcall *hc, int rank0,
		     const struct hd_shm *shm, int *abort_code, int *pending)
{
	int64_t fd = hc->arg[0], n = hc->arg[1];
	int host = -1;
	const char *path;
	struct stat st;
	char last[PATH_MAX];
	int dir, r;

	if (hc->op == TESSERA_HC_READ || hc->op == TESSERA_HC_WRITE ||
	    hc->op == TESSERA_HC_CLOSE || hc->op == TESSERA_HC_LSEEK ||
	    hc->op == TESSERA_HC_FSTAT || hc->op == TESSERA_HC_ISATTY || is_pio(hc->op)) {
		if (fd < 0 || fd >= HD_FILES_PER_CORE)
			return -EBADF;
		host = fd == 0 ? (rank0 ? f->stdin_fd : -1) : fd < 3 ? (int)fd : fds[fd];
		if (host < 0)
			return hc->op == TESSERA_HC_READ && fd == 0 ? 0 : -EBADF;
		if (is_pio(hc->op))	/* files the tile opened, never the console */
			return fd < 3 ? -ESPIPE : serve_pio(host, hc, shm);
	}
	switch (hc->op) {
	case TESSERA_HC_OPEN:
		if (!(path = path_arg(hc)))
			return -EINVAL;
		for (r = 3; r < HD_FILES_PER_CORE && fds[r] >= 0; r++)
			;
		if (r == HD_FILES_PER_CORE)
			return -EMFILE;
		host = open_beneath(f, path, host_flags(hc->arg[1]), (int)hc->arg[2] & 07777);
		if (host < 0)
			return wire_err(-host);
		fds[r] = host;
		return r;
	case TESSERA_HC_CLOSE:
		if (fd < 3)
			return 0;
		close(host);
		fds[fd] = -1;
		return 0;
	case TESSERA_HC_READ: {
		if (n < 0 || n > TESSERA_HOSTCALL_DATA)
			return -EINVAL;
		if (fd == 0) {	/* do not block the host on the user's keyboard */
			struct pollfd p = { .fd = host, .events = POLLIN };
			if (poll(&p, 1, 0) == 0) {
				*pending = 1;
				return 0;
			}
		}
		ssize_t got = read(host, hc->data, (size_t)n);
		return got < 0 ? wire_err(errno) : got;
	}
	case TESSERA_HC_WRITE: {
		if (n < 0 || n > TESSERA_HOSTCALL_DATA)
			return -EINVAL;
		ssize_t put = write(host, hc->data, (size_t)n);
		return put < 0 ? wire_err(errno) : put;
	}
	case TESSERA_HC_LSEEK: {
		off_t o = lseek(host, (off_t)hc->arg[1], (int)hc->arg[2]);
		return o < 0 ? wire_err(errno) : o;
	}
	case TESSERA_HC_FSTAT:
		if (fstat(host, &st))
			return wire_err(errno);
		to_wire(&st, (struct tessera_hc_stat *)hc->data);
		return sizeof(struct tessera_hc_stat);
	case TESSERA_HC_ISATTY:
		return isatty(host);
	case TESSERA_HC_STAT:
		if (!(path = path_arg(hc)))
			return -EINVAL;
		host = open_beneath(f, path, O_PATH, 0);
		if (host < 0)
			return wire_err(-host);
		r = fstat(host, &st);
		close(host);
		if (r)
			return wire_err(errno);
		to_wire(&st, (struct tessera_hc_stat *)hc->data);
		return sizeof(struct tessera_hc_stat);
	case TESSERA_HC_UNLINK:
	case TESSERA_HC_MKDIR:
		if (!(path = path_arg(hc)))
			return -EINVAL;
		dir = open_parent(f, path, last, sizeof(last));
		if (dir < 0)
			return wire_err(-dir);
		r = hc->op == TESSERA_HC_UNLINK ? unlinkat(dir, last, 0) :
						   mkdirat(dir, last, (mode_t)hc->arg[1] & 07777);
		r = r ? (int)wire_err(errno) : 0;
		close(dir);
		return r;
	case TESSERA_HC_ABORT_JOB:
		*abort_code = (int)hc->arg[0];
		return 0;
	default:
		return -TESSERA_ENOSYS;
	}
}

int hd_hostcall_serve(struct hd_board *b, uint32_t core, struct hd_files *f, int *abort_code)
{
	struct tessera_hostcall *hc = &hd_hostwin(b, core)->hostcall;
	uint32_t seq = __atomic_load_n(&hc->req_seq, __ATOMIC_ACQUIRE);
	struct hd_shm shm = { b->chip + b->layout.shared_off, b->layout.shared_bytes };
	int pending = 0;
	int64_t ret;

	if (seq == hc->resp_seq)
		return 0;
	if (ensure_table(f, tessera_cores(&b->geom)))
		return 0;
	ret = serve(f, f->fd[core], hc, b->core[core].rank == 0, &shm, abort_code, &pending);
	if (pending)
		return -EAGAIN;		/* answered later, when stdin has data */
	hc->ret = ret;
	__atomic_store_n(&hc->resp_seq, seq, __ATOMIC_RELEASE);
	hd_core_irq(b, core);
	return 1;
}
