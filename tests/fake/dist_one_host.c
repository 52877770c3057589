/* SPDX-License-Identifier: MIT */
/*
 * dist_one_host.c: tile-kernel/dist.c for the host builds of tile code (the HAL fake of
 * tests/fake, the board of tests/mpi/fake): their board is on one host, so nothing is homed
 * elsewhere and a hand-off to another host is a bug.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tk_impl.h"

int tk_dist_on(void)
{
	return 0;
}

int tk_dist_core_remote(uint32_t core)
{
	(void)core;
	return 0;
}

size_t tk_dist_span(uintptr_t a, size_t n, int *home)
{
	(void)a;
	*home = -1;	/* TK_DIST_HERE */
	return n;
}

static void elsewhere(const char *what, uintptr_t a, size_t n)
{
	fprintf(stderr, "%s(0x%lx, %zu) on a board of one host\n", what, (unsigned long)a, n);
	abort();
}

void tk_dist_put(uintptr_t a, const void *src, size_t n)
{
	(void)src;
	elsewhere("tk_dist_put", a, n);
}

void tk_dist_fetch(void *dst, uintptr_t a, size_t n)
{
	(void)dst;
	elsewhere("tk_dist_fetch", a, n);
}

void tk_dist_publish(void)
{
}

void tk_dist_ship(void)
{
}
