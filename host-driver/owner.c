// SPDX-License-Identifier: MIT
/*
 * owner.c: who owns a board and its cores, as the kernel tells it. Every board directory
 * holds a file `owner`, which no core maps and no host call reaches, and which only host
 * processes write. Liveness is never read from it, nor from board memory: it is told by
 * POSIX record locks on it, which the kernel drops when their holder exits, however it
 * exits (SIGKILL included), and whose holder's pid F_GETLK reports:
 *
 *   byte 0       the board's creator, while it lives: a board of `tessera run` is removed
 *                by its creator, so when nobody holds byte 0 the board is stale. A board of
 *                `tessera boot` is kept: its creator holds byte 0 only while making it.
 *   byte 1 + c   core c is in use by a host process: loaded by it (hd_job_load), or run by
 *                it (hd_core_release), until it holds the core again or ends.
 *
 * The file's contents (struct owner_rec) only describe the board for `tessera ls`: kind,
 * creator, creation time, last job's image and ranks. No pid in it is ever signalled.
 *
 * POSIX locks have one trap: a process loses all its locks on a file when it closes any
 * descriptor of that file. So a process opens each owner file once (a table of open owner
 * files, looked up by device and inode after a stat, which does not open), and every use
 * in the process shares that descriptor. Forked children (emu cores, QEMU) never hold a
 * POSIX lock of their parent.
 *
 * A board is made so that a half-made one can be told from one being made: the directory
 * first, then the owner file under a temporary name, locked, then renamed `owner` (a
 * rename keeps the inode and its lock), then the board's files. A board directory whose
 * `owner` is not locked and whose chip has no magic was abandoned while being made. A
 * directory without `owner` was made by another version of tessera (or its maker died in
 * the microseconds before the rename): it is listed, never removed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hd_impl.h"

#define OWNER_MAGIC "TSOWNER"
#define OWNER_VERSION 1u
#define OWNER_RUN 1u
#define OWNER_BOOT 2u
#define MAX_OPEN 64

struct owner_rec {
	char magic[8];		/* OWNER_MAGIC */
	uint32_t version;	/* OWNER_VERSION */
	uint32_t kind;		/* OWNER_RUN or OWNER_BOOT */
	int32_t creator_pid;	/* as the creator wrote it: informative only */
	uint32_t nranks;	/* of the last job loaded */
	uint64_t created_ns;	/* CLOCK_REALTIME */
	uint64_t loaded_ns;	/* of the last job (0: none yet) */
	char program[512];	/* the last job's image */
};

static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	dev_t dev;
	ino_t ino;
	int fd, refs;
	int creator;	/* this process holds byte 0 (F_GETLK never reports our own locks) */
} table[MAX_OPEN];

static void owner_path(const char *dir, char *out)
{
	snprintf(out, PATH_MAX, "%s/owner", dir);
}

