// SPDX-License-Identifier: MIT
/*
 * test_dist.c: one board over several host processes (tessera run --distributed,
 * docs/distributed.md), started by Open MPI's mpirun with TCP between them and no shared
 * memory transport. Two ways:
 *   - loopback (suite dist): the host processes on this machine, TCP over its loopback;
 *     needs only mpirun;
 *   - emulated hosts (suite dist_netns): each host process in a network namespace of its
 *     own, behind a veth link, its Open MPI daemon started there by tools/netns-hosts; needs
 *     root, and is skipped, saying why, without it.
 * What runs: hello, mpbc-stress under host and strict coherence, MPI conformance programs
 * against Open MPI, RCCE programs against one host, a crash, an exit status, MPI_Abort and a
 * deadlock on two and three hosts, hosts with different CPU counts, a trace and `tessera ps`
 * of the whole board, tessera-mpirun with a hostfile, and the refusals. The long matrix
 * (every conformance program, every size, both coherence modes) is `make test-dist`.
 * A distributed board shares each host's cores out among runners as one host does
 * (--cores-per-process, TESSERA_CORES_PER_PROCESS), so the integration suite's two passes
 * run these tests with a process per core and with runners of several; one test asks for
 * runners of several cores itself.
 */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include "helpers.h"

#define IMG "build/tests/images/"
#define MPI_IMG "build/tests/mpi-images/"
/* Every tile on an odd tile runs on host 1 (two hosts): neighbours talk across hosts. */
#define ODD_EVEN "0,2,4,6,8,10,12,14,16,18,20,22/1,3,5,7,9,11,13,15,17,19,21,23"

/* mpirun -np H of tessera run --distributed, over the loopback. */
#define LOOP(h) "timeout 200 mpirun --allow-run-as-root -q --oversubscribe -np " #h \
	" --mca btl tcp,self " TESSERA " run --distributed --timeout 150 "

static void need_mpirun(void)
{
	if (!have_openmpi())
		cr_skip_test("Open MPI's mpirun is not installed");
	if (!path_exists("build/bin/tessera-dist"))
		cr_skip_test("build/bin/tessera-dist was not built (Open MPI's mpicc missing)");
}

/* Nothing of a run with --board-dir DIR is left: DIR, DIR.h1, DIR.h2. */
static void assert_no_boards(const char *dir)
{
	char p[300];

	cr_expect_not(path_exists(dir), "%s left behind", dir);
	for (int h = 1; h < 3; h++) {
		snprintf(p, sizeof(p), "%s.h%d", dir, h);
		cr_expect_not(path_exists(p), "%s left behind", p);
	}
}

Test(dist, hello_on_two_hosts)
{
	struct run r;
	char dir[256];

	need_mpirun();
	board_dir(dir, sizeof(dir), "dhello");
	run_cmd(&r, LOOP(2) "--board-dir %s -n 12 build/apps/hello", dir);
	assert_hello(&r, 12);
	assert_no_boards(dir);
	run_free(&r);
}

Test(dist, mpbc_stress_on_two_hosts_under_both_coherence_models)
{
	static const char *const coh[] = { "host", "strict" };

	need_mpirun();
	for (int i = 0; i < 2; i++) {
		struct run r;

		run_cmd(&r, LOOP(2) "--coherence=%s --host-map " ODD_EVEN " -n 16 "
			"build/apps/mpbc-stress", coh[i]);
		assert_stress_clean(&r);
		run_free(&r);
	}
}

/* Cores switched in user space inside a runner hand off, wait for answers and are woken by
 * their host as a process per core is (docs/distributed.md). */
Test(dist, runners_of_several_cores_on_each_host)
{
	static const char *const coh[] = { "host", "strict" };

	need_mpirun();
	for (int i = 0; i < 2; i++) {
		struct run r;

		run_cmd(&r, LOOP(2) "--coherence=%s --cores-per-process 6 --host-map " ODD_EVEN
			" -n 24 build/apps/mpbc-stress", coh[i]);
		assert_stress_clean(&r);
		run_free(&r);
	}
}

