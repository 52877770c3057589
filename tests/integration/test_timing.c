// SPDX-License-Identifier: MIT
/*
 * test_timing.c: virtual time and reproducible runs through `tessera run` (docs/timing.md):
 * --timing=scc shows virtual time on every clock and in the trace and ends with a summary;
 * the calibration check (apps/scc-calib) agrees with the published figures; --deterministic
 * runs of a racy any-source program print the same; a failure recorded with --record comes
 * back on every --replay; a replay of another program stops saying where; QEMU cores are
 * refused. None of it depends on the host's timing: where a host run's outcome is the point
 * (that the program is racy at all, that a failing schedule shows up), the test keeps trying
 * until it sees one or skips.
 */
#include <json-c/json.h>
#include "helpers.h"

#define TRUN "build/bin/tessera run --timeout 120"
#define RACY "build/tests/mpi-images/racy"

TestSuite(timing);

Test(timing, scc_clocks_show_virtual_time_and_a_summary)
{
	struct run r;
	const char *p;

	/* 100 s of sleep, which takes no host time under virtual time (else: the timeout) */
	run_cmd(&r, "build/bin/tessera run --timeout 60 -n 2 --timing=scc "
		"build/tests/mpi-images/vclock");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "wtime 100.000\n"), "%s", r.out);
	cr_assert(strstr(r.out, "monotonic 100.000\n"), "%s", r.out);
	cr_assert(strstr(r.out, "gettimeofday 100.000\n"), "%s", r.out);
	/* the receiver waited: it jumped to the message's arrival, after rank 0's sleep (and
	 * its printf, whose computation counts too). Rank 1 counts from its own start, which
	 * its MPI_Init's computation may put a little later than rank 0's: the jump it sees is
	 * 100 s less that difference (a few ms at most; without the jump it would be ~0). */
	p = strstr(r.out, "after-recv ");
	cr_assert_not_null(p, "%s", r.out);
	cr_assert(strtod(p + 11, NULL) >= 99.9 && strtod(p + 11, NULL) < 100.1, "%s", r.out);
	cr_assert(strstr(r.err, "tessera: virtual time 100.00"), "%s", r.err);
	/* either rank may end last: rank 1's printf after the receive is computation */
	cr_assert(strstr(r.err, "at 533 MHz), slowest rank "), "%s", r.err);
	cr_assert(strstr(r.err, "host calibrated at "), "%s", r.err);
	run_free(&r);
}

Test(timing, host_time_stays_the_default)
{
	struct run r;

	run_cmd(&r, TRUN " -n 1 build/apps/hello");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.err, "virtual time"), "%s", r.err);
	run_free(&r);
}

Test(timing, the_trace_shows_virtual_time)
{
	char path[] = "/tmp/tessera-test-vtrace-XXXXXX";
	int fd = mkstemp(path);
	struct json_object *j, *ev;
	double last = 0;
	struct run r;

	close(fd);
	run_cmd(&r, "build/bin/tessera run --timeout 60 -n 2 --timing=scc --trace %s "
		"build/tests/mpi-images/vclock", path);
	cr_assert_eq(r.status, 0, "%s", r.err);
	j = json_object_from_file(path);
	cr_assert_not_null(j);
	cr_assert(json_object_object_get_ex(j, "traceEvents", &ev));
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		struct json_object *e = json_object_array_get_idx(ev, i), *ts;

		if (json_object_object_get_ex(e, "ts", &ts) && json_object_get_double(ts) > last)
			last = json_object_get_double(ts);
	}
	/* rank 0's send comes after its 100 s sleep: in virtual time, microseconds */
	cr_assert_geq(last, 100e6, "last event at %g us", last);
	json_object_put(j);
	unlink(path);
	run_free(&r);
}

Test(timing, the_calibration_agrees_with_the_published_figures)
{
	struct run r;

	run_cmd(&r, TRUN " -n 2 --timing=scc build/apps/scc-calib");
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "MPB line write (cycles)               0       39.0"), "%s", r.out);
	cr_assert(strstr(r.out, "interrupt, one way (cycles)          -1      600.0"), "%s", r.out);
	cr_assert_null(strstr(r.out, "OFF"), "%s", r.out);
	run_free(&r);
}

