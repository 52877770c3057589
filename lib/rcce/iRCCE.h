/* SPDX-License-Identifier: MIT */
/*
 * iRCCE.h: the API of iRCCE 2.0 (RWTH Aachen's non-blocking extension of RCCE),
 * re-implemented for tessera on top of lib/rcce's simplified API. Source compatible with
 * programs written for iRCCE 2.0; not RWTH's code. Needs the simplified API (not -DGORY).
 *
 * Contract (details in docs/rcce.md):
 *  - iRCCE_isend/iRCCE_irecv start non-blocking transfers that use RCCE_send's protocol
 *    (so an iRCCE_isend matches an RCCE_recv and an RCCE_send an iRCCE_irecv);
 *    iRCCE_issend/iRCCE_isrecv and the blocking iRCCE_ssend/iRCCE_srecv (alias
 *    iRCCE_send/iRCCE_recv) use the pipelined protocol (the MPB buffer in two halves, one
 *    filled while the other is read): both ends of a transfer must use the same protocol.
 *  - Sends leave in the order they were posted, one at a time (they share the sender's MPB
 *    buffer); receives from one source complete in posting order; iRCCE_ANY_SOURCE matches
 *    the first source found with a message waiting (iRCCE_get_source tells which).
 *  - Progress happens inside iRCCE calls (test, wait, push). Requests and wait lists are
 *    the caller's and must stay in place until finished.
 *  - Returns: iRCCE_SUCCESS (done), iRCCE_PENDING (started, not done), iRCCE_RESERVED
 *    (queued behind earlier requests), iRCCE_NOT_ENQUEUED (cancel: not queued), or an
 *    RCCE error code (RCCE_ERROR_*) for bad arguments; iRCCE_ERROR for an empty wait list.
 *  - Not provided: iRCCE_ANY_LENGTH, tagged flags, atomic increment registers, mcast.
 */
#ifndef IRCCE_H
#define IRCCE_H

#include <sys/types.h>
#include "RCCE.h"

#ifdef GORY
#error "iRCCE needs RCCE's simplified API: build without -DGORY"
#endif

#define iRCCE_VERSION "2.0"
#define iRCCE_FLAIR

#define iRCCE_SUCCESS      RCCE_SUCCESS
#define iRCCE_ERROR        -1
#define iRCCE_PENDING      -2
#define iRCCE_RESERVED     -3
#define iRCCE_NOT_ENQUEUED -4

extern const int iRCCE_ANY_SOURCE;

typedef struct _iRCCE_SEND_REQUEST {
	char *privbuf;		/* data to send, in private memory */
	t_vcharp combuf;	/* the sender's MPB buffer it travels through */
	size_t chunk;		/* bytes of combuf */
	size_t subchunk1;	/* bytes of one piece (chunk, or half of it when pipelined) */
	size_t subchunk2;	/* pieces in flight at most: 1, or 2 when pipelined */
	RCCE_FLAG *ready;	/* set by the receiver when it has read a piece */
	RCCE_FLAG *sent;	/* set by us when a piece is in combuf */
	RCCE_FLAG_STATUS flag_set_value;
	size_t size;		/* bytes of the message */
	int dest;		/* receiving UE */
	int sync;		/* 1: pipelined (iRCCE_issend) */
	size_t wsize;		/* pieces put into combuf */
	size_t remainder;	/* pieces announced (sent flag set) */
	size_t nbytes;		/* pieces the receiver has read */
	char *bufptr;
	int label;		/* 0: queued, 1: under way */
	int finished;
	struct _iRCCE_SEND_REQUEST *next;
} iRCCE_SEND_REQUEST;

typedef struct _iRCCE_RECV_REQUEST {
	char *privbuf;		/* where the data goes, in private memory */
	t_vcharp combuf;	/* the sender's MPB buffer (our address of it) */
	size_t chunk;
	size_t subchunk1;	/* bytes of one piece */
	size_t subchunk2;	/* 1, or 2 when pipelined */
	RCCE_FLAG *ready;
	RCCE_FLAG *sent;
	RCCE_FLAG_STATUS flag_set_value;
	size_t size;
	int source;		/* sending UE (iRCCE_ANY_SOURCE until matched) */
	int sync;		/* 1: pipelined (iRCCE_isrecv) */
	size_t wsize;		/* pieces read */
	size_t remainder;
	size_t nbytes;
	char *bufptr;
	int label;		/* 0: queued, 1: under way */
	int finished;
	int started;		/* a piece has been read */
	struct _iRCCE_RECV_REQUEST *next;
} iRCCE_RECV_REQUEST;

#define iRCCE_WAIT_LIST_RECV_TYPE 0
#define iRCCE_WAIT_LIST_SEND_TYPE 1

typedef struct _iRCCE_WAIT_LISTELEM {
	int type;
	struct _iRCCE_WAIT_LISTELEM *next;
	void *req;
} iRCCE_WAIT_LISTELEM;

typedef struct _iRCCE_WAIT_LIST {
	iRCCE_WAIT_LISTELEM *first;
	iRCCE_WAIT_LISTELEM *last;
} iRCCE_WAIT_LIST;

