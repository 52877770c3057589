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
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
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

/* Call fn(its pid, sig) for every process whose name says it is a core (a core runner) of
 * host process `pid`, our own descendants; how many fn said yes to. */
__attribute__((unused)) static int each_core(pid_t pid, int (*fn)(pid_t, int), int sig)
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
		if (fgets(name, sizeof(name), f) && !strncmp(name, prefix, strlen(prefix)) &&
		    fn(atoi(e->d_name), sig))
			n++;
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

/* each_core's: the signal sent (0: none, the process only looked for); the process
 * stopped by a signal (state T). */
__attribute__((unused)) static int core_signalled(pid_t core, int sig)
{
	return kill(core, sig) == 0;
}

__attribute__((unused)) static int core_stopped(pid_t core, int unused)
{
	char path[64], state = 0;
	FILE *f;

	(void)unused;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)core);
	if (!(f = fopen(path, "r")))
		return 0;
	/* pid (comm) state: comm is tc-..., without spaces or parentheses */
	if (fscanf(f, "%*d %*s %c", &state) != 1)
		state = 0;
	fclose(f);
	return state == 'T';
}

/* Processes still alive whose name says they are cores of host process `pid`. */
__attribute__((unused)) static int cores_left(pid_t pid)
{
	return each_core(pid, core_signalled, 0);
}

/*
 * Run the command again and again until its stdout has exactly n lines holding needle;
 * returns 1 when it did (r holds that run), 0 if it never did (r holds the last). What is
 * waited for is the condition: the bound (60 s) only ends a test that is broken anyway.
 */
__attribute__((unused, format(printf, 4, 5))) static int run_until(struct run *r,
		const char *needle, int n, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	for (int i = 0; i < 1200; i++) {
		run_cmd(r, "%s", cmd);
		if (count_lines(r->out, needle) == n)
			return 1;
		run_free(r);
		usleep(50000);
	}
	run_cmd(r, "%s", cmd);
	return count_lines(r->out, needle) == n;
}

/* Wait until no core process of host process pid is left; 1 when none is (bounded as
 * run_until). */
__attribute__((unused)) static int no_cores_left(pid_t pid)
{
	for (int i = 0; i < 1200 && cores_left(pid); i++)
		usleep(50000);
	return cores_left(pid) == 0;
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

/*
 * Sleepers: `tessera run -n N --cores-per-process PER [MODE]` of tests/images/waits' `sleep
 * go` in a fresh directory, every rank asleep until the file go exists there. sleepers_start
 * returns once all N said they are asleep (their runners can then be counted or signalled);
 * sleepers_wake creates go and returns the job's wait status, with how many said they are
 * awake in *awake.
 */
struct sleepers {
	char dir[40];
	pid_t pid;
	FILE *out;
};

__attribute__((unused)) static void sleepers_start(struct sleepers *s, int n, int per,
						   const char *mode)
{
	char np[16], cpp[16], line[256];
	int fd[2], asleep = 0;

	snprintf(s->dir, sizeof(s->dir), "/tmp/tessera-test-sleep-XXXXXX");
	cr_assert(mkdtemp(s->dir));
	snprintf(np, sizeof(np), "%d", n);
	snprintf(cpp, sizeof(cpp), "%d", per);
	cr_assert_eq(pipe(fd), 0);
	if ((s->pid = fork()) == 0) {
		const char *argv[16] = { "tessera", "run", "-n", np, "--cores-per-process", cpp,
					 "--workdir", s->dir, "--timeout", "60" };
		int a = 10;

		if (mode)
			argv[a++] = mode;
		argv[a++] = "build/tests/images/waits";
		argv[a++] = "sleep";
		argv[a++] = "go";
		dup2(fd[1], 1);
		close(fd[0]);
		execv(TESSERA, (char *const *)argv);
		_exit(127);
	}
	close(fd[1]);
	s->out = fdopen(fd[0], "r");
	while (asleep < n && fgets(line, sizeof(line), s->out))
		asleep += strstr(line, ": asleep") != NULL;
	cr_assert_eq(asleep, n, "%s", mode ? mode : "");
}

__attribute__((unused)) static int sleepers_wake(struct sleepers *s, int *awake)
{
	char go[64], line[256];
	int ws;

	snprintf(go, sizeof(go), "%s/go", s->dir);
	close(open(go, O_CREAT | O_WRONLY, 0600));
	*awake = 0;
	while (fgets(line, sizeof(line), s->out))
		*awake += strstr(line, ": awake") != NULL;
	fclose(s->out);
	waitpid(s->pid, &ws, 0);
	unlink(go);
	rmdir(s->dir);
	return ws;
}

/* Open MPI's mpirun is there (the reference of the comparisons with Open MPI). */
__attribute__((unused)) static int have_openmpi(void)
{
	struct run r;
	int ok;

	run_cmd(&r, "sh -c 'command -v mpirun'");
	ok = r.status == 0;
	run_free(&r);
	return ok;
}

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

/* mpbc-stress (apps/mpbc-stress) ended clean: exit 0, its one summary line, 0 errors. */
__attribute__((unused)) static void assert_stress_clean(const struct run *r)
{
	unsigned long long msgs = 0, bytes = 0, errors = 1;

	cr_assert_eq(r->status, 0, "exit %d\nstdout: %s\nstderr: %s", r->status, r->out, r->err);
	cr_assert_eq(sscanf(r->out, "mpbc-stress: %llu messages, %llu bytes, %llu errors\n",
			    &msgs, &bytes, &errors), 3, "stdout: %s", r->out);
	cr_assert_eq(count_lines(r->out, "\n"), 1, "stdout: %s", r->out);
	cr_assert_eq(errors, 0);
	cr_assert_gt(msgs, 0);
}

/*
 * mpbc-stress failed for a real reason, not for any: its stall detector fired (exit 3, a
 * rank said "no progress for") or it counted errors (exit 1, more than 0 in rank 0's summary
 * or in a rank's own error line). A timeout, a crash or a clean run fails the assertion.
 */
__attribute__((unused)) static void assert_stress_broke(const struct run *r)
{
	unsigned long long msgs, bytes, errors = 0;
	unsigned rank;
	const char *p;

	if (r->status == 3) {
		cr_assert(strstr(r->err, ": no progress for "), "exit 3 without a stall: %s", r->err);
		return;
	}
	cr_assert_eq(r->status, 1, "exit %d\nstdout: %s\nstderr: %s", r->status, r->out, r->err);
	if (sscanf(r->out, "mpbc-stress: %llu messages, %llu bytes, %llu errors\n", &msgs, &bytes,
		   &errors) != 3)
		for (p = r->err; (p = strstr(p, "mpbc-stress: rank ")); p++)
			if (sscanf(p, "mpbc-stress: rank %u: %llu errors\n", &rank, &errors) == 2)
				break;
	cr_assert_gt(errors, 0, "exit 1 without errors counted\nstdout: %s\nstderr: %s", r->out,
		     r->err);
}

#endif
