/* SPDX-License-Identifier: MIT */
/*
 * paging.c: builds this core's SCC address map (board.h) in i386 page tables from its LUT,
 * which the host wrote into the tile's CRB. Private DRAM is this VM's RAM and maps
 * identity (so the kernel keeps running when paging comes on); chip windows map into the
 * ivshmem BAR. Whatever the LUT leaves unmapped, and the first 64 KB, faults; so does a guard
 * page at the bottom of the stack reserve (TESSERA_STACK_BYTES below the boot info's stack top,
 * where sbrk stops), so that a stack overflow is reported instead of eating the heap. The
 * kernel's own device pages (the doorbell's registers, the local APIC) map uncached at their
 * physical addresses, which the firmware puts near 4 GB, where the SCC map has nothing.
 *
 * The page tables go in private DRAM between the boot info and the legacy hole at 640 KB,
 * which nothing else uses (about 140 tables, 560 MB of 4 KB-mapped windows); when they do
 * not fit there (a large shared DRAM), right after the image, and the boot info's
 * image_end, where the heap starts, moves past them.
 */
#include <errno.h>
#include <stdint.h>
#include "i386_impl.h"
#include "tk_impl.h"

extern char _end[];	/* end of the image's memory (tile.ld) */

#define PG_P		0x001	/* present */
#define PG_W		0x002	/* writable */
#define PG_PWT		0x008	/* write-through */
#define PG_PCD		0x010	/* cache disabled: device registers */
#define PG_PS		0x080	/* 4 MB page (CR4.PSE) */
#define PDE_SPAN	(4u << 20)
#define PDES		1024u
#define PTES		1024u
#define CR0_PG		0x80000000u
#define CR0_WP		0x00010000u
#define CR4_PSE		0x00000010u
#define LOW_POOL_END	0x9f000u	/* the EBDA and the VGA hole follow */

struct map {
	const volatile struct tessera_lut_entry *lut;
	uint32_t ram_bytes;		/* end of identity-mapped private DRAM */
	uint32_t chip_phys, chip_bytes;
	uint32_t guard;			/* page left unmapped below the stack */
	const uint32_t *mmio;		/* device pages, mapped where they are */
	uint32_t nmmio;
};

/* Whether va is one of the device pages. */
static int is_mmio(const struct map *m, uint32_t va)
{
	for (uint32_t i = 0; i < m->nmmio; i++)
		if ((m->mmio[i] & ~(TESSERA_PAGE_BYTES - 1)) == (va & ~(TESSERA_PAGE_BYTES - 1)))
			return 1;
	return 0;
}

/* Whether a device page lies in the 4 MB span at va. */
static int mmio_in(const struct map *m, uint32_t va)
{
	for (uint32_t i = 0; i < m->nmmio; i++)
		if (m->mmio[i] - va < PDE_SPAN)
			return 1;
	return 0;
}

/*
 * Physical address behind core address va, or 0 when va is unmapped. LUT entries are input
 * from the host: ones pointing outside their backing were refused by check_lut().
 */
static uint32_t backing(const struct map *m, uint32_t va)
{
	const volatile struct tessera_lut_entry *e = &m->lut[va >> TESSERA_LUT_SHIFT];
	uint32_t in = va & (TESSERA_LUT_WINDOW - 1);

	if (va < TESSERA_ADDR_LOW_HOLE || in >= e->bytes ||
	    (va & ~(TESSERA_PAGE_BYTES - 1)) == m->guard)
		return 0;
	if (e->kind == TESSERA_LUT_PRIVATE)
		return (uint32_t)e->offset + in;
	if (e->kind == TESSERA_LUT_CHIP)
		return m->chip_phys + (uint32_t)e->offset + in;
	return 0;
}

static int check_lut(const struct map *m)
{
	for (uint32_t i = 0; i < TESSERA_LUT_ENTRIES; i++) {
		const volatile struct tessera_lut_entry *e = &m->lut[i];
		uint64_t end = e->offset + e->bytes;

		if (e->kind == TESSERA_LUT_NONE)
			continue;
		if (e->bytes > TESSERA_LUT_WINDOW || (e->bytes | e->offset) % TESSERA_PAGE_BYTES)
			return -EINVAL;
		if (e->kind == TESSERA_LUT_PRIVATE && end > m->ram_bytes)
			return -ERANGE;
		if (e->kind == TESSERA_LUT_CHIP && end > m->chip_bytes)
			return -ERANGE;
		if (e->kind != TESSERA_LUT_PRIVATE && e->kind != TESSERA_LUT_CHIP)
			return -EINVAL;
	}
	/* The kernel runs from private DRAM at its physical address: entry 0 must be identity. */
	if (m->lut[0].kind != TESSERA_LUT_PRIVATE || m->lut[0].offset != 0 ||
	    m->lut[0].bytes < TESSERA_ADDR_IMAGE * 2)
		return -EINVAL;
	return 0;
}

/* A page directory entry span: 4 MB page possible (1), page table needed (2), empty (0). */
static int pde_kind(const struct map *m, uint32_t va)
{
	const volatile struct tessera_lut_entry *e = &m->lut[va >> TESSERA_LUT_SHIFT];
	uint32_t in = va & (TESSERA_LUT_WINDOW - 1);

	if (e->kind == TESSERA_LUT_NONE || in >= e->bytes)
		return mmio_in(m, va) ? 2 : 0;
	if (mmio_in(m, va) || va < TESSERA_ADDR_LOW_HOLE || e->bytes - in < PDE_SPAN ||
	    backing(m, va) % PDE_SPAN ||
	    (m->guard >= va && m->guard - va < PDE_SPAN))
		return 2;
	return 1;
}

