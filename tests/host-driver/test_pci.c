// SPDX-License-Identifier: MIT
/* test_pci.c: the device-free part of the pci backend (backend/pci/pci_parse.c): board
 * handles, the SCC FPGA's ids, and board headers that are truncated, forged or too big. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hd_impl.h"
#include "backend/pci/pci_impl.h"

#define WHERE "board pci:test: 0000:00:05.0 BAR 2"

/* ---- handles ---- */

Test(pci_spec, vendor_device_names_a_device_by_id)
{
	struct hd_pci_spec sp;

	cr_assert_eq(hd_pci_spec_parse("pci:1af4:1110", &sp), 0);
	cr_assert_eq(sp.by_id, 1);
	cr_assert_eq(sp.vendor, 0x1af4);
	cr_assert_eq(sp.device, 0x1110);
	cr_assert_eq(sp.bar, -1);
}

Test(pci_spec, ids_take_0x_and_capitals)
{
	struct hd_pci_spec sp;

	cr_assert_eq(hd_pci_spec_parse("pci:0x8086:0XC148", &sp), 0);
	cr_assert_eq(sp.vendor, 0x8086);
	cr_assert_eq(sp.device, 0xc148);
}

Test(pci_spec, full_address_names_a_slot)
{
	struct hd_pci_spec sp;

	cr_assert_eq(hd_pci_spec_parse("pci:0001:3a:1f.7", &sp), 0);
	cr_assert_eq(sp.by_id, 0);
	cr_assert_eq(sp.domain, 1);
	cr_assert_eq(sp.bus, 0x3a);
	cr_assert_eq(sp.dev, 0x1f);
	cr_assert_eq(sp.func, 7);
}

Test(pci_spec, address_without_domain_is_domain_0)
{
	struct hd_pci_spec sp;

	cr_assert_eq(hd_pci_spec_parse("pci:00:05.0", &sp), 0);
	cr_assert_eq(sp.by_id, 0);
	cr_assert_eq(sp.domain, 0);
	cr_assert_eq(sp.bus, 0);
	cr_assert_eq(sp.dev, 5);
	cr_assert_eq(sp.func, 0);
}

Test(pci_spec, bar_option_names_the_bar)
{
	struct hd_pci_spec sp;

	cr_assert_eq(hd_pci_spec_parse("pci:1af4:1110,bar=2", &sp), 0);
	cr_assert_eq(sp.bar, 2);
	cr_assert_eq(hd_pci_spec_parse("pci:0000:00:05.0,bar=5", &sp), 0);
	cr_assert_eq(sp.bar, 5);
	cr_assert_eq(sp.dev, 5);
}

Test(pci_spec, no_device_is_einval_and_shows_the_forms)
{
	struct hd_pci_spec sp;

	cr_assert_eq(hd_pci_spec_parse("pci", &sp), -EINVAL);
	cr_assert_not_null(strstr(hd_last_error(), "pci:VENDOR:DEVICE"));
	cr_assert_eq(hd_pci_spec_parse("pci:", &sp), -EINVAL);
	cr_assert_eq(hd_pci_spec_parse("pci:,bar=2", &sp), -EINVAL);
}

Test(pci_spec, other_handles_are_not_pci)
{
	struct hd_pci_spec sp;

	cr_assert_eq(hd_pci_spec_parse("pcie:1af4:1110", &sp), -EINVAL);
	cr_assert_eq(hd_pci_spec_parse("/dev/shm/board", &sp), -EINVAL);
}

Test(pci_spec, malformed_devices_are_einval)
{
	static const char *bad[] = {
		"pci:1af4", "pci:1af4:", "pci::1110", "pci:1af4:1110:0", "pci:10000:1110",
		"pci:1af4:1g10", "pci:1af4 :1110", "pci:-1:1110", "pci:00:05", "pci:05.0",
		"pci:00:05.", "pci:00:.0", "pci:100:05.0", "pci:00:20.0", "pci:00:05.8",
		"pci:0:0:00:05.0", "pci:00:05.0.1", "pci:0x:05.0", "pci:123456789:00:05.0",
		"pci:ffff:1110", "pci:0000:1110",
	};
	struct hd_pci_spec sp;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(hd_pci_spec_parse(bad[i], &sp), -EINVAL, "%s was accepted", bad[i]);
}

