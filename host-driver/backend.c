// SPDX-License-Identifier: MIT
/*
 * backend.c: the backends a core can run on (backend/emu, backend/qemu), which one each core
 * of a job gets from a --backend spec, and releasing a loaded core from reset through its
 * backend or holding it in reset again. Not loading (load.c) and not serving (job.c).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "hd_impl.h"


static const struct hd_backend *const backends[] = { &hd_backend_emu, &hd_backend_qemu };

const struct hd_backend *hd_backend_find(const char *name)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(name, backends[i]->name))
			return backends[i];
	return NULL;
}

const struct hd_backend *hd_backend_by_id(uint8_t id)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (id == backends[i]->id)
			return backends[i];
	return NULL;
}

/*
 * "emu", "qemu", or items NAME[:A[-B][+C[-D]]...] joined by ',': an item without cores
 * names the backend of every core no other item names. Fills be[c] for every core; 0 or
 * -EINVAL with hd_last_error() naming the bad item.
 */
int hd_backends_parse(const char *spec, uint32_t ncores, const struct hd_backend **be)
{
	char buf[512], *save = NULL, *item;
	const struct hd_backend *deflt = NULL;

	for (uint32_t c = 0; c < ncores; c++)
		be[c] = NULL;
	if (!spec || !*spec)
		spec = "emu";
	if (strlen(spec) >= sizeof(buf))
		return hd_fail(-EINVAL, "--backend: too long");
	snprintf(buf, sizeof(buf), "%s", spec);
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(item, ':'), *rsave = NULL, *r;
		const struct hd_backend *b;

		if (colon)
			*colon = 0;
		b = hd_backend_find(item);
		if (!b)
			return hd_fail(-EINVAL, "--backend: unknown backend '%s' (known: emu, qemu)",
				       item);
		if (!colon) {
			deflt = b;
			continue;
		}
		for (r = strtok_r(colon + 1, "+", &rsave); r; r = strtok_r(NULL, "+", &rsave)) {
			char *end = r;
			/* digits only: strtoul would take "-1" or " 3" */
			unsigned long lo = isdigit((unsigned char)*r) ? strtoul(r, &end, 10) : 0, hi = lo;
			if (end != r && *end == '-' && isdigit((unsigned char)end[1]))
				hi = strtoul(end + 1, &end, 10);
			if (end == r || *end || lo > hi || hi >= ncores)
				return hd_fail(-EINVAL, "--backend: bad core range '%s' (cores are "
					       "0..%u)", r, ncores - 1);
			for (unsigned long c = lo; c <= hi; c++)
				be[c] = b;
		}
	}
	for (uint32_t c = 0; c < ncores; c++)
		if (!be[c])
			be[c] = deflt ? deflt : &hd_backend_emu;
	return 0;
}

/* Back to reset: a core whose start failed or never came. */
static void unstart(struct hd_board *b, uint32_t core)
{
	b->core[core].backend = NULL;
	hd_crb_core(b, core)->reset = 1;
	__atomic_store_n(&hd_hostwin(b, core)->status.state, TESSERA_CORE_RESET, __ATOMIC_RELEASE);
}

