// SPDX-License-Identifier: MIT
/*
 * noflag.c: a broken RCCE protocol on purpose (gory API): UE 1 takes the data UE 0 put in
 * its MPB but forgets to write the "ready" flag back, so UE 0 waits for it forever. Run by
 * tests/integration/test_rcce.c, which expects tessera's deadlock report.
 */
#include <stdio.h>
#include "RCCE.h"

int RCCE_APP(int argc, char **argv)
{
	RCCE_FLAG ready, sent;
	t_vcharp buf;
	char data[64] = "payload";

	RCCE_init(&argc, &argv);
	buf = RCCE_malloc(64);
	RCCE_flag_alloc(&ready);
	RCCE_flag_alloc(&sent);
	if (RCCE_ue() == 0) {
		RCCE_put(buf, (t_vcharp)data, 64, 0);
		RCCE_flag_write(&sent, RCCE_FLAG_SET, 1);
		RCCE_wait_until(ready, RCCE_FLAG_SET);	/* never comes */
		printf("noflag: UE 0 went on\n");
	} else if (RCCE_ue() == 1) {
		RCCE_wait_until(sent, RCCE_FLAG_SET);
		RCCE_get((t_vcharp)data, buf, 64, 0);
		/* missing: RCCE_flag_write(&ready, RCCE_FLAG_SET, 0); */
		printf("noflag: UE 1 got '%s'\n", data);
		RCCE_wait_until(ready, RCCE_FLAG_SET);	/* and waits too, for the next round */
	}
	RCCE_finalize();
	return 0;
}
