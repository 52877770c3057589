// SPDX-License-Identifier: MIT
/*
 * ls.c: the boards of this machine: `tessera ls` (every board, alive or stale), `tessera
 * clean` (remove the stale ones: abandoned by a killed `tessera run`, or half-made), and the
 * board a read-only command (ps, top, dump) takes when none is named: the only one there
 * is. Whether a board is alive is the kernel's word (record locks on its owner file, see
 * host-driver/owner.c), never board memory's; `clean` touches no process at all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tessera/host.h"
#include "ht.h"

static const char ls_usage[] =
	"usage: tessera ls [--dir DIR] [HANDLE...]\n"
	"  Lists the boards under DIR (default: $TESSERA_BOARD_DIR, or /dev/shm), or the boards\n"
	"  named: handle, state, kind (run: made by tessera run, removed when it ends; boot:\n"
	"  kept until tessera shutdown), owner (the live process that made it or runs its\n"
	"  cores), age, cores, the last job's ranks and program, and what is wrong with it.\n"
	"  A stale board (its tessera run was killed, or it was abandoned half-made) is\n"
	"  removed by `tessera clean`.\n";

static const char clean_usage[] =
	"usage: tessera clean [--dry-run] [--dir DIR] [HANDLE...]\n"
	"  Removes the stale boards under DIR (default: $TESSERA_BOARD_DIR, or /dev/shm), or\n"
	"  the boards named if they are stale: boards whose tessera run was killed, boards abandoned while being made. A live\n"
	"  board is left alone (tessera shutdown stops one); no process is touched.\n";

static const char *state_name(enum hd_board_state s)
{
	switch (s) {
	case HD_BOARD_ALIVE: return "alive";
	case HD_BOARD_MAKING: return "making";
	case HD_BOARD_STALE: return "stale";
	default: return "foreign";
	}
}

/* 42s, 17m, 5h, 3d */
static void age_text(uint64_t created_ns, char *buf, size_t n)
{
	struct timespec ts;
	uint64_t now, s;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	s = now > created_ns ? (now - created_ns) / 1000000000u : 0;
	if (s < 120)
		snprintf(buf, n, "%llus", (unsigned long long)s);
	else if (s < 7200)
		snprintf(buf, n, "%llum", (unsigned long long)s / 60);
	else if (s < 172800)
		snprintf(buf, n, "%lluh", (unsigned long long)s / 3600);
	else
		snprintf(buf, n, "%llud", (unsigned long long)s / 86400);
}

static void print_header(FILE *f)
{
	fprintf(f, "%-36s %-7s %-4s %-7s %-5s %-5s %-5s %-20s %s\n", "HANDLE", "STATE", "KIND",
		"OWNER", "AGE", "CORES", "RANKS", "PROGRAM", "NOTE");
}

static void print_board(FILE *f, const struct hd_board_status *s)
{
	char owner[16], age[16], cores[16], ranks[16], note[128] = "";
	const char *prog = strrchr(s->program, '/');

	prog = prog ? prog + 1 : s->program;
	snprintf(owner, sizeof(owner), s->owner_pid > 0 ? "%d" : s->owner_pid < 0 ? "?" : "-",
		 (int)s->owner_pid);
	age_text(s->created_ns, age, sizeof(age));
	snprintf(cores, sizeof(cores), s->cores ? "%u" : "-", s->cores);
	snprintf(ranks, sizeof(ranks), s->nranks ? "%u" : "-", s->nranks);
	if (s->state == HD_BOARD_STALE && !s->cores)
		snprintf(note, sizeof(note), "half-made");
	else if (s->state == HD_BOARD_STALE)
		snprintf(note, sizeof(note), "its creator (pid %d) is gone", (int)s->creator_pid);
	else if (s->state == HD_BOARD_FOREIGN)
		snprintf(note, sizeof(note), "no owner file: another version of tessera");
	else if (s->lost_cores)
		snprintf(note, sizeof(note), "%u core%s lost: the process that ran %s is gone",
			 s->lost_cores, s->lost_cores == 1 ? "" : "s",
			 s->lost_cores == 1 ? "it" : "them");
	else if (s->busy_cores)
		snprintf(note, sizeof(note), "%u core%s in use", s->busy_cores,
			 s->busy_cores == 1 ? "" : "s");
	fprintf(f, "%-36s %-7s %-4s %-7s %-5s %-5s %-5s %-20.20s %s\n", s->handle,
		state_name(s->state), s->state == HD_BOARD_FOREIGN ? "?" : s->kept ? "boot" : "run",
		owner, age, cores, ranks, *prog ? prog : "-", note);
}

