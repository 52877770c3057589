/* SPDX-License-Identifier: MIT */
/*
 * p2p_boundaries: every boundary of the channel's records and of the protocols (0, 1, a
 * slot's inline payload of 32 bytes and one line more, 160, 4 KB chunks, the eager limit of
 * 16 KB, 1 MiB) in every send mode (blocking, non-blocking, persistent) against every kind of
 * receive (blocking, posted first, any source and tag, probes, matched probes, persistent),
 * between pairs of ranks both ways and to itself (the rank left without a pair); then windows
 * of 200 non-blocking sends to every rank before any receive (far beyond a ring's 32 slots),
 * received by source, by any source and tag, and tag by tag, each in its order.
 */
#include "conf.h"

static const int sizes[] = { 0, 1, 17, 32, 33, 65, 160, 4096, 4097, 16384, 16385, 1 << 20 };
#define NS ((int)(sizeof(sizes) / sizeof(sizes[0])))
enum { M_SEND, M_SSEND, M_BSEND, M_RSEND, M_ISEND, M_ISSEND, M_IBSEND, M_IRSEND, M_SEND_INIT,
	M_SSEND_INIT, M_BSEND_INIT, M_RSEND_INIT, NM };
static const char *mname[] = { "Send", "Ssend", "Bsend", "Rsend", "Isend", "Issend", "Ibsend",
	"Irsend", "Send_init", "Ssend_init", "Bsend_init", "Rsend_init" };
enum { R_RECV, R_IRECV_EARLY, R_ANY, R_PROBE, R_MPROBE, R_IMPROBE, R_RECV_INIT, R_IPROBE_LATE,
	NR };
static const char *rname[] = { "Recv", "Irecv early", "any source/tag", "Probe+Recv",
	"Mprobe+Mrecv", "Improbe+Imrecv", "Recv_init", "Iprobe then Recv" };

static unsigned char *sbuf, *rbuf;

static int probes(int r)
{
	return r == R_PROBE || r == R_MPROBE || r == R_IMPROBE || r == R_IPROBE_LATE;
}

static unsigned char pat(int i, int len, int m)
{
	return (unsigned char)(i * 7 + len + m * 13);
}

static int early(int m, int r)
{
	return r == R_IRECV_EARLY || r == R_RECV_INIT || m == M_RSEND || m == M_IRSEND ||
	       m == M_RSEND_INIT;
}

static void do_send(int m, int len, int to, int tag)
{
	MPI_Request q;

	switch (m) {
	case M_SEND: MPI_Send(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD); return;
	case M_SSEND: MPI_Ssend(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD); return;
	case M_BSEND: MPI_Bsend(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD); return;
	case M_RSEND: MPI_Rsend(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD); return;
	case M_ISEND: MPI_Isend(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD, &q); break;
	case M_ISSEND: MPI_Issend(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD, &q); break;
	case M_IBSEND: MPI_Ibsend(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD, &q); break;
	case M_IRSEND: MPI_Irsend(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD, &q); break;
	case M_SEND_INIT: MPI_Send_init(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD, &q); break;
	case M_SSEND_INIT: MPI_Ssend_init(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD, &q); break;
	case M_BSEND_INIT: MPI_Bsend_init(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD, &q); break;
	default: MPI_Rsend_init(sbuf, len, MPI_BYTE, to, tag, MPI_COMM_WORLD, &q); break;
	}
	if (m >= M_SEND_INIT) {
		MPI_Start(&q);
		MPI_Wait(&q, MPI_STATUS_IGNORE);
		MPI_Request_free(&q);
	} else {
		MPI_Wait(&q, MPI_STATUS_IGNORE);
	}
}

