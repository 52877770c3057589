// SPDX-License-Identifier: MIT
/*
 * test_rcce.c: RCCE and iRCCE programs end to end (lib/rcce, docs/rcce.md): the RCCE apps
 * give the same answers as their MPI twins on 2, 8 and 48 cores in both coherence modes;
 * iRCCE, the gory API with single-bit flags, and RCCE beside MPI in one image work on
 * 2, 8 and 48 cores under strict coherence (sharing the MPBs, and shared DRAM with an MPI
 * window); broken protocols fail under strict coherence
 * with the deadlock they cause (and only with it); rccerun places ranks on the host file's
 * cores; tessera-rccecc refuses to link an object of one RCCE mode with another's library;
 * the power calls show in `tessera ps`; test-and-set locks exclude however the cores run.
 */
#include <criterion/criterion.h>
#include "helpers.h"

#define RCCE_IMG "build/tests/rcce-images/"

/* The "answer:" lines of a run, which must be all it printed besides "time:" lines. */
static char *answers(const char *cmd_fmt, const char *app, int n, const char *mode,
		     const char *args)
{
	struct run r;
	char *out = calloc(1, 65536);
	const char *p;

	run_cmd(&r, cmd_fmt, n, mode, app, args);
	cr_assert_eq(r.status, 0, "%s -n %d %s: exit %d\n%s\n%s", app, n, mode, r.status, r.out,
		     r.err);
	for (p = r.out; *p; p = strchr(p, '\n') + 1) {
		size_t len = strcspn(p, "\n");

		if (!strncmp(p, "answer:", 7))
			strncat(out, p, len + 1);
		else
			cr_assert(!strncmp(p, "time:", 5), "%s: unexpected line: %.*s", app, (int)len, p);
		if (!p[len])
			break;
	}
	cr_assert(out[0], "%s printed no answer", app);
	run_free(&r);
	return out;
}

static void twins(const char *app, const char *args)
{
	static const int ns[] = { 2, 8, 48 };
	static const char *const modes[] = { "host", "strict" };
	const char *fmt = TESSERA " run --timeout 120 -n %d --coherence=%s build/apps/%s %s";

	for (unsigned i = 0; i < 3; i++) {
		for (unsigned m = 0; m < 2; m++) {
			char rcce[64], mpi[64];
			char *a, *b;

			snprintf(rcce, sizeof(rcce), "rcce-%s", app);
			snprintf(mpi, sizeof(mpi), "rcce-%s-mpi", app);
			a = answers(fmt, rcce, ns[i], modes[m], args);
			b = answers(fmt, mpi, ns[i], modes[m], args);
			cr_assert_str_eq(a, b, "%s on %d cores (%s): RCCE and MPI differ", app, ns[i],
					 modes[m]);
			free(a);
			free(b);
		}
	}
}

Test(rcce, stencil_answers_match_mpi)
{
	twins("stencil", "20 48 96");
}

Test(rcce, ring_answers_match_mpi)
{
	twins("ring", "64 1");
}

Test(rcce, reduce_answers_match_mpi)
{
	twins("reduce", "10 16");
}

Test(rcce, pingpong_answers_match_mpi)
{
	const char *fmt = TESSERA " run --timeout 120 -n %d --coherence=%s build/apps/%s %s";

	for (int m = 0; m < 2; m++) {
		const char *mode = m ? "strict" : "host";
		char *a = answers(fmt, "rcce-pingpong", 2, mode, "3 65536");
		char *b = answers(fmt, "rcce-pingpong-mpi", 2, mode, "3 65536");

		cr_assert_str_eq(a, b);
		cr_assert(strstr(a, " 0 bad bytes"), "%s", a);
		free(a);
		free(b);
	}
}

/* Run an RCCE test image on 2, 8 and 48 cores under strict coherence; it prints `want`
 * followed by the number of UEs. */
