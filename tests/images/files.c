// SPDX-License-Identifier: MIT
/*
 * files: file access from a tile through host calls: what works inside the run directory,
 * and what is refused outside it. Prints one line per attempt: "<what>: ok" or the error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char *what, int rc)
{
	if (rc < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: ok\n", what);
}

int main(int argc, char **argv)
{
	char buf[64] = { 0 };
	struct stat st;
	FILE *f;
	int fd;

	/* stdio through the host: write, read back, append */
	f = fopen("out.txt", "w");
	report("fopen out.txt w", f ? 0 : -1);
	if (f) {
		fprintf(f, "written by a tile\n");
		fclose(f);
	}
	f = fopen("out.txt", "r");
	if (f && fgets(buf, sizeof(buf), f))
		printf("read back: %s", buf);
	if (f)
		fclose(f);
	fd = open("out.txt", O_RDONLY);
	report("lseek", fd >= 0 && lseek(fd, 8, SEEK_SET) == 8 ? 0 : -1);
	if (fd >= 0 && read(fd, buf, 2) == 2)
		printf("at 8: %.2s\n", buf);
	report("fstat", fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 18 ? 0 : -1);
	close(fd);
	report("stat out.txt", stat("out.txt", &st));
	report("mkdir sub", mkdir("sub", 0755));
	report("open sub/x create", (fd = open("sub/x", O_WRONLY | O_CREAT | O_TRUNC, 0644)));
	close(fd);
	report("unlink sub/x", unlink("sub/x"));
	report("stat missing", stat("missing", &st));
	/* escapes */
	report("open ../escape", open("../escape", O_WRONLY | O_CREAT, 0644));
	report("open /etc/passwd", open("/etc/passwd", O_RDONLY));
	report("open link/passwd", open("link/passwd", O_RDONLY));
	report("stat sub/../../x", stat("sub/../../x", &st));
	report("unlink ../victim", unlink("../victim"));
	report("mkdir ../newdir", mkdir("../newdir", 0755));
	if (argc > 1) {
		report("open granted", (fd = open(argv[1], O_RDONLY)));
		close(fd);
	}
	return 0;
}
