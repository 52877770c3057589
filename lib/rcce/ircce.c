// SPDX-License-Identifier: MIT
/*
 * ircce.c: iRCCE's non-blocking transfers: the send queue (one, since every send of a UE
 * goes through its one MPB buffer), a receive queue per source, the wildcard queue, and
 * the progress engine that moves the head of each queue on as far as the flags allow.
 *
 * One engine serves both protocols. A message is cut into pieces; a piece goes to slot
 * (i % halves) of the sender's buffer: halves = 1 and pieces of the whole buffer is
 * RCCE_send's protocol; halves = 2 and pieces of half the buffer is the pipelined one
 * (the sender fills one half while the receiver reads the other). The sender may put
 * piece i once piece i - halves was read, and announce it (sent := SET in the receiver's
 * MPB) once the piece before it was read (so the sent flag is free); the receiver reads
 * the pieces in order, each after its sent flag, and acknowledges each (ready := SET in
 * the sender's MPB). See send.c for the same with halves = 1, blocking.
 */
#include <string.h>
#include "rcce_impl.h"
#include "iRCCE.h"

const int iRCCE_ANY_SOURCE = -1;

static RCCE_PER_CORE iRCCE_SEND_REQUEST *send_head, *send_tail;
static RCCE_PER_CORE iRCCE_RECV_REQUEST *recv_head[RCCE_MAXNP], *recv_tail[RCCE_MAXNP];
static RCCE_PER_CORE iRCCE_RECV_REQUEST *any_head, *any_tail;
static RCCE_PER_CORE int any_rotor;	/* where the next wildcard search starts */

int iRCCE_init(void)
{
	send_head = send_tail = NULL;
	any_head = any_tail = NULL;
	memset(recv_head, 0, sizeof(recv_head));
	memset(recv_tail, 0, sizeof(recv_tail));
	return rcce_self.inited ? iRCCE_SUCCESS : RCCE_ERROR_COMM_UNDEFINED;
}

static size_t pieces(size_t size, size_t piece)
{
	return (size + piece - 1) / piece;
}

static size_t piece_len(size_t size, size_t piece, size_t i)
{
	return size - i * piece < piece ? size - i * piece : piece;
}

/* Slot size of the protocol: the whole buffer, or half of it in whole lines. */
static void protocol(int pipelined, size_t *piece, size_t *halves)
{
	*halves = pipelined && RCCE_chunk >= 2 * RCCE_LINE_SIZE ? 2 : 1;
	*piece = *halves == 2 ? (RCCE_chunk / 2) & ~(size_t)(RCCE_LINE_SIZE - 1) : RCCE_chunk;
}

/* ---- the two ends of a transfer ---- */

/* Move a send on as far as the flags allow; 1 when it has finished. */
static int send_step(iRCCE_SEND_REQUEST *r)
{
	size_t n = pieces(r->size, r->subchunk1);

	if (r->label == 0) {
		r->label = 1;
		rcce_note(1, r->dest, r->size, 1);
	}
	for (;;) {
		if (r->wsize < n && r->wsize - r->nbytes < r->subchunk2) {
			size_t i = r->wsize++;

			rcce_copy_to_mpb((uintptr_t)r->combuf + (i % r->subchunk2) * r->subchunk1,
					 r->privbuf + i * r->subchunk1, piece_len(r->size, r->subchunk1, i));
		} else if (r->remainder < r->wsize && r->remainder == r->nbytes) {
			rcce_flush();
			rcce_flag_set(r->sent, RCCE_FLAG_SET, r->dest);
			r->remainder++;
		} else if (r->nbytes < r->remainder &&
			   rcce_flag_get(*r->ready, RCCE_IAM) == RCCE_FLAG_SET) {
			rcce_flag_set(r->ready, RCCE_FLAG_UNSET, RCCE_IAM);
			r->nbytes++;
		} else {
			break;
		}
	}
	if (r->nbytes < n)
		return 0;
	r->finished = 1;
	rcce_note(1, r->dest, r->size, 0);
	return 1;
}

