/* SPDX-License-Identifier: MIT */
/*
 * hd_impl.h: what the parts of libtessera-host share (never included from outside
 * host-driver/, tests of host-driver excepted): the board object, the backend interface,
 * the image loader and the error helper.
 */
#ifndef HD_IMPL_H
#define HD_IMPL_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "tessera/board.h"
#include "tessera/host.h"
#include "deadlock.h"

#define HD_API __attribute__((visibility("default")))

struct hd_board;

/*
 * A backend turns "release core N from reset" into a running core. The image and boot info
 * are in the core's private DRAM file (hd_dram_path) when start is called; the chip file is
 * hd_chip_path(b). start must not block on the core; poll reports whether the core's
 * execution has ended (1, with a waitpid-style *wstatus, or 0 while it runs); stop ends it
 * at once and frees what start took. A backend keeps per-core data in core[c].priv.
 */
struct hd_backend {
	const char *name;
	uint8_t id;			/* TESSERA_BACKEND_* (recorded in the board header) */
	uint32_t arch;			/* TESSERA_ARCH_* of the images it runs */
	int (*start)(struct hd_board *b, uint32_t core);
	int (*poll)(struct hd_board *b, uint32_t core, int *wstatus);
	void (*stop)(struct hd_board *b, uint32_t core);
	/* wake the core, whose interrupt the host has just raised, if it halts (NULL: a futex
	 * wake on its irq word) */
	void (*wake)(struct hd_board *b, uint32_t core);
	/* how long the host may sleep between looks at the board (ms) when cores of this
	 * backend cannot wake it (0: they wake it through the doorbell futex) */
	int poll_ms;
};

/* ---- backend.c: the backends, choosing them, starting and stopping a core ---- */
extern const struct hd_backend hd_backend_emu;
extern const struct hd_backend hd_backend_qemu;
const struct hd_backend *hd_backend_find(const char *name);
const struct hd_backend *hd_backend_by_id(uint8_t id);
/* Fill be[0..ncores) from a --backend spec ("emu", "qemu", "qemu:0-3,emu", NULL: emu). */
int hd_backends_parse(const char *spec, uint32_t ncores, const struct hd_backend **be);

struct hd_core {
	const struct hd_backend *backend;	/* running on it; NULL: held in reset */
	const struct hd_backend *assigned;	/* what release starts it on */
	pid_t pid;			/* process of the core (emu), of its VM (qemu) */
	void *priv;			/* backend data */
	int ended;			/* poll has reported the end */
	int wstatus;
	int32_t rank;			/* in the current job, -1: none */
	int locked;			/* this process holds the core's lock (owner.c) */
	char image[PATH_MAX];		/* what was loaded (for crash reports) */
	int debug;			/* start under gdb at the next release (debug.c) */
	struct hd_emu_debug *debugger;	/* emu: the gdb stub serving it (backend/emu/debug.c) */
};

struct hd_trace;
struct hd_files;

/* The job this process serves on a board: made by hd_job_load (load.c) or adopted from
 * released cores (job.c), served and ended by hd_job_wait (job.c). */
struct hd_job {
	uint32_t nranks;
	uint32_t *rank_core;
	hd_output_fn output;
	void *output_arg;
	double timeout_s;
	uint64_t start_ns;
	struct hd_files *files;
	int poll_ms;		/* how often to look without a doorbell (0: rely on it) */
	int aborted;		/* a rank asked to abort (MPI_Abort) */
	uint32_t held;		/* cores another command held in reset meanwhile */
	int abort_code;
	uint32_t abort_rank;
	struct hd_trace *trace;
	struct hd_deadlock deadlock;	/* off for a partial view of the board (adopted) */
	struct hd_dl_rank *snap;	/* nranks: the ranks as last seen, for the detector */
	hd_progress_fn progress;	/* NULL: none */
	void *progress_arg;
	uint32_t at_main;		/* ranks seen past their boot */
};

