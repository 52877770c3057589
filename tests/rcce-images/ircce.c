// SPDX-License-Identifier: MIT
/*
 * ircce.c: iRCCE on every UE: a ring exchange with non-blocking isend/irecv (both posted,
 * then a wait list), the same with the pipelined issend/isrecv, and a wildcard gather of
 * every UE's value at UE 0, then a barrier and an allreduce of the errors. Prints "ircce: ok N" on UE 0, or what went wrong (exit 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "RCCE.h"
#include "iRCCE.h"

#define LEN 3000

int RCCE_APP(int argc, char **argv)
{
	int me, n, bad = 0, seen = 0;
	char got[RCCE_MAXNP] = { 0 };
	static char out[LEN], in[LEN];

	RCCE_init(&argc, &argv);
	iRCCE_init();
	me = RCCE_ue();
	n = RCCE_num_ues();
	for (int pipe = 0; pipe < 2 && n > 1; pipe++) {
		iRCCE_SEND_REQUEST s;
		iRCCE_RECV_REQUEST r;
		iRCCE_WAIT_LIST l;

		for (int i = 0; i < LEN; i++)
			out[i] = (char)(me * 7 + i + pipe);
		memset(in, 0, LEN);
		iRCCE_init_wait_list(&l);
		(pipe ? iRCCE_isrecv : iRCCE_irecv)(in, LEN, (me + n - 1) % n, &r);
		(pipe ? iRCCE_issend : iRCCE_isend)(out, LEN, (me + 1) % n, &s);
		iRCCE_add_to_wait_list(&l, &s, &r);
		iRCCE_wait_all(&l);
		for (int i = 0; i < LEN; i++)
			bad += in[i] != (char)(((me + n - 1) % n) * 7 + i + pipe);
	}
	if (me == 0) {
		for (int k = 1; k < n; k++) {
			iRCCE_RECV_REQUEST r;
			int v = -1, from;

			iRCCE_irecv((char *)&v, sizeof(v), iRCCE_ANY_SOURCE, &r);
			iRCCE_irecv_wait(&r);
			from = iRCCE_get_source(&r);
			bad += from <= 0 || from >= n || v != from * 5 || got[from]++;
		}
	} else {
		int v = me * 5;

		iRCCE_send((char *)&v, sizeof(v), 0);
	}
	/* messages carry no tags: without this barrier UE 0's wildcard could take a UE's
	 * contribution to the allreduce below as its gather message (as on the SCC) */
	RCCE_barrier(&RCCE_COMM_WORLD);
	RCCE_allreduce((char *)&bad, (char *)&seen, 1, RCCE_INT, RCCE_SUM, RCCE_COMM_WORLD);
	if (me == 0)
		printf(seen ? "ircce: %d errors\n" : "ircce: ok %d\n", seen ? seen : n);
	RCCE_finalize();
	return seen != 0;
}
