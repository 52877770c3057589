// SPDX-License-Identifier: MIT
/*
 * fuzz_hostcall.c: a libFuzzer target for the host-call server: random requests from a
 * tile, through the real mailbox path (hd_hostcall_serve, the workers, hostfile.c) on a
 * fake board (the chip in host memory, 4 cores, no core processes). Each input is a list
 * of requests; each is put into a core's mailbox as a tile would, served, and waited for.
 *
 * What must hold, whatever the requests: no crash or undefined behaviour (ASan, UBSan);
 * every request is answered (a hang aborts); nothing outside the run directory and the
 * granted directory changes (a sentinel beside them keeps its contents, and no name
 * appears beside them); no file or directory gets setuid, setgid or sticky bits; the FIFO
 * is never waited on; an answer never claims more bytes than the mailbox holds or than
 * were asked for.
 *
 * The fixtures (run directory, FIFO, setuid file, symbolic links out, a granted directory)
 * are made afresh for every input, so every input meets the same directories and a run is
 * deterministic for a given seed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "hd_impl.h"
#include "hostcall_impl.h"

#define NCORES 4u

static struct hd_board board;
static char root[64], run[128], granted[128], sentinel[160];	/* in /dev/shm: fast */
static const char *allow[2];

static void put(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || fchmod(fd, mode))
		abort();
	close(fd);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP ? rmdir(path) : unlink(path))
		abort();
	return 0;
}

