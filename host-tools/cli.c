// SPDX-License-Identifier: MIT
/*
 * cli.c: what the subcommands of `tessera` share: errors, core lists, opening the board a
 * command names (a board directory, pci:..., or a preset or board file for a new one).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "tessera/host.h"
#include "ht.h"

void ht_die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("tessera: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

uint32_t ht_parse_cores(const char *s, uint32_t *out, uint32_t max)
{
	uint32_t n = 0;
	const char *p = s;

	while (*p) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;
		if (end == p)
			ht_die(2, "bad core list '%s' (e.g. 0-3,8,10-11)", s);
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p || hi < lo)
				ht_die(2, "bad range in core list '%s'", s);
		}
		for (unsigned long c = lo; c <= hi; c++) {
			if (n == max)
				ht_die(2, "core list '%s': more than %u cores", s, max);
			out[n++] = (uint32_t)c;
		}
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			ht_die(2, "bad core list '%s'", s);
	}
	return n;
}

int ht_is_board_handle(const char *s)
{
	char path[4096];
	struct stat st;

	if (!strncmp(s, "pci:", 4) || !strcmp(s, "pci"))
		return 1;
	snprintf(path, sizeof(path), "%s/chip", s);
	return stat(path, &st) == 0;
}

struct hd_board *ht_open(const char *handle)
{
	struct hd_board *b;

	if (!handle)
		ht_die(2, "which board? give --board HANDLE (printed by `tessera boot`)");
	if (hd_board_open(handle, &b))
		ht_die(1, "%s", hd_last_error());
	return b;
}

uint64_t ht_number(const char *what, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (end == s || *end || errno)
		ht_die(2, "%s: '%s' is not a number", what, s);
	return v;
}
