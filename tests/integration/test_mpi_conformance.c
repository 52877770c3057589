/* SPDX-License-Identifier: MIT */
/*
 * test_mpi_conformance.c: the MPI conformance programs of tests/mpi/conf, each built with
 * Open MPI (the reference), with tessera-mpicc and for the host fake, run with 1, 2, 4 and
 * 7 ranks: through mpirun, through tessera-mpirun, through tessera-mpirun under strict
 * coherence, and through fakerun (lib/mpi over the host fake of mpb-channels: every rank a
 * Linux process); the point-to-point programs (p2p_*) also through fakerun over the real
 * mpb-channels (libmpi-host-mpbc.a). Their standard output and exit status must agree. The
 * programs print only
 * from rank 0, after gathering, so the output does not depend on scheduling. Each program
 * runs in a directory of its own; io_coll leaves a file there that the next run checks
 * (tessera and the host fake read what Open MPI wrote, then Open MPI, run once more, reads
 * what they wrote).
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
#define MPBC_DIR "build/tests/mpi/host-mpbc"
#define MPIRUN "build/bin/tessera-mpirun"
#define FAKERUN "build/tests/mpi/fakerun"

static const int rank_counts[] = { 1, 2, 4, 7 };

/* Programs whose job fails on purpose: only "non-zero" is compared, not the value. */
static int fails_on_purpose(const char *name)
{
	return strcmp(name, "errors_fatal") == 0;
}

/* Programs that check the file the previous run left (and leave one). */
static int rereads(const char *name)
{
	return strcmp(name, "io_coll") == 0;
}

/* Where a program runs: a directory of its own, the programs by absolute path. */
struct place {
	char dir[64];
	char ompi[PATH_MAX], tessera[PATH_MAX], host[PATH_MAX], fakerun[PATH_MAX];
	char mpbc[PATH_MAX];	/* "" when the program has no build over the real channels */
	const char *args;
};

static void place_make(const char *name, struct place *p)
{
	char abs[PATH_MAX];

	snprintf(p->dir, sizeof(p->dir), "/tmp/tessera-conf-%d-XXXXXX", (int)getpid());
	cr_assert_not_null(mkdtemp(p->dir), "mkdtemp");
	cr_assert_not_null(realpath(OMPI_DIR, abs), OMPI_DIR);
	snprintf(p->ompi, sizeof(p->ompi), "%s/%s", abs, name);
	cr_assert_not_null(realpath(TESSERA_DIR, abs), TESSERA_DIR);
	snprintf(p->tessera, sizeof(p->tessera), "%s/%s", abs, name);
	cr_assert_not_null(realpath(HOST_DIR, abs), HOST_DIR);
	snprintf(p->host, sizeof(p->host), "%s/%s", abs, name);
	cr_assert_not_null(realpath(FAKERUN, p->fakerun), FAKERUN);
	p->mpbc[0] = 0;
	if (strncmp(name, "p2p_", 4) == 0) {
		cr_assert_not_null(realpath(MPBC_DIR, abs), MPBC_DIR);
		snprintf(p->mpbc, sizeof(p->mpbc), "%s/%s", abs, name);
	}
	p->args = rereads(name) ? "keep" : "";
}

static void place_free(struct place *p)
{
	struct run r;

	run_cmd(&r, "rm -rf %s", p->dir);
	run_free(&r);
}

/* The reference: Open MPI's run. Its osc/rdma makes no window in a job of one process
 * (MPI_ERR_WIN), and osc/ucx, next in line, crashes in MPI_Rput on dynamic windows now and
 * then: there osc/sm and osc/pt2pt serve. */
static void reference(const struct place *p, int n, struct run *ref)
{
	/* always under timeout: mpirun was seen to hang on programs that exit at once */
	run_cmd(ref, "timeout 120 mpirun --allow-run-as-root --oversubscribe --wdir %s %s -np %d %s %s",
		p->dir, n == 1 ? "--mca osc sm,pt2pt" : "", n, p->ompi, p->args);
}

