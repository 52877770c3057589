// SPDX-License-Identifier: MIT
/*
 * dist_mpi.c: the messages between the host processes of a distributed board, carried by
 * Open MPI (host-driver/dist.h's struct hd_dist_net): one MPI process per host, started by
 * mpirun, MPI_COMM_WORLD's rank the host's number. Only nonblocking calls, so the host loop
 * never waits on the network: a send is an MPI_Isend whose buffer is freed when MPI says it
 * is done; a receive is an MPI_Improbe for any source, then an MPI_Mrecv of exactly the
 * message's size. The channel is the tag: MPI keeps the order of two messages from one
 * process to another with the same tag, which is all the engine needs.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <mpi.h>
#include "tessera/host.h"
#include "dist.h"
#include "ht.h"
#include "ht_dist.h"

struct mpinet {
	MPI_Request *req;	/* sends in flight */
	void **buf;		/* ... and their buffers */
	int n, cap;
	int *done;		/* MPI_Testsome's indices */
};

static struct mpinet net_state;

static void progress(struct mpinet *m)
{
	int outcount = 0;

	if (!m->n)
		return;
	MPI_Testsome(m->n, m->req, &outcount, m->done, MPI_STATUSES_IGNORE);
	if (outcount <= 0 || outcount == MPI_UNDEFINED)
		return;
	for (int i = 0; i < outcount; i++) {
		free(m->buf[m->done[i]]);
		m->buf[m->done[i]] = NULL;
	}
	for (int i = 0, k = 0; i < m->n; i++)	/* completed requests are MPI_REQUEST_NULL */
		if (m->buf[i]) {
			m->req[k] = m->req[i];
			m->buf[k++] = m->buf[i];
		}
	m->n -= outcount;
}

static int net_send(void *ctx, uint32_t to, int ch, void *buf, size_t n)
{
	struct mpinet *m = ctx;

	if (n > INT_MAX) {
		free(buf);
		return -EMSGSIZE;
	}
	if (m->n == m->cap) {
		int cap = m->cap ? m->cap * 2 : 64;
		MPI_Request *r = realloc(m->req, (size_t)cap * sizeof(*r));
		void **b = r ? realloc(m->buf, (size_t)cap * sizeof(*b)) : NULL;
		int *d = b ? realloc(m->done, (size_t)cap * sizeof(*d)) : NULL;

		if (r)
			m->req = r;
		if (b)
			m->buf = b;
		if (!d) {
			free(buf);
			return -ENOMEM;
		}
		m->done = d;
		m->cap = cap;
	}
	MPI_Isend(buf, (int)n, MPI_BYTE, (int)to, ch, MPI_COMM_WORLD, &m->req[m->n]);
	m->buf[m->n++] = buf;
	return 0;
}

static int net_recv(void *ctx, uint32_t *from, int *ch, void **buf, size_t *n)
{
	struct mpinet *m = ctx;
	MPI_Message msg;
	MPI_Status st;
	int flag = 0, count = 0;

	progress(m);
	MPI_Improbe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &msg, &st);
	if (!flag)
		return 0;
	MPI_Get_count(&st, MPI_BYTE, &count);
	if (!(*buf = malloc(count > 0 ? (size_t)count : 1)))
		return -ENOMEM;
	MPI_Mrecv(*buf, count, MPI_BYTE, &msg, MPI_STATUS_IGNORE);
	*from = (uint32_t)st.MPI_SOURCE;
	*ch = st.MPI_TAG;
	*n = (size_t)count;
	return 1;
}

static int net_pending(void *ctx)
{
	struct mpinet *m = ctx;

	progress(m);
	return m->n;
}

int ht_dist_net_open(int *argc, char ***argv, struct hd_dist_net *net)
{
	int provided, rank, size;

	if (MPI_Init_thread(argc, argv, MPI_THREAD_SINGLE, &provided) != MPI_SUCCESS)
		return -EIO;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	memset(net, 0, sizeof(*net));
	net->ctx = &net_state;
	net->me = (uint32_t)rank;
	net->nhosts = (uint32_t)size;
	net->send = net_send;
	net->recv = net_recv;
	net->pending = net_pending;
	return 0;
}

void ht_dist_net_close(int abort_code)
{
	struct mpinet *m = &net_state;

	if (abort_code) {
		MPI_Abort(MPI_COMM_WORLD, abort_code);
		return;
	}
	for (int i = 0; i < m->n; i++)	/* nothing should be left (dist_job.c waits) */
		MPI_Cancel(&m->req[i]);
	MPI_Finalize();
	for (int i = 0; i < m->n; i++)
		free(m->buf[i]);
	free(m->req);
	free(m->buf);
	free(m->done);
	memset(m, 0, sizeof(*m));
}
