// SPDX-License-Identifier: MIT
/*
 * arch/emu/hostexec.c: what an emu tile image does when the Linux kernel runs it as a program
 * (`./a.out`, execve from configure, CMake's try_run, a test harness): it hands itself to the
 * tessera runtime as a one-rank job, `tessera run -q -n 1 -- IMAGE ARGS...`, as an MPI program
 * started without mpirun runs as a singleton. The same file is so both a tile image and a
 * host executable.
 *
 * This runs from the kernel's initial stack before anything else, unrelocated: it is built
 * position independent (-fPIE, see build.mk), reaches only its own constants, rip-relative,
 * and makes raw system calls; no libc, no tile kernel.
 */
#include <stdint.h>
#include "arch.h"

#define SYS_write	1
#define SYS_execve	59
#define SYS_exit_group	231
#define AT_NULL		0
#define AT_EXECFN	31
#define HX_PATH_MAX	4096

/* The `tessera` command of the installation that linked the image (runtime.S). */
extern const char tk_runtime_path[] __attribute__((visibility("hidden")));

__attribute__((noreturn)) void tk_host_exec(long *sp);

static long sys3(long n, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static unsigned long len(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static void say(const char *s)
{
	sys3(SYS_write, 2, (long)s, (long)len(s));
}

/* The value of NAME in envp, or 0. */
static const char *env(char **envp, const char *name)
{
	for (; *envp; envp++) {
		const char *e = *envp, *n = name;
		while (*n && *e == *n)
			e++, n++;
		if (!*n && *e == '=')
			return e + 1;
	}
	return 0;
}

/* Copies a and b into out (at most HX_PATH_MAX bytes with the NUL); 0 when too long. */
static int join(char *out, const char *a, unsigned long an, const char *b)
{
	unsigned long bn = len(b);

	if (an + bn + 1 > HX_PATH_MAX)
		return 0;
	for (unsigned long i = 0; i < an; i++)
		out[i] = a[i];
	for (unsigned long i = 0; i <= bn; i++)
		out[an + i] = b[i];
	return 1;
}

__attribute__((noreturn)) void tk_host_exec(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1, **e = envp;
	const char *self = argc > 0 ? argv[0] : 0, *path, *p;
	char dot[HX_PATH_MAX], try[HX_PATH_MAX];
	char *nargv[argc + 8];
	unsigned long *aux;
	int n = 0;

	while (*e)
		e++;
	for (aux = (unsigned long *)(e + 1); aux[0] != AT_NULL; aux += 2)
		if (aux[0] == AT_EXECFN)
			self = (const char *)aux[1];
	if (!self) {
		say("tessera tile image: started without a name; run it with tessera run\n");
		sys3(SYS_exit_group, 127, 0, 0);
	}
	/* `tessera run` takes a name without '/' from PATH, as mpirun does; this file is here. */
	for (p = self; *p && *p != '/'; p++)
		;
	if (!*p && join(dot, "./", 2, self))
		self = dot;
	nargv[n++] = 0;
	nargv[n++] = (char *)"run";
	nargv[n++] = (char *)"-q";
	nargv[n++] = (char *)"-n";
	nargv[n++] = (char *)"1";
	nargv[n++] = (char *)"--";
	nargv[n++] = (char *)self;
	for (long i = 1; i < argc; i++)
		nargv[n++] = argv[i];
	nargv[n] = 0;

	/* $TESSERA, then the runtime that linked the image, then `tessera` in PATH. */
	if ((path = env(envp, "TESSERA")) && *path) {
		nargv[0] = (char *)path;
		sys3(SYS_execve, (long)path, (long)nargv, (long)envp);
	}
	nargv[0] = (char *)tk_runtime_path;
	sys3(SYS_execve, (long)tk_runtime_path, (long)nargv, (long)envp);
	for (path = env(envp, "PATH"); path && *path; path = *p ? p + 1 : p) {
		for (p = path; *p && *p != ':'; p++)
			;
		if (p == path || !join(try, path, (unsigned long)(p - path), "/tessera"))
			continue;
		nargv[0] = try;
		sys3(SYS_execve, (long)try, (long)nargv, (long)envp);
	}
	say(self);
	say(": a tessera tile image; cannot start the tessera runtime (not at ");
	say(tk_runtime_path);
	say(", nor `tessera` in PATH): run it with tessera-mpirun\n");
	sys3(SYS_exit_group, 127, 0, 0);
	for (;;)
		;
}
