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
	/* if set, start several cores at once instead (one call for all the cores released
	 * together, so that a backend may run them in fewer processes); all or none start */
	int (*start_group)(struct hd_board *b, const uint32_t *cores, uint32_t n);
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
	pid_t pid;			/* our child running the core (emu runner, qemu VM) */
	void *priv;			/* backend data */
	int ended;			/* poll has reported the end */
	int wstatus;
	int32_t rank;			/* in the current job, -1: none */
	int locked;			/* this process holds the core's lock (owner.c) */
	char image[PATH_MAX];		/* what was loaded (for crash reports) */
	int debug;			/* start under gdb at the next release (debug.c) */
	struct hd_emu_debug *debugger;	/* emu: the gdb stub serving it (backend/emu/debug.c) */
	uint64_t view;			/* where the image runs less where it is linked (emu) */
};

struct hd_trace;
struct hd_files;

/*
 * Where a core runner puts core c's own windows (board.h, tessera_window_is_own): 16 TB plus
 * 4 GB per core, each core's whole SCC map of own windows in a 4 GB slot of its own. Private
 * DRAM takes at most the slot's first 2 GB, so two cores' private DRAM lie at least 2 GB
 * apart, with nothing mapped between them but the first core's three alias windows: a stray
 * pointer faults instead of reaching a neighbour. The 4 TB of 1024 cores are address space
 * only, reserved by nothing.
 */
#define HD_VIEW_BASE	(1ull << 44)
#define HD_VIEW_STRIDE	(1ull << 32)
static inline uint64_t hd_view_base(uint32_t core)
{
	return HD_VIEW_BASE + (uint64_t)core * HD_VIEW_STRIDE;
}

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
	int timed;			/* virtual time (TESSERA_BOOT_TIMING or _DET) */
	uint64_t release_ns;		/* when its cores were released */
	struct hd_record *record;	/* --record (record.c) */
	struct hd_replay *replay;	/* --replay */
};

/* Report progress if anyone listens (hd_progress_fn). */
static inline void hd_progress(hd_progress_fn fn, void *arg, const char *what, uint64_t done,
			       uint64_t total)
{
	if (fn)
		fn(arg, what, done, total);
}

/* One pass over the job's cores: consoles, trace rings, host calls; returns what moved. */
int hd_job_serve(struct hd_board *b);
/* Look at the job's running cores; fills res and returns 1 when one failed (*running: the
 * cores still running). */
int hd_job_check(struct hd_board *b, struct hd_job_result *res, int *running);
/* Every rank of the job as the deadlock detector sees it (job->snap, refreshed). */
const struct hd_dl_rank *hd_job_snapshot(struct hd_board *b);
/* Free a job, its trace and its files (job.c). */
void hd_job_destroy(struct hd_job *job);
/* Free the board's job, if any. */
void hd_job_free(struct hd_board *b);

/* A board spread over several hosts (dist_job.c): how loading a job differs there. Each host
 * loads only the ranks of its cores; every core learns the homes and one timebase. */
struct hd_dist_load {
	uint32_t host, nhosts;
	uint8_t core_host[TESSERA_MAX_CORES];
	/* the job's start on host 0's clocks (the same on every host, the cores' timebase),
	 * and what to add to this host's CLOCK_MONOTONIC for host 0's */
	uint64_t time_base_ns, realtime_base_ns;
	int64_t clock_ns;
	/* the fewest CPUs any host's cores share: whether ranks outnumber host CPUs, which
	 * lib/mpi's collectives choose their messages by, must be answered alike everywhere */
	uint32_t host_cpus;
};
/* CPUs this process may run on (and so its core processes) (load.c). */
uint32_t hd_host_cpus(void);

/*
 * The board directory's host file: what only host processes write and read about the
 * images loaded (which, for crash reports and the shared text of position-independent
 * images). No core maps it (an emu core maps only its LUT's windows of the chip and of its
 * private DRAM, a QEMU core only the chip and its DRAM) and host calls never reach the board
 * directory, so a tile can neither read nor forge it. (Who runs which core is the kernel's
 * word: owner.c.)
 */
#define HD_HOST_MAGIC		0x54534f48u	/* "HOST" */
#define HD_HOST_VERSION		1u
#define HD_HOST_IMAGES		16u
struct hd_host_image {
	char path[504];		/* as given to the loader ("": a free slot) */
	uint64_t key;		/* digest of the file's contents when it was loaded */
	/* a position-independent image: its read-only segments, in private-DRAM offsets, are in
	 * the board directory's file text-NN (NN: the slot), shared by every core that runs it,
	 * not in the cores' DRAM files */
	uint32_t pie, pad;
	uint64_t text_lo, text_bytes;
};
struct hd_host_file {
	uint32_t magic, version;
	uint8_t core_image[TESSERA_MAX_CORES];	/* 1 + slot in images[] (0: none) */
	uint32_t cores_per_process;	/* emu: of the loaded job (0: as many as cores per CPU) */
	struct hd_host_image images[HD_HOST_IMAGES];
};