Test(pci_spec, bad_options_are_einval)
{
	static const char *bad[] = {
		"pci:1af4:1110,bar=6", "pci:1af4:1110,bar=", "pci:1af4:1110,bar=x",
		"pci:1af4:1110,bar=-1", "pci:1af4:1110,bar= 2", "pci:1af4:1110,bar=2,bar=2",
		"pci:1af4:1110,bar=99999999999", "pci:1af4:1110,", "pci:1af4:1110,size=4",
		"pci:1af4:1110,bar",
	};
	struct hd_pci_spec sp;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(hd_pci_spec_parse(bad[i], &sp), -EINVAL, "%s was accepted", bad[i]);
}

Test(pci_spec, refusal_leaves_the_output_alone)
{
	struct hd_pci_spec sp = { .bar = 4, .vendor = 7 };

	cr_assert_eq(hd_pci_spec_parse("pci:1af4:1110,bar=9", &sp), -EINVAL);
	cr_assert_eq(sp.bar, 4);
	cr_assert_eq(sp.vendor, 7);
}

/* ---- the SCC's FPGA ---- */

Test(pci_fpga, rocky_lake_and_copper_ridge_are_recognised)
{
	cr_assert_str_eq(hd_pci_scc_fpga(0x8086, 0xc148), "Rocky Lake");
	cr_assert_str_eq(hd_pci_scc_fpga(0x8086, 0xc048), "Copper Ridge");
}

Test(pci_fpga, other_devices_are_not_the_fpga)
{
	cr_assert_null(hd_pci_scc_fpga(0x1af4, 0x1110));
	cr_assert_null(hd_pci_scc_fpga(0x1af4, 0xc148));
	cr_assert_null(hd_pci_scc_fpga(0x8086, 0xc149));
}

/* ---- headers ---- */

/* A header as hd_board_create writes it, for the scc48 board. */
static struct tessera_header *good_header(void)
{
	struct tessera_header *h = calloc(1, sizeof(*h));

	cr_assert_not_null(h);
	cr_assert_eq(hd_geom_load("scc48", &h->geom), 0);
	tessera_layout_compute(&h->geom, &h->layout);
	h->magic = TESSERA_BOARD_MAGIC;
	h->version = TESSERA_LAYOUT_VERSION;
	h->header_bytes = (uint32_t)tessera_round_page(sizeof(*h));
	return h;
}

#define BAR_128M (128ull << 20)

static int check(const struct tessera_header *h, size_t avail, uint64_t bar)
{
	struct tessera_geom g;
	struct tessera_layout l;

	return hd_pci_header_check(h, avail, bar, WHERE, &g, &l);
}

Test(pci_header, good_header_gives_geometry_and_layout)
{
	struct tessera_header *h = good_header();
	struct tessera_geom g;
	struct tessera_layout l;

	cr_assert_eq(hd_pci_header_check(h, sizeof(*h), BAR_128M, WHERE, &g, &l), 0);
	cr_assert_eq(tessera_cores(&g), 48);
	cr_assert_str_eq(g.name, "scc48");
	cr_assert_eq(memcmp(&l, &h->layout, sizeof(l)), 0);
	free(h);
}

Test(pci_header, bar_exactly_the_chip_is_enough)
{
	struct tessera_header *h = good_header();

	cr_assert_eq(check(h, sizeof(*h), h->layout.chip_bytes), 0);
	free(h);
}

Test(pci_header, bar_smaller_than_the_chip_is_enospc)
{
	struct tessera_header *h = good_header();

	cr_assert_eq(check(h, sizeof(*h), h->layout.chip_bytes - TESSERA_PAGE_BYTES), -ENOSPC);
	cr_assert_not_null(strstr(hd_last_error(), "too small for the board's chip"));
	free(h);
}

Test(pci_header, bar_smaller_than_a_header_is_enospc)
{
	cr_assert_eq(check(NULL, 0, 256), -ENOSPC);
	cr_assert_not_null(strstr(hd_last_error(), "too small for a board header"));
	cr_assert_eq(strncmp(hd_last_error(), WHERE, strlen(WHERE)), 0);
}

Test(pci_header, truncated_header_is_enospc)
{
	struct tessera_header *h = good_header();

	cr_assert_eq(check(h, sizeof(*h) - 1, BAR_128M), -ENOSPC);
	cr_assert_eq(check(h, 7, BAR_128M), -ENOSPC);
	cr_assert_eq(check(h, 0, BAR_128M), -ENOSPC);
	free(h);
}

