/* SPDX-License-Identifier: MIT */
/*
 * host.h: libtessera-host, the embeddable host API. Everything the `tessera` command does
 * goes through these calls: create or open a board, load images, release and hold cores,
 * run a job and wait for it, read the outcome, read and write board memory.
 *
 * Contract:
 *  - Ownership: a struct hd_board is created by hd_board_create/hd_board_open and freed by
 *    hd_board_close, which also stops the cores this process started and removes a board
 *    this process created (unless it was created persistent). Strings and structs passed in
 *    are copied or used only during the call; pointers handed out stay valid until close.
 *  - Threading: one board must not be used from two threads at once; distinct boards are
 *    independent (two boards may be open in one process). hd_job_interrupt is the one call
 *    that may come from another thread or a signal handler.
 *  - Errors: every int-returning call returns 0 (or a count) on success and a negative errno
 *    value on failure; hd_last_error() then holds a one-line explanation (per thread).
 *  - Processes: the emu backend starts core runners (libexec/tessera/tessera-runner, or
 *    $TESSERA_RUNNER) as children of the calling process; they die with it. SIGCHLD is not
 *    used; do not reap them yourself.
 */
#ifndef TESSERA_HOST_H
#define TESSERA_HOST_H

#include <stddef.h>
#include <stdint.h>
#include "tessera/board.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TESSERA_VERSION_MAJOR 0
#define TESSERA_VERSION_MINOR 1
#define TESSERA_VERSION_PATCH 0
#define TESSERA_VERSION_STRING "0.1.0"

/* Version of the library actually linked ("0.1.0"). */
const char *hd_version(void);
/* Explanation of the last failure of a call in this thread ("" if none). */
const char *hd_last_error(void);

struct hd_board;

/*
 * Progress of a step a user may wait for ("loading images", "cores reaching main"): done
 * of total (total 0: not known in advance), called often from the caller's thread while
 * the step lasts. A call with what NULL says that no step is under way any more.
 */
typedef void (*hd_progress_fn)(void *arg, const char *what, uint64_t done, uint64_t total);

struct hd_board_opts {
	const char *board;	/* preset name or board file path; NULL: "scc48" */
	const char *dir;	/* directory to create the board in; NULL: /dev/shm/tessera-...
				 * ($TESSERA_BOARD_DIR instead of /dev/shm when set) */
	int persistent;		/* 1: hd_board_close leaves the board (tessera boot) */
	hd_progress_fn progress;	/* creating the board's files (NULL: none) */
	void *progress_arg;
};

/* Create and initialise a board (memory, CRBs, LUTs); all cores held in reset. */
int hd_board_create(const struct hd_board_opts *opts, struct hd_board **out);
/* Attach to a board that exists (its handle: the board directory). */
int hd_board_open(const char *handle, struct hd_board **out);
/* Stop the cores this process started, remove the board if this process created it and it
 * is not persistent, free *b. Returns 0 or a negative errno value (b is freed anyway). */
int hd_board_close(struct hd_board *b);
/* Stop every core of the board and remove it, whoever created it (tessera shutdown): the
 * processes that run its cores are asked to stop them; those that still hold the board
 * after a while are sent SIGTERM, then SIGKILL, each verified as a holder of this board by
 * the kernel's lock table and a pidfd (no pid is ever taken from board memory). 0, or
 * -EBUSY naming who still holds it (b is freed anyway). */
int hd_board_destroy(struct hd_board *b);

/* A board as `tessera ls` shows it: told by the kernel's locks on the board's owner file,
 * never by board memory (docs/board.md). */
