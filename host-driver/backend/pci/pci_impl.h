/* SPDX-License-Identifier: MIT */
/*
 * pci_impl.h: what the pci backend's two files share with each other and with its unit tests
 * (never included from elsewhere): the parsed form of a "pci:..." board handle and the checks
 * that need no device (pci_parse.c); pci.c does the libpciaccess part.
 *
 * A handle names one PCI function and, optionally, the BAR that holds the board's chip:
 *
 *   pci:VENDOR:DEVICE[,bar=N]            hex ids, as `lspci -nn` prints them ("1af4:1110")
 *   pci:[DOMAIN:]BUS:DEV.FN[,bar=N]      hex address, as `lspci -D` prints it ("0000:00:05.0")
 *
 * Without bar=, every prefetchable memory BAR large enough for a header is probed (a
 * prefetchable BAR has no read side effects, by the PCI rules, so looking is harmless).
 */
#ifndef HD_PCI_IMPL_H
#define HD_PCI_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include "tessera/board.h"

#define HD_PCI_BARS 6			/* BARs of a type-0 configuration header */

struct hd_pci_spec {
	int by_id;			/* 1: vendor/device name it; 0: domain/bus/dev/func */
	uint16_t vendor, device;
	uint32_t domain, bus, dev, func;
	int bar;			/* 0..5, or -1: find the BAR that holds a board */
};

/* Parse a "pci:..." handle into *out. Returns 0, or -EINVAL with hd_last_error() naming
 * what is wrong and the forms accepted. */
int hd_pci_spec_parse(const char *handle, struct hd_pci_spec *out);

/* The name of the SCC's own system-interface FPGA ("Rocky Lake", "Copper Ridge") if
 * vendor:device is one, else NULL. Such a device speaks the crbif packet protocol, not a
 * memory-mapped tessera board. */
const char *hd_pci_scc_fpga(uint16_t vendor, uint16_t device);

/*
 * Check a board header at the start of a BAR of bar_bytes, of which hdr holds the first
 * `avail` bytes: the magic is looked at first, and the rest only when the magic is right
 * (so a caller may read 8 bytes of an unknown BAR, and the whole header only after). On
 * success fills *g and *l (the geometry and the layout recomputed from it, which the header
 * must match) and returns 0. Refusals, each explained in hd_last_error() after `where`:
 *   -ENOSPC  the BAR cannot hold a header or the chip the header describes, or fewer bytes
 *            than the magic (or, with the right magic, than the header) were given
 *   -EPROTO  wrong magic (zero: no board yet; all ones: the device decodes nothing),
 *            another layout version, a geometry that fails hd_geom_check, a name without
 *            its NUL, a layout that is not the one the geometry gives
 */
int hd_pci_header_check(const void *hdr, size_t avail, uint64_t bar_bytes, const char *where,
			struct tessera_geom *g, struct tessera_layout *l);

#endif
