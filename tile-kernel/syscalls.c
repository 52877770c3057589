// SPDX-License-Identifier: MIT
/*
 * syscalls.c: the system calls Newlib expects of a bare-metal target, for one core. Standard
 * output and error go to the console ring; standard input and files go to the host as host
 * calls (the host confines them to the run directory); the heap grows from the end of the
 * image towards the stack in private DRAM; time comes from the arch clock on the job's
 * timebase. Negative results of host calls are Newlib errno values.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <signal.h>
#include <stdarg.h>
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"

static long fail(int64_t r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (long)r;
}

/* Host call with a path as its input. */
static int64_t path_call(uint32_t op, const char *path, int64_t a1, int64_t a2, void *out,
			 size_t out_n)
{
	int64_t arg[6] = { 0, a1, a2 };
	char abs[TESSERA_HOSTCALL_DATA];
	size_t n;

	if (!path)
		return -EFAULT;
	path = tk_path_resolve(path, abs, sizeof(abs));
	n = strlen(path) + 1;
	if (n > TESSERA_HOSTCALL_DATA)
		return -ENAMETOOLONG;
	arg[0] = (int64_t)n;
	return tk_hostcall(op, arg, path, n, out, out_n);
}

int write(int fd, const void *buf, size_t n)
{
	if (fd == 1 || fd == 2) {
		tk_console_put(fd, buf, n);
		return (int)n;
	}
	const uint8_t *p = buf;
	size_t done = 0;
	while (done < n) {
		size_t chunk = n - done < TESSERA_HOSTCALL_DATA ? n - done : TESSERA_HOSTCALL_DATA;
		int64_t arg[6] = { fd, (int64_t)chunk };
		int64_t r = tk_hostcall(TESSERA_HC_WRITE, arg, p + done, chunk, 0, 0);
		if (r < 0)
			return done ? (int)done : (int)fail(r);
		done += (size_t)r;
		if ((size_t)r < chunk)
			break;
	}
	return (int)done;
}

int read(int fd, void *buf, size_t n)
{
	size_t chunk = n < TESSERA_HOSTCALL_DATA ? n : TESSERA_HOSTCALL_DATA;
	int64_t arg[6] = { fd, (int64_t)chunk };

	return (int)fail(tk_hostcall(TESSERA_HC_READ, arg, 0, 0, buf, chunk));
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = (flags & O_CREAT) ? va_arg(ap, int) : 0;
	va_end(ap);
	return (int)fail(path_call(TESSERA_HC_OPEN, path, flags, mode, 0, 0));
}

int close(int fd)
{
	int64_t arg[6] = { fd };

	if (fd >= 0 && fd <= 2)
		return 0;
	return (int)fail(tk_hostcall(TESSERA_HC_CLOSE, arg, 0, 0, 0, 0));
}

off_t lseek(int fd, off_t off, int whence)
{
	int64_t arg[6] = { fd, off, whence };

	return (off_t)fail(tk_hostcall(TESSERA_HC_LSEEK, arg, 0, 0, 0, 0));
}

static void stat_from_wire(struct stat *st, const struct tessera_hc_stat *w)
{
	memset(st, 0, sizeof(*st));
	st->st_size = (off_t)w->size;
	st->st_mode = (mode_t)w->mode;
	st->st_nlink = (nlink_t)w->nlink;
	st->st_ino = (ino_t)w->ino;
	st->st_blksize = (long)w->blksize;
	st->st_mtime = (time_t)w->mtime_s;
	st->st_atime = (time_t)w->atime_s;
	st->st_ctime = (time_t)w->ctime_s;
}

int fstat(int fd, struct stat *st)
{
	struct tessera_hc_stat w;
	int64_t arg[6] = { fd };
	int64_t r;

	if (fd >= 0 && fd <= 2) {
		if (!tk_bi()->stdio_mode[fd]) {
			errno = EBADF;
			return -1;
		}
		memset(st, 0, sizeof(*st));
		st->st_mode = (mode_t)tk_bi()->stdio_mode[fd];
		st->st_blksize = 1024;
		return 0;
	}
	r = tk_hostcall(TESSERA_HC_FSTAT, arg, 0, 0, &w, sizeof(w));
	if (r < 0)
		return (int)fail(r);
	stat_from_wire(st, &w);
	return 0;
}

