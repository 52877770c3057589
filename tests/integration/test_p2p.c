// SPDX-License-Identifier: MIT
/*
 * test_p2p.c: lib/mpi's receive path end to end on emulated cores: receives posted before
 * their one-record messages come, completed by the engine while the channel shows it each
 * header, then by MPI_Waitall (tests/images/recvwin.c: order, truncation in the statuses
 * and in MPI_Waitall's result, a freed posted receive, wildcards). The same on the host's
 * plain rings, under strict coherence and under virtual time (both: the rings' tk_mpb_*
 * path), and traced (the receives' ends recorded after their records are taken).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "helpers.h"

#define RECVWIN "build/tests/images/recvwin"

static void recvwin(const char *opts)
{
	struct run r;

	run_cmd(&r, TESSERA " run --timeout 120 -n 2 %s " RECVWIN, opts);
	cr_assert_eq(r.status, 0, "status %d\nout:\n%s\nerr:\n%s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "recvwin: ok"), "out:\n%s", r.out);
	run_free(&r);
}

Test(p2p, posted_receives_complete_in_order_with_their_statuses)
{
	recvwin("");
}

Test(p2p, posted_receives_under_strict_coherence)
{
	recvwin("--coherence=strict");
}

Test(p2p, posted_receives_under_virtual_time)
{
	recvwin("--timing=scc");
}

Test(p2p, posted_receives_traced)
{
	char path[] = "/tmp/tessera-p2p-trace-XXXXXX", opts[64];
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	close(fd);
	snprintf(opts, sizeof(opts), "--trace %s", path);
	recvwin(opts);
	unlink(path);
}
