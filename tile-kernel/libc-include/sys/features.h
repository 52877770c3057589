/* SPDX-License-Identifier: MIT */
/*
 * sys/features.h (tessera overlay): Newlib's, plus the POSIX options the tile kernel provides
 * (tile-kernel/posix_*.c), so that their declarations in <time.h>, <sched.h> and <unistd.h>
 * are visible as on a Linux host. Found before Newlib's own by the -isystem order of
 * tessera-mpicc and the tile build.
 */
#ifndef TESSERA_SYS_FEATURES_H
#define TESSERA_SYS_FEATURES_H

/* A host compiler given only the flags CMake's FindMPI keeps (not tessera-mpicc's
 * -U__linux__ ...) defines Linux's macros; every Newlib header passes here, so a program's
 * own #ifdef __linux__ after its first #include sees a tile, as under tessera-mpicc. */
#ifdef __tessera__
#undef __linux__
#undef __linux
#undef __gnu_linux__
#undef __unix__
#undef __unix
#undef linux
#undef unix
#endif

#include_next <sys/features.h>

#ifndef _POSIX_TIMERS
#define _POSIX_TIMERS			200809L	/* clock_gettime, nanosleep */
#endif
#ifndef _POSIX_MONOTONIC_CLOCK
#define _POSIX_MONOTONIC_CLOCK		200809L	/* CLOCK_MONOTONIC */
#endif
#ifndef _POSIX_CLOCK_SELECTION
#define _POSIX_CLOCK_SELECTION		200809L	/* clock_nanosleep */
#endif
#ifndef _POSIX_CPUTIME
#define _POSIX_CPUTIME			200809L	/* CLOCK_PROCESS_CPUTIME_ID */
#endif
#ifndef _POSIX_THREAD_CPUTIME
#define _POSIX_THREAD_CPUTIME		200809L	/* CLOCK_THREAD_CPUTIME_ID */
#endif
#ifndef _POSIX_PRIORITY_SCHEDULING
#define _POSIX_PRIORITY_SCHEDULING	200809L	/* sched_yield */
#endif

#endif