int   iRCCE_init(void);
/* non-blocking send/recv */
int   iRCCE_isend(char *, ssize_t, int, iRCCE_SEND_REQUEST *);
int   iRCCE_isend_test(iRCCE_SEND_REQUEST *, int *);
int   iRCCE_isend_wait(iRCCE_SEND_REQUEST *);
int   iRCCE_isend_push(void);
int   iRCCE_irecv(char *, ssize_t, int, iRCCE_RECV_REQUEST *);
int   iRCCE_irecv_test(iRCCE_RECV_REQUEST *, int *);
int   iRCCE_irecv_wait(iRCCE_RECV_REQUEST *);
int   iRCCE_irecv_push(void);
/* pipelined send/recv: synchronous and blocking */
int   iRCCE_ssend(char *, ssize_t, int);
int   iRCCE_srecv(char *, ssize_t, int);
int   iRCCE_srecv_test(char *, ssize_t, int, int *);
/* non-blocking pipelined send/recv */
int   iRCCE_issend(char *, ssize_t, int, iRCCE_SEND_REQUEST *);
int   iRCCE_isrecv(char *, ssize_t, int, iRCCE_RECV_REQUEST *);
/* put/get and memcpy to and from the MPBs */
int   iRCCE_put(t_vcharp, t_vcharp, int, int);
int   iRCCE_get(t_vcharp, t_vcharp, int, int);
void *iRCCE_memcpy_put(void *, const void *, size_t);
void *iRCCE_memcpy_get(void *, const void *, size_t);
#define iRCCE_memcpy iRCCE_memcpy_put
/* probing for incoming messages: the source (or iRCCE_ANY_SOURCE) -> who has one */
int   iRCCE_probe(int, int *);
int   iRCCE_iprobe(int, int *, int *);
/* wait/test on lists of requests */
void  iRCCE_init_wait_list(iRCCE_WAIT_LIST *);
void  iRCCE_add_to_wait_list(iRCCE_WAIT_LIST *, iRCCE_SEND_REQUEST *, iRCCE_RECV_REQUEST *);
int   iRCCE_test_all(iRCCE_WAIT_LIST *, int *);
int   iRCCE_wait_all(iRCCE_WAIT_LIST *);
int   iRCCE_test_any(iRCCE_WAIT_LIST *, iRCCE_SEND_REQUEST **, iRCCE_RECV_REQUEST **);
int   iRCCE_wait_any(iRCCE_WAIT_LIST *, iRCCE_SEND_REQUEST **, iRCCE_RECV_REQUEST **);
/* what a request is about */
int   iRCCE_get_dest(iRCCE_SEND_REQUEST *);
int   iRCCE_get_source(iRCCE_RECV_REQUEST *);
int   iRCCE_get_size(iRCCE_SEND_REQUEST *, iRCCE_RECV_REQUEST *);
int   iRCCE_get_length(void);
/* cancel requests not yet started */
int   iRCCE_isend_cancel(iRCCE_SEND_REQUEST *, int *);
int   iRCCE_irecv_cancel(iRCCE_RECV_REQUEST *, int *);
/* collectives and the gory calls, mapped to RCCE */
int   iRCCE_barrier(RCCE_COMM *);
int   iRCCE_bcast(char *, size_t, int, RCCE_COMM);
t_vcharp iRCCE_malloc(size_t);
int   iRCCE_flag_alloc(RCCE_FLAG *);
int   iRCCE_flag_write(RCCE_FLAG *, RCCE_FLAG_STATUS, int);
int   iRCCE_flag_read(RCCE_FLAG, RCCE_FLAG_STATUS *, int);
int   iRCCE_wait_until(RCCE_FLAG, RCCE_FLAG_STATUS);

/* As iRCCE 2.0 names them too. */
#define RCCE_isend        iRCCE_isend
#define RCCE_isend_test   iRCCE_isend_test
#define RCCE_isend_wait   iRCCE_isend_wait
#define RCCE_isend_push   iRCCE_isend_push
#define RCCE_irecv        iRCCE_irecv
#define RCCE_irecv_test   iRCCE_irecv_test
#define RCCE_irecv_wait   iRCCE_irecv_wait
#define RCCE_irecv_push   iRCCE_irecv_push
#define RCCE_SEND_REQUEST iRCCE_SEND_REQUEST
#define RCCE_RECV_REQUEST iRCCE_RECV_REQUEST
#define iRCCE_send        iRCCE_ssend
#define iRCCE_recv        iRCCE_srecv
#define iRCCE_recv_test   iRCCE_srecv_test
#define iRCCE_issend_test iRCCE_isend_test
#define iRCCE_issend_wait iRCCE_isend_wait
#define iRCCE_issend_push iRCCE_isend_push
#define iRCCE_isrecv_test iRCCE_irecv_test
#define iRCCE_isrecv_wait iRCCE_irecv_wait
#define iRCCE_isrecv_push iRCCE_irecv_push

#endif