int stat(const char *path, struct stat *st)
{
	struct tessera_hc_stat w;
	int64_t r = path_call(TESSERA_HC_STAT, path, 0, 0, &w, sizeof(w));

	if (r < 0)
		return (int)fail(r);
	stat_from_wire(st, &w);
	return 0;
}

int unlink(const char *path)
{
	return (int)fail(path_call(TESSERA_HC_UNLINK, path, 0, 0, 0, 0));
}

int mkdir(const char *path, mode_t mode)
{
	return (int)fail(path_call(TESSERA_HC_MKDIR, path, mode, 0, 0, 0));
}

/* The standard descriptors are answered from the boot info (no host call: a thousand
 * cores' first printf would otherwise each wait for the host). */
int isatty(int fd)
{
	int64_t arg[6] = { fd };
	int64_t r;

	if (fd >= 0 && fd <= 2) {
		if (tk_bi()->stdio_tty & (1u << fd))
			return 1;
		errno = tk_bi()->stdio_mode[fd] ? ENOTTY : EBADF;
		return 0;
	}
	r = tk_hostcall(TESSERA_HC_ISATTY, arg, 0, 0, 0, 0);

	if (r < 0) {
		errno = (int)-r;
		return 0;
	}
	return (int)r;
}

int link(const char *old, const char *new)
{
	(void)old;
	(void)new;
	errno = EMLINK;
	return -1;
}

void *sbrk(ptrdiff_t incr)
{
	extern char _end[];
	static uintptr_t brk;
	/* the stack and the guard below it are never heap (board.h) */
	uintptr_t limit = tk_view_base + (uintptr_t)tk_bi()->stack_top - TESSERA_STACK_BYTES -
			  TESSERA_GUARD_BYTES;
	uintptr_t old;

	if (!brk)
		brk = tk_view_base + (uintptr_t)tk_bi()->image_end > (uintptr_t)_end ?
			      tk_view_base + (uintptr_t)tk_bi()->image_end : (uintptr_t)_end;
	old = brk;
	if ((incr > 0 && (uintptr_t)incr > limit - brk) ||
	    (incr < 0 && (uintptr_t)-incr > brk - (uintptr_t)_end)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	brk += (uintptr_t)incr;
	return (void *)old;
}

void _exit(int status)
{
	tk_exit(status);
}

int getpid(void)
{
	return (int)tk_core() + 1;
}

/* Only a signal to oneself makes sense on a core (abort(), raise()): it stops the core as a
 * crash with that signal, as the host would report a process killed by it. */
int kill(int pid, int sig)
{
	volatile struct tessera_status *st = &tk_hostwin()->status;

	if (pid != getpid()) {
		errno = ESRCH;
		return -1;
	}
	uint64_t regs[TESSERA_FAULT_REGS];

	st->fault_nregs = arch_regs_here(regs);	/* the host unwinds from here to abort's caller */
	for (unsigned i = 0; i < TESSERA_FAULT_REGS; i++)
		st->fault_regs[i] = regs[i];
	st->signal = (uint32_t)sig;
	st->fault_addr = 0;
	st->fault_pc = (uint64_t)(uintptr_t)__builtin_return_address(0);
	__atomic_store_n(&st->state, TESSERA_CORE_CRASHED, __ATOMIC_RELEASE);
	arch_host_notify();
	arch_stop(128 + sig);
}

int gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	if (tv) {
		uint64_t ns = tk_bi()->realtime_base_ns + tk_time_ns();
		tv->tv_sec = (time_t)(ns / 1000000000u);
		tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
	}
	return 0;
}

clock_t times(struct tms *t)
{
	clock_t c = (clock_t)(tk_time_ns() / (1000000000u / CLOCKS_PER_SEC));

	if (t) {
		t->tms_utime = c;
		t->tms_stime = 0;
		t->tms_cutime = 0;
		t->tms_cstime = 0;
	}
	return c;
}
