// SPDX-License-Identifier: MIT
/*
 * floor.c: tessera-cacheline-floor, a host program (not a tile image): the floor under
 * mpbc-pingpong on this machine. Two threads pinned to two host CPUs ping-pong, first
 * through one shared cache line (the one-way latency no message between two emulated cores
 * can beat), then with a payload of each mpbc-pingpong size copied through a shared buffer
 * whose flag sits in its own line (the best a copy-based channel can do on this memory).
 * Usage: tessera-cacheline-floor [--cpus A,B] [--max BYTES] [--time-ms MS]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "arch.h"

#define LINE 64

struct shared {
	_Alignas(LINE) volatile uint64_t ping;	/* written by thread 0 */
	_Alignas(LINE) volatile uint64_t pong;	/* written by thread 1 */
	_Alignas(LINE) volatile uint64_t line;	/* the single-line ping-pong */
	_Alignas(LINE) uint8_t pad;
};

static struct shared sh;
static uint8_t *wire;			/* shared payload buffer */
static size_t len;
static uint64_t iters;
static int cpu[2] = { 0, 1 };
static pthread_barrier_t bar;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void pin(int c)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(c, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* Spin as an emulated core spins: arch_relax of tile-kernel/arch/emu/mpb.c. */
static inline void relax(void)
{
	arch_relax();
}

/* One shared line: thread 0 writes odd values, thread 1 answers with the next even one. */
static void line_pingpong(int t)
{
	uint64_t i;

	for (i = 0; i < iters; i++) {
		uint64_t v = 2 * i + 1;

		if (t == 0) {
			__atomic_store_n(&sh.line, v, __ATOMIC_RELEASE);
			while (__atomic_load_n(&sh.line, __ATOMIC_ACQUIRE) != v + 1)
				relax();
		} else {
			while (__atomic_load_n(&sh.line, __ATOMIC_ACQUIRE) != v)
				relax();
			__atomic_store_n(&sh.line, v + 1, __ATOMIC_RELEASE);
		}
	}
}

/* Payload through the shared buffer: copy in, flag; the peer waits, copies out, answers. */
static void copy_pingpong(int t, uint8_t *mine)
{
	volatile uint64_t *out = t == 0 ? &sh.ping : &sh.pong;
	volatile uint64_t *in = t == 0 ? &sh.pong : &sh.ping;
	uint64_t i;

	for (i = 1; i <= iters; i++) {
		if (t == 1) {
			while (__atomic_load_n(in, __ATOMIC_ACQUIRE) != i)
				relax();
			memcpy(mine, wire, len);
		}
		memcpy(wire, mine, len);
		__atomic_store_n(out, i, __ATOMIC_RELEASE);
		if (t == 0) {
			while (__atomic_load_n(in, __ATOMIC_ACQUIRE) != i)
				relax();
			memcpy(mine, wire, len);
		}
	}
}

static int mode;	/* 0: line, 1: copy */
static uint64_t elapsed;	/* measured by thread 0 itself: the main thread shares a CPU */

static void *thread_main(void *arg)
{
	int t = (int)(intptr_t)arg;
	uint8_t *mine = malloc(len ? len : 1);

	pin(cpu[t]);
	memset(mine, t, len);
	uint64_t t0;

	pthread_barrier_wait(&bar);
	t0 = now_ns();
	if (mode == 0)
		line_pingpong(t);
	else
		copy_pingpong(t, mine);
	if (t == 0)
		elapsed = now_ns() - t0;
	pthread_barrier_wait(&bar);
	free(mine);
	return NULL;
}

/* Run both threads for `n` round trips; returns the elapsed ns. */
static uint64_t run(int m, size_t l, uint64_t n)
{
	pthread_t th;

	mode = m;
	len = l;
	iters = n;
	sh.ping = sh.pong = sh.line = 0;
	pthread_barrier_init(&bar, NULL, 3);
	pthread_create(&th, NULL, thread_main, (void *)(intptr_t)1);
	{
		pthread_t th0;

		pthread_create(&th0, NULL, thread_main, (void *)(intptr_t)0);
		pthread_barrier_wait(&bar);
		pthread_barrier_wait(&bar);
		pthread_join(th0, NULL);
	}
	pthread_join(th, NULL);
	pthread_barrier_destroy(&bar);
	return elapsed;
}

/* Round trips that fill about time_ms / BATCHES, from a trial of ~10 ms. */
#define BATCHES 5
static uint64_t calibrate(int m, size_t l, uint64_t time_ms)
{
	uint64_t n = 4, ns;

	while ((ns = run(m, l, n)) < 10000000ull && n < 5000000)
		n *= 4;
	n = time_ms * 1000000ull / BATCHES * n / (ns + 1);
	return n < 10 ? 10 : n > 5000000 ? 5000000 : n;
}

/* Best of BATCHES runs of n round trips (a preempted run only loses). */
static uint64_t best_run(int m, size_t l, uint64_t n)
{
	uint64_t best = ~0ull, ns;
	int b;

	for (b = 0; b < BATCHES; b++)
		if ((ns = run(m, l, n)) < best)
			best = ns;
	return best;
}

int main(int argc, char **argv)
{
	size_t max = 1u << 20, l;
	uint64_t time_ms = 200, n, ns;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cpus") && i + 1 < argc)
			sscanf(argv[++i], "%d,%d", &cpu[0], &cpu[1]);
		else if (!strcmp(argv[i], "--max") && i + 1 < argc)
			max = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--time-ms") && i + 1 < argc)
			time_ms = strtoull(argv[++i], NULL, 0);
		else {
			fprintf(stderr, "usage: tessera-cacheline-floor [--cpus A,B] [--max BYTES] "
					"[--time-ms MS]\n");
			return 2;
		}
	}
	wire = aligned_alloc(LINE, max + LINE);
	if (!wire)
		return 1;
	memset(wire, 0, max);
	n = calibrate(0, 0, time_ms);
	ns = best_run(0, 0, n);
	printf("tessera-cacheline-floor: host cpus %d and %d\n", cpu[0], cpu[1]);
	printf("one cache line: %.3f us one-way (%llu round trips)\n", (double)ns / 1e3 / n / 2,
	       (unsigned long long)n);
	printf("%10s %10s %12s %12s\n", "bytes", "iters", "latency_us", "MB/s");
	for (l = 0; l <= max; l = l < 8 ? 8 : l * 4) {
		double us;

		n = calibrate(1, l, time_ms);
		ns = best_run(1, l, n);
		us = (double)ns / 1e3 / n / 2;
		printf("%10zu %10llu %12.3f %12.1f\n", l, (unsigned long long)n, us,
		       us > 0 ? (double)l / us : 0.0);
		if (l == max)
			break;
		if (l * 4 > max && l < max)
			l = max / 4;
	}
	free(wire);
	return 0;
}