enum hd_board_state {
	HD_BOARD_ALIVE,		/* its creator runs, or it is kept (tessera boot) */
	HD_BOARD_MAKING,	/* being made */
	HD_BOARD_STALE,		/* its creator is gone, or it was abandoned half-made */
	HD_BOARD_FOREIGN,	/* no owner file (another version of tessera): left alone */
};
struct hd_board_status {
	char handle[4096];
	enum hd_board_state state;
	int kept;		/* made by tessera boot: stays until tessera shutdown */
	int32_t owner_pid;	/* the live creator, else a live process using a core (0: none,
				 * -1: one of another pid namespace) */
	int32_t creator_pid;	/* as recorded when it was made (never signalled) */
	uint64_t created_ns;	/* CLOCK_REALTIME */
	uint32_t cores;		/* of the board (0: unknown, a half-made board) */
	uint32_t busy_cores;	/* held by a live process (loaded or run by it) */
	uint32_t lost_cores;	/* say they run, but no process holds them */
	uint32_t nranks;	/* of the last job loaded */
	char program[512];	/* its image */
};
/* The state of the board directory handle (the board need not be complete). */
int hd_board_status(const char *handle, struct hd_board_status *out);
/* Every board directory (tessera-*) under dir (NULL: $TESSERA_BOARD_DIR, or /dev/shm);
 * *out to free(). */
int hd_board_list(const char *dir, struct hd_board_status **out, size_t *n);
/* Remove a stale board (abandoned by its creator, or half-made); touches no process.
 * -EBUSY for a board alive or being made, -EPROTO for one without an owner file. */
int hd_board_clean(const char *handle);

const char *hd_board_handle(const struct hd_board *b);
const struct tessera_geom *hd_board_geom(const struct hd_board *b);
const struct tessera_layout *hd_board_layout(const struct hd_board *b);
/* Check a preset name or board file without creating anything; fills *g. */
int hd_geom_load(const char *board, struct tessera_geom *g);

/* Memory of the board. */
enum hd_space {
	HD_SPACE_PRIVATE,	/* private DRAM of `core`, addr = offset */
	HD_SPACE_CHIP,		/* the chip, addr = offset (core ignored) */
	HD_SPACE_CORE,		/* what `core` sees at core address addr, through its LUT */
};
int hd_mem_read(struct hd_board *b, enum hd_space space, uint32_t core, uint64_t addr,
		void *buf, size_t n);
int hd_mem_write(struct hd_board *b, enum hd_space space, uint32_t core, uint64_t addr,
		 const void *buf, size_t n);

/* Output of a core: called from hd_job_wait in the calling thread. */
typedef void (*hd_output_fn)(void *arg, uint32_t rank, int fd, const char *data, size_t n);

struct hd_job_opts {
	const char *image;		/* tile image (its arch must match the backend) */
	const char *image_i386;		/* image for qemu cores of a mixed job (NULL: image) */
	uint32_t nranks;		/* ranks (0 means 1) */
	const uint32_t *cores;		/* rank -> core, nranks entries; NULL: 0, 1, 2 ... */
	int argc;			/* argv[0] is the program name shown to the tiles */
	char *const *argv;
	char *const *envp;		/* NULL-terminated; NULL: empty environment */
	uint32_t flags;			/* TESSERA_BOOT_* */
	const char *backend;		/* "emu" (NULL), "qemu", or per core: "qemu:0-3,emu" */
	const char *workdir;		/* root of the tiles' file access (NULL: current dir) */
	const char *const *allow_paths;	/* further host paths tiles may use (NULL-terminated) */
	int stdin_fd;			/* forwarded to rank 0 (-1: none) */
	hd_output_fn output;		/* NULL: write to this process's stdout/stderr */
	void *output_arg;
	double timeout_s;		/* 0: none */
	const char *log_dir;		/* per-core logs of backends that make them (NULL: board) */
	const char *trace_path;		/* write a trace of the job here (NULL: none) */
	uint32_t cores_per_process;	/* emu: cores run by one host process, as user-level
					 * contexts (0: one per core while cores do not outnumber
					 * the host's CPUs, else as many as it takes to have one
					 * process per CPU; 1: a process per core) */
	double deadlock_s;		/* report a deadlock after this long without change
					 * (0: 2 s; < 0: never) */
	uint32_t trace_format;		/* enum hd_trace_format (0: by trace_path's extension) */
	uint32_t trace_kinds;		/* HD_TRACE_* bits written (0: HD_TRACE_DEFAULT) */
	uint64_t trace_limit_bytes;	/* cut the trace where it would pass this size (0: no) */
	uint64_t trace_limit_events;	/* or this many events (0: no) */
	hd_progress_fn progress;	/* loading, starting, booting, running, writing the
					 * trace (NULL: none) */
	void *progress_arg;
	/* Virtual time and reproducible runs (docs/timing.md); emu cores only. */
	int timing;			/* HD_TIMING_HOST (0) or HD_TIMING_SCC: a virtual clock
					 * per core, in SCC core cycles, shown by every clock */
	double timing_scale;		/* HD_TIMING_SCC: virtual core cycles per ns of host CPU
					 * time a core computes (0: this host's calibration,
					 * hd_host_mhz() / 1000: a core takes as many cycles as the
					 * host for the same work) */
	int deterministic;		/* the cores take turns, lowest virtual time first: every
					 * run decides alike (virtual time then counts no
					 * computation) */
	const char *record_path;	/* write the run's nondeterministic decisions here */
	const char *replay_path;	/* take them from a record instead */
};

