// SPDX-License-Identifier: MIT
/*
 * test_hostcall.c: the host side of the positioned I/O host calls (host-driver/hostcall.c):
 * pieces moved through the mailbox and through shared DRAM, a read that stops at the end of
 * the file, and the refusals: everything a tile writes into a request is checked (piece
 * counts and lengths, totals, shared-DRAM ranges, descriptors, file kinds).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hd_impl.h"

static struct hd_board *b;
static struct hd_files *files;
static char dir[64];
static int fd;		/* the tile's descriptor of the test file */

static void discard(void *arg, int fd, const char *data, size_t n)
{
	(void)arg, (void)fd, (void)data, (void)n;
}

/* Serves one host call of core 0 and returns its answer. */
static int64_t call(uint32_t op, int64_t a0, int64_t a1, int64_t a2, int64_t a3, const void *data,
		    size_t n)
{
	struct tessera_hostcall *hc = &hd_hostwin(b, 0)->hostcall;
	int abort_asked = 0, abort_code = INT_MIN;

	hc->op = op;
	hc->arg[0] = a0;
	hc->arg[1] = a1;
	hc->arg[2] = a2;
	hc->arg[3] = a3;
	if (n)
		memcpy(hc->data, data, n);
	hc->req_seq++;
	cr_assert_eq(hd_hostcall_serve(b, 0, files, &abort_asked, &abort_code, discard, NULL), 1);
	/* file calls are answered by a worker thread: wait for the answer (an event, bounded
	 * only so that a lost answer fails the test instead of hanging it) */
	for (int i = 0; i < 10000 && __atomic_load_n(&hc->resp_seq, __ATOMIC_ACQUIRE) != hc->req_seq;
	     i++)
		usleep(1000);
	cr_assert_eq(hc->resp_seq, hc->req_seq, "no answer");
	return hc->ret;
}

static void setup(void)
{
	struct hd_board_opts o = { .board = "scc48" };
	char path[] = "t.dat";

	snprintf(dir, sizeof(dir), "/tmp/tessera-test-%d-hc", (int)getpid());
	mkdir(dir, 0700);
	cr_assert_eq(hd_board_create(&o, &b), 0, "%s", hd_last_error());
	cr_assert_eq(hd_files_new(dir, NULL, -1, tessera_cores(&b->geom), &files), 0, "%s",
		     hd_last_error());
	fd = (int)call(TESSERA_HC_OPEN, sizeof(path), TESSERA_O_CREAT | 2, 0644, 0, path,
		       sizeof(path));
	cr_assert_geq(fd, 3);
}

