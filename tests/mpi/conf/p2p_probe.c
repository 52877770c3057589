/* SPDX-License-Identifier: MIT */
/* p2p_probe: Probe, Iprobe, matched probes (Mprobe, Improbe, Mrecv, Imrecv). */
#include "conf.h"

int main(int argc, char **argv)
{
	int right, left, i, flag, count, *buf;
	MPI_Status s;
	MPI_Message m;
	MPI_Request r;

	conf_init(&argc, &argv);
	right = (rank + 1) % size;
	left = (rank + size - 1) % size;
	/* a message of unknown length: probe, allocate, receive */
	{
		int n = 10 + rank * 3, out[64];

		for (i = 0; i < n; i++)
			out[i] = rank + i;
		MPI_Isend(out, n, MPI_INT, right, 5, MPI_COMM_WORLD, &r);
		MPI_Probe(left, 5, MPI_COMM_WORLD, &s);
		MPI_Get_count(&s, MPI_INT, &count);
		buf = malloc((size_t)count * sizeof(int));
		MPI_Recv(buf, count, MPI_INT, s.MPI_SOURCE, s.MPI_TAG, MPI_COMM_WORLD, &s);
		MPI_Wait(&r, MPI_STATUS_IGNORE);
		report_ints("probe count/first/last", (int[]){ count, buf[0], buf[count - 1] }, 3);
		free(buf);
	}
	/* Iprobe sees nothing for an unused tag, then sees the message after a barrier */
	MPI_Iprobe(MPI_ANY_SOURCE, 77, MPI_COMM_WORLD, &flag, &s);
	report_same("iprobe empty", flag);
	if (size > 1 && rank == 1) {
		double d[4] = { 1, 2, 3, 4 };

		MPI_Send(d, 4, MPI_DOUBLE, 0, 78, MPI_COMM_WORLD);
	}
	if (size > 1 && rank == 0) {
		double d[4];

		do
			MPI_Iprobe(MPI_ANY_SOURCE, 78, MPI_COMM_WORLD, &flag, &s);
		while (!flag);
		MPI_Get_count(&s, MPI_DOUBLE, &count);
		printf("iprobe: source %d tag %d count %d\n", s.MPI_SOURCE, s.MPI_TAG, count);
		MPI_Recv(d, 4, MPI_DOUBLE, 1, 78, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	}
	/* Mprobe + Mrecv: the probed message is the one received, even with a wildcard */
	{
		int a = rank * 11, got = -1;

		MPI_Isend(&a, 1, MPI_INT, right, 6, MPI_COMM_WORLD, &r);
		MPI_Mprobe(MPI_ANY_SOURCE, 6, MPI_COMM_WORLD, &m, &s);
		MPI_Mrecv(&got, 1, MPI_INT, &m, &s);
		MPI_Wait(&r, MPI_STATUS_IGNORE);
		report_ints("mprobe/mrecv", (int[]){ got, s.MPI_SOURCE, m == MPI_MESSAGE_NULL }, 3);
	}
	/* Improbe + Imrecv, with a large (rendezvous) message */
	{
		int n = 50000, *out = malloc(n * sizeof(int)), *in = malloc(n * sizeof(int)), ok = 1;
		MPI_Request rr;

		for (i = 0; i < n; i++)
			out[i] = rank * 3 + i;
		MPI_Isend(out, n, MPI_INT, right, 8, MPI_COMM_WORLD, &r);
		do
			MPI_Improbe(left, 8, MPI_COMM_WORLD, &flag, &m, &s);
		while (!flag);
		MPI_Get_count(&s, MPI_INT, &count);
		MPI_Imrecv(in, n, MPI_INT, &m, &rr);
		MPI_Wait(&rr, &s);
		MPI_Wait(&r, MPI_STATUS_IGNORE);
		for (i = 0; i < n; i++)
			ok &= in[i] == left * 3 + i;
		report_same("improbe count", count);
		report_ok("imrecv data", ok);
		free(out);
		free(in);
	}
	/* probing MPI_PROC_NULL */
	MPI_Probe(MPI_PROC_NULL, 0, MPI_COMM_WORLD, &s);
	report_same("probe proc-null", s.MPI_SOURCE == MPI_PROC_NULL);
	MPI_Mprobe(MPI_PROC_NULL, 0, MPI_COMM_WORLD, &m, &s);
	report_same("mprobe proc-null", m == MPI_MESSAGE_NO_PROC);
	MPI_Mrecv(NULL, 0, MPI_INT, &m, &s);
	report_same("mrecv no-proc", s.MPI_SOURCE == MPI_PROC_NULL && m == MPI_MESSAGE_NULL);
	/* Get_elements with a derived type and a partial last element */
	{
		MPI_Datatype t;
		int e, c, out[5] = { 1, 2, 3, 4, 5 }, in[6];

		MPI_Type_contiguous(2, MPI_INT, &t);
		MPI_Type_commit(&t);
		MPI_Sendrecv(out, 5, MPI_INT, right, 9, in, 3, t, left, 9, MPI_COMM_WORLD, &s);
		MPI_Get_elements(&s, t, &e);
		MPI_Get_count(&s, t, &c);
		report_same("get_elements", e);
		report_same("get_count partial", c == MPI_UNDEFINED);
		MPI_Type_free(&t);
	}
	conf_done();
	return 0;
}
