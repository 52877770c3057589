// SPDX-License-Identifier: MIT
/* test_geom.c: presets, board files and the LUT of host-driver/geom.c. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "hd_impl.h"

Test(geom, scc48_preset_is_the_scc)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_preset("scc48", &g), 0);
	cr_assert_eq(g.mesh_x, 6);
	cr_assert_eq(g.mesh_y, 4);
	cr_assert_eq(g.cores_per_tile, 2);
	cr_assert_eq(g.mpb_bytes, 16384);
	cr_assert_eq(tessera_cores(&g), 48);
	cr_assert_eq(tessera_core_mpb_bytes(&g), 8192);
	cr_assert_eq(tessera_tile_stride(&g), 16u << 20);
}

Test(geom, unknown_preset_is_enoent)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_preset("scc4800", &g), -ENOENT);
}

Test(geom, core_numbering_follows_the_scc)
{
	struct tessera_geom g;

	hd_geom_preset("scc48", &g);
	cr_assert_eq(tessera_core_id(&g, 5, 3, 1), 47);
	cr_assert_eq(tessera_core_x(&g, 47), 5);
	cr_assert_eq(tessera_core_y(&g, 47), 3);
	cr_assert_eq(tessera_core_z(&g, 47), 1);
	cr_assert_eq(tessera_core_id(&g, 1, 0, 0), 2);
	cr_assert_eq(tessera_hops(&g, 0, 23), 8);
}

Test(geom, scc48_addresses_match_the_scc_map)
{
	struct tessera_geom g;

	hd_geom_preset("scc48", &g);
	cr_assert_eq(tessera_mpb_addr(&g, 0), 0xC0000000u);
	cr_assert_eq(tessera_mpb_addr(&g, 23), 0xD7000000u);
	cr_assert_eq(tessera_core_mpb_addr(&g, 3), 0xC1002000u);
	cr_assert_eq(tessera_crb_addr(&g, 23), 0xF7000000u);
}

Test(geom, mesh32x32_uses_a_fine_stride)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_preset("mesh32x32", &g), 0);
	cr_assert_eq(hd_geom_check(&g), 0);
	cr_assert_eq(tessera_tile_stride(&g), 16384);
	cr_assert_eq(tessera_mpb_addr(&g, 1023), 0xC0000000u + 1023u * 16384u);
}

Test(geom, board_file_overrides_its_base)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_parse("# mine\nbase = mesh8x8\nmesh_x = 4 # narrower\n\nprivate_mb=16\n"
				   "name = tiny\n", "f.board", &g), 0, "%s", hd_last_error());
	cr_assert_eq(g.mesh_x, 4);
	cr_assert_eq(g.mesh_y, 8);
	cr_assert_eq(g.cores_per_tile, 1);
	cr_assert_eq(g.private_mb, 16);
	cr_assert_str_eq(g.name, "tiny");
}

Test(geom, board_file_takes_k_suffix)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_parse("mpb_bytes = 32K\n", "f", &g), 0, "%s", hd_last_error());
	cr_assert_eq(g.mpb_bytes, 32768);
}

Test(geom, bad_number_names_line_and_key)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_parse("mesh_x = 2\n\nmesh_y = two\n", "b.txt", &g), -EINVAL);
	cr_assert_str_eq(hd_last_error(), "b.txt:3: key 'mesh_y': 'two' is not a number");
}

Test(geom, unknown_key_is_refused)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_parse("colour = blue\n", "b", &g), -EINVAL);
	cr_assert_str_eq(hd_last_error(), "b:1: unknown key 'colour'");
}

Test(geom, out_of_range_value_is_refused)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_parse("cores_per_tile = 9\n", "b", &g), -EINVAL);
	cr_assert_str_eq(hd_last_error(), "b:1: key 'cores_per_tile': 9 is out of range 1..8");
}

Test(geom, line_without_equals_is_refused)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_parse("mesh_x 4\n", "b", &g), -EINVAL);
	cr_assert_str_eq(hd_last_error(), "b:1: expected `key = value`, got `mesh_x 4`");
}

Test(geom, base_after_keys_is_refused)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_parse("mesh_x = 2\nbase = scc48\n", "b", &g), -EINVAL);
	cr_assert_str_eq(hd_last_error(), "b:2: key 'base' must come before other keys");
}

Test(geom, inconsistent_geometry_is_refused_after_parsing)
{
	struct tessera_geom g;

	/* 3 cores cannot share 16 KB in whole lines of at least 2 KB each: 5461 bytes */
	cr_assert_eq(hd_geom_parse("cores_per_tile = 3\n", "b", &g), -EINVAL);
	cr_assert(strstr(hd_last_error(), "mpb_bytes must be"), "%s", hd_last_error());
}