Test(timing, scc_calib_refuses_host_time)
{
	struct run r;

	run_cmd(&r, TRUN " -n 1 build/apps/scc-calib");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "run it with --timing=scc"), "%s", r.err);
	run_free(&r);
}

Test(timing, deterministic_runs_of_a_racy_program_agree)
{
	struct run a, b;

	run_cmd(&a, TRUN " -n 4 -q --deterministic " RACY);
	cr_assert(strstr(a.out, "order: "), "%s%s", a.out, a.err);
	for (int i = 0; i < 2; i++) {
		run_cmd(&b, TRUN " -n 4 -q --deterministic " RACY);
		cr_assert_str_eq(b.out, a.out);
		cr_assert_eq(b.status, a.status);
		run_free(&b);
	}
	run_free(&a);
	/* with virtual clocks shown too (the program's reads of them then move them, so its
	 * turns may come otherwise than above), alike again, and in the summary */
	run_cmd(&a, TRUN " -n 4 -q --deterministic --timing=scc " RACY);
	run_cmd(&b, TRUN " -n 4 -q --deterministic --timing=scc " RACY);
	cr_assert(strstr(a.out, "order: "), "%s%s", a.out, a.err);
	cr_assert_str_eq(b.out, a.out);
	cr_assert(strstr(a.err, "no computation counted (--deterministic)"), "%s", a.err);
	/* the virtual time is the same too (the host time beside it is not) */
	cr_assert_not_null(strstr(a.err, "; host time"));
	*strstr(a.err, "; host time") = 0;
	cr_assert_not_null(strstr(b.err, "; host time"));
	*strstr(b.err, "; host time") = 0;
	cr_assert_str_eq(strstr(b.err, "tessera: virtual time"), strstr(a.err, "tessera: virtual time"));
	run_free(&b);
	run_free(&a);
}

/* The turns go alike whether the cores run a process each or share runners (a turn handed
 * to a core of the same runner is a switch there): the same decisions, the same virtual
 * time, to the cycle. */
Test(timing, deterministic_runs_agree_whatever_the_runners)
{
	struct run a, b;

	run_cmd(&a, TRUN " -n 4 -q --deterministic --timing=scc --cores-per-process 1 " RACY);
	run_cmd(&b, TRUN " -n 4 -q --deterministic --timing=scc --cores-per-process 4 " RACY);
	cr_assert(strstr(a.out, "order: "), "%s%s", a.out, a.err);
	cr_assert_str_eq(b.out, a.out);
	cr_assert_eq(b.status, a.status);
	cr_assert_not_null(strstr(a.err, "; host time"), "%s", a.err);
	*strstr(a.err, "; host time") = 0;
	cr_assert_not_null(strstr(b.err, "; host time"), "%s", b.err);
	*strstr(b.err, "; host time") = 0;
	cr_assert_str_eq(strstr(b.err, "tessera: virtual time"), strstr(a.err, "tessera: virtual time"));
	run_free(&b);
	run_free(&a);
}

/* rank R's line "rank R: SECONDS" of cpuclock's output */
/*
 * Virtual time and --deterministic share cores out into runners as host time does (they
 * once forced a process per core): 4 ranks asleep in runners of 2 are 2 host processes.
 * The ranks sleep until the file "go" exists, so that the runners can be counted. Under
 * --deterministic all 4 are asleep at once only if a sleep hands on the turn (it once kept
 * it: rank 0 slept on alone, and the others never started).
 */
static void counts_runners(const char *mode)
{
	struct sleepers s;
	int ws, awake;

	sleepers_start(&s, 4, 2, mode);
	cr_assert_eq(each_core(s.pid, core_signalled, 0), 2, "%s", mode);
	ws = sleepers_wake(&s, &awake);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "%s: status 0x%x", mode, ws);
	cr_assert_eq(awake, 4, "%s", mode);
}

Test(timing, virtual_time_runs_cores_in_shared_runners)
{
	counts_runners("--timing=scc");
	counts_runners("--deterministic");
}

