// SPDX-License-Identifier: MIT
/*
 * pci_parse.c: the parts of the pci backend that need no device: parsing a "pci:..." board
 * handle, recognising the SCC's own FPGA, and checking a board header found in a BAR. Input
 * from the command line or from a device is never trusted; every refusal says why.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "hd_impl.h"
#include "pci_impl.h"

#define FORMS "a PCI board is named pci:VENDOR:DEVICE or pci:[DOMAIN:]BUS:DEV.FN (hex, as " \
	      "lspci -nn and lspci -D print them), optionally followed by ,bar=N (0-5)"

/* n characters of s as a hex number of at most max, with an optional 0x; 0 or -EINVAL. */
static int hex_field(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (n == 0 || n > 8)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -EINVAL;
		v = v * 16 + (uint64_t)d;
	}
	if (v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* [DOMAIN:]BUS:DEV.FN */
static int parse_slot(const char *s, size_t n, struct hd_pci_spec *sp)
{
	const char *dot = memchr(s, '.', n), *f[3], *p = s;
	size_t len[3], k = 0;

	if (!dot)
		return -EINVAL;
	for (;;) {
		const char *c = memchr(p, ':', (size_t)(dot - p));
		if (k == 3)
			return -EINVAL;		/* more fields than DOMAIN:BUS:DEV */
		f[k] = p;
		len[k++] = (size_t)((c ? c : dot) - p);
		if (!c)
			break;
		p = c + 1;
	}
	if (k < 2)
		return -EINVAL;
	sp->domain = 0;
	if (k == 3 && hex_field(f[0], len[0], 0xffffffffu, &sp->domain))
		return -EINVAL;
	if (hex_field(f[k - 2], len[k - 2], 0xff, &sp->bus) ||
	    hex_field(f[k - 1], len[k - 1], 0x1f, &sp->dev) ||
	    hex_field(dot + 1, (size_t)(s + n - dot - 1), 7, &sp->func))
		return -EINVAL;
	sp->by_id = 0;
	return 0;
}

/* VENDOR:DEVICE. No device has vendor 0000 or ffff (ffff is what an empty slot reads), so
 * "00:05" is refused rather than taken as ids: it is an address missing its ".FN". */
static int parse_id(const char *s, size_t n, struct hd_pci_spec *sp)
{
	const char *c = memchr(s, ':', n);
	uint32_t v, d;

	if (!c || memchr(c + 1, ':', (size_t)(s + n - c - 1)) ||
	    hex_field(s, (size_t)(c - s), 0xffff, &v) ||
	    hex_field(c + 1, (size_t)(s + n - c - 1), 0xffff, &d) || v == 0 || v == 0xffff)
		return -EINVAL;
	sp->by_id = 1;
	sp->vendor = (uint16_t)v;
	sp->device = (uint16_t)d;
	return 0;
}

static int parse_option(const char *handle, const char *s, size_t n, struct hd_pci_spec *sp)
{
	unsigned v = 0;
	size_t i;

	if (n < 4 || strncmp(s, "bar=", 4))
		return hd_fail(-EINVAL, "board %s: unknown option '%.*s' (the one option is "
			       "bar=N)", handle, (int)n, s);
	if (sp->bar >= 0)
		return hd_fail(-EINVAL, "board %s: bar= given twice", handle);
	for (i = 4; i < n && i < 8 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	if (i == 4 || i != n || v >= HD_PCI_BARS)
		return hd_fail(-EINVAL, "board %s: bar=%.*s: a BAR is numbered 0 to %d", handle,
			       (int)(n - 4), s + 4, HD_PCI_BARS - 1);
	sp->bar = (int)v;
	return 0;
}

int hd_pci_spec_parse(const char *handle, struct hd_pci_spec *out)
{
	struct hd_pci_spec sp = { .bar = -1 };
	const char *s, *comma;
	size_t n;
	int rc;

	if (!handle || !out)
		return hd_fail(-EINVAL, "hd_pci_spec_parse: NULL argument");
	if (strncmp(handle, "pci", 3) || (handle[3] && handle[3] != ':'))
		return hd_fail(-EINVAL, "board %s: not a PCI board handle; %s", handle, FORMS);
	s = handle[3] ? handle + 4 : handle + 3;
	comma = strchr(s, ',');
	n = comma ? (size_t)(comma - s) : strlen(s);
	if (n == 0)
		return hd_fail(-EINVAL, "board %s: which PCI device? %s", handle, FORMS);
	rc = memchr(s, '.', n) ? parse_slot(s, n, &sp) : parse_id(s, n, &sp);
	if (rc)
		return hd_fail(-EINVAL, "board %s: bad device '%.*s'; %s", handle, (int)n, s,
			       FORMS);
	while (comma) {
		s = comma + 1;
		comma = strchr(s, ',');
		n = comma ? (size_t)(comma - s) : strlen(s);
		if ((rc = parse_option(handle, s, n, &sp)))
			return rc;
	}
	*out = sp;
	return 0;
}

const char *hd_pci_scc_fpga(uint16_t vendor, uint16_t device)
{
	/* The SCC's system interface FPGA, as the crbif driver of sccKit binds it. */
	if (vendor != 0x8086)
		return NULL;
	if (device == 0xc148)
		return "Rocky Lake";
	if (device == 0xc048)
		return "Copper Ridge";
	return NULL;
}

int hd_pci_header_check(const void *hdr, size_t avail, uint64_t bar_bytes, const char *where,
			struct tessera_geom *g, struct tessera_layout *l)
{
	struct tessera_header h;
	struct tessera_layout want;
	uint64_t magic;

	if (bar_bytes < sizeof(h))
		return hd_fail(-ENOSPC, "%s: %llu bytes are too small for a board header (%zu "
			       "bytes)", where, (unsigned long long)bar_bytes, sizeof(h));
	if (avail < sizeof(magic))
		return hd_fail(-ENOSPC, "%s: only %zu bytes of the board header to look at", where,
			       avail);
	memcpy(&magic, hdr, sizeof(magic));
	if (magic != TESSERA_BOARD_MAGIC) {
		if (magic == 0)
			return hd_fail(-EPROTO, "%s: no tessera board in it (magic is 0: not "
				       "initialised, or still being created)", where);
		if (magic == ~0ull)
			return hd_fail(-EPROTO, "%s: reads as all ones: the device does not answer "
				       "(memory decoding off, or the device is gone)", where);
		if (__builtin_bswap64(magic) == TESSERA_BOARD_MAGIC)
			return hd_fail(-EPROTO, "%s: the board magic is byte-swapped (a board of "
				       "the other endianness)", where);
		return hd_fail(-EPROTO, "%s: not a tessera board (magic 0x%016llx, expected "
			       "0x%016llx)", where, (unsigned long long)magic,
			       (unsigned long long)TESSERA_BOARD_MAGIC);
	}
	if (avail < sizeof(h))
		return hd_fail(-ENOSPC, "%s: only %zu bytes of the board header (%zu bytes) to "
			       "look at", where, avail, sizeof(h));
	memcpy(&h, hdr, sizeof(h));
	if (h.version != TESSERA_LAYOUT_VERSION)
		return hd_fail(-EPROTO, "%s: board layout version %u; this tessera knows version "
			       "%u", where, h.version, TESSERA_LAYOUT_VERSION);
	if (h.header_bytes != tessera_round_page(sizeof(h)))
		return hd_fail(-EPROTO, "%s: the header says it is %u bytes; layout version %u's "
			       "is %llu", where, h.header_bytes, TESSERA_LAYOUT_VERSION,
			       (unsigned long long)tessera_round_page(sizeof(h)));
	if (!memchr(h.geom.name, 0, sizeof(h.geom.name)))
		return hd_fail(-EPROTO, "%s: the geometry's name has no terminating NUL (a "
			       "corrupt or forged header)", where);
	if (hd_geom_check(&h.geom))
		return hd_fail(-EPROTO, "%s: bad geometry in the header: %s", where,
			       hd_last_error());
	tessera_layout_compute(&h.geom, &want);
	if (memcmp(&want, &h.layout, sizeof(want)))
		return hd_fail(-EPROTO, "%s: the header's layout is not the one its geometry "
			       "gives (a corrupt or forged header, or another tessera's)", where);
	if (want.chip_bytes > bar_bytes)
		return hd_fail(-ENOSPC, "%s: %llu bytes are too small for the board's chip "
			       "(%llu bytes)", where, (unsigned long long)bar_bytes,
			       (unsigned long long)want.chip_bytes);
	*g = h.geom;
	*l = want;
	return 0;
}
