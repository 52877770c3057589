/* SPDX-License-Identifier: MIT */
/*
 * hex.h: the value of a hex digit, for the gdb remote protocol (gdbstub.c) and for
 * `tessera write --hex` (host-tools/inspect.c).
 */
#ifndef HD_HEX_H
#define HD_HEX_H

/* 0..15 for a hex digit of either case, -1 for anything else. */
static inline int hd_unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
