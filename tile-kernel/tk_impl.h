/* SPDX-License-Identifier: MIT */
/*
 * tk_impl.h: helpers shared inside the tile kernel (never included from outside it): where
 * this core's host window, board registers and CRB registers are in its address space.
 */
#ifndef TK_IMPL_H
#define TK_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include "tessera/board.h"

/*
 * Where this core's own windows are (board.h, tessera_window_is_own): its private DRAM and
 * the aliases that differ from core to core sit at tk_view_base + their SCC address. Set by
 * the arch entry before tk_start (the emu arch: its load address less TESSERA_ADDR_IMAGE);
 * 0 where a core has an address space of its own (i386).
 */
extern uintptr_t tk_view_base;

/* boot.c: the boot info, copied by tk_start from where the host wrote it into the kernel's
 * own data (the fields a core reads on every wake-up then share its data's pages, instead
 * of taking a page of their own in every core's working set); its strings stay there. */
extern struct tessera_bootinfo tk_boot;

static inline const struct tessera_bootinfo *tk_bi(void)
{
	return &tk_boot;
}

static inline volatile struct tessera_hostwin *tk_hostwin(void)
{
	return (volatile struct tessera_hostwin *)(tk_view_base + TESSERA_ADDR_HOSTWIN);
}

static inline volatile struct tessera_boardreg_global *tk_boardreg_global(void)
{
	return (volatile struct tessera_boardreg_global *)(uintptr_t)TESSERA_ADDR_BOARDREG;
}

static inline volatile struct tessera_boardreg_core *tk_boardreg_core(uint32_t core)
{
	return (volatile struct tessera_boardreg_core *)(uintptr_t)(TESSERA_ADDR_BOARDREG +
		TESSERA_BOARDREG_GLOBAL_BYTES + core * sizeof(struct tessera_boardreg_core));
}

static inline volatile struct tessera_crb_core *tk_crb_core(uint32_t core)
{
	const struct tessera_geom *g = &tk_bi()->geom;

	return (volatile struct tessera_crb_core *)(uintptr_t)(
		tessera_crb_addr(g, tessera_core_tile(g, core)) +
		tessera_core_z(g, core) * sizeof(struct tessera_crb_core));
}

/* ---- dist.c: a board spread over several hosts (TESSERA_BOOT_DIST) ---- */
#define TK_DIST_HERE		(-1)	/* home: this host */
#define TK_DIST_EVERYWHERE	(-2)	/* home: every host (shared DRAM, replicated) */
int tk_dist_on(void);
/* The core lives on another host (0 when the board is not distributed). */
int tk_dist_core_remote(uint32_t core);
/* How many of the n bytes from a share the home of a, written to *home. */
size_t tk_dist_span(uintptr_t a, size_t n, int *home);
/* Hand off stores to memory homed elsewhere (or to the other replicas of shared DRAM). */
void tk_dist_put(uintptr_t a, const void *src, size_t n);
/* Read n bytes at their home (publishes what is handed off first; halts meanwhile). */
void tk_dist_fetch(void *dst, uintptr_t a, size_t n);
/* Hand off an operation without an answer / with one (halts until answered). */
void tk_dist_oneway(uint16_t kind, uint32_t addr, uint32_t arg, uint32_t x);
int64_t tk_dist_call(uint16_t kind, uint32_t addr, uint32_t arg);
/* Publish the open entry (before anything of this core becomes visible on its host). */
void tk_dist_publish(void);
/* Publish, and ring the host if it has not heard of what was published. */
void tk_dist_ship(void);

/* posix_proc.c: path made absolute against the working directory after a chdir (in buf, n
 * bytes), else path itself */
const char *tk_path_resolve(const char *path, char *buf, size_t n);

/* console.c: one record of output on fd 1 or 2; wait until the host has taken it all */
void tk_console_put(int fd, const void *buf, size_t n);
void tk_console_sync(void);
/* Wait until the host has taken enough of a ring of `recs` records (trace, record) that
 * record `head` fits; the host interrupts a waiter (ctl->waiting) when it takes some (an
 * untraced tk_wait_host). */
void tk_ring_wait_room(volatile struct tessera_ring_ctl *c, uint32_t head, uint32_t recs);

/* timing.c: the virtual clock starts (boot, before the constructors) */
void tk_vt_start(void);

/* det.c: --deterministic (only when tk_det_on()) */
int tk_det_on(void);
void tk_det_start(void);		/* boot: wait for the first turn */
void tk_det_point(void);		/* entering the runtime: let a core behind us run */
void tk_det_yield(void);		/* let any other ready core run */
int tk_det_halt(uint64_t timeout_ns);	/* wait for a peer: the turn goes on */
void tk_det_wake(uint32_t core);	/* a peer's interrupt makes it ready */
void tk_det_exit(void);			/* this core stops: the turn goes on */

/*
 * halt.c: wait, halting, until ready(arg): a wait for the host (room in a ring it drains, the
 * answer to a call). It may come inside a halt window of the caller's (between its
 * tk_halt_prepare and its halt: output, a host call or a trace record of its last look for
 * work, or of the halt itself): the window stays announced (announcements nest), and an
 * interrupt taken here is raised again, since it may have been the caller's wake-up. The host
 * interrupts us when it has done its part; `waiting` (NULL: it always does) is set before our
 * last look and tells it that we wait. `traced`: the halt goes in the trace (not so for the
 * trace ring's own wait: its record would need the room it waits for).
 */
void tk_wait_host(int (*ready)(const void *arg), const void *arg, volatile uint32_t *waiting,
		  int traced);

#endif
