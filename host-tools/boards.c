// SPDX-License-Identifier: MIT
/*
 * boards.c: sccKit-style board control: `tessera boot` (create a board that stays),
 * `tessera load` (images onto cores held in reset), `tessera reset` (hold cores in reset,
 * or release them: a detached server process then runs them and writes each core's console
 * to <board>/console/coreNNNN.log), `tessera shutdown` (stop everything, remove the board).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tessera/host.h"
#include "ht.h"

static const char boot_usage[] =
	"usage: tessera boot [--board NAME|FILE] [--board-dir DIR]\n"
	"  Creates a board (all cores held in reset) that outlives the command and prints its\n"
	"  handle, for --board in the other commands. `tessera shutdown` removes it.\n";

int ht_boot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "board", required_argument, 0, 'b' }, { "board-dir", required_argument, 0, 'd' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	struct hd_board_opts bo = { .persistent = 1 };
	struct hd_board *b;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'b')
			bo.board = optarg;
		else if (c == 'd')
			bo.dir = optarg;
		else if (c == 'h')
			return fputs(boot_usage, stdout), 0;
		else
			ht_die(2, "boot: unknown or incomplete option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		ht_die(2, "boot: unexpected argument '%s'", argv[optind]);
	ht_progress_start(0);
	bo.progress = ht_progress;
	if (hd_board_create(&bo, &b))
		ht_die(1, "%s", hd_last_error());
	printf("%s\n", hd_board_handle(b));
	hd_board_close(b);
	return 0;
}

static const char load_usage[] =
	"usage: tessera load --board HANDLE [--cores LIST] [--backend SPEC] [--coherence MODE]\n"
	"                    [--env VAR=VALUE]... [--cores-per-process N] IMAGE [ARGS...]\n"
	"  Writes IMAGE and its boot info into the private DRAM of each listed core (default:\n"
	"  core 0); the cores become ranks 0, 1, ... in list order and stay held in reset until\n"
	"  `tessera reset --release`.\n";

int ht_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "board", required_argument, 0, 'b' }, { "on", required_argument, 0, 'b' },
		{ "cores", required_argument, 0, 'c' }, { "backend", required_argument, 0, 'k' },
		{ "coherence", required_argument, 0, 'm' }, { "env", required_argument, 0, 'e' },
		{ "cores-per-process", required_argument, 0, 'p' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	struct hd_job_opts jo = { .stdin_fd = -1 };
	static uint32_t cores[TESSERA_MAX_CORES];
	static char *envv[257];
	const char *handle = NULL, *cpp_arg = NULL;
	uint32_t n = 0;
	int c, nenv = 0;
	struct hd_board *b;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'b': handle = optarg; break;
		case 'c': n = ht_parse_cores(optarg, cores, TESSERA_MAX_CORES); break;
		case 'k': jo.backend = optarg; break;
		case 'm':
			if (!strcmp(optarg, "strict"))
				jo.flags |= TESSERA_BOOT_STRICT;
			else if (strcmp(optarg, "host"))
				ht_die(2, "--coherence: '%s' is not host or strict", optarg);
			break;
		case 'e':
			if (!strchr(optarg, '=') || nenv == 256)
				ht_die(2, "--env: expected VAR=VALUE, got '%s'", optarg);
			envv[nenv++] = optarg;
			break;
		case 'p': cpp_arg = optarg; break;
		case 'h': return fputs(load_usage, stdout), 0;
		default: ht_die(2, "load: unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		ht_die(2, "load: no image given (see tessera load --help)");
	if (!n)
		cores[n++] = 0;
	b = ht_open(handle);
	jo.image = argv[optind];
	jo.nranks = n;
	jo.cores = cores;
	jo.cores_per_process = ht_cores_per_process(cpp_arg);
	jo.argc = argc - optind;
	jo.argv = argv + optind;
	jo.envp = envv;
	if (hd_job_load(b, &jo)) {
		fprintf(stderr, "tessera: %s\n", hd_last_error());
		hd_board_close(b);
		return 1;
	}
	hd_board_close(b);
	return 0;
}

static const char reset_usage[] =
	"usage: tessera reset --board HANDLE [--cores LIST] (--hold | --release)\n"
	"  --hold     stop the cores and hold them in reset\n"
	"  --release  start the loaded cores; a server process in the background runs them and\n"
	"             writes each one's output to HANDLE/console/coreNNNN.log\n";

/* Output of a released core: appended to <board>/console/coreNNNN.log, opened once. */
static FILE *rank_log[TESSERA_MAX_CORES];