Test(dist, one_sided_communication_across_hosts)
{
	struct run r;

	need_mpirun();
	/* passive target (a counter at rank 0 that ranks of both hosts take tasks from), then
	 * post/start/complete/wait halos */
	run_cmd(&r, LOOP(2) "--host-map " ODD_EVEN " -n 8 build/apps/rma-counter");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "20000 tasks, each done once: yes, sum right"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, LOOP(2) "--coherence=strict --host-map " ODD_EVEN " -n 8 build/apps/rma-halo");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "500 sweeps: 0.5694284269 0.2825310253 0.0369203898"), "%s",
		  r.out);
	run_free(&r);
}

/* The "answer:" lines of a run that must end with 0. */
static char *answer_lines(struct run *r)
{
	char *out = calloc(1, strlen(r->out) + 1);

	cr_assert_eq(r->status, 0, "exit %d\n%s\n%s", r->status, r->out, r->err);
	for (const char *p = r->out; *p;) {
		size_t len = strcspn(p, "\n");

		if (!strncmp(p, "answer:", 7))
			strncat(out, p, len + 1);
		p += len + (p[len] != 0);
	}
	cr_assert(out[0], "no answer: %s", r->out);
	return out;
}

Test(dist, rcce_reads_other_hosts_mpbs_and_gives_one_hosts_answers)
{
	static const char *const app[] = { "rcce-ring", "rcce-stencil" };

	need_mpirun();
	/* RCCE's receiver reads the sender's MPB: on tiles of alternate hosts every receive
	 * fetches across hosts; under strict coherence a stale line would show */
	for (int i = 0; i < 2; i++) {
		struct run r;
		char *one, *two;

		run_cmd(&r, TESSERA " run --timeout 120 --coherence=strict -n 8 build/apps/%s",
			app[i]);
		one = answer_lines(&r);
		run_free(&r);
		run_cmd(&r, LOOP(2) "--coherence=strict --host-map " ODD_EVEN " -n 8 build/apps/%s",
			app[i]);
		two = answer_lines(&r);
		run_free(&r);
		cr_assert_str_eq(two, one, "%s: two hosts and one differ", app[i]);
		free(one);
		free(two);
	}
}

Test(dist, a_flush_forgotten_fails_across_hosts_too)
{
	struct run r;

	need_mpirun();
	run_cmd(&r, LOOP(2) "--coherence=strict --break=flush --host-map " ODD_EVEN
		" -n 4 build/apps/mpbc-stress --stall-ms 1000");
	cr_assert_eq(r.status, 3, "stdout: %s\nstderr: %s", r.out, r.err);
	cr_assert(strstr(r.out, "stalled") || strstr(r.err, "no progress"), "%s%s", r.out,
		  r.err);
	run_free(&r);
}

Test(dist, a_crash_on_another_host_is_reported_once)
{
	static const char *const launch[] = { LOOP(2), LOOP(3) };

	need_mpirun();
	for (int i = 0; i < 2; i++) {
		struct run r;
		char dir[256];

		board_dir(dir, sizeof(dir), "dcrash");
		/* rank 11 is on core 11, tile 5: the last host in either cut */
		run_cmd(&r, "%s--board-dir %s -n 12 " IMG "crash segv 11", launch[i], dir);
		cr_assert_eq(r.status, 139, "%s", r.err);
		cr_assert_eq(count_lines(r.err, "tessera: rank 11 (core 11, tile 5,0): SIGSEGV at "
					 "0x0 in write_null"), 1, "%s", r.err);
		cr_assert_eq(count_lines(r.err, "tessera:"), 1, "one report: %s", r.err);
		assert_no_boards(dir);
		run_free(&r);
	}
}