static int by_handle(const void *a, const void *b)
{
	return strcmp(((const struct hd_board_status *)a)->handle,
		      ((const struct hd_board_status *)b)->handle);
}

/* The boards named, or all under dir; dies on failure. */
static size_t gather(const char *dir, char **names, int nnames, struct hd_board_status **out)
{
	struct hd_board_status *list;
	size_t n = 0;

	if (nnames) {
		if (!(list = calloc((size_t)nnames, sizeof(*list))))
			ht_die(1, "out of memory");
		for (int i = 0; i < nnames; i++)
			if (hd_board_status(names[i], &list[n]) == 0)
				n++;
			else
				fprintf(stderr, "tessera: %s\n", hd_last_error());
	} else if (hd_board_list(dir, &list, &n)) {
		ht_die(1, "%s", hd_last_error());
	}
	if (n)	/* an empty list may be NULL, which qsort must not get */
		qsort(list, n, sizeof(*list), by_handle);
	*out = list;
	return n;
}

/* --dir DIR, --dry-run, handles; returns the index of the first handle. */
static int parse(int argc, char **argv, const char *usage, const char **dir, int *dry)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			*dir = argv[++i];
		else if (!strncmp(argv[i], "--dir=", 6))
			*dir = argv[i] + 6;
		else if (dry && !strcmp(argv[i], "--dry-run"))
			*dry = 1;
		else if (!strcmp(argv[i], "--help"))
			fputs(usage, stdout), ht_exit(0);
		else if (!strcmp(argv[i], "--"))
			return i + 1;
		else if (argv[i][0] == '-')
			ht_die(2, "%s: unknown or incomplete option '%s' (see --help)", argv[0],
			       argv[i]);
		else
			break;
	}
	return i;
}

int ht_ls(int argc, char **argv)
{
	const char *dir = NULL;
	int first = parse(argc, argv, ls_usage, &dir, NULL);
	struct hd_board_status *list;
	size_t n = gather(dir, argv + first, argc - first, &list);

	print_header(stdout);
	for (size_t i = 0; i < n; i++)
		print_board(stdout, &list[i]);
	free(list);
	return 0;
}

int ht_clean(int argc, char **argv)
{
	const char *dir = NULL;
	int dry = 0, first = parse(argc, argv, clean_usage, &dir, &dry), rc = 0;
	int named = first < argc;
	struct hd_board_status *list;
	size_t n = gather(dir, argv + first, argc - first, &list), removed = 0;

	for (size_t i = 0; i < n; i++) {
		const struct hd_board_status *s = &list[i];

		if (s->state != HD_BOARD_STALE) {
			if (named) {
				fprintf(stderr, "tessera: clean: %s is %s: left alone%s\n", s->handle,
					state_name(s->state), s->state == HD_BOARD_ALIVE ?
					" (tessera shutdown stops it)" : "");
				rc = 1;
			}
			continue;
		}
		if (dry) {
			printf("would remove %s\n", s->handle);
			continue;
		}
		if (hd_board_clean(s->handle)) {
			fprintf(stderr, "tessera: clean: %s\n", hd_last_error());
			rc = 1;
			continue;
		}
		printf("removed %s (%s)\n", s->handle, s->cores ? "its creator was gone" :
			"half-made");
		removed++;
	}
	if (!named && !removed && !dry)
		printf("no stale board\n");
	free(list);
	return rc;
}

const char *ht_pick_board(const char *cmd)
{
	static char handle[4096];
	struct hd_board_status *list;
	size_t n = 0, alive = 0, busy = 0, pick = 0;

	if (hd_board_list(NULL, &list, &n))
		ht_die(1, "%s: %s", cmd, hd_last_error());
	for (size_t i = 0; i < n; i++)
		if (list[i].state == HD_BOARD_ALIVE)
			alive++, pick = i;
	if (alive > 1)	/* several: the one that runs something, if only one does */
		for (size_t i = 0; i < n; i++)
			if (list[i].state == HD_BOARD_ALIVE && list[i].busy_cores)
				busy++, pick = i;
	if (!alive) {
		free(list);
		ht_die(1, "%s: no live board (tessera ls): start one (tessera run, tessera boot) "
		       "or give --board HANDLE", cmd);
	}
	if (alive > 1 && busy != 1) {
		qsort(list, n, sizeof(*list), by_handle);
		fprintf(stderr, "tessera: %s: %zu boards, give --board with one of them:\n", cmd,
			alive);
		print_header(stderr);
		for (size_t i = 0; i < n; i++)
			if (list[i].state == HD_BOARD_ALIVE)
				print_board(stderr, &list[i]);
		free(list);
		ht_exit(2);
	}
	snprintf(handle, sizeof(handle), "%s", list[pick].handle);
	free(list);
	return handle;
}
