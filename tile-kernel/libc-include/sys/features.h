/* SPDX-License-Identifier: MIT */
/*
 * sys/features.h (tessera overlay): Newlib's, plus the POSIX options the tile kernel provides
 * (tile-kernel/posix_*.c), so that their declarations in <time.h>, <sched.h> and <unistd.h>
 * are visible as on a Linux host. Found before Newlib's own by the -isystem order of
 * tessera-mpicc and the tile build.
 */
#ifndef TESSERA_SYS_FEATURES_H
#define TESSERA_SYS_FEATURES_H

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
