// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
/*
 * test_api.c: the host API (include/tessera/host.h) called directly: every call refuses bad
 * arguments with the right error and a message. No job runs here, so that make test can run
 * this file under valgrind's leak checker; jobs through the API are in test_api_jobs.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "tessera/host.h"

static struct hd_board *board(void)
{
	struct hd_board *b = NULL;

	cr_assert_eq(hd_board_create(NULL, &b), 0, "%s", hd_last_error());
	return b;
}

Test(api, version_function_matches_the_macro)
{
	cr_assert_str_eq(hd_version(), TESSERA_VERSION_STRING);
}

Test(api, create_with_null_out_is_einval)
{
	cr_assert_eq(hd_board_create(NULL, NULL), -EINVAL);
	cr_assert(strstr(hd_last_error(), "NULL"));
}

Test(api, create_with_unknown_preset_fails_with_a_message)
{
	struct hd_board_opts o = { .board = "no-such-board" };
	struct hd_board *b = (void *)1;

	cr_assert_eq(hd_board_create(&o, &b), -ENOENT);
	cr_assert_null(b);
	cr_assert(strstr(hd_last_error(), "not a preset"), "%s", hd_last_error());
}

Test(api, create_in_existing_directory_is_eexist)
{
	struct hd_board_opts o = { .dir = "/tmp" };
	struct hd_board *b;

	cr_assert_eq(hd_board_create(&o, &b), -EEXIST);
}

Test(api, open_of_a_missing_board_is_enoent)
{
	struct hd_board *b;

	cr_assert_eq(hd_board_open("/dev/shm/tessera-none", &b), -ENOENT);
	cr_assert_eq(hd_board_open(NULL, &b), -EINVAL);
}

Test(api, open_of_a_non_board_is_eproto)
{
	struct hd_board *b;
	char dir[] = "/tmp/tessera-api-XXXXXX", chip[64];

	cr_assert(mkdtemp(dir));
	snprintf(chip, sizeof(chip), "%s/chip", dir);
	FILE *f = fopen(chip, "w");
	fputs("not a board, just text long enough to be read as a header ...", f);
	fclose(f);
	cr_assert_eq(hd_board_open(dir, &b), -EPROTO);
	unlink(chip);
	rmdir(dir);
}

Test(api, null_board_everywhere_is_einval)
{
	struct hd_core_info ci;
	struct hd_job_result res;
	struct hd_job_opts jo = { .image = "build/apps/hello" };
	char buf[8];

	cr_assert_eq(hd_board_close(NULL), -EINVAL);
	cr_assert_eq(hd_board_destroy(NULL), -EINVAL);
	cr_assert_null(hd_board_geom(NULL));
	cr_assert_null(hd_board_handle(NULL));
	cr_assert_eq(hd_mem_read(NULL, HD_SPACE_CHIP, 0, 0, buf, 1), -EINVAL);
	cr_assert_eq(hd_core_info(NULL, 0, &ci), -EINVAL);
	cr_assert_eq(hd_job_load(NULL, &jo), -EINVAL);
	cr_assert_eq(hd_job_start(NULL, &jo), -EINVAL);
	cr_assert_eq(hd_job_wait(NULL, &res), -EINVAL);
	cr_assert_eq(hd_core_release(NULL, 0), -EINVAL);
	cr_assert_eq(hd_core_hold(NULL, 0), -EINVAL);
	cr_assert_eq(hd_board_set_output(NULL, NULL, NULL), -EINVAL);
	hd_job_interrupt(NULL);	/* must not crash */
}

Test(api, unknown_core_is_einval)
{
	struct hd_board *b = board();
	struct hd_core_info ci;
	char buf[8];

	cr_assert_eq(hd_core_info(b, 48, &ci), -EINVAL);
	cr_assert_eq(hd_core_release(b, 48), -EINVAL);
	cr_assert_eq(hd_core_hold(b, 1000), -EINVAL);
	cr_assert_eq(hd_mem_read(b, HD_SPACE_PRIVATE, 48, 0, buf, 8), -EINVAL);
	cr_assert(strstr(hd_last_error(), "the board has 48 cores"), "%s", hd_last_error());
	hd_board_close(b);
}

Test(api, release_without_a_loaded_image_is_enoexec)
{
	struct hd_board *b = board();

	cr_assert_eq(hd_core_release(b, 3), -ENOEXEC);
	cr_assert_str_eq(hd_last_error(), "core 3: nothing loaded");
	hd_board_close(b);
}

Test(api, job_with_bad_options_is_refused)
{
	struct hd_board *b = board();
	uint32_t cores[] = { 5, 5 };
	struct hd_job_opts jo = { .image = "build/apps/hello", .nranks = 2, .cores = cores };

	cr_assert_eq(hd_job_load(b, &jo), -EINVAL);
	cr_assert_str_eq(hd_last_error(), "core 5 is given to ranks 0 and 1");
	jo.nranks = 49;
	jo.cores = NULL;
	cr_assert_eq(hd_job_load(b, &jo), -EINVAL);
	jo.nranks = 1;
	jo.backend = "warp-drive";
	cr_assert_eq(hd_job_load(b, &jo), -EINVAL);
	cr_assert(strstr(hd_last_error(), "unknown backend 'warp-drive'"), "%s", hd_last_error());
	jo.backend = NULL;
	jo.image = NULL;
	cr_assert_eq(hd_job_load(b, &jo), -EINVAL);
	cr_assert_eq(hd_job_wait(b, &(struct hd_job_result){ 0 }), -EINVAL);
	hd_board_close(b);
}

