// SPDX-License-Identifier: MIT
/*
 * posix_proc.c: what a program asks about the process it runs in: the working directory
 * (getcwd, chdir), the host name and uname, sysconf and the page size. A tile core is one
 * CPU running one program; every core of a board answers the same host name, as the ranks
 * of one node do. The working directory starts as $PWD, which `tessera run` sets to the
 * tiles' root (--workdir); after a chdir, relative paths of file calls are made absolute
 * against it (tk_path_resolve), and the host checks them like any other path.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "tk.h"
#include "tk_impl.h"
#include "tessera/host.h"

#define TK_HOSTNAME "tessera"

static char cwd[PATH_MAX];
static int cwd_moved;		/* chdir was called: relative paths need cwd */

static const char *cwd_now(void)
{
	if (!cwd[0]) {
		const char *pwd = getenv("PWD");
		if (pwd && pwd[0] == '/' && strlen(pwd) < sizeof(cwd))
			strcpy(cwd, pwd);
		else
			strcpy(cwd, "/");
	}
	return cwd;
}

/* dir + "/" + path with "." and ".." taken out, into out (n bytes); 0 or -ENAMETOOLONG. */
static int join_path(const char *dir, const char *path, char *out, size_t n)
{
	size_t len = 0;
	const char *p = path;

	if (path[0] != '/') {
		len = strlen(dir);
		if (len >= n)
			return -ENAMETOOLONG;
		memcpy(out, dir, len);
	}
	while (len > 1 && out[len - 1] == '/')
		len--;
	while (*p) {
		const char *seg = p;
		size_t sn;

		while (*p && *p != '/')
			p++;
		sn = (size_t)(p - seg);
		while (*p == '/')
			p++;
		if (sn == 0 || (sn == 1 && seg[0] == '.'))
			continue;
		if (sn == 2 && seg[0] == '.' && seg[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 1)
				len--;
			continue;
		}
		if (len + 1 + sn + 1 > n)
			return -ENAMETOOLONG;
		if (len != 1 || out[0] != '/')
			out[len++] = '/';
		memcpy(out + len, seg, sn);
		len += sn;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = 0;
	return 0;
}

const char *tk_path_resolve(const char *path, char *buf, size_t n)
{
	if (!path || !cwd_moved || path[0] == '/' || join_path(cwd_now(), path, buf, n))
		return path;
	return buf;
}

char *getcwd(char *buf, size_t size)
{
	size_t n = strlen(cwd_now()) + 1;

	if (!buf) {
		if (!(buf = malloc(size > n ? size : n))) {
			errno = ENOMEM;
			return NULL;
		}
		size = size > n ? size : n;
	} else if (size == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (n > size) {
		errno = ERANGE;
		return NULL;
	}
	memcpy(buf, cwd, n);
	return buf;
}

int chdir(const char *path)
{
	char to[PATH_MAX];
	struct stat st;
	int rc;

	if (!path || !*path) {
		errno = ENOENT;
		return -1;
	}
	if ((rc = join_path(cwd_now(), path, to, sizeof(to)))) {
		errno = -rc;
		return -1;
	}
	if (stat(to, &st))
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	strcpy(cwd, to);
	cwd_moved = 1;
	return 0;
}

int gethostname(char *name, size_t len)
{
	if (len < sizeof(TK_HOSTNAME)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(name, TK_HOSTNAME, sizeof(TK_HOSTNAME));
	return 0;
}

int uname(struct utsname *u)
{
	if (!u) {
		errno = EFAULT;
		return -1;
	}
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "tessera");
	strcpy(u->nodename, TK_HOSTNAME);
	strcpy(u->release, TESSERA_VERSION_STRING);
	strcpy(u->version, "tessera tile kernel");
	strcpy(u->machine, sizeof(void *) == 8 ? "x86_64" : "i586");
	return 0;
}

int getpagesize(void)
{
	return TESSERA_PAGE_BYTES;
}

long sysconf(int name)
{
	const struct tessera_geom *g = tk_geom();

	switch (name) {
	case _SC_PAGESIZE:
		return TESSERA_PAGE_BYTES;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1;	/* a core runs one program on one CPU */
	case _SC_PHYS_PAGES:
	case _SC_AVPHYS_PAGES:
		return (long)(((uint64_t)g->private_mb << 20) / TESSERA_PAGE_BYTES);
	case _SC_CLK_TCK:
		return CLOCKS_PER_SEC;	/* the unit of times() (syscalls.c) */
	case _SC_OPEN_MAX:
		return 64;		/* files per core the host keeps */
	case _SC_ARG_MAX:
		return TESSERA_BOOTINFO_BYTES;
	case _SC_HOST_NAME_MAX:
		return 64;
	case _SC_LINE_MAX:
		return 2048;
	default:
		errno = EINVAL;
		return -1;
	}
}

pid_t getppid(void)
{
	return 1;
}

/* Existence only: the host checks permissions when the file is opened. */
int access(const char *path, int mode)
{
	struct stat st;

	(void)mode;
	return stat(path, &st);
}