static int recv_step(iRCCE_RECV_REQUEST *r)
{
	size_t n = pieces(r->size, r->subchunk1);

	if (r->label == 0) {
		r->label = 1;
		rcce_note(0, r->source, r->size, 1);
	}
	while (r->wsize < n && rcce_flag_get(*r->sent, RCCE_IAM) == RCCE_FLAG_SET) {
		size_t i = r->wsize++;

		rcce_flag_set(r->sent, RCCE_FLAG_UNSET, RCCE_IAM);
		rcce_copy_from_mpb(r->privbuf + i * r->subchunk1,
				   rcce_at(r->combuf + (i % r->subchunk2) * r->subchunk1, r->source),
				   piece_len(r->size, r->subchunk1, i));
		rcce_flag_set(r->ready, RCCE_FLAG_SET, r->source);
		r->started = 1;
	}
	if (r->wsize < n)
		return 0;
	r->finished = 1;
	rcce_note(0, r->source, r->size, 0);
	return 1;
}

/* ---- queues and progress ---- */

int iRCCE_isend_push(void)
{
	while (send_head && send_step(send_head)) {
		send_head = send_head->next;
		if (!send_head)
			send_tail = NULL;
	}
	return send_head ? iRCCE_PENDING : iRCCE_SUCCESS;
}

static void bind(iRCCE_RECV_REQUEST *r, int source)
{
	r->source = source;
	r->sent = &RCCE_sent_flag[source];
	r->next = NULL;
	if (recv_tail[source])
		recv_tail[source]->next = r;
	else
		recv_head[source] = r;
	recv_tail[source] = r;
}

/* Give the oldest wildcard receive the first idle source that has a message waiting. */
static void match_any(void)
{
	while (any_head) {
		int found = -1;

		rcce_invalidate();
		for (int k = 0; k < RCCE_NP && found < 0; k++) {
			int s = (any_rotor + k) % RCCE_NP;

			if (s != RCCE_IAM && !recv_head[s] && RCCE_probe(RCCE_sent_flag[s]))
				found = s;
		}
		if (found < 0)
			return;
		any_rotor = (found + 1) % RCCE_NP;
		iRCCE_RECV_REQUEST *r = any_head;

		any_head = r->next;
		if (!any_head)
			any_tail = NULL;
		bind(r, found);
	}
}

int iRCCE_irecv_push(void)
{
	int pending = 0;

	match_any();
	for (int s = 0; s < RCCE_NP; s++) {
		while (recv_head[s] && recv_step(recv_head[s])) {
			recv_head[s] = recv_head[s]->next;
			if (!recv_head[s])
				recv_tail[s] = NULL;
		}
		pending |= recv_head[s] != NULL;
	}
	return pending || any_head ? iRCCE_PENDING : iRCCE_SUCCESS;
}

/* The arguments of a new request (peer may be iRCCE_ANY_SOURCE for a receive). */
static int check_start(const void *r, const char *buf, ssize_t size, int peer, int buf_err)
{
	if (!rcce_self.inited)
		return RCCE_ERROR_COMM_UNDEFINED;
	if (!r || (peer != iRCCE_ANY_SOURCE && (peer < 0 || peer >= RCCE_NP || peer == RCCE_IAM)))
		return RCCE_ERROR_ID;
	if (size < 0)
		return RCCE_ERROR_MESSAGE_LENGTH;
	return !buf && size ? buf_err : RCCE_SUCCESS;
}

static int start_send(char *buf, ssize_t size, int dest, iRCCE_SEND_REQUEST *r, int pipe)
{
	int queued;
	int err = check_start(r, buf, size, dest, RCCE_ERROR_SOURCE);

	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
	memset(r, 0, sizeof(*r));
	r->privbuf = r->bufptr = buf;
	r->combuf = RCCE_buff_ptr;
	r->chunk = RCCE_chunk;
	protocol(pipe, &r->subchunk1, &r->subchunk2);
	r->ready = &RCCE_ready_flag[dest];
	r->sent = &RCCE_sent_flag[RCCE_IAM];
	r->flag_set_value = RCCE_FLAG_SET;
	r->size = (size_t)size;
	r->dest = dest;
	r->sync = pipe;
	queued = send_head != NULL;
	if (send_tail)
		send_tail->next = r;
	else
		send_head = r;
	send_tail = r;
	if (queued)
		return iRCCE_RESERVED;
	iRCCE_isend_push();
	return r->finished ? iRCCE_SUCCESS : iRCCE_PENDING;
}