/* What a trace file is (docs/trace.md). AUTO: Perfetto's protobuf format for a path
 * ending in .pftrace or .perfetto-trace, Chrome's trace event JSON otherwise. */
enum hd_trace_format {
	HD_TRACE_FORMAT_AUTO = 0,
	HD_TRACE_FORMAT_JSON,		/* Chrome trace event JSON: Perfetto, chrome://tracing */
	HD_TRACE_FORMAT_PERFETTO,	/* Perfetto's TracePacket protobuf stream */
};

/* Kinds of events a trace writes (hd_job_opts.trace_kinds). */
enum hd_trace_kind {
	HD_TRACE_SEND = 1u << 0,	/* sends, from start to completion */
	HD_TRACE_RECV = 1u << 1,	/* receives, from posting to completion */
	HD_TRACE_MESSAGE = 1u << 2,	/* a message slice in each matched receive, and an
					 * arrow to it from its send (with SEND and RECV) */
	HD_TRACE_COLL = 1u << 3,	/* collectives, internal ones named by their MPI call */
	HD_TRACE_HALT = 1u << 4,	/* cores halted waiting for an interrupt */
	HD_TRACE_HOSTCALL = 1u << 5,	/* host calls (file I/O, console) */
	HD_TRACE_COUNTER = 1u << 6,	/* a counter: messages in flight on the board */
	HD_TRACE_POWER = 1u << 7,	/* RCCE's power management: frequency and voltage */
};
#define HD_TRACE_DEFAULT	0xbfu	/* all but the counter */
#define HD_TRACE_ALL		0xffu
/*
 * Parse a --trace-filter list into HD_TRACE_* bits: names separated by commas (send, recv,
 * message, coll, halt, hostcall, counter, power; p2p = send,recv,message; all); a list that
 * starts with a plain name selects exactly those, one that starts with +NAME or -NAME
 * adds to or takes from the default. 0 with *kinds set, or -EINVAL (hd_last_error says
 * which name).
 */
int hd_trace_filter_parse(const char *s, uint32_t *kinds);

#define HD_TIMING_HOST 0
#define HD_TIMING_SCC 1

/* This host's calibration for virtual time, measured once per process (about 50 ms): the
 * clock in MHz at which it runs a chain of dependent integer adds, one per cycle on every
 * x86 since the P54C. */
double hd_host_mhz(void);

/* Load the image onto the job's cores and write their boot info; they stay in reset. An
 * hd_job_interrupt before the call is forgotten (it was for the job before); one during it
 * makes it fail with -EINTR; one after it ends the job's hd_job_wait at once. */
int hd_job_load(struct hd_board *b, const struct hd_job_opts *opts);
/* Release a loaded core from reset (it starts running) / hold it in reset (it stops). */
int hd_core_release(struct hd_board *b, uint32_t core);
/* Release several loaded cores together (the emu backend may then run them as user-level
 * contexts of fewer processes: hd_job_opts.cores_per_process). All or none start. */
int hd_cores_release(struct hd_board *b, const uint32_t *cores, uint32_t n);
int hd_core_hold(struct hd_board *b, uint32_t core);
/* hd_job_load, then release every core of the job. */
int hd_job_start(struct hd_board *b, const struct hd_job_opts *opts);

