// SPDX-License-Identifier: MIT
/*
 * test_mpi_intercomm.c: what intercommunicators do on tessera beyond what the conformance
 * programs can compare with Open MPI (tests/mpi/conf/intercomm.c covers the rest):
 * MPI_Comm_create_group of an intercommunicator gives an intracommunicator over the group,
 * as Open MPI does when it does not hang.
 */
#include <criterion/criterion.h>
#include "helpers.h"

Test(mpi_intercomm, create_group_of_an_intercommunicator)
{
	static const int ranks[] = { 2, 5, 7 };

	for (size_t k = 0; k < sizeof(ranks) / sizeof(ranks[0]); k++) {
		struct run r;

		run_cmd(&r, TESSERA " run -n %d build/tests/mpi-images/create_group_inter", ranks[k]);
		cr_assert_eq(r.status, 0, "-n %d: %s%s", ranks[k], r.out, r.err);
		cr_assert_str_eq(r.out, "ok\n", "-n %d", ranks[k]);
		run_free(&r);
	}
}
