// SPDX-License-Identifier: MIT
/*
 * hostile: a tile that looks for what it must never reach and tampers with what it can,
 * to test docs/threat-model.md. Modes:
 *  scan        probe the address space with futex (which the seccomp filter allows): the
 *              low 4 GB outside the windows its LUT shares with every core, every 64 KB;
 *              the emu views (16 TB + 4 GB per core, where each core's own windows are),
 *              every 16 MB; and the regions where Linux puts a process's own mappings;
 *              print "unexpected A-B" for a mapping below 4 GB outside those windows,
 *              "view of core C" for a view other than its own that has something mapped,
 *              "header at A" / "hostfile at A" for a mapping that starts with the board
 *              header or the host file, then "scanned".
 *  smear PID   write PID into every word of its status, its board registers and every CRB
 *              register page, say it is held in reset, and end without an exit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tk.h"

#define PAGE	4096ull
#define LOW_STEP	(64ull << 10)
#define BIG_SLOT	(16ull << 20)

static long sys3(long n, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

/* A shared FUTEX_WAKE faults the page in, or fails with -EFAULT when nothing is there. */
static int mapped(uint64_t addr)
{
	return sys3(202 /* futex */, (long)addr, 1 /* FUTEX_WAKE */, 0) != -14;
}

/* The entry of this core's LUT (in its tile's CRB, after the register page). */
static const volatile struct tessera_lut_entry *my_lut(void)
{
	const struct tessera_geom *g = tk_geom();
	uint32_t c = tk_core();

	return (const volatile struct tessera_lut_entry *)(uintptr_t)(
		tessera_crb_addr(g, tessera_core_tile(g, c)) + TESSERA_CRB_REGS_BYTES +
		tessera_core_z(g, c) * TESSERA_LUT_BYTES);
}

static void look_at_start(uint64_t a)
{
	uint64_t v = *(volatile uint64_t *)(uintptr_t)a;

	if (v == TESSERA_BOARD_MAGIC)
		printf("header at 0x%llx\n", (unsigned long long)a);
	if ((uint32_t)v == 0x54534f48u)
		printf("hostfile at 0x%llx\n", (unsigned long long)a);
}

static void scan_low(void)
{
	const volatile struct tessera_lut_entry *lut = my_lut();
	uint64_t run = 0, a;
	int in_run = 0;

	for (a = 0; a < (1ull << 32); a += LOW_STEP) {
		const volatile struct tessera_lut_entry *e = &lut[a >> TESSERA_LUT_SHIFT];
		uint64_t in = a & (TESSERA_LUT_WINDOW - 1);
		/* a core's own windows are at its view base (tk_own_addr), not here */
		int expected = e->kind != TESSERA_LUT_NONE && in < e->bytes &&
			       !tessera_window_is_own((uint32_t)(a >> TESSERA_LUT_SHIFT));
		int m = !expected && mapped(a);

		if (m && !in_run) {
			run = a;
			in_run = 1;
			look_at_start(a);
		} else if (!m && in_run) {
			printf("unexpected 0x%llx-0x%llx\n", (unsigned long long)run,
			       (unsigned long long)a);
			in_run = 0;
		}
	}
	if (in_run)
		printf("unexpected 0x%llx-0x%llx\n", (unsigned long long)run, (unsigned long long)a);
}

/* Where Linux maps a PIE program, its libraries, its heap and its stack: probed every
 * 16 MB (the board's chip is larger than that), each mapped run then read page by page. */
static void scan_high(uint64_t lo, uint64_t hi)
{
	uint64_t done = lo;

	for (uint64_t a = lo; a < hi; a += BIG_SLOT) {
		uint64_t s = a, e = a;

		if (a < done || !mapped(a))
			continue;
		while (s > done && mapped(s - PAGE))
			s -= PAGE;
		for (e = s; e < hi && mapped(e); e += PAGE)
			look_at_start(e);
		if (getenv("HOSTILE_VERBOSE"))
			printf("run 0x%llx-0x%llx\n", (unsigned long long)s, (unsigned long long)e);
		done = e;
	}
}

/* The views of the emu cores (host-driver/hd_impl.h: 16 TB + 4 GB per core): anything
 * mapped in another core's. */
static void scan_views(void)
{
	const uint64_t base = 1ull << 44, stride = 1ull << 32;
	uint32_t cores = tessera_cores(tk_geom());

	for (uint32_t c = 0; c < cores; c++) {
		uint64_t v = base + c * stride;

		if (v == tk_own_addr(0))
			continue;
		for (uint64_t a = v; a < v + stride; a += BIG_SLOT)
			if (mapped(a)) {
				printf("view of core %u\n", c);
				look_at_start(a);
				break;
			}
	}
}

static void smear(uint32_t pid)
{
	const struct tessera_geom *g = tk_geom();
	volatile uint32_t *w;

	w = (volatile uint32_t *)(uintptr_t)(TESSERA_ADDR_BOARDREG);
	for (uint32_t i = 0; i < TESSERA_BOARDREG_GLOBAL_BYTES / 4; i++)
		w[i] = pid;
	w = (volatile uint32_t *)(uintptr_t)(TESSERA_ADDR_BOARDREG + TESSERA_BOARDREG_GLOBAL_BYTES +
					      tk_core() * sizeof(struct tessera_boardreg_core));
	for (uint32_t i = 0; i < sizeof(struct tessera_boardreg_core) / 4; i++)
		w[i] = pid;
	for (uint32_t t = 0; t < tessera_tiles(g); t++) {
		w = (volatile uint32_t *)(uintptr_t)tessera_crb_addr(g, t);
		for (uint32_t i = 0; i < TESSERA_CRB_REGS_BYTES / 4; i++)
			w[i] = pid;
	}
	w = (volatile uint32_t *)tk_own_addr(TESSERA_ADDR_HOSTWIN);
	for (uint32_t i = 0; i < sizeof(struct tessera_status) / 4; i++)
		w[i] = pid;
	__atomic_store_n(&((volatile struct tessera_status *)w)->state, TESSERA_CORE_RESET,
			 __ATOMIC_SEQ_CST);
	for (;;)
		sys3(231 /* exit_group */, 0, 0, 0);
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "smear"))
		smear((uint32_t)strtoul(argv[2], NULL, 10));
	scan_low();
	scan_views();
	scan_high(0x550000000000ull, 0x570000000000ull);
	scan_high(0x7e0000000000ull, 0x800000000000ull - PAGE);
	printf("scanned\n");
	return 0;
}