static void on_all_sizes(const char *image, const char *want)
{
	static const int ns[] = { 2, 8, 48 };

	for (unsigned i = 0; i < 3; i++) {
		struct run r;
		char line[64];

		run_cmd(&r, TESSERA " run --timeout 120 -n %d --coherence=strict " RCCE_IMG "%s",
			ns[i], image);
		snprintf(line, sizeof(line), "%s%d\n", want, ns[i]);
		cr_assert_eq(r.status, 0, "%s on %d: %s\n%s", image, ns[i], r.out, r.err);
		cr_assert(strstr(r.out, line), "%s on %d: %s", image, ns[i], r.out);
		run_free(&r);
	}
}

Test(rcce, ircce_requests_lists_and_wildcards)
{
	on_all_sizes("ircce", "ircce: ok ");
}

Test(rcce, gory_api_with_single_bit_flags)
{
	on_all_sizes("gorysbf", "gorysbf: ok ");
}

/* Test-and-set locks exclude in every way cores can run: a process each or a runner of
 * several, under --deterministic too (where a core that finds the lock held must hand the
 * turn to its holder, not only yield the CPU: else it waits for ever in a shared runner). */
Test(rcce, locks_exclude_however_the_cores_run)
{
	static const char *const how[] = { "--cores-per-process 1", "--cores-per-process 4",
					   "--coherence=strict --cores-per-process 4",
					   "--deterministic --cores-per-process 1",
					   "--deterministic --cores-per-process 4" };

	for (unsigned i = 0; i < sizeof(how) / sizeof(how[0]); i++) {
		struct run r;

		run_cmd(&r, TESSERA " run --timeout 60 -n 4 %s " RCCE_IMG "locks", how[i]);
		cr_assert_eq(r.status, 0, "%s: %s\n%s", how[i], r.out, r.err);
		cr_assert(strstr(r.out, "count 200 of 200\n"), "%s: %s", how[i], r.out);
		run_free(&r);
	}
}

Test(rcce, rcce_and_mpi_share_the_mpbs)
{
	static const int ns[] = { 2, 8, 48 };

	for (unsigned i = 0; i < 3; i++) {
		struct run r;

		run_cmd(&r, TESSERA " run --timeout 120 -n %d --coherence=strict " RCCE_IMG "mixed",
			ns[i]);
		cr_assert_eq(r.status, 0, "%d: %s\n%s", ns[i], r.out, r.err);
		cr_assert(strstr(r.out, "mixed: ok "), "%s", r.out);
		run_free(&r);
	}
}

Test(rcce, rcce_and_mpi_share_shared_dram, .timeout = 300)
{
	static const int ns[] = { 2, 48 };

	/* RCCE_shmalloc's part (the top quarter) and MPI's heap (windows, MPI_Alloc_mem) apart,
	 * on 48 ranks too, where mpb-channels fills the lower half */
	for (unsigned i = 0; i < 2; i++) {
		struct run r;

		run_cmd(&r, TESSERA " run --timeout 120 -n %d --coherence=strict " RCCE_IMG
			"mixed_win", ns[i]);
		cr_assert_eq(r.status, 0, "%d: %s\n%s", ns[i], r.out, r.err);
		cr_assert_str_eq(r.out, "mixed_win: ok\n");
		run_free(&r);
	}
}

/* A run that must end in tessera's deadlock report, and nothing else. */
static void deadlocks(const char *cmd, const char *waits)
{
	struct run r;

	run_cmd(&r, "%s", cmd);
	cr_assert_eq(r.status, 125, "%s: exit %d\n%s\n%s", cmd, r.status, r.out, r.err);
	cr_assert(strstr(r.err, "tessera: deadlock: "), "%s", r.err);
	cr_assert(strstr(r.err, waits), "%s: %s", waits, r.err);
	cr_assert_not(strstr(r.err, "SIG"), "%s", r.err);
	run_free(&r);
}

