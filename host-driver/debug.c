// SPDX-License-Identifier: MIT
/*
 * debug.c: a debugger on a core, the backend-independent part: which core is to start under
 * gdb, where its socket is, the command that attaches gdb, and how long the job's debugged
 * cores have been held stopped. The stub itself is backend/emu/debug.c (emu cores) or QEMU's
 * own gdbstub (backend/qemu). docs/debugging.md tells the user's side.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hd_impl.h"

void hd_debug_socket_path(const struct hd_board *b, uint32_t core, char *out, size_t n)
{
	snprintf(out, n, "%s/gdb-core%04u", b->dir, core);
}

HD_API int hd_core_debug(struct hd_board *b, uint32_t core)
{
	if (!b || core >= tessera_cores(&b->geom))
		return hd_fail(-EINVAL, "hd_core_debug: no core %u", core);
	if (b->pci)
		return hd_fail(-EOPNOTSUPP, "board %s: a debugger reaches cores behind PCI through "
			       "the board's own tools, not from here", b->dir);
	b->core[core].debug = 1;
	return 0;
}

/* s in single quotes for a POSIX shell, at out[*k] (a ' becomes '\''). */
static void quote(char *out, size_t n, size_t *k, const char *s)
{
	if (*k + 1 < n)
		out[(*k)++] = '\'';
	for (; *s && *k + 5 < n; s++) {
		if (*s == '\'') {
			memcpy(out + *k, "'\\''", 4);
			*k += 4;
		} else {
			out[(*k)++] = *s;
		}
	}
	if (*k + 1 < n)
		out[(*k)++] = '\'';
	out[*k] = 0;
}

/* " OPT 'ARG'" (OPT NULL: " 'ARG'") at out[*k]. */
static void word(char *out, size_t n, size_t *k, const char *opt, const char *arg)
{
	if (opt)
		*k += (size_t)snprintf(out + *k, *k < n ? n - *k : 0, " %s ", opt);
	else
		*k += (size_t)snprintf(out + *k, *k < n ? n - *k : 0, " ");
	if (*k < n)
		quote(out, n, k, arg);
}

HD_API int hd_core_debug_command(struct hd_board *b, uint32_t core, char *buf, size_t n)
{
	char sock[PATH_MAX], image[PATH_MAX], target[PATH_MAX + 16];
	const struct hd_backend *be;
	size_t k = 0;

	if (!b || !buf || core >= tessera_cores(&b->geom))
		return hd_fail(-EINVAL, "hd_core_debug_command: no core %u", core);
	be = b->core[core].backend;
	if (!be || !b->core[core].debug)
		return hd_fail(-ESRCH, "core %u does not run under the debugger", core);
	hd_debug_socket_path(b, core, sock, sizeof(sock));
	snprintf(target, sizeof(target), "target remote %s", sock);
	if (!realpath(b->core[core].image, image))
		snprintf(image, sizeof(image), "%s", b->core[core].image);
	k = (size_t)snprintf(buf, n, "gdb -q");
	/* QEMU's gdbstub talks i386 from the first instruction, real mode included */
	if (be->arch == TESSERA_ARCH_I386)
		word(buf, n, &k, "-ex", "set architecture i386");
	word(buf, n, &k, "-ex", target);
	word(buf, n, &k, NULL, image);
	if (k + 2 >= n)
		return hd_fail(-ENAMETOOLONG, "hd_core_debug_command: buffer too small");
	return 0;
}

uint64_t hd_debug_paused_ns(struct hd_board *b, uint64_t now_ns)
{
	struct hd_job *job = b->job;
	uint64_t total = 0;

	for (uint32_t r = 0; job && r < job->nranks; r++) {
		struct hd_core *hc = &b->core[job->rank_core[r]];
		if (hc->debugger)
			total += hd_emu_debug_paused_ns(hc->debugger, now_ns);
	}
	return total;
}
