/* SPDX-License-Identifier: MIT */
/*
 * p2p_semantics: the rules of point-to-point that fast paths can break. Truncation (the
 * error of a blocking receive and the channel intact after it, MPI_ERR_IN_STATUS and each
 * status's MPI_ERROR in Waitall, Wait, Test, Waitany, Waitsome); Get_count and Get_elements
 * of derived types on partial receives; MPI_Cancel of posted receives and of a send; tests on
 * MPI_REQUEST_NULL and inactive persistent requests (MPI-3.1 3.7.3, 3.7.5); MPI_PROC_NULL in
 * every mode; receives a fast path must not take out of order (a posted any-source receive,
 * a message already unexpected or matched by a probe, a short send behind a long buffered,
 * synchronous or persistent one, a receive behind a rendezvous in progress); types whose
 * data starts off the buffer (lb, struct and hindexed displacement, resized with a gap);
 * zero-length messages from NULL; Request_free of active requests; the same tags on world,
 * dups and an intercommunicator; Sendrecv(_replace) at every boundary size, with self too.
 */
#include "conf.h"

static const int tsizes[] = { 1, 8, 16, 17, 32, 33, 64, 65, 160, 4096, 4097, 16384, 16385, 100000 };
#define NTS ((int)(sizeof(tsizes) / sizeof(tsizes[0])))

static int empty(const MPI_Status *s)
{
	int c = -1;

	MPI_Get_count(s, MPI_INT, &c);
	return s->MPI_SOURCE == MPI_ANY_SOURCE && s->MPI_TAG == MPI_ANY_TAG && c == 0;
}

