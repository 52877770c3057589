// SPDX-License-Identifier: MIT
/*
 * inspect.c: looking into a board while it runs: `tessera ps` (what each core does),
 * `tessera dump` (memory in hex or raw) and `tessera write` (memory from hex or a file).
 * Memory is named by space: a core's private DRAM, a core's address space (through its
 * LUT), a tile's MPB or CRB, a core's LUT, or the chip itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tessera/host.h"
#include "hex.h"
#include "ht.h"

static const char *state_name(uint32_t s)
{
	static const char *names[] = { "reset", "booting", "running", "exited", "crashed",
				       "panicked" };

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static const char ps_usage[] =
	"usage: tessera ps [--board HANDLE] [--all]\n"
	"  One line per core of the current job (--all: every core): core, tile, rank, state,\n"
	"  and what a running core waits for; messages and bytes it sent and received; its\n"
	"  modelled clock and voltage (RCCE's power management changes them, docs/rcce.md);\n"
	"  under --timing=scc, the core's virtual time (VTIME, docs/timing.md).\n"
	"  A core that says it runs but whose host process is gone shows as lost. Without\n"
	"  --board: the only live board (tessera ls lists them).\n";

/* The core's modelled DVFS state (board registers): "533 MHz 1.1 V" with the SCC's
 * defaults when nobody set it (divider 3 of 1600 MHz, voltage level 4). */
static void power_text(struct hd_board *b, uint32_t core, char *buf, size_t n)
{
	static const int mv[] = { 700, 800, 900, 1000, 1100, 1200, 1300 };
	struct tessera_boardreg_core r;
	uint32_t f = 3, v = 4;

	if (!hd_mem_read(b, HD_SPACE_CHIP, 0, tessera_boardreg_core_off(hd_board_layout(b), core),
			 &r, sizeof(r)) && r.pm_fdiv >= 2 && r.pm_fdiv <= 16 && r.pm_vlevel < 7) {
		f = r.pm_fdiv;	/* written by a tile: checked */
		v = r.pm_vlevel;
	}
	snprintf(buf, n, "%u MHz %d.%d V", 1600 / f, mv[v] / 1000, mv[v] % 1000 / 100);
}

