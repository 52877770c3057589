/* SPDX-License-Identifier: MIT */
/*
 * test_mpi_conformance.c: the MPI conformance programs of tests/mpi/conf, each built with
 * Open MPI (the reference), with tessera-mpicc and for the host fake, run with 1, 2, 4 and
 * 7 ranks: through mpirun, through tessera-mpirun, through tessera-mpirun under strict
 * coherence, and through fakerun (lib/mpi over the host fake of mpb-channels: every rank a
 * Linux process). Their standard output and exit status must agree. The programs print only
 * from rank 0, after gathering, so the output does not depend on scheduling.
 *
 * The host fake is never "oversubscribed" (it reports no host CPU count), so it runs the
 * collective algorithms meant for a core per CPU (dissemination barrier, recursive-doubling
 * allreduce with its non-power-of-two fold) at every size, where tessera on a small host
 * switches to the ones for shared CPUs from 3 ranks up.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include "helpers.h"

#define CONF_DIR "tests/mpi/conf"
#define OMPI_DIR "build/tests/mpi/ompi"
#define TESSERA_DIR "build/tests/mpi/tessera"
#define HOST_DIR "build/tests/mpi/host"
#define MPIRUN "build/bin/tessera-mpirun"
#define FAKERUN "build/tests/mpi/fakerun"

static const int rank_counts[] = { 1, 2, 4, 7 };

/* Programs whose job fails on purpose: only "non-zero" is compared, not the value. */
static int fails_on_purpose(const char *name)
{
	return strcmp(name, "errors_fatal") == 0;
}

/* Runs cmd (a printf format taking the rank count, then the program name) against ref. */
static void compare(const char *name, int n, const struct run *ref, const char *how,
		    const char *cmd)
{
	struct run r;

	run_cmd(&r, cmd, n, name);
	if (fails_on_purpose(name))
		cr_expect_eq(r.status != 0, ref->status != 0,
			     "%s -np %d (%s): exit %d, Open MPI %d\n%s", name, n, how, r.status,
			     ref->status, r.err);
	else
		cr_expect_eq(r.status, ref->status, "%s -np %d (%s): exit %d, Open MPI %d\n%s",
			     name, n, how, r.status, ref->status, r.err);
	cr_expect_str_eq(r.out, ref->out, "%s -np %d (%s): output differs from Open MPI\n"
			 "--- tessera:\n%s--- Open MPI:\n%s--- stderr:\n%s", name, n, how, r.out,
			 ref->out, r.err);
	run_free(&r);
}

static void conform(const char *name)
{
	size_t k;

	if (!have_openmpi())
		cr_skip_test("Open MPI's mpirun is not installed");
	for (k = 0; k < sizeof(rank_counts) / sizeof(rank_counts[0]); k++) {
		int n = rank_counts[k];
		struct run ref;

		/* always under timeout: mpirun was seen to hang on programs that exit at once.
		 * Open MPI 4.1's osc/rdma makes no window in a job of one process (MPI_ERR_WIN):
		 * there its other one-sided components serve. */
		run_cmd(&ref, "timeout 120 mpirun --allow-run-as-root --oversubscribe %s -np %d "
			OMPI_DIR "/%s", n == 1 ? "--mca osc ^rdma" : "", n, name);
		cr_assert_neq(ref.status, 124, "%s: mpirun -np %d timed out", name, n);
		/* a reference that printed nothing would make any comparison pass */
		cr_assert(ref.out[0] != 0, "%s: mpirun -np %d printed nothing (exit %d)\n%s", name,
			  n, ref.status, ref.err);
		compare(name, n, &ref, "host coherence",
			"timeout 180 " MPIRUN " --oversubscribe -np %d " TESSERA_DIR "/%s");
		compare(name, n, &ref, "strict coherence", "timeout 180 " MPIRUN
			" --oversubscribe --coherence=strict -np %d " TESSERA_DIR "/%s");
		compare(name, n, &ref, "host fake", "timeout 180 " FAKERUN " --timeout 170 -n %d "
			HOST_DIR "/%s");
		run_free(&ref);
	}
}

#define CONFORMANCE(name) \
	Test(mpi_conformance, name, .timeout = 900) \
	{ \
		conform(#name); \
	}

CONFORMANCE(p2p_basic)
CONFORMANCE(p2p_modes)
CONFORMANCE(p2p_requests)
CONFORMANCE(p2p_probe)
CONFORMANCE(coll_basic)
CONFORMANCE(coll_vector)
CONFORMANCE(coll_ops)
CONFORMANCE(coll_nonblocking)
CONFORMANCE(datatypes)
CONFORMANCE(comm)
CONFORMANCE(groups)
CONFORMANCE(topo)
CONFORMANCE(errors)
CONFORMANCE(errors_fatal)
CONFORMANCE(abort)
CONFORMANCE(env)
CONFORMANCE(rma)
CONFORMANCE(rma_passive)

/* Every program in tests/mpi/conf has a test above (this list is kept by hand). */
Test(mpi_conformance, every_program_is_listed)
{
	static const char *listed = " p2p_basic p2p_modes p2p_requests p2p_probe coll_basic "
		"coll_vector coll_ops coll_nonblocking datatypes comm groups topo errors "
		"errors_fatal abort env rma rma_passive ";
	DIR *d = opendir(CONF_DIR);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		char name[280];
		size_t l = strlen(e->d_name);

		if (l < 3 || strcmp(e->d_name + l - 2, ".c"))
			continue;
		snprintf(name, sizeof(name), " %.*s ", (int)(l - 2), e->d_name);
		cr_expect_not_null(strstr(listed, name), "%s has no conformance test", e->d_name);
		n++;
	}
	closedir(d);
	cr_expect_eq(n, 18);
}