Test(dist, exit_status_and_mpi_abort_of_a_remote_rank_are_the_jobs)
{
	struct run r;

	need_mpirun();
	run_cmd(&r, LOOP(3) "-n 12 " IMG "crash exit 11 7");
	cr_assert_eq(r.status, 7, "%s", r.err);
	cr_assert(strstr(r.err, "tessera: rank 11 (core 11) exited with status 7"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, LOOP(2) "--host-map " ODD_EVEN " -n 4 " MPI_IMG "abort");
	cr_assert_eq(r.status, 42, "%s", r.err);
	cr_assert(strstr(r.out, "rank 3 aborts"), "%s", r.out);
	run_free(&r);
}

Test(dist, a_deadlock_across_hosts_is_reported_with_its_cycle)
{
	static const char *const launch[] = { LOOP(2), LOOP(3) };

	need_mpirun();
	for (int i = 0; i < 2; i++) {
		struct run r;

		run_cmd(&r, "%s--deadlock 1 -n 12 " MPI_IMG "deadlock", launch[i]);
		cr_assert_eq(r.status, 125, "%s", r.err);
		cr_assert(strstr(r.err, "tessera: deadlock: rank 0 waits for rank 1 (tag 7, "
				 "MPI_COMM_WORLD) -> rank 1 waits for rank 2"), "%s", r.err);
		cr_assert(strstr(r.err, "-> rank 11 waits for rank 0 (tag 7, MPI_COMM_WORLD) -> "
				 "rank 0\n"), "%s", r.err);
		run_free(&r);
	}
}

Test(dist, a_raw_pointer_into_another_hosts_mpb_faults_and_says_why)
{
	struct run r;

	need_mpirun();
	run_cmd(&r, LOOP(2) "-n 12 " IMG "rawmpb");
	cr_assert_eq(r.status, 139, "%s", r.err);
	cr_assert(strstr(r.err, "the MPB of tile 5 is on host 1: a distributed board reaches it "
			 "only through tk_mpb_*"), "%s", r.err);
	run_free(&r);
}

static int64_t trace_meta(json_object *doc, const char *key)
{
	json_object *m, *v;

	cr_assert(json_object_object_get_ex(doc, "tessera", &m), "no \"tessera\" object");
	cr_assert(json_object_object_get_ex(m, key, &v), "no tessera.%s", key);
	return json_object_get_int64(v);
}

Test(dist, a_trace_over_two_hosts_is_one_file_every_send_paired)
{
	struct run r;
	char path[128];
	json_object *doc, *ev;
	int64_t sends, on_host1 = 0;

	need_mpirun();
	if (!path_exists("build/apps/ring"))
		cr_skip_test("build/apps/ring is not built yet (it needs the MPI library)");
	snprintf(path, sizeof(path), "/tmp/tessera-test-%d-dtrace.json", (int)getpid());
	/* ranks 0 and 1 on tile 0 (host 0), 2 and 3 on tile 1 (host 1): the ring crosses
	 * twice, and host 1's records reach host 0's file only at the end */
	run_cmd(&r, LOOP(2) "--host-map " ODD_EVEN " -n 4 --trace %s build/apps/ring", path);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_free(&r);
	doc = json_object_from_file(path);
	unlink(path);
	cr_assert_not_null(doc, "%s does not parse", path);
	cr_assert_eq(trace_meta(doc, "nranks"), 4);
	sends = trace_meta(doc, "sends");
	cr_assert_geq(sends, 4);
	/* a send of host 1 paired with its receive on host 0 and the other way round */
	cr_assert_eq(trace_meta(doc, "paired"), sends);
	cr_assert_eq(trace_meta(doc, "unpaired_sends"), 0);
	cr_assert_eq(trace_meta(doc, "unpaired_recvs"), 0);
	cr_assert_eq(trace_meta(doc, "bad_records"), 0);
	cr_assert(json_object_object_get_ex(doc, "traceEvents", &ev));
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *e = json_object_array_get_idx(ev, i), *tid, *ts;

		if (!json_object_object_get_ex(e, "ts", &ts))
			continue;
		/* one timeline from the job's start: nothing of host 1 before it */
		cr_assert_geq(json_object_get_double(ts), 0.0);
		if (json_object_object_get_ex(e, "tid", &tid) && json_object_get_int(tid) >= 3)
			on_host1++;	/* tid: rank + 1 */
	}
	cr_assert_gt(on_host1, 0, "no record of host 1's ranks");
	json_object_put(doc);
}