/* The stack's guard page: the first page of the stack reserve (0 if there is none). */
uint32_t i386_stack_guard(void)
{
	uint64_t top = i386_bootinfo->stack_top;

	if (top < TESSERA_ADDR_IMAGE + 2 * (uint64_t)TESSERA_STACK_BYTES)
		return 0;
	return (uint32_t)(top - TESSERA_STACK_BYTES) & ~(TESSERA_PAGE_BYTES - 1);
}

/* First page after the boot info and its strings. */
static uint32_t low_pool(void)
{
	const struct tessera_bootinfo *bi = i386_bootinfo;
	uint32_t end = sizeof(*bi);

	if (bi->strings_off + bi->strings_bytes > end)
		end = bi->strings_off + bi->strings_bytes;
	return (TESSERA_ADDR_BOOTINFO + end + TESSERA_PAGE_BYTES - 1) & ~(TESSERA_PAGE_BYTES - 1);
}

/*
 * Where n bytes of page tables go: the low pool, or else after the image (the heap then
 * starts after them). 0 when neither has room.
 */
static uint32_t table_space(uint32_t n)
{
	struct tessera_bootinfo *bi = (struct tessera_bootinfo *)i386_bootinfo;
	uint64_t at = bi->image_end > (uint32_t)_end ? bi->image_end : (uint32_t)_end;

	if (low_pool() + n <= LOW_POOL_END)
		return low_pool();
	at = (at + TESSERA_PAGE_BYTES - 1) & ~(uint64_t)(TESSERA_PAGE_BYTES - 1);
	if (at + n > bi->stack_top - TESSERA_STACK_BYTES)
		return 0;
	/* Ours to take: the generic kernel has not started, and its sbrk starts at image_end. */
	bi->image_end = at + n;
	return (uint32_t)at;
}

/*
 * Build the page tables for core `core` and turn paging on. chip_phys/chip_bytes: the
 * ivshmem BAR; ram_bytes: this VM's RAM (its private DRAM); stack_top: where the stack
 * starts. Returns 0, or -EINVAL/-ERANGE for a LUT the host got wrong or no room for the
 * tables (paging then stays off).
 */
int i386_paging_init(uint32_t chip_phys, uint32_t chip_bytes, uint32_t core, uint32_t ram_bytes,
		     uint32_t stack_top, const uint32_t *mmio, uint32_t nmmio)
{
	const struct tessera_geom *g = &i386_bootinfo->geom;
	struct tessera_layout l;
	struct map m;
	uint32_t npt = 0, *pd, *pt;
	uint64_t lut_off;
	uint8_t kinds[PDES];
	int rc;

	tessera_layout_compute(g, &l);
	lut_off = tessera_lut_off(g, &l, core);
	if (core >= tessera_cores(g) || lut_off + TESSERA_LUT_BYTES > chip_bytes)
		return -ERANGE;
	m.lut = (const volatile struct tessera_lut_entry *)(chip_phys + (uint32_t)lut_off);
	m.ram_bytes = ram_bytes;
	m.chip_phys = chip_phys;
	m.chip_bytes = chip_bytes;
	m.guard = i386_stack_guard();
	m.mmio = mmio;
	m.nmmio = nmmio;
	rc = check_lut(&m);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < nmmio; i++)
		if (backing(&m, mmio[i]))
			return -EADDRINUSE;
	for (uint32_t i = 0; i < PDES; i++) {
		kinds[i] = (uint8_t)pde_kind(&m, i * PDE_SPAN);
		npt += kinds[i] == 2;
	}
	pd = (uint32_t *)table_space((npt + 1) * TESSERA_PAGE_BYTES);
	if (!pd)
		return -ERANGE;
	pt = pd + PTES;
	for (uint32_t i = 0; i < (npt + 1) * PTES; i++)
		pd[i] = 0;
	for (uint32_t i = 0; i < PDES; i++) {
		uint32_t va = i * PDE_SPAN;

		if (kinds[i] == 1) {
			pd[i] = backing(&m, va) | PG_PS | PG_W | PG_P;
		} else if (kinds[i] == 2) {
			for (uint32_t j = 0; j < PTES; j++) {
				uint32_t at = va + j * TESSERA_PAGE_BYTES, pa = backing(&m, at);

				if (is_mmio(&m, at))
					pt[j] = at | PG_PCD | PG_PWT | PG_W | PG_P;
				else
					pt[j] = pa ? pa | PG_W | PG_P : 0;
			}
			pd[i] = (uint32_t)pt | PG_W | PG_P;
			pt += PTES;
		}
	}
	/* The stack must be reachable, where it is, once paging is on. */
	if (backing(&m, stack_top - 4) != stack_top - 4)
		return -ERANGE;
	write_cr4(read_cr4() | CR4_PSE);
	__asm__ volatile("mov %0, %%cr3" : : "r"(pd) : "memory");
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
	i386_gdt_set_cr3((uint32_t)pd);
	return 0;
}
