/* SPDX-License-Identifier: MIT */
/*
 * mpii_file.h: what the files of MPI-IO share (file_*.c); included only there. The design is
 * docs/mpi-io.md's; in short:
 *
 *  - Every rank opens the file itself through the host (a host call, confined to the run's
 *    directory like every file a tile opens) and moves its data with positioned, vectored
 *    host calls (TESSERA_HC_PREADV/_PWRITEV, board.h): many pieces per call, the bytes in the
 *    host-call mailbox when they are few, else in shared DRAM, which the host reads and
 *    writes itself.
 *  - A view maps the data stream of a rank (etypes, in the file's representation) to file
 *    offsets: disp, then the filetype's runs tiled at its extent.
 *  - Collective accesses whose ranks' data interleave go through a few aggregators (two
 *    phase): every rank copies its pieces straight into an aggregator's buffer in shared
 *    DRAM, and the aggregator writes (or has read) large contiguous ranges in one call.
 *  - The shared file pointer and the atomic-mode lock live in shared DRAM, under the
 *    test-and-set register of rank 0's core: no rank has to be in an MPI call for another
 *    to use them.
 */
#ifndef MPII_FILE_H
#define MPII_FILE_H

#include "mpii_impl.h"
#include "tk.h"

enum { MPII_REP_NATIVE = 1, MPII_REP_EXTERNAL32 };

/* A contiguous part of the filetype: offset from its start and length, in file bytes. */
struct mpii_file_run {
	int64_t off, len;
};

struct mpii_file {
	int handle;
	struct mpii_comm *comm;	/* private duplicate of the user's communicator */
	int fd;			/* this rank's descriptor of the file (a host file) */
	int amode;
	char *name;
	struct mpii_info *info;	/* hints as given (merged) */
	struct mpii_errh *errh;
	/* the view */
	int64_t disp;
	struct mpii_dtype *etype, *ftype;
	int datarep;		/* MPII_REP_* */
	int64_t esize;		/* bytes of an etype in the file */
	int64_t ftsize, ftext;	/* data bytes of one filetype and its extent in the file */
	struct mpii_file_run *runs;	/* the filetype's runs, in order, adjacent ones merged */
	int64_t *cum;		/* data bytes before each run */
	int nruns;
	int64_t fp;		/* individual file pointer, in etypes */
	/* in shared DRAM: the shared file pointer (etypes), then the atomic-mode lock */
	uintptr_t shared;
	uint32_t home;		/* the core whose test-and-set register guards them */
	int atomic;
	/* a split collective between its begin and its end: its access, the error begin raised */
	struct mpii_req *split;
	int split_err;
	/* collective buffering hints */
	int cb_nodes;
	int64_t cb_size;
	int cb_read, cb_write;	/* 0 automatic, 1 enable, -1 disable */
};

struct mpii_file *mpii_file_get(MPI_File h);	/* live file or NULL */
/* The size of f's file in bytes, or an error class as a negative number. */
int64_t mpii_file_size(struct mpii_file *f);

/* ---- The view (file_view.c) ---- */
/* Installs the view (disp, etype, filetype, rep) on f; 0 or an error class. */
int mpii_view_set(struct mpii_file *f, int64_t disp, struct mpii_dtype *et,
		  struct mpii_dtype *ft, int rep);
/* File offset of data byte pos of the view (a byte past the previous one at the end). */
int64_t mpii_view_off(const struct mpii_file *f, int64_t pos);
/* Data bytes of the view that lie before file offset off. */
int64_t mpii_view_pos(const struct mpii_file *f, int64_t off);

/* The pieces of n data bytes of the view from data byte pos, in order, adjacent ones merged. */
struct mpii_view_iter {
	const struct mpii_file *f;
	int64_t k;		/* filetype instance */
	int run;		/* run within it */
	int64_t in;		/* bytes of the run already passed */
	int64_t left;		/* data bytes still to go */
};
void mpii_view_iter(struct mpii_view_iter *it, const struct mpii_file *f, int64_t pos, int64_t n);
/* The next piece (file offset, length): 1, or 0 at the end. */
int mpii_view_next(struct mpii_view_iter *it, int64_t *off, int64_t *len);

