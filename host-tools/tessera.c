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
#include <stdarg.h>
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
	      "  run     load an image onto N cores of a board, run it, wait for the end\n"
	      "  info    geometry and address map of a board\n"
	      "\n"
	      "`tessera COMMAND --help` tells more.\n", f);
}

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
	if (!strcmp(argv[1], "run"))
		return ht_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "info"))
		return ht_info(argc - 1, argv + 1);
	fprintf(stderr, "tessera: unknown command '%s'\n", argv[1]);
	usage_main(stderr);
	return 2;
}