Test(api, job_of_several_programs_with_bad_options_is_refused)
{
	struct hd_board *b = board();
	struct hd_job_app apps[] = {
		{ .image = "build/apps/hello", .nranks = 40 },
		{ .image = "build/tests/images/args", .nranks = 9 },
	};
	struct hd_job_opts jo = { .image = "build/apps/hello" };

	cr_assert_eq(hd_job_load_apps(NULL, &jo, apps, 2), -EINVAL);
	cr_assert_eq(hd_job_start_apps(NULL, &jo, apps, 2), -EINVAL);
	cr_assert_eq(hd_job_load_apps(b, &jo, apps, 2), -EINVAL);
	cr_assert(strstr(hd_last_error(), "the programs go in apps"), "%s", hd_last_error());
	jo.image = NULL;
	cr_assert_eq(hd_job_load_apps(b, &jo, apps, 0), -EINVAL);
	cr_assert_eq(hd_job_load_apps(b, &jo, apps, 2), -EINVAL);
	cr_assert_str_eq(hd_last_error(), "49 ranks: the board scc48 has only 48 cores");
	apps[1].nranks = 8;
	jo.nranks = 47;
	cr_assert_eq(hd_job_load_apps(b, &jo, apps, 2), -EINVAL);
	cr_assert(strstr(hd_last_error(), "the options say 47 ranks, the programs 48"), "%s",
		  hd_last_error());
	jo.nranks = 0;
	apps[1].nranks = 0;
	cr_assert_eq(hd_job_load_apps(b, &jo, apps, 2), -EINVAL);
	cr_assert_str_eq(hd_last_error(), "program 1: no image, or no ranks");
	apps[1].nranks = 1;
	apps[1].argc = 1;
	cr_assert_eq(hd_job_load_apps(b, &jo, apps, 2), -EINVAL);
	cr_assert(strstr(hd_last_error(), "bad argc/argv"), "%s", hd_last_error());
	hd_board_close(b);
}

Test(api, image_for_another_arch_is_enoexec)
{
	struct hd_board *b = board();
	char path[] = "/tmp/tessera-api-img-XXXXXX";
	FILE *in = fopen("build/apps/hello", "rb");
	int fd = mkstemp(path);
	static unsigned char d[4 << 20];
	size_t n = fread(d, 1, sizeof(d), in);
	unsigned char *note = memmem(d, 4096, "tessera", 8);

	fclose(in);
	cr_assert(note);
	note[8 + 4] = 2;	/* desc.arch: TESSERA_ARCH_I386 */
	cr_assert_eq(write(fd, d, n), (ssize_t)n);
	close(fd);
	struct hd_job_opts jo = { .image = path };
	cr_assert_eq(hd_job_load(b, &jo), -ENOEXEC);
	/* an x86-64 ELF whose note says i386: refused by the image check itself */
	char want[64];
	snprintf(want, sizeof(want), ": tile image of ABI %u for i386 does not match",
		 TESSERA_ABI_VERSION);
	cr_assert(strstr(hd_last_error(), want), "%s", hd_last_error());
	unlink(path);
	hd_board_close(b);
}

Test(api, memory_outside_the_board_is_efault)
{
	struct hd_board *b = board();
	const struct tessera_layout *l = hd_board_layout(b);
	char buf[16];

	cr_assert_eq(hd_mem_read(b, HD_SPACE_CHIP, 0, l->chip_bytes - 8, buf, 16), -EFAULT);
	cr_assert_eq(hd_mem_read(b, HD_SPACE_PRIVATE, 0, l->private_bytes, buf, 1), -EFAULT);
	cr_assert_eq(hd_mem_read(b, HD_SPACE_CORE, 0, 0x50000000, buf, 1), -EFAULT);
	cr_assert_eq(hd_mem_read(b, HD_SPACE_CORE, 0, 0xD8000000 + 16380, buf, 8), -EFAULT);
	cr_assert_eq(hd_mem_read(b, 77, 0, 0, buf, 1), -EINVAL);
	hd_board_close(b);
}

Test(api, memory_written_through_a_lut_lands_in_the_mpb)
{
	struct hd_board *b = board();
	const struct tessera_layout *l = hd_board_layout(b);
	char got[4];

	/* core 13 sits on tile 6: its own-MPB alias is tile 6's MPB */
	cr_assert_eq(hd_mem_write(b, HD_SPACE_CORE, 13, 0xD8000000 + 100, "abc", 4), 0);
	cr_assert_eq(hd_mem_read(b, HD_SPACE_CHIP, 0, tessera_mpb_off(l, 6) + 100, got, 4), 0);
	cr_assert_str_eq(got, "abc");
	cr_assert_eq(hd_mem_read(b, HD_SPACE_CORE, 0, 0xC6000000 + 100, got, 4), 0);
	cr_assert_str_eq(got, "abc");
	hd_board_close(b);
}

Test(api, close_removes_the_board_and_persistent_survives)
{
	struct hd_board_opts o = { .persistent = 1 };
	struct hd_board *b = board(), *p, *again;
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s", hd_board_handle(b));
	cr_assert_eq(access(dir, F_OK), 0);
	hd_board_close(b);
	cr_assert_neq(access(dir, F_OK), 0);
	cr_assert_eq(hd_board_create(&o, &p), 0);
	snprintf(dir, sizeof(dir), "%s", hd_board_handle(p));
	hd_board_close(p);
	cr_assert_eq(access(dir, F_OK), 0);
	cr_assert_eq(hd_board_open(dir, &again), 0);
	cr_assert_eq(hd_board_geom(again)->mesh_x, 6);
	cr_assert_eq(hd_board_destroy(again), 0);
	cr_assert_neq(access(dir, F_OK), 0);
	/* a destroyed board is gone for everyone */
	cr_assert_eq(hd_board_open(dir, &again), -ENOENT);
}