int ht_ps(int argc, char **argv)
{
	const char *handle = NULL;
	int all = 0, timed = 0;
	struct hd_board *b;
	const struct tessera_geom *g;

	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "--board") || !strcmp(argv[i], "--on")) && i + 1 < argc)
			handle = argv[++i];
		else if (!strncmp(argv[i], "--board=", 8))
			handle = argv[i] + 8;
		else if (!strcmp(argv[i], "--all"))
			all = 1;
		else if (!strcmp(argv[i], "--help"))
			return fputs(ps_usage, stdout), 0;
		else
			ht_die(2, "ps: unexpected argument '%s'", argv[i]);
	}
	b = ht_open(handle ? handle : ht_pick_board("ps"));
	g = hd_board_geom(b);
	for (uint32_t c = 0; c < g->mesh_x * g->mesh_y * g->cores_per_tile && !timed; c++) {
		struct hd_core_info ci;

		timed = !hd_core_info(b, c, &ci) && ci.timed;
	}
	printf("%-5s %-6s %-5s %-9s %-44s %-36s %-14s%s\n", "CORE", "TILE", "RANK", "STATE",
	       "DOING", "SENT/RECEIVED", "CLOCK", timed ? " VTIME" : "");
	for (uint32_t c = 0; c < g->mesh_x * g->mesh_y * g->cores_per_tile; c++) {
		struct hd_core_info ci;
		char doing[64] = "", tile[16], rank[12], traffic[64], clock[32];

		if (hd_core_info(b, c, &ci))
			ht_die(1, "%s", hd_last_error());
		if (!all && ci.rank < 0)
			continue;
		snprintf(tile, sizeof(tile), "%u,%u", ci.tile_x, ci.tile_y);
		snprintf(rank, sizeof(rank), ci.rank < 0 ? "-" : "%d", ci.rank);
		if ((ci.state == TESSERA_CORE_BOOTING || ci.state == TESSERA_CORE_RUNNING) &&
		    !ci.host_pid) {
			printf("%-5u %-6s %-5s %-9s %s\n", c, tile, rank, "lost",
			       "its host process is gone (tessera clean, or shutdown)");
			continue;
		}
		if (ci.state == TESSERA_CORE_EXITED) {
			snprintf(doing, sizeof(doing), "status %d", ci.exit_code);
		} else if (ci.state == TESSERA_CORE_RUNNING) {
			const char *w = ci.wait_kind == TESSERA_WAIT_RECV ? "receive from" :
					ci.wait_kind == TESSERA_WAIT_SSEND ? "ssend to" :
					ci.wait_kind == TESSERA_WAIT_SEND ? "send to" :
					ci.wait_kind == TESSERA_WAIT_COLL ? "collective, waits" :
					ci.wait_kind == TESSERA_WAIT_HOST ? "host call" : NULL;
			const char *lock = ci.wait_kind == TESSERA_WAIT_RMA_LOCK ? "window" :
					   ci.wait_kind == TESSERA_WAIT_FILE_LOCK ? "file" : NULL;
			if (lock && ci.wait_peer >= 0)	/* tag: whose window part or file it is */
				snprintf(doing, sizeof(doing), "%s%s lock of rank %d, held by rank %d",
					 ci.halted ? "halted, " : "", lock, ci.wait_tag, ci.wait_peer);
			else if (lock)
				snprintf(doing, sizeof(doing), "%s%s lock of rank %d", ci.halted ?
					 "halted, " : "", lock, ci.wait_tag);
			else if (w && ci.wait_kind == TESSERA_WAIT_HOST)
				snprintf(doing, sizeof(doing), "%s%s", ci.halted ? "halted, " : "", w);
			else if (w && ci.wait_peer < 0)
				snprintf(doing, sizeof(doing), "%s%s any (tag %d)",
					 ci.halted ? "halted, " : "", w, ci.wait_tag);
			else if (w)
				snprintf(doing, sizeof(doing), "%s%s rank %d (tag %d)",
					 ci.halted ? "halted, " : "", w, ci.wait_peer, ci.wait_tag);
			else if (ci.wait_kind == TESSERA_WAIT_SLEEP)	/* halted, of course */
				snprintf(doing, sizeof(doing), "sleeping");
			else
				snprintf(doing, sizeof(doing), "%s", ci.halted ? "halted" : "computing");
		}
		snprintf(traffic, sizeof(traffic), "%llu msgs %llu B / %llu msgs %llu B",
			 (unsigned long long)ci.msgs_sent, (unsigned long long)ci.bytes_sent,
			 (unsigned long long)ci.msgs_recv, (unsigned long long)ci.bytes_recv);
		power_text(b, c, clock, sizeof(clock));
		printf("%-5u %-6s %-5s %-9s %-44s %-36s %-14s", c, tile, rank, state_name(ci.state),
		       doing, traffic, clock);
		if (ci.timed)
			printf(" %.6f s (%llu cycles)", (double)ci.vtime_ns / 1e9,
			       (unsigned long long)ci.vclock);
		putchar('\n');
	}
	hd_board_close(b);
	return 0;
}

/* Where --private/--addr/--mpb/--crb/--lut/--chip point, as (space, core, address, bytes). */
struct where {
	enum hd_space space;
	uint32_t core;
	uint64_t addr, len;
	uint64_t shown;		/* the address printed for the first byte */
	int set;
};

static const char dump_usage[] =
	"usage: tessera dump --board HANDLE WHAT [--raw]\n"
	"  WHAT is one of:\n"
	"    --core N --private OFFSET LENGTH   private DRAM of core N\n"
	"    --core N --addr ADDRESS LENGTH     what core N sees at ADDRESS (through its LUT)\n"
	"    --mpb TILE                         the tile's whole MPB (offsets from its start)\n"
	"    --crb TILE                         the tile's whole CRB (registers and LUTs)\n"
	"    --lut CORE                         the core's LUT, one entry per line\n"
	"    --chip OFFSET LENGTH               the chip itself\n"
	"  Prints hex and ASCII, 16 bytes a line; --raw writes the bytes as they are.\n";

