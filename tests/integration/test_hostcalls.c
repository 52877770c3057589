// SPDX-License-Identifier: MIT
/*
 * test_hostcalls.c: what a tile cannot get from the host through host calls (issue 14,
 * findings 2, 3 and 9): a FIFO or a terminal that would make the host wait, the host's own
 * standard descriptors, setuid/setgid/sticky bits, a path cut short. Each run is bounded by
 * `timeout -s KILL` only so that a host that hangs (as it once did) fails the test instead
 * of stopping the suite: the outcome asserted never depends on time.
 */
#include <criterion/criterion.h>
#include <pty.h>
#include <sys/stat.h>
#include "helpers.h"

#define PROBE "build/tests/images/probe"
#define BOUND "timeout -s KILL 60 "

static char dir[256];

static void make_dir(void)
{
	char cmd[600];

	snprintf(dir, sizeof(dir), "/tmp/tessera-hc-%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s && mkfifo %s/fifo", dir, dir, dir);
	cr_assert_eq(system(cmd), 0);
}

static void remove_dir(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(hostcalls, .init = make_dir, .fini = remove_dir);

Test(hostcalls, fifo_is_refused_not_waited_for)
{
	struct run r;

	run_cmd(&r, BOUND TESSERA " run --timeout 30 --workdir %s " PROBE " open fifo openw fifo",
		dir);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, "open: Permission denied\nopenw: Permission denied\n");
	run_free(&r);
}

Test(hostcalls, devices_are_refused_but_null_and_zero)
{
	struct run r;

	run_cmd(&r, BOUND TESSERA " run --timeout 30 --allow-path /dev " PROBE
		" open /dev/zero open /dev/tty open /dev/ptmx");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, "open: ok\nread: ok\nopen: Permission denied\n"
			 "open: Permission denied\n");
	run_free(&r);
}

Test(hostcalls, host_stdout_cannot_be_read_or_sought)
{
	struct run r;
	char out[300];

	/* stdout a regular file: seeking it would move the host's own offset */
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	run_cmd(&r, "sh -c '" BOUND TESSERA " run " PROBE " read1 seek1 >%s; cat %s'", out, out);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, "read1: Bad file number\nseek1: Illegal seek\n");
	run_free(&r);
}

Test(hostcalls, keyboard_cannot_be_read_through_fd_1)
{
	char buf[4096] = "";
	size_t len = 0;
	int master, ws;
	ssize_t n;
	pid_t pid;

	/* stdout is a terminal with a line already typed: fd 1 must not hand it to a tile */
	pid = forkpty(&master, NULL, NULL, NULL);
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execl("/usr/bin/timeout", "timeout", "-s", "KILL", "60", TESSERA, "run",
		      "--timeout", "30", PROBE, "read1", (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(write(master, "secret\n", 7), 7);
	while (len < sizeof(buf) - 1 && (n = read(master, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = 0;
	waitpid(pid, &ws, 0);
	close(master);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "status 0x%x: %s", ws, buf);
	cr_assert(strstr(buf, "read1: Bad file number"), "%s", buf);
}

Test(hostcalls, fd_1_written_by_a_host_call_goes_to_the_output)
{
	struct run r;

	run_cmd(&r, BOUND TESSERA " run --tag-output " PROBE " write1");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, "[0] write1 via hc\n[0] write1: ok\n");
	run_free(&r);
}

Test(hostcalls, created_files_never_get_special_bits)
{
	struct run r;
	char path[400];
	struct stat st;

	snprintf(path, sizeof(path), "chmod 2775 %s", dir);	/* directories inherit setgid */
	cr_assert_eq(system(path), 0);
	run_cmd(&r, BOUND TESSERA " run --workdir %s " PROBE " modes suid", dir);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, "create: ok\nmkdir: ok\n");
	snprintf(path, sizeof(path), "%s/suid", dir);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07000, 0, "file mode %o", st.st_mode);
	snprintf(path, sizeof(path), "%s/suid.d", dir);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07000, 0, "directory mode %o", st.st_mode);
	run_free(&r);
}

Test(hostcalls, setuid_file_is_not_opened_for_writing)
{
	struct run r;
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "touch %s/prog && chmod 4755 %s/prog", dir, dir);
	cr_assert_eq(system(cmd), 0);
	run_cmd(&r, BOUND TESSERA " run --workdir %s " PROBE " openw prog open prog", dir);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, "openw: Permission denied\nopen: ok\nread: ok\n");
	run_free(&r);
}

Test(hostcalls, long_path_is_refused_not_cut)
{
	struct run r;
	char path[400];

	snprintf(path, sizeof(path), "echo keep > %s/victim", dir);
	cr_assert_eq(system(path), 0);
	run_cmd(&r, BOUND TESSERA " run --workdir %s " PROBE " unlinklong victim", dir);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, "unlinklong: File or path name too long\n");
	snprintf(path, sizeof(path), "%s/victim", dir);
	cr_assert(path_exists(path), "unlinking a long path removed another file");
	run_free(&r);
}

Test(hostcalls, abort_with_any_code_stops_the_job)
{
	struct run r;

	run_cmd(&r, BOUND TESSERA " run --timeout 30 " PROBE " abortmin sleep");
	/* INT_MIN was once the host's own "nobody asked" mark: the abort went unseen */
	cr_assert(strstr(r.err, "rank 0 called MPI_Abort with error code -2147483648"), "%s", r.err);
	run_free(&r);
}

Test(hostcalls, waiting_for_stdin_stalls_nobody_else)
{
	struct run r;
	char path[400];

	/* rank 0 waits for a line that never comes (stdin is a FIFO nobody writes to: opened
	 * read-write, it never ends either); rank 1 meanwhile writes a file, then exits with
	 * status 3, which ends the job */
	run_cmd(&r, "sh -c '" BOUND TESSERA " run -n 2 --timeout 30 --workdir %s " PROBE
		" only 0 readin only 1 writefile w.txt exit 3 <>%s/fifo'", dir, dir);
	cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, "writefile: ok\n");
	snprintf(path, sizeof(path), "%s/w.txt", dir);
	cr_assert(path_exists(path));
	run_free(&r);
}

Test(hostcalls, board_files_are_never_reached)
{
	struct run r;

	/* the board inside the run directory: its chip, DRAM and owner file stay the host's */
	run_cmd(&r, BOUND TESSERA " run --timeout 30 --workdir %s --board-dir %s/board " PROBE
		" open board/chip openw board/owner open board/core0000.dram", dir, dir);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, "open: Permission denied\nopenw: Permission denied\n"
			 "open: Permission denied\n");
	run_free(&r);
}
