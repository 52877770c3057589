/* SPDX-License-Identifier: MIT */
/*
 * hal_fake_hooks.h: forced into every tile-side file compiled for the host fake
 * (gcc -include): redirects core addresses to the fake's malloc'd board and gives each
 * simulated core its own copy of the per-core state of coherence.c and mpb-channels.
 */
#ifndef HAL_FAKE_HOOKS_H
#define HAL_FAKE_HOOKS_H

#include <stddef.h>
#include <stdint.h>

enum hal_fake_local_slot {
	HAL_FAKE_LOCAL_COHERENCE = 0,
	HAL_FAKE_LOCAL_MPBC = 1,
	HAL_FAKE_LOCAL_VT = 2,
	HAL_FAKE_LOCAL_SLOTS = 3,
};

void *hal_fake_ptr(uintptr_t addr);
void *hal_fake_local(int slot, size_t bytes);
void hal_fake_vt_publish(uint64_t now);

#define TK_MPB_PTR(addr) hal_fake_ptr((uintptr_t)(addr))
#define TK_COHERENCE_SELF() \
	((struct tk_coherence *)hal_fake_local(HAL_FAKE_LOCAL_COHERENCE, sizeof(struct tk_coherence)))
#define MPBC_SELF() \
	((struct mpbc_core *)hal_fake_local(HAL_FAKE_LOCAL_MPBC, sizeof(struct mpbc_core)))
/* tile-kernel/timing.c: a clock per simulated core, published to the fake; no --deterministic */
#define TK_VT_SELF() ((struct tk_vt *)hal_fake_local(HAL_FAKE_LOCAL_VT, sizeof(struct tk_vt)))
#define TK_VT_PUBLISH(now) hal_fake_vt_publish(now)
#define TK_VT_ENTER_HOOK() do { } while (0)

#endif
