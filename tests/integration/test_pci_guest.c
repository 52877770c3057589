// SPDX-License-Identifier: MIT
/*
 * test_pci_guest.c: the pci backend end to end: a Linux guest under QEMU reads and writes a
 * board made on this host through an ivshmem PCI device, and must see what the host sees
 * (tests/host-driver/pci-guest/run.sh does the work and checks each command).
 */
#include <criterion/criterion.h>
#include "helpers.h"

Test(pci, guest_sees_the_board_the_host_sees, .timeout = 240)
{
	struct run r;

	if (geteuid() != 0)
		cr_skip_test("needs root to read the guest kernel in /boot");
	run_cmd(&r, "env B=build tests/host-driver/pci-guest/run.sh");
	cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
	cr_assert(strstr(r.out, " 0 failed\n"), "%s", r.out);
	run_free(&r);
}