static const char write_usage[] =
	"usage: tessera write --board HANDLE WHERE (--hex BYTES | --file FILE)\n"
	"  WHERE: --core N --private OFFSET | --core N --addr ADDRESS | --chip OFFSET\n"
	"  --hex takes bytes as hex digits (\"deadbeef\"); --file the contents of a file.\n";

static void hexdump(const uint8_t *p, size_t n, uint64_t base)
{
	for (size_t i = 0; i < n; i += 16) {
		printf("%08llx ", (unsigned long long)(base + i));
		for (size_t j = 0; j < 16; j++) {
			if (i + j < n)
				printf("%s%02x", j == 8 ? "  " : " ", p[i + j]);
			else
				printf("%s  ", j == 8 ? "  " : " ");
		}
		printf("  |");
		for (size_t j = 0; j < 16 && i + j < n; j++)
			putchar(p[i + j] >= 32 && p[i + j] < 127 ? p[i + j] : '.');
		printf("|\n");
	}
}

/* Parse the memory-naming options shared by dump and write; returns the index after them. */
static int parse_where(int argc, char **argv, int i, struct where *w, int with_len,
		       const struct tessera_geom *g, const struct tessera_layout *l)
{
	const char *a = argv[i];
	uint32_t tiles = g->mesh_x * g->mesh_y, cores = tiles * g->cores_per_tile;

	if ((!strcmp(a, "--private") || !strcmp(a, "--addr") || !strcmp(a, "--chip")) &&
	    i + 1 + with_len < argc) {
		w->space = !strcmp(a, "--private") ? HD_SPACE_PRIVATE :
			   !strcmp(a, "--addr") ? HD_SPACE_CORE : HD_SPACE_CHIP;
		w->addr = ht_number(a, argv[i + 1], UINT64_MAX);
		w->len = with_len ? ht_number(a, argv[i + 2], UINT64_MAX) : 0;
		w->shown = w->addr;
		w->set = 1;
		return i + 2 + with_len;
	}
	if ((!strcmp(a, "--mpb") || !strcmp(a, "--crb") || !strcmp(a, "--lut")) && with_len &&
	    i + 1 < argc) {
		uint64_t n = ht_number(a, argv[i + 1], UINT32_MAX);
		w->space = HD_SPACE_CHIP;
		w->set = 1 + (a[2] == 'l');
		if (a[2] == 'l') {
			if (n >= cores)
				ht_die(2, "--lut: core %llu: the board has %u cores",
				       (unsigned long long)n, cores);
			w->core = (uint32_t)n;
			w->addr = tessera_lut_off(g, l, (uint32_t)n);
			w->len = TESSERA_LUT_BYTES;
		} else {
			if (n >= tiles)
				ht_die(2, "%s: tile %llu: the board has %u tiles", a,
				       (unsigned long long)n, tiles);
			w->addr = a[2] == 'm' ? tessera_mpb_off(l, (uint32_t)n) :
						tessera_crb_off(l, (uint32_t)n);
			w->len = a[2] == 'm' ? g->mpb_bytes : tessera_crb_bytes(g);
		}
		return i + 2;
	}
	return -1;
}

/* The whole of a file, a pipe too (its size is not known before the end), at most 256 MB. */
static uint8_t *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, got;
	uint8_t *buf = malloc(cap);

	if (!f)
		ht_die(1, "write: %s: %s", path, strerror(errno));
	*n = 0;
	while (buf && (got = fread(buf + *n, 1, cap - *n, f)) > 0) {
		*n += got;
		if (*n == cap) {
			if (cap >= (256u << 20))
				ht_die(2, "write: %s: more than 256 MB", path);
			buf = realloc(buf, cap *= 2);
		}
	}
	if (!buf)
		ht_die(1, "out of memory");
	if (ferror(f))
		ht_die(1, "write: %s: %s", path, strerror(errno));
	fclose(f);
	return buf;
}