Test(rcce, missing_flag_write_deadlocks)
{
	deadlocks(TESSERA " run --timeout 60 -n 2 --coherence=strict " RCCE_IMG "noflag",
		  "rank 0 waits for any rank");
}

Test(rcce, missing_invalidate_fails_only_under_strict)
{
	struct run r;

	deadlocks(TESSERA " run --timeout 60 -n 2 --coherence=strict --break=invalidate "
		  "build/apps/rcce-pingpong 2 4096", "waits");
	run_cmd(&r, TESSERA " run --timeout 60 -n 2 --break=invalidate build/apps/rcce-pingpong "
		"2 4096");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, " 0 bad bytes"), "%s", r.out);
	run_free(&r);
}

Test(rcce, missing_flush_fails_only_under_strict)
{
	struct run r;

	deadlocks(TESSERA " run --timeout 60 -n 8 --coherence=strict --break=flush "
		  "build/apps/rcce-ring 16 1", "waits");
	run_cmd(&r, TESSERA " run --timeout 60 -n 8 --break=flush build/apps/rcce-ring 16 1");
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
}

Test(rcce, rccerun_places_ranks_on_the_host_files_cores)
{
	char hosts[] = "/tmp/tessera-rcce-hosts-XXXXXX";
	int fd = mkstemp(hosts);
	struct run r;

	cr_assert(fd >= 0);
	cr_assert(write(fd, "# cores\n10\n03 7\n05\n22\n", 22) == 22);
	close(fd);
	run_cmd(&r, "build/bin/rccerun -nue 4 -f %s " RCCE_IMG "where a b", hosts);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* the first four listed, in core order */
	cr_assert_str_eq(r.out, "ue 0 core 3 of 4 args 3\nue 1 core 5 of 4 args 3\n"
		"ue 2 core 7 of 4 args 3\nue 3 core 10 of 4 args 3\n");
	run_free(&r);
	run_cmd(&r, "build/bin/rccerun -nue 6 -f %s " RCCE_IMG "where", hosts);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "lists 5 cores, fewer than the 6 UEs"), "%s", r.err);
	run_free(&r);
	unlink(hosts);
	run_cmd(&r, "build/bin/rccerun -nue 3 " RCCE_IMG "where");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "ue 2 core 2 of 3 args 1\n"), "%s", r.out);
	run_free(&r);
}

Test(rcce, rccecc_refuses_to_mix_modes)
{
	struct run r;

	run_cmd(&r, "sh -c 'build/bin/tessera-rccecc -DGORY -c tests/rcce-images/noflag.c "
		"-o /tmp/tessera-rcce-$$.o && build/bin/tessera-rccecc /tmp/tessera-rcce-$$.o "
		"-o /tmp/tessera-rcce-$$; s=$?; rm -f /tmp/tessera-rcce-$$*; exit $s'");
	cr_assert_neq(r.status, 0);
	cr_assert(strstr(r.err, "RCCE_init_GORY"), "%s", r.err);
	run_free(&r);
}

Test(rcce, power_state_shows_in_ps)
{
	struct run r;
	char handle[256] = "";

	run_cmd(&r, TESSERA " boot");
	cr_assert_eq(r.status, 0, "%s", r.err);
	sscanf(r.out, "%255s", handle);
	run_free(&r);
	run_cmd(&r, TESSERA " run --board %s -n 16 " RCCE_IMG "power", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "power: domain 1 master 4 size 4 divider 8 level 0 rc 0"), "%s",
		  r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " ps --board %s --all", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* the three domains of 16 UEs at 200 MHz; cores 16-23 (domain 2, tiles 8-11) too;
	 * the domains nobody touched at the default */
	cr_assert_eq(count_lines(r.out, "200 MHz 0.7 V"), 24, "%s", r.out);
	cr_assert_eq(count_lines(r.out, "533 MHz 1.1 V"), 24, "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " shutdown --board %s", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
}
