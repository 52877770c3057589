// SPDX-License-Identifier: MIT
/*
 * hostfile.c: the file side of host calls: a core's files, confined to the run directory
 * and the directories the user granted. A path is resolved with openat2(RESOLVE_BENEATH)
 * under the root it names, so neither `..` nor a symbolic link leads outside it. Only
 * regular files, directories and the memory devices (null, zero, ...) are reached: a FIFO,
 * a terminal or another device could make the host wait for a process that never comes (or
 * have side effects when opened), so it is looked at without being opened (O_PATH) and
 * refused. Files and directories a tile
 * creates never get setuid, setgid or sticky bits, and a tile never writes a setuid or
 * setgid file. Open flags and errno values travel in Newlib's numbering (board.h). Not the
 * mailbox (hostcall.c) and never board memory: requests arrive as the host's own copy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "hd_impl.h"
#include "hostcall_impl.h"

#define HD_FILES_PER_CORE 64
#define HD_MAX_ROOTS 16

struct hd_fileset {
	int nroots;
	int root_fd[HD_MAX_ROOTS];		/* [0]: the run directory */
	char root[HD_MAX_ROOTS][PATH_MAX];	/* their real paths */
	char guard[PATH_MAX];			/* a directory never reached ("": none) */
	uint32_t ncores;
	int (*fd)[HD_FILES_PER_CORE];		/* per core: tile fd -> host fd (-1 free) */
};

int64_t hd_wire_err(int e)
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

int hd_fileset_new(const char *workdir, const char *const *allow, uint32_t ncores,
		   struct hd_fileset **out)
{
	struct hd_fileset *fs = calloc(1, sizeof(*fs));
	const char *dirs[HD_MAX_ROOTS];
	int n = 0, rc = 0;