struct hd_board {
	char dir[PATH_MAX];
	int created;			/* this process made the board */
	int persistent;
	int chip_fd;
	uint8_t *chip;			/* the whole chip, mapped shared */
	struct hd_host_file *host;	/* the host file, mapped shared (NULL on PCI boards) */
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
	const struct hd_dist_load *dist;	/* NULL: the whole board is on this host */
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
void hd_host_path(const struct hd_board *b, char *out);
/* The shared text of image slot `slot` of the host file (hd_host_image). */
void hd_text_path(const struct hd_board *b, uint32_t slot, char *out);
void hd_dram_path(const struct hd_board *b, uint32_t core, char *out);

/* Raise a core's interrupt (wakes it when halted). */
void hd_core_irq(struct hd_board *b, uint32_t core);
/* The same for a source other than the host (TESSERA_IRQ_*): a core of another host
 * (dist.c), whose interrupt is a peer's. */
void hd_core_irq_from(struct hd_board *b, uint32_t core, uint32_t from);
/* Wake a core whose interrupt is raised: through the wake block of the runner that runs it
 * (board.h, struct tessera_wake), or a futex wake of its irq word where none does. */
void hd_core_wake(struct hd_board *b, uint32_t core);

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
/* The host's LUT of a core (TESSERA_LUT_ENTRIES entries), whatever the chip holds now. */
void hd_luts_get(struct hd_board *b, uint32_t core, struct tessera_lut_entry *want);
/* Put back the host's LUT of a core if a tile changed it; 1 if it did, else 0. */
int hd_luts_restore(struct hd_board *b, uint32_t core);

/* ---- error.c: record the explanation of a failure; returns err (negative errno) ---- */
__attribute__((format(printf, 2, 3))) int hd_fail(int err, const char *fmt, ...);
/* Append to the NUL-terminated text in buf (n bytes in all), cutting what does not fit. */
__attribute__((format(printf, 3, 4))) void hd_appendf(char *buf, size_t n, const char *fmt, ...);

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
	uint64_t key;			/* digest of the file's contents (FNV-1a) */
	unsigned nseg;
	struct {
		uint64_t vaddr, memsz, off, filesz;
		int writable;
	} seg[HD_MAX_SEGS];
	/* A position-independent image (emu: static-pie) runs at the view base of its core
	 * (hd_view_base): its read-only segments, [text_lo, text_hi) page-rounded, carry no
	 * relocation and are shared by every core; its writable ones are written per core with
	 * the relocations applied (rel: r_offset, r_addend pairs of R_X86_64_RELATIVE). */
	int pie;
	uint64_t text_lo, text_hi;
	uint32_t nrel;
	uint64_t *rel;
};
/* Bytes of segment i as a core sees them at view base `bias`: the file's bytes with the
 * image's relocations applied (buf: seg[i].filesz bytes). */
void hd_image_segment(const struct hd_image *img, unsigned i, uint64_t bias, uint8_t *buf);
/* Read and check an image against a private DRAM of dram_bytes; frees nothing on error. */
int hd_image_read(const char *path, uint64_t dram_bytes, struct hd_image *img);
/* Check an image held in memory (takes ownership of data on success and failure). */
int hd_image_parse(const char *name, uint8_t *data, size_t size, uint64_t dram_bytes,
		   struct hd_image *img);
void hd_image_free(struct hd_image *img);
const char *hd_arch_name(uint32_t arch);

/* ---- symbolize.c: function and line of an address in an image; call chains ---- */
void hd_symbolize(const char *image, uint64_t pc, char *func, size_t func_n, char *file,
		  size_t file_n, int *line);
/* A stopped core as the unwinder sees it: its image, its view base (its addresses less
 * this are its SCC addresses) and a reader of 8 bytes at an SCC address of its memory. */
struct hd_unwind_core {
	const char *image;
	uint64_t view;
	int (*read)(void *arg, uint64_t addr, uint64_t *val);
	void *arg;
};
#define HD_MAX_FRAMES 32
/* The call chain from regs (DWARF numbering, board.h's fault_regs), one frame a line into out;
 * *first_pc: the pc of the first frame that is not raising a signal or a panic for the core
 * (abort, raise, kill, tk_panic), 0 if none, *first_ret set when it is a return address.
 * Returns the number of frames. */
int hd_backtrace(const struct hd_unwind_core *uc, const uint64_t *regs, char *out, size_t n,
		 uint64_t *first_pc, int *first_ret);

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

/* ---- record.c: --record and --replay (the file format is described there) ---- */
struct hd_record;
struct hd_replay;
/* Start a record of a job of nranks ranks running cmd (cmd_n bytes: the program and its
 * arguments, NUL-separated) into path (made now, written by hd_record_finish). NULL on
 * failure, hd_last_error() saying why. */
struct hd_record *hd_record_new(const char *path, uint32_t nranks, const char *cmd,
				size_t cmd_n);
/* Move what a rank has logged out of its record ring; how many entries, or -EPROTO (the ring
 * was reset). */
int hd_record_drain(struct hd_record *r, uint32_t rank, struct tessera_ring_ctl *ctl,
		    const uint8_t *ring);
/* Entries collected so far. */
uint64_t hd_record_entries(const struct hd_record *r);
/* Write the file (finished[rank]: the rank exited) and free r; *bytes: its size. 0 or a
 * negative errno value (hd_last_error()). */
int hd_record_finish(struct hd_record *r, const int *finished, uint64_t *bytes);
/* Read a record for a job of nranks ranks running cmd (warned about when it differs). */
struct hd_replay *hd_replay_load(const char *path, uint32_t nranks, const char *cmd,
				 size_t cmd_n);
void hd_replay_free(struct hd_replay *rp);
/* TESSERA_HC_REPLAY for rank: its entries from index `from` into out (*out_n bytes); their
 * size in bytes, or a negative errno value on the wire. */
int64_t hd_replay_serve(const struct hd_replay *rp, int32_t rank, int64_t from, void *out,
			uint32_t *out_n);

/* Throw an unwritten record away (a job that never ran). */
void hd_record_discard(struct hd_record *r);

/* ---- vtime.c: virtual time on the host's side ---- */
/* The boot info's vt_scale_q32 for a job with these options (0: no computation counted). */
uint64_t hd_vt_scale_q32(const struct hd_job_opts *o);
/* Fill res's virtual time (and host time) from the job's cores, once they have stopped. */
void hd_vt_summary(struct hd_board *b, struct hd_job_result *res);

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
