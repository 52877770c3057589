// SPDX-License-Identifier: MIT
/*
 * backend/emu/emu.c: the default backend, host side. Releasing a core starts a core runner
 * (tessera-runner, runner.c) for it: a fresh executable, so the runner holds nothing of the
 * host process (no mapping of the board header or of the host's memory, no descriptor but
 * its spec and the standard ones). The host hands it a spec (runner.h) with the core's LUT,
 * checked here: every window inside the board's files and none on the chip header. The
 * runner is our child: we alone stop it (SIGKILL to a child we have not reaped) and reap it.
 * A core under gdb (hd_core_debug) gets a runner of its own, which stops itself before it
 * confines itself for debug.c's stub to trace it; the stub's waiter then watches the runner,
 * and it is reaped here once that has seen it end.
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

static void emu_stop(struct hd_board *b, uint32_t core);

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

/* A runner: a child of ours that runs one or more cores. */
struct emu_runner {
	pid_t pid;
	uint32_t live;		/* its cores that have not been stopped */
	int ended, wstatus;	/* reaped, and how it ended */
};

/* CPUs this process may run on (and so its runners): how many, and the k-th of them. */
static int cpus(cpu_set_t *set)
{
	if (sched_getaffinity(0, sizeof(*set), set) || CPU_COUNT(set) < 1) {
		CPU_ZERO(set);
		CPU_SET(0, set);
	}
	return CPU_COUNT(set);
}

static int kth_cpu(const cpu_set_t *set, int k)
{
	for (int cpu = 0, n = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, set) && n++ == k)
			return cpu;
	return -1;
}

/* The spec of a runner for cores[0..n-1], in a memory file (a descriptor above the standard
 * ones), or a negative errno value. */
