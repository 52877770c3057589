// SPDX-License-Identifier: MIT
/*
 * api_leaks: a plain program (no Criterion, which forks) that drives every host API call
 * through its success and error paths, for valgrind's leak checker: make test runs it under
 * valgrind and fails on any leak or memory error. Exits non-zero if a call misbehaves.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "tessera/host.h"

#define CHECK(e) do { if (!(e)) { fprintf(stderr, "api_leaks: %s:%d: %s\n", __FILE__, \
	__LINE__, #e); return 1; } } while (0)

int main(void)
{
	struct hd_board_opts bad = { .board = "nope" }, keep = { .persistent = 1 };
	struct hd_board *b, *p, *again;
	struct hd_core_info ci;
	struct tessera_geom g;
	char buf[64], handle[4096];
	uint32_t dup[] = { 1, 1 };
	struct hd_job_opts jo = { .image = "build/apps/hello", .nranks = 2, .cores = dup };
	char *two[] = { "args", "two" };
	struct hd_job_app apps[] = {
		{ .image = "build/apps/hello", .nranks = 2 },
		{ .image = "build/tests/images/args", .nranks = 1, .argc = 2, .argv = two },
	}, bad_apps[] = { apps[0], { .image = "/bin/true", .nranks = 1 } };

	CHECK(hd_board_create(&bad, &b) == -ENOENT);
	CHECK(hd_board_open("/dev/shm/none-such", &b) == -ENOENT);
	CHECK(hd_geom_load("tests/run.sh", &g) == -EINVAL);
	CHECK(hd_board_create(NULL, &b) == 0);
	CHECK(hd_core_info(b, 99, &ci) == -EINVAL);
	CHECK(hd_job_load(b, &jo) == -EINVAL);
	jo.cores = NULL;
	jo.image = "/bin/true";
	CHECK(hd_job_load(b, &jo) == -ENOEXEC);
	jo.image = "tests/run.sh";
	CHECK(hd_job_load(b, &jo) == -ENOEXEC);
	jo.image = "build/apps/hello";
	jo.backend = "qemu:0-999";
	CHECK(hd_job_load(b, &jo) == -EINVAL);
	jo.backend = NULL;
	CHECK(hd_job_load_apps(b, &jo, apps, 2) == -EINVAL);	/* the program given twice */
	CHECK(hd_job_load_apps(b, &(struct hd_job_opts){ 0 }, bad_apps, 2) == -ENOEXEC);
	CHECK(hd_job_load_apps(b, &(struct hd_job_opts){ 0 }, apps, 2) == 0);
	CHECK(hd_core_info(b, 2, &ci) == 0 && ci.rank == 2 && ci.state == TESSERA_CORE_RESET);
	CHECK(hd_job_load(b, &jo) == 0);	/* loads, cores stay in reset */
	CHECK(hd_core_info(b, 1, &ci) == 0 && ci.rank == 1 && ci.state == TESSERA_CORE_RESET);
	CHECK(hd_mem_read(b, HD_SPACE_CORE, 0, 0x10000, buf, 4) == 0 && !memcmp(buf, "BOOT", 4));
	CHECK(hd_mem_write(b, HD_SPACE_PRIVATE, 0, 0x200000, "x", 1) == 0);
	CHECK(hd_mem_read(b, HD_SPACE_CORE, 0, 0xFFFFFFFF, buf, 2) == -EFAULT);
	CHECK(hd_board_close(b) == 0);
	CHECK(hd_board_create(&keep, &p) == 0);
	snprintf(handle, sizeof(handle), "%s", hd_board_handle(p));
	CHECK(hd_board_close(p) == 0);
	CHECK(hd_board_open(handle, &again) == 0);
	CHECK(hd_board_destroy(again) == 0);
	puts("api_leaks: ok");
	return 0;
}
