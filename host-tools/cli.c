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

/* How ht_die ends the command: exit, unless a test harness (the fuzz targets) ends it
 * its own way. */
__attribute__((weak, noreturn)) void ht_exit(int code)
{
	exit(code);
}

void ht_die(int code, const char *fmt, ...)
{
	va_list ap;

	ht_progress_clear();
	fputs("tessera: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ht_exit(code);
}

/* A decimal number of at most max, digits only (no sign, no space): 0, or -1 when s is not
 * one (strtoul would take "-1", " 7" or "4294967301" and wrap). *end after the digits. */
static int decimal(const char *s, uint64_t max, uint64_t *out, const char **end)
{
	uint64_t v = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (max - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*end = p;
	*out = v;
	return p == s ? -1 : 0;
}

uint32_t ht_cores_per_process(const char *arg)
{
	const char *s = arg ? arg : getenv("TESSERA_CORES_PER_PROCESS");
	char *end;
	unsigned long v;

	if (!s || !*s || !strcmp(s, "auto"))
		return 0;
	v = strtoul(s, &end, 10);
	if (end == s || *end || v < 1 || v > TESSERA_MAX_CORES)
		ht_die(2, "%s: '%s' is not a number of cores (1..%u) or auto",
		       arg ? "--cores-per-process" : "TESSERA_CORES_PER_PROCESS", s,
		       TESSERA_MAX_CORES);
	return (uint32_t)v;
}

uint32_t ht_parse_cores(const char *s, uint32_t *out, uint32_t max)
{
	uint32_t n = 0;
	const char *p = s;

	if (!*s)
		ht_die(2, "empty core list (e.g. 0-3,8,10-11)");
	while (*p) {
		const char *end;
		uint64_t lo, hi;

		if (decimal(p, TESSERA_MAX_CORES - 1, &lo, &end))
			ht_die(2, "bad core list '%s': cores are numbers 0..%u (e.g. 0-3,8,10-11)", s,
			       TESSERA_MAX_CORES - 1);
		hi = lo;
		if (*end == '-') {
			p = end + 1;
			if (decimal(p, TESSERA_MAX_CORES - 1, &hi, &end) || hi < lo)
				ht_die(2, "bad range in core list '%s' (cores are 0..%u)", s,
				       TESSERA_MAX_CORES - 1);
		}
		for (uint64_t c = lo; c <= hi; c++) {
			if (n == max)
				ht_die(2, "core list '%s': more than %u cores", s, max);
			out[n++] = (uint32_t)c;
		}
		p = end;
		if (*p == ',' && p[1])
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

/* The board ht_open handed out last: a harness that replaces ht_exit closes it when a
 * command dies with it open (exit would have). */
struct hd_board *ht_opened;

struct hd_board *ht_open(const char *handle)
{
	struct hd_board *b;

	if (!handle)
		ht_die(2, "which board? give --board HANDLE (printed by `tessera boot`)");
	if (hd_board_open(handle, &b))
		ht_die(1, "%s", hd_last_error());
	ht_opened = b;
	return b;
}

uint64_t ht_number(const char *what, const char *s, uint64_t max)
{
	char *end;
	unsigned long long v;

	/* strtoull takes "-1" (as 2^64-1) and leading blanks: neither is a number here */
	errno = 0;
	v = (*s >= '0' && *s <= '9') ? strtoull(s, &end, 0) : 0;
	if (!(*s >= '0' && *s <= '9') || *end || errno)
		ht_die(2, "%s: '%s' is not a number", what, s);
	if (v > max)
		ht_die(2, "%s: %s is more than %llu", what, s, (unsigned long long)max);
	return v;
}

double ht_seconds(const char *what, const char *s, int zero_ok)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	/* NaN, infinities, negatives and "1e999" (ERANGE) are not a number of seconds */
	if (end == s || *end || errno || !(v >= 0 && v <= 1e9) || (!zero_ok && v == 0))
		ht_die(2, "%s: '%s' is not a %snumber of seconds (at most 1e9)", what, s,
		       zero_ok ? "" : "positive ");
	return v;
}

double ht_positive(const char *what, const char *s, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !(v > 0 && v <= max))
		ht_die(2, "%s: '%s' is not a positive number (at most %g)", what, s, max);
	return v;
}
