/* SPDX-License-Identifier: MIT */
/*
 * bell.c: the doorbell of a QEMU core, its ivshmem-doorbell device (QEMU's
 * docs/specs/ivshmem-spec.rst). Ringing peer p is writing (p << 16 | vector) to the device's
 * Doorbell register; QEMU writes the eventfd the host's ivshmem server gave it for p, and p's
 * QEMU turns that into an MSI-X interrupt, which ends p's `hlt`. Peer ids are core numbers;
 * the host's is the board's core count (board.h). Rung by an emulated core or the host, a VM
 * is rung by the host on their behalf (host-driver/backend/qemu/relay.c).
 *
 * At boot the kernel points MSI-X vector 0 at its local APIC, checks that the device's
 * IVPosition is its core number, and rings itself until the interrupt arrives: that proves the
 * whole path, and since the server sends a client its own eventfd last, also that QEMU has
 * taken in every peer announced before. Without a working doorbell (no device registers, no
 * APIC, no interrupt within BELL_TEST_NS) the core halts on its timer tick as before.
 */
#include <errno.h>
#include <stdint.h>
#include "i386_impl.h"
#include "tk_impl.h"

#define REG_IVPOSITION	8
#define REG_DOORBELL	12
#define MSI_ADDR	0xfee00000u	/* + destination APIC id << 12: fixed, physical */
#define MSIX_MASKED	1u		/* vector control bit 0 */
/* QEMU reads its greeting in its main loop, which a busy host may starve for a while. */
#define BELL_TEST_NS	5000000000ull
#define BELL_RETRY_NS	10000000u

int i386_bell_on;
volatile uint32_t i386_bell_rings;
static volatile uint32_t *bell_regs;

void i386_bell_ring(uint32_t peer)
{
	bell_regs[REG_DOORBELL / 4] = peer << 16 | TESSERA_DOORBELL_VECTOR;
}

/* Wait (halted) for the ring count to pass `seen`, at most ns. 1 if it did. */
static int wait_ring(uint32_t seen, uint64_t ns)
{
	uint64_t t0 = i386_tsc_ns(rdtsc());

	while (i386_bell_rings == seen) {
		uint64_t t = i386_tsc_ns(rdtsc()) - t0;

		if (t >= ns)
			return 0;
		i386_apic_oneshot(ns - t);
		if (i386_bell_rings == seen)
			__asm__ volatile("sti; hlt; cli" : : : "memory");
	}
	i386_apic_oneshot(0);
	return 1;
}

int i386_bell_init(const struct i386_ivshmem *d, uint32_t core)
{
	volatile uint32_t *entry = (volatile uint32_t *)d->msix_table;
	uint64_t t0;

	if (!d->regs || !d->msix_table)
		return -ENODEV;
	bell_regs = (volatile uint32_t *)d->regs;
	if (bell_regs[REG_IVPOSITION / 4] != core)
		return -EPROTO;
	entry[0] = MSI_ADDR | i386_apic_id() << 12;
	entry[1] = 0;
	entry[2] = I386_VEC_BELL;
	entry[3] = 0;			/* unmasked */
	i386_pci_msix_enable(d);
	/* QEMU may not have read its own eventfd yet: ring again until it has. */
	t0 = i386_tsc_ns(rdtsc());
	while (i386_tsc_ns(rdtsc()) - t0 < BELL_TEST_NS) {
		uint32_t seen = i386_bell_rings;

		i386_bell_ring(core);
		if (wait_ring(seen, BELL_RETRY_NS)) {
			i386_bell_on = 1;
			return 0;
		}
	}
	entry[3] = MSIX_MASKED;
	return -ETIMEDOUT;
}
