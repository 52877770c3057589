/* SPDX-License-Identifier: MIT */
/*
 * fakerun: runs N copies of a host-built MPI program as the ranks of a fake tessera job
 * (see fake.h). Usage: fakerun [-n N] [--timeout S] PROGRAM [ARGS...]
 * Exit status: the first non-zero rank status (128+signal for a crash), 124 on timeout.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "fake.h"

int main(int argc, char **argv)
{
	int nranks = 1, timeout = 60, i, fd, status, left, rc = 0;
	pid_t pids[FAKE_MAX_RANKS];
	struct fake_hdr *h;
	struct timespec ts;
	time_t start;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if ((!strcmp(argv[i], "-n") || !strcmp(argv[i], "-np")) && i + 1 < argc)
			nranks = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout = atoi(argv[++i]);
		else
			break;
	}
	if (i >= argc || nranks < 1 || nranks > FAKE_MAX_RANKS) {
		fprintf(stderr, "usage: fakerun [-n N] [--timeout S] PROGRAM [ARGS...]\n");
		return 2;
	}
	fd = memfd_create("tessera-fake", 0);
	if (fd < 0 || ftruncate(fd, (off_t)fake_total_bytes(nranks))) {
		perror("fakerun: shared region");
		return 1;
	}
	h = mmap(NULL, fake_bytes(nranks), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (h == MAP_FAILED) {
		perror("fakerun: mmap");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	h->nranks = nranks;
	h->t0_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	h->magic = FAKE_MAGIC;
	fflush(NULL);
	for (int r = 0; r < nranks; r++) {
		pids[r] = fork();
		if (pids[r] == 0) {
			char b1[16], b2[16];

			snprintf(b1, sizeof(b1), "%d", fd);
			snprintf(b2, sizeof(b2), "%d", r);
			setenv("TESSERA_FAKE_FD", b1, 1);
			setenv("TESSERA_FAKE_RANK", b2, 1);
			execvp(argv[i], argv + i);
			perror("fakerun: exec");
			_exit(127);
		}
	}
	start = time(NULL);
	left = nranks;
	while (left > 0) {
		pid_t p = waitpid(-1, &status, WNOHANG);

		if (p == 0) {
			if (time(NULL) - start > timeout) {
				fprintf(stderr, "fakerun: timeout after %d s\n", timeout);
				rc = 124;
				break;
			}
			usleep(2000);
			continue;
		}
		if (p < 0)
			break;
		left--;
		if (WIFEXITED(status) && WEXITSTATUS(status)) {
			rc = WEXITSTATUS(status);
			break;
		}
		if (WIFSIGNALED(status)) {
			rc = 128 + WTERMSIG(status);
			break;
		}
	}
	if (left > 0) {
		for (int r = 0; r < nranks; r++)
			kill(pids[r], SIGKILL);
		while (waitpid(-1, &status, 0) > 0)
			;
	}
	return rc;
}
