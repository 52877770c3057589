// SPDX-License-Identifier: MIT
/*
 * backend/emu/emu.c: the default backend, host side. Releasing a core starts a core runner
 * (tessera-runner, runner.c) for it: a fresh executable, so the runner holds nothing of the
 * host process (no mapping of the board header or of the host's memory, no descriptor but
 * its spec and the standard ones). The host hands it a spec (runner.h) with the core's LUT,
 * checked here: every window inside the board's files and none on the chip header. The
 * runner is our child: we alone stop it (SIGKILL to a child we have not reaped) and reap it.
 *
 * Where the runner is (docs/board.md): $TESSERA_RUNNER, else libexec/tessera/tessera-runner
 * next to the bin/ or lib/ folder of the code that holds this library (the build tree and
 * an installed tree look alike), else the build tree this library was built in.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hd_impl.h"
#include "runner.h"

#define RUNNER_REL "libexec/tessera/tessera-runner"

/* The runner executable's path, found once. */
static const char *runner_path(void)
{
	static char path[PATH_MAX];
	static int found;
	char self[PATH_MAX], *dir;
	Dl_info info;
	const char *env = getenv("TESSERA_RUNNER");

	if (env && *env)
		return env;
	if (found)
		return path;
	if (dladdr((void *)runner_path, &info) && info.dli_fname && strchr(info.dli_fname, '/') &&
	    realpath(info.dli_fname, self)) {
		dir = dirname(self);
		snprintf(path, sizeof(path), "%s/../%s", dir, RUNNER_REL);
		if (access(path, X_OK) == 0)
			return found = 1, path;
	}
	if (readlink("/proc/self/exe", self, sizeof(self) - 1) > 0) {
		self[sizeof(self) - 1] = 0;
		dir = dirname(self);
		snprintf(path, sizeof(path), "%s/../%s", dir, RUNNER_REL);
		if (access(path, X_OK) == 0)
			return found = 1, path;
	}
	snprintf(path, sizeof(path), "%s", HD_BUILD_RUNNER);
	found = 1;
	return path;
}

/*
 * A LUT entry as the emu backend will map it: private DRAM inside the core's file; chip
 * windows inside the chip but never on its header; a host window only the core's own.
 */
static int lut_check(struct hd_board *b, uint32_t core, uint32_t i,
		     const struct tessera_lut_entry *e)
{
	const struct tessera_layout *l = &b->layout;
	uint64_t end = e->offset + e->bytes;
	uint64_t hw = l->hostwin_off, hw_end = hw + l->hostwin_bytes * tessera_cores(&b->geom);
	uint64_t own = tessera_hostwin_off(l, core);

	if (e->kind == TESSERA_LUT_NONE)
		return 0;
	if (e->bytes > TESSERA_LUT_WINDOW || e->bytes % TESSERA_PAGE_BYTES ||
	    e->offset % TESSERA_PAGE_BYTES || end < e->offset)
		goto bad;
	if (e->kind == TESSERA_LUT_PRIVATE) {
		if (end > l->private_bytes)
			goto bad;
		return 0;
	}
	if (e->kind != TESSERA_LUT_CHIP || end > l->chip_bytes ||
	    e->offset < l->header_off + l->header_bytes)
		goto bad;
	if (e->offset < hw_end && end > hw && (e->offset != own || e->bytes > l->hostwin_bytes))
		goto bad;
	return 0;
bad:
	return hd_fail(-EPERM, "core %u: its LUT entry %u (kind %u, offset 0x%llx, %u bytes) "
		       "maps what no core may map", core, i, e->kind,
		       (unsigned long long)e->offset, e->bytes);
}

/*
 * While a job has no more cores than the host CPUs this process may use, each runner gets
 * a CPU of its own (round robin by core): two cores that talk then never take turns on one
 * CPU, each turn a wake-up, while another CPU idles. (Measured, 2 ranks, 8 B one-way:
 * 1.6 us median either way, but 3.8 and 4.5 us runs without pinning.) With more cores than
 * CPUs they are left to the kernel's scheduler.
 */
