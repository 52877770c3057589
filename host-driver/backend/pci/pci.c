// SPDX-License-Identifier: MIT
/*
 * pci.c: the pci backend: a board whose chip (header, board registers, CRBs, MPBs, host
 * windows, shared DRAM) sits in a memory BAR of a PCI function, found and mapped with
 * libpciaccess, for board.c's hd_board_open("pci:..."). It maps and checks; it starts no
 * cores and reaches no private DRAM, because neither is in the BAR (docs/pci.md says what a
 * real board would add). Parsing and header checks are in pci_parse.c.
 */
#include <errno.h>
#include <pciaccess.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "hd_impl.h"
#include "pci_impl.h"

#define PCI_COMMAND_REG		0x04	/* configuration space: command register */
#define PCI_COMMAND_MEMORY	0x02	/* the function decodes its memory BARs */

struct pci_board {
	struct pci_device *dev;
	pciaddr_t map_bytes;
};

/* The board found while looking at the devices a handle names. */
struct found {
	struct pci_device *dev;
	int bar;
	struct tessera_geom geom;
	struct tessera_layout layout;
};

/* libpciaccess keeps one device list per process: count the boards that use it, so that
 * closing one board does not pull the list from under another. */
static pthread_mutex_t sys_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned sys_users;

static int sys_get(void)
{
	int e = 0;

	pthread_mutex_lock(&sys_lock);
	if (!sys_users)
		e = pci_system_init();
	if (!e)
		sys_users++;
	pthread_mutex_unlock(&sys_lock);
	if (e)
		return hd_fail(-e, "cannot list the PCI devices (is /sys mounted?): %s",
			       strerror(e));
	return 0;
}

static void sys_put(void)
{
	pthread_mutex_lock(&sys_lock);
	if (sys_users && !--sys_users)
		pci_system_cleanup();
	pthread_mutex_unlock(&sys_lock);
}

/* "0000:00:05.0", as lspci -D and sysfs name a function. */
static void dev_name(const struct pci_device *d, char *buf, size_t n)
{
	snprintf(buf, n, "%04x:%02x:%02x.%u", d->domain, d->bus, d->dev, d->func);
}

/* "0: 256 bytes memory, 2: 128 MB prefetchable memory", for messages. */
static void bar_list(const struct pci_device *d, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = 0;
	for (int i = 0; i < HD_PCI_BARS && used < n; i++) {
		const struct pci_mem_region *r = &d->regions[i];
		unsigned long long sz = r->size;
		const char *unit = "bytes";
		if (!sz)
			continue;
		if (!(sz & ((1u << 20) - 1)))
			sz >>= 20, unit = "MB";
		else if (!(sz & 1023))
			sz >>= 10, unit = "KB";
		used += (size_t)snprintf(buf + used, n - used, "%s%d: %llu %s %s", used ? ", " : "",
					 i, sz, unit, r->is_IO ? "I/O" : r->is_prefetchable ?
					 "prefetchable memory" : "memory");
	}
	if (!buf[0])
		snprintf(buf, n, "none");
}

static int map_bar(struct pci_device *d, int bar, pciaddr_t bytes, int writable,
		   const char *where, void **out)
{
	char name[32];
	int e;

	e = pci_device_map_range(d, d->regions[bar].base_addr, bytes,
				 writable ? PCI_DEV_MAP_FLAG_WRITABLE : 0, out);
	if (!e)
		return 0;
	dev_name(d, name, sizeof(name));
	if (e == EACCES || e == EPERM)
		return hd_fail(-EACCES, "%s: permission denied: mapping a PCI BAR takes root (or "
			       "read-write access to /sys/bus/pci/devices/%s/resource%d)", where,
			       name, bar);
	return hd_fail(-e, "%s: cannot map it: %s", where, strerror(e));
}

/* Turn on memory decoding if nobody has (a BAR then reads as all ones). Needs root; the
 * header check explains the all-ones result if it fails. */
static void ensure_decoding(struct pci_device *d)
{
	uint16_t cmd;

	if (!pci_device_cfg_read_u16(d, &cmd, PCI_COMMAND_REG) && !(cmd & PCI_COMMAND_MEMORY))
		pci_device_enable(d);
}

