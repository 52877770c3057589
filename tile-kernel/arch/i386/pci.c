/* SPDX-License-Identifier: MIT */
/*
 * pci.c: finds the chip, i.e. the ivshmem-plain PCI device whose BAR2 is the board's chip file
 * (shared DRAM, MPBs, CRBs, board registers, host windows), through PCI configuration
 * mechanism #1 (ports 0xcf8/0xcfc). Only reads and, if the firmware left BAR2 above 4 GB
 * where a 32-bit kernel cannot reach it, moves it below.
 */
#include <errno.h>
#include <stdint.h>
#include "i386_impl.h"

#define PCI_ADDR	0xcf8
#define PCI_DATA	0xcfc
#define PCI_ENABLE	0x80000000u
#define PCI_ID		0x00
#define PCI_COMMAND	0x04
#define PCI_HEADER	0x0c	/* byte 2 of this dword: header type */
#define PCI_BAR2	0x18
#define PCI_BAR3	0x1c
#define PCI_CMD_MEMORY	0x0002
#define PCI_BAR_IO	0x1
#define PCI_BAR_64	0x4	/* type bits 2:1 = 10 */
#define PCI_BAR_MASK	0xfffffff0u

/* QEMU's ivshmem (docs/specs/ivshmem-spec.rst): Red Hat's vendor id, device 0x1110. */
#define IVSHMEM_VENDOR	0x1af4
#define IVSHMEM_DEVICE	0x1110

/* Highest physical address a relocated BAR may end at (the IOAPIC and LAPIC lie above). */
#define PCI_HOLE_END	0xfe000000u

static uint32_t cfg_addr(uint32_t bus, uint32_t dev, uint32_t fn, uint32_t reg)
{
	return PCI_ENABLE | bus << 16 | dev << 11 | fn << 8 | (reg & 0xfc);
}

static uint32_t cfg_read(uint32_t bdf, uint32_t reg)
{
	outl(PCI_ADDR, bdf | (reg & 0xfc));
	return inl(PCI_DATA);
}

static void cfg_write(uint32_t bdf, uint32_t reg, uint32_t v)
{
	outl(PCI_ADDR, bdf | (reg & 0xfc));
	outl(PCI_DATA, v);
}

/* Size of a 64-bit memory BAR pair by the write-ones probe (decoding off meanwhile). */
static uint64_t bar64_size(uint32_t bdf, uint32_t cmd)
{
	uint32_t lo = cfg_read(bdf, PCI_BAR2), hi = cfg_read(bdf, PCI_BAR3);
	uint32_t mlo, mhi;

	cfg_write(bdf, PCI_COMMAND, cmd & ~PCI_CMD_MEMORY);
	cfg_write(bdf, PCI_BAR2, 0xffffffffu);
	cfg_write(bdf, PCI_BAR3, 0xffffffffu);
	mlo = cfg_read(bdf, PCI_BAR2) & PCI_BAR_MASK;
	mhi = cfg_read(bdf, PCI_BAR3);
	cfg_write(bdf, PCI_BAR2, lo);
	cfg_write(bdf, PCI_BAR3, hi);
	cfg_write(bdf, PCI_COMMAND, cmd);
	return ~((uint64_t)mhi << 32 | mlo) + 1;
}

static uint32_t find(void)
{
	for (uint32_t bus = 0; bus < 256; bus++) {
		for (uint32_t dev = 0; dev < 32; dev++) {
			for (uint32_t fn = 0; fn < 8; fn++) {
				uint32_t bdf = cfg_addr(bus, dev, fn, 0);
				uint32_t id = cfg_read(bdf, PCI_ID);

				if ((id & 0xffff) == 0xffff) {
					if (fn == 0)
						break;
					continue;
				}
				if (id == (IVSHMEM_DEVICE << 16 | IVSHMEM_VENDOR))
					return bdf;
				if (fn == 0 && !(cfg_read(bdf, PCI_HEADER) & 0x00800000u))
					break;	/* single-function device */
			}
		}
	}
	return 0;
}

/*
 * Find the chip device and report where BAR2 lies (*phys) and its size (*bytes), with
 * memory decoding on. ram_top: end of this VM's RAM, above which a moved BAR may go.
 * Returns 0, -ENODEV (no ivshmem device), or -ERANGE (BAR2 not placeable below 4 GB).
 */
int i386_pci_find_chip(uint32_t ram_top, uint32_t *phys, uint32_t *bytes)
{
	uint32_t bdf = find(), cmd, lo, hi;
	uint64_t size, base;

	if (!bdf)
		return -ENODEV;
	cmd = cfg_read(bdf, PCI_COMMAND) & 0xffff;
	lo = cfg_read(bdf, PCI_BAR2);
	if (lo & PCI_BAR_IO)
		return -ERANGE;
	hi = (lo & 0x6) == PCI_BAR_64 ? cfg_read(bdf, PCI_BAR3) : 0;
	size = bar64_size(bdf, cmd);
	if (!size || size > 0x80000000u)
		return -ERANGE;
	base = (uint64_t)hi << 32 | (lo & PCI_BAR_MASK);
	if (base == 0 || base + size > PCI_HOLE_END) {
		/* Move it to the first size-aligned slot above RAM, as a BIOS would. */
		base = ((uint64_t)ram_top + size - 1) & ~(size - 1);
		if (base < 0x80000000u)
			base = 0x80000000u;
		if (base + size > PCI_HOLE_END)
			return -ERANGE;
		cfg_write(bdf, PCI_COMMAND, cmd & ~PCI_CMD_MEMORY);
		cfg_write(bdf, PCI_BAR2, (uint32_t)base | (lo & 0xf));
		if ((lo & 0x6) == PCI_BAR_64)
			cfg_write(bdf, PCI_BAR3, 0);
	}
	cfg_write(bdf, PCI_COMMAND, cmd | PCI_CMD_MEMORY);
	*phys = (uint32_t)base;
	*bytes = (uint32_t)size;
	return 0;
}
