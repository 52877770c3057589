// SPDX-License-Identifier: MIT
/*
 * send.c: RCCE_send, RCCE_recv, RCCE_recv_test in both APIs, over one synchronous
 * protocol, chunk by chunk through a buffer of the sender's MPB (as RCCE 1.1.0 does):
 *
 *   sender                                   receiver
 *   put chunk into own MPB buffer, flush
 *   sent := SET   (in receiver's MPB) ---->  wait until own sent = SET; sent := UNSET
 *                                            invalidate, get chunk from sender's MPB
 *   wait until own ready = SET   <-------    ready := SET (in sender's MPB)
 *   ready := UNSET
 *
 * So a send returns only when the receiver has copied its last byte (blocking and
 * synchronous), and no chunk is overwritten before it was read. A waiting side halts
 * (wait.c); every flag write wakes the UE it was written on.
 */
#include "rcce_impl.h"

int rcce_send_general(char *buf, t_vcharp combuf, size_t chunk, RCCE_FLAG *ready,
		      RCCE_FLAG *sent, size_t size, int dest)
{
	rcce_note(1, dest, size, 1);
	for (size_t off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;

		rcce_copy_to_mpb((uintptr_t)combuf, buf + off, n);
		rcce_flush();
		rcce_flag_set(sent, RCCE_FLAG_SET, dest);
		rcce_flag_wait(*ready, RCCE_FLAG_SET, TESSERA_WAIT_SSEND, dest);
		rcce_flag_set(ready, RCCE_FLAG_UNSET, RCCE_IAM);
	}
	rcce_note(1, dest, size, 0);
	return RCCE_SUCCESS;
}

int rcce_recv_general(char *buf, t_vcharp combuf, size_t chunk, RCCE_FLAG *ready,
		      RCCE_FLAG *sent, size_t size, int source)
{
	rcce_note(0, source, size, 1);
	for (size_t off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;

		rcce_flag_wait(*sent, RCCE_FLAG_SET, TESSERA_WAIT_RECV, source);
		rcce_flag_set(sent, RCCE_FLAG_UNSET, RCCE_IAM);
		rcce_invalidate();
		rcce_copy_from_mpb(buf + off, rcce_at(combuf, source), n);
		rcce_flag_set(ready, RCCE_FLAG_SET, source);
	}
	rcce_note(0, source, size, 0);
	return RCCE_SUCCESS;
}

/* Arguments every send and receive checks: RCCE_SUCCESS or the error code. */
static int check_peer(const char *buf, size_t size, int ue, int buf_err)
{
	if (!rcce_self.inited)
		return RCCE_ERROR_COMM_UNDEFINED;
	if (ue < 0 || ue >= RCCE_NP || ue == RCCE_IAM)
		return RCCE_ERROR_ID;
	if (!buf && size)
		return buf_err;
	return RCCE_SUCCESS;
}

#ifndef GORY

int RCCE_send(char *buf, size_t size, int dest)
{
	int err = check_peer(buf, size, dest, RCCE_ERROR_SOURCE);

	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
	return rcce_send_general(buf, RCCE_buff_ptr, RCCE_chunk, &RCCE_ready_flag[dest],
				 &RCCE_sent_flag[RCCE_IAM], size, dest);
}

int RCCE_recv(char *buf, size_t size, int source)
{
	int err = check_peer(buf, size, source, RCCE_ERROR_TARGET);

	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
	return rcce_recv_general(buf, RCCE_buff_ptr, RCCE_chunk, &RCCE_ready_flag[RCCE_IAM],
				 &RCCE_sent_flag[source], size, source);
}

int RCCE_recv_test(char *buf, size_t size, int source, int *test)
{
	int err = check_peer(buf, size, source, RCCE_ERROR_TARGET);

	if (!err && !test)
		err = RCCE_ERROR_VAL_UNDEFINED;
	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
	*test = 0;
	if (size && !RCCE_probe(RCCE_sent_flag[source]))
		return RCCE_SUCCESS;
	*test = 1;
	return rcce_recv_general(buf, RCCE_buff_ptr, RCCE_chunk, &RCCE_ready_flag[RCCE_IAM],
				 &RCCE_sent_flag[source], size, source);
}

#else

/* The gory API's extra arguments: an MPB buffer of `chunk` bytes and two flags. */
static int check_gory(t_vcharp combuf, size_t chunk, RCCE_FLAG *ready, RCCE_FLAG *sent,
		      int buf_err)
{
	if (!rcce_flag_valid(ready) || !rcce_flag_valid(sent))
		return RCCE_ERROR_FLAG_UNDEFINED;
	if (!combuf || !rcce_in_buffer(combuf, chunk))
		return buf_err;
	if (!chunk || chunk % RCCE_LINE_SIZE)
		return RCCE_ERROR_MESSAGE_LENGTH;
	if ((combuf - RCCE_comm_buffer[RCCE_IAM]) % RCCE_LINE_SIZE)
		return RCCE_ERROR_ALIGNMENT;
	return RCCE_SUCCESS;
}

int RCCE_send(char *buf, t_vcharp combuf, size_t chunk, RCCE_FLAG *ready, RCCE_FLAG *sent,
	      size_t size, int dest)
{
	int err = check_peer(buf, size, dest, RCCE_ERROR_SOURCE);

	if (!err)
		err = check_gory(combuf, chunk, ready, sent, RCCE_ERROR_TARGET);
	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
	return rcce_send_general(buf, combuf, chunk, ready, sent, size, dest);
}

int RCCE_recv(char *buf, t_vcharp combuf, size_t chunk, RCCE_FLAG *ready, RCCE_FLAG *sent,
	      size_t size, int source)
{
	int err = check_peer(buf, size, source, RCCE_ERROR_TARGET);

	if (!err)
		err = check_gory(combuf, chunk, ready, sent, RCCE_ERROR_SOURCE);
	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
	return rcce_recv_general(buf, combuf, chunk, ready, sent, size, source);
}

int RCCE_recv_test(char *buf, t_vcharp combuf, size_t chunk, RCCE_FLAG *ready,
		   RCCE_FLAG *sent, size_t size, int source, int *test)
{
	int err = check_peer(buf, size, source, RCCE_ERROR_TARGET);

	if (!err)
		err = check_gory(combuf, chunk, ready, sent, RCCE_ERROR_SOURCE);
	if (!err && !test)
		err = RCCE_ERROR_VAL_UNDEFINED;
	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
	*test = 0;
	if (size && rcce_flag_get(*sent, RCCE_IAM) != RCCE_FLAG_SET)
		return RCCE_SUCCESS;
	*test = 1;
	return rcce_recv_general(buf, combuf, chunk, ready, sent, size, source);
}

#endif
