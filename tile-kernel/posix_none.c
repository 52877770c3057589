// SPDX-License-Identifier: MIT
/*
 * posix_none.c: the POSIX calls that cannot exist on a tile core (processes, exec, pipes,
 * sockets, threads, dynamic loading). A program that calls one fails to LINK, with a message
 * that names the call and says why, instead of failing when it runs:
 *
 *   undefined reference to `fork: a tile core runs one program, it cannot make processes'
 *
 * Each stub refers to a symbol whose name is that message and which nothing defines; it is
 * in a section of its own, so the linker (--gc-sections) drops the stubs a program does not
 * call and reports only the ones it does.
 */

/* The stubs take no arguments whatever the real call's type: only the name matters. */
#pragma GCC diagnostic ignored "-Wbuiltin-declaration-mismatch"

#define TK_NONE(name, why)							\
	void name(void);							\
	void name(void)								\
	{									\
		extern void tk_none_##name(void) __asm__("\"" #name ": " why "\"")	\
			__attribute__((visibility("hidden")));	/* no @PLT after the quotes */ \
		tk_none_##name();						\
	}

#define PROC "a tile core runs one program, it cannot make processes (docs/build-systems.md)"
#define NET "a tile has no network; ranks talk through MPI (docs/build-systems.md)"
#define THREAD "a tile core runs one thread (docs/build-systems.md)"

TK_NONE(fork, PROC)
TK_NONE(vfork, PROC)
TK_NONE(execve, PROC)
TK_NONE(execv, PROC)
TK_NONE(execvp, PROC)
TK_NONE(execvpe, PROC)
TK_NONE(execl, PROC)
TK_NONE(execlp, PROC)
TK_NONE(execle, PROC)
TK_NONE(fexecve, PROC)
TK_NONE(posix_spawn, PROC)
TK_NONE(posix_spawnp, PROC)
TK_NONE(popen, PROC)
TK_NONE(pclose, PROC)
TK_NONE(wait, PROC)
TK_NONE(waitpid, PROC)
TK_NONE(wait3, PROC)
TK_NONE(wait4, PROC)
TK_NONE(pipe, PROC)
TK_NONE(daemon, PROC)
TK_NONE(socket, NET)
TK_NONE(socketpair, NET)
TK_NONE(connect, NET)
TK_NONE(bind, NET)
TK_NONE(listen, NET)
TK_NONE(accept, NET)
TK_NONE(getaddrinfo, NET)
TK_NONE(gethostbyname, NET)
TK_NONE(pthread_create, THREAD)
TK_NONE(thrd_create, THREAD)
TK_NONE(dlopen, "tile images are static; there is no dynamic loader (docs/build-systems.md)")