Test(dist, ps_on_host_0s_board_shows_every_core)
{
	struct run r, job;
	char dir[256], h1[300];

	need_mpirun();
	board_dir(dir, sizeof(dir), "dps");
	/* every rank halts for good (the one that would not, rank 99, is none) until the job's
	 * timeout; ps looks meanwhile */
	run_cmd(&job, "sh -c '" LOOP(2) "--timeout 10 --board-dir %s -n 12 " IMG "crash hang 99 "
		"> /dev/null 2>&1 &'", dir);
	cr_assert(run_until(&r, " running ", 12, TESSERA " ps --board %s", dir),
		  "ps: %s", r.out);
	cr_expect(strstr(r.out, "\n11    5,0    11    running   halted"), "%s", r.out);
	run_free(&r);
	run_free(&job);
	/* the hosts remove their parts of the board at the job's end, host 0 first */
	snprintf(h1, sizeof(h1), "%s.h1", dir);
	for (int i = 0; i < 1200 && (path_exists(dir) || path_exists(h1)); i++)
		usleep(50000);
	assert_no_boards(dir);
}

/*
 * Host 1 on one CPU, host 0 on two (mpirun binds neither; taskset narrows host 1): whether
 * ranks outnumber host CPUs must be answered alike on every rank, or an allreduce of rank 0
 * (host 0: recursive doubling) and rank 1 (host 1: reduce, then broadcast) pairs the wrong
 * messages and rank 1 ends with rank 0's value ("MISMATCH" in coll_basic's output).
 */
Test(dist, hosts_with_different_cpu_counts_run_the_same_collectives)
{
	struct run ref, r;

	need_mpirun();
	run_cmd(&ref, "timeout 120 mpirun --allow-run-as-root --oversubscribe -np 2 "
		"build/tests/mpi/ompi/coll_basic");
	cr_assert(ref.out[0], "Open MPI printed nothing: %s", ref.err);
	run_cmd(&r, "timeout 200 mpirun --allow-run-as-root -q --oversubscribe --bind-to none "
		"-np 2 --mca btl tcp,self sh -c 'if [ \"$OMPI_COMM_WORLD_RANK\" = 1 ]; then "
		"exec taskset -c 0 \"$@\"; fi; exec \"$@\"' sh " TESSERA " run --distributed "
		"--timeout 150 --host-map " ODD_EVEN " --cores 0,2 -n 2 "
		"build/tests/mpi/tessera/coll_basic");
	cr_assert_eq(r.status, ref.status, "%s", r.err);
	cr_assert_str_eq(r.out, ref.out);
	run_free(&r);
	run_free(&ref);
}

Test(dist, what_a_distributed_board_refuses)
{
	struct run r;

	need_mpirun();
	run_cmd(&r, LOOP(2) "--backend qemu -n 2 build/apps/hello");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "emu backend only"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, LOOP(2) "--host-map 0-23/ -n 2 build/apps/hello");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "host 1 has no tile"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, LOOP(2) "--timing=scc -n 2 build/apps/hello");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "does not combine with --timing=scc"), "%s", r.err);
	run_free(&r);
}

/* ---- emulated hosts: network namespaces ---- */

static char tag[16];

static void netns_up(int hosts)
{
	struct run r;

	need_mpirun();
	run_cmd(&r, "tools/netns-hosts check");
	if (r.status) {
		char why[256];

		snprintf(why, sizeof(why), "emulated hosts: %s", r.out);
		run_free(&r);
		cr_skip_test("%s", why);
	}
	run_free(&r);
	snprintf(tag, sizeof(tag), "t%d", (int)(getpid() % 10000000));
	run_cmd(&r, "tools/netns-hosts up %s %d", tag, hosts);
	cr_assert_eq(r.status, 0, "netns-hosts up: %s", r.err);
	run_free(&r);
}

static void netns_down(void)
{
	struct run r;

	if (!tag[0])
		return;
	run_cmd(&r, "tools/netns-hosts down %s", tag);
	run_free(&r);
	tag[0] = 0;
}

