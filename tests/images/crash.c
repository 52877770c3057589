// SPDX-License-Identifier: MIT
/*
 * crash: a tile program that fails on purpose, as argv[1] says, on the rank argv[2] names
 * (default: every rank): segv (write through NULL), abort, divzero, panic, exit N, hang
 * (halts forever, costing no CPU), spin (burns CPU forever), deep (recurses until its stack
 * overflows), sys (a system call the seccomp filter refuses), ok.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tk.h"

static volatile int zero;

__attribute__((noinline)) static void write_null(void)
{
	*(volatile int *)(uintptr_t)zero = 42;
}

/* Each call keeps a kilobyte of stack alive across the next, so the compiler cannot fold it. */
__attribute__((noinline)) static int deep(int n)
{
	volatile char frame[1024];

	frame[0] = (char)n;
	frame[sizeof(frame) - 1] = (char)(deep(n + 1) + frame[0]);
	return frame[sizeof(frame) - 1];
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "segv";

	if (argc > 2 && (uint32_t)atoi(argv[2]) != tk_rank()) {
		for (;;) {	/* the others wait, halted, to be stopped */
			tk_halt_prepare();
			tk_halt(0);
			tk_halt_done();
		}
	}
	printf("rank %u: %s\n", tk_rank(), what);
	fflush(stdout);
	if (!strcmp(what, "segv"))
		write_null();
	else if (!strcmp(what, "abort"))
		abort();
	else if (!strcmp(what, "divzero"))
		printf("%d\n", 100 / zero);
	else if (!strcmp(what, "panic"))
		tk_panic("asked to panic");
	else if (!strcmp(what, "exit"))
		return argc > 3 ? atoi(argv[3]) : 3;
	else if (!strcmp(what, "hang"))
		for (;;) {
			tk_halt_prepare();
			tk_halt(0);
			tk_halt_done();
		}
	else if (!strcmp(what, "deep"))
		printf("%d\n", deep(0));
#ifdef __x86_64__	/* an emu core: a host system call (the i386 build has no such mode) */
	else if (!strcmp(what, "sys"))
		__asm__ volatile("syscall" : : "a"(39L) : "rcx", "r11", "memory");	/* getpid */
#endif
	else if (!strcmp(what, "spin"))
		for (;;)
			zero = zero;
	return 0;
}
