/* SPDX-License-Identifier: MIT */
/*
 * hostcall_impl.h: what hostcall.c (the mailbox side: taking a request off a core's host
 * window, answering it, the worker threads) and hostfile.c (the file side: a core's files,
 * confined to the run directory) share. host-driver (and its tests and fuzz targets) only.
 *
 * A request is copied out of the core's mailbox into an hd_hc_msg, the host's own memory,
 * before anything in it is looked at: a tile can rewrite its mailbox at any moment, so the
 * host checks and serves the copy, never the board's bytes (no check-then-use race).
 */
#ifndef HD_HOSTCALL_IMPL_H
#define HD_HOSTCALL_IMPL_H

#include <stdint.h>
#include "tessera/board.h"

struct hd_hc_msg {
	uint32_t op;		/* TESSERA_HC_* */
	int64_t arg[6];
	int64_t ret;		/* the answer: >= 0, or a negative errno value on the wire */
	uint32_t out_n;		/* bytes of data the answer carries (read, stat) */
	/* positioned I/O through shared DRAM: the host's own bounce buffer of bulk_n bytes,
	 * filled from shared DRAM before a write and copied back after a read by hostcall.c,
	 * so that hostfile.c never touches board memory (NULL: the data travel in data[]) */
	uint8_t *bulk;
	uint64_t bulk_n;
	/* aligned as the mailbox's: a stat result is written into it as a struct */
	uint8_t data[TESSERA_HOSTCALL_DATA] __attribute__((aligned(8)));
};

/* The files of a job's cores: the directories they may reach and each core's open files. */
struct hd_fileset;

/*
 * Open the directories tiles may reach: workdir (NULL: the current directory) and the
 * NULL-terminated allow list. Each must exist and be a directory: -ENOENT, -ENOTDIR, ...
 * with hd_last_error() naming it. *out to free with hd_fileset_free.
 */
int hd_fileset_new(const char *workdir, const char *const *allow, uint32_t ncores,
		   struct hd_fileset **out);
void hd_fileset_free(struct hd_fileset *fs);
/* Refuse every path that leads into dir (a board directory: its files are the host's). */
void hd_fileset_guard(struct hd_fileset *fs, const char *dir);

/* Positioned I/O requests (TESSERA_HC_PREADV .. TESSERA_HC_FALLOCATE, board.h). */
static inline int hd_hc_is_pio(uint32_t op)
{
	return op >= TESSERA_HC_PREADV && op <= TESSERA_HC_FALLOCATE;
}

/* A vectored request whose bytes are in shared DRAM (arg[3] != -1), not in data[]. */
static inline int hd_hc_pio_bulk(const struct hd_hc_msg *m)
{
	return (m->op == TESSERA_HC_PREADV || m->op == TESSERA_HC_PWRITEV) && m->arg[3] != -1;
}

/*
 * Serve one file request of a core (open, close, read, write, lseek, fstat, isatty and the
 * positioned I/O calls on the tile's own files, i.e. fd >= 3; stat, unlink, mkdir on paths) in
 * the calling thread: sets
 * m->ret and m->out_n. Only regular files, directories and the memory devices are reached (a
 * FIFO, a terminal, another device or a socket is refused with EACCES without being opened),
 * so nothing here waits for another process; a slow file system can still take its time, which is why the mailbox side calls
 * this from a worker thread. Never touches board memory. Thread-safe across cores, not for
 * two requests of one core at once.
 */
void hd_fileset_serve(struct hd_fileset *fs, uint32_t core, struct hd_hc_msg *m);

/* Linux errno -> the wire's (Newlib's), negated. */
int64_t hd_wire_err(int e);

#endif