static void to_log(void *arg, uint32_t rank, int fd, const char *data, size_t n)
{
	(void)arg;
	(void)fd;
	if (rank < TESSERA_MAX_CORES && rank_log[rank]) {
		fwrite(data, 1, n, rank_log[rank]);
		fflush(rank_log[rank]);
	}
}

/* The background server of released cores: serve until they all end, then go. */
static void serve_released(struct hd_board *b, const uint32_t *cores, uint32_t n)
{
	char path[4200];
	struct hd_job_result res;
	char report[4096];
	int log;

	snprintf(path, sizeof(path), "%s/console", hd_board_handle(b));
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/console/server.log", hd_board_handle(b));
	log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (log >= 0) {
		dup2(log, 1);
		dup2(log, 2);
		close(log);
	}
	/* SIGTERM, SIGINT, SIGHUP: stop the cores and go, rather than die and lose them */
	ht_stop_catch();
	ht_stop_board(b);
	hd_board_set_output(b, to_log, NULL);
	for (uint32_t i = 0; i < n; i++) {
		struct hd_core_info ci;

		if (hd_core_info(b, cores[i], &ci) == 0 && ci.rank >= 0 &&
		    ci.rank < (int32_t)TESSERA_MAX_CORES) {
			snprintf(path, sizeof(path), "%s/console/core%04u.log", hd_board_handle(b),
				 cores[i]);
			rank_log[ci.rank] = fopen(path, "a");
		}
	}
	if (hd_cores_release(b, cores, n))
		fprintf(stderr, "tessera: %s\n", hd_last_error());
	if (hd_job_wait(b, &res) == 0) {
		hd_job_report(&res, report, sizeof(report));
		if (report[0])
			fprintf(stderr, "tessera: %s\n", report);
	}
	ht_stop_board(NULL);
	hd_board_close(b);
	_exit(0);
}

int ht_reset(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "board", required_argument, 0, 'b' }, { "on", required_argument, 0, 'b' },
		{ "cores", required_argument, 0, 'c' }, { "hold", no_argument, 0, 'H' },
		{ "release", no_argument, 0, 'R' }, { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	static uint32_t cores[TESSERA_MAX_CORES];
	const char *handle = NULL;
	uint32_t n = 0;
	int c, hold = 0, release = 0, rc = 0;
	struct hd_board *b;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'b': handle = optarg; break;
		case 'c': n = ht_parse_cores(optarg, cores, TESSERA_MAX_CORES); break;
		case 'H': hold = 1; break;
		case 'R': release = 1; break;
		case 'h': return fputs(reset_usage, stdout), 0;
		default: ht_die(2, "reset: unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (hold == release)
		ht_die(2, "reset: say --hold or --release");
	if (optind < argc)
		ht_die(2, "reset: unexpected argument '%s'", argv[optind]);
	b = ht_open(handle);
	if (!n) {
		for (uint32_t i = 0; i < tessera_cores(hd_board_geom(b)); i++) {
			struct hd_core_info ci;
			hd_core_info(b, i, &ci);
			if (hold || ci.rank >= 0)
				cores[n++] = i;
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		struct hd_core_info ci;
		if (hd_core_info(b, cores[i], &ci))
			ht_die(1, "%s", hd_last_error());
		if (release && ci.rank < 0)
			ht_die(1, "reset: core %u has nothing loaded (tessera load first)", cores[i]);
	}
	if (hold) {
		for (uint32_t i = 0; i < n; i++)
			if (hd_core_hold(b, cores[i])) {
				fprintf(stderr, "tessera: %s\n", hd_last_error());
				rc = 1;
			}
		hd_board_close(b);
		return rc;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		ht_die(1, "reset: fork: %s", strerror(errno));
	if (pid == 0) {
		setsid();
		serve_released(b, cores, n);
	}
	printf("released %u core%s; server %d; output in %s/console/\n", n, n == 1 ? "" : "s",
	       (int)pid, hd_board_handle(b));
	return 0;
}

static const char shutdown_usage[] =
	"usage: tessera shutdown --board HANDLE\n"
	"  Stops every core of the board and removes it.\n";

int ht_shutdown(int argc, char **argv)
{
	const char *handle = NULL;

	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "--board") || !strcmp(argv[i], "--on")) && i + 1 < argc)
			handle = argv[++i];
		else if (!strncmp(argv[i], "--board=", 8))
			handle = argv[i] + 8;
		else if (!strcmp(argv[i], "--help"))
			return fputs(shutdown_usage, stdout), 0;
		else
			ht_die(2, "shutdown: unexpected argument '%s'", argv[i]);
	}
	if (hd_board_destroy(ht_open(handle)))
		ht_die(1, "%s", hd_last_error());
	return 0;
}
