// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
/* test_image.c: the tile image checks of host-driver/image.c, on good and broken ELF files. */
#include <criterion/criterion.h>
#include <errno.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hd_impl.h"

#define DRAM (64ull << 20)
#define HELLO "build/apps/hello"

static uint8_t *load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *d;

	cr_assert(f, "%s missing (make first)", path);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	rewind(f);
	d = malloc(*n);
	cr_assert_eq(fread(d, 1, *n, f), *n);
	fclose(f);
	return d;
}

Test(image, hello_is_an_emu_image)
{
	struct hd_image img;

	cr_assert_eq(hd_image_read(HELLO, DRAM, &img), 0, "%s", hd_last_error());
	cr_assert_eq(img.arch, TESSERA_ARCH_EMU);
	cr_assert(img.entry >= TESSERA_ADDR_IMAGE && img.entry < img.end);
	cr_assert(img.nseg >= 1);
	cr_assert_eq(img.seg[0].vaddr, TESSERA_ADDR_IMAGE);
	cr_assert_eq(img.end % 4096, 0);
	hd_image_free(&img);
}

Test(image, every_truncation_is_refused_cleanly)
{
	size_t n;
	uint8_t *d = load(HELLO, &n);

	/* Cut the file at many points: never accepted, never a crash. */
	for (size_t cut = 0; cut < n; cut += cut < 4096 ? 7 : 4093) {
		struct hd_image img;
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, d, cut);
		int rc = hd_image_parse("cut", copy, cut, DRAM, &img);
		/* the loadable segments end well before the debug info: a cut there is fine */
		if (rc == 0) {
			cr_assert(cut > img.seg[img.nseg - 1].off + img.seg[img.nseg - 1].filesz);
			hd_image_free(&img);
		} else {
			cr_assert_eq(rc, -ENOEXEC, "cut at %zu: %d", cut, rc);
		}
	}
	free(d);
}

Test(image, garbled_headers_are_refused)
{
	size_t n;
	uint8_t *d = load(HELLO, &n);
	unsigned seed = 1;

	for (int round = 0; round < 300; round++) {
		struct hd_image img;
		uint8_t *copy = malloc(n);
		memcpy(copy, d, n);
		/* flip bytes in the ELF header and program headers */
		for (int k = 0; k < 4; k++)
			copy[rand_r(&seed) % 256] ^= (uint8_t)(1 + rand_r(&seed) % 255);
		int rc = hd_image_parse("garbled", copy, n, DRAM, &img);
		if (rc == 0) {
			/* what is accepted still satisfies every invariant */
			cr_assert(img.entry >= TESSERA_ADDR_IMAGE && img.entry < img.end);
			for (unsigned i = 0; i < img.nseg; i++) {
				cr_assert(img.seg[i].off + img.seg[i].filesz <= n);
				cr_assert(img.seg[i].vaddr + img.seg[i].memsz <= DRAM);
				cr_assert(img.seg[i].vaddr >= TESSERA_ADDR_IMAGE);
			}
			hd_image_free(&img);
		}
	}
	free(d);
}

Test(image, not_elf_is_refused)
{
	struct hd_image img;
	uint8_t *d = malloc(64);

	memset(d, 'x', 64);
	cr_assert_eq(hd_image_parse("text", d, 64, DRAM, &img), -ENOEXEC);
	cr_assert_str_eq(hd_last_error(), "text: not an ELF file");
}

Test(image, image_without_note_is_refused)
{
	size_t n;
	uint8_t *d = load(HELLO, &n);
	struct hd_image img;
	uint8_t *p = memmem(d, 4096, "tessera", 8);

	cr_assert(p);
	memcpy(p, "notours", 8);
	cr_assert_eq(hd_image_parse("plain", d, n, DRAM, &img), -ENOEXEC);
	cr_assert_str_eq(hd_last_error(), "plain: not a tessera tile image (no tessera note; build it with tessera-mpicc)");
}

Test(image, image_too_big_for_dram_is_efbig)
{
	struct hd_image img;

	cr_assert_eq(hd_image_read(HELLO, 1ull << 20, &img), -EFBIG);
}

Test(image, shared_object_is_refused)
{
	struct hd_image img;
	size_t n;
	uint8_t *d = load("/bin/true", &n);

	cr_assert_eq(hd_image_parse("/bin/true", d, n, DRAM, &img), -ENOEXEC);
	cr_assert(strstr(hd_last_error(), "shared object or PIE"), "%s", hd_last_error());
}
