// SPDX-License-Identifier: MIT
/*
 * backend.c: the backends a core can run on (backend/emu, backend/qemu), which one each core
 * of a job gets from a --backend spec, and releasing a loaded core from reset through its
 * backend or holding it in reset again. Not loading (load.c) and not serving (job.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
			char *end;
			unsigned long lo = strtoul(r, &end, 10), hi = lo;
			if (*end == '-')
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

HD_API int hd_core_release(struct hd_board *b, uint32_t core)
{
	const struct hd_backend *be;
	int rc;

	if (!b || core >= tessera_cores(&b->geom))
		return hd_fail(-EINVAL, "hd_core_release: no core %u", core);
	if (b->pci)
		return hd_fail(-EOPNOTSUPP, "board %s: cores behind PCI are started by the board, "
			       "not from here (docs/pci.md)", b->dir);
	if (b->core[core].backend && !b->core[core].ended)
		return 0;	/* already running */
	be = b->core[core].assigned;
	if (b->core[core].rank < 0 || !be)
		return hd_fail(-ENOEXEC, "core %u: nothing loaded", core);
	hd_crb_core(b, core)->reset = 0;
	__atomic_store_n(&hd_hostwin(b, core)->status.state, TESSERA_CORE_BOOTING,
			 __ATOMIC_RELEASE);
	b->core[core].ended = 0;
	b->core[core].backend = be;
	rc = be->start(b, core);
	if (!rc) {
		hd_header(b)->core_pid[core] = b->core[core].pid;
		hd_header(b)->server_pid[core] = getpid();
	}
	if (rc) {
		b->core[core].backend = NULL;
		hd_crb_core(b, core)->reset = 1;
		__atomic_store_n(&hd_hostwin(b, core)->status.state, TESSERA_CORE_RESET,
				 __ATOMIC_RELEASE);
	}
	return rc;
}

HD_API int hd_core_hold(struct hd_board *b, uint32_t core)
{
	struct tessera_header *h;
	uint32_t *state;

	if (!b || core >= tessera_cores(&b->geom))
		return hd_fail(-EINVAL, "hd_core_hold: no core %u", core);
	h = hd_header(b);
	state = &hd_hostwin(b, core)->status.state;
	/* Say "reset" first, so a server watching this core takes its end for a hold. */
	if (*state == TESSERA_CORE_BOOTING || *state == TESSERA_CORE_RUNNING)
		__atomic_store_n(state, TESSERA_CORE_RESET, __ATOMIC_RELEASE);
	hd_crb_core(b, core)->reset = 1;
	if (b->core[core].backend) {
		b->core[core].backend->stop(b, core);
		b->core[core].backend = NULL;
	} else if (h->core_pid[core] > 0 && h->server_pid[core] != getpid()) {
		/* Started by another process (tessera reset --release): its server reaps it. */
		kill(h->core_pid[core], SIGKILL);
	}
	h->core_pid[core] = 0;
	h->server_pid[core] = 0;
	b->core[core].ended = 0;
	return 0;
}
