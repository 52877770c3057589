// SPDX-License-Identifier: MIT
/* where.c: each UE prints its rank and core (RCCE_lib.h's RC_MY_COREID), in UE order. */
#include <stdio.h>
#include "RCCE.h"
#include "RCCE_lib.h"

int RCCE_APP(int argc, char **argv)
{
	RCCE_init(&argc, &argv);
	for (int ue = 0; ue < RCCE_num_ues(); ue++) {
		if (ue == RCCE_ue()) {
			printf("ue %d core %d of %d args %d\n", ue, RC_MY_COREID, RCCE_num_ues(), argc);
			fflush(stdout);
		}
		RCCE_barrier(&RCCE_COMM_WORLD);
	}
	RCCE_finalize();
	return 0;
}