static int pick_cpu(uint32_t core, uint32_t nranks)
{
	cpu_set_t allowed;
	int n = 0, want;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) || CPU_COUNT(&allowed) < 2 ||
	    nranks > (uint32_t)CPU_COUNT(&allowed))
		return -1;
	want = (int)(core % (uint32_t)CPU_COUNT(&allowed));
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &allowed) && n++ == want)
			return cpu;
	return -1;
}

/* The spec of a runner for `core`, in a memory file (a descriptor above the standard ones). */
static int make_spec(struct hd_board *b, uint32_t core)
{
	size_t size = sizeof(struct runner_spec) + sizeof(struct runner_core);
	struct runner_spec *s = calloc(1, size);
	const struct tessera_lut_entry *lut = hd_lut(b, core);
	int fd = -1, rc;

	if (!s)
		return hd_fail(-ENOMEM, "out of memory");
	s->magic = RUNNER_SPEC_MAGIC;
	s->version = RUNNER_SPEC_VERSION;
	s->ncores = 1;
	s->host_pid = getpid();
	s->cpu = pick_cpu(core, hd_header(b)->nranks);
	s->chip_bytes = b->layout.chip_bytes;
	if (strlen(b->dir) >= sizeof(s->dir)) {
		rc = hd_fail(-ENAMETOOLONG, "board directory %s: path too long", b->dir);
		goto out;
	}
	snprintf(s->dir, sizeof(s->dir), "%s", b->dir);
	s->core[0].core = core;
	for (uint32_t i = 0; i < TESSERA_LUT_ENTRIES; i++) {
		s->core[0].lut[i] = lut[i];	/* one copy: the core may write its LUT meanwhile */
		if ((rc = lut_check(b, core, i, &s->core[0].lut[i])))
			goto out;
	}
	fd = memfd_create("tessera-runner-spec", MFD_CLOEXEC);
	if (fd < 0 || write(fd, s, size) != (ssize_t)size) {
		rc = hd_fail(-errno, "core %u: the runner's spec: %s", core, strerror(errno));
		goto out;
	}
	rc = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	free(s);
	return rc;
}

static int emu_start(struct hd_board *b, uint32_t core)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t all, none;
	char cores[16];
	char *argv[] = { "tessera-runner", b->dir, cores, NULL };
	const char *path = runner_path();
	int spec, rc;
	pid_t pid;

	snprintf(cores, sizeof(cores), "%u", core);
	if ((spec = make_spec(b, core)) < 0)
		return spec;
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, spec, RUNNER_SPEC_FD);
	posix_spawnattr_init(&at);
	/* its own process group (Ctrl-C reaches the host, which stops its cores), every
	 * signal at its default, none blocked */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
				 POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setsigmask(&at, &none);
	rc = posix_spawn(&pid, path, &fa, &at, argv, (char *[]){ NULL });
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	close(spec);
	if (rc)
		return hd_fail(-rc, "core %u: cannot start the core runner %s: %s (set "
			       "TESSERA_RUNNER to its path)", core, path, strerror(rc));
	b->core[core].pid = pid;
	return 0;
}

static int emu_poll(struct hd_board *b, uint32_t core, int *wstatus)
{
	pid_t r = waitpid(b->core[core].pid, wstatus, WNOHANG);

	if (r == b->core[core].pid || (r < 0 && errno == ECHILD))
		return 1;
	return 0;
}

/* Our child, not yet reaped (ended is set when poll has reaped it): its pid is still its. */
static void emu_stop(struct hd_board *b, uint32_t core)
{
	int ws;

	if (b->core[core].pid > 0 && !b->core[core].ended) {
		kill(b->core[core].pid, SIGKILL);
		while (waitpid(b->core[core].pid, &ws, 0) < 0 && errno == EINTR)
			;
	}
	b->core[core].pid = 0;
}

const struct hd_backend hd_backend_emu = {
	.name = "emu",
	.id = TESSERA_BACKEND_EMU,
	.arch = TESSERA_ARCH_EMU,
	.start = emu_start,
	.poll = emu_poll,
	.stop = emu_stop,
	.poll_ms = 0,
};
