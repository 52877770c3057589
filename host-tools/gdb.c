// SPDX-License-Identifier: MIT
/*
 * gdb.c: `tessera gdb`: one core of a kept board under gdb. The core (loaded by `tessera
 * load`, held in reset) is released here, stopped before its first instruction; this command
 * prints the gdb command that attaches to it and serves the core in the foreground (its
 * output on this terminal) until it ends. `tessera run --gdb RANK` is the one-shot form.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "tessera/host.h"
#include "ht.h"

static const char gdb_usage[] =
	"usage: tessera gdb --board HANDLE --core C\n"
	"  Releases core C (loaded with `tessera load`, held in reset) stopped before its first\n"
	"  instruction, prints the gdb command that attaches to it, and serves the core here\n"
	"  (its output on this terminal) until it ends; exits with its status. Release the\n"
	"  other cores of its job with `tessera reset --release --cores ...` (docs/debugging.md).\n";

int ht_gdb(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "board", required_argument, 0, 'b' }, { "on", required_argument, 0, 'b' },
		{ "core", required_argument, 0, 'c' }, { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *handle = NULL;
	long core = -1;
	struct hd_core_info ci;
	struct hd_job_result res;
	struct hd_board *b;
	char cmd[3 * PATH_MAX], report[4096];
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'b': handle = optarg; break;
		case 'c': core = (long)ht_number("--core", optarg, TESSERA_MAX_CORES - 1); break;
		case 'h': return fputs(gdb_usage, stdout), 0;
		default: ht_die(2, "gdb: unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		ht_die(2, "gdb: unexpected argument '%s'", argv[optind]);
	if (core < 0)
		ht_die(2, "gdb: which core? give --core C");
	ht_stop_catch();
	b = ht_open(handle);
	if (hd_core_info(b, (uint32_t)core, &ci))
		ht_die(1, "%s", hd_last_error());
	if (ci.rank < 0)
		ht_die(1, "gdb: core %ld has nothing loaded (tessera load first)", core);
	ht_stop_board(b);
	if (hd_core_debug(b, (uint32_t)core) || hd_core_release(b, (uint32_t)core) ||
	    hd_core_debug_command(b, (uint32_t)core, cmd, sizeof(cmd)))
		ht_die(1, "%s", hd_last_error());
	fprintf(stderr, "tessera: core %ld (rank %d) is stopped before its first instruction; "
		"attach gdb with:\n  %s\n", core, ci.rank, cmd);
	if (hd_job_wait(b, &res))
		ht_die(1, "%s", hd_last_error());
	ht_stop_board(NULL);
	hd_board_close(b);
	hd_job_report(&res, report, sizeof(report));
	if (report[0])
		fprintf(stderr, "tessera: %s\n", report);
	return res.status;
}