static double cpuclock_of(const char *out, int rank)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof(key), "rank %d: ", rank);
	p = strstr(out, key);
	cr_assert_not_null(p, "%s", out);
	return strtod(p + strlen(key), NULL);
}

/* A core's virtual clock counts its own computation, not that of the cores it shares a
 * runner (a host thread) with: rank 0 computes while the others yield to it. */
Test(timing, a_core_counts_only_its_own_computation)
{
	static const char *const cpp[] = { "1", "4" };
	struct run r;

	for (int i = 0; i < 2; i++) {
		run_cmd(&r, TRUN " -n 4 --timing=scc --cores-per-process %s "
			"build/tests/mpi-images/cpuclock", cpp[i]);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert_gt(cpuclock_of(r.out, 0), 0.02, "%s", r.out);
		for (int k = 1; k < 4; k++)
			cr_assert_lt(cpuclock_of(r.out, k), cpuclock_of(r.out, 0) / 10,
				     "--cores-per-process %s: %s", cpp[i], r.out);
		run_free(&r);
	}
}

/* The trace's events of a run, as one string (json-c's plain rendering). */
static char *trace_events(const char *path)
{
	struct json_object *j = json_object_from_file(path), *ev;
	char *s;

	cr_assert_not_null(j, "%s", path);
	cr_assert(json_object_object_get_ex(j, "traceEvents", &ev));
	s = strdup(json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN));
	json_object_put(j);
	return s;
}

Test(timing, deterministic_runs_leave_the_same_trace)
{
	char a[] = "/tmp/tessera-test-dtrace-XXXXXX", b[] = "/tmp/tessera-test-dtrace-XXXXXX";
	int fa = mkstemp(a), fb = mkstemp(b);
	char *ta, *tb;
	struct run r;

	close(fa);
	close(fb);
	/* under virtual time every timestamp is the model's: the whole trace repeats, halts
	 * and wake-ups included */
	run_cmd(&r, TRUN " -n 4 -q --deterministic --timing=scc --trace %s " RACY, a);
	cr_assert(r.status == 0 || r.status == 3, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TRUN " -n 4 -q --deterministic --timing=scc --trace %s " RACY, b);
	cr_assert(r.status == 0 || r.status == 3, "%s", r.err);
	run_free(&r);
	ta = trace_events(a);
	tb = trace_events(b);
	cr_assert(strstr(ta, "halted"), "no halt traced");
	cr_assert_str_eq(ta, tb);
	free(ta);
	free(tb);
	unlink(a);
	unlink(b);
}

/* One-sided synchronisation waits on flags, not messages: under --deterministic too its
 * waits hand on the turn (a core that kept it and slept would stop the job). */
Test(timing, one_sided_programs_run_deterministically)
{
	struct run a, b;

	run_cmd(&a, TRUN " -n 4 -q --deterministic --timing=scc build/tests/mpi/tessera/rma");
	cr_assert_eq(a.status, 0, "%s%s", a.out, a.err);
	run_cmd(&b, TRUN " -n 4 -q --deterministic --timing=scc build/tests/mpi/tessera/rma");
	cr_assert_eq(b.status, 0, "%s%s", b.out, b.err);
	cr_assert_str_eq(b.out, a.out);
	cr_assert(strstr(a.err, "; host time") && strstr(b.err, "; host time"), "%s", a.err);
	*strstr(a.err, "; host time") = 0;
	*strstr(b.err, "; host time") = 0;
	cr_assert_str_eq(b.err, a.err);	/* the same virtual time */
	run_free(&a);
	run_free(&b);
}

/* Host runs of the racy program: do they differ at all? (Else the test above proves little;
 * a host that happens to run it alike every time skips.) */
Test(timing, host_runs_of_the_racy_program_differ)
{
	struct run a, b;
	int differ = 0;

	run_cmd(&a, TRUN " -n 4 -q " RACY);
	cr_assert(strstr(a.out, "order: "), "%s%s", a.out, a.err);
	for (int i = 0; i < 20 && !differ; i++) {
		run_cmd(&b, TRUN " -n 4 -q " RACY);
		differ = strcmp(a.out, b.out) != 0;
		run_free(&b);
	}
	run_free(&a);
	if (!differ)
		cr_skip("20 host runs of the racy program printed the same order");
}

