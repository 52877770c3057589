/* SPDX-License-Identifier: MIT */
/*
 * RCCE_lib.h: the library-level interface of RCCE 1.1.0 (re-implemented for tessera), which
 * RCCE's extensions (iRCCE) and some SCC programs include: the library's global state (MPB
 * addresses of every UE, the simplified API's flags and payload buffer), the reduction
 * codes, RC_cache_invalidate, the locks, and the gory calls that the simplified API keeps
 * for the library's own use. Everything here is per UE (per core).
 *
 * RCCE_PER_CORE (RCCE.h) qualifies the global state: empty on a tile (one core per image); the unit
 * tests, which run every simulated core as a thread of one host process, define it as
 * __thread (as RCCE's OpenMP emulator made the same variables threadprivate).
 */
#ifndef RCCE_LIB_H
#define RCCE_LIB_H
#include "RCCE.h"
#include <string.h>

/* A length padded to whole 32-byte lines. */
#define PAD32byte(n) ((n) % 32 == 0 ? (n) : (n) + 32 - (n) % 32)

#define BOTH_IN_COMM_BUFFER             12
#define SOURCE_IN_PRIVATE_MEMORY        34
#define TARGET_IN_PRIVATE_MEMORY        56

#define RCCE_SUM_INT                       (RCCE_SUM + (RCCE_NUM_OPS) * (RCCE_INT))
#define RCCE_SUM_LONG                      (RCCE_SUM + (RCCE_NUM_OPS) * (RCCE_LONG))
#define RCCE_SUM_FLOAT                     (RCCE_SUM + (RCCE_NUM_OPS) * (RCCE_FLOAT))
#define RCCE_SUM_DOUBLE                    (RCCE_SUM + (RCCE_NUM_OPS) * (RCCE_DOUBLE))
#define RCCE_MAX_INT                       (RCCE_MAX + (RCCE_NUM_OPS) * (RCCE_INT))
#define RCCE_MAX_LONG                      (RCCE_MAX + (RCCE_NUM_OPS) * (RCCE_LONG))
#define RCCE_MAX_FLOAT                     (RCCE_MAX + (RCCE_NUM_OPS) * (RCCE_FLOAT))
#define RCCE_MAX_DOUBLE                    (RCCE_MAX + (RCCE_NUM_OPS) * (RCCE_DOUBLE))
#define RCCE_MIN_INT                       (RCCE_MIN + (RCCE_NUM_OPS) * (RCCE_INT))
#define RCCE_MIN_LONG                      (RCCE_MIN + (RCCE_NUM_OPS) * (RCCE_LONG))
#define RCCE_MIN_FLOAT                     (RCCE_MIN + (RCCE_NUM_OPS) * (RCCE_FLOAT))
#define RCCE_MIN_DOUBLE                    (RCCE_MIN + (RCCE_NUM_OPS) * (RCCE_DOUBLE))
#define RCCE_PROD_INT                      (RCCE_PROD + (RCCE_NUM_OPS) * (RCCE_INT))
#define RCCE_PROD_LONG                     (RCCE_PROD + (RCCE_NUM_OPS) * (RCCE_LONG))
#define RCCE_PROD_FLOAT                    (RCCE_PROD + (RCCE_NUM_OPS) * (RCCE_FLOAT))
#define RCCE_PROD_DOUBLE                   (RCCE_PROD + (RCCE_NUM_OPS) * (RCCE_DOUBLE))

#define RCCE_COMM_INITIALIZED              45328976
#define RCCE_COMM_NOT_INITIALIZED          -45328976

typedef volatile unsigned int *t_vintp;
typedef volatile unsigned char t_vchar;
typedef volatile unsigned int t_vint;

#define RCCE_FLAGS_PER_LINE (RCCE_LINE_SIZE * 8)