/* Runs cmd (a full command line) against ref. */
static void compare(const char *name, int n, const struct run *ref, const char *how,
		    const char *cmd)
{
	struct run r;

	run_cmd(&r, "%s", cmd);
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
	char cmd[4 * PATH_MAX];
	struct place p;
	size_t k;

	if (!have_openmpi())
		cr_skip_test("Open MPI's mpirun is not installed");
	place_make(name, &p);
	for (k = 0; k < sizeof(rank_counts) / sizeof(rank_counts[0]); k++) {
		int n = rank_counts[k];
		struct run ref, again;

		reference(&p, n, &ref);
		cr_assert_neq(ref.status, 124, "%s: mpirun -np %d timed out", name, n);
		/* a reference that printed nothing would make any comparison pass */
		cr_assert(ref.out[0] != 0, "%s: mpirun -np %d printed nothing (exit %d)\n%s", name,
			  n, ref.status, ref.err);
		snprintf(cmd, sizeof(cmd), "timeout 180 " MPIRUN " --oversubscribe --wdir %s -np %d "
			 "%s %s", p.dir, n, p.tessera, p.args);
		compare(name, n, &ref, "host coherence", cmd);
		snprintf(cmd, sizeof(cmd), "timeout 180 " MPIRUN " --oversubscribe --wdir %s "
			 "--coherence=strict -np %d %s %s", p.dir, n, p.tessera, p.args);
		compare(name, n, &ref, "strict coherence", cmd);
		snprintf(cmd, sizeof(cmd), "timeout 180 env -C %s %s --timeout 170 -n %d %s %s",
			 p.dir, p.fakerun, n, p.host, p.args);
		compare(name, n, &ref, "host fake", cmd);
		if (p.mpbc[0]) {
			snprintf(cmd, sizeof(cmd), "timeout 180 env -C %s %s --timeout 170 -n %d %s %s",
				 p.dir, p.fakerun, n, p.mpbc, p.args);
			compare(name, n, &ref, "real channels, host processes", cmd);
		}
		if (rereads(name)) {
			/* Open MPI now finds what tessera wrote: the same answers */
			reference(&p, n, &again);
			cr_expect_eq(again.status, ref.status, "%s -np %d: Open MPI after tessera: "
				     "exit %d\n%s", name, n, again.status, again.err);
			cr_expect_str_eq(again.out, ref.out, "%s -np %d: Open MPI reads tessera's "
					 "file differently:\n%s", name, n, again.out);
			run_free(&again);
		}
		run_free(&ref);
	}
	place_free(&p);
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
CONFORMANCE(p2p_windows)
CONFORMANCE(p2p_boundaries)
CONFORMANCE(p2p_semantics)
CONFORMANCE(coll_basic)
CONFORMANCE(coll_vector)
CONFORMANCE(coll_ops)
CONFORMANCE(coll_opmatrix)
CONFORMANCE(coll_nonblocking)
CONFORMANCE(datatypes)
CONFORMANCE(comm)
CONFORMANCE(comm_idup)
CONFORMANCE(intercomm)
CONFORMANCE(groups)
CONFORMANCE(topo)
CONFORMANCE(errors)
CONFORMANCE(errors_fatal)
CONFORMANCE(abort)
CONFORMANCE(env)
CONFORMANCE(rma)
CONFORMANCE(rma_passive)
CONFORMANCE(io)
CONFORMANCE(io_coll)
CONFORMANCE(corner_cases)

/* Every program in tests/mpi/conf has a test above (this list is kept by hand). */
Test(mpi_conformance, every_program_is_listed)
{
	static const char *listed = " p2p_basic p2p_modes p2p_requests p2p_probe p2p_windows "
		"p2p_boundaries p2p_semantics "
		"coll_basic coll_vector coll_ops coll_nonblocking datatypes comm groups topo errors "
		"errors_fatal abort env intercomm comm_idup corner_cases coll_opmatrix rma "
		"rma_passive io io_coll ";
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
	cr_expect_eq(n, 27);
}