/* ---- Moving bytes (file_io.c) ---- */
/* One batch of pieces for a host call: at most TESSERA_HC_MAX_PIECES. */
struct mpii_pio {
	struct tessera_hc_piece p[TESSERA_HC_MAX_PIECES];
	int n;
	int64_t bytes;
};
/* Reads or writes the n data bytes of the view at data byte pos from or to stream (the bytes
 * in the file's representation), in atomic mode under the file's lock. Returns the bytes
 * moved (a read stops at the end of the file) or an error class as a negative number. */
int64_t mpii_file_xfer(struct mpii_file *f, int64_t pos, char *stream, int64_t n, int write);
/* The same without the lock (the caller holds it if it must). */
int64_t mpii_file_move(struct mpii_file *f, int64_t pos, char *stream, int64_t n, int write);
/* A vectored host call on f: the pieces of b, their bytes at stream (mailbox) or at the
 * shared-DRAM address shm (when not 0). Bytes moved, or -errno. */
int64_t mpii_file_pio(struct mpii_file *f, const struct mpii_pio *b, char *stream,
		      uintptr_t shm, int write);
/* An error class for a negative errno value from a file host call. */
int mpii_file_err(int64_t neg_errno);

/* ---- Collective accesses (file_coll.c) ---- */
/* What a collective access gives back when its steps have run. */
struct mpii_coll_io {
	int64_t moved;		/* this rank's bytes moved */
	int rc;			/* 0 or an error class, the same on every rank */
	mpii_sched_fn *then;	/* called (as a step of s) once moved and rc are set */
	void *arg;
};
/* Adds to s the steps of a collective access by every rank of f: this rank's n bytes at data
 * byte pos of the view, from or into stream (n = 0: it takes part with nothing). When they
 * have run, io->moved and io->rc are set and io->then(s, io->arg) runs; its result is the
 * step's. Returns 0 (running out of memory is fatal: the other ranks would wait forever). */
int mpii_file_coll(struct mpii_sched *s, struct mpii_file *f, int64_t pos, char *stream,
		   int64_t n, int write, struct mpii_coll_io *io);

/* ---- Data accesses (file_access.c; the MPI calls in file_rw.c) ---- */
enum { MPII_AT_EXPLICIT, MPII_AT_INDIVIDUAL, MPII_AT_SHARED, MPII_AT_ORDERED };
/* Everything a data access call says. */
struct mpii_access {
	int where;		/* MPII_AT_* */
	int coll, write;
	MPI_Offset offset;	/* MPII_AT_EXPLICIT */
	void *buf;
	int count;
	MPI_Datatype datatype;
};
/* The four ways of calling: each checks fh, does or starts the access, raises its errors on
 * the file and returns what the MPI call returns. */
int mpii_file_blocking(MPI_File fh, const struct mpii_access *a, MPI_Status *status,
		       const char *fname);
int mpii_file_nonblocking(MPI_File fh, const struct mpii_access *a, MPI_Request *request,
			  const char *fname);
int mpii_file_split_begin(MPI_File fh, const struct mpii_access *a, const char *fname);
int mpii_file_split_end(MPI_File fh, MPI_Status *status, const char *fname);

/* ---- Shared file pointer (file_open.c) ---- */
/* Adds n etypes to the shared file pointer; returns its value before. */
int64_t mpii_file_sfp_add(struct mpii_file *f, int64_t n);
void mpii_file_sfp_set(struct mpii_file *f, int64_t v);
/* The atomic-mode lock (held around every access while f->atomic). */
void mpii_file_lock(struct mpii_file *f, int excl);
/* One attempt at it: 1 when taken; else 0, and this rank is interrupted when it frees. */
int mpii_file_trylock(struct mpii_file *f, int excl);
void mpii_file_unlock(struct mpii_file *f, int excl);

#endif
