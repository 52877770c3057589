// SPDX-License-Identifier: MIT
/* stdio: what the standard descriptors are to a core: isatty and the file type of 0, 1, 2. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char kind(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return '-';
	return S_ISCHR(st.st_mode) ? 'c' : S_ISREG(st.st_mode) ? 'f' : S_ISFIFO(st.st_mode) ? 'p' : '?';
}

int main(void)
{
	printf("tty %d %d %d kind %c %c %c\n", isatty(0), isatty(1), isatty(2), kind(0), kind(1),
	       kind(2));
	return 0;
}