/* The process's descriptor of dir's owner file (opened once), or -errno. */
static int owner_get(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	int fd = -ENOENT, free_slot = -1;

	owner_path(dir, path);
	if (stat(path, &st))
		return -errno;
	pthread_mutex_lock(&table_mu);
	for (int i = 0; i < MAX_OPEN; i++) {
		if (table[i].refs && table[i].dev == st.st_dev && table[i].ino == st.st_ino) {
			table[i].refs++;
			fd = table[i].fd;
			goto out;
		}
		if (!table[i].refs && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0) {
		fd = -EMFILE;
		goto out;
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		goto out;
	}
	if (fstat(fd, &st)) {
		close(fd);
		fd = -EIO;
		goto out;
	}
	table[free_slot].dev = st.st_dev;
	table[free_slot].ino = st.st_ino;
	table[free_slot].fd = fd;
	table[free_slot].refs = 1;
	table[free_slot].creator = 0;
out:
	pthread_mutex_unlock(&table_mu);
	return fd;
}

/* Enter a descriptor this process just made (refs 1). */
static int owner_enter(int fd)
{
	struct stat st;
	int rc = -EMFILE;

	if (fstat(fd, &st))
		return -errno;
	pthread_mutex_lock(&table_mu);
	for (int i = 0; i < MAX_OPEN; i++)
		if (!table[i].refs) {
			table[i].dev = st.st_dev;
			table[i].ino = st.st_ino;
			table[i].fd = fd;
			table[i].refs = 1;
			table[i].creator = 1;
			rc = 0;
			break;
		}
	pthread_mutex_unlock(&table_mu);
	return rc;
}

/* Whether this process made the board of fd and still holds its byte 0. */
static int self_creator(int fd)
{
	int yes = 0;

	pthread_mutex_lock(&table_mu);
	for (int i = 0; i < MAX_OPEN; i++)
		if (table[i].refs && table[i].fd == fd)
			yes = table[i].creator;
	pthread_mutex_unlock(&table_mu);
	return yes;
}

static void set_creator(int fd, int yes)
{
	pthread_mutex_lock(&table_mu);
	for (int i = 0; i < MAX_OPEN; i++)
		if (table[i].refs && table[i].fd == fd)
			table[i].creator = yes;
	pthread_mutex_unlock(&table_mu);
}

/* Drop one use; the last closes the descriptor, which drops this process's locks. */
static void owner_put(int fd)
{
	if (fd < 0)
		return;
	pthread_mutex_lock(&table_mu);
	for (int i = 0; i < MAX_OPEN; i++)
		if (table[i].refs && table[i].fd == fd) {
			if (--table[i].refs == 0)
				close(fd);
			break;
		}
	pthread_mutex_unlock(&table_mu);
}

static int set_lock(int fd, int type, off_t start, off_t len)
{
	struct flock fl = { .l_type = (short)type, .l_whence = SEEK_SET, .l_start = start,
			    .l_len = len };

	return fcntl(fd, F_SETLK, &fl) ? -errno : 0;
}

/* The pid of another process holding a lock on [start, start+len): 0 when none, -1 when
 * one does whose pid this process cannot see (another pid namespace). */
static pid_t lock_holder(int fd, off_t start, off_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start,
			    .l_len = len };

	if (fd < 0 || fcntl(fd, F_GETLK, &fl) || fl.l_type == F_UNLCK)
		return 0;
	return fl.l_pid > 0 ? fl.l_pid : -1;
}

static uint64_t realtime_ns(void)
{
	return hd_now_ns(CLOCK_REALTIME);
}

int hd_owner_make(struct hd_board *b, int persistent)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	struct owner_rec rec = { .magic = OWNER_MAGIC, .version = OWNER_VERSION };
	int fd, rc;

	snprintf(tmp, sizeof(tmp), "%s/owner.new", b->dir);
	owner_path(b->dir, path);
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return hd_fail(-errno, "%s: %s", tmp, strerror(errno));
	rec.kind = persistent ? OWNER_BOOT : OWNER_RUN;
	rec.creator_pid = getpid();
	rec.created_ns = realtime_ns();
	if ((rc = set_lock(fd, F_WRLCK, 0, 1)) ||
	    pwrite(fd, &rec, sizeof(rec), 0) != (ssize_t)sizeof(rec) ||
	    rename(tmp, path) || (rc = owner_enter(fd))) {
		rc = hd_fail(rc ? rc : -errno, "%s: %s", path, strerror(rc ? -rc : errno));
		close(fd);
		unlink(tmp);
		return rc;
	}
	b->owner_fd = fd;
	return 0;
}

void hd_owner_made(struct hd_board *b)
{
	if (b->persistent && b->owner_fd >= 0) {
		set_lock(b->owner_fd, F_UNLCK, 0, 1);	/* a kept board has no creator */
		set_creator(b->owner_fd, 0);
	}
}

int hd_owner_attach(struct hd_board *b)
{
	int fd = owner_get(b->dir);

	if (fd < 0)
		return hd_fail(fd == -ENOENT ? -EPROTO : fd, "board %s: %s", b->dir,
			       fd == -ENOENT ? "no owner file (made by another version of tessera)"
					     : strerror(-fd));
	b->owner_fd = fd;
	return 0;
}

