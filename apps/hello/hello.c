// SPDX-License-Identifier: MIT
/* hello: every core says who and where it is. */
#include <stdio.h>
#include "tessera/tile.h"

int main(void)
{
	printf("hello from core %u (tile %u,%u), rank %u of %u\n", tessera_core(),
	       tessera_tile_x(), tessera_tile_y(), tessera_rank(), tessera_nranks());
	return 0;
}