/* One program of a job of several (MPMD, as `mpirun -n 2 a : -n 3 b`): a context. */
struct hd_job_app {
	const char *image;		/* tile image of the context's ranks */
	const char *image_i386;		/* for its qemu cores in a mixed job (NULL: image) */
	uint32_t nranks;		/* ranks running it (at least 1) */
	int argc;			/* argv[0] is the program name shown to the tiles */
	char *const *argv;
	char *const *envp;		/* NULL: the job's (opts->envp) */
};
/* hd_job_load / hd_job_start for a job of napps contexts: apps[k] runs on the next
 * apps[k].nranks ranks (ranks in the order of the contexts; opts->cores maps them all),
 * MPI_COMM_WORLD spans every context and MPI_APPNUM is k. opts gives the rest; its image,
 * image_i386, argc and argv must be NULL/0 (-EINVAL), its nranks 0 or the sum of the
 * contexts'. A single context is the same job as hd_job_load's. */
int hd_job_load_apps(struct hd_board *b, const struct hd_job_opts *opts,
		     const struct hd_job_app *apps, uint32_t napps);
int hd_job_start_apps(struct hd_board *b, const struct hd_job_opts *opts,
		      const struct hd_job_app *apps, uint32_t napps);

enum hd_end {
	HD_END_NONE = 0,	/* still running */
	HD_END_EXIT,		/* every rank exited; status: first non-zero exit status */
	HD_END_CRASH,		/* a rank crashed (signal or CPU exception) */
	HD_END_PANIC,		/* a rank's kernel panicked */
	HD_END_ABORT,		/* MPI_Abort (or an abort host call) */
	HD_END_TIMEOUT,		/* the job's timeout passed */
	HD_END_DEADLOCK,	/* every live rank waits for another */
	HD_END_INTERRUPT,	/* hd_job_interrupt (Ctrl-C) */
	HD_END_ERROR,		/* the host failed (see hd_last_error) */
};

#define HD_STATUS_TIMEOUT 124
#define HD_STATUS_DEADLOCK 125
#define HD_STATUS_INTERRUPT 130

/* Where a rank stopped abnormally. */
struct hd_fault {
	uint32_t rank, core, tile_x, tile_y;
	uint32_t signal;	/* host signal, or 256 + CPU vector on i386 */
	uint64_t addr, pc;
	char what[64];		/* "SIGSEGV", "page fault (vector 14)", "panic", "abort" */
	char function[128];	/* "" when the image has no symbols */
	char file[256];		/* "" when the image has no line information */
	int line;
	char reason[128];	/* panic message */
	/* the call chain where the core stopped, innermost first, a frame a line as a debugger
	 * shows it ("#1  0x104a2c in main (apps/x.c:12)"); "" when it cannot be unwound */
	char chain[2048];
	int stack_overflow;	/* the fault hit the guard below the core's stack */
};

struct hd_job_result {
	enum hd_end end;
	int status;		/* what `tessera run` exits with */
	struct hd_fault fault;	/* CRASH, PANIC, ABORT */
	char detail[4096];	/* one line: deadlock cycle, error text */
	/* virtual time (HD_TIMING_SCC or deterministic; timed = 1): the job's virtual time,
	 * that of its slowest rank, in core cycles and ns at the board's core clock */
	int timed;
	uint64_t vtime_cycles, vtime_ns;
	uint32_t vtime_rank;
	uint32_t core_mhz;
	uint64_t host_ns;	/* host time from the cores' release to the job's end */
	uint64_t msgs;		/* messages the ranks sent (their counters, as ps shows them) */
	/* --record: decisions logged and the file's size */
	uint64_t record_entries, record_bytes;
};

/*
 * A debugger on a core (docs/debugging.md). From its next release (hd_core_release, or
 * hd_job_start for a job it is in) the core stops before its image's first instruction and
 * waits for gdb on a Unix socket in the board directory: a GDB remote-protocol stub in this
 * process for an emu core, QEMU's own gdbstub for a qemu core. It is served by this
 * process's hd_job_wait. 0, or -EINVAL (no such core), -EOPNOTSUPP (a PCI board).
 */
