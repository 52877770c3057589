// SPDX-License-Identifier: MIT
/*
 * fuzz_gdbstub.c: a libFuzzer target for the GDB remote protocol (host-driver/gdbstub.c):
 * whatever bytes a client sends, in whatever pieces, to a stub over a fake core (256 bytes of
 * memory at 0x1000, a register block).
 *
 * What must hold: no crash or undefined behaviour (ASan, UBSan); the target is asked only
 * for what it has (a memory access outside its 256 bytes, or one while it is "running",
 * aborts); everything sent back is acks and whole packets whose checksums are right, none
 * longer than the packet size offered.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdbstub.h"

#define BASE 0x1000u
#define BYTES 256u

static uint8_t mem[BYTES], regs[HD_GDB_REGS_BYTES];
static int running;
static struct hd_gdbp p;
/* what the stub has sent, checked as it comes: 0 between packets, 1 in one */
static int state;
static size_t plen;
static uint8_t psum;
static char cks[2];
static int ck;

static int regs_get(void *t, uint8_t *r)
{
	(void)t;
	if (running)
		abort();
	memcpy(r, regs, sizeof(regs));
	return 0;
}

static int regs_set(void *t, const uint8_t *r)
{
	(void)t;
	if (running)
		abort();
	memcpy(regs, r, sizeof(regs));
	return 0;
}

static long mem_read(void *t, uint64_t addr, void *buf, size_t n)
{
	(void)t;
	if (running)
		abort();
	if (addr < BASE || addr >= BASE + BYTES)
		return -5;
	if (n > BASE + BYTES - addr)
		n = BASE + BYTES - addr;
	memcpy(buf, mem + (addr - BASE), n);
	return (long)n;
}

static long mem_write(void *t, uint64_t addr, const void *buf, size_t n)
{
	(void)t;
	if (running)
		abort();
	if (addr < BASE || addr > BASE + BYTES || n > BASE + BYTES - addr)
		return -5;
	memcpy(mem + (addr - BASE), buf, n);
	return (long)n;
}

static int resume(void *t, int step, int sig)
{
	(void)t, (void)step, (void)sig;
	running = 1;
	return 0;
}

static int interrupt(void *t)
{
	(void)t;
	return 0;
}

static void kill_core(void *t)
{
	(void)t;
}

static int detach(void *t)
{
	(void)t;
	return 0;
}

static uint64_t offset(void *t)
{
	(void)t;
	return 0x100000000000ull;
}

static const struct hd_gdb_target target = { regs_get, regs_set, mem_read, mem_write, resume,
					     interrupt, kill_core, detach, offset };

static int unhex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void check_sent(void *arg, const void *data, size_t n)
{
	const uint8_t *d = data;

	(void)arg;
	for (size_t i = 0; i < n; i++) {
		if (state == 0) {
			if (d[i] == '$')
				state = 1, plen = 0, psum = 0;
			else if (d[i] != '+' && d[i] != '-')
				abort();
		} else if (state == 1) {
			if (d[i] == '#')
				state = 2, ck = 0;
			else if (d[i] == '$' || ++plen > 2 * HD_GDB_PACKET_MAX)
				abort();
			else
				psum += d[i];
		} else {
			cks[ck++] = (char)d[i];
			if (ck == 2) {
				if (unhex(cks[0]) < 0 || unhex(cks[1]) < 0 ||
				    (uint8_t)(unhex(cks[0]) << 4 | unhex(cks[1])) != psum)
					abort();
				state = 0;
			}
		}
	}
}

/* The first byte sets the sizes of the pieces the rest comes in; a 0x00 byte in the rest
 * (when the stub owes a stop) makes the core stop. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_gdb_stop entry = { .kind = HD_GDB_STOP_SIGNAL, .sig = SIGTRAP };
	struct hd_gdb_stop hit = { .kind = HD_GDB_STOP_SIGNAL, .sig = SIGTRAP, .int3 = 1 };
	size_t piece, i;

	if (!size)
		return 0;
	piece = (size_t)data[0] % 16 + 1;
	for (i = 0; i < BYTES; i++)
		mem[i] = (uint8_t)i;
	memset(regs, 0, sizeof(regs));
	running = 0;
	state = 0;
	hd_gdbp_init(&p, &target, NULL, check_sent, NULL, &entry);
	for (i = 1; i < size && !p.closing; i += piece) {
		size_t n = size - i < piece ? size - i : piece;
		if (running && data[i] == 0) {
			running = 0;
			hd_gdbp_stopped(&p, &hit);
			continue;
		}
		hd_gdbp_input(&p, data + i, n);
	}
	if (running) {
		running = 0;
		hd_gdbp_stopped(&p, &hit);
	}
	hd_gdbp_clear(&p);
	return 0;
}