/* Look for a board at the start of BAR bar of d; 0 with f filled, or a negative errno.
 * Only the 8 bytes of the magic are read until they match: a BAR marked prefetchable may
 * still hold registers whose reads have effects (virtio's ISR status, for one). */
static int probe_bar(struct pci_device *d, int bar, struct found *f)
{
	const struct pci_mem_region *r = &d->regions[bar];
	char where[PATH_MAX], name[32];
	pciaddr_t len = tessera_round_page(sizeof(struct tessera_header));
	uint64_t magic;
	void *p;
	int rc;

	dev_name(d, name, sizeof(name));
	snprintf(where, sizeof(where), "%s BAR %d", name, bar);
	if (r->size < sizeof(struct tessera_header))
		return hd_pci_header_check(NULL, 0, r->size, where, &f->geom, &f->layout);
	if (len > r->size)
		len = r->size;
	if ((rc = map_bar(d, bar, len, 0, where, &p)))
		return rc;
	magic = *(volatile uint64_t *)p;
	if (magic == TESSERA_BOARD_MAGIC)
		rc = hd_pci_header_check(p, sizeof(struct tessera_header), r->size, where,
					 &f->geom, &f->layout);
	else
		rc = hd_pci_header_check(&magic, sizeof(magic), r->size, where, &f->geom,
					 &f->layout);
	pci_device_unmap_range(d, p, len);
	if (!rc) {
		f->dev = d;
		f->bar = bar;
	}
	return rc;
}

/* Find the board in d: in the BAR the handle names, else in the first prefetchable memory
 * BAR that holds one. 0 with f filled, or a negative errno value. */
static int probe_dev(struct pci_device *d, const struct hd_pci_spec *sp, struct found *f)
{
	char name[32], bars[256], first[1024] = "";
	const char *fpga = hd_pci_scc_fpga(d->vendor_id, d->device_id);
	int e, rc = 0, tried = 0;

	dev_name(d, name, sizeof(name));
	if (fpga)
		return hd_fail(-EOPNOTSUPP, "%s (%04x:%04x) is the SCC's own system interface "
			       "FPGA (%s); it speaks the packet protocol of sccKit's crbif "
			       "driver, which tessera does not: tessera reaches boards whose chip "
			       "is mapped in a memory BAR", name, d->vendor_id, d->device_id, fpga);
	if ((e = pci_device_probe(d)))
		return hd_fail(-e, "%s: cannot read its BARs: %s", name, strerror(e));
	bar_list(d, bars, sizeof(bars));
	if (sp->bar >= 0) {
		const struct pci_mem_region *r = &d->regions[sp->bar];
		if (!r->size)
			return hd_fail(-ENXIO, "%s has no BAR %d (its BARs: %s)", name, sp->bar,
				       bars);
		if (r->is_IO)
			return hd_fail(-ENXIO, "%s BAR %d is a range of I/O ports, not memory",
				       name, sp->bar);
		ensure_decoding(d);
		return probe_bar(d, sp->bar, f);
	}
	for (int i = 0; i < HD_PCI_BARS; i++) {
		const struct pci_mem_region *r = &d->regions[i];
		if (!r->size || r->is_IO || !r->is_prefetchable)
			continue;
		if (!tried++)
			ensure_decoding(d);
		if (!(rc = probe_bar(d, i, f)))
			return 0;
		if (!first[0])
			snprintf(first, sizeof(first), "%s", hd_last_error());
	}
	if (!tried)
		return hd_fail(-ENXIO, "%s has no prefetchable memory BAR to hold a board (its "
			       "BARs: %s); name one with ,bar=N", name, bars);
	return hd_fail(rc, "%s", first);
}

