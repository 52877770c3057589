// SPDX-License-Identifier: MIT
/* args: prints its arguments and one variable of its environment. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	const char *g = getenv("GREETING");

	printf("argc=%d", argc);
	for (int i = 1; i < argc; i++)
		printf(" argv[%d]=%s", i, argv[i]);
	printf(" GREETING=%s\n", g ? g : "(unset)");
	return 0;
}