static int start_recv(char *buf, ssize_t size, int source, iRCCE_RECV_REQUEST *r, int pipe)
{
	int queued;
	int err = check_start(r, buf, size, source, RCCE_ERROR_TARGET);

	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
	memset(r, 0, sizeof(*r));
	r->privbuf = r->bufptr = buf;
	r->combuf = RCCE_buff_ptr;
	r->chunk = RCCE_chunk;
	protocol(pipe, &r->subchunk1, &r->subchunk2);
	r->ready = &RCCE_ready_flag[RCCE_IAM];
	r->flag_set_value = RCCE_FLAG_SET;
	r->size = (size_t)size;
	r->sync = pipe;
	if (source == iRCCE_ANY_SOURCE) {
		r->source = iRCCE_ANY_SOURCE;
		queued = any_head != NULL;
		if (any_tail)
			any_tail->next = r;
		else
			any_head = r;
		any_tail = r;
	} else {
		queued = recv_head[source] != NULL;
		bind(r, source);
	}
	if (queued)
		return iRCCE_RESERVED;
	iRCCE_irecv_push();
	return r->finished ? iRCCE_SUCCESS : iRCCE_PENDING;
}

int iRCCE_isend(char *buf, ssize_t size, int dest, iRCCE_SEND_REQUEST *r)
{
	return start_send(buf, size, dest, r, 0);
}

int iRCCE_issend(char *buf, ssize_t size, int dest, iRCCE_SEND_REQUEST *r)
{
	return start_send(buf, size, dest, r, 1);
}

int iRCCE_irecv(char *buf, ssize_t size, int source, iRCCE_RECV_REQUEST *r)
{
	return start_recv(buf, size, source, r, 0);
}

int iRCCE_isrecv(char *buf, ssize_t size, int source, iRCCE_RECV_REQUEST *r)
{
	return start_recv(buf, size, source, r, 1);
}

int iRCCE_isend_test(iRCCE_SEND_REQUEST *r, int *test)
{
	iRCCE_isend_push();
	if (test)
		*test = r ? r->finished : send_head == NULL;
	return (r ? r->finished : send_head == NULL) ? iRCCE_SUCCESS : iRCCE_PENDING;
}

int iRCCE_irecv_test(iRCCE_RECV_REQUEST *r, int *test)
{
	int pending = iRCCE_irecv_push() == iRCCE_PENDING;

	if (test)
		*test = r ? r->finished : !pending;
	return (r ? r->finished : !pending) ? iRCCE_SUCCESS : iRCCE_PENDING;
}

/* ---- waiting: progress, else halt until a peer's flag write wakes us ---- */

static int send_done(void *p)
{
	iRCCE_SEND_REQUEST *r = p;

	iRCCE_isend_push();
	return r ? r->finished : send_head == NULL;
}

static int recv_done(void *p)
{
	iRCCE_RECV_REQUEST *r = p;
	int pending = iRCCE_irecv_push() == iRCCE_PENDING;

	return r ? r->finished : !pending;
}

int iRCCE_isend_wait(iRCCE_SEND_REQUEST *r)
{
	rcce_wait(send_done, r, TESSERA_WAIT_SSEND, r ? r->dest : -1);
	return iRCCE_SUCCESS;
}

int iRCCE_irecv_wait(iRCCE_RECV_REQUEST *r)
{
	rcce_wait(recv_done, r, TESSERA_WAIT_RECV, r ? r->source : -1);
	return iRCCE_SUCCESS;
}

int iRCCE_ssend(char *buf, ssize_t size, int dest)
{
	iRCCE_SEND_REQUEST r;
	int rc = iRCCE_issend(buf, size, dest, &r);

	return rc == iRCCE_PENDING || rc == iRCCE_RESERVED ? iRCCE_isend_wait(&r) : rc;
}

int iRCCE_srecv(char *buf, ssize_t size, int source)
{
	iRCCE_RECV_REQUEST r;
	int rc = iRCCE_isrecv(buf, size, source, &r);

	return rc == iRCCE_PENDING || rc == iRCCE_RESERVED ? iRCCE_irecv_wait(&r) : rc;
}