#define NETNS "timeout 200 tools/netns-hosts mpirun %s -q %s/" TESSERA " run --distributed " \
	"--timeout 150 "

static char cwd[4096];

static void netns_init(void)
{
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = 0;
}

TestSuite(dist_netns, .init = netns_init, .fini = netns_down);

Test(dist_netns, hello_and_mpbc_stress_on_two_emulated_hosts)
{
	struct run r;

	netns_up(2);
	run_cmd(&r, NETNS "-n 12 build/apps/hello", tag, cwd);
	assert_hello(&r, 12);
	run_free(&r);
	run_cmd(&r, NETNS "--host-map " ODD_EVEN " -n 16 build/apps/mpbc-stress", tag, cwd);
	assert_stress_clean(&r);
	run_free(&r);
	run_cmd(&r, NETNS "--coherence=strict --host-map " ODD_EVEN " -n 16 build/apps/mpbc-stress",
		tag, cwd);
	assert_stress_clean(&r);
	run_free(&r);
}

Test(dist_netns, mpi_conformance_against_open_mpi_on_two_emulated_hosts)
{
	static const char *const prog[] = { "p2p_basic", "coll_basic", "io_coll" };

	netns_up(2);
	for (size_t i = 0; i < sizeof(prog) / sizeof(prog[0]); i++) {
		struct run ref, r;

		run_cmd(&ref, "timeout 120 mpirun --allow-run-as-root --oversubscribe -np 7 "
			"build/tests/mpi/ompi/%s", prog[i]);
		cr_assert(ref.out[0], "%s: Open MPI printed nothing", prog[i]);
		run_cmd(&r, NETNS "--host-map " ODD_EVEN " -n 7 build/tests/mpi/tessera/%s", tag,
			cwd, prog[i]);
		cr_expect_eq(r.status, ref.status, "%s: %s", prog[i], r.err);
		cr_expect_str_eq(r.out, ref.out, "%s differs from Open MPI", prog[i]);
		run_free(&r);
		run_free(&ref);
	}
}

Test(dist_netns, crash_and_deadlock_on_two_and_three_emulated_hosts)
{
	for (int hosts = 2; hosts <= 3; hosts++) {
		struct run r;

		netns_up(hosts);
		/* rank 11, core 11, tile 5: on the last host of either cut */
		run_cmd(&r, NETNS "-n 12 " IMG "crash segv 11", tag, cwd);
		cr_assert_eq(r.status, 139, "%d hosts: %s", hosts, r.err);
		cr_assert(strstr(r.err, "tessera: rank 11 (core 11, tile 5,0): SIGSEGV at 0x0 in "
				 "write_null"), "%d hosts: %s", hosts, r.err);
		run_free(&r);
		run_cmd(&r, NETNS "--deadlock 1 -n 12 " MPI_IMG "deadlock", tag, cwd);
		cr_assert_eq(r.status, 125, "%d hosts: %s", hosts, r.err);
		cr_assert(strstr(r.err, "-> rank 11 waits for rank 0 (tag 7, MPI_COMM_WORLD) -> "
				 "rank 0\n"), "%d hosts: %s", hosts, r.err);
		run_free(&r);
		netns_down();
	}
}

Test(dist_netns, tessera_mpirun_with_a_hostfile_spreads_the_board)
{
	struct run r;

	netns_up(2);
	run_cmd(&r, "timeout 200 ip netns exec %s-sw build/bin/tessera-mpirun --allow-run-as-root "
		"--mca plm_rsh_agent '%s/tools/netns-hosts agent' --mca plm_rsh_no_tree_spawn 1 "
		"--mca btl tcp,self --mca btl_tcp_if_include 10.77.0.0/16 "
		"--mca oob_tcp_if_include 10.77.0.0/16 -f /tmp/tessera-netns/%s/hostfile -np 12 "
		"build/apps/hello", tag, cwd, tag);
	assert_hello(&r, 12);
	run_free(&r);
}