Test(geom, too_many_cores_are_refused)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_parse("mesh_x = 64\nmesh_y = 64\n", "b", &g), -EINVAL);
	cr_assert(strstr(hd_last_error(), "at most 1024 tiles"), "%s", hd_last_error());
}

Test(lut, scc48_core_sees_the_scc_map)
{
	struct tessera_geom g;
	struct tessera_layout l;
	struct tessera_lut_entry lut[TESSERA_LUT_ENTRIES];

	hd_geom_preset("scc48", &g);
	tessera_layout_compute(&g, &l);
	hd_lut_build(&g, &l, 13, lut);	/* core 13: tile 6 (x 0, y 1), z 1 */
	cr_assert_eq(lut[0x00].kind, TESSERA_LUT_PRIVATE);
	cr_assert_eq(lut[0x03].kind, TESSERA_LUT_PRIVATE);
	cr_assert_eq(lut[0x03].offset, 3u << 24);
	cr_assert_eq(lut[0x27].kind, TESSERA_LUT_PRIVATE);
	cr_assert_eq(lut[0x28].kind, TESSERA_LUT_NONE);	/* 640 MB of private DRAM */
	cr_assert_eq(lut[0x80].kind, TESSERA_LUT_CHIP);
	cr_assert_eq(lut[0x80].offset, l.shared_off);
	cr_assert_eq(lut[0xC6].offset, tessera_mpb_off(&l, 6));
	cr_assert_eq(lut[0xC6].bytes, 16384);
	cr_assert_eq(lut[0xD8].offset, tessera_mpb_off(&l, 6));	/* own tile alias */
	cr_assert_eq(lut[0xD8].bytes, 16384);
	cr_assert_eq(lut[0xF8].offset, tessera_crb_off(&l, 6));
	cr_assert_eq(lut[0xF9].offset, l.boardreg_off);
	cr_assert_eq(lut[0xFA].offset, tessera_hostwin_off(&l, 13));
	cr_assert_eq(lut[0xD9].kind, TESSERA_LUT_NONE);
	cr_assert_eq(lut[0xFB].kind, TESSERA_LUT_NONE);
}

Test(lut, fine_stride_maps_many_tiles_per_entry)
{
	struct tessera_geom g;
	struct tessera_layout l;
	struct tessera_lut_entry lut[TESSERA_LUT_ENTRIES];

	hd_geom_preset("mesh32x32", &g);
	tessera_layout_compute(&g, &l);
	hd_lut_build(&g, &l, 1000, lut);
	cr_assert_eq(lut[0xC0].kind, TESSERA_LUT_CHIP);
	cr_assert_eq(lut[0xC0].offset, l.mpb_off);
	cr_assert_eq(lut[0xC0].bytes, 16u << 20);	/* 1024 tiles x 16 KB */
	cr_assert_eq(lut[0xC1].kind, TESSERA_LUT_NONE);
	cr_assert_eq(lut[0xE0].offset, l.crb_off);
	cr_assert_eq(lut[0xFA].offset, tessera_hostwin_off(&l, 1000));
}

Test(layout, regions_are_page_aligned_and_ordered)
{
	struct tessera_geom g;
	struct tessera_layout l;

	hd_geom_preset("scc48", &g);
	tessera_layout_compute(&g, &l);
	cr_assert_eq(l.header_off, 0);
	cr_assert(l.boardreg_off >= l.header_off + l.header_bytes);
	cr_assert(l.crb_off > l.boardreg_off && l.mpb_off > l.crb_off);
	cr_assert(l.hostwin_off > l.mpb_off && l.shared_off > l.hostwin_off);
	cr_assert_eq(l.mpb_off % 4096, 0);
	cr_assert_eq(l.hostwin_off % 4096, 0);
	cr_assert_eq(l.shared_off % 4096, 0);
	cr_assert_eq(l.chip_bytes, l.shared_off + (64u << 20));
}

Test(geom, suffix_that_would_wrap_is_not_a_number)
{
	struct tessera_geom g;

	/* 2^44 M is 2^64 bytes: shifted, it wraps to 0, which shared_mb takes */
	cr_assert_eq(hd_geom_parse("shared_mb = 17592186044416M\n", "b.board", &g), -EINVAL);
	cr_assert_str_eq(hd_last_error(),
			 "b.board:1: key 'shared_mb': '17592186044416M' is not a number");
}
