// SPDX-License-Identifier: MIT
/*
 * test_mpmd.c: jobs of several programs (MPMD). tests/mpi/mpmd/mpmd.c, built as two images
 * (a server and a client), runs as one job; rank 0 prints a line per rank (program,
 * MPI_APPNUM, arguments, environment, whether the exchange between the programs worked).
 * Open MPI's mpirun runs its own builds of the two with the same command line, and the
 * outputs must be the same; then tessera run's ':' form, the appfile, MPICH's -env/-genv
 * and -configfile, and the command lines that must be refused.
 */
#include <criterion/criterion.h>
#include "helpers.h"

#define MPIRUN "build/bin/tessera-mpirun"
#define OMPI "build/tests/mpi/ompi/"
#define OURS "build/tests/mpi/tessera/"

/* The job every form below describes: 2 servers with x, 3 clients with y and 'z w'. */
#define EXPECTED \
	"rank 0 of 5: server (mpmd_server) appnum 0, 2 in its program (rank sum 1), exchange ok, " \
	"universe set, argc 2 'x', FOO=1 BAR=-\n" \
	"rank 1 of 5: server (mpmd_server) appnum 0, 2 in its program (rank sum 1), exchange ok, " \
	"universe set, argc 2 'x', FOO=1 BAR=-\n" \
	"rank 2 of 5: client (mpmd_client) appnum 1, 3 in its program (rank sum 9), exchange ok, " \
	"universe set, argc 3 'y' 'z w', FOO=- BAR=2\n" \
	"rank 3 of 5: client (mpmd_client) appnum 1, 3 in its program (rank sum 9), exchange ok, " \
	"universe set, argc 3 'y' 'z w', FOO=- BAR=2\n" \
	"rank 4 of 5: client (mpmd_client) appnum 1, 3 in its program (rank sum 9), exchange ok, " \
	"universe set, argc 3 'y' 'z w', FOO=- BAR=2\n"

static void assert_job(const char *how, const char *cmd)
{
	struct run r;

	run_cmd(&r, "%s", cmd);
	cr_assert_eq(r.status, 0, "%s: exit %d\n%s", how, r.status, r.err);
	cr_assert_str_eq(r.out, EXPECTED, "%s: %s\nstderr: %s", how, r.out, r.err);
	run_free(&r);
}

/* An appfile for the job, its programs in dir. */
static void appfile(char *path, size_t n, const char *tag, const char *dir)
{
	FILE *f;

	snprintf(path, n, "/tmp/tessera-mpmd-%d-%s", (int)getpid(), tag);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "# servers, then clients\n-np 2 -x FOO=1 %smpmd_server x   // two\n\n"
		"-np 3 -x BAR=2 %smpmd_client y z\n", dir, dir);
	fclose(f);
}

Test(mpmd, two_programs_as_open_mpi_runs_them, .timeout = 120)
{
	const char *line = "-np 2 -x FOO=1 %smpmd_server x : -np 3 -x BAR=2 %smpmd_client y 'z w'";
	char cmd[1024], fmt[512];

	if (!have_openmpi())
		cr_skip_test("Open MPI's mpirun is not installed");
	snprintf(fmt, sizeof(fmt), "timeout 120 mpirun --allow-run-as-root --oversubscribe %s",
		 line);
	snprintf(cmd, sizeof(cmd), fmt, OMPI, OMPI);
	assert_job("Open MPI", cmd);
	snprintf(fmt, sizeof(fmt), MPIRUN " %s", line);
	snprintf(cmd, sizeof(cmd), fmt, OURS, OURS);
	assert_job("tessera-mpirun", cmd);
}

Test(mpmd, appfile_as_open_mpi_reads_it, .timeout = 120)
{
	char ompi[128], ours[128], cmd[512];
	struct run r;

	if (!have_openmpi())
		cr_skip_test("Open MPI's mpirun is not installed");
	appfile(ompi, sizeof(ompi), "ompi", OMPI);
	appfile(ours, sizeof(ours), "ours", OURS);
	snprintf(cmd, sizeof(cmd), "timeout 120 mpirun --allow-run-as-root --oversubscribe "
		 "--app %s", ompi);
	run_cmd(&r, "%s", cmd);
	snprintf(cmd, sizeof(cmd), MPIRUN " --app %s", ours);
	{
		struct run t;

		run_cmd(&t, "%s", cmd);
		cr_assert_eq(t.status, r.status, "%s", t.err);
		cr_assert_str_eq(t.out, r.out, "tessera:\n%sOpen MPI:\n%s", t.out, r.out);
		cr_assert(strstr(t.out, "rank 4 of 5: client (mpmd_client) appnum 1"), "%s", t.out);
		run_free(&t);
	}
	run_free(&r);
	/* programs on the command line give way to the appfile, with a note */
	run_cmd(&r, MPIRUN " -np 3 --app %s", ours);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "gives the job's programs"), "%s", r.err);
	run_free(&r);
	unlink(ompi);
	unlink(ours);
}