/* Record runs of the racy program until one fails (exit 3); 1 if one did, into path. */
static int record_a_failure(const char *path, struct run *r)
{
	/* a process per core: host timing reorders them (a runner of several cores switches
	 * them in one order, so that the racy program seldom fails there); the replays run
	 * under the default, the scheduler */
	for (int i = 0; i < 60; i++) {
		run_cmd(r, TRUN " -n 4 -q --cores-per-process 1 --record %s " RACY, path);
		if (r->status == 3)
			return 1;
		cr_assert_eq(r->status, 0, "%s", r->err);
		run_free(r);
	}
	return 0;
}

Test(timing, a_recorded_failure_comes_back_on_every_replay)
{
	char path[] = "/tmp/tessera-test-record-XXXXXX";
	struct run rec, r;
	int fd = mkstemp(path);

	close(fd);
	if (!record_a_failure(path, &rec)) {
		unlink(path);
		cr_skip("60 host runs of the racy program never failed");
	}
	cr_assert(strstr(rec.err, "decisions"), "%s", rec.err);
	for (int i = 0; i < 20; i++) {
		run_cmd(&r, TRUN " -n 4 -q --replay %s " RACY, path);
		cr_assert_eq(r.status, 3, "replay %d: %s%s", i, r.out, r.err);
		cr_assert_str_eq(r.out, rec.out, "replay %d", i);
		run_free(&r);
	}
	/* deterministic and replayed at once: the record still rules */
	run_cmd(&r, TRUN " -n 4 -q --deterministic --replay %s " RACY, path);
	cr_assert_eq(r.status, 3);
	cr_assert_str_eq(r.out, rec.out);
	run_free(&r);
	unlink(path);
	run_free(&rec);
}

Test(timing, a_replay_of_another_program_stops_saying_where)
{
	char path[] = "/tmp/tessera-test-record-XXXXXX";
	struct run r;
	int fd = mkstemp(path);

	close(fd);
	run_cmd(&r, TRUN " -n 4 -q --record %s " RACY, path);
	cr_assert(r.status == 0 || r.status == 3, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TRUN " -n 4 -q --replay %s " RACY " shifted", path);
	cr_assert_neq(r.status, 0);
	cr_assert(strstr(r.err, "the record was made by `" RACY " `"), "%s", r.err);
	cr_assert(strstr(r.err, "rank 0 (core 0, tile 0,0): panic: replay diverges at call 0: "
			 "recorded an any-source receive on comm 0 tag -1, program MPI_Iprobe"),
		  "%s", r.err);
	run_free(&r);
	/* another number of ranks: refused before anything runs */
	run_cmd(&r, TRUN " -n 3 --replay %s " RACY, path);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "the record is of a job of 4 ranks, this one has 3"), "%s", r.err);
	run_free(&r);
	unlink(path);
}

Test(timing, a_file_that_is_no_record_is_refused)
{
	struct run r;

	run_cmd(&r, TRUN " -n 1 --replay build/apps/hello build/apps/hello");
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "not a tessera record"), "%s", r.err);
	run_free(&r);
}

Test(timing, qemu_cores_are_refused)
{
	struct run r;

	run_cmd(&r, TRUN " -n 2 --backend qemu:1,emu --timing=scc build/apps/hello");
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "--timing=scc: core 1 runs on the qemu backend, which keeps no "
			 "virtual clock yet"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, TRUN " -n 2 --backend qemu --deterministic build/apps/hello");
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "--deterministic: core 0 runs on the qemu backend"), "%s", r.err);
	run_free(&r);
}

Test(timing, bad_options_are_refused)
{
	struct run r;

	run_cmd(&r, TRUN " --timing=wall build/apps/hello");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--timing: 'wall' is not host or scc"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, TRUN " --timing-scale=-1 build/apps/hello");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--timing-scale: '-1' is not a positive number"), "%s", r.err);
	run_free(&r);
}
