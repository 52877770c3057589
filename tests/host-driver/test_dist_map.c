// SPDX-License-Identifier: MIT
/*
 * test_dist_map.c: which host runs which tile of a distributed board (host-driver/dist_map.c):
 * the default cut into rectangles, rows, explicit lists, and the maps refused.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "hd_impl.h"
#include "dist.h"

static struct tessera_geom scc48(void)
{
	struct tessera_geom g;

	cr_assert_eq(hd_geom_preset("scc48", &g), 0);
	return g;
}

Test(dist_map, two_hosts_split_scc48_into_left_and_right_halves)
{
	struct tessera_geom g = scc48();
	uint8_t th[TESSERA_MAX_TILES];

	cr_assert_eq(hd_dist_map(&g, 2, NULL, th), 0);
	for (uint32_t t = 0; t < 24; t++)
		cr_expect_eq(th[t], t % 6 < 3 ? 0 : 1, "tile %u", t);
}

Test(dist_map, four_hosts_get_three_by_two_blocks)
{
	struct tessera_geom g = scc48();
	uint8_t th[TESSERA_MAX_TILES];

	cr_assert_eq(hd_dist_map(&g, 4, "blocks", th), 0);
	for (uint32_t t = 0; t < 24; t++)
		cr_expect_eq(th[t], (t / 6 < 2 ? 0 : 2) + (t % 6 < 3 ? 0 : 1), "tile %u", t);
}

Test(dist_map, a_square_mesh_is_cut_in_rows_of_hosts_on_a_tie)
{
	struct tessera_geom g;
	uint8_t th[TESSERA_MAX_TILES];

	cr_assert_eq(hd_geom_preset("mesh10x10", &g), 0);
	cr_assert_eq(hd_dist_map(&g, 2, NULL, th), 0);
	cr_expect_eq(th[49], 0);
	cr_expect_eq(th[50], 1);
	cr_expect_eq(th[9], 0);
}

Test(dist_map, seven_hosts_that_no_rectangle_cut_fits_get_rows)
{
	struct tessera_geom g = scc48();
	uint8_t th[TESSERA_MAX_TILES];
	uint32_t count[7] = { 0 };

	cr_assert_eq(hd_dist_map(&g, 7, NULL, th), 0);
	for (uint32_t t = 0; t < 24; t++) {
		count[th[t]]++;
		if (t)
			cr_expect_geq(th[t], th[t - 1], "rows are runs of consecutive tiles");
	}
	for (uint32_t h = 0; h < 7; h++)
		cr_expect(count[h] == 3 || count[h] == 4, "host %u has %u tiles", h, count[h]);
}

Test(dist_map, lists_give_each_host_its_tiles)
{
	struct tessera_geom g = scc48();
	uint8_t th[TESSERA_MAX_TILES];

	cr_assert_eq(hd_dist_map(&g, 3, "0-7/8-15,20/16-19,21-23", th), 0);
	cr_expect_eq(th[0], 0);
	cr_expect_eq(th[7], 0);
	cr_expect_eq(th[8], 1);
	cr_expect_eq(th[20], 1);
	cr_expect_eq(th[19], 2);
	cr_expect_eq(th[23], 2);
}

Test(dist_map, bad_maps_are_refused_with_the_reason)
{
	struct tessera_geom g = scc48();
	uint8_t th[TESSERA_MAX_TILES];

	cr_expect_eq(hd_dist_map(&g, 2, "0-11/11-23", th), -EINVAL);
	cr_expect(strstr(hd_last_error(), "tile 11 is given twice"), "%s", hd_last_error());
	cr_expect_eq(hd_dist_map(&g, 2, "0-11/12-22", th), -EINVAL);
	cr_expect(strstr(hd_last_error(), "tile 23 is on no host"), "%s", hd_last_error());
	cr_expect_eq(hd_dist_map(&g, 3, "0-11/12-23", th), -EINVAL);
	cr_expect(strstr(hd_last_error(), "names 2 hosts"), "%s", hd_last_error());
	cr_expect_eq(hd_dist_map(&g, 2, "0-11/12-24", th), -EINVAL);
	cr_expect_eq(hd_dist_map(&g, 2, "0-x/12-23", th), -EINVAL);
	cr_expect_eq(hd_dist_map(&g, 25, NULL, th), -EINVAL);
	cr_expect(strstr(hd_last_error(), "every host needs a tile"), "%s", hd_last_error());
	cr_expect_eq(hd_dist_map(&g, 0, NULL, th), -EINVAL);
	cr_expect_eq(hd_dist_map(&g, 2, "0-23/", th), -EINVAL);
	cr_expect(strstr(hd_last_error(), "host 1 has no tile"), "%s", hd_last_error());
}