	*out = NULL;
	if (!fs || !(fs->fd = malloc(sizeof(*fs->fd) * (ncores ? ncores : 1)))) {
		free(fs);
		return hd_fail(-ENOMEM, "out of memory");
	}
	fs->ncores = ncores;
	for (uint32_t c = 0; c < ncores; c++)
		for (int i = 0; i < HD_FILES_PER_CORE; i++)
			fs->fd[c][i] = -1;
	dirs[n++] = workdir ? workdir : ".";
	for (; allow && *allow; allow++) {
		if (n == HD_MAX_ROOTS) {
			rc = hd_fail(-E2BIG, "--allow-path: at most %d directories", HD_MAX_ROOTS - 1);
			goto fail;
		}
		dirs[n++] = *allow;
	}
	for (int i = 0; i < n; i++) {
		const char *what = i ? "--allow-path" : "--workdir";
		int fd;

		if (!realpath(dirs[i], fs->root[i])) {
			rc = hd_fail(-errno, "%s %s: %s", what, dirs[i], strerror(errno));
			goto fail;
		}
		fd = open(fs->root[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			rc = hd_fail(-errno, "%s %s: %s", what, dirs[i], strerror(errno));
			goto fail;
		}
		fs->root_fd[fs->nroots++] = fd;
	}
	*out = fs;
	return 0;
fail:
	hd_fileset_free(fs);
	return rc;
}

void hd_fileset_free(struct hd_fileset *fs)
{
	if (!fs)
		return;
	for (int i = 0; i < fs->nroots; i++)
		close(fs->root_fd[i]);
	for (uint32_t c = 0; c < fs->ncores; c++)
		for (int i = 3; i < HD_FILES_PER_CORE; i++)
			if (fs->fd[c][i] >= 0)
				close(fs->fd[c][i]);
	free(fs->fd);
	free(fs);
}

void hd_fileset_guard(struct hd_fileset *fs, const char *dir)
{
	if (fs && dir && !realpath(dir, fs->guard))
		snprintf(fs->guard, sizeof(fs->guard), "%s", dir);
}

/* Whether an open descriptor is the guarded directory or lies beneath it. */
static int guarded(const struct hd_fileset *fs, int fd)
{
	char link[64], path[PATH_MAX];
	size_t n = strlen(fs->guard);
	ssize_t got;

	if (!n)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	got = readlink(link, path, sizeof(path) - 1);
	if (got < 0)
		return 1;	/* cannot tell: refuse */
	path[got] = 0;
	return !strncmp(path, fs->guard, n) && (path[n] == '/' || !path[n]);
}

/* Which root a path lives under: its fd, and the path relative to it (may be ""). */
static int pick_root(const struct hd_fileset *fs, const char *path, const char **rel)
{
	if (path[0] != '/') {
		*rel = path;
		return fs->nroots ? fs->root_fd[0] : -EACCES;
	}
	for (int i = 0; i < fs->nroots; i++) {
		size_t n = strlen(fs->root[i]);
		if (!strncmp(path, fs->root[i], n) && (path[n] == '/' || !path[n] || n == 1)) {
			*rel = path + n;
			while (**rel == '/')
				(*rel)++;
			return fs->root_fd[i];
		}
	}
	return -EACCES;
}

/* openat2 beneath the path's root; the result is refused if it is in the guarded dir. */
static int open_beneath(const struct hd_fileset *fs, const char *path, int flags, int mode)
{
	struct open_how how = { .flags = (uint64_t)flags | O_CLOEXEC,
				.mode = flags & O_CREAT ? (uint64_t)mode : 0,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	const char *rel;
	int root = pick_root(fs, path, &rel), fd;

	if (root < 0)
		return root;
	fd = (int)syscall(SYS_openat2, root, *rel ? rel : ".", &how, sizeof(how));
	if (fd < 0)
		return -errno;
	if (guarded(fs, fd)) {
		close(fd);
		return -EACCES;
	}
	return fd;
}

/* The parent directory of path (beneath its root) and the last component. path is shorter
 * than PATH_MAX (path_arg), so neither copy is cut. */
static int open_parent(const struct hd_fileset *fs, const char *path, char *last,
		       size_t last_n)
{
	char dir[PATH_MAX];
	const char *slash;
	size_t n = strlen(path);

	if (n >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, n + 1);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = 0;
	slash = strrchr(dir, '/');
	if (strlen(slash ? slash + 1 : dir) >= last_n)
		return -ENAMETOOLONG;
	strcpy(last, slash ? slash + 1 : dir);
	if (!*last || !strcmp(last, ".") || !strcmp(last, ".."))
		return -EINVAL;
	if (slash)
		dir[slash == dir ? 1 : slash - dir] = 0;
	else
		strcpy(dir, ".");
	return open_beneath(fs, dir, O_PATH | O_DIRECTORY, 0);
}

/* Newlib's open flags -> Linux's; -EINVAL for an access mode that is none of the three. */
static int host_flags(int64_t w)
{
	int fl = (int)(w & TESSERA_O_ACCMODE);

	if (fl == TESSERA_O_ACCMODE)
		return -EINVAL;
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

/* Regular files, directories, and the memory devices that never wait (null, zero, full,
 * random, urandom: major 1, Documentation/admin-guide/devices.txt). */
static int reachable(const struct stat *st)
{
	unsigned mi = minor(st->st_rdev);

	if (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))
		return 1;
	return S_ISCHR(st->st_mode) && major(st->st_rdev) == 1 &&
	       (mi == 3 || mi == 5 || mi == 7 || mi == 8 || mi == 9);
}

/*
 * Open a tile's file. First a look without opening (O_PATH has no side effects and never
 * waits): anything but a regular file or directory is refused, and so is writing a setuid
 * or setgid file. Then the real open, with O_NONBLOCK and O_NOCTTY so that a file swapped
 * for a FIFO or a terminal in between cannot make it wait or take a controlling terminal,
 * and the same check on what was opened.
 */
static int open_file(const struct hd_fileset *fs, const char *path, int64_t wflags, int64_t mode)
{
	int flags = host_flags(wflags), writes, fd;
	struct stat st;

	if (flags < 0)
		return flags;
	writes = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	fd = open_beneath(fs, path, O_PATH, 0);
	if (fd >= 0) {
		int bad = fstat(fd, &st) ? -errno : 0;
		close(fd);
		if (bad)
			return bad;
		if (!reachable(&st) || (writes && (st.st_mode & (S_ISUID | S_ISGID))))
			return -EACCES;
	} else if (fd != -ENOENT || !(flags & O_CREAT)) {
		return fd;
	}
	fd = open_beneath(fs, path, flags | O_NOCTTY | O_NONBLOCK, (int)(mode & 0777));
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) || !reachable(&st) || (writes && (st.st_mode & (S_ISUID | S_ISGID)))) {
		close(fd);
		return -EACCES;
	}
	return fd;
}

/* mkdir without special bits: a directory made in a setgid directory inherits its setgid
 * bit from it (whatever the mode asks), so that is cleared too. */
