// SPDX-License-Identifier: MIT
/*
 * fuzz_args.c: a libFuzzer target for what the board tools make of their arguments: core
 * lists, numbers, seconds, --backend specs, board files, and whole command lines of the
 * commands that only look (ps, dump, info, ls) against a kept board made at start in a
 * directory of the target's own ($TESSERA_BOARD_DIR). A command that refuses its arguments
 * ends through ht_die, whose ht_exit this target replaces with a longjmp back here.
 *
 * The first byte picks what is fuzzed; the rest is NUL-separated strings. What must hold:
 * no crash, no undefined behaviour (ASan, UBSan), no hang; a parsed core list holds only
 * cores below TESSERA_MAX_CORES; seconds are finite, 0..1e9; a parsed board file's geometry
 * passes its own check or is refused. Commands that change a board or start processes
 * (run, load, reset, write, shutdown, clean) and PCI handles stay out: they would reach
 * outside this process.
 */
#define _GNU_SOURCE
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hd_impl.h"
#include "ht.h"

#define MAX_ARGS 24

/* A refused command line leaves what it had allocated when ht_die jumps back (as exit
 * would): that is not a leak of the tools, so LeakSanitizer stays out of this target. */
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

static jmp_buf back;
static int in_command;
static char handle[4096];

void ht_exit(int code)
{
	(void)code;
	if (!in_command)
		abort();	/* nothing else may end the process */
	longjmp(back, 1);
}

static char dir[] = "/dev/shm/tsfuzz-args-XXXXXX";

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "fuzz_args: could not remove %s\n", dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct hd_board_opts bo = { .persistent = 1 };
	struct hd_board *b;

	(void)argc;
	(void)argv;
	if (!mkdtemp(dir))
		abort();
	atexit(remove_dir);
	setenv("TESSERA_BOARD_DIR", dir, 1);
	if (hd_board_create(&bo, &b))
		abort();
	snprintf(handle, sizeof(handle), "%s", hd_board_handle(b));
	hd_board_close(b);
	return 0;
}

/* The input after its first byte, as NUL-separated strings (a copy, NUL-terminated). */
static int split(const uint8_t *data, size_t n, char **copy, char **args)
{
	int nargs = 0;

	*copy = malloc(n + 1);
	if (!*copy)
		abort();
	memcpy(*copy, data, n);
	(*copy)[n] = 0;
	for (size_t i = 0; i <= n && nargs < MAX_ARGS; ) {
		args[nargs++] = *copy + i;
		i += strlen(*copy + i) + 1;
	}
	return nargs;
}

static void check_cores(const char *s)
{
	uint32_t out[TESSERA_MAX_CORES], n = ht_parse_cores(s, out, TESSERA_MAX_CORES);

	for (uint32_t i = 0; i < n; i++)
		if (out[i] >= TESSERA_MAX_CORES)
			abort();
}

static void check_geom(const char *text)
{
	struct tessera_geom g;

	if (hd_geom_parse(text, "fuzz.board", &g) == 0 && hd_geom_check(&g) == 0 &&
	    (tessera_cores(&g) == 0 || tessera_cores(&g) > TESSERA_MAX_CORES))
		abort();
}

/* A command line of a command that only looks; never one reaching a PCI device. */
static void command(char **args, int nargs, uint8_t how)
{
	static const char *const cmds[] = { "ps", "dump", "info", "ls" };
	static int (*const fns[])(int, char **) = { ht_ps, ht_dump, ht_info, ht_ls };
	char *argv[MAX_ARGS + 4];
	int argc = 0, k = how % 4;

	argv[argc++] = (char *)cmds[k];
	if (how & 4) {	/* the target's board, named */
		argv[argc++] = "--board";
		argv[argc++] = handle;
	}
	for (int i = 0; i < nargs; i++) {
		if (strstr(args[i], "pci"))
			return;
		argv[argc++] = args[i];
	}
	argv[argc] = NULL;
	optind = 0;	/* getopt starts afresh */
	ht_opened = NULL;
	fns[k](argc, argv);
	ht_opened = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *args[MAX_ARGS];
	const struct hd_backend *be[TESSERA_MAX_CORES];
	int nargs;
	uint8_t pick;

	if (size < 1)
		return 0;
	pick = data[0];
	nargs = split(data + 1, size - 1, &copy, args);
	in_command = 1;
	if (setjmp(back)) {
		if (ht_opened)
			hd_board_close(ht_opened);
		ht_opened = NULL;
		goto out;
	}
	switch (pick % 6) {
	case 0:
		check_cores(args[0]);
		break;
	case 1:
		ht_number("fuzz", args[0], pick & 8 ? UINT64_MAX : TESSERA_MAX_CORES - 1);
		break;
	case 2: {
		double s = ht_seconds("fuzz", args[0], pick & 8);
		if (!(s >= 0 && s <= 1e9) || isnan(s))
			abort();
		break;
	}
	case 3:
		hd_backends_parse(args[0], 48, be);
		break;
	case 4:
		check_geom(args[0]);
		break;
	default:
		command(args, nargs, (uint8_t)(pick >> 3));
		break;
	}
out:
	in_command = 0;
	free(copy);
	return 0;
}
