/* SPDX-License-Identifier: MIT */
/*
 * pci.c: finds the chip, i.e. the ivshmem PCI device whose BAR2 is the board's chip file
 * (shared DRAM, MPBs, CRBs, board registers, host windows), through PCI configuration
 * mechanism #1 (ports 0xcf8/0xcfc), and what its doorbell needs: BAR0 (the registers) and
 * the MSI-X table (BAR1 of an ivshmem-doorbell device). Reads, moves BAR2 below 4 GB if the
 * firmware left it above (where a 32-bit kernel cannot reach it), and turns MSI-X on.
 */
#include <errno.h>
#include <stdint.h>
#include "i386_impl.h"

#define PCI_ADDR	0xcf8
#define PCI_DATA	0xcfc
#define PCI_ENABLE	0x80000000u
#define PCI_ID		0x00
#define PCI_COMMAND	0x04
#define PCI_STATUS_CAPS	0x00100000u	/* in the command/status dword: capability list */
#define PCI_HEADER	0x0c	/* byte 2 of this dword: header type */
#define PCI_BAR0	0x10
#define PCI_BAR2	0x18
#define PCI_BAR3	0x1c
#define PCI_CAP_PTR	0x34
#define PCI_CMD_MEMORY	0x0002
#define PCI_CMD_MASTER	0x0004	/* bus master: an MSI is a memory write of the device */
#define PCI_CAP_MSIX	0x11
#define MSIX_ENABLE	0x80000000u	/* message control (upper half of the cap dword) bit 15 */
#define MSIX_FUNC_MASK	0x40000000u	/* bit 14 */
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

/* Config offset of the MSI-X capability, or 0. */
static uint32_t find_msix(uint32_t bdf)
{
	uint32_t at;

	if (!(cfg_read(bdf, PCI_COMMAND) & PCI_STATUS_CAPS))
		return 0;
	at = cfg_read(bdf, PCI_CAP_PTR) & 0xfc;
	for (int n = 0; at >= 0x40 && n < 48; n++) {
		uint32_t cap = cfg_read(bdf, at);

		if ((cap & 0xff) == PCI_CAP_MSIX)
			return at;
		at = (cap >> 8) & 0xfc;
	}
	return 0;
}

/* Physical address of a 32-bit memory BAR (0: none, I/O, or unassigned). */
static uint32_t bar32(uint32_t bdf, uint32_t bir)
{
	uint32_t v;

	if (bir > 5)
		return 0;
	v = cfg_read(bdf, PCI_BAR0 + 4 * bir);
	if ((v & PCI_BAR_IO) || (v & 0x6) == PCI_BAR_64)
		return 0;
	return v & PCI_BAR_MASK;
}

/* The doorbell's parts: BAR0 and the MSI-X table; left 0 on a device without them. */
static void find_doorbell(struct i386_ivshmem *d)
{
	uint32_t table;

	d->regs = bar32(d->bdf, 0);
	d->msix_cap = find_msix(d->bdf);
	if (!d->regs || !d->msix_cap)
		return;
	table = cfg_read(d->bdf, d->msix_cap + 4);
	d->msix_table = bar32(d->bdf, table & 7);
	if (d->msix_table)
		d->msix_table += table & ~7u;
}

/*
 * Find the chip device: where BAR2 lies and its size, with memory decoding on, and its
 * doorbell's registers and MSI-X table if it has them (ivshmem-doorbell). ram_top: end of
 * this VM's RAM, above which a moved BAR may go. Returns 0, -ENODEV (no ivshmem device), or
 * -ERANGE (BAR2 not placeable below 4 GB).
 */
int i386_pci_find_chip(uint32_t ram_top, struct i386_ivshmem *d)
{
	uint32_t bdf = find(), cmd, lo, hi;
	uint64_t size, base;

	d->bdf = bdf;
	d->regs = d->msix_cap = d->msix_table = 0;
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
	d->shm = (uint32_t)base;
	d->shm_bytes = (uint32_t)size;
	find_doorbell(d);
	return 0;
}

/* MSI-X on (every vector still masked in its table entry) and the device a bus master. */
void i386_pci_msix_enable(const struct i386_ivshmem *d)
{
	uint32_t cap = cfg_read(d->bdf, d->msix_cap);

	cfg_write(d->bdf, PCI_COMMAND, (cfg_read(d->bdf, PCI_COMMAND) & 0xffff) | PCI_CMD_MASTER);
	cfg_write(d->bdf, d->msix_cap, (cap | MSIX_ENABLE) & ~MSIX_FUNC_MASK);
}