#ifdef SINGLEBITFLAGS
/* Bookkeeping of one MPB line of single-bit flags: which bits are in use. */
typedef struct rcce_flag_line {
	char flag[RCCE_LINE_SIZE];
	t_vcharp line_address;
	int members;
	struct rcce_flag_line *next;
} RCCE_FLAG_LINE;
#endif

#ifndef GORY
extern RCCE_PER_CORE RCCE_FLAG RCCE_sent_flag[RCCE_MAXNP];
extern RCCE_PER_CORE RCCE_FLAG RCCE_ready_flag[RCCE_MAXNP];
extern RCCE_PER_CORE t_vcharp RCCE_buff_ptr;	/* the simplified API's payload buffer */
extern RCCE_PER_CORE size_t RCCE_chunk;		/* ... and its size in bytes */
extern RCCE_PER_CORE t_vcharp RCCE_flags_start;	/* where the next flag is allocated */
#endif

extern RCCE_PER_CORE t_vcharp RCCE_comm_buffer[RCCE_MAXNP];	/* usable MPB of each UE */
extern RCCE_PER_CORE t_vcharp RCCE_fool_write_combine_buffer;
extern RCCE_PER_CORE int RCCE_NP;
extern RCCE_PER_CORE int RCCE_BUFF_SIZE;	/* bytes of RCCE_comm_buffer[ue] */
extern RCCE_PER_CORE int RC_MY_COREID;
extern RCCE_PER_CORE int RC_COREID[RCCE_MAXNP];	/* core of each UE */
extern RCCE_PER_CORE double RC_REFCLOCKGHZ;
extern RCCE_PER_CORE int RCCE_IAM;
extern RCCE_PER_CORE int RCCE_debug_synch;
extern RCCE_PER_CORE int RCCE_debug_comm;
extern RCCE_PER_CORE int RCCE_debug_debug;
extern RCCE_PER_CORE int RCCE_debug_RPC;
#ifdef SINGLEBITFLAGS
extern RCCE_PER_CORE RCCE_FLAG_LINE RCCE_flags;
extern int WORDSIZE;
extern int LEFTMOSTBIT;
RCCE_FLAG_STATUS RCCE_bit_value(t_vcharp, int);
RCCE_FLAG_STATUS RCCE_flip_bit_value(t_vcharp, int);
int RCCE_write_bit_value(t_vcharp, int, RCCE_FLAG_STATUS);
#endif

extern RCCE_PER_CORE int RCCE_comm_init_val;

void     RCCE_malloc_init(t_vcharp, size_t);
void     RCCE_shmalloc_init(t_vcharp, size_t);
int      RCCE_qsort(char *, size_t, size_t, int (*)(const void *, const void *));
int      id_compare(const void *, const void *);
int      RCCE_probe(RCCE_FLAG);
int      RCCE_error_return(int, int);
void     RC_cache_invalidate(void);
int      RCCE_acquire_lock(int);
int      RCCE_release_lock(int);
int      RCCE_global_color(int, void *);
t_vcharp RC_COMM_BUFFER_START(int);

/* The gory calls, which the simplified API keeps for the library and its extensions
 * (declared again here, as RCCE does, since RCCE.h may have been included first). */
#ifndef GORY
t_vcharp RCCE_malloc(size_t);
t_vcharp RCCE_malloc_request(size_t, size_t *);
void     RCCE_free(t_vcharp);
int      RCCE_put(t_vcharp, t_vcharp, int, int);
int      RCCE_get(t_vcharp, t_vcharp, int, int);
int      RCCE_wait_until(RCCE_FLAG, RCCE_FLAG_STATUS);
int      RCCE_flag_alloc(RCCE_FLAG *);
int      RCCE_flag_free(RCCE_FLAG *);
int      RCCE_flag_write(RCCE_FLAG *, RCCE_FLAG_STATUS, int);
int      RCCE_flag_read(RCCE_FLAG, RCCE_FLAG_STATUS *, int);
#endif

#endif
