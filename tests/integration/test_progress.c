// SPDX-License-Identifier: MIT
/*
 * test_progress.c: the progress line of `tessera run` (host-tools/progress.c): on a
 * pseudo-terminal it shows the steps (here with TESSERA_PROGRESS_DELAY_MS=0, so that every
 * step shows, however short) and is always erased before a rank's output; on a pipe, or
 * under --quiet, there is none.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pty.h>
#include <sys/stat.h>
#include "helpers.h"

#define HELLO "build/apps/hello"

/* Run `sh -c "exec CMD"` with standard output and error on a pseudo-terminal; returns
 * what the terminal got, with the exit status in *status. */
static char *run_pty(int *status, const char *cmd)
{
	char full[1024], *buf = malloc(1 << 16);
	size_t len = 0;
	int master, ws;
	pid_t pid;
	ssize_t n;

	snprintf(full, sizeof(full), "exec %s </dev/null", cmd);
	pid = forkpty(&master, NULL, NULL, NULL);
	cr_assert_geq(pid, 0, "forkpty: %s", strerror(errno));
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", full, (char *)NULL);
		_exit(127);
	}
	/* read until the child's end closes the terminal (EIO) */
	while (len < (1 << 16) - 1 && ((n = read(master, buf + len, (1 << 16) - 1 - len)) > 0 ||
				       (n < 0 && errno == EINTR)))
		len += n > 0 ? (size_t)n : 0;
	buf[len] = 0;
	close(master);
	waitpid(pid, &ws, 0);
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	return buf;
}

Test(progress, shown_on_a_terminal_and_never_inside_rank_output)
{
	int status, hellos = 0;
	char *out = run_pty(&status, "env TESSERA_PROGRESS_DELAY_MS=0 " TESSERA " run -n 4 " HELLO);
	char *line, *save = NULL;

	cr_assert_eq(status, 0, "%s", out);
	cr_assert(strstr(out, "tessera: loading images "), "no progress line: %s", out);
	cr_assert(strstr(out, "\r\033[K"), "the progress line is never erased");
	/* every rank's line whole: the erase comes before it, never inside or after it */
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *h = strstr(line, "hello from core");
		if (!h)
			continue;
		hellos++;
		cr_assert_null(strchr(h, '\033'), "progress inside a rank's line: %s", line);
		cr_assert_null(strstr(h, "tessera:"), "progress inside a rank's line: %s", line);
		cr_assert(h == line || !strncmp(h - 3, "\033[K", 3) || h[-1] == '\r',
			  "something before a rank's line: %s", line);
	}
	cr_assert_eq(hellos, 4);
	free(out);
}

Test(progress, absent_when_output_is_not_a_terminal)
{
	struct run r;

	run_cmd(&r, "env TESSERA_PROGRESS_DELAY_MS=0 " TESSERA " run -n 4 " HELLO);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.err, "\033["), "escape codes on a pipe: %s", r.err);
	cr_assert_null(strstr(r.err, "loading images"), "%s", r.err);
	cr_assert_eq(count_lines(r.out, "hello from core"), 4);
	run_free(&r);
}

Test(progress, absent_under_quiet)
{
	int status;
	char *out = run_pty(&status, "env TESSERA_PROGRESS_DELAY_MS=0 " TESSERA " run -q -n 4 "
			    HELLO);

	cr_assert_eq(status, 0, "%s", out);
	cr_assert_null(strstr(out, "tessera: "), "%s", out);
	cr_assert_null(strstr(out, "\033[K"), "%s", out);
	free(out);
}

/* ---- tools/build-newlib.sh, on a stand-in for Newlib's sources ---- */

static char fake_dir[96];

/* A tarball whose "configure" writes a Makefile that makes one object and installs an
 * empty libc: build-newlib.sh goes through its phases in a moment. */
static const char *fake_newlib(void)
{
	static char tarball[128];
	char path[160];
	FILE *f;
	struct run r;

	snprintf(fake_dir, sizeof(fake_dir), "/tmp/tessera-test-%d-newlib", (int)getpid());
	snprintf(path, sizeof(path), "%s/newlib-salsa", fake_dir);
	run_cmd(&r, "mkdir -p %s", path);
	run_free(&r);
	snprintf(path, sizeof(path), "%s/newlib-salsa/configure", fake_dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("#!/bin/sh\n"
	      "for a; do case $a in --prefix=*) p=${a#--prefix=};; --target=*) t=${a#--target=};;"
	      " esac; done\n"
	      "printf 'all-target-newlib:\\n\\ttouch one.o\\ninstall-target-newlib:\\n"
	      "\\tmkdir -p %s/%s/include %s/%s/lib\\n\\ttouch %s/%s/lib/libc.a\\n'"
	      " \"$p\" \"$t\" \"$p\" \"$t\" \"$p\" \"$t\" > Makefile\n", f);
	fclose(f);
	chmod(path, 0755);
	snprintf(tarball, sizeof(tarball), "%s/newlib.tar", fake_dir);
	run_cmd(&r, "tar -C %s -cf %s newlib-salsa", fake_dir, tarball);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	return tarball;
}

static void fake_newlib_remove(void)
{
	struct run r;

	if (fake_dir[0]) {
		run_cmd(&r, "rm -rf %s", fake_dir);
		run_free(&r);
	}
}

Test(progress, newlib_build_shows_its_phases_on_a_terminal, .fini = fake_newlib_remove)
{
	const char *tarball = fake_newlib();
	char cmd[512], lib[160];
	int status;
	char *out;

	snprintf(cmd, sizeof(cmd), "env -u MAKEFLAGS -u TESSERA_QUIET NEWLIB_TARBALL=%s "
		 "TESSERA_PROGRESS_DELAY_MS=0 tools/build-newlib.sh emu %s/out", tarball, fake_dir);
	out = run_pty(&status, cmd);
	cr_assert_eq(status, 0, "%s", out);
	cr_assert(strstr(out, "NEWLIB  emu: configure ("), "%s", out);
	cr_assert(strstr(out, "NEWLIB  emu: compiling"), "%s", out);
	cr_assert(strstr(out, "NEWLIB  emu: installing ("), "%s", out);
	cr_assert(strlen(out) >= 4 && !strcmp(out + strlen(out) - 4, "\r\033[K"),
		  "the line is not erased at the end: %s", out);
	free(out);
	snprintf(lib, sizeof(lib), "%s/out/lib/libc.a", fake_dir);
	cr_assert(path_exists(lib));
}

Test(progress, newlib_build_is_silent_off_a_terminal, .fini = fake_newlib_remove)
{
	const char *tarball = fake_newlib();
	struct run r;

	run_cmd(&r, "env -u MAKEFLAGS NEWLIB_TARBALL=%s TESSERA_PROGRESS_DELAY_MS=0 "
		"tools/build-newlib.sh emu %s/out", tarball, fake_dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_empty(r.err);
	cr_assert_str_empty(r.out);
	run_free(&r);
}
