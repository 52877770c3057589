/* SPDX-License-Identifier: MIT */
/* p2p_requests: the Wait/Test families, cancel, persistent and generalized requests. */
#include "conf.h"

static int gq_calls, gf_calls;

static int gquery(void *extra, MPI_Status *s)
{
	gq_calls++;
	MPI_Status_set_elements(s, MPI_INT, *(int *)extra);
	MPI_Status_set_cancelled(s, 0);
	s->MPI_SOURCE = MPI_UNDEFINED;
	s->MPI_TAG = MPI_UNDEFINED;
	return MPI_SUCCESS;
}

static int gfree(void *extra)
{
	(void)extra;
	gf_calls++;
	return MPI_SUCCESS;
}

static int gcancel(void *extra, int complete)
{
	(void)extra;
	(void)complete;
	return MPI_SUCCESS;
}

int main(int argc, char **argv)
{
	int right, left, i, n = 6, in[6], out[6], idx, flag, cnt, idxs[6];
	MPI_Request r[12];
	MPI_Status s[12];

	conf_init(&argc, &argv);
	right = (rank + 1) % size;
	left = (rank + size - 1) % size;

	/* Waitall over receives and sends; statuses tell tags and sources */
	for (i = 0; i < n; i++) {
		out[i] = rank * 100 + i;
		MPI_Irecv(&in[i], 1, MPI_INT, left, i, MPI_COMM_WORLD, &r[i]);
	}
	for (i = 0; i < n; i++)
		MPI_Isend(&out[i], 1, MPI_INT, right, i, MPI_COMM_WORLD, &r[n + i]);
	MPI_Waitall(2 * n, r, s);
	report_ints("waitall", in, n);
	{
		int tags[6];

		for (i = 0; i < n; i++)
			tags[i] = s[i].MPI_TAG * 10 + (s[i].MPI_SOURCE == left);
		report_ints("waitall tags", tags, n);
	}
	for (i = 0; i < 2 * n; i++)
		if (r[i] != MPI_REQUEST_NULL)
			in[0] = -1;
	report_ok("requests nulled", in[0] != -1);

	/* Waitany until all done: each index once */
	for (i = 0; i < n; i++)
		MPI_Irecv(&in[i], 1, MPI_INT, left, 20 + i, MPI_COMM_WORLD, &r[i]);
	for (i = n - 1; i >= 0; i--)
		MPI_Send(&out[i], 1, MPI_INT, right, 20 + i, MPI_COMM_WORLD);
	{
		int seen = 0;

		for (i = 0; i < n; i++) {
			MPI_Waitany(n, r, &idx, &s[0]);
			seen |= 1 << idx;
		}
		MPI_Waitany(n, r, &idx, &s[0]);
		report_same("waitany all seen", seen == (1 << n) - 1);
		report_same("waitany on nulls", idx == MPI_UNDEFINED);
		report_ints("waitany data", in, n);
	}

	/* Waitsome / Testsome collect everything exactly once */
	for (i = 0; i < n; i++)
		MPI_Irecv(&in[i], 1, MPI_INT, left, 40 + i, MPI_COMM_WORLD, &r[i]);
	for (i = 0; i < n; i++)
		MPI_Send(&out[i], 1, MPI_INT, right, 40 + i, MPI_COMM_WORLD);
	{
		int total = 0, calls = 0;

		while (total < n) {
			if (calls++ % 2)
				MPI_Waitsome(n, r, &cnt, idxs, s);
			else
				MPI_Testsome(n, r, &cnt, idxs, s);
			total += cnt;
		}
		MPI_Waitsome(n, r, &cnt, idxs, s);
		report_same("waitsome total", total);
		report_same("waitsome after", cnt == MPI_UNDEFINED);
	}

	/* Test / Testall / Testany: poll until done */
	MPI_Irecv(&in[0], 1, MPI_INT, left, 60, MPI_COMM_WORLD, &r[0]);
	MPI_Send(&out[0], 1, MPI_INT, right, 60, MPI_COMM_WORLD);
	do
		MPI_Test(&r[0], &flag, &s[0]);
	while (!flag);
	report_int("test", in[0]);
	MPI_Test(&r[0], &flag, &s[0]);
	report_same("test on null", flag);
	for (i = 0; i < 3; i++)
		MPI_Irecv(&in[i], 1, MPI_INT, left, 70 + i, MPI_COMM_WORLD, &r[i]);
	for (i = 0; i < 3; i++)
		MPI_Send(&out[i], 1, MPI_INT, right, 70 + i, MPI_COMM_WORLD);
	do
		MPI_Testall(3, r, &flag, s);
	while (!flag);
	report_ints("testall", in, 3);
	MPI_Irecv(&in[0], 1, MPI_INT, left, 80, MPI_COMM_WORLD, &r[0]);
	r[1] = MPI_REQUEST_NULL;
	MPI_Send(&out[5], 1, MPI_INT, right, 80, MPI_COMM_WORLD);
	do
		MPI_Testany(2, r, &idx, &flag, &s[0]);
	while (!flag);
	report_same("testany index", idx);
	report_int("testany", in[0]);

	/* Request_get_status leaves the request alone; Request_free lets a send finish */
	MPI_Irecv(&in[0], 1, MPI_INT, left, 90, MPI_COMM_WORLD, &r[0]);
	MPI_Isend(&out[1], 1, MPI_INT, right, 90, MPI_COMM_WORLD, &r[1]);
	MPI_Request_free(&r[1]);
	do
		MPI_Request_get_status(r[0], &flag, &s[0]);
	while (!flag);
	report_same("get_status keeps request", r[0] != MPI_REQUEST_NULL);
	MPI_Wait(&r[0], &s[0]);
	report_int("request_free send", in[0]);

	/* cancel an unmatched receive */
	MPI_Irecv(&in[0], 1, MPI_INT, MPI_ANY_SOURCE, 999, MPI_COMM_WORLD, &r[0]);
	MPI_Cancel(&r[0]);
	MPI_Wait(&r[0], &s[0]);
	MPI_Test_cancelled(&s[0], &flag);
	report_same("cancelled", flag);

	/* persistent requests: four rounds through the same requests */
	{
		int sv, rv, sum = 0;

		MPI_Recv_init(&rv, 1, MPI_INT, left, 100, MPI_COMM_WORLD, &r[0]);
		MPI_Send_init(&sv, 1, MPI_INT, right, 100, MPI_COMM_WORLD, &r[1]);
		for (i = 0; i < 4; i++) {
			sv = rank * 10 + i;
			if (i % 2)
				MPI_Startall(2, r);
			else {
				MPI_Start(&r[0]);
				MPI_Start(&r[1]);
			}
			MPI_Waitall(2, r, s);
			sum += rv;
		}
		report_same("persistent kept", r[0] != MPI_REQUEST_NULL && r[1] != MPI_REQUEST_NULL);
		/* inactive now: a Waitall of them completes at once, empty, and keeps them */
		s[0].MPI_TAG = 5;
		MPI_Waitall(2, r, s);
		report_same("inactive kept", r[0] != MPI_REQUEST_NULL && r[1] != MPI_REQUEST_NULL &&
			    s[0].MPI_TAG == MPI_ANY_TAG && s[0].MPI_SOURCE == MPI_ANY_SOURCE);
		MPI_Request_free(&r[0]);
		MPI_Request_free(&r[1]);
		report_int("persistent sum", sum);
		/* synchronous and ready persistent sends */
		MPI_Recv_init(&rv, 1, MPI_INT, left, 101, MPI_COMM_WORLD, &r[0]);
		MPI_Ssend_init(&sv, 1, MPI_INT, right, 101, MPI_COMM_WORLD, &r[1]);
		MPI_Rsend_init(&sv, 1, MPI_INT, right, 102, MPI_COMM_WORLD, &r[2]);
		MPI_Recv_init(&in[0], 1, MPI_INT, left, 102, MPI_COMM_WORLD, &r[3]);
		MPI_Start(&r[0]);
		MPI_Start(&r[3]);
		MPI_Barrier(MPI_COMM_WORLD);
		sv = rank + 7;
		MPI_Start(&r[1]);
		MPI_Start(&r[2]);
		MPI_Waitall(4, r, s);
		report_ints("ssend/rsend persistent", (int[]){ rv, in[0] }, 2);
		for (i = 0; i < 4; i++)
			MPI_Request_free(&r[i]);
	}

	/* a generalized request, completed by the program */
	{
		int elems = 5, c;

		MPI_Grequest_start(gquery, gfree, gcancel, &elems, &r[0]);
		MPI_Test(&r[0], &flag, &s[0]);
		report_same("grequest before", flag);
		MPI_Grequest_complete(r[0]);
		MPI_Wait(&r[0], &s[0]);
		MPI_Get_count(&s[0], MPI_INT, &c);
		report_same("grequest count", c);
		report_same("grequest calls", gq_calls * 10 + gf_calls);
	}
	conf_done();
	return 0;
}