Test(pci_header, magic_alone_is_enough_to_refuse)
{
	uint64_t junk = 0x1122334455667788ull;

	cr_assert_eq(check((const void *)&junk, sizeof(junk), BAR_128M), -EPROTO);
	cr_assert_not_null(strstr(hd_last_error(), "not a tessera board"));
}

Test(pci_header, zero_magic_says_no_board)
{
	struct tessera_header *h = good_header();

	h->magic = 0;
	cr_assert_eq(check(h, sizeof(*h), BAR_128M), -EPROTO);
	cr_assert_not_null(strstr(hd_last_error(), "no tessera board"));
	free(h);
}

Test(pci_header, all_ones_says_the_device_does_not_answer)
{
	struct tessera_header *h = good_header();

	memset(h, 0xff, sizeof(*h));
	cr_assert_eq(check(h, sizeof(*h), BAR_128M), -EPROTO);
	cr_assert_not_null(strstr(hd_last_error(), "all ones"));
	free(h);
}

Test(pci_header, byte_swapped_magic_is_named)
{
	struct tessera_header *h = good_header();

	h->magic = __builtin_bswap64(TESSERA_BOARD_MAGIC);
	cr_assert_eq(check(h, sizeof(*h), BAR_128M), -EPROTO);
	cr_assert_not_null(strstr(hd_last_error(), "byte-swapped"));
	free(h);
}

Test(pci_header, other_layout_version_is_eproto)
{
	struct tessera_header *h = good_header();

	h->version = TESSERA_LAYOUT_VERSION + 1;
	cr_assert_eq(check(h, sizeof(*h), BAR_128M), -EPROTO);
	cr_assert_not_null(strstr(hd_last_error(), "layout version"));
	free(h);
}

Test(pci_header, wrong_header_bytes_is_eproto)
{
	struct tessera_header *h = good_header();

	h->header_bytes = 4096;
	cr_assert_eq(check(h, sizeof(*h), BAR_128M), -EPROTO);
	free(h);
}

Test(pci_header, forged_geometry_is_eproto)
{
	struct tessera_header *h = good_header();

	h->geom.mesh_x = 0;
	cr_assert_eq(check(h, sizeof(*h), BAR_128M), -EPROTO);
	cr_assert_not_null(strstr(hd_last_error(), "bad geometry"));
	h->geom.mesh_x = 6;
	h->geom.cores_per_tile = TESSERA_MAX_CORES_PER_TILE + 1;
	cr_assert_eq(check(h, sizeof(*h), BAR_128M), -EPROTO);
	h->geom.cores_per_tile = 2;
	h->geom.line_bytes = 64;
	cr_assert_eq(check(h, sizeof(*h), BAR_128M), -EPROTO);
	free(h);
}

Test(pci_header, huge_forged_geometry_is_eproto)
{
	struct tessera_header *h = good_header();

	h->geom.mesh_x = 0xffffffffu;
	h->geom.mesh_y = 0xffffffffu;
	h->geom.shared_mb = 0xffffffffu;
	cr_assert_eq(check(h, sizeof(*h), ~0ull), -EPROTO);
	free(h);
}

Test(pci_header, name_without_nul_is_eproto)
{
	struct tessera_header *h = good_header();

	memset(h->geom.name, 'x', sizeof(h->geom.name));
	cr_assert_eq(check(h, sizeof(*h), BAR_128M), -EPROTO);
	cr_assert_not_null(strstr(hd_last_error(), "NUL"));
	free(h);
}

Test(pci_header, layout_not_matching_the_geometry_is_eproto)
{
	struct tessera_header *h = good_header();

	h->layout.shared_off += TESSERA_PAGE_BYTES;
	cr_assert_eq(check(h, sizeof(*h), BAR_128M), -EPROTO);
	cr_assert_not_null(strstr(hd_last_error(), "layout"));
	free(h);
}

Test(pci_header, geometry_and_layout_grown_together_must_still_fit_the_bar)
{
	struct tessera_header *h = good_header();

	/* a consistent header for a board bigger than the BAR: 1 GB of shared DRAM */
	h->geom.shared_mb = 1024;
	tessera_layout_compute(&h->geom, &h->layout);
	cr_assert_eq(check(h, sizeof(*h), BAR_128M), -ENOSPC);
	cr_assert_eq(check(h, sizeof(*h), 2048ull << 20), 0);
	free(h);
}
