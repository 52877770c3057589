// SPDX-License-Identifier: MIT
/*
 * luts.c: the host's copy of every core's LUT. The LUTs live in the tiles' CRBs, which every
 * core can write (as on the SCC), and a core's address space is built from its LUT when it
 * is released. On a board that stays up (tessera boot), a tile could rewrite another core's
 * LUT and so damage a later job. So the host keeps what it wrote, in the board directory's
 * file `luts` (which no core maps and no host call reaches): the LUTs as made with the
 * board, and whatever the host writes into a LUT later (tessera write). At every load and
 * every release a core's LUT is checked against that copy and put back if a tile changed
 * it. Not the map itself (geom.c builds it) and not its use (the backends).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "hd_impl.h"

static int luts_open(struct hd_board *b, int flags)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/luts", b->dir);
	return open(path, flags | O_CLOEXEC, 0600);
}

void hd_luts_keep(struct hd_board *b)
{
	int fd = luts_open(b, O_RDWR | O_CREAT | O_TRUNC);

	if (fd < 0)
		return;
	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++)
		if (pwrite(fd, hd_lut(b, c), TESSERA_LUT_BYTES, (off_t)c * TESSERA_LUT_BYTES) !=
		    (ssize_t)TESSERA_LUT_BYTES)
			break;
	close(fd);
}

void hd_luts_note_write(struct hd_board *b, uint64_t off, uint64_t n)
{
	int fd = -1;

	if (b->pci)
		return;
	for (uint32_t c = 0; c < tessera_cores(&b->geom); c++) {
		uint64_t lo = tessera_lut_off(&b->geom, &b->layout, c), hi = lo + TESSERA_LUT_BYTES;

		if (off >= hi || off + n <= lo)
			continue;
		if (fd < 0 && (fd = luts_open(b, O_RDWR)) < 0)
			return;
		if (pwrite(fd, hd_lut(b, c), TESSERA_LUT_BYTES, (off_t)c * TESSERA_LUT_BYTES) !=
		    (ssize_t)TESSERA_LUT_BYTES)
			break;
	}
	if (fd >= 0)
		close(fd);
}

void hd_luts_get(struct hd_board *b, uint32_t core, struct tessera_lut_entry *want)
{
	int fd = luts_open(b, O_RDONLY);
	ssize_t got = -1;

	if (fd >= 0) {
		got = pread(fd, want, TESSERA_LUT_BYTES, (off_t)core * TESSERA_LUT_BYTES);
		close(fd);
	}
	if (got != (ssize_t)TESSERA_LUT_BYTES)	/* no copy: the map as the board was made */
		hd_lut_build(&b->geom, &b->layout, core, want);
}

int hd_luts_restore(struct hd_board *b, uint32_t core)
{
	struct tessera_lut_entry want[TESSERA_LUT_ENTRIES];

	hd_luts_get(b, core, want);
	if (!memcmp(hd_lut(b, core), want, sizeof(want)))
		return 0;
	memcpy(hd_lut(b, core), want, sizeof(want));
	return 1;
}