/* Report progress if anyone listens (hd_progress_fn). */
static inline void hd_progress(hd_progress_fn fn, void *arg, const char *what, uint64_t done,
			       uint64_t total)
{
	if (fn)
		fn(arg, what, done, total);
}
/* Free a job, its trace and its files (job.c). */
void hd_job_destroy(struct hd_job *job);
/* Free the board's job, if any. */
void hd_job_free(struct hd_board *b);

struct hd_board {
	char dir[PATH_MAX];
	int created;			/* this process made the board */
	int persistent;
	int chip_fd;
	uint8_t *chip;			/* the whole chip, mapped shared */
	struct tessera_geom geom;
	struct tessera_layout layout;
	struct hd_core *core;		/* geom cores entries */
	struct hd_job *job;		/* the job this process serves, if any */
	volatile int interrupted;
	char log_dir[PATH_MAX];
	/* A board reached through a PCI BAR (backend/pci): only the chip is mapped; the
	 * private DRAMs and core processes are not reachable from here. */
	int pci;
	void *pci_priv;
	int owner_fd;			/* the owner file (owner.c), -1: none (PCI) */
	hd_output_fn output;		/* for jobs adopted from released cores */
	void *output_arg;
	void *qemu;			/* backend/qemu's state while VMs of the board run */
};

/* backend/pci: open "pci:..." (sets dir, geom, layout, chip, pci); close it. */
int hd_pci_open(const char *spec, struct hd_board *b);
void hd_pci_close(struct hd_board *b);

/* The host's clock (CLOCK_MONOTONIC is the jobs' timebase), in ns. */
static inline uint64_t hd_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Chip regions as host pointers. */
static inline struct tessera_header *hd_header(struct hd_board *b)
{
	return (struct tessera_header *)(b->chip + b->layout.header_off);
}

static inline struct tessera_hostwin *hd_hostwin(struct hd_board *b, uint32_t core)
{
	return (struct tessera_hostwin *)(b->chip + tessera_hostwin_off(&b->layout, core));
}

static inline struct tessera_boardreg_global *hd_boardreg_global(struct hd_board *b)
{
	return (struct tessera_boardreg_global *)(b->chip + b->layout.boardreg_off);
}

static inline struct tessera_boardreg_core *hd_boardreg_core(struct hd_board *b, uint32_t core)
{
	return (struct tessera_boardreg_core *)(b->chip +
						tessera_boardreg_core_off(&b->layout, core));
}

static inline struct tessera_lut_entry *hd_lut(struct hd_board *b, uint32_t core)
{
	return (struct tessera_lut_entry *)(b->chip + tessera_lut_off(&b->geom, &b->layout, core));
}

static inline struct tessera_crb_core *hd_crb_core(struct hd_board *b, uint32_t core)
{
	return (struct tessera_crb_core *)(b->chip +
		tessera_crb_off(&b->layout, tessera_core_tile(&b->geom, core)) +
		tessera_core_z(&b->geom, core) * sizeof(struct tessera_crb_core));
}

/* Paths of the board's files (buffers of PATH_MAX). */
void hd_chip_path(const struct hd_board *b, char *out);
void hd_dram_path(const struct hd_board *b, uint32_t core, char *out);

/* Raise a core's interrupt (wakes it when halted). */
void hd_core_irq(struct hd_board *b, uint32_t core);

/* Stop a core (this process's: stopped here; another's: told by its reset bit). */
void hd_core_stop(struct hd_board *b, uint32_t core);
/* hd_core_hold without waiting for another process to let the core go. */
void hd_core_hold_ask(struct hd_board *b, uint32_t core);
/* How long hd_core_hold waits for the process that runs a core to stop it. */
#define HD_HOLD_WAIT_MS 2000

/* The longest timeout or deadlock limit a job takes (s): a finite number (31 years). */
#define HD_SECONDS_MAX 1e9

/* Where boards are made when no directory is given, and listed: $TESSERA_BOARD_DIR, or
 * /dev/shm. */
const char *hd_board_dir(void);
/* Remove a board directory and what is in it (one level of folders). */
void hd_remove_tree(const char *dir);

