// SPDX-License-Identifier: MIT
/*
 * probe: a tile that asks the host for what it must not get, one probe per argument:
 *   open PATH       open PATH for reading and read a byte (a FIFO, a device...)
 *   openw PATH      open PATH for writing
 *   read1           read the host's standard output (fd 1) through a host call
 *   seek1           seek the host's standard output
 *   write1          write to fd 1 through a host call (not the console ring)
 *   modes NAME      create file NAME with mode 06755 and directory NAME.d with 03755
 *   unlinklong NAME unlink a path longer than PATH_MAX whose first 4095 bytes end in NAME
 *   abortmin        an abort host call with code INT_MIN
 *   lut CORE        rewrite CORE's LUT entry for private DRAM to map the chip's header
 *   sleep           halt forever (to be stopped)
 *   spam            print lines forever
 *   exit N          exit with status N
 *   readin          read a line of standard input
 *   writefile NAME  write a line to NAME (created)
 *   only RANK       the probes after it run on rank RANK only (the others skip them)
 *   all             the probes after it run on every rank again
 * Each probe prints "<probe>: ok" or "<probe>: <strerror>" (rank 0 only, unless all).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tessera/board.h"
#include "tk.h"

static void report(const char *what, long rc)
{
	if (rc < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: ok\n", what);
	fflush(stdout);
}

static void hang(void)
{
	for (;;) {
		tk_halt_prepare();
		tk_halt(0);
		tk_halt_done();
	}
}

int main(int argc, char **argv)
{
	int skip = 0;

	for (int i = 1; i < argc; i++) {
		const char *p = argv[i], *arg = i + 1 < argc ? argv[i + 1] : "";
		char c;
		int fd;

		if (!strcmp(p, "only")) {
			skip = (uint32_t)atoi(arg) != tk_rank();
			i++;
			continue;
		}
		if (!strcmp(p, "all")) {
			skip = 0;
			continue;
		}
		if (skip) {	/* skip the probe and its argument, if it takes one */
			static const char *const with_arg[] = { "open", "openw", "modes",
				"unlinklong", "lut", "writefile", "exit" };
			for (size_t k = 0; k < sizeof(with_arg) / sizeof(with_arg[0]); k++)
				if (!strcmp(p, with_arg[k]))
					i++;
			continue;
		}
		if (!strcmp(p, "open")) {
			fd = open(arg, O_RDONLY);
			report("open", fd);
			if (fd >= 0)
				report("read", read(fd, &c, 1));
			i++;
		} else if (!strcmp(p, "openw")) {
			report("openw", open(arg, O_WRONLY));
			i++;
		} else if (!strcmp(p, "read1")) {
			report("read1", read(1, &c, 1));
		} else if (!strcmp(p, "seek1")) {
			report("seek1", (long)lseek(1, 0, SEEK_SET));
		} else if (!strcmp(p, "write1")) {
			int64_t a[6] = { 1, 14 };
			int64_t r = tk_hostcall(TESSERA_HC_WRITE, a, "write1 via hc\n", 14, 0, 0);
			if (r < 0)
				errno = (int)-r;
			report("write1", r < 0 ? -1 : r);
		} else if (!strcmp(p, "modes")) {
			char d[256];
			snprintf(d, sizeof(d), "%s.d", arg);
			fd = open(arg, O_WRONLY | O_CREAT | O_EXCL, 06755);
			report("create", fd);
			close(fd);
			report("mkdir", mkdir(d, 03755));
			i++;
		} else if (!strcmp(p, "unlinklong")) {
			/* "./" repeated, one more "/", then NAME: 4095 bytes; then more of a name */
			size_t n = strlen(arg), pre = 4095 - n;
			char *path = malloc(4096 + 64);
			for (size_t k = 0; k + 1 < pre; k += 2)
				memcpy(path + k, "./", 2);
			if (pre % 2)
				path[pre - 1] = '/';
			memcpy(path + pre, arg, n);
			strcpy(path + 4095, "_is_another_file");
			report("unlinklong", unlink(path));
			free(path);
			i++;
		} else if (!strcmp(p, "abortmin")) {
			int64_t a[6] = { INT_MIN };
			tk_hostcall(TESSERA_HC_ABORT_JOB, a, 0, 0, 0, 0);
			report("abortmin", 0);
		} else if (!strcmp(p, "lut")) {
			/* the victim's LUT entry 0 (its private DRAM) now maps the chip's start */
			const struct tessera_geom *g = tk_geom();
			uint32_t v = (uint32_t)atoi(arg);
			volatile struct tessera_lut_entry *e = (volatile struct tessera_lut_entry *)
				(uintptr_t)(tessera_crb_addr(g, tessera_core_tile(g, v)) +
					    TESSERA_CRB_REGS_BYTES +
					    tessera_core_z(g, v) * TESSERA_LUT_BYTES);
			e->kind = TESSERA_LUT_CHIP;
			e->offset = 0;
			report("lut", 0);
			i++;
		} else if (!strcmp(p, "readin")) {
			char line[64];
			report("readin", fgets(line, sizeof(line), stdin) ? 0 : -1);
		} else if (!strcmp(p, "writefile")) {
			FILE *f = fopen(arg, "w");
			report("writefile", f && fputs("written\n", f) >= 0 && !fclose(f) ? 0 : -1);
			i++;
		} else if (!strcmp(p, "exit")) {
			exit(atoi(arg));
		} else if (!strcmp(p, "spam")) {
			for (unsigned long k = 0;; k++)
				printf("line %lu of output nobody reads\n", k);
		} else if (!strcmp(p, "sleep")) {
			report("sleep", 0);
			hang();
		}
	}
	return 0;
}
