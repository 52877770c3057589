/* SPDX-License-Identifier: MIT */
/*
 * helpers.h: running real commands from the integration tests: a command line goes to
 * /bin/sh, its output is captured, and what it left behind (board directories, core
 * processes named tc-<pid>-<core>) can be checked. Header-only so every integration test
 * file can use it; the functions are static.
 */
#ifndef TESTS_HELPERS_H
#define TESTS_HELPERS_H

#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct run {
	int status;		/* exit status, or 128 + signal */
	pid_t pid;		/* of the shell, which execs the last command */
	char *out, *err;	/* captured, NUL-terminated */
};

__attribute__((unused)) static char *slurp_fd(int fd)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	buf[len] = 0;
	close(fd);
	return buf;
}

/* Run `sh -c "exec CMD"` with stdin from /dev/null; fills r. */
__attribute__((unused, format(printf, 2, 3))) static void run_cmd(struct run *r, const char *fmt, ...)
{
	char cmd[8192], outp[] = "/tmp/tessera-test-XXXXXX", errp[] = "/tmp/tessera-test-XXXXXX";
	int of = mkstemp(outp), ef = mkstemp(errp), ws;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	unlink(outp);
	unlink(errp);
	r->pid = fork();
	if (r->pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		dup2(in, 0);
		dup2(of, 1);
		dup2(ef, 2);
		char full[8200];
		snprintf(full, sizeof(full), "exec %s", cmd);
		execl("/bin/sh", "sh", "-c", full, (char *)NULL);
		_exit(127);
	}
	waitpid(r->pid, &ws, 0);
	r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	r->out = slurp_fd(of);
	r->err = slurp_fd(ef);
}

__attribute__((unused)) static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* Lines of text that contain needle. */
__attribute__((unused)) static int count_lines(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Processes still alive whose name says they are cores of host process `pid`. */
__attribute__((unused)) static int cores_left(pid_t pid)
{
	char prefix[32], path[64], name[32];
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	snprintf(prefix, sizeof(prefix), "tc-%d-", (int)pid);
	while (d && (e = readdir(d))) {
		FILE *f;
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		if (fgets(name, sizeof(name), f) && !strncmp(name, prefix, strlen(prefix)))
			n++;
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

/* A fresh path for a board directory (not created). */
__attribute__((unused)) static void board_dir(char *out, size_t n, const char *tag)
{
	static int seq;

	snprintf(out, n, "/dev/shm/tessera-test-%d-%s-%d", (int)getpid(), tag, seq++);
}

__attribute__((unused)) static int path_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

#define TESSERA "build/bin/tessera"

/* A run of hello on n ranks succeeded: one line per rank, each rank once (Criterion). */
#define assert_hello(r, n) do {								\
	char line_[128];								\
	cr_assert_eq((r)->status, 0, "exit %d, stderr: %s", (r)->status, (r)->err);	\
	cr_assert_eq(count_lines((r)->out, "hello from core"), (n), "output: %s", (r)->out); \
	for (int i_ = 0; i_ < (n); i_++) {						\
		snprintf(line_, sizeof(line_), "rank %d of %d\n", i_, (n));		\
		cr_assert_eq(count_lines((r)->out, line_), 1, "missing '%s' in: %s", line_, \
			     (r)->out);							\
	}										\
} while (0)

#endif
