// SPDX-License-Identifier: MIT
/*
 * power.c: RCCE's power management (-DRC_POWER_MANAGEMENT): the master of each power
 * domain lowers its domain to 1600/8 = 200 MHz and waits for the voltage; every UE prints
 * its domain and what its master got back. The state stays on the board for `tessera ps`.
 */
#include <stdio.h>
#include "RCCE.h"

int RCCE_APP(int argc, char **argv)
{
	RCCE_REQUEST req;
	int f = -1, v = -1, rc;

	RCCE_init(&argc, &argv);
	rc = RCCE_iset_power(8, &req, &f, &v);
	if (!rc)
		rc = RCCE_wait_power(&req);
	RCCE_barrier(&RCCE_COMM_WORLD);
	if (RCCE_ue() == RCCE_power_domain_master())
		printf("power: domain %d master %d size %d divider %d level %d rc %d\n",
		       RCCE_power_domain(), RCCE_ue(), RCCE_power_domain_size(), f, v, rc);
	RCCE_finalize();
	return rc != 0;
}