static int make_spec(struct hd_board *b, const uint32_t *cores, uint32_t n, int cpu, int spin,
		     int debug)
{
	size_t size = sizeof(struct runner_spec) + n * sizeof(struct runner_core);
	struct runner_spec *s = calloc(1, size);
	int fd = -1, rc = 0;

	if (!s)
		return hd_fail(-ENOMEM, "out of memory");
	s->magic = RUNNER_SPEC_MAGIC;
	s->version = RUNNER_SPEC_VERSION;
	s->ncores = n;
	s->host_pid = getpid();
	s->cpu = cpu;
	s->spin = spin;
	s->debug = debug;
	s->strict = (hd_header(b)->flags & TESSERA_BOOT_STRICT) != 0;
	s->leader = cores[0];
	s->geom = b->geom;
	s->layout = b->layout;
	if (strlen(b->dir) >= sizeof(s->dir)) {
		rc = hd_fail(-ENAMETOOLONG, "board directory %s: path too long", b->dir);
		goto out;
	}
	snprintf(s->dir, sizeof(s->dir), "%s", b->dir);
	for (uint32_t k = 0; k < n && !rc; k++) {
		struct runner_core *sc = &s->core[k];
		uint32_t slot = b->host->core_image[cores[k]];

		sc->core = cores[k];
		sc->view = hd_view_base(cores[k]);
		if (slot && slot <= HD_HOST_IMAGES && b->host->images[slot - 1].pie) {
			sc->text_slot = slot;
			sc->text_lo = b->host->images[slot - 1].text_lo;
			sc->text_bytes = b->host->images[slot - 1].text_bytes;
		}
		/* the host's copy, not the chip's LUT, which any tile may be writing meanwhile
		 * (luts.c); checked all the same */
		hd_luts_get(b, cores[k], sc->lut);
		for (uint32_t i = 0; i < TESSERA_LUT_ENTRIES && !rc; i++) {
			rc = lut_check(b, cores[k], i, &sc->lut[i]);
			/* the windows all cores see alike are mapped once, as the first core's */
			if (!rc && k && !tessera_window_is_own(i) &&
			    memcmp(&sc->lut[i], &s->core[0].lut[i], sizeof(sc->lut[i])))
				rc = hd_fail(-EINVAL, "cores %u and %u see different things at 0x%x "
					     "(their LUTs differ there): run them in processes of "
					     "their own (--cores-per-process=1)", cores[0], cores[k],
					     i << TESSERA_LUT_SHIFT);
		}
	}
	if (rc)
		goto out;
	fd = memfd_create("tessera-runner-spec", MFD_CLOEXEC);
	if (fd < 0 || write(fd, s, size) != (ssize_t)size) {
		rc = hd_fail(-errno, "core %u: the runner's spec: %s", cores[0], strerror(errno));
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

/* Start a runner for cores[0..n-1] (on CPU cpu, -1: any; spin: it may look for wake-ups a
 * while before it sleeps, there being a CPU for each runner); records it in each core's priv.
 * dbg: n is 1 and the core runs under that stub, which takes hold of the runner here. */
static int spawn(struct hd_board *b, const uint32_t *cores, uint32_t n, int cpu, int spin,
		 struct hd_emu_debug *dbg)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t all, none;
	char first[16];
	char *argv[] = { "tessera-runner", b->dir, first, NULL };
	const char *path = runner_path();
	struct emu_runner *er = calloc(1, sizeof(*er));
	int spec, rc;
	pid_t pid;

	if (!er)
		return hd_fail(-ENOMEM, "out of memory");
	snprintf(first, sizeof(first), "%u", cores[0]);
	/* the wake block the runner sleeps on, and where each core's wakes go (none for a
	 * runner of one core: its core sleeps on its own interrupt word) */
	memset(b->chip + tessera_boardreg_wake_off(&b->geom, &b->layout, cores[0]), 0,
	       sizeof(struct tessera_wake));
	for (uint32_t k = 0; k < n; k++)
		__atomic_store_n(&hd_boardreg_core(b, cores[k])->runner, n > 1 ? cores[0] + 1 : 0,
				 __ATOMIC_RELEASE);
	if ((spec = make_spec(b, cores, n, cpu, spin, dbg != NULL)) < 0) {
		free(er);
		return spec;
	}
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
	if (rc) {
		free(er);
		return hd_fail(-rc, "core %u: cannot start the core runner %s: %s (set "
			       "TESSERA_RUNNER to its path)", cores[0], path, strerror(rc));
	}
	if (dbg && (rc = hd_emu_debug_attach(dbg, pid))) {
		int ws;

		kill(pid, SIGKILL);	/* our child, not yet reaped */
		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
		free(er);
		return rc;
	}
	er->pid = pid;
	er->live = n;
	for (uint32_t k = 0; k < n; k++) {
		b->core[cores[k]].priv = er;
		b->core[cores[k]].pid = pid;
	}
	b->core[cores[0]].debugger = dbg;
	return 0;
}

/* A core under gdb: a runner of its own, its stub listening before it starts. */
static int spawn_debugged(struct hd_board *b, uint32_t core)
{
	struct hd_emu_debug *dbg;
	int rc = hd_emu_debug_new(b, core, &dbg);

	if (rc)
		return rc;
	if ((rc = spawn(b, &core, 1, -1, 0, dbg)))
		hd_emu_debug_free(dbg);
	return rc;
}

/*
 * How many cores a runner gets: --cores-per-process, else one while the cores do not
 * outnumber the CPUs this process may use (each then has a CPU: a halt that sleeps in the
 * host kernel costs nothing another core needed), else an even share of one runner per CPU
 * (a halt then switches to the next core of the same runner, without the host kernel).
 * Runners of one core each, no more than the CPUs, are pinned to a CPU each: two cores that
 * talk then never take turns on one CPU while another idles (measured, 2 ranks, 8 B one-way:
 * 1.6 us median either way, but 3.8 and 4.5 us runs without pinning). Runners of many cores
 * are left to the kernel, which moves a runner off a CPU that other work holds (48-rank
 * allreduce under a load of 30: 94-174 us per call unpinned, 224-344 us pinned).
 * A core under gdb runs apart, in a runner of its own, started first; the others share out.
 */
static int emu_start_group(struct hd_board *b, const uint32_t *in, uint32_t nin)
{
	cpu_set_t set;
	uint32_t ncpu = (uint32_t)cpus(&set), per = b->host->cores_per_process, nrun, done = 0;
	uint32_t *cores = malloc(nin * sizeof(*cores)), n = 0, ndbg = 0;
	int rc = 0;

	if (!cores)
		return hd_fail(-ENOMEM, "out of memory");
	for (uint32_t i = 0; i < nin && !rc; i++) {
		if (!b->core[in[i]].debug)
			cores[n++] = in[i];
		else if (!(rc = spawn_debugged(b, in[i])))
			ndbg++;
	}
	if (rc || !n)
		goto out;
	if (!per)
		per = n <= ncpu ? 1 : (n + ncpu - 1) / ncpu;
	nrun = (n + per - 1) / per;
	for (uint32_t r = 0; r < nrun && !rc; r++) {
		/* even shares: the first n % nrun runners take one core more */
		uint32_t take = n / nrun + (r < n % nrun);

		rc = spawn(b, cores + done, take, per == 1 && nrun <= ncpu && ncpu > 1 ?
			   kth_cpu(&set, (int)r) : -1, nrun <= ncpu, NULL);
		if (!rc)
			done += take;
	}
out:
	if (rc) {
		for (uint32_t i = 0; i < done; i++)
			emu_stop(b, cores[i]);
		for (uint32_t i = 0; i < nin && ndbg; i++)
			if (b->core[in[i]].debugger && ndbg--)
				emu_stop(b, in[i]);
	}
	free(cores);
	return rc;
}

static int emu_start(struct hd_board *b, uint32_t core)
{
	return emu_start_group(b, &core, 1);
}

static int emu_poll(struct hd_board *b, uint32_t core, int *wstatus)
{
	struct emu_runner *er = b->core[core].priv;

	if (!er)
		return 1;
	/* under gdb the stub's waiter watches the runner: it is reaped once that saw it end */
	if (b->core[core].debugger && !hd_emu_debug_ended(b->core[core].debugger))
		return 0;
	if (!er->ended) {
		pid_t r = waitpid(er->pid, &er->wstatus, WNOHANG);

		if (r == er->pid || (r < 0 && errno == ECHILD))
			er->ended = 1;
	}
	*wstatus = er->wstatus;
	return er->ended;
}

/*
 * Stop a core. Its runner is our child, not yet reaped (ended is set once poll has reaped
 * it), so its pid is still its own: the last core of a runner to stop takes the runner with
 * it (SIGKILL, then reaped). A core whose runner runs others is retired by the runner
 * itself: its reset bit is set (hd_core_hold), and a wake-up makes the runner look at it.
 */
static void emu_stop(struct hd_board *b, uint32_t core)
{
	struct emu_runner *er = b->core[core].priv;
	int ws;

	b->core[core].priv = NULL;
	b->core[core].pid = 0;
	if (b->core[core].debugger) {	/* the stub goes first: its waiter ends with the runner */
		if (er && !er->ended)
			kill(er->pid, SIGKILL);	/* our child, not yet reaped */
		hd_emu_debug_free(b->core[core].debugger);
		b->core[core].debugger = NULL;
		b->core[core].debug = 0;	/* for one release */
	}
	if (!er)
		return;
	if (--er->live) {
		if (!er->ended)
			hd_core_irq(b, core);
		return;
	}
	if (!er->ended) {
		kill(er->pid, SIGKILL);
		while (waitpid(er->pid, &ws, 0) < 0 && errno == EINTR)
			;
	}
	free(er);
}

const struct hd_backend hd_backend_emu = {
	.name = "emu",
	.id = TESSERA_BACKEND_EMU,
	.arch = TESSERA_ARCH_EMU,
	.start = emu_start,
	.start_group = emu_start_group,
	.poll = emu_poll,
	.stop = emu_stop,
	.poll_ms = 0,
};