/* receive len bytes from `from`, in style r; returns 1 if data and status are right */
static int do_recv(int r, int m, int len, int from, int tag, MPI_Request *pre)
{
	MPI_Status s;
	MPI_Message msg;
	int cnt = -1, flag = 0, ok = 1, i, cap = len + 100;

	switch (r) {
	case R_RECV: MPI_Recv(rbuf, cap, MPI_BYTE, from, tag, MPI_COMM_WORLD, &s); break;
	case R_ANY: MPI_Recv(rbuf, cap, MPI_BYTE, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &s);
		break;
	case R_PROBE:
		MPI_Probe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &s);
		MPI_Get_count(&s, MPI_BYTE, &cnt);
		ok &= cnt == len && s.MPI_TAG == tag && s.MPI_SOURCE == from;
		MPI_Recv(rbuf, cnt, MPI_BYTE, s.MPI_SOURCE, s.MPI_TAG, MPI_COMM_WORLD, &s);
		break;
	case R_MPROBE:
		MPI_Mprobe(MPI_ANY_SOURCE, tag, MPI_COMM_WORLD, &msg, &s);
		MPI_Get_count(&s, MPI_BYTE, &cnt);
		ok &= cnt == len && s.MPI_SOURCE == from;
		MPI_Mrecv(rbuf, cnt, MPI_BYTE, &msg, &s);
		ok &= msg == MPI_MESSAGE_NULL;
		break;
	case R_IMPROBE: {
		MPI_Request q;

		do
			MPI_Improbe(from, tag, MPI_COMM_WORLD, &flag, &msg, &s);
		while (!flag);
		MPI_Imrecv(rbuf, cap, MPI_BYTE, &msg, &q);
		MPI_Wait(&q, &s);
		break;
	}
	case R_IPROBE_LATE:
		do
			MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &s);
		while (!flag);
		ok &= s.MPI_SOURCE == from && s.MPI_TAG == tag;
		MPI_Recv(rbuf, cap, MPI_BYTE, from, tag, MPI_COMM_WORLD, &s);
		break;
	case R_IRECV_EARLY:
		MPI_Wait(pre, &s);
		break;
	default:
		MPI_Wait(pre, &s);
		ok &= *pre != MPI_REQUEST_NULL;
		MPI_Request_free(pre);
		break;
	}
	MPI_Get_count(&s, MPI_BYTE, &cnt);
	ok &= cnt == len && s.MPI_SOURCE == from && s.MPI_TAG == tag;
	for (i = 0; i < len && ok; i++)
		ok &= rbuf[i] == pat(i, len, m);
	ok &= len + 100 <= 0 || rbuf[len] == 0xee;
	return ok;
}