static void truncation(void)
{
	int peer, k, i, ok, flag, idx, cnt, out[8];
	char *sb = malloc(200000), *rb = malloc(200000);
	MPI_Status s, ss[4];
	MPI_Request r[4];

	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	peer = (rank ^ 1) < size ? rank ^ 1 : rank;
	/* truncation: blocking receive, every size, then the channel still carries a message
	 * (eager sizes of Open MPI only: from 4 KB on, Open MPI 4.1.4 returns MPI_SUCCESS and
	 * writes past the buffer) */
	ok = 1;
	for (k = 0; k < NTS && tsizes[k] < 4096; k++) {
		int n = tsizes[k], rc, v = 0;
		MPI_Request q, q2;

		memset(sb, k, (size_t)n);
		memset(rb, 0x55, (size_t)n);
		MPI_Isend(sb, n, MPI_BYTE, peer, 1, MPI_COMM_WORLD, &q);
		v = k * 11;
		MPI_Isend(&v, 1, MPI_INT, peer, 2, MPI_COMM_WORLD, &q2);
		rc = MPI_Recv(rb, n - 1, MPI_BYTE, peer, 1, MPI_COMM_WORLD, &s);
		ok &= strcmp(errname(rc), "MPI_ERR_TRUNCATE") == 0;
		ok &= s.MPI_SOURCE == peer && s.MPI_TAG == 1;
		ok &= rb[n - 1] == 0x55;	/* nothing past the buffer */
		v = -1;
		rc = MPI_Recv(&v, 1, MPI_INT, peer, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		ok &= rc == MPI_SUCCESS && v == k * 11;
		rc = MPI_Wait(&q, MPI_STATUS_IGNORE);
		ok &= rc == MPI_SUCCESS;
		MPI_Wait(&q2, MPI_STATUS_IGNORE);
	}
	report_ok("truncated Recv, every size, channel intact", ok);
	/* truncation in Waitall: statuses, MPI_ERR_IN_STATUS (between pairs, as below) */
	ok = 1;
	for (k = 0; k < NTS && peer != rank; k++) {
		int n = tsizes[k], rc, a = 1, b = 2, ra = 0, rb2 = 0;

		MPI_Irecv(&ra, 1, MPI_INT, peer, 3, MPI_COMM_WORLD, &r[0]);
		MPI_Irecv(rb, n - 1, MPI_BYTE, peer, 4, MPI_COMM_WORLD, &r[1]);
		MPI_Irecv(&rb2, 1, MPI_INT, peer, 5, MPI_COMM_WORLD, &r[2]);
		MPI_Send(&a, 1, MPI_INT, peer, 3, MPI_COMM_WORLD);
		MPI_Send(sb, n, MPI_BYTE, peer, 4, MPI_COMM_WORLD);
		MPI_Send(&b, 1, MPI_INT, peer, 5, MPI_COMM_WORLD);
		for (i = 0; i < 3; i++)
			ss[i].MPI_ERROR = -12345;
		rc = MPI_Waitall(3, r, ss);
		ok &= strcmp(errname(rc), "MPI_ERR_IN_STATUS") == 0;
		/* the third may be left pending (MPI-3.1 3.7.5: Open MPI stops at the error) */
		if (strcmp(errname(ss[2].MPI_ERROR), "MPI_ERR_PENDING") == 0)
			ss[2].MPI_ERROR = MPI_Wait(&r[2], MPI_STATUS_IGNORE);
		ok &= ss[0].MPI_ERROR == MPI_SUCCESS && ss[2].MPI_ERROR == MPI_SUCCESS;
		ok &= strcmp(errname(ss[1].MPI_ERROR), "MPI_ERR_TRUNCATE") == 0;
		ok &= ra == 1 && rb2 == 2;
		ok &= r[0] == MPI_REQUEST_NULL && r[1] == MPI_REQUEST_NULL && r[2] == MPI_REQUEST_NULL;
	}
	report_ok("truncation in Waitall", ok);
	/* Wait, Test, Waitany and Waitsome on a truncated receive return the error (between
	 * pairs: Open MPI reports no truncation of a message to self through them) */
	if (peer != rank) {
		int n = 5000, rc1, rc2;

		MPI_Irecv(rb, 10, MPI_BYTE, peer, 6, MPI_COMM_WORLD, &r[0]);
		MPI_Send(sb, n, MPI_BYTE, peer, 6, MPI_COMM_WORLD);
		rc1 = MPI_Wait(&r[0], &s);
		MPI_Irecv(rb, 10, MPI_BYTE, peer, 7, MPI_COMM_WORLD, &r[0]);
		MPI_Send(sb, 20, MPI_BYTE, peer, 7, MPI_COMM_WORLD);
		do
			rc2 = MPI_Test(&r[0], &flag, &s);
		while (!flag && rc2 == MPI_SUCCESS);
		out[0] = strcmp(errname(rc1), "MPI_ERR_TRUNCATE") == 0;
		out[1] = strcmp(errname(rc2), "MPI_ERR_TRUNCATE") == 0;
	} else {
		out[0] = out[1] = 1;
	}
	if (peer != rank) {
		int rc, a = 7, ra = 0, outc, ind[4];

		MPI_Irecv(rb, 3, MPI_BYTE, peer, 8, MPI_COMM_WORLD, &r[0]);
		r[1] = MPI_REQUEST_NULL;
		MPI_Send(sb, 40, MPI_BYTE, peer, 8, MPI_COMM_WORLD);
		rc = MPI_Waitany(2, r, &idx, &s);
		out[2] = strcmp(errname(rc), "MPI_ERR_TRUNCATE") == 0 && idx == 0;
		MPI_Irecv(rb, 3, MPI_BYTE, peer, 9, MPI_COMM_WORLD, &r[0]);
		MPI_Irecv(&ra, 1, MPI_INT, peer, 10, MPI_COMM_WORLD, &r[1]);
		MPI_Send(sb, 40, MPI_BYTE, peer, 9, MPI_COMM_WORLD);
		MPI_Send(&a, 1, MPI_INT, peer, 10, MPI_COMM_WORLD);
		MPI_Barrier(MPI_COMM_WORLD);
		outc = 0;
		{
			int got = 0, errs = 0, e0 = 0;

			while (got < 2) {
				ss[0].MPI_ERROR = ss[1].MPI_ERROR = -1;
				rc = MPI_Waitsome(2, r, &outc, ind, ss);
				if (rc != MPI_SUCCESS) {
					errs++;
					for (i = 0; i < outc; i++)
						if (ind[i] == 0)
							e0 = strcmp(errname(ss[i].MPI_ERROR), "MPI_ERR_TRUNCATE") == 0;
				}
				got += outc;
			}
			out[3] = errs == 1 && e0 == 1 && ra == 7;
		}
	} else {
		out[2] = out[3] = 1;
		MPI_Barrier(MPI_COMM_WORLD);
	}
	report_ints("truncated Wait, Test, Waitany, Waitsome", out, 4);
	/* Get_count / Get_elements with a vector type and a partial receive */
	{
		MPI_Datatype vec, cont;
		int v[60], w[60], e, c;

		MPI_Type_vector(3, 2, 4, MPI_INT, &vec);	/* 6 ints of 10 span */
		MPI_Type_commit(&vec);
		MPI_Type_contiguous(5, MPI_INT, &cont);
		MPI_Type_commit(&cont);
		for (i = 0; i < 60; i++)
			v[i] = i;
		for (i = 0; i < 60; i++)
			w[i] = -1;
		/* 16 ints into 3 vectors: 2 whole + 4 ints */
		MPI_Sendrecv(v, 16, MPI_INT, peer, 11, w, 3, vec, peer, 11, MPI_COMM_WORLD, &s);
		MPI_Get_count(&s, vec, &c);
		MPI_Get_elements(&s, vec, &e);
		MPI_Get_count(&s, MPI_INT, &cnt);
		out[0] = c == MPI_UNDEFINED;
		out[1] = e;
		out[2] = cnt;
		out[3] = w[0] + w[1] * 10 + w[4] * 100;
		out[4] = w[20] * 1000 + w[21] + w[24] * 7 + w[25] * 11 + w[2];
		/* 15 ints into contiguous(5) = 3 whole */
		MPI_Sendrecv(v, 15, MPI_INT, peer, 12, w, 4, cont, peer, 12, MPI_COMM_WORLD, &s);
		MPI_Get_count(&s, cont, &c);
		MPI_Get_elements(&s, cont, &e);
		out[5] = c;
		out[6] = e;
		/* 0 ints */
		MPI_Sendrecv(v, 0, MPI_INT, peer, 13, w, 4, vec, peer, 13, MPI_COMM_WORLD, &s);
		MPI_Get_count(&s, vec, &c);
		MPI_Get_elements(&s, vec, &e);
		out[7] = c * 10 + e;
		report_ints("get_count/get_elements", out, 8);
		/* a vector sent, ints received, at the ring's boundaries */
		ok = 1;
		for (k = 0; k < NTS && tsizes[k] <= 16385; k++) {
			MPI_Datatype big;
			int n = tsizes[k], *src = malloc((size_t)n * 8 + 8), *dst = malloc((size_t)n * 4 + 4);

			MPI_Type_vector(n, 1, 2, MPI_INT, &big);
			MPI_Type_commit(&big);
			for (i = 0; i < 2 * n; i++)
				src[i] = i;
			MPI_Sendrecv(src, 1, big, peer, 14, dst, n + 1, MPI_INT, peer, 14, MPI_COMM_WORLD, &s);
			MPI_Get_count(&s, MPI_INT, &c);
			ok &= c == n;
			for (i = 0; i < n; i++)
				ok &= dst[i] == 2 * i;
			/* and back into the vector from contiguous ints */
			for (i = 0; i < 2 * n; i++)
				src[i] = -1;
			MPI_Sendrecv(dst, n, MPI_INT, peer, 15, src, 1, big, peer, 15, MPI_COMM_WORLD, &s);
			MPI_Get_elements(&s, big, &e);
			ok &= e == n;
			for (i = 0; i < 2 * n; i++)
				ok &= src[i] == (i % 2 ? -1 : i);
			MPI_Type_free(&big);
			free(src);
			free(dst);
		}
		report_ok("vector <-> contiguous at every size", ok);
		MPI_Type_free(&vec);
		MPI_Type_free(&cont);
	}
	/* cancel of a posted receive (several, with other receives around) */
	{
		int a = 5, ra = 0, rb3 = 0, c1, c2;

		MPI_Irecv(&ra, 1, MPI_INT, peer, 20, MPI_COMM_WORLD, &r[0]);
		MPI_Irecv(&rb3, 1, MPI_INT, peer, 20, MPI_COMM_WORLD, &r[1]);
		MPI_Cancel(&r[0]);
		MPI_Wait(&r[0], &s);
		MPI_Test_cancelled(&s, &c1);
		MPI_Barrier(MPI_COMM_WORLD);
		MPI_Send(&a, 1, MPI_INT, peer, 20, MPI_COMM_WORLD);
		MPI_Wait(&r[1], &s);
		MPI_Test_cancelled(&s, &c2);
		report_same("cancel posted recv", c1 * 100 + c2 * 10 + (rb3 == 5) + (ra == 0) * 2);
		/* cancel of a big receive posted: then the message goes to the next */
		MPI_Irecv(rb, 100000, MPI_BYTE, peer, 21, MPI_COMM_WORLD, &r[0]);
		MPI_Cancel(&r[0]);
		MPI_Wait(&r[0], &s);
		MPI_Test_cancelled(&s, &c1);
		MPI_Barrier(MPI_COMM_WORLD);
		MPI_Irecv(rb, 100000, MPI_BYTE, peer, 21, MPI_COMM_WORLD, &r[0]);
		MPI_Send(sb, 100000, MPI_BYTE, peer, 21, MPI_COMM_WORLD);
		MPI_Wait(&r[0], &s);
		MPI_Get_count(&s, MPI_BYTE, &cnt);
		report_same("cancel big recv then recv", c1 * 1000000 + cnt);
		/* cancel of a send: completes; cancelled xor received */
		{
			MPI_Request q;
			int got = 0, rc;

			MPI_Isend(sb, 64, MPI_BYTE, peer, 22, MPI_COMM_WORLD, &q);
			MPI_Cancel(&q);
			MPI_Wait(&q, &s);
			MPI_Test_cancelled(&s, &c1);
			MPI_Barrier(MPI_COMM_WORLD);
			rc = MPI_Iprobe(peer, 22, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
			if (flag) {
				MPI_Recv(rb, 64, MPI_BYTE, peer, 22, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				got = 1;
			}
			(void)rc;
			/* a cancelled send must not arrive; a not cancelled one must (it may arrive late) */
			if (!c1 && !got) {
				MPI_Recv(rb, 64, MPI_BYTE, peer, 22, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				got = 1;
			}
			report_ok("cancel send: cancelled xor received", c1 != got);
		}
	}
	/* tests on null and inactive persistent requests (MPI-3.1 3.7.3, 3.7.5) */
	{
		MPI_Request p[3];
		int o[10], outc, ind[3], fl;

		MPI_Recv_init(&i, 1, MPI_INT, peer, 30, MPI_COMM_WORLD, &p[0]);
		MPI_Send_init(&i, 1, MPI_INT, peer, 30, MPI_COMM_WORLD, &p[1]);
		p[2] = MPI_REQUEST_NULL;
		fl = 0;
		memset(&s, 0x7f, sizeof(s));
		MPI_Test(&p[0], &fl, &s);
		o[0] = fl && empty(&s) && p[0] != MPI_REQUEST_NULL;
		memset(&s, 0x7f, sizeof(s));
		MPI_Wait(&p[1], &s);
		o[1] = empty(&s) && p[1] != MPI_REQUEST_NULL;
		idx = 5;
		fl = 0;
		MPI_Testany(3, p, &idx, &fl, &s);
		o[2] = fl && idx == MPI_UNDEFINED && empty(&s);
		idx = 5;
		MPI_Waitany(3, p, &idx, &s);
		o[3] = idx == MPI_UNDEFINED && empty(&s);
		outc = 5;
		MPI_Testsome(3, p, &outc, ind, ss);
		o[4] = outc == MPI_UNDEFINED;
		outc = 5;
		MPI_Waitsome(3, p, &outc, ind, ss);
		o[5] = outc == MPI_UNDEFINED;
		fl = 0;
		memset(ss, 0x7f, sizeof(ss));
		MPI_Testall(3, p, &fl, ss);
		o[6] = fl && empty(&ss[0]) && empty(&ss[1]) && empty(&ss[2]);
		memset(ss, 0x7f, sizeof(ss));
		MPI_Waitall(3, p, ss);
		o[7] = empty(&ss[0]) && empty(&ss[1]) && empty(&ss[2]) && p[0] != MPI_REQUEST_NULL;
		/* Request_get_status on inactive */
		fl = 0;
		MPI_Request_get_status(p[0], &fl, &s);
		o[8] = fl && empty(&s);
		/* Startall then Waitall with a null in the middle; then all inactive again */
		{
			int x = rank + 40, y = -1;
			MPI_Request q[3];

			MPI_Recv_init(&y, 1, MPI_INT, peer, 31, MPI_COMM_WORLD, &q[0]);
			q[1] = MPI_REQUEST_NULL;
			MPI_Send_init(&x, 1, MPI_INT, peer, 31, MPI_COMM_WORLD, &q[2]);
			MPI_Startall(1, &q[0]);
			MPI_Start(&q[2]);
			MPI_Waitall(3, q, ss);
			o[9] = y == peer + 40 && ss[0].MPI_SOURCE == peer && empty(&ss[1]);
			y = -1;
			MPI_Start(&q[0]);
			MPI_Start(&q[2]);
			idx = -1;
			while (1) {
				MPI_Waitany(3, q, &idx, &s);
				if (idx == MPI_UNDEFINED)
					break;
			}
			o[9] = o[9] * 2 + (y == peer + 40);
			MPI_Request_free(&q[0]);
			MPI_Request_free(&q[2]);
		}
		MPI_Request_free(&p[0]);
		MPI_Request_free(&p[1]);
		report_ints("null and inactive requests", o, 10);
	}
	/* Testsome/Waitsome on arrays of nulls only; Testall on empty array */
	{
		MPI_Request nr[2] = { MPI_REQUEST_NULL, MPI_REQUEST_NULL };
		int oc = 5, fl = 0, in2[2];

		MPI_Testsome(2, nr, &oc, in2, MPI_STATUSES_IGNORE);
		MPI_Testall(0, nr, &fl, MPI_STATUSES_IGNORE);
		report_same("nulls", (oc == MPI_UNDEFINED) * 10 + fl);
	}
	/* PROC_NULL in every send mode and receive */
	{
		MPI_Request q[6];
		int fl;

		MPI_Isend(sb, 10, MPI_BYTE, MPI_PROC_NULL, 1, MPI_COMM_WORLD, &q[0]);
		MPI_Issend(sb, 10, MPI_BYTE, MPI_PROC_NULL, 1, MPI_COMM_WORLD, &q[1]);
		MPI_Irsend(sb, 10, MPI_BYTE, MPI_PROC_NULL, 1, MPI_COMM_WORLD, &q[2]);
		MPI_Irecv(rb, 10, MPI_BYTE, MPI_PROC_NULL, 1, MPI_COMM_WORLD, &q[3]);
		MPI_Recv_init(rb, 10, MPI_BYTE, MPI_PROC_NULL, 1, MPI_COMM_WORLD, &q[4]);
		MPI_Start(&q[4]);
		MPI_Ssend_init(sb, 10, MPI_BYTE, MPI_PROC_NULL, 1, MPI_COMM_WORLD, &q[5]);
		MPI_Start(&q[5]);
		MPI_Testall(6, q, &fl, ss);
		MPI_Get_count(&ss[3], MPI_BYTE, &cnt);
		MPI_Send(sb, 10, MPI_BYTE, MPI_PROC_NULL, 1, MPI_COMM_WORLD);
		MPI_Ssend(sb, 10, MPI_BYTE, MPI_PROC_NULL, 1, MPI_COMM_WORLD);
		MPI_Rsend(sb, 10, MPI_BYTE, MPI_PROC_NULL, 1, MPI_COMM_WORLD);
		MPI_Sendrecv(sb, 10, MPI_BYTE, MPI_PROC_NULL, 1, rb, 10, MPI_BYTE, MPI_PROC_NULL, 1, MPI_COMM_WORLD, &s);
		report_same("proc null everywhere", fl * 1000 + (ss[3].MPI_SOURCE == MPI_PROC_NULL) * 100 +
			    (ss[3].MPI_TAG == MPI_ANY_TAG) * 10 + cnt + (s.MPI_SOURCE == MPI_PROC_NULL) * 10000 + (q[4] != MPI_REQUEST_NULL) * 100000);
		MPI_Request_free(&q[4]);
		MPI_Request_free(&q[5]);
	}
}

static int fp_ok(const unsigned char *b, int n, int seed)
{
	int i;

	for (i = 0; i < n; i++)
		if (b[i] != (unsigned char)(i + seed))
			return 0;
	return 1;
}

static void fp_fill(unsigned char *b, int n, int seed)
{
	int i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(i + seed);
}

static void fast_path(void)
{
	int peer, i, a, b, c, o[16], flag, bs;
	MPI_Request r[4];
	MPI_Status s, st[4];
	MPI_Message m;
	unsigned char *big = malloc(100001), *big2 = malloc(100001);
	void *bbuf;

	peer = (rank ^ 1) < size ? rank ^ 1 : rank;
	memset(o, 0, sizeof(o));
	bs = 300000;
	bbuf = malloc((size_t)bs);
	MPI_Buffer_attach(bbuf, bs);
	/* 1: a posted any-source any-tag Irecv comes before a later blocking Recv */
	a = b = -1;
	MPI_Irecv(&a, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &r[0]);
	i = rank + 100;
	MPI_Send(&i, 1, MPI_INT, peer, 5, MPI_COMM_WORLD);
	i = rank + 200;
	MPI_Send(&i, 1, MPI_INT, peer, 5, MPI_COMM_WORLD);
	MPI_Recv(&b, 1, MPI_INT, peer, 5, MPI_COMM_WORLD, &s);
	MPI_Wait(&r[0], MPI_STATUS_IGNORE);
	o[0] = a == peer + 100 && b == peer + 200;
	/* 2: a message in the unexpected queue comes before the ring's next one */
	MPI_Barrier(MPI_COMM_WORLD);
	i = rank + 300;
	MPI_Send(&i, 1, MPI_INT, peer, 1, MPI_COMM_WORLD);
	MPI_Send(&i, 1, MPI_INT, peer, 2, MPI_COMM_WORLD);
	i = rank + 400;
	MPI_Send(&i, 1, MPI_INT, peer, 1, MPI_COMM_WORLD);
	MPI_Probe(peer, 2, MPI_COMM_WORLD, &s);	/* pulls the first into the unexpected queue */
	MPI_Recv(&a, 1, MPI_INT, peer, MPI_ANY_TAG, MPI_COMM_WORLD, &s);
	o[1] = a == peer + 300 && s.MPI_TAG == 1;
	MPI_Recv(&a, 1, MPI_INT, peer, 1, MPI_COMM_WORLD, &s);
	o[1] += 2 * (a == peer + 400);
	MPI_Recv(&a, 1, MPI_INT, peer, 2, MPI_COMM_WORLD, &s);
	o[1] += 4 * (a == peer + 300);
	/* 3: a matched probe takes a message out; Recv gets the next one */
	MPI_Barrier(MPI_COMM_WORLD);
	i = rank + 500;
	MPI_Send(&i, 1, MPI_INT, peer, 3, MPI_COMM_WORLD);
	i = rank + 600;
	MPI_Send(&i, 1, MPI_INT, peer, 3, MPI_COMM_WORLD);
	MPI_Mprobe(peer, 3, MPI_COMM_WORLD, &m, &s);
	MPI_Recv(&a, 1, MPI_INT, peer, 3, MPI_COMM_WORLD, &s);
	MPI_Mrecv(&b, 1, MPI_INT, &m, &s);
	o[2] = a == peer + 600 && b == peer + 500;
	/* 4: a big Bsend, Issend, persistent send, then a blocking short Send, one tag: the
	 * short one must not overtake */
	for (c = 0; c < 4; c++) {
		MPI_Request q = MPI_REQUEST_NULL;
		int n = c == 3 ? 40 : 100000;

		MPI_Barrier(MPI_COMM_WORLD);
		fp_fill(big, n, c + rank);
		if (c == 0)
			MPI_Bsend(big, n, MPI_BYTE, peer, 4, MPI_COMM_WORLD);
		else if (c == 1)
			MPI_Issend(big, n, MPI_BYTE, peer, 4, MPI_COMM_WORLD, &q);
		else if (c == 2) {
			MPI_Send_init(big, n, MPI_BYTE, peer, 4, MPI_COMM_WORLD, &q);
			MPI_Start(&q);
		} else
			MPI_Ibsend(big, n, MPI_BYTE, peer, 4, MPI_COMM_WORLD, &q);
		i = rank + 700 + c;
		MPI_Send(&i, 1, MPI_INT, peer, 4, MPI_COMM_WORLD);
		MPI_Recv(big2, n, MPI_BYTE, peer, MPI_ANY_TAG, MPI_COMM_WORLD, &s);
		MPI_Get_count(&s, MPI_BYTE, &a);
		o[3] |= (a == n && fp_ok(big2, n, c + peer)) << c;
		MPI_Recv(&b, 1, MPI_INT, MPI_ANY_SOURCE, 4, MPI_COMM_WORLD, &s);
		o[3] |= (b == peer + 700 + c) << (c + 4);
		if (q != MPI_REQUEST_NULL) {
			MPI_Wait(&q, MPI_STATUS_IGNORE);
			if (c == 2)
				MPI_Request_free(&q);
		}
	}
	/* 5: a blocking Recv with a vector type and one with a too-short buffer while short
	 * messages wait in the ring */
	{
		MPI_Datatype vt;
		int v[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, w[8], rc;

		MPI_Type_vector(2, 1, 3, MPI_INT, &vt);
		MPI_Type_commit(&vt);
		MPI_Barrier(MPI_COMM_WORLD);
		MPI_Send(v, 2, MPI_INT, peer, 6, MPI_COMM_WORLD);
		MPI_Send(v, 4, MPI_INT, peer, 6, MPI_COMM_WORLD);
		MPI_Send(v + 4, 2, MPI_INT, peer, 6, MPI_COMM_WORLD);
		for (i = 0; i < 8; i++)
			w[i] = 0;
		MPI_Recv(w, 1, vt, peer, 6, MPI_COMM_WORLD, &s);
		o[4] = w[0] == 1 && w[3] == 2 && w[1] == 0;
		MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
		rc = MPI_Recv(w, 3, MPI_INT, peer, 6, MPI_COMM_WORLD, &s);
		o[4] += 2 * (strcmp(errname(rc), "MPI_ERR_TRUNCATE") == 0);
		MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
		MPI_Recv(w, 2, MPI_INT, peer, 6, MPI_COMM_WORLD, &s);
		o[4] += 4 * (w[0] == 5 && w[1] == 6);
		MPI_Type_free(&vt);
	}
	/* 6: a rendezvous from the peer is in progress (posted Irecv) while a blocking Recv
	 * asks for a later short message from the same peer */
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_Irecv(big2, 100000, MPI_BYTE, peer, 7, MPI_COMM_WORLD, &r[0]);
	fp_fill(big, 100000, rank + 9);
	MPI_Isend(big, 100000, MPI_BYTE, peer, 7, MPI_COMM_WORLD, &r[1]);
	i = rank + 800;
	MPI_Send(&i, 1, MPI_INT, peer, 8, MPI_COMM_WORLD);
	MPI_Recv(&a, 1, MPI_INT, peer, 8, MPI_COMM_WORLD, &s);
	MPI_Waitall(2, r, st);
	o[5] = a == peer + 800 && fp_ok(big2, 100000, peer + 9) && st[0].MPI_TAG == 7;
	/* 7: Waitall over sends and receives with statuses: a send's status is not touched
	 * in its source/tag? (MPI: undefined); only the receives' are checked */
	MPI_Barrier(MPI_COMM_WORLD);
	{
		int x[4] = { rank, rank + 1, rank + 2, rank + 3 }, y[4] = { -1, -1, -1, -1 };

		MPI_Irecv(&y[0], 1, MPI_INT, peer, 10, MPI_COMM_WORLD, &r[0]);
		MPI_Isend(&x[0], 1, MPI_INT, peer, 10, MPI_COMM_WORLD, &r[1]);
		MPI_Irecv(&y[1], 2, MPI_INT, MPI_ANY_SOURCE, 11, MPI_COMM_WORLD, &r[2]);
		MPI_Isend(&x[1], 2, MPI_INT, peer, 11, MPI_COMM_WORLD, &r[3]);
		MPI_Waitall(4, r, st);
		MPI_Get_count(&st[2], MPI_INT, &c);
		o[6] = y[0] == peer && y[1] == peer + 1 && y[2] == peer + 2 && c == 2 &&
		       st[0].MPI_SOURCE == peer && st[2].MPI_TAG == 11 && st[2].MPI_SOURCE == peer;
	}
	/* 8: the same receive buffer reused by a persistent request many times while the
	 * sender runs ahead (ring wraps) */
	MPI_Barrier(MPI_COMM_WORLD);
	{
		MPI_Request pr, ps;
		int in = -1, out = 0, k, good = 1;

		MPI_Recv_init(&in, 1, MPI_INT, peer, 12, MPI_COMM_WORLD, &pr);
		MPI_Send_init(&out, 1, MPI_INT, peer, 12, MPI_COMM_WORLD, &ps);
		for (k = 0; k < 300; k++) {
			out = k * 2 + rank;
			MPI_Start(&ps);
			MPI_Start(&pr);
			MPI_Wait(&pr, &s);
			good &= in == k * 2 + peer;
			MPI_Wait(&ps, MPI_STATUS_IGNORE);
		}
		o[7] = good;
		MPI_Request_free(&pr);
		MPI_Request_free(&ps);
	}
	/* 9: a Bsend buffer filled by many short Bsends, received late */
	MPI_Barrier(MPI_COMM_WORLD);
	{
		int k, good = 1, x;

		for (k = 0; k < 300; k++) {
			x = k + rank;
			MPI_Bsend(&x, 1, MPI_INT, peer, 13, MPI_COMM_WORLD);
		}
		MPI_Barrier(MPI_COMM_WORLD);
		for (k = 0; k < 300; k++) {
			MPI_Recv(&x, 1, MPI_INT, peer, 13, MPI_COMM_WORLD, &s);
			good &= x == k + peer;
		}
		o[8] = good;
	}
	/* 10: Testany/Testsome progress: a window of 100 Irecvs completed by Testsome in order
	 * of posting for one source */
	MPI_Barrier(MPI_COMM_WORLD);
	{
		MPI_Request rq[100], sq[100];
		int in[100], out[100], idx[100], outc, done = 0, k, good = 1, last = -1;

		for (k = 0; k < 100; k++)
			MPI_Irecv(&in[k], 1, MPI_INT, peer, 14, MPI_COMM_WORLD, &rq[k]);
		for (k = 0; k < 100; k++) {
			out[k] = k;
			MPI_Isend(&out[k], 1, MPI_INT, peer, 14, MPI_COMM_WORLD, &sq[k]);
		}
		while (done < 100) {
			MPI_Testsome(100, rq, &outc, idx, MPI_STATUSES_IGNORE);
			if (outc == MPI_UNDEFINED)
				break;
			for (k = 0; k < outc; k++) {
				good &= in[idx[k]] == idx[k];
				last = idx[k];
			}
			done += outc;
		}
		(void)last;
		MPI_Waitall(100, sq, MPI_STATUSES_IGNORE);
		o[9] = good && done == 100;
	}
	/* 11: Ssend to a receiver that posts late: the Ssend must not complete before the
	 * match (receiver sets a flag it sends after the receive) */
	MPI_Barrier(MPI_COMM_WORLD);
	if (peer != rank) {
		int mark = 0;

		if (rank % 2 == 0) {
			MPI_Issend(&mark, 1, MPI_INT, peer, 15, MPI_COMM_WORLD, &r[0]);
			for (i = 0; i < 1000; i++) {
				MPI_Test(&r[0], &flag, MPI_STATUS_IGNORE);
				if (flag)
					break;
			}
			o[10] = !flag;
			MPI_Send(&mark, 1, MPI_INT, peer, 16, MPI_COMM_WORLD);
			MPI_Wait(&r[0], MPI_STATUS_IGNORE);
		} else {
			MPI_Recv(&mark, 1, MPI_INT, peer, 16, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			MPI_Recv(&mark, 1, MPI_INT, peer, 15, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			o[10] = 1;
		}
	} else {
		o[10] = 1;
	}
	MPI_Buffer_detach(&bbuf, &bs);
	report_ints("fast path order", o, 11);
}

static const int tcounts[] = { 1, 2, 4, 7, 8, 9, 16, 40, 1023, 1024, 1025, 4096, 4097, 30000 };
#define NTC ((int)(sizeof(tcounts) / sizeof(tcounts[0])))

static void offset_types(void)
{
	MPI_Datatype t[5];
	int peer, k, j, ti, ok, o[8];
	int *sb, *rb;
	MPI_Status s;
	MPI_Request r[2];

	peer = (rank ^ 1) < size ? rank ^ 1 : rank;
	sb = malloc(sizeof(int) * (30000 * 4 + 64));
	rb = malloc(sizeof(int) * (30000 * 4 + 64));
	{
		int bl[1] = { 1 };
		MPI_Aint d[1] = { 8 };
		MPI_Datatype ty[1] = { MPI_INT };

		MPI_Type_create_struct(1, bl, d, ty, &t[0]);	/* int at +8, extent 4 (lb 8) */
		MPI_Type_create_resized(MPI_INT, -8, 4, &t[1]);	/* int at 0, lb -8, extent 4 */
		MPI_Type_create_hindexed(1, bl, d, MPI_INT, &t[2]);
		MPI_Type_contiguous(1, t[0], &t[3]);
		MPI_Type_create_resized(MPI_INT, 0, 8, &t[4]);	/* int then a gap */
		for (ti = 0; ti < 5; ti++)
			MPI_Type_commit(&t[ti]);
	}
	for (ti = 0; ti < 5; ti++) {
		ok = 1;
		for (k = 0; k < NTC; k++) {
			int n = tcounts[k], c, stride = ti == 4 ? 2 : 1;
			int off = ti == 0 || ti == 2 || ti == 3 ? 2 : 0;

			for (j = 0; j < n * 2 + 4; j++)
				sb[j] = j * 3 + rank + k;
			for (j = 0; j < n * 2 + 4; j++)
				rb[j] = -7;
			/* typed send, plain ints received */
			MPI_Sendrecv(sb, n, t[ti], peer, 1, rb, n, MPI_INT, peer, 1, MPI_COMM_WORLD, &s);
			MPI_Get_count(&s, MPI_INT, &c);
			ok &= c == n;
			for (j = 0; j < n; j++)
				ok &= rb[j] == (off + j * stride) * 3 + peer + k;
			/* plain ints sent, typed receive */
			for (j = 0; j < n * 2 + 4; j++)
				rb[j] = -7;
			MPI_Sendrecv(sb, n, MPI_INT, peer, 2, rb, n, t[ti], peer, 2, MPI_COMM_WORLD, &s);
			MPI_Get_count(&s, t[ti], &c);
			ok &= c == n;
			for (j = 0; j < n; j++)
				ok &= rb[off + j * stride] == j * 3 + peer + k;
			ok &= rb[0] == (off ? -7 : rb[0]) && rb[off + (n - 1) * stride + 1] == -7;
			/* typed both ways, blocking Send/Recv (the fast path) and Isend/Irecv */
			for (j = 0; j < n * 2 + 4; j++)
				rb[j] = -7;
			if (rank < peer || peer == rank) {
				MPI_Irecv(rb, n, t[ti], peer, 3, MPI_COMM_WORLD, &r[0]);
				MPI_Send(sb, n, t[ti], peer, 3, MPI_COMM_WORLD);
				MPI_Wait(&r[0], &s);
			} else {
				MPI_Recv(rb, n, t[ti], peer, 3, MPI_COMM_WORLD, &s);
				MPI_Send(sb, n, t[ti], peer, 3, MPI_COMM_WORLD);
			}
			for (j = 0; j < n; j++)
				ok &= rb[off + j * stride] == (off + j * stride) * 3 + peer + k;
			if (!ok && rank == 0)
				fprintf(stderr, "type %d fails at %d\n", ti, n);
		}
		o[ti] = ok;
	}
	report_ints("types off their buffer", o, 5);
	/* zero-length messages from and into NULL, every mode */
	{
		int fl, c1, c2;
		MPI_Request q;

		MPI_Irecv(NULL, 0, MPI_INT, peer, 4, MPI_COMM_WORLD, &r[0]);
		MPI_Irecv(NULL, 0, MPI_BYTE, MPI_ANY_SOURCE, 5, MPI_COMM_WORLD, &r[1]);
		MPI_Barrier(MPI_COMM_WORLD);
		MPI_Rsend(NULL, 0, MPI_INT, peer, 4, MPI_COMM_WORLD);
		MPI_Issend(NULL, 0, MPI_INT, peer, 5, MPI_COMM_WORLD, &q);
		MPI_Wait(&r[0], &s);
		MPI_Get_count(&s, MPI_INT, &c1);
		MPI_Wait(&r[1], &s);
		MPI_Get_count(&s, MPI_INT, &c2);
		MPI_Wait(&q, MPI_STATUS_IGNORE);
		MPI_Sendrecv(NULL, 0, MPI_INT, peer, 6, NULL, 0, MPI_INT, peer, 6, MPI_COMM_WORLD, &s);
		fl = s.MPI_SOURCE == peer && s.MPI_TAG == 6;
		report_same("zero length from NULL", c1 * 100 + c2 * 10 + fl);
	}
	/* Request_free of an active receive and of an active send: the messages still go */
	{
		int x = rank + 5, y = -1, z = -1;

		MPI_Irecv(&y, 1, MPI_INT, peer, 7, MPI_COMM_WORLD, &r[0]);
		MPI_Request_free(&r[0]);
		MPI_Isend(&x, 1, MPI_INT, peer, 7, MPI_COMM_WORLD, &r[1]);
		MPI_Request_free(&r[1]);
		/* a second message behind, to know the first has been delivered */
		MPI_Sendrecv(&x, 1, MPI_INT, peer, 7, &z, 1, MPI_INT, peer, 7, MPI_COMM_WORLD, &s);
		report_same("request_free active", (y == peer + 5) * 10 + (z == peer + 5) + (r[0] == MPI_REQUEST_NULL) * 100);
	}
	for (ti = 0; ti < 5; ti++)
		MPI_Type_free(&t[ti]);
}

static const int csizes[] = { 0, 1, 8, 16, 17, 31, 32, 33, 63, 64, 65, 160, 4095, 4096, 4097,
	16383, 16384, 16385, 100000 };
#define NCS ((int)(sizeof(csizes) / sizeof(csizes[0])))

static void communicators(void)
{
	MPI_Comm dup, dup2, half, inter = MPI_COMM_NULL;
	int right, left, i, k, ok, v[4], got[4], flag;
	MPI_Request r[8];
	MPI_Status s;
	unsigned char *buf = malloc(200000), *b2 = malloc(200000);

	MPI_Comm_dup(MPI_COMM_WORLD, &dup);
	MPI_Comm_dup(dup, &dup2);
	right = (rank + 1) % size;
	left = (rank + size - 1) % size;
	/* same tag on three communicators, sent world, dup, dup2, received in reverse */
	for (i = 0; i < 3; i++)
		v[i] = rank * 10 + i;
	MPI_Isend(&v[0], 1, MPI_INT, right, 7, MPI_COMM_WORLD, &r[0]);
	MPI_Isend(&v[1], 1, MPI_INT, right, 7, dup, &r[1]);
	MPI_Isend(&v[2], 1, MPI_INT, right, 7, dup2, &r[2]);
	MPI_Probe(left, 7, dup2, &s);
	MPI_Recv(&got[2], 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, dup2, &s);
	MPI_Recv(&got[1], 1, MPI_INT, left, MPI_ANY_TAG, dup, &s);
	MPI_Recv(&got[0], 1, MPI_INT, MPI_ANY_SOURCE, 7, MPI_COMM_WORLD, &s);
	MPI_Waitall(3, r, MPI_STATUSES_IGNORE);
	report_ints("three comms, one tag", got, 3);
	/* Iprobe on a dup must not see a world message */
	v[0] = 99;
	MPI_Send(&v[0], 1, MPI_INT, rank, 8, MPI_COMM_WORLD);
	MPI_Iprobe(rank, 8, dup, &flag, &s);
	MPI_Recv(&got[0], 1, MPI_INT, rank, 8, MPI_COMM_WORLD, &s);
	report_same("iprobe on a dup sees no world message", flag);
	/* large + small mixed on world and dup with same tag: each comm in order */
	ok = 1;
	for (k = 0; k < NCS; k++) {
		int n = csizes[k], j;

		for (j = 0; j < n; j++)
			buf[j] = (unsigned char)(j + k);
		v[0] = k;
		MPI_Isend(buf, n, MPI_BYTE, right, 9, dup, &r[0]);
		MPI_Isend(&v[0], 1, MPI_INT, right, 9, MPI_COMM_WORLD, &r[1]);
		MPI_Recv(&got[0], 1, MPI_INT, left, 9, MPI_COMM_WORLD, &s);
		MPI_Recv(b2, n, MPI_BYTE, left, 9, dup, &s);
		for (j = 0; j < n; j++)
			ok &= b2[j] == (unsigned char)(j + k);
		ok &= got[0] == k;
		MPI_Waitall(2, r, MPI_STATUSES_IGNORE);
	}
	report_ok("dup and world, same tag, every size", ok);
	/* intercommunicator between evens and odds, same tags as world */
	if (size > 1) {
		int color = rank % 2, rr, rsize;

		MPI_Comm_split(MPI_COMM_WORLD, color, rank, &half);
		MPI_Intercomm_create(half, 0, MPI_COMM_WORLD, 1 - color, 77, &inter);
		MPI_Comm_remote_size(inter, &rsize);
		MPI_Comm_rank(half, &rr);
		ok = 1;
		for (k = 0; k < NCS; k++) {
			int n = csizes[k], j, peer = rr % rsize;
			int nsend = 0;

			/* everyone sends to remote rank rr % rsize, receives from every remote rank
			 * that maps to it */
			for (j = 0; j < n; j++)
				buf[j] = (unsigned char)(j * 3 + k + rank);
			MPI_Isend(buf, n, MPI_BYTE, peer, 7, inter, &r[0]);
			v[0] = k + rank;
			MPI_Isend(&v[0], 1, MPI_INT, left, 7, MPI_COMM_WORLD, &r[1]);
			MPI_Recv(&got[0], 1, MPI_INT, right, 7, MPI_COMM_WORLD, &s);
			ok &= got[0] == k + right;
			for (j = 0; j < rsize; j++)
				if (j % (size - size / 2 == rsize ? size / 2 : size - size / 2) == rr)
					nsend++;
			{
				/* how many remote ranks send to me: remote ranks q with q % mysize == rr */
				int mysize, q, c;

				MPI_Comm_size(half, &mysize);
				for (q = 0; q < rsize; q++)
					if (q % mysize == rr) {
						int from = color == 0 ? 2 * q + 1 : 2 * q, t;

						MPI_Recv(b2, n, MPI_BYTE, q, 7, inter, &s);
						MPI_Get_count(&s, MPI_BYTE, &c);
						ok &= c == n && s.MPI_SOURCE == q;
						for (t = 0; t < n; t++)
							ok &= b2[t] == (unsigned char)(t * 3 + k + from);
					}
			}
			MPI_Waitall(2, r, MPI_STATUSES_IGNORE);
		}
		report_ok("intercomm and world, same tag, every size", ok);
		MPI_Comm_free(&inter);
		MPI_Comm_free(&half);
	} else {
		report_ok("intercomm and world, same tag, every size", 1);
	}
	/* Sendrecv_replace and Sendrecv at every size, ring and self */
	ok = 1;
	for (k = 0; k < NCS; k++) {
		int n = csizes[k], j, c;

		for (j = 0; j < n; j++)
			buf[j] = (unsigned char)(j + rank * 7 + k);
		MPI_Sendrecv_replace(buf, n, MPI_BYTE, right, 3, left, 3, MPI_COMM_WORLD, &s);
		MPI_Get_count(&s, MPI_BYTE, &c);
		ok &= c == n && s.MPI_SOURCE == left;
		for (j = 0; j < n; j++)
			ok &= buf[j] == (unsigned char)(j + left * 7 + k);
		MPI_Sendrecv_replace(buf, n, MPI_BYTE, rank, 4, rank, 4, MPI_COMM_WORLD, &s);
		for (j = 0; j < n; j++)
			ok &= buf[j] == (unsigned char)(j + left * 7 + k);
		MPI_Sendrecv(buf, n, MPI_BYTE, rank, 5, b2, n, MPI_BYTE, MPI_ANY_SOURCE, MPI_ANY_TAG,
			     dup, &s);
		ok &= s.MPI_SOURCE == rank && s.MPI_TAG == 5;
		for (j = 0; j < n; j++)
			ok &= b2[j] == buf[j];
		/* replace with a vector type */
		{
			MPI_Datatype vt;
			int *iv = (int *)b2, cnt = n / 8;

			MPI_Type_vector(cnt, 1, 2, MPI_INT, &vt);
			MPI_Type_commit(&vt);
			for (j = 0; j < 2 * cnt; j++)
				iv[j] = j % 2 ? -5 : j + rank;
			MPI_Sendrecv_replace(iv, 1, vt, right, 6, left, 6, MPI_COMM_WORLD, &s);
			for (j = 0; j < 2 * cnt; j++)
				ok &= iv[j] == (j % 2 ? -5 : j + left);
			MPI_Type_free(&vt);
		}
	}
	report_ok("sendrecv_replace and sendrecv, every size", ok);
	MPI_Comm_free(&dup2);
	MPI_Comm_free(&dup);
}

int main(int argc, char **argv)
{
	conf_init(&argc, &argv);
	truncation();
	MPI_Barrier(MPI_COMM_WORLD);
	fast_path();
	MPI_Barrier(MPI_COMM_WORLD);
	offset_types();
	MPI_Barrier(MPI_COMM_WORLD);
	communicators();
	conf_done();
	return 0;
}