static void teardown(void)
{
	char p[128];

	hd_files_free(files);
	hd_board_destroy(b);
	snprintf(p, sizeof(p), "%s/t.dat", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	unlink(p);
	rmdir(dir);
}

TestSuite(hostcall, .init = setup, .fini = teardown);

/* A request in the mailbox: pieces, then bytes. */
static size_t request(uint8_t *buf, const struct tessera_hc_piece *p, int n, const char *bytes)
{
	size_t len = (size_t)n * sizeof(*p), total = 0;

	memcpy(buf, p, len);
	for (int i = 0; i < n; i++)
		total += (size_t)p[i].len;
	if (bytes)
		memcpy(buf + len, bytes, total);
	return len + (bytes ? total : 0);
}

Test(hostcall, pwritev_then_preadv_through_the_mailbox)
{
	struct tessera_hc_piece p[2] = { { 10, 3 }, { 20, 2 } };
	uint8_t req[64];
	size_t n = request(req, p, 2, "abcde");
	struct tessera_hostcall *hc = &hd_hostwin(b, 0)->hostcall;

	cr_assert_eq(call(TESSERA_HC_PWRITEV, fd, 2, 5, -1, req, n), 5);
	n = request(req, p, 2, NULL);
	cr_assert_eq(call(TESSERA_HC_PREADV, fd, 2, 5, -1, req, n), 5);
	cr_assert_eq(memcmp(hc->data, "abcde", 5), 0, "a read returns its bytes from data[0]");
}

Test(hostcall, reads_stop_at_the_end_of_the_file)
{
	struct tessera_hc_piece w = { 0, 4 }, r[2] = { { 2, 1 }, { 3, 10 } };
	uint8_t req[64];
	size_t n = request(req, &w, 1, "wxyz");

	cr_assert_eq(call(TESSERA_HC_PWRITEV, fd, 1, 4, -1, req, n), 4);
	n = request(req, r, 2, NULL);
	cr_assert_eq(call(TESSERA_HC_PREADV, fd, 2, 11, -1, req, n), 2);
}

Test(hostcall, pieces_move_through_shared_dram)
{
	uint8_t *shm = b->chip + b->layout.shared_off;
	struct tessera_hc_piece p[2] = { { 0, 4 }, { 100, 4 } };

	memcpy(shm + 4096, "12345678", 8);
	cr_assert_eq(call(TESSERA_HC_PWRITEV, fd, 2, 8, 4096, p, sizeof(p)), 8);
	memset(shm + 8192, 0, 8);
	cr_assert_eq(call(TESSERA_HC_PREADV, fd, 2, 8, 8192, p, sizeof(p)), 8);
	cr_assert_eq(memcmp(shm + 8192, "12345678", 8), 0);
}

Test(hostcall, malformed_requests_are_refused)
{
	struct tessera_hc_piece p = { 0, 8 }, neg = { -1, 8 }, huge = { INT64_MAX - 2, 8 };
	uint64_t shared = b->layout.shared_bytes;

	/* counts, totals, pieces */
	cr_assert_eq(call(TESSERA_HC_PWRITEV, fd, 0, 0, -1, &p, 0), -EINVAL);
	cr_assert_eq(call(TESSERA_HC_PWRITEV, fd, TESSERA_HC_MAX_PIECES + 1, 8, -1, &p, sizeof(p)),
		     -EINVAL);
	cr_assert_eq(call(TESSERA_HC_PWRITEV, fd, 1, 9, 0, &p, sizeof(p)), -EINVAL, "total");
	cr_assert_eq(call(TESSERA_HC_PWRITEV, fd, 1, 8, 0, &neg, sizeof(neg)), -EINVAL);
	cr_assert_eq(call(TESSERA_HC_PWRITEV, fd, 1, 8, 0, &huge, sizeof(huge)), -EINVAL);
	/* data that would not fit the mailbox after its list */
	p.len = TESSERA_HOSTCALL_DATA;
	cr_assert_eq(call(TESSERA_HC_PWRITEV, fd, 1, p.len, -1, &p, sizeof(p)), -EINVAL);
	/* shared-DRAM ranges: past its end, too long for one call, negative */
	p.len = 8;
	cr_assert_eq(call(TESSERA_HC_PREADV, fd, 1, 8, (int64_t)shared - 4, &p, sizeof(p)), -EINVAL);
	cr_assert_eq(call(TESSERA_HC_PREADV, fd, 1, 8, -2, &p, sizeof(p)), -EINVAL);
	p.len = TESSERA_HC_SHM_MAX + 1;
	cr_assert_eq(call(TESSERA_HC_PREADV, fd, 1, p.len, 0, &p, sizeof(p)), -EINVAL);
	/* sizes */
	cr_assert_eq(call(TESSERA_HC_FTRUNCATE, fd, -1, 0, 0, NULL, 0), -EINVAL);
	cr_assert_eq(call(TESSERA_HC_FALLOCATE, fd, 0, -5, 0, NULL, 0), -EINVAL);
	cr_assert_eq(call(TESSERA_HC_FALLOCATE, fd, INT64_MAX, 10, 0, NULL, 0), -EINVAL);
}

Test(hostcall, only_files_the_tile_opened)
{
	struct tessera_hc_piece p = { 0, 1 };

	cr_assert_eq(call(TESSERA_HC_PREADV, 1, 1, 1, -1, &p, sizeof(p)), -ESPIPE, "the console");
	cr_assert_eq(call(TESSERA_HC_PREADV, 40, 1, 1, -1, &p, sizeof(p)), -EBADF, "not open");
	cr_assert_eq(call(TESSERA_HC_FSYNC, -3, 0, 0, 0, NULL, 0), -EBADF);
}

Test(hostcall, a_fifo_is_refused_not_waited_on)
{
	char path[] = "fifo", full[128];

	snprintf(full, sizeof(full), "%s/fifo", dir);
	cr_assert_eq(mkfifo(full, 0600), 0);
	/* looked at without being opened (hostfile.c): a FIFO could make the host wait */
	cr_assert_eq(call(TESSERA_HC_OPEN, sizeof(path), 2, 0, 0, path, sizeof(path)), -EACCES);
}

Test(hostcall, sizes_and_sync)
{
	struct stat st;
	char full[128];

	snprintf(full, sizeof(full), "%s/t.dat", dir);
	cr_assert_eq(call(TESSERA_HC_FTRUNCATE, fd, 1234, 0, 0, NULL, 0), 0);
	cr_assert_eq(stat(full, &st), 0);
	cr_assert_eq(st.st_size, 1234);
	cr_assert_eq(call(TESSERA_HC_FALLOCATE, fd, 0, 5000, 0, NULL, 0), 0);
	cr_assert_eq(stat(full, &st), 0);
	cr_assert_eq(st.st_size, 5000);
	cr_assert_eq(call(TESSERA_HC_FSYNC, fd, 0, 0, 0, NULL, 0), 0);
}
