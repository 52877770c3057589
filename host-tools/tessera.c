// SPDX-License-Identifier: MIT
/*
 * tessera.c: the `tessera` command, a thin layer over libtessera-host (include/tessera/host.h):
 * it parses flags, calls the API and prints. Errors: `tessera: <what>: <why>`, exit 2 for
 * bad usage, 1 for other failures; a job's own status otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tessera/host.h"
#include "ht.h"

static void usage_main(FILE *f)
{
	fputs("usage: tessera [--help] [--version] COMMAND [ARGS]\n"
	      "\n"
	      "Commands:\n"
	      "  run       load an image onto N cores of a board, run it, wait for the end\n"
	      "  boot      create a board and keep it; prints its handle\n"
	      "  load      put an image on cores of a board (they stay in reset)\n"
	      "  reset     hold cores in reset, or release them (they run)\n"
	      "  ps        what every core is doing\n"
	      "  dump      memory of a core, an MPB, a CRB, a LUT, the chip (hex or raw)\n"
	      "  write     write bytes into board memory\n"
	      "  top       live view of a running board\n"
	      "  heatmap   draw the mesh's traffic from a trace\n"
	      "  gdb       start a loaded core of a board under gdb, serve it until it ends\n"
	      "  shutdown  stop every core of a board and remove it\n"
	      "  ls        the boards of this machine, alive or stale\n"
	      "  clean     remove stale boards (of a killed tessera run, or half-made)\n"
	      "  info      geometry and address map of a board\n"
	      "\n"
	      "`tessera --board HANDLE COMMAND` is the same as `tessera COMMAND --board HANDLE`.\n"
	      "\n"
	      "`tessera COMMAND --help` tells more.\n", f);
}

const struct ht_cmd ht_cmds[] = {
	{ "run", ht_run }, { "boot", ht_boot }, { "load", ht_load }, { "reset", ht_reset },
	{ "ps", ht_ps }, { "dump", ht_dump }, { "write", ht_write }, { "top", ht_top },
	{ "heatmap", ht_heatmap }, { "shutdown", ht_shutdown }, { "info", ht_info },
	{ "ls", ht_ls }, { "clean", ht_clean }, { "gdb", ht_gdb },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage_main(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage_main(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("tessera %s\n", hd_version());
		return 0;
	}
	/* tessera --board X CMD ... -> tessera CMD --board X ... */
	if ((!strcmp(argv[1], "--board") || !strcmp(argv[1], "--on")) && argc >= 4) {
		static char *moved[1024];
		int n = 0;
		if (argc > 1000)
			ht_die(2, "too many arguments");
		moved[n++] = argv[0];
		moved[n++] = argv[3];
		moved[n++] = "--board";
		moved[n++] = argv[2];
		for (int i = 4; i < argc; i++)
			moved[n++] = argv[i];
		moved[n] = NULL;
		argv = moved;
		argc = n;
	} else if (!strncmp(argv[1], "--board=", 8) && argc >= 3) {
		char *opt = argv[1], *cmd = argv[2];
		argv[1] = cmd;
		argv[2] = opt;
	}
	for (const struct ht_cmd *c = ht_cmds; c->name; c++)
		if (!strcmp(argv[1], c->name)) {
			if (!c->fn)
				ht_die(1, "%s: not built into this tessera", c->name);
			return c->fn(argc - 1, argv + 1);
		}
	fprintf(stderr, "tessera: unknown command '%s'\n", argv[1]);
	usage_main(stderr);
	return 2;
}
