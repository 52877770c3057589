// SPDX-License-Identifier: MIT
/*
 * posix_io.c: positioned file I/O, which Newlib leaves out: pread, pwrite, ftruncate, fsync,
 * fdatasync, as host calls (TESSERA_HC_PREADV and friends, board.h) on the files a tile
 * opened; the host checks them like every file call. Transfers go through the host-call
 * mailbox, a mailbox's worth at a time. (lib/mpi's MPI-IO uses the same calls with many
 * pieces per call and its data in shared DRAM.)
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "tk.h"

#define CHUNK (TESSERA_HOSTCALL_DATA - sizeof(struct tessera_hc_piece))

static ssize_t fail(int64_t r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (ssize_t)r;
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	size_t done = 0;

	if (off < 0) {
		errno = EINVAL;
		return -1;
	}
	while (done < n) {
		struct tessera_hc_piece p = { off + (off_t)done, (int64_t)(n - done < CHUNK ? n - done : CHUNK) };
		int64_t arg[6] = { fd, 1, p.len, -1 };
		int64_t r = tk_hostcall(TESSERA_HC_PREADV, arg, &p, sizeof(p), (char *)buf + done,
					(size_t)p.len);

		if (r < 0)
			return done ? (ssize_t)done : fail(r);
		done += (size_t)r;
		if (r < p.len)
			break;
	}
	return (ssize_t)done;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static union {
		struct tessera_hc_piece p;
		char bytes[TESSERA_HOSTCALL_DATA];
	} msg;
	size_t done = 0;

	if (off < 0) {
		errno = EINVAL;
		return -1;
	}
	do {
		int64_t arg[6] = { fd, 1, 0, -1 };
		int64_t r;

		msg.p.off = off + (off_t)done;
		msg.p.len = (int64_t)(n - done < CHUNK ? n - done : CHUNK);
		arg[2] = msg.p.len;
		memcpy(msg.bytes + sizeof(msg.p), (const char *)buf + done, (size_t)msg.p.len);
		r = tk_hostcall(TESSERA_HC_PWRITEV, arg, &msg, sizeof(msg.p) + (size_t)msg.p.len, 0, 0);
		if (r < 0)
			return done ? (ssize_t)done : fail(r);
		done += (size_t)r;
		if (r < msg.p.len)
			break;
	} while (done < n);
	return (ssize_t)done;
}

int ftruncate(int fd, off_t length)
{
	int64_t arg[6] = { fd, length };

	return (int)fail(tk_hostcall(TESSERA_HC_FTRUNCATE, arg, 0, 0, 0, 0));
}

int fsync(int fd)
{
	int64_t arg[6] = { fd };

	return (int)fail(tk_hostcall(TESSERA_HC_FSYNC, arg, 0, 0, 0, 0));
}

int fdatasync(int fd)
{
	return fsync(fd);
}
