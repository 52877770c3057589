// SPDX-License-Identifier: MIT
/*
 * admin.c: RCCE_init and the calls about the job (UE, number of UEs, time, errors, debug
 * switches), the library's global state, and where RCCE's MPB window and shared memory
 * lie. Not the flags (flags.c), transfers (send.c), communicators (comm.c).
 *
 * The window: every core's MPB share is RCCE's alone, unless tessera's MPI (mpb-channels)
 * is linked into the same image; then mpb-channels keeps the lower half and RCCE the
 * upper half (RCCE_MPB_MIXED_BYTES), which is what mpbc_mpb_reserved below tells it. Both
 * are decided at link time, so every core of the job agrees without talking. Shared DRAM is
 * split the same way: mpb-channels takes at most its lower half, RCCE_shmalloc the top
 * quarter (RCCE_SHM_MIXED_PART), and the MPI library's heap what lies between; lib/mpi learns
 * where RCCE's part starts from rcce_shm_start() (a weak reference there).
 */
#include <errno.h>
#include <stdarg.h>
#include "rcce_impl.h"
#include "rcce_param.h"

/* mpb-channels, if the image holds it (mpbc.h; declared weak here, not included). */
extern int mpbc_init(void) __attribute__((weak));

RCCE_PER_CORE struct rcce_core rcce_self;
RCCE_PER_CORE t_vcharp RCCE_comm_buffer[RCCE_MAXNP];
RCCE_PER_CORE t_vcharp RCCE_fool_write_combine_buffer;
RCCE_PER_CORE int RCCE_NP;
RCCE_PER_CORE int RCCE_BUFF_SIZE;
RCCE_PER_CORE int RC_MY_COREID;
RCCE_PER_CORE int RC_COREID[RCCE_MAXNP];
RCCE_PER_CORE double RC_REFCLOCKGHZ;
RCCE_PER_CORE int RCCE_IAM = -1;
RCCE_PER_CORE int RCCE_debug_synch;
RCCE_PER_CORE int RCCE_debug_comm;
RCCE_PER_CORE int RCCE_debug_debug;
RCCE_PER_CORE int RCCE_debug_RPC;
RCCE_PER_CORE int RCCE_comm_init_val;
RCCE_PER_CORE RCCE_COMM RCCE_COMM_WORLD;
RCCE_PER_CORE RCCE_COMM RCCE_P_COMM;
#ifndef GORY
RCCE_PER_CORE RCCE_FLAG RCCE_sent_flag[RCCE_MAXNP];
RCCE_PER_CORE RCCE_FLAG RCCE_ready_flag[RCCE_MAXNP];
#endif

/* Tells mpb-channels, when it is in the image too, to leave the top of each share to us. */
extern const uint32_t mpbc_mpb_reserved;
const uint32_t mpbc_mpb_reserved = RCCE_MPB_MIXED_BYTES;

/* Is tessera's MPI (mpb-channels) linked into this image? A weak reference answers. */
static int mpi_linked(void)
{
	return &mpbc_init != NULL;
}

uintptr_t rcce_shm_start(void)
{
	uint64_t shared = (uint64_t)tk_geom()->shared_mb << 20;

	return TESSERA_ADDR_SHARED +
	       (uintptr_t)(mpi_linked() ? shared - shared / RCCE_SHM_MIXED_PART : 0);
}

int rcce_window(uint32_t *off, uint32_t *bytes)
{
	uint32_t share = tessera_core_mpb_bytes(tk_geom());

	if (share > RCCE_BUFF_SIZE_MAX)
		share = RCCE_BUFF_SIZE_MAX;	/* RCCE addresses at most 8 KB per UE */
	*off = 0;
	*bytes = share;
	if (mpi_linked()) {
		*off = tessera_core_mpb_bytes(tk_geom()) - RCCE_MPB_MIXED_BYTES;
		*bytes = RCCE_MPB_MIXED_BYTES;
	}
	return *bytes >= RCCE_MPB_MIN_BYTES ? 0 : -ENOMEM;
}

t_vcharp RC_COMM_BUFFER_START(int ue)
{
	if (ue < 0 || ue >= RCCE_NP)
		return NULL;
	return (t_vcharp)(uintptr_t)(tessera_core_mpb_addr(tk_geom(), (uint32_t)RC_COREID[ue]) +
				     rcce_self.win_off);
}

int RCCE_global_color(int rank, void *nothing)
{
	(void)rank;
	(void)nothing;
	return 0;
}