static int mem_cmd(int argc, char **argv, int writing)
{
	struct where w = { 0 };
	const char *handle = NULL, *hex = NULL, *file = NULL;
	int raw = 0, have_core = 0;
	struct hd_board *b;
	uint8_t *buf = NULL;
	size_t n = 0;
	int i;

	for (i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "--board") || !strcmp(argv[i], "--on")) && i + 1 < argc)
			handle = argv[++i];
		else if (!strncmp(argv[i], "--board=", 8))
			handle = argv[i] + 8;
		else if (!strcmp(argv[i], "--help"))
			return fputs(writing ? write_usage : dump_usage, stdout), 0;
	}
	b = ht_open(handle ? handle : writing ? NULL : ht_pick_board("dump"));
	const struct tessera_geom *g = hd_board_geom(b);
	const struct tessera_layout *l = hd_board_layout(b);
	for (i = 1; i < argc;) {
		int next;
		if (!strcmp(argv[i], "--board") || !strcmp(argv[i], "--on")) {
			i += 2;
		} else if (!strncmp(argv[i], "--board=", 8)) {
			i++;
		} else if (!strcmp(argv[i], "--core") && i + 1 < argc) {
			w.core = (uint32_t)ht_number("--core", argv[i + 1], TESSERA_MAX_CORES - 1);
			have_core = 1;
			i += 2;
		} else if (!strcmp(argv[i], "--raw") && !writing) {
			raw = 1;
			i++;
		} else if (!strcmp(argv[i], "--hex") && writing && i + 1 < argc) {
			hex = argv[i + 1];
			i += 2;
		} else if (!strcmp(argv[i], "--file") && writing && i + 1 < argc) {
			file = argv[i + 1];
			i += 2;
		} else if ((next = parse_where(argc, argv, i, &w, !writing, g, l)) > 0) {
			i = next;
		} else {
			ht_die(2, "%s: unexpected or incomplete argument '%s' (see --help)",
			       writing ? "write" : "dump", argv[i]);
		}
	}
	if (!w.set)
		ht_die(2, "%s: say which memory (see --help)", writing ? "write" : "dump");
	if ((w.space == HD_SPACE_PRIVATE || w.space == HD_SPACE_CORE) && !have_core)
		ht_die(2, "%s: --private and --addr need --core N", writing ? "write" : "dump");
	if (writing) {
		if (!!hex == !!file)
			ht_die(2, "write: give --hex BYTES or --file FILE");
		if (hex) {
			size_t hl = strlen(hex);
			if (hl % 2)
				ht_die(2, "write: --hex needs an even number of hex digits");
			if (!(buf = malloc(hl / 2 + 1)))
				ht_die(1, "out of memory");
			for (n = 0; n < hl / 2; n++) {
				int hi = hd_unhex(hex[2 * n]), lo = hd_unhex(hex[2 * n + 1]);
				if (hi < 0 || lo < 0)
					ht_die(2, "write: '%.2s' is not hex", hex + 2 * n);
				buf[n] = (uint8_t)(hi << 4 | lo);
			}
		} else {
			buf = read_file(file, &n);
		}
		if (hd_mem_write(b, w.space, w.core, w.addr, buf, n))
			ht_die(1, "%s", hd_last_error());
	} else {
		if (w.len > (256u << 20))
			ht_die(2, "dump: at most 256 MB at a time");
		buf = malloc(w.len ? w.len : 1);
		if (!buf)
			ht_die(1, "out of memory");
		if (hd_mem_read(b, w.space, w.core, w.addr, buf, w.len))
			ht_die(1, "%s", hd_last_error());
		if (raw) {
			fwrite(buf, 1, w.len, stdout);
		} else if (w.set == 2) {
			const struct tessera_lut_entry *e = (const void *)buf;
			static const char *kinds[] = { "none", "private", "chip" };
			for (unsigned k = 0; k < TESSERA_LUT_ENTRIES; k++)
				if (e[k].kind)
					printf("0x%08x  %-7s offset 0x%llx, %u bytes\n",
					       k << TESSERA_LUT_SHIFT,
					       e[k].kind < 3 ? kinds[e[k].kind] : "?",
					       (unsigned long long)e[k].offset, e[k].bytes);
		} else {
			hexdump(buf, w.len, w.shown);
		}
	}
	free(buf);
	hd_board_close(b);
	return 0;
}

int ht_dump(int argc, char **argv)
{
	return mem_cmd(argc, argv, 0);
}

int ht_write(int argc, char **argv)
{
	return mem_cmd(argc, argv, 1);
}
