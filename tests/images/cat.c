// SPDX-License-Identifier: MIT
/* cat: rank 0 echoes its standard input, a line at a time. */
#include <stdio.h>
#include "tk.h"

int main(void)
{
	char line[256];

	if (tk_rank() != 0)
		return 0;
	while (fgets(line, sizeof(line), stdin))
		printf("rank 0 read: %s", line);
	return 0;
}
