/* SPDX-License-Identifier: MIT */
/*
 * RCCE.h: the public API of Intel's RCCE 1.1.0 ("RCCE: a small library for many-core
 * communication", the SCC's own programming model), re-implemented for tessera tiles.
 * Source compatible: the same types, constants, error codes and prototypes, so programs
 * written for the SCC build unchanged with tessera-rccecc. Not Intel's code.
 *
 * Modes, chosen as RCCE chose them, by macros the program is compiled with:
 *  - the simplified API (default) or the "gory" API (-DGORY): RCCE_send/recv take 3 or 7
 *    arguments, collectives exist only in the simplified API, the MPB allocator and the
 *    flags are the programmer's in the gory API;
 *  - flags of a whole MPB line each (default) or of one bit each (-DSINGLEBITFLAGS);
 *  - the power-management declarations with -DRC_POWER_MANAGEMENT (the calls act on the
 *    board's modelled voltage and frequency, docs/rcce.md).
 * Each of the four combinations is its own library (librcce, librcce_gory, librcce_sbf,
 * librcce_gory_sbf); tessera-rccecc picks the one the flags ask for, and an object compiled
 * for one mode cannot be linked with another mode's library (RCCE_init's link name below).
 *
 * Contract (details in docs/rcce.md):
 *  - RCCE_APP is main; RCCE_init takes the rank and the number of UEs from the board (the
 *    job's ranks), not from the command line: rccerun's arguments are not needed.
 *  - UE = the job's rank. RCCE_send is blocking and synchronous; its data travels through
 *    the sender's MPB, its flags through MPB lines; every MPB access goes through the
 *    tile kernel's MPB primitives, so the strict coherence model sees what RCCE does.
 *  - Errors: RCCE_SUCCESS or RCCE_ERROR_BASE + n, as RCCE numbers them.
 *  - Each core's 8 KB of MPB: RCCE's alone, or its upper half when the image also holds
 *    tessera's MPI (which then keeps to the lower half).
 */
#ifndef RCCE_H
#define RCCE_H

#include <stdlib.h>
#include <stdio.h>

#define _RCCE "1.1.0 release (tessera)"
/* As in RCCE: the application is RCCE_APP, which is main outside the OpenMP emulator. */
#ifndef _OPENMP
#define RCCE_APP main
#endif

#define STDERR                             stdout

#define LOG2_LINE_SIZE                     5
#define RCCE_LINE_SIZE                     (1 << LOG2_LINE_SIZE)
/* MPB space per UE: half of a tile's 16 KB. */
#define RCCE_BUFF_SIZE_MAX                 (1 << 13)
#define RCCE_MAXNP                         48
#define RCCE_SUCCESS                       0
#define RCCE_ERROR_BASE                    1234321
#define RCCE_ERROR_TARGET                  (RCCE_ERROR_BASE +  1)
#define RCCE_ERROR_SOURCE                  (RCCE_ERROR_BASE +  2)
#define RCCE_ERROR_ID                      (RCCE_ERROR_BASE +  3)
#define RCCE_ERROR_MESSAGE_LENGTH          (RCCE_ERROR_BASE +  4)
#define RCCE_ERROR_FLAG_UNDEFINED          (RCCE_ERROR_BASE +  5)
#define RCCE_ERROR_NUM_UES                 (RCCE_ERROR_BASE +  6)
#define RCCE_ERROR_DATA_OVERLAP            (RCCE_ERROR_BASE +  7)
#define RCCE_ERROR_ALIGNMENT               (RCCE_ERROR_BASE +  8)
#define RCCE_ERROR_DEBUG_FLAG              (RCCE_ERROR_BASE +  9)
#define RCCE_ERROR_FLAG_NOT_IN_COMM_BUFFER (RCCE_ERROR_BASE + 10)
#define RCCE_ERROR_FLAG_STATUS_UNDEFINED   (RCCE_ERROR_BASE + 11)
#define RCCE_ERROR_FLAG_NOT_ALLOCATED      (RCCE_ERROR_BASE + 12)
#define RCCE_ERROR_VAL_UNDEFINED           (RCCE_ERROR_BASE + 13)
#define RCCE_ERROR_INVALID_ERROR_CODE      (RCCE_ERROR_BASE + 14)
#define RCCE_ERROR_RPC_NOT_ALLOCATED       (RCCE_ERROR_BASE + 15)
#define RCCE_ERROR_RPC_INTERNAL            (RCCE_ERROR_BASE + 16)
#define RCCE_ERROR_MULTIPLE_RPC_REQUESTS   (RCCE_ERROR_BASE + 17)
#define RCCE_ERROR_FDIVIDER                (RCCE_ERROR_BASE + 18)
#define RCCE_ERROR_FREQUENCY_EXCEEDED      (RCCE_ERROR_BASE + 19)
#define RCCE_ERROR_NO_ACTIVE_RPC_REQUEST   (RCCE_ERROR_BASE + 20)
#define RCCE_ERROR_STALE_RPC_REQUEST       (RCCE_ERROR_BASE + 21)
#define RCCE_ERROR_COMM_UNDEFINED          (RCCE_ERROR_BASE + 22)
#define RCCE_ERROR_ILLEGAL_OP              (RCCE_ERROR_BASE + 23)
#define RCCE_ERROR_ILLEGAL_TYPE            (RCCE_ERROR_BASE + 24)
#define RCCE_ERROR_MALLOC                  (RCCE_ERROR_BASE + 25)
#define RCCE_ERROR_COMM_INITIALIZED        (RCCE_ERROR_BASE + 26)
#define RCCE_ERROR_CORE_NOT_IN_HOSTFILE    (RCCE_ERROR_BASE + 27)
#define RCCE_MAX_ERROR_STRING              45