HD_API int hd_cores_release(struct hd_board *b, const uint32_t *cores, uint32_t n)
{
	uint32_t *group = NULL, m;
	int rc = 0;

	if (!b || (n && !cores))
		return hd_fail(-EINVAL, "hd_cores_release: NULL argument");
	for (uint32_t i = 0; i < n; i++) {
		uint32_t c = cores[i];

		if (c >= tessera_cores(&b->geom))
			return hd_fail(-EINVAL, "hd_core_release: no core %u", c);
		if (b->pci)
			return hd_fail(-EOPNOTSUPP, "board %s: cores behind PCI are started by the "
				       "board, not from here (docs/pci.md)", b->dir);
		if (b->core[c].backend && !b->core[c].ended)
			continue;	/* already running */
		if (b->core[c].rank < 0 || !b->core[c].assigned)
			return hd_fail(-ENOEXEC, "core %u: nothing loaded", c);
		for (uint32_t j = 0; j < i; j++)
			if (cores[j] == c)
				return hd_fail(-EINVAL, "hd_cores_release: core %u twice", c);
	}
	/* each core is this process's from now until it is held again (owner.c), and starts
	 * with the host's LUT, whatever a tile wrote (luts.c) */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t c = cores[i];

		if (b->core[c].backend && !b->core[c].ended)
			continue;
		if (!b->core[c].locked && (rc = hd_owner_lock_core(b, c)))
			return rc;
		b->core[c].locked = 1;
		hd_luts_restore(b, c);
	}
	if (!(group = malloc((n ? n : 1) * sizeof(*group))))
		return hd_fail(-ENOMEM, "out of memory");
	/* one start per backend, for all of its cores in the order given */
	for (size_t k = 0; !rc && k < sizeof(backends) / sizeof(backends[0]); k++) {
		const struct hd_backend *be = backends[k];

		m = 0;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t c = cores[i];

			if (b->core[c].assigned != be || (b->core[c].backend && !b->core[c].ended))
				continue;
			hd_crb_core(b, c)->reset = 0;
			__atomic_store_n(&hd_hostwin(b, c)->status.state, TESSERA_CORE_BOOTING,
					 __ATOMIC_RELEASE);
			b->core[c].ended = 0;
			b->core[c].backend = be;
			group[m++] = c;
		}
		if (!m)
			continue;
		if (be->start_group) {
			if ((rc = be->start_group(b, group, m)))
				for (uint32_t i = 0; i < m; i++)
					unstart(b, group[i]);
			continue;
		}
		for (uint32_t i = 0; i < m; i++)
			if (rc || (rc = be->start(b, group[i])))
				unstart(b, group[i]);
	}
	free(group);
	return rc;
}

HD_API int hd_core_release(struct hd_board *b, uint32_t core)
{
	return hd_cores_release(b, &core, 1);
}

/* Stop a core: "reset" said first and the CRB's reset bit set, so that the process running
 * it, if another, takes its end for a hold; stopped here if this process runs it. Whether
 * the core stays this process's (its lock) is the caller's business. */
void hd_core_stop(struct hd_board *b, uint32_t core)
{
	uint32_t *state = &hd_hostwin(b, core)->status.state;

	if (*state == TESSERA_CORE_BOOTING || *state == TESSERA_CORE_RUNNING)
		__atomic_store_n(state, TESSERA_CORE_RESET, __ATOMIC_RELEASE);
	__atomic_store_n(&hd_crb_core(b, core)->reset, 1, __ATOMIC_RELEASE);
	if (b->core[core].backend) {
		b->core[core].backend->stop(b, core);
		b->core[core].backend = NULL;
	}
	b->core[core].ended = 0;
}

/*
 * Hold a core in reset without waiting. A core this process runs is stopped and let go. One
 * another process runs is that process's child: it is asked (the reset bit, and a ring of
 * the board's doorbell, which wakes its hd_job_wait) and stops it itself. Nothing is ever
 * signalled on the word of board memory.
 */
void hd_core_hold_ask(struct hd_board *b, uint32_t core)
{
	struct tessera_boardreg_global *g = hd_boardreg_global(b);
	int ours = b->core[core].backend != NULL;

	hd_core_stop(b, core);
	if (!ours) {
		__atomic_fetch_add(&g->host_doorbell, 1, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, &g->host_doorbell, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	}
	if (b->core[core].locked)
		hd_owner_unlock_core(b, core);
	b->core[core].locked = 0;
}

HD_API int hd_core_hold(struct hd_board *b, uint32_t core)
{
	pid_t who;
	int ours;

	if (!b || core >= tessera_cores(&b->geom))
		return hd_fail(-EINVAL, "hd_core_hold: no core %u", core);
	ours = b->core[core].backend || b->core[core].locked;
	hd_core_hold_ask(b, core);
	if (ours)
		return 0;
	/* another process runs it: wait (a bounded while) until it has let the core go */
	for (int waited = 0; (who = hd_owner_core_holder(b, core)); waited += 10) {
		if (waited >= HD_HOLD_WAIT_MS)
			return hd_fail(-EBUSY, "core %u: process %d that runs it did not stop it",
				       core, (int)who);
		usleep(10000);
	}
	return 0;
}
