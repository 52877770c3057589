// SPDX-License-Identifier: MIT
/* posix: the C library calls MPI programs commonly make, and the start-up and exit path
 * (constructors, atexit, destructors). Prints one line per check, "ok NAME" or "FAIL NAME". */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int constructed;

__attribute__((constructor)) static void construct(void)
{
	constructed = 1;
}

__attribute__((destructor)) static void destruct(void)
{
	printf("destructor ran\n");
}

static void at_exit(void)
{
	printf("atexit ran\n");
}

static void check(const char *name, int ok)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", name);
}

static int cmp_r(const void *a, const void *b, void *arg)
{
	(void)arg;
	return *(const int *)a - *(const int *)b;
}

/* Run with --workdir DIR where DIR/posix-dir/here exists. */
int main(void)
{
	struct timespec t0, t1, res;
	struct timeval tv;
	struct rusage ru;
	struct utsname u;
	char buf[256], host[64];
	void *p = NULL;
	int v[3] = { 3, 1, 2 };

	atexit(at_exit);
	check("constructor", constructed);
	check("clock_gettime", clock_gettime(CLOCK_MONOTONIC, &t0) == 0);
	check("usleep", usleep(20000) == 0);
	check("nanosleep", nanosleep(&(struct timespec){ 0, 10000000 }, NULL) == 0);
	check("sleep", sleep(0) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	check("slept", (t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec >= 30000000L);
	check("clock_getres", clock_getres(CLOCK_REALTIME, &res) == 0);
	check("clock_bad", clock_gettime((clockid_t)99, &t0) == -1 && errno == EINVAL);
	check("gettimeofday", gettimeofday(&tv, NULL) == 0 && tv.tv_sec > 1600000000);
	check("times", times(&(struct tms){ 0 }) != (clock_t)-1);
	check("getrusage", getrusage(RUSAGE_SELF, &ru) == 0);
	check("getcwd", getcwd(buf, sizeof(buf)) && buf[0] == '/');
	check("chdir", chdir("posix-dir") == 0 && getcwd(buf, sizeof(buf)) &&
	      !strcmp(buf + strlen(buf) - 10, "/posix-dir") && access("here", R_OK) == 0);
	check("chdir_outside", chdir("/") == -1);
	check("gethostname", gethostname(host, sizeof(host)) == 0 && host[0]);
	check("uname", uname(&u) == 0 && !strcmp(u.sysname, "tessera"));
	check("getpid", getpid() > 0);
	check("posix_memalign", posix_memalign(&p, 64, 100) == 0 && ((unsigned long)p & 63) == 0);
	free(p);
	p = aligned_alloc(128, 256);
	check("aligned_alloc", p && ((unsigned long)p & 127) == 0);
	free(p);
	check("sysconf", sysconf(_SC_PAGESIZE) == 4096 && sysconf(_SC_NPROCESSORS_ONLN) == 1);
	check("getpagesize", getpagesize() == 4096);
	check("setenv", setenv("TESSERA_X", "1", 1) == 0 && !strcmp(getenv("TESSERA_X"), "1"));
	check("strerror_r", strerror_r(ENOENT, buf, sizeof(buf)) != NULL);
	qsort_r(v, 3, sizeof(int), cmp_r, NULL);
	check("qsort_r", v[0] == 1 && v[1] == 2 && v[2] == 3);
	check("sched_yield", sched_yield() == 0);
	return 0;
}