Test(mpmd, tessera_run_contexts, .timeout = 60)
{
	assert_job("tessera run", TESSERA " run -n 2 --env FOO=1 " OURS "mpmd_server x : -n 3 "
		   "--env BAR=2 " OURS "mpmd_client y 'z w'");
	/* --np=N and --env=V=X after a ':'; the last --env of a name wins */
	assert_job("tessera run (= forms)", TESSERA " run -n 2 --env FOO=0 --env FOO=1 " OURS
		   "mpmd_server x : --np=3 --env=BAR=2 " OURS "mpmd_client y 'z w'");
}

Test(mpmd, mpich_env_genv_and_configfile, .timeout = 60)
{
	char cfg[128];
	FILE *f;

	/* the servers' own BAR (printed as unset, "-") overrides -genv's */
	assert_job("mpiexec -env/-genv", MPIRUN " -genv BAR 2 -n 2 -env FOO 1 -env BAR - " OURS
		   "mpmd_server x : -n 3 " OURS "mpmd_client y 'z w'");
	snprintf(cfg, sizeof(cfg), "/tmp/tessera-mpmd-%d-cfg", (int)getpid());
	f = fopen(cfg, "w");
	cr_assert_not_null(f);
	/* Hydra's: a line per program, or ':' between them on one line */
	fprintf(f, "-n 1 -env FOO 1 %smpmd_server x : -n 1 -env FOO 1 %smpmd_server x\n"
		"-n 3 -env BAR 2 %smpmd_client y z\n", OURS, OURS, OURS);
	fclose(f);
	{
		struct run r;

		run_cmd(&r, MPIRUN " -configfile %s", cfg);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert(strstr(r.out, "rank 1 of 5: server (mpmd_server) appnum 1, 1 in its "
				 "program"), "%s", r.out);
		cr_assert(strstr(r.out, "rank 4 of 5: client (mpmd_client) appnum 2, 3 in its "
				 "program (rank sum 9), exchange ok"), "%s", r.out);
		run_free(&r);
	}
	unlink(cfg);
}

Test(mpmd, colon_after_double_dash_is_an_argument)
{
	struct run r;

	/* the second: a program run directly hands its arguments over after `--` */
	static const char *const cmds[] = { TESSERA " run -- build/tests/images/args a : b",
					    "build/tests/images/args a : b" };

	for (size_t i = 0; i < 2; i++) {
		run_cmd(&r, "%s", cmds[i]);
		cr_assert_eq(r.status, 0, "%s: %s", cmds[i], r.err);
		cr_assert_str_eq(r.out, "argc=4 argv[1]=a argv[2]=: argv[3]=b GREETING=(unset)\n");
		run_free(&r);
	}
}

Test(mpmd, bad_command_lines_are_refused_by_name)
{
	static const char *const cases[][2] = {
		{ TESSERA " run -n 2 " OURS "mpmd_server :", "program 1: no image given" },
		{ TESSERA " run " OURS "mpmd_server : --trace t.json " OURS "mpmd_client",
		  "program 1: '--trace' is not an option of one program" },
		{ TESSERA " run " OURS "mpmd_server : -n 0 " OURS "mpmd_client",
		  "-n: '0' is not a number of ranks" },
		{ MPIRUN " -np 1 " OURS "mpmd_server :", "':' with no program after it" },
		{ MPIRUN " : " OURS "mpmd_server", "':' with no program before it" },
		{ MPIRUN " -np 2", "-n 2 with no program after it" },
		{ MPIRUN " -n 1 a : -wdir /tmp -n 1 b : -wdir /var c",
		  "one working directory per job" },
		{ MPIRUN " --app /nonexistent/app", "/nonexistent/app: cannot read the appfile" },
	};
	struct run r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_cmd(&r, "%s", cases[i][0]);
		cr_assert_eq(r.status, 2, "%s: exit %d, %s", cases[i][0], r.status, r.err);
		cr_assert(strstr(r.err, cases[i][1]), "%s: %s", cases[i][0], r.err);
		run_free(&r);
	}
}

Test(mpmd, images_of_contexts_are_checked_each)
{
	struct run r;

	run_cmd(&r, TESSERA " run " OURS "mpmd_server : /bin/true");
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "/bin/true: not a tessera tile image"), "%s", r.err);
	run_free(&r);
}