int id_compare(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int RCCE_qsort(char *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	qsort(base, n, size, cmp);
	return RCCE_SUCCESS;
}

int RCCE_init(int *argc, char ***argv)
{
	const struct tessera_geom *g = tk_geom();
	uint64_t shared = (uint64_t)g->shared_mb << 20;
	int ue, err;

	/* RCCE's launch arguments (UEs, clock, core list) come from the board instead. */
	(void)argc;
	(void)argv;
	if (rcce_self.inited)
		return RCCE_SUCCESS;
	if (tk_nranks() > RCCE_MAXNP)
		return RCCE_error_return(1, RCCE_ERROR_NUM_UES);
	RCCE_NP = (int)tk_nranks();
	RCCE_IAM = (int)tk_rank();
	RC_MY_COREID = (int)tk_core();
	RC_REFCLOCKGHZ = g->core_mhz / 1000.0;
	for (ue = 0; ue < RCCE_NP; ue++)
		RC_COREID[ue] = (int)tk_rank_core((uint32_t)ue);
	rcce_self.brk = tk_flags() & (TESSERA_BOOT_BREAK_INV | TESSERA_BOOT_BREAK_FLUSH);
	if (rcce_window(&rcce_self.win_off, &rcce_self.win_bytes))
		return RCCE_error_return(1, RCCE_ERROR_MALLOC);
	/* Line 0 of the window is the line RCCE writes to drain the WCB; the rest is usable. */
	RCCE_fool_write_combine_buffer = RC_COMM_BUFFER_START(RCCE_IAM);
	for (ue = 0; ue < RCCE_NP; ue++)
		RCCE_comm_buffer[ue] = RC_COMM_BUFFER_START(ue) + RCCE_LINE_SIZE;
	RCCE_BUFF_SIZE = (int)rcce_self.win_bytes - RCCE_LINE_SIZE;
	RCCE_malloc_init(RCCE_comm_buffer[RCCE_IAM], (size_t)RCCE_BUFF_SIZE);
	rcce_self.shm_base = rcce_shm_start();
	rcce_self.shm_bytes = (size_t)(TESSERA_ADDR_SHARED + shared - rcce_self.shm_base);
	RCCE_shmalloc_init((t_vcharp)rcce_self.shm_base, rcce_self.shm_bytes);
	rcce_self.inited = 1;
	RCCE_COMM_WORLD.initialized = RCCE_COMM_NOT_INITIALIZED;
	RCCE_P_COMM.initialized = RCCE_COMM_NOT_INITIALIZED;
	if ((err = RCCE_comm_split(RCCE_global_color, NULL, &RCCE_COMM_WORLD)))
		goto fail;
	if ((err = rcce_power_comm(&RCCE_P_COMM)))
		goto fail;
#ifndef GORY
	/* The simplified API's flags: sent[s] (in the receiver's MPB), ready[r] (sender's). */
	for (ue = 0; ue < RCCE_NP; ue++) {
		if ((err = RCCE_flag_alloc(&RCCE_sent_flag[ue])) ||
		    (err = RCCE_flag_alloc(&RCCE_ready_flag[ue])))
			goto fail;
	}
#endif
	return RCCE_SUCCESS;
fail:
	rcce_self.inited = 0;
	return RCCE_error_return(1, err);
}

int RCCE_finalize(void)
{
	/* Nothing to give back: the MPBs are cleared by the host before the next job. */
	fflush(NULL);
	return RCCE_SUCCESS;
}

int RCCE_ue(void)
{
	return RCCE_IAM;
}

int RCCE_num_ues(void)
{
	return RCCE_NP;
}

double RCCE_wtime(void)
{
	return (double)tk_time_ns() * 1e-9;
}

static const char *const error_text[] = {
	"success",
	"invalid target buffer",
	"invalid source buffer",
	"invalid UE ID",
	"invalid message length",
	"flag variable undefined",
	"invalid number of UEs",
	"data buffers overlap",
	"data buffer misalignment",
	"invalid debug flag",
	"flag not in communication buffer",
	"flag status undefined",
	"flag not allocated",
	"value undefined",
	"invalid error code",
	"RPC data structure not allocated",
	"RPC internal error",
	"multiple outstanding RPC requests",
	"invalid frequency divider",
	"frequency exceeds voltage allowance",
	"no active RPC request",
	"stale RPC request",
	"communicator undefined",
	"illegal reduction operator",
	"illegal reduction data type",
	"memory allocation error",
	"communicator initialization error",
	"core not in host file",
};

int RCCE_error_string(int code, char *buf, int *len)
{
	int known = code == RCCE_SUCCESS ||
		    (code > RCCE_ERROR_BASE && code <= RCCE_ERROR_CORE_NOT_IN_HOSTFILE);
	const char *s = error_text[!known ? RCCE_ERROR_INVALID_ERROR_CODE - RCCE_ERROR_BASE :
				   code == RCCE_SUCCESS ? 0 : code - RCCE_ERROR_BASE];
	size_t n = strlen(s);

	if (n >= RCCE_MAX_ERROR_STRING)
		n = RCCE_MAX_ERROR_STRING - 1;
	if (buf) {
		memcpy(buf, s, n);
		buf[n] = '\0';
	}
	if (len)
		*len = (int)n;
	return known ? RCCE_SUCCESS : RCCE_ERROR_INVALID_ERROR_CODE;
}

int RCCE_error_return(int debug, int code)
{
	char msg[RCCE_MAX_ERROR_STRING];
	int n;

	if (code != RCCE_SUCCESS && debug) {
		RCCE_error_string(code, msg, &n);
		fprintf(STDERR, "Error on UE %d: %s\n", RCCE_IAM, msg);
		fflush(STDERR);
	}
	return code;
}

static int debug_switch(int which, int on)
{
	switch (which) {
	case RCCE_DEBUG_ALL:
		RCCE_debug_synch = RCCE_debug_comm = RCCE_debug_debug = RCCE_debug_RPC = on;
		break;
	case RCCE_DEBUG_SYNCH:
		RCCE_debug_synch = on;
		break;
	case RCCE_DEBUG_COMM:
		RCCE_debug_comm = on;
		break;
	case RCCE_DEBUG_RPC:
		RCCE_debug_RPC = on;
		break;
	case RCCE_DEBUG_DEBUG:
		RCCE_debug_debug = on;
		break;
	default:
		return RCCE_error_return(RCCE_debug_debug, RCCE_ERROR_DEBUG_FLAG);
	}
	return RCCE_SUCCESS;
}

int RCCE_debug_set(int which)
{
	return debug_switch(which, 1);
}

int RCCE_debug_unset(int which)
{
	return debug_switch(which, 0);
}