int hd_core_debug(struct hd_board *b, uint32_t core);
/* The shell command that attaches gdb, with the image's symbols, to a core released under
 * hd_core_debug, into buf: 0, or -ESRCH (it does not run under the debugger), -ENAMETOOLONG. */
int hd_core_debug_command(struct hd_board *b, uint32_t core, char *buf, size_t n);

/* Where the output of cores released without hd_job_start goes (tessera reset). */
int hd_board_set_output(struct hd_board *b, hd_output_fn fn, void *arg);
/* Serve the running job (output, host calls) until it ends, then stop its cores. Without
 * a job started here, serves the cores this process released with hd_core_release. */
int hd_job_wait(struct hd_board *b, struct hd_job_result *res);
/* Ask hd_job_wait to stop the job (async-signal-safe; b may be NULL: nothing happens). */
void hd_job_interrupt(struct hd_board *b);
/* Format the end of a job as `tessera` prints it ("" for a clean exit). */
int hd_job_report(const struct hd_job_result *res, char *buf, size_t n);

/* One core, as `tessera ps` shows it. */
struct hd_core_info {
	uint32_t core, tile_x, tile_y, tile_z;
	int32_t rank;		/* -1: not in the current job */
	uint32_t state;		/* enum tessera_core_state */
	int exit_code;
	uint32_t wait_kind;	/* enum tessera_wait_kind */
	int32_t wait_peer, wait_tag;
	uint32_t wait_comm;
	uint32_t halted;
	uint64_t msgs_sent, bytes_sent, msgs_recv, bytes_recv;
	int32_t host_pid;	/* the live host process that holds the core (runs or loads it),
				 * as the kernel's lock table says; 0: none (a core that says it
				 * runs is then lost: its host process is gone); -1: not known (a
				 * PCI board, a process of another pid namespace) */
	int timed;		/* the current job keeps virtual time */
	uint64_t vclock;	/* the core's virtual time, core cycles (timed) */
	uint64_t vtime_ns;	/* the same in ns at the board's core clock */
};
int hd_core_info(struct hd_board *b, uint32_t core, struct hd_core_info *out);

/* What went from one rank to another in a traced job (completed sends). */
struct hd_trace_traffic {
	uint32_t src, dst;		/* ranks */
	uint64_t messages, bytes;
};

/* The "tessera" object of a trace file (hd_job_opts.trace_path): the board, where every
 * rank ran and the traffic between ranks, for tools that need no events (tessera heatmap). */
struct hd_trace_meta {
	char board[32];			/* the board's name ("?" when the file has none) */
	uint32_t mesh_x, mesh_y, cores_per_tile, nranks;
	uint32_t *rank_core;		/* nranks cores, each on the mesh */
	size_t ntraffic;
	struct hd_trace_traffic *traffic;	/* src and dst < nranks */
	/* what the writer counted (0 when the file does not say) */
	uint64_t duration_ns, records, bad_records, ring_resets, comms_merged;
	uint64_t sends, paired, unpaired_sends, unpaired_recvs;
	uint64_t cut_ns;		/* events from here on were left out by a limit
					 * (UINT64_MAX: none were) */
	/* The busiest moment: of the job cut in 100 equal spans, the one whose messages
	 * loaded the mesh most (bytes times hops), and the traffic of the sends that began
	 * in it (npeak 0: none). */
	uint64_t peak_t0_ns, peak_t1_ns;
	size_t npeak;
	struct hd_trace_traffic *peak;
};
/* Read and check the "tessera" object of a trace file of either format (the events are
 * scanned past, not parsed: they may be hundreds of MB). 0 with *out to free with
 * hd_trace_meta_free, or -ENOENT/-EIO (the file), -EPROTO (not a tessera trace, or a value
 * out of range: the explanation names the key), -ENOMEM. */
int hd_trace_meta_read(const char *path, struct hd_trace_meta **out);
void hd_trace_meta_free(struct hd_trace_meta *m);

#ifdef __cplusplus
}
#endif
#endif