/* run/ and granted/ as every input finds them (whatever the last one did to them). */
static void fresh_fixtures(void)
{
	char p[256];

	nftw(run, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	nftw(granted, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir(run, 0755) || mkdir(granted, 0755))
		abort();
	snprintf(p, sizeof(p), "%s/sub", run);
	if (mkdir(p, 0755))
		abort();
	snprintf(p, sizeof(p), "%s/fifo", run);
	if (mkfifo(p, 0644))
		abort();
	snprintf(p, sizeof(p), "%s/file.txt", run);
	put(p, "data\n", 0644);
	snprintf(p, sizeof(p), "%s/suid", run);
	put(p, "", 04755);
	snprintf(p, sizeof(p), "%s/link", run);
	if (symlink("/etc", p))
		abort();
	snprintf(p, sizeof(p), "%s/up", run);
	if (symlink("..", p))
		abort();
	snprintf(p, sizeof(p), "%s/g.txt", granted);
	put(p, "granted\n", 0644);
}

static void make_fixtures(void)
{
	strcpy(root, "/dev/shm/tsfuzz-hostcall-XXXXXX");
	if (!mkdtemp(root))
		abort();
	snprintf(run, sizeof(run), "%s/run", root);
	snprintf(granted, sizeof(granted), "%s/granted", root);
	snprintf(sentinel, sizeof(sentinel), "%s/sentinel", root);
	put(sentinel, "keep\n", 0644);
	if (mkdir(run, 0755) || mkdir(granted, 0755))
		abort();
	allow[0] = granted;
}

static void make_board(void)
{
	board.geom.mesh_x = 2;
	board.geom.mesh_y = 1;
	board.geom.cores_per_tile = 2;
	board.geom.mpb_bytes = 16384;
	board.geom.line_bytes = TESSERA_LINE_BYTES;
	board.geom.private_mb = 4;
	board.geom.shared_mb = 0;
	tessera_layout_compute(&board.geom, &board.layout);
	board.chip = calloc(1, board.layout.chip_bytes);
	board.core = calloc(NCORES, sizeof(*board.core));
	board.owner_fd = -1;
	if (!board.chip || !board.core)
		abort();
	for (uint32_t c = 0; c < NCORES; c++)
		board.core[c].rank = (int32_t)c;
}

/* rank 0's stdin: a line, then end-of-file (never waits) */
static int fresh_stdin(void)
{
	int p[2];

	if (pipe(p) || write(p[1], "typed\n", 6) != 6)
		abort();
	close(p[1]);
	return p[0];
}

static void remove_root(void)
{
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	make_fixtures();
	atexit(remove_root);
	make_board();
	return 0;
}

static void out_sink(void *arg, int fd, const char *data, size_t n)
{
	(void)arg;
	if (fd != 1 && fd != 2)
		abort();	/* only the host's stdout and stderr are output */
	if (n > TESSERA_HOSTCALL_DATA || (n && !data))
		abort();
}

/* Bytes of the input, as a little reader. */
struct in {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct in *in, size_t bytes)
{
	uint64_t v = 0;

	for (size_t i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

/* An argument: mostly small (fds, lengths, flags, whence), sometimes anything. */
static int64_t arg_value(struct in *in)
{
	uint8_t kind = (uint8_t)take(in, 1);

	switch (kind & 3) {
	case 0: return (int64_t)(kind >> 2) - 4;		/* -4..59 */
	case 1: return (int64_t)take(in, 2);			/* lengths */
	case 2: return (int64_t)take(in, 8);			/* anything */
	default: return (int64_t)((kind >> 2) & 0x3f) << 6;	/* flags, modes */
	}
}

static const char *const paths[] = {
	"file.txt", "fifo", "suid", "new.txt", "sub/x", "sub", "link/passwd", "up/sentinel",
	"../sentinel", "/etc/passwd", "", ".", "..", "sub/../../sentinel", "up/run/file.txt",
	"new.d", "sub/new.d/", "//", "/dev/null",
};

/* One request into core c's mailbox, served and waited for; 0, or -1 at the input's end. */
static int one_request(struct hd_files *f, struct in *in)
{
	uint32_t c = (uint32_t)take(in, 1) % NCORES;
	struct tessera_hostcall *hc = &hd_hostwin(&board, c)->hostcall;
	uint8_t op = (uint8_t)take(in, 1), how = (uint8_t)take(in, 1);
	uint32_t seq = hc->req_seq + 1;
	int asked = 0, code = 0;
	struct timespec t0, now;
	size_t dn;

	if (!in->n)
		return -1;
	hc->op = op % (TESSERA_HC_ABORT_JOB + 3);	/* and two that do not exist */
	for (int i = 0; i < 6; i++)
		hc->arg[i] = arg_value(in);
	if (how & 1) {	/* a path from the list, its length in arg[0] as the tile puts it */
		const char *p = paths[(how >> 1) % (sizeof(paths) / sizeof(paths[0]))];
		strcpy((char *)hc->data, p);
		hc->arg[0] = (int64_t)strlen(p) + 1;
	} else {	/* raw bytes from the input */
		dn = (size_t)take(in, 2) % (TESSERA_HOSTCALL_DATA + 1);
		dn = dn < in->n ? dn : in->n;
		memcpy(hc->data, in->p, dn);
		in->p += dn;
		in->n -= dn;
	}
	__atomic_store_n(&hc->req_seq, seq, __ATOMIC_RELEASE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (__atomic_load_n(&hc->resp_seq, __ATOMIC_ACQUIRE) != seq) {
		hd_hostcall_serve(&board, c, f, &asked, &code, out_sink, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec > 20) {
			fprintf(stderr, "fuzz_hostcall: op %u was never answered\n", hc->op);
			abort();
		}
		sched_yield();
	}
	if (hc->ret > (int64_t)TESSERA_HOSTCALL_DATA && hc->op == TESSERA_HC_READ)
		abort();
	if (hc->op == TESSERA_HC_READ && hc->ret > 0 && hc->ret > hc->arg[1])
		abort();
	return 0;
}

static int special_bits(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t n = strlen(path);

	(void)flag;
	(void)ftw;
	if (st->st_mode & 07000 && (n < 5 || strcmp(path + n - 5, "/suid"))) {
		fprintf(stderr, "fuzz_hostcall: %s has mode %o\n", path, st->st_mode);
		abort();
	}
	return 0;
}

/* What an input may never have done: touched what lies beside run/ and granted/, given
 * anything special bits, or replaced the FIFO (it could only have been opened). */
static void check(void)
{
	char buf[16] = "";
	DIR *d;
	struct dirent *e;
	FILE *s = fopen(sentinel, "r");

	if (!s || !fgets(buf, sizeof(buf), s) || strcmp(buf, "keep\n"))
		abort();
	fclose(s);
	nftw(root, special_bits, 16, FTW_PHYS);
	d = opendir(root);
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, "run") && strcmp(e->d_name, "granted") &&
		    strcmp(e->d_name, "sentinel")) {
			fprintf(stderr, "fuzz_hostcall: %s/%s appeared\n", root, e->d_name);
			abort();
		}
	if (d)
		closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct hd_files *f;
	int in_fd;

	fresh_fixtures();
	in_fd = fresh_stdin();
	if (hd_files_new(run, allow, in_fd, NCORES, &f))
		abort();
	hd_files_guard(f, "/tmp/tessera-fuzz-no-board");
	memset(board.chip + board.layout.hostwin_off, 0, board.layout.hostwin_bytes * NCORES);
	for (int i = 0; i < 64 && one_request(f, &in) == 0; i++)
		;
	hd_files_free(f);
	close(in_fd);
	check();
	return 0;
}