/* Every device with the handle's vendor:device; exactly one must hold a board. */
static int find_by_id(const struct hd_pci_spec *sp, struct found *f)
{
	struct pci_id_match m = { sp->vendor, sp->device, PCI_MATCH_ANY, PCI_MATCH_ANY, 0, 0, 0 };
	struct pci_device_iterator *it = pci_id_match_iterator_create(&m);
	struct pci_device *d;
	struct found try;
	char first[1024] = "", boards[256] = "", name[32];
	unsigned n = 0, nboards = 0;
	int rc, first_rc = 0;

	if (!it)
		return hd_fail(-ENOMEM, "out of memory");
	while ((d = pci_device_next(it))) {
		n++;
		rc = probe_dev(d, sp, &try);
		dev_name(d, name, sizeof(name));
		if (!rc) {
			if (!nboards++)
				*f = try;
			snprintf(boards + strlen(boards), sizeof(boards) - strlen(boards), "%s%s",
				 nboards > 1 ? ", " : "", name);
		} else if (!first_rc || (rc == -EACCES && first_rc != -EACCES)) {
			/* the first refusal, unless a later one is "not root", which is what
			 * the user must fix before any other answer means anything */
			first_rc = rc;
			snprintf(first, sizeof(first), "%s", hd_last_error());
		}
	}
	pci_iterator_destroy(it);
	if (!n)
		return hd_fail(-ENODEV, "no PCI device %04x:%04x (lspci -nn lists them)",
			       sp->vendor, sp->device);
	if (nboards > 1)
		return hd_fail(-ENOTUNIQ, "%u devices hold a tessera board (%s): name one by its "
			       "address, pci:DOMAIN:BUS:DEV.FN", nboards, boards);
	if (nboards)
		return 0;
	if (n > 1 && first_rc != -EACCES)
		return hd_fail(first_rc, "none of the %u devices %04x:%04x holds a board; %s", n,
			       sp->vendor, sp->device, first);
	return hd_fail(first_rc, "%s", first);
}

int hd_pci_open(const char *handle, struct hd_board *b)
{
	struct hd_pci_spec sp;
	struct pci_board *pb = NULL;
	struct found f = { 0 };
	struct tessera_geom g;
	struct tessera_layout l;
	char where[PATH_MAX], name[32];
	void *chip = NULL;
	int rc;

	if ((rc = hd_pci_spec_parse(handle, &sp)))
		return rc;
	if ((rc = sys_get()))
		return hd_fail(rc, "board %s: %s", handle, hd_last_error());
	if (sp.by_id) {
		rc = find_by_id(&sp, &f);
	} else {
		struct pci_device *d = pci_device_find_by_slot(sp.domain, sp.bus, sp.dev, sp.func);
		rc = d ? probe_dev(d, &sp, &f) :
			 hd_fail(-ENODEV, "no PCI device at %04x:%02x:%02x.%u (lspci -D lists "
				 "them)", sp.domain, sp.bus, sp.dev, sp.func);
	}
	if (rc)
		goto fail_sys;
	dev_name(f.dev, name, sizeof(name));
	snprintf(where, sizeof(where), "%s BAR %d", name, f.bar);
	if ((rc = map_bar(f.dev, f.bar, f.layout.chip_bytes, 1, where, &chip)))
		goto fail_sys;
	/* The board may have been re-created between the look and the mapping. */
	rc = hd_pci_header_check(chip, sizeof(struct tessera_header),
				 f.dev->regions[f.bar].size, where, &g, &l);
	if (!rc && memcmp(&l, &f.layout, sizeof(l)))
		rc = hd_fail(-EAGAIN, "%s: the board changed while it was being opened; try again",
			     where);
	if (rc)
		goto fail_map;
	pb = calloc(1, sizeof(*pb));
	if (!pb) {
		rc = hd_fail(-ENOMEM, "out of memory");
		goto fail_map;
	}
	pb->dev = f.dev;
	pb->map_bytes = f.layout.chip_bytes;
	snprintf(b->dir, sizeof(b->dir), "pci:%s,bar=%d", name, f.bar);
	b->geom = g;
	b->layout = l;
	b->chip = chip;
	b->pci_priv = pb;
	b->pci = 1;
	return 0;
fail_map:
	pci_device_unmap_range(f.dev, chip, f.layout.chip_bytes);
fail_sys:
	sys_put();
	return hd_fail(rc, "board %s: %s", handle, hd_last_error());
}

void hd_pci_close(struct hd_board *b)
{
	struct pci_board *pb = b->pci_priv;

	if (!pb)
		return;
	if (b->chip && b->chip != MAP_FAILED)
		pci_device_unmap_range(pb->dev, b->chip, pb->map_bytes);
	b->chip = MAP_FAILED;
	b->pci_priv = NULL;
	free(pb);
	sys_put();
}