/* ---- owner.c: who owns a board and its cores (kernel record locks on <board>/owner) ---- */
/* Make the owner file of a board being created (its creator's lock held). */
int hd_owner_make(struct hd_board *b, int persistent);
/* The board is complete: a kept board (tessera boot) has no creator from now on. */
void hd_owner_made(struct hd_board *b);
/* Open an existing board's owner file (-EPROTO without one); let go of it. */
int hd_owner_attach(struct hd_board *b);
void hd_owner_detach(struct hd_board *b);
/* Take a core for this process: 0, or -EBUSY with hd_last_error() naming the job that
 * holds it. Let it go. */
int hd_owner_lock_core(struct hd_board *b, uint32_t core);
void hd_owner_unlock_core(struct hd_board *b, uint32_t core);
/* Another live process that holds the core (0: none, -1: one of another pid namespace). */
pid_t hd_owner_core_holder(struct hd_board *b, uint32_t core);
/* What `tessera ls` shows of the job being loaded. */
void hd_owner_note_job(struct hd_board *b, const char *image, uint32_t nranks);
/* Ask the processes that hold the board to let go (signals verified by the kernel's lock
 * and a pidfd), then remove it: 0, or -EBUSY naming who still holds it. */
int hd_owner_remove(struct hd_board *b);

/* ---- debug.c, backend/emu/debug.c: gdb on a core (docs/debugging.md) ---- */
/* <board>/gdb-coreNNNN: where gdb connects (the emu stub's socket, or QEMU's). */
void hd_debug_socket_path(const struct hd_board *b, uint32_t core, char *out, size_t n);
/* How long the cores of b's job have been held stopped under gdb, in all (ns). */
uint64_t hd_debug_paused_ns(struct hd_board *b, uint64_t now_ns);
struct hd_emu_debug;
/* The stub of an emu core about to be started: its socket is listening on return. */
int hd_emu_debug_new(struct hd_board *b, uint32_t core, struct hd_emu_debug **out);
/* Take hold of the core's process pid (our child, which stops itself before it confines
 * itself): 0 once it is traced, or an error (the caller kills it). */
int hd_emu_debug_attach(struct hd_emu_debug *d, pid_t pid);
/* The core's process has ended (gdb has been told); it is left for the caller to reap. */
int hd_emu_debug_ended(struct hd_emu_debug *d);
uint64_t hd_emu_debug_paused_ns(struct hd_emu_debug *d, uint64_t now_ns);
/* Stop the stub's threads and free it; the core must have been killed or have ended. */
void hd_emu_debug_free(struct hd_emu_debug *d);

/* ---- luts.c: the host's copy of every core's LUT (<board>/luts, which no core maps) ---- */
/* Keep the LUTs as they are in the chip now (the board was just made). */
void hd_luts_keep(struct hd_board *b);
/* The host wrote chip bytes [off, off + n): keep what of it lies in a LUT. */
void hd_luts_note_write(struct hd_board *b, uint64_t off, uint64_t n);
/* Put back the host's LUT of a core if a tile changed it; 1 if it did, else 0. */
int hd_luts_restore(struct hd_board *b, uint32_t core);

/* ---- error.c: record the explanation of a failure; returns err (negative errno) ---- */
__attribute__((format(printf, 2, 3))) int hd_fail(int err, const char *fmt, ...);

/* ---- geom.c: presets and board files ---- */
int hd_geom_preset(const char *name, struct tessera_geom *g);
/* Parse a board file's text; on error *line is the line and the message names the key. */
int hd_geom_parse(const char *text, const char *fname, struct tessera_geom *g);
int hd_geom_check(const struct tessera_geom *g);
/* Fill every core's LUT as board.h's map says. */
void hd_lut_build(const struct tessera_geom *g, const struct tessera_layout *l, uint32_t core,
		  struct tessera_lut_entry lut[TESSERA_LUT_ENTRIES]);

