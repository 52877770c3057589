// SPDX-License-Identifier: MIT
/* info.c: `tessera info`: a board's geometry and its core address map (as core 0's LUT says). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "tessera/host.h"
#include "ht.h"

static const char info_usage[] =
	"usage: tessera info [--board NAME|FILE | --on HANDLE]\n"
	"  Prints the geometry, the chip layout and the core address map.\n";

int ht_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "board", required_argument, 0, 'b' }, { "on", required_argument, 0, 'o' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	const char *board = NULL, *on = NULL;
	struct tessera_geom g;
	struct tessera_layout l;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'b')
			board = optarg;
		else if (c == 'o')
			on = optarg;
		else if (c == 'h') {
			fputs(info_usage, stdout);
			return 0;
		} else
			ht_die(2, "info: unknown or incomplete option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		ht_die(2, "info: unexpected argument '%s'", argv[optind]);
	if (!on && board && ht_is_board_handle(board))
		on = board;
	if (on) {
		struct hd_board *b;
		if (hd_board_open(on, &b))
			ht_die(1, "%s", hd_last_error());
		g = *hd_board_geom(b);
		hd_board_close(b);
	} else if (hd_geom_load(board, &g)) {
		ht_die(1, "%s", hd_last_error());
	}
	tessera_layout_compute(&g, &l);
	printf("board %s: %ux%u tiles, %u cores per tile, %u cores\n", g.name, g.mesh_x, g.mesh_y,
	       g.cores_per_tile, tessera_cores(&g));
	printf("  MPB %u bytes per tile (%u per core), %u-byte lines\n", g.mpb_bytes,
	       tessera_core_mpb_bytes(&g), g.line_bytes);
	printf("  private DRAM %u MB per core, shared DRAM %u MB\n", g.private_mb, g.shared_mb);
	printf("  clocks: core %u MHz, mesh %u MHz, memory %u MHz; %u cycles per hop\n",
	       g.core_mhz, g.mesh_mhz, g.mem_mhz, g.hop_cycles);
	printf("  chip file %llu bytes; tile stride %u bytes\n",
	       (unsigned long long)l.chip_bytes, tessera_tile_stride(&g));
	printf("core address map:\n");
	printf("  0x%08x  private DRAM (%u MB; image at 0x%08x, boot info at 0x%08x)\n",
	       TESSERA_ADDR_PRIVATE, g.private_mb, TESSERA_ADDR_IMAGE, TESSERA_ADDR_BOOTINFO);
	printf("  0x%08x  shared DRAM (%u MB)\n", TESSERA_ADDR_SHARED, g.shared_mb);
	printf("  0x%08x  MPBs: tile t at 0x%08x + t * 0x%x (last 0x%08x)\n", TESSERA_ADDR_MPB,
	       TESSERA_ADDR_MPB, tessera_tile_stride(&g), tessera_mpb_addr(&g, tessera_tiles(&g) - 1));
	printf("  0x%08x  own tile's MPB\n", TESSERA_ADDR_OWN_MPB);
	printf("  0x%08x  CRBs: tile t at 0x%08x + t * 0x%x (last 0x%08x)\n", TESSERA_ADDR_CRB,
	       TESSERA_ADDR_CRB, tessera_tile_stride(&g), tessera_crb_addr(&g, tessera_tiles(&g) - 1));
	printf("  0x%08x  own tile's CRB\n", TESSERA_ADDR_OWN_CRB);
	printf("  0x%08x  board registers\n", TESSERA_ADDR_BOARDREG);
	printf("  0x%08x  host window (console, host calls, status, trace)\n", TESSERA_ADDR_HOSTWIN);
	return 0;
}
