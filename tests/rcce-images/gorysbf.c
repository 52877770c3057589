// SPDX-License-Identifier: MIT
/*
 * gorysbf.c: the gory API with single-bit flags (-DGORY -DSINGLEBITFLAGS): every UE sends
 * a block to its right-hand neighbour through its own MPB buffer and flags, then all
 * barrier; prints "gorysbf: ok N" on UE 0 when every block arrived intact.
 */
#include <stdio.h>
#include <string.h>
#include "RCCE.h"

#define LEN 1000

int RCCE_APP(int argc, char **argv)
{
	RCCE_FLAG ready, sent;
	t_vcharp buf;
	char out[LEN], in[LEN];
	int me, n, bad = 0, right, left;

	RCCE_init(&argc, &argv);
	me = RCCE_ue();
	n = RCCE_num_ues();
	right = (me + 1) % n;
	left = (me + n - 1) % n;
	buf = RCCE_malloc(128);
	if (!buf || RCCE_flag_alloc(&ready) || RCCE_flag_alloc(&sent))
		return 2;
	for (int i = 0; i < LEN; i++)
		out[i] = (char)(me + i);
	if (me == 0) {
		RCCE_send(out, buf, 128, &ready, &sent, LEN, right);
		RCCE_recv(in, buf, 128, &ready, &sent, LEN, left);
	} else {
		RCCE_recv(in, buf, 128, &ready, &sent, LEN, left);
		RCCE_send(out, buf, 128, &ready, &sent, LEN, right);
	}
	for (int i = 0; i < LEN; i++)
		bad += in[i] != (char)(left + i);
	RCCE_barrier(&RCCE_COMM_WORLD);
	printf(bad ? "gorysbf: UE %d: %d bad bytes\n" : "gorysbf: ok %d\n", bad ? me : n, bad);
	RCCE_finalize();
	return bad != 0;
}
