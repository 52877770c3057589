// SPDX-License-Identifier: MIT
/*
 * status.c: what this core tells the host about itself while it runs: what it waits for
 * (for `tessera ps` and the deadlock detector) and its message counters (for `tessera top`).
 * wait_seq changes with every change so the host can tell a core stuck in one wait from a
 * core that keeps waiting anew. Also the modelled voltage and frequency of a core (board
 * registers), which lib/rcce's power management sets and `tessera ps` shows.
 */
#include "tk.h"
#include "tk_impl.h"

void tk_wait_set(uint32_t kind, int32_t peer_rank, int32_t tag, uint32_t comm)
{
	volatile struct tessera_status *st = &tk_hostwin()->status;

	st->wait_peer = peer_rank;
	st->wait_tag = tag;
	st->wait_comm = comm;
	__atomic_store_n(&st->wait_kind, kind, __ATOMIC_RELEASE);
	__atomic_store_n(&st->wait_seq, st->wait_seq + 1, __ATOMIC_RELEASE);
}

void tk_count_send(uint64_t bytes)
{
	volatile struct tessera_status *st = &tk_hostwin()->status;

	st->msgs_sent++;
	st->bytes_sent += bytes;
}

void tk_count_recv(uint64_t bytes)
{
	volatile struct tessera_status *st = &tk_hostwin()->status;

	st->msgs_recv++;
	st->bytes_recv += bytes;
}

void tk_power_get(uint32_t core, uint32_t *fdiv, uint32_t *vlevel)
{
	volatile struct tessera_boardreg_core *r = tk_boardreg_core(core);

	if (tk_dist_core_remote(core)) {	/* its registers are at its host */
		*fdiv = (uint32_t)tk_dist_call(TESSERA_DIST_REG_READ, core,
					       TESSERA_DIST_REG_PM_FDIV);
		*vlevel = (uint32_t)tk_dist_call(TESSERA_DIST_REG_READ, core,
						 TESSERA_DIST_REG_PM_VLEVEL);
		return;
	}
	*fdiv = __atomic_load_n(&r->pm_fdiv, __ATOMIC_ACQUIRE);
	*vlevel = __atomic_load_n(&r->pm_vlevel, __ATOMIC_ACQUIRE);
}

void tk_power_set(uint32_t core, uint32_t fdiv, uint32_t vlevel)
{
	volatile struct tessera_boardreg_core *r = tk_boardreg_core(core);

	if (tk_dist_core_remote(core)) {
		tk_dist_oneway(TESSERA_DIST_REG_WRITE, core, TESSERA_DIST_REG_PM_VLEVEL, vlevel);
		tk_dist_oneway(TESSERA_DIST_REG_WRITE, core, TESSERA_DIST_REG_PM_FDIV, fdiv);
		tk_dist_ship();
		return;
	}
	__atomic_store_n(&r->pm_vlevel, vlevel, __ATOMIC_RELEASE);
	__atomic_store_n(&r->pm_fdiv, fdiv, __ATOMIC_RELEASE);
}