#define RCCE_DEBUG_ALL                     111111
#define RCCE_DEBUG_SYNCH                   111444
#define RCCE_DEBUG_COMM                    111555
#define RCCE_DEBUG_RPC                     111666
#define RCCE_DEBUG_DEBUG                   111888

#define RCCE_FLAG_SET                      1
#define RCCE_FLAG_UNSET                    0

#define RCCE_NUM_OPS                       4
#define RCCE_OP_BASE                       23232323
#define RCCE_SUM                           (RCCE_OP_BASE)
#define RCCE_MIN                           (RCCE_OP_BASE + 1)
#define RCCE_MAX                           (RCCE_OP_BASE + 2)
#define RCCE_PROD                          (RCCE_OP_BASE + 3)

#define RCCE_TYPE_BASE                     63636363
#define RCCE_INT                           (RCCE_TYPE_BASE)
#define RCCE_LONG                          (RCCE_TYPE_BASE + 1)
#define RCCE_FLOAT                         (RCCE_TYPE_BASE + 2)
#define RCCE_DOUBLE                        (RCCE_TYPE_BASE + 3)

/* An address in the MPB (of the calling UE; RCCE shifts it to another UE's MPB). */
typedef volatile unsigned char *t_vcharp;

#ifdef SINGLEBITFLAGS
typedef struct {
	int location;		/* bit of the flag within its line (0-255) */
	t_vcharp line_address;	/* start of the MPB line that holds the flag */
} RCCE_FLAG;
#else
typedef volatile int *RCCE_FLAG;	/* a whole MPB line; the value is its first word */
#endif

typedef int RCCE_FLAG_STATUS;

typedef struct {
	int size;
	int my_rank;
	int initialized;
	int member[RCCE_MAXNP];	/* UE of each rank of the communicator */
	RCCE_FLAG gather;
	RCCE_FLAG release;
} RCCE_COMM;

#ifdef RC_POWER_MANAGEMENT
typedef struct {
	int release;
	int old_voltage_level;
	int new_voltage_level;
	int old_frequency_divider;
	int new_frequency_divider;
	long long start_cycle;
} RCCE_REQUEST;
int RCCE_power_domain(void);
int RCCE_iset_power(int, RCCE_REQUEST *, int *, int *);
int RCCE_wait_power(RCCE_REQUEST *);
int RCCE_set_frequency_divider(int, int *);
int RCCE_power_domain_master(void);
int RCCE_power_domain_size(void);
#endif