int iRCCE_srecv_test(char *buf, ssize_t size, int source, int *test)
{
	int waiting = 0, rc = iRCCE_iprobe(source, NULL, &waiting);

	if (rc != iRCCE_SUCCESS)
		return rc;
	if (test)
		*test = waiting || !size;
	return waiting || !size ? iRCCE_srecv(buf, size, source) : iRCCE_SUCCESS;
}

/* ---- cancel, probe, queries ---- */

int iRCCE_isend_cancel(iRCCE_SEND_REQUEST *r, int *test)
{
	iRCCE_SEND_REQUEST **p = &send_head, *prev = NULL;

	if (test)
		*test = 0;
	for (; *p && *p != r; p = &(*p)->next)
		prev = *p;
	if (!r || !*p)
		return iRCCE_NOT_ENQUEUED;
	if (r->label)	/* under way: its pieces are in the receiver's hands */
		return iRCCE_SUCCESS;
	*p = r->next;
	if (send_tail == r)
		send_tail = prev;
	if (test)
		*test = 1;
	return iRCCE_SUCCESS;
}

/* Unlink r from the queue whose head is *head and tail *tail; 1 if it was there. */
static int unlink_recv(iRCCE_RECV_REQUEST **head, iRCCE_RECV_REQUEST **tail,
		       iRCCE_RECV_REQUEST *r)
{
	iRCCE_RECV_REQUEST **p = head, *prev = NULL;

	for (; *p && *p != r; p = &(*p)->next)
		prev = *p;
	if (!*p)
		return 0;
	*p = r->next;
	if (*tail == r)
		*tail = prev;
	return 1;
}

int iRCCE_irecv_cancel(iRCCE_RECV_REQUEST *r, int *test)
{
	if (test)
		*test = 0;
	if (!r || r->finished)
		return iRCCE_NOT_ENQUEUED;
	if (r->started || r->label)
		return iRCCE_SUCCESS;
	if (r->source == iRCCE_ANY_SOURCE ? !unlink_recv(&any_head, &any_tail, r) :
	    !unlink_recv(&recv_head[r->source], &recv_tail[r->source], r))
		return iRCCE_NOT_ENQUEUED;
	if (test)
		*test = 1;
	return iRCCE_SUCCESS;
}

int iRCCE_iprobe(int source, int *from, int *test)
{
	int found = -1;

	if (source != iRCCE_ANY_SOURCE && (source < 0 || source >= RCCE_NP || source == RCCE_IAM))
		return RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_ID);
	rcce_invalidate();
	for (int s = 0; s < RCCE_NP && found < 0; s++)
		if (s != RCCE_IAM && (source == iRCCE_ANY_SOURCE || s == source) &&
		    !recv_head[s] && RCCE_probe(RCCE_sent_flag[s]))
			found = s;
	if (from)
		*from = found;
	if (test)
		*test = found >= 0;
	return iRCCE_SUCCESS;
}

struct probe {
	int source, from;
};

static int probed(void *p)
{
	struct probe *q = p;
	int test;

	iRCCE_iprobe(q->source, &q->from, &test);
	return test;
}

int iRCCE_probe(int source, int *from)
{
	struct probe q = { source, -1 };

	if (source != iRCCE_ANY_SOURCE && (source < 0 || source >= RCCE_NP || source == RCCE_IAM))
		return RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_ID);
	rcce_wait(probed, &q, TESSERA_WAIT_RECV, source);
	if (from)
		*from = q.from;
	return iRCCE_SUCCESS;
}

int iRCCE_get_dest(iRCCE_SEND_REQUEST *r)
{
	return r ? r->dest : iRCCE_ERROR;
}

int iRCCE_get_source(iRCCE_RECV_REQUEST *r)
{
	return r ? r->source : iRCCE_ERROR;
}

int iRCCE_get_size(iRCCE_SEND_REQUEST *s, iRCCE_RECV_REQUEST *r)
{
	return s ? (int)s->size : r ? (int)r->size : iRCCE_ERROR;
}

int iRCCE_get_length(void)
{
	return (int)RCCE_chunk;
}