/* ---- image.c: tile images ---- */
#define HD_MAX_SEGS 16
struct hd_image {
	uint8_t *data;			/* the whole file */
	size_t size;
	uint32_t arch;			/* TESSERA_ARCH_* from the note */
	uint64_t entry;
	uint64_t end;			/* first byte after the highest segment, page aligned */
	unsigned nseg;
	struct {
		uint64_t vaddr, memsz, off, filesz;
	} seg[HD_MAX_SEGS];
};
/* Read and check an image against a private DRAM of dram_bytes; frees nothing on error. */
int hd_image_read(const char *path, uint64_t dram_bytes, struct hd_image *img);
/* Check an image held in memory (takes ownership of data on success and failure). */
int hd_image_parse(const char *name, uint8_t *data, size_t size, uint64_t dram_bytes,
		   struct hd_image *img);
void hd_image_free(struct hd_image *img);
const char *hd_arch_name(uint32_t arch);

/* ---- symbolize.c: function and line of an address in an image ---- */
void hd_symbolize(const char *image, uint64_t pc, char *func, size_t func_n, char *file,
		  size_t file_n, int *line);

/* ---- console.c: host side of the console rings ---- */
/* Move out what the core has written; calls out(arg, fd, data, n) per record. Returns the
 * number of bytes consumed, or -EPROTO on a corrupt record (the ring is then reset). */
int hd_console_drain(struct tessera_ring_ctl *ctl, uint8_t *ring, uint32_t ring_bytes,
		     void (*out)(void *arg, int fd, const char *data, size_t n), void *arg);

/* ---- trace.c: collecting a job's trace and writing it (JSON or Perfetto protobuf) ---- */
/* Start collecting for a job of nranks ranks (rank_core: their cores) into path; o gives
 * the format, the kinds written and the limits (NULL: the defaults). */
struct hd_trace *hd_trace_new(const char *path, const struct tessera_geom *g, uint32_t nranks,
			      const uint32_t *rank_core, const struct hd_job_opts *o);
/* Move the records a rank has written out of its ring; returns how many moved. */
int hd_trace_drain(struct hd_trace *t, uint32_t rank, struct tessera_ring_ctl *ctl,
		   const uint8_t *ring);
/* Write the file and free t; 0 or a negative errno value. */
int hd_trace_finish(struct hd_trace *t);

/* ---- fault.c: what `tessera` says when a rank stops abnormally ---- */
/* res for a rank that called MPI_Abort (an abort host call) with code. */
void hd_fault_abort(struct hd_board *b, uint32_t rank, uint32_t core, int code,
		    struct hd_job_result *res);
/* res for a core that published TESSERA_CORE_CRASHED or TESSERA_CORE_PANICKED. */
void hd_fault_crash(struct hd_board *b, uint32_t core, uint32_t state, struct hd_job_result *res);
/* res for a core whose process or VM ended (wstatus from waitpid) without an exit. */
void hd_fault_lost(struct hd_board *b, uint32_t core, int wstatus, struct hd_job_result *res);

/* ---- hostcall.c (with hostfile.c): host calls of a job's cores ---- */
/*
 * Take a core's new host call, if any, off its mailbox: answer it at once or hand it to a
 * worker thread (which answers the core itself). Never blocks. Returns 1 if a request was
 * taken, 0 if none. An abort host call sets *abort_asked and *abort_code; writes to fd 1
 * and 2 go to out(out_arg, fd, data, n), as console output does.
 */
int hd_hostcall_serve(struct hd_board *b, uint32_t core, struct hd_files *files,
		      int *abort_asked, int *abort_code,
		      void (*out)(void *arg, int fd, const char *data, size_t n), void *out_arg);
/* The files of a job of cores 0..ncores-1: workdir (NULL: the current directory) and the
 * allow list must be directories (else an error naming them); stdin_fd goes to rank 0 (-1:
 * none). Frees with hd_files_free, which stops the workers (they then leave the board). */
int hd_files_new(const char *workdir, const char *const *allow, int stdin_fd, uint32_t ncores,
		 struct hd_files **out);
/* Refuse every path that leads into the board directory (its files are the host's). */
void hd_files_guard(struct hd_files *f, const char *board_dir);
void hd_files_free(struct hd_files *f);

#endif