/*
 * tessera: each mode is a library of its own, and RCCE_init carries the mode in its link
 * name, so an object compiled for one mode fails to link against another mode's library
 * ("undefined reference to RCCE_init_GORY": build with tessera-rccecc and the same -D flags).
 */
#if defined(GORY) && defined(SINGLEBITFLAGS)
#define RCCE_INIT_LINK_NAME "RCCE_init_GORY_SINGLEBITFLAGS"
#elif defined(GORY)
#define RCCE_INIT_LINK_NAME "RCCE_init_GORY"
#elif defined(SINGLEBITFLAGS)
#define RCCE_INIT_LINK_NAME "RCCE_init_SINGLEBITFLAGS"
#else
#define RCCE_INIT_LINK_NAME "RCCE_init_simplified"
#endif
int    RCCE_init(int *, char ***) __asm__(RCCE_INIT_LINK_NAME);
int    RCCE_finalize(void);
double RCCE_wtime(void);
int    RCCE_ue(void);
int    RCCE_num_ues(void);
/* The gory API's MPB calls (RCCE_lib.h declares them for the simplified API too). */
#ifdef GORY
t_vcharp RCCE_malloc(size_t);
t_vcharp RCCE_malloc_request(size_t, size_t *);
void   RCCE_free(t_vcharp);
int    RCCE_put(t_vcharp, t_vcharp, int, int);
int    RCCE_get(t_vcharp, t_vcharp, int, int);
int    RCCE_wait_until(RCCE_FLAG, RCCE_FLAG_STATUS);
int    RCCE_flag_alloc(RCCE_FLAG *);
int    RCCE_flag_free(RCCE_FLAG *);
int    RCCE_flag_write(RCCE_FLAG *, RCCE_FLAG_STATUS, int);
int    RCCE_flag_read(RCCE_FLAG, RCCE_FLAG_STATUS *, int);
#endif
#ifdef GORY
int    RCCE_send(char *, t_vcharp, size_t, RCCE_FLAG *, RCCE_FLAG *, size_t, int);
int    RCCE_recv(char *, t_vcharp, size_t, RCCE_FLAG *, RCCE_FLAG *, size_t, int);
int    RCCE_recv_test(char *, t_vcharp, size_t, RCCE_FLAG *, RCCE_FLAG *, size_t, int, int *);
#else
int    RCCE_send(char *, size_t, int);
int    RCCE_recv(char *, size_t, int);
int    RCCE_recv_test(char *, size_t, int, int *);
int    RCCE_allreduce(char *, char *, int, int, int, RCCE_COMM);
int    RCCE_reduce(char *, char *, int, int, int, int, RCCE_COMM);
int    RCCE_bcast(char *, size_t, int, RCCE_COMM);
#endif
t_vcharp RCCE_shmalloc(size_t);
void   RCCE_shfree(t_vcharp);
void   RCCE_shflush(void);
int    RCCE_comm_split(int (*)(int, void *), void *, RCCE_COMM *);
int    RCCE_comm_free(RCCE_COMM *);
int    RCCE_comm_size(RCCE_COMM, int *);
int    RCCE_comm_rank(RCCE_COMM, int *);
void   RCCE_fence(void);
int    RCCE_barrier(RCCE_COMM *);
int    RCCE_error_string(int, char *, int *);
int    RCCE_debug_set(int);
int    RCCE_debug_unset(int);
int    RCCE_acquire_lock(int);
int    RCCE_release_lock(int);

/* Per UE: empty on a tile; the unit tests, which run UEs as threads, make it __thread (as
 * RCCE's OpenMP emulator made these threadprivate). */
#ifndef RCCE_PER_CORE
#define RCCE_PER_CORE
#endif
extern RCCE_PER_CORE RCCE_COMM RCCE_COMM_WORLD;
#ifdef RC_POWER_MANAGEMENT
extern RCCE_PER_CORE RCCE_COMM RCCE_P_COMM;
#define RCCE_POWER_DEFAULT -99999
#endif

#endif