static int make_dir(int dir, const char *last, int64_t mode)
{
	struct stat st;
	int fd;

	if (mkdirat(dir, last, (mode_t)(mode & 0777)))
		return -errno;
	fd = openat(dir, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (!fstat(fd, &st) && (st.st_mode & 07000))
		fchmod(fd, st.st_mode & 0777);
	close(fd);
	return 0;
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

/* A path argument: NUL-terminated within arg[0] bytes of the data, shorter than PATH_MAX.
 * Returns the path, or NULL with *err set. */
static const char *path_arg(struct hd_hc_msg *m, int *err)
{
	int64_t n = m->arg[0];

	*err = -EINVAL;
	if (n < 1 || n > TESSERA_HOSTCALL_DATA || m->data[n - 1] != 0 ||
	    strlen((const char *)m->data) != (size_t)n - 1)
		return NULL;
	*err = -ENAMETOOLONG;
	if (n > PATH_MAX)
		return NULL;
	return (const char *)m->data;
}

/* A stat result in the data. */
static int64_t put_stat(struct hd_hc_msg *m, const struct stat *st)
{
	to_wire(st, (struct tessera_hc_stat *)m->data);
	m->out_n = sizeof(struct tessera_hc_stat);
	return sizeof(struct tessera_hc_stat);
}

static int64_t serve_path(struct hd_fileset *fs, int *fds, struct hd_hc_msg *m)
{
	char last[PATH_MAX];
	const char *path;
	struct stat st;
	int err, host, r;

	if (!(path = path_arg(m, &err)))
		return hd_wire_err(-err);
	switch (m->op) {
	case TESSERA_HC_OPEN:
		for (r = 3; r < HD_FILES_PER_CORE && fds[r] >= 0; r++)
			;
		if (r == HD_FILES_PER_CORE)
			return hd_wire_err(EMFILE);
		host = open_file(fs, path, m->arg[1], m->arg[2]);
		if (host < 0)
			return hd_wire_err(-host);
		fds[r] = host;
		return r;
	case TESSERA_HC_STAT:
		host = open_beneath(fs, path, O_PATH, 0);
		if (host < 0)
			return hd_wire_err(-host);
		r = fstat(host, &st) ? -errno : 0;
		close(host);
		return r ? hd_wire_err(-r) : put_stat(m, &st);
	case TESSERA_HC_UNLINK:
	case TESSERA_HC_MKDIR:
		host = open_parent(fs, path, last, sizeof(last));
		if (host < 0)
			return hd_wire_err(-host);
		if (m->op == TESSERA_HC_UNLINK)
			r = unlinkat(host, last, 0) ? -errno : 0;
		else
			r = make_dir(host, last, m->arg[1]);
		close(host);
		return r ? hd_wire_err(-r) : 0;
	default:
		return -TESSERA_ENOSYS;
	}
}

/* ---- Positioned I/O (MPI-IO, pread/pwrite) ----
 * Everything in the request is the tile's: the piece list, every length and offset, are
 * checked before one byte moves; only regular files (no call can wait on a pipe or a
 * terminal); a call moves at most TESSERA_HC_SHM_MAX bytes (or the mailbox's worth) and makes
 * at most TESSERA_HC_MAX_PIECES pieces' worth of system calls. Bytes in shared DRAM arrive in
 * the host's bounce buffer (m->bulk), never as board memory. */
static int64_t pio_vector(int host, struct hd_hc_msg *m)
{
	int write_op = m->op == TESSERA_HC_PWRITEV;
	int64_t n = m->arg[1], total = m->arg[2], sum = 0, done = 0;
	struct tessera_hc_piece pc[TESSERA_HC_MAX_PIECES];
	size_t list;
	uint8_t *bytes;

	if (n < 1 || (uint64_t)n > TESSERA_HC_MAX_PIECES || total < 0)
		return hd_wire_err(EINVAL);
	list = (size_t)n * sizeof(pc[0]);
	memcpy(pc, m->data, list);
	for (int64_t i = 0; i < n; i++) {
		if (pc[i].off < 0 || pc[i].len < 0 || pc[i].off > INT64_MAX - pc[i].len ||
		    pc[i].len > total - sum)
			return hd_wire_err(EINVAL);
		sum += pc[i].len;
	}
	if (sum != total)
		return hd_wire_err(EINVAL);
	if (!hd_hc_pio_bulk(m)) {
		if ((uint64_t)total > TESSERA_HOSTCALL_DATA - list)
			return hd_wire_err(EINVAL);
		bytes = write_op ? m->data + list : m->data;	/* (the list is copied) */
	} else {
		if (!m->bulk || (uint64_t)total > m->bulk_n)
			return hd_wire_err(EINVAL);
		bytes = m->bulk;
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
			if (r < 0) {
				if (!done)
					return hd_wire_err(errno);
				goto out;
			}
			if (r == 0)	/* end of file (reads), or nothing written: stop here */
				goto out;
			got += r;
			done += r;
		}
	}
out:
	if (!write_op && !hd_hc_pio_bulk(m))
		m->out_n = (uint32_t)done;
	return done;
}

static int64_t serve_pio(int host, struct hd_hc_msg *m)
{
	struct stat st;
	int r;

	if (fstat(host, &st))
		return hd_wire_err(errno);
	if (!S_ISREG(st.st_mode))
		return hd_wire_err(ESPIPE);
	switch (m->op) {
	case TESSERA_HC_PREADV:
	case TESSERA_HC_PWRITEV:
		return pio_vector(host, m);
	case TESSERA_HC_FTRUNCATE:
		if (m->arg[1] < 0)
			return hd_wire_err(EINVAL);
		return ftruncate(host, (off_t)m->arg[1]) ? hd_wire_err(errno) : 0;
	case TESSERA_HC_FSYNC:
		return fsync(host) ? hd_wire_err(errno) : 0;
	default:	/* TESSERA_HC_FALLOCATE */
		if (m->arg[1] < 0 || m->arg[2] < 0 || m->arg[1] > INT64_MAX - m->arg[2])
			return hd_wire_err(EINVAL);
		if (!m->arg[2])
			return 0;
		r = posix_fallocate(host, (off_t)m->arg[1], (off_t)m->arg[2]);
		if (r == EOPNOTSUPP || r == EINVAL) {	/* a file system without it: grow */
			if (st.st_size >= m->arg[1] + m->arg[2])
				return 0;
			return ftruncate(host, (off_t)(m->arg[1] + m->arg[2])) ? hd_wire_err(errno) : 0;
		}
		return r ? hd_wire_err(r) : 0;
	}
}

static int64_t serve_fd(int *fds, struct hd_hc_msg *m)
{
	int64_t fd = m->arg[0], n = m->arg[1];
	struct stat st;
	ssize_t got;
	off_t at;
	int host;

	if (fd < 3 || fd >= HD_FILES_PER_CORE || fds[fd] < 0)
		return hd_wire_err(EBADF);
	host = fds[fd];
	if (hd_hc_is_pio(m->op))
		return serve_pio(host, m);
	switch (m->op) {
	case TESSERA_HC_CLOSE:
		fds[fd] = -1;
		close(host);
		return 0;
	case TESSERA_HC_READ:
		if (n < 0 || n > TESSERA_HOSTCALL_DATA)
			return hd_wire_err(EINVAL);
		got = read(host, m->data, (size_t)n);
		if (got < 0)
			return hd_wire_err(errno);
		m->out_n = (uint32_t)got;
		return got;
	case TESSERA_HC_WRITE:
		if (n < 0 || n > TESSERA_HOSTCALL_DATA)
			return hd_wire_err(EINVAL);
		got = write(host, m->data, (size_t)n);
		return got < 0 ? hd_wire_err(errno) : got;
	case TESSERA_HC_LSEEK:
		if (m->arg[2] != SEEK_SET && m->arg[2] != SEEK_CUR && m->arg[2] != SEEK_END)
			return hd_wire_err(EINVAL);
		at = lseek(host, (off_t)m->arg[1], (int)m->arg[2]);
		return at < 0 ? hd_wire_err(errno) : at;
	case TESSERA_HC_FSTAT:
		if (fstat(host, &st))
			return hd_wire_err(errno);
		return put_stat(m, &st);
	case TESSERA_HC_ISATTY:
		return 0;	/* only regular files and directories are ever opened */
	default:
		return -TESSERA_ENOSYS;
	}
}

void hd_fileset_serve(struct hd_fileset *fs, uint32_t core, struct hd_hc_msg *m)
{
	m->out_n = 0;
	if (core >= fs->ncores) {
		m->ret = hd_wire_err(EINVAL);
		return;
	}
	switch (m->op) {
	case TESSERA_HC_OPEN:
	case TESSERA_HC_STAT:
	case TESSERA_HC_UNLINK:
	case TESSERA_HC_MKDIR:
		m->ret = serve_path(fs, fs->fd[core], m);
		break;
	case TESSERA_HC_CLOSE:
	case TESSERA_HC_READ:
	case TESSERA_HC_WRITE:
	case TESSERA_HC_LSEEK:
	case TESSERA_HC_FSTAT:
	case TESSERA_HC_ISATTY:
	case TESSERA_HC_PREADV:
	case TESSERA_HC_PWRITEV:
	case TESSERA_HC_FTRUNCATE:
	case TESSERA_HC_FSYNC:
	case TESSERA_HC_FALLOCATE:
		m->ret = serve_fd(fs->fd[core], m);
		break;
	default:
		m->ret = -TESSERA_ENOSYS;
		break;
	}
}
