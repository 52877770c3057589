/* SPDX-License-Identifier: MIT */
/*
 * sys/resource.h (tessera overlay, in place of Newlib's): struct rusage with every field a
 * Linux program may read (ru_maxrss and the rest), and getrusage() (posix_time.c). Only the
 * times are filled in; the other fields are 0.
 */
#ifndef _SYS_RESOURCE_H_
#define _SYS_RESOURCE_H_

#include <sys/time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RUSAGE_SELF	0		/* calling process */
#define RUSAGE_CHILDREN	-1		/* terminated child processes */

struct rusage {
	struct timeval ru_utime;	/* user time used */
	struct timeval ru_stime;	/* system time used */
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	long ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

int getrusage(int, struct rusage *);

#ifdef __cplusplus
}
#endif

#endif
