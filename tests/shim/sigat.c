// SPDX-License-Identifier: MIT
/*
 * sigat.c: an LD_PRELOAD shim for the integration tests that sends a signal to its own
 * process at a chosen moment, so that "a signal during board creation" or "during image
 * loading" is an event, not a delay. SIGAT_CALL names the libc call (ftruncate: the board's
 * files are being made; pwrite: images are being written into private DRAM; posix_spawn: emu
 * cores are being released, their runners started; fork: a QEMU core is), SIGAT_SIG the
 * signal (default SIGINT), SIGAT_NTH which call of that name (default 1). The signal goes to
 * the process before the call is made.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static void at(const char *call)
{
	static int count;
	const char *want = getenv("SIGAT_CALL"), *sig = getenv("SIGAT_SIG"),
		   *nth = getenv("SIGAT_NTH");

	if (!want || strcmp(want, call))
		return;
	if (++count != (nth ? atoi(nth) : 1))
		return;
	kill(getpid(), sig ? atoi(sig) : SIGINT);
}

int ftruncate(int fd, off_t n)
{
	static int (*real)(int, off_t);

	if (!real)
		real = (int (*)(int, off_t))dlsym(RTLD_NEXT, "ftruncate");
	at("ftruncate");
	return real(fd, n);
}

ssize_t pwrite(int fd, const void *p, size_t n, off_t at_off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
	at("pwrite");
	return real(fd, p, n, at_off);
}

pid_t fork(void)
{
	static pid_t (*real)(void);

	if (!real)
		real = (pid_t (*)(void))dlsym(RTLD_NEXT, "fork");
	at("fork");
	return real();
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		const posix_spawnattr_t *at_, char *const argv[], char *const envp[])
{
	static int (*real)(pid_t *, const char *, const posix_spawn_file_actions_t *,
			   const posix_spawnattr_t *, char *const[], char *const[]);

	if (!real)
		real = (int (*)(pid_t *, const char *, const posix_spawn_file_actions_t *,
				const posix_spawnattr_t *, char *const[], char *const[]))
			dlsym(RTLD_NEXT, "posix_spawn");
	at("posix_spawn");
	return real(pid, path, fa, at_, argv, envp);
}