/* one message from `from` to `to` (may be the same rank) */
static int one(int m, int r, int len, int from, int to)
{
	MPI_Request pre = MPI_REQUEST_NULL;
	int i, ok = 1, tag = 1000 + m * 10 + r, go = 0, self = from == to;

	if (rank == to) {
		memset(rbuf, 0xee, (size_t)len + 200);
		if (early(m, r) || self) {
			if (r == R_RECV_INIT) {
				MPI_Recv_init(rbuf, len + 100, MPI_BYTE, from, tag, MPI_COMM_WORLD,
					      &pre);
				MPI_Start(&pre);
			} else {
				MPI_Irecv(rbuf, len + 100, MPI_BYTE, from, tag, MPI_COMM_WORLD, &pre);
			}
			if (!self)
				MPI_Send(&go, 0, MPI_INT, from, 1, MPI_COMM_WORLD);
		}
	}
	if (rank == from) {
		for (i = 0; i < len; i++)
			sbuf[i] = pat(i, len, m);
		if (early(m, r) && !self)
			MPI_Recv(&go, 0, MPI_INT, to, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		do_send(m, len, to, tag);
	}
	if (rank == to) {
		if (pre != MPI_REQUEST_NULL && r != R_RECV_INIT)
			r = R_IRECV_EARLY;
		ok = do_recv(r, m, len, from, tag, &pre);
	}
	return ok;
}

static const int wsizes[] = { 0, 1, 8, 17, 32, 33, 65, 160, 4097, 16384, 16385, 40000, 31, 4096 };
#define NW ((int)(sizeof(wsizes) / sizeof(wsizes[0])))
#define WIN 200

static int fill(unsigned char *b, int len, int seq)
{
	int i;

	for (i = 0; i < len; i++)
		b[i] = (unsigned char)(seq * 31 + i);
	return len;
}

static int check(const unsigned char *b, int len, int seq)
{
	int i;

	for (i = 0; i < len; i++)
		if (b[i] != (unsigned char)(seq * 31 + i))
			return 0;
	return 1;
}

/* the windows of 200 sends (see the top of the file) */
static void windows(void)
{
	int ok = 1, p, i, n = WIN;
	unsigned char **sb, **rb;
	MPI_Request *rq;
	MPI_Status *st;

	sb = malloc(sizeof(*sb) * (size_t)n * size);
	rb = malloc(sizeof(*rb) * (size_t)n * size);
	rq = malloc(sizeof(*rq) * (size_t)n * size * 2);
	st = malloc(sizeof(*st) * (size_t)n * size * 2);
	/* 1: a window of n Isends (sizes cycling, modes mixed) to every rank including self,
	 * before any receive; then receives in order with a specific source, same tag */
	for (p = 0; p < size; p++)
		for (i = 0; i < n; i++) {
			int len = wsizes[i % NW], k = p * n + i;

			sb[k] = malloc((size_t)len + 1);
			rb[k] = malloc((size_t)len + 1);
			fill(sb[k], len, i + rank);
			if (i % 5 == 3)
				MPI_Issend(sb[k], len, MPI_BYTE, p, 5, MPI_COMM_WORLD, &rq[k]);
			else
				MPI_Isend(sb[k], len, MPI_BYTE, p, 5, MPI_COMM_WORLD, &rq[k]);
		}
	for (p = 0; p < size; p++)
		for (i = 0; i < n; i++) {
			int len = wsizes[i % NW], k = size * n + p * n + i;

			MPI_Irecv(rb[p * n + i], len + 1, MPI_BYTE, p, 5, MPI_COMM_WORLD, &rq[k]);
		}
	MPI_Waitall(2 * size * n, rq, st);
	for (p = 0; p < size; p++)
		for (i = 0; i < n; i++) {
			int len = wsizes[i % NW], c, k = size * n + p * n + i;

			MPI_Get_count(&st[k], MPI_BYTE, &c);
			ok &= c == len && st[k].MPI_SOURCE == p && st[k].MPI_TAG == 5 &&
			      check(rb[p * n + i], len, i + p);
		}
	report_ok("window of 200 to every rank, specific source", ok);
	/* 2: the same, received with ANY_SOURCE and ANY_TAG, one at a time with Recv:
	 * per source the sequence must be in order */
	ok = 1;
	for (p = 0; p < size; p++)
		for (i = 0; i < n; i++) {
			int len = wsizes[i % NW], k = p * n + i;

			fill(sb[k], len, i + rank);
			MPI_Isend(sb[k], len, MPI_BYTE, p, i % 3, MPI_COMM_WORLD, &rq[k]);
		}
	{
		int *next = calloc((size_t)size, sizeof(int));
		unsigned char *big = malloc(40001);

		for (i = 0; i < size * n; i++) {
			MPI_Status s;
			int c, q;

			MPI_Recv(big, 40001, MPI_BYTE, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &s);
			MPI_Get_count(&s, MPI_BYTE, &c);
			q = s.MPI_SOURCE;
			ok &= q >= 0 && q < size && next[q] < n && c == wsizes[next[q] % NW] &&
			      s.MPI_TAG == next[q] % 3 && check(big, c, next[q] + q);
			if (q >= 0 && q < size)
				next[q]++;
		}
		free(next);
		free(big);
	}
	MPI_Waitall(size * n, rq, MPI_STATUSES_IGNORE);
	report_ok("any source, any tag: in order per source", ok);
	/* 3: across tags: tag (i % 2) alternating; receiver takes all of tag 1 first, then tag 0
	 * (each must still be in its own order) */
	ok = 1;
	for (p = 0; p < size; p++)
		for (i = 0; i < n; i++) {
			int len = wsizes[(i * 3) % NW], k = p * n + i;

			sb[k] = realloc(sb[k], (size_t)len + 1);
			rb[k] = realloc(rb[k], (size_t)len + 1);
			fill(sb[k], len, i * 7 + rank);
			MPI_Isend(sb[k], len, MPI_BYTE, p, 100 + i % 2, MPI_COMM_WORLD, &rq[k]);
		}
	for (p = 0; p < size; p++) {
		int t;

		for (t = 1; t >= 0; t--)
			for (i = t; i < n; i += 2) {
				MPI_Status s;
				int len = wsizes[(i * 3) % NW], c;

				MPI_Recv(rb[p * n + i], len + 1, MPI_BYTE, p, 100 + t, MPI_COMM_WORLD, &s);
				MPI_Get_count(&s, MPI_BYTE, &c);
				ok &= c == len && check(rb[p * n + i], len, i * 7 + p);
			}
	}
	MPI_Waitall(size * n, rq, MPI_STATUSES_IGNORE);
	report_ok("tag 1 before tag 0: in order per tag", ok);
	/* 4: blocking sends to self larger than the ring, posted receives first */
	ok = 1;
	for (i = 0; i < n; i++) {
		sb[i] = realloc(sb[i], (size_t)wsizes[i % NW] + 1);
		rb[i] = realloc(rb[i], (size_t)wsizes[i % NW] + 1);
	}
	for (i = 0; i < n; i++) {
		int len = wsizes[i % NW];

		MPI_Irecv(rb[i], len + 1, MPI_BYTE, rank, 9, MPI_COMM_WORLD, &rq[i]);
	}
	for (i = 0; i < n; i++) {
		int len = wsizes[i % NW];

		fill(sb[i], len, i);
		if (i % 4 == 1)
			MPI_Ssend(sb[i], len, MPI_BYTE, rank, 9, MPI_COMM_WORLD);
		else if (i % 4 == 2)
			MPI_Rsend(sb[i], len, MPI_BYTE, rank, 9, MPI_COMM_WORLD);
		else
			MPI_Send(sb[i], len, MPI_BYTE, rank, 9, MPI_COMM_WORLD);
	}
	MPI_Waitall(n, rq, st);
	for (i = 0; i < n; i++)
		ok &= check(rb[i], wsizes[i % NW], i);
	report_ok("blocking sends to self, receives posted", ok);
	/* 5: 100 small blocking sends to self before any receive (eager: Open MPI buffers them) */
	ok = 1;
	for (i = 0; i < 100; i++) {
		int v = i * 3;

		MPI_Send(&v, 1, MPI_INT, rank, 11, MPI_COMM_WORLD);
	}
	for (i = 0; i < 100; i++) {
		int v = -1;

		MPI_Recv(&v, 1, MPI_INT, rank, 11, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		ok &= v == i * 3;
	}
	report_ok("100 sends to self before the receives", ok);
	/* 6: 100 small blocking sends to the right before receiving from the left */
	ok = 1;
	for (i = 0; i < 100; i++) {
		sb[i] = realloc(sb[i], 200);
		rb[i] = realloc(rb[i], 200);
	}
	{
		int right = (rank + 1) % size, left = (rank + size - 1) % size;

		for (i = 0; i < 100; i++) {
			int v = i * 5 + rank, len = wsizes[i % 10] > 200 ? 160 : wsizes[i % 10];

			fill(sb[i], len, i + rank);
			if (i % 2)
				MPI_Send(sb[i], len, MPI_BYTE, right, 12, MPI_COMM_WORLD);
			else
				MPI_Send(&v, 1, MPI_INT, right, 12, MPI_COMM_WORLD);
		}
		for (i = 0; i < 100; i++) {
			int v = -1, len = wsizes[i % 10] > 200 ? 160 : wsizes[i % 10];

			if (i % 2) {
				MPI_Recv(rb[i], len, MPI_BYTE, left, 12, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				ok &= check(rb[i], len, i + left);
			} else {
				MPI_Recv(&v, 1, MPI_INT, left, 12, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				ok &= v == i * 5 + left;
			}
		}
	}
	report_ok("100 short sends around the ring before the receives", ok);
}


int main(int argc, char **argv)
{
	int m, r, k, d, bsize = (1 << 22) + 4096, failed[NM][NR], *all;
	void *bb;

	conf_init(&argc, &argv);
	sbuf = malloc((1 << 20) + 256);
	rbuf = malloc((1 << 20) + 256);
	bb = malloc((size_t)bsize);
	MPI_Buffer_attach(bb, bsize);
	for (m = 0; m < NM; m++)
		for (r = 0; r < NR; r++) {
			failed[m][r] = 0;
			for (k = 0; k < NS; k++) {
				int ok = 1, peer = rank ^ 1;

				/* 1 MiB: against a posted and a probed receive only; the probes
				 * against the standard, synchronous, buffered and non-blocking
				 * sends (the receive side sees no other difference) */
				if ((sizes[k] > 65536 && r != R_IRECV_EARLY && r != R_PROBE) ||
				    (probes(r) && m != M_SEND && m != M_SSEND && m != M_BSEND &&
				     m != M_ISEND))
					continue;
				if (peer >= size) {
					/* self: only the receive posted first fits a blocking send */
					if (r == R_IRECV_EARLY || r == R_RECV_INIT ||
					    m >= M_ISEND)
						ok = one(m, r, sizes[k], rank, rank);
				} else {
					for (d = 0; d < 2; d++) {
						int from = (rank & ~1) + d, to = (rank & ~1) + 1 - d;

						ok &= one(m, r, sizes[k], from, to);
					}
				}
				if (!ok)
					failed[m][r] |= 1 << k;
			}
		}
	all = malloc(sizeof(failed) * size);
	MPI_Gather(failed, NM * NR, MPI_INT, all, NM * NR, MPI_INT, 0, MPI_COMM_WORLD);
	if (rank == 0) {
		int any = 0, q;

		for (q = 0; q < size; q++)
			for (m = 0; m < NM; m++)
				for (r = 0; r < NR; r++)
					if (all[q * NM * NR + m * NR + r]) {
						any = 1;
						printf("rank %d %s -> %s: failed sizes", q, mname[m],
						       rname[r]);
						for (k = 0; k < NS; k++)
							if (all[q * NM * NR + m * NR + r] & (1 << k))
								printf(" %d", sizes[k]);
						printf("\n");
					}
		printf("sizes x modes x receives: %s\n", any ? "FAILED" : "ok");
	}
	MPI_Buffer_detach(&bb, &bsize);
	/* no message of the windows may meet a receive of any source above */
	MPI_Barrier(MPI_COMM_WORLD);
	windows();
	conf_done();
	return 0;
}