void hd_owner_detach(struct hd_board *b)
{
	owner_put(b->owner_fd);
	b->owner_fd = -1;
}

/* "process 1234 (tessera run -n 4 hello)": the kernel's command line of a pid. */
static const char *describe(pid_t pid, char *out, size_t n)
{
	char path[64], cmd[256];
	size_t len = 0;
	FILE *f;

	if (pid <= 0) {
		snprintf(out, n, "a process of another pid namespace");
		return out;
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if ((f = fopen(path, "r"))) {
		len = fread(cmd, 1, sizeof(cmd) - 1, f);
		fclose(f);
	}
	while (len && cmd[len - 1] == 0)
		len--;
	for (size_t i = 0; i < len; i++)
		if (cmd[i] == 0 || (unsigned char)cmd[i] < 32)
			cmd[i] = ' ';
	cmd[len] = 0;
	if (len)
		snprintf(out, n, "process %d (%s)", (int)pid, cmd);
	else
		snprintf(out, n, "process %d", (int)pid);
	return out;
}

int hd_owner_lock_core(struct hd_board *b, uint32_t core)
{
	int rc;
	pid_t who;
	char job[320];

	if (b->owner_fd < 0)
		return 0;	/* a PCI board: its cores are started by the board */
	rc = set_lock(b->owner_fd, F_WRLCK, 1 + (off_t)core, 1);
	if (rc != -EAGAIN && rc != -EACCES)
		return rc ? hd_fail(rc, "board %s: core %u: %s", b->dir, core, strerror(-rc)) : 0;
	who = lock_holder(b->owner_fd, 1 + (off_t)core, 1);
	describe(who, job, sizeof(job));
	return hd_fail(-EBUSY, "core %u of board %s is busy: a job of %s runs on it (hold it "
		       "first: tessera reset --board %s --hold --cores %u)", core, b->dir, job,
		       b->dir, core);
}

void hd_owner_unlock_core(struct hd_board *b, uint32_t core)
{
	if (b->owner_fd >= 0)
		set_lock(b->owner_fd, F_UNLCK, 1 + (off_t)core, 1);
}

pid_t hd_owner_core_holder(struct hd_board *b, uint32_t core)
{
	return lock_holder(b->owner_fd, 1 + (off_t)core, 1);
}

pid_t hd_owner_any_holder(struct hd_board *b)
{
	return lock_holder(b->owner_fd, 0, 0);
}

void hd_owner_note_job(struct hd_board *b, const char *image, uint32_t nranks)
{
	struct owner_rec rec;

	if (b->owner_fd < 0 || pread(b->owner_fd, &rec, sizeof(rec), 0) != (ssize_t)sizeof(rec))
		return;
	rec.nranks = nranks;
	rec.loaded_ns = realtime_ns();
	snprintf(rec.program, sizeof(rec.program), "%s", image ? image : "");
	if (pwrite(b->owner_fd, &rec, sizeof(rec), 0) != (ssize_t)sizeof(rec))
		return;	/* only what `tessera ls` shows is lost */
}

/* ---- boards as `tessera ls` sees them, without opening them as boards ---- */

/* Geometry, magic and core states from the chip file; 0 when it is a complete board. */
static int read_chip(const char *dir, struct tessera_header *h, uint32_t **state)
{
	char path[PATH_MAX];
	struct tessera_layout l;
	int fd, rc = -EPROTO;

	*state = NULL;
	snprintf(path, sizeof(path), "%s/chip", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, h, sizeof(*h), 0) != (ssize_t)sizeof(*h) || h->magic != TESSERA_BOARD_MAGIC ||
	    h->version != TESSERA_LAYOUT_VERSION || hd_geom_check(&h->geom))
		goto out;
	tessera_layout_compute(&h->geom, &l);
	if (memcmp(&l, &h->layout, sizeof(l)))
		goto out;
	*state = calloc(tessera_cores(&h->geom), sizeof(uint32_t));
	if (!*state) {
		rc = -ENOMEM;
		goto out;
	}
	for (uint32_t c = 0; c < tessera_cores(&h->geom); c++)
		if (pread(fd, &(*state)[c], sizeof(uint32_t), (off_t)tessera_hostwin_off(&l, c) +
			  (off_t)offsetof(struct tessera_hostwin, status.state)) != sizeof(uint32_t))
			(*state)[c] = TESSERA_CORE_RESET;
	rc = 0;
out:
	close(fd);
	return rc;
}

HD_API int hd_board_status(const char *handle, struct hd_board_status *out)
{
	struct tessera_header *h = NULL;
	struct owner_rec rec;
	struct stat st;
	uint32_t *state = NULL;
	int fd, chip_ok;

	if (!handle || !out)
		return hd_fail(-EINVAL, "hd_board_status: NULL argument");
	memset(out, 0, sizeof(*out));
	snprintf(out->handle, sizeof(out->handle), "%s", handle);
	if (stat(handle, &st) || !S_ISDIR(st.st_mode))
		return hd_fail(-ENOENT, "board %s: no such board", handle);
	out->created_ns = (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec;
	if (!(h = malloc(sizeof(*h))))
		return hd_fail(-ENOMEM, "out of memory");
	chip_ok = read_chip(handle, h, &state) == 0;
	if (chip_ok)
		out->cores = tessera_cores(&h->geom);
	fd = owner_get(handle);
	if (fd < 0) {
		out->state = HD_BOARD_FOREIGN;
		goto done;
	}
	if (pread(fd, &rec, sizeof(rec), 0) == (ssize_t)sizeof(rec) &&
	    !memcmp(rec.magic, OWNER_MAGIC, sizeof(OWNER_MAGIC)) && rec.version == OWNER_VERSION) {
		rec.program[sizeof(rec.program) - 1] = 0;
		out->kept = rec.kind == OWNER_BOOT;
		out->creator_pid = rec.creator_pid;
		out->created_ns = rec.created_ns;
		out->nranks = rec.nranks;
		snprintf(out->program, sizeof(out->program), "%s", rec.program);
	}
	out->owner_pid = self_creator(fd) ? getpid() : lock_holder(fd, 0, 1);
	for (uint32_t c = 0; c < out->cores; c++) {
		pid_t who = lock_holder(fd, 1 + (off_t)c, 1);

		if (who) {
			out->busy_cores++;
			if (!out->owner_pid)
				out->owner_pid = who;
		} else if (state[c] == TESSERA_CORE_BOOTING || state[c] == TESSERA_CORE_RUNNING) {
			out->lost_cores++;
		}
	}
	if (!chip_ok)
		out->state = out->owner_pid ? HD_BOARD_MAKING : HD_BOARD_STALE;
	else if (out->kept)
		out->state = HD_BOARD_ALIVE;
	else
		out->state = self_creator(fd) || lock_holder(fd, 0, 1) ? HD_BOARD_ALIVE :
									HD_BOARD_STALE;
	owner_put(fd);
done:
	free(state);
	free(h);
	return 0;
}

static int is_board_name(const char *name)
{
	return !strncmp(name, "tessera-", 8);
}

HD_API int hd_board_list(const char *dir, struct hd_board_status **out, size_t *n)
{
	DIR *d;
	struct dirent *e;
	struct hd_board_status *list = NULL;
	size_t len = 0, cap = 0;

	if (!out || !n)
		return hd_fail(-EINVAL, "hd_board_list: NULL argument");
	*out = NULL;
	*n = 0;
	if (!dir)
		dir = hd_board_dir();
	if (!(d = opendir(dir)))
		return hd_fail(-errno, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		char path[PATH_MAX];

		if (!is_board_name(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (len == cap) {
			struct hd_board_status *nl = realloc(list, (cap = cap ? 2 * cap : 16) *
								   sizeof(*list));
			if (!nl) {
				free(list);
				closedir(d);
				return hd_fail(-ENOMEM, "out of memory");
			}
			list = nl;
		}
		if (hd_board_status(path, &list[len]) == 0)
			len++;
	}
	closedir(d);
	*out = list;
	*n = len;
	return 0;
}

HD_API int hd_board_clean(const char *handle)
{
	struct hd_board_status s;
	int fd, rc;

	if ((rc = hd_board_status(handle, &s)))
		return rc;
	if (s.state == HD_BOARD_FOREIGN)
		return hd_fail(-EPROTO, "board %s: no owner file (made by another version of "
			       "tessera): left alone", handle);
	if (s.state != HD_BOARD_STALE)
		return hd_fail(-EBUSY, "board %s is %s: `tessera shutdown --board %s` stops it",
			       handle, s.state == HD_BOARD_MAKING ? "being made" : "alive", handle);
	if ((fd = owner_get(handle)) < 0)
		return hd_fail(fd, "board %s: %s", handle, strerror(-fd));
	/* The whole file locked: nobody alive uses the board, and nobody can start to now. */
	rc = set_lock(fd, F_WRLCK, 0, 0);
	if (rc)
		rc = hd_fail(-EBUSY, "board %s came alive meanwhile: left alone", handle);
	else
		hd_remove_tree(handle);
	owner_put(fd);
	return rc;
}

/* ---- removing a board that others may still hold (tessera shutdown) ---- */

/* Wait up to ms for every other process to let go of the board; a holder left, or 0. */
static pid_t wait_free(int fd, int ms)
{
	for (int waited = 0;; waited += 10) {
		pid_t who = lock_holder(fd, 0, 0);

		if (!who || waited >= ms)
			return who;
		usleep(10000);
	}
}

/* Whether pid holds a lock on the board's creator byte or one of its cores' bytes. */
static int holds(int fd, uint32_t ncores, pid_t pid)
{
	for (uint32_t i = 0; i <= ncores; i++)
		if (lock_holder(fd, (off_t)i, 1) == pid)
			return 1;
	return 0;
}

/*
 * Signal every process that holds the board, each verified: its pid comes from the
 * kernel's lock table, a pidfd then pins that very process, and the lock table is asked
 * again whether it (still) holds the board before the signal goes. A pid read from board
 * memory or from the owner file is never signalled.
 */
static void signal_holders(int fd, uint32_t ncores, int sig)
{
	pid_t done[64];
	int ndone = 0;

	for (uint32_t i = 0; i <= ncores && ndone < 64; i++) {
		pid_t who = lock_holder(fd, (off_t)i, 1);
		int seen = 0, pfd;

		for (int k = 0; k < ndone; k++)
			seen |= done[k] == who;
		if (who <= 0 || seen)
			continue;
		done[ndone++] = who;
		pfd = pidfd_open(who, 0);
		if (pfd < 0)
			continue;
		if (holds(fd, ncores, who))
			pidfd_send_signal(pfd, sig, NULL, 0);
		close(pfd);
	}
}

int hd_owner_remove(struct hd_board *b)
{
	uint32_t ncores = tessera_cores(&b->geom);
	char who_text[320];
	pid_t who;
	int rc;

	if (b->owner_fd < 0)
		return hd_fail(-EPROTO, "board %s: no owner file", b->dir);
	/* held cores end the jobs of those who ran them; a board's creator then removes it */
	who = wait_free(b->owner_fd, 2000);
	for (int round = 0; who && round < 2; round++) {
		signal_holders(b->owner_fd, ncores, round ? SIGKILL : SIGTERM);
		who = wait_free(b->owner_fd, 3000);
	}
	if (who)
		return hd_fail(-EBUSY, "board %s is still held by %s", b->dir,
			       describe(who, who_text, sizeof(who_text)));
	/* The whole file locked: nobody uses the board, and nobody can start to now. */
	if ((rc = set_lock(b->owner_fd, F_WRLCK, 0, 0)))
		return hd_fail(-EBUSY, "board %s: taken by another process meanwhile", b->dir);
	hd_remove_tree(b->dir);
	return 0;
}
