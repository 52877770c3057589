/* SPDX-License-Identifier: MIT */
/*
 * test_qemu.c: the qemu backend end to end: i386 tile images booted as QEMU VMs (hello,
 * mpbc-stress in both coherence modes, strict coherence catching a broken channel, the MPI
 * conformance programs against their emu runs), CPU exceptions and stack overflows
 * reported with vector, address and line, wrong-arch images refused, jobs that mix VMs and
 * emulated cores, QEMU failures reported with QEMU's message, and no VM left behind; halted
 * VMs woken by their doorbell alone (the fallback tick off), and the clocks of VMs and
 * emulated cores agreeing in a trace. Needs qemu-system-i386 (Debian: qemu-system-x86).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <json-c/json.h>
#include <stdint.h>
#include "helpers.h"

#define MPICC "build/bin/tessera-mpicc"
#define HELLO_I386 "build/apps/i386/hello"
#define HELLO_EMU "build/apps/hello"
#define STRESS_I386 "build/apps/i386/mpbc-stress"
#define STRESS_EMU "build/apps/mpbc-stress"
#define BELL_EMU "build/tests/images/bell"
/* No fallback tick: a halted VM wakes on its doorbell or never (the job then times out). */
#define NO_TICK "env TESSERA_QEMU_TICK_MS=0 "

/* Processes (QEMU or core processes) whose command line names the board directory dir. */
static int procs_naming(const char *dir)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[300], buf[8192];
	int n = 0;

	while (d && (e = readdir(d))) {
		FILE *f;
		size_t len;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		len = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		for (size_t i = 0; i < len; i++)
			if (!buf[i])
				buf[i] = ' ';
		buf[len] = 0;
		if (strstr(buf, dir))
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* Build tests/images/NAME.c (or another source) as an i386 image in a per-test file. */
static void build_i386(const char *src, char *out, size_t n)
{
	struct run r;

	snprintf(out, n, "/tmp/tessera-qemu-test-%d-%s", (int)getpid(), strrchr(src, '/') + 1);
	*strrchr(out, '.') = 0;
	run_cmd(&r, MPICC " --arch=i386 -O1 -g -o %s %s -lm", out, src);
	cr_assert_eq(r.status, 0, "tessera-mpicc --arch=i386 %s: %s", src, r.err);
	run_free(&r);
}

static void hello_on(int n)
{
	struct run r;
	char dir[256];

	board_dir(dir, sizeof(dir), "qhello");
	run_cmd(&r, TESSERA " run -n %d --backend=qemu --board-dir %s " HELLO_I386, n, dir);
	assert_hello(&r, n);
	cr_assert_not(path_exists(dir), "board directory %s left behind", dir);
	cr_assert_eq(procs_naming(dir), 0, "VMs left behind");
	run_free(&r);
}

Test(qemu, hello_on_1_tile)
{
	hello_on(1);
}

Test(qemu, hello_on_4_tiles)
{
	hello_on(4);
}

static void stress(const char *mode)
{
	struct run r;

	run_cmd(&r, TESSERA " run --timeout 120 -n 4 --backend=qemu --coherence=%s " STRESS_I386
		" --messages 200", mode);
	assert_stress_clean(&r);
	run_free(&r);
}

Test(qemu, mpbc_stress_4_tiles_host_coherence)
{
	stress("host");
}

Test(qemu, mpbc_stress_4_tiles_strict_coherence)
{
	stress("strict");
}

/* Strict coherence is modelled in the VMs too: a channel that skips its invalidates or its
 * WCB flushes fails visibly (errors, or the stress's own stall detector). */
static void assert_broken(const char *what)
{
	struct run r;

	run_cmd(&r, TESSERA " run --timeout 60 -n 4 --backend=qemu --coherence=strict --break=%s "
		STRESS_I386 " --messages 50 --stall-ms 1500", what);
	assert_stress_broke(&r);
	run_free(&r);
}

Test(qemu, strict_coherence_without_invalidate_fails)
{
	assert_broken("invalidate");
}

Test(qemu, strict_coherence_without_flush_fails)
{
	assert_broken("flush");
}

/*
 * Every MPI conformance program built for i386 must print on 4 VMs what its emu build
 * prints on 4 emulated cores. Programs the emu build does not yet pass are skipped (the MPI
 * library is not complete yet), and datatypes is left out: its extents follow the i386
 * ABI (a double is 4-byte aligned in a struct), so they rightly differ from x86-64.
 */
Test(qemu, mpi_conformance_on_4_tiles_matches_emu, .timeout = 170)
{
	DIR *d = opendir("tests/mpi/conf");
	struct dirent *e;
	char failed[4096] = "", img[512], src[512];
	int ran = 0;

	cr_assert(d, "no tests/mpi/conf");
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		struct run emu, vm;
		char name[256];

		if (len < 3 || strcmp(e->d_name + len - 2, ".c") ||
		    !strcmp(e->d_name, "datatypes.c"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)len - 2, e->d_name);
		snprintf(src, sizeof(src), "build/tests/mpi/tessera/%s", name);
		if (!path_exists(src))
			continue;
		run_cmd(&emu, TESSERA " run -n 4 --timeout 60 --deadlock 10 %s", src);
		if (emu.status != 0) {
			run_free(&emu);
			continue;
		}
		snprintf(src, sizeof(src), "tests/mpi/conf/%s.c", name);
		build_i386(src, img, sizeof(img));
		run_cmd(&vm, TESSERA " run -n 4 --backend=qemu --timeout 60 --deadlock 10 %s", img);
		unlink(img);
		if (vm.status != 0 || strcmp(vm.out, emu.out))
			snprintf(failed + strlen(failed), sizeof(failed) - strlen(failed),
				 "%s: exit %d\n--- emu:\n%s--- qemu:\n%s%s\n", name, vm.status,
				 emu.out, vm.out, vm.err);
		ran++;
		run_free(&emu);
		run_free(&vm);
	}
	closedir(d);
	if (!ran)
		cr_skip_test("no MPI conformance program passes on emu yet");
	cr_assert_str_empty(failed, "%s", failed);
}

Test(qemu, page_fault_is_reported_with_vector_address_and_line)
{
	struct run r;
	char dir[256], img[512];

	build_i386("tests/images/crash.c", img, sizeof(img));
	board_dir(dir, sizeof(dir), "qcrash");
	run_cmd(&r, TESSERA " run -n 4 --backend=qemu --board-dir %s %s segv 2", dir, img);
	unlink(img);
	cr_assert_eq(r.status, 128 + 11, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "tessera: rank 2 (core 2, tile 1,0): page fault (vector 14) at 0x0 "
			 "in write_null (images/crash.c:"), "stderr: %s", r.err);
	cr_assert_not(path_exists(dir));
	cr_assert_eq(procs_naming(dir), 0, "VMs left behind");
	run_free(&r);
}

Test(qemu, failed_job_keeps_the_vm_logs)
{
	struct run r;
	char img[512], keep[128], serial[256];

	build_i386("tests/images/crash.c", img, sizeof(img));
	run_cmd(&r, TESSERA " run -n 2 --backend=qemu %s segv 1", img);
	unlink(img);
	cr_assert_eq(r.status, 128 + 11, "exit %d: %s", r.status, r.err);
	snprintf(keep, sizeof(keep), "/tmp/tessera-logs-%d", (int)r.pid);
	cr_assert(strstr(r.err, keep), "stderr: %s", r.err);
	snprintf(serial, sizeof(serial), "%s/qemu-core0001.serial", keep);
	cr_assert(path_exists(serial), "%s missing", serial);
	run_free(&r);
	run_cmd(&r, "rm -rf %s", keep);
	run_free(&r);
}

Test(qemu, divide_error_is_vector_0)
{
	struct run r;
	char img[512];

	build_i386("tests/images/crash.c", img, sizeof(img));
	run_cmd(&r, TESSERA " run --backend=qemu %s divzero", img);
	unlink(img);
	cr_assert_eq(r.status, 128 + 8, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "rank 0 (core 0, tile 0,0): divide error (vector 0) at 0x"), "%s",
		  r.err);
	cr_assert(strstr(r.err, " in main (images/crash.c:"), "%s", r.err);
	run_free(&r);
}

Test(qemu, crash_is_told_on_the_serial_log)
{
	struct run r;
	char dir[256], logs[] = "/tmp/tessera-test-qlogs-XXXXXX", img[512], *serial;
	FILE *f;

	build_i386("tests/images/crash.c", img, sizeof(img));
	board_dir(dir, sizeof(dir), "qserial");
	/* not named as a board: if the test fails before it is removed, tessera ls (which
	 * lists the tessera-* entries of /dev/shm) would show it as a board of another version */
	cr_assert(mkdtemp(logs));
	run_cmd(&r, TESSERA " run --backend=qemu --board-dir %s --log-dir %s %s segv", dir, logs,
		img);
	unlink(img);
	cr_assert_eq(r.status, 139, "%s", r.err);
	run_free(&r);
	snprintf(dir, sizeof(dir), "%s/qemu-core0000.serial", logs);
	f = fopen(dir, "r");
	cr_assert(f, "no serial log %s", dir);
	serial = slurp_fd(dup(fileno(f)));
	fclose(f);
	cr_assert(strstr(serial, "tessera: i386 core: crashed: vector 0x0000000e (page fault) "
			 "at eip 0x"), "serial log: %s", serial);
	free(serial);
	run_cmd(&r, "rm -rf %s", logs);
	run_free(&r);
}

Test(qemu, emu_image_is_refused_by_a_qemu_core)
{
	struct run r;

	run_cmd(&r, TESSERA " run --backend=qemu " HELLO_EMU);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "tessera: " HELLO_EMU " is a tile image for emu, but core 0 runs "
			 "on the qemu backend, which runs i386 images: rebuild it with "
			 "`tessera-mpicc --arch=i386`"), "%s", r.err);
	run_free(&r);
}

Test(qemu, i386_image_is_refused_by_an_emu_core)
{
	struct run r;

	run_cmd(&r, TESSERA " run " HELLO_I386);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "is a tile image for i386, but core 0 runs on the emu backend"),
		  "%s", r.err);
	cr_assert(strstr(r.err, "`tessera-mpicc --arch=emu`"), "%s", r.err);
	run_free(&r);
}

Test(qemu, mixed_job_says_hello_from_both)
{
	struct run r;
	char dir[256];

	board_dir(dir, sizeof(dir), "qmixed");
	run_cmd(&r, TESSERA " run -n 4 --backend=qemu:0-1,emu --board-dir %s --image-i386 "
		HELLO_I386 " " HELLO_EMU, dir);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_eq(count_lines(r.out, "hello from core"), 4, "%s", r.out);
	cr_assert_eq(count_lines(r.out, "rank 0 of 4\n"), 1, "%s", r.out);
	cr_assert_eq(count_lines(r.out, "rank 3 of 4\n"), 1, "%s", r.out);
	cr_assert_not(path_exists(dir));
	cr_assert_eq(procs_naming(dir), 0, "VMs or core processes left behind");
	run_free(&r);
}

/* Messages cross between VMs and emulated cores through the same MPBs, both ways. */
Test(qemu, mixed_job_passes_mpbc_stress)
{
	struct run r;

	run_cmd(&r, TESSERA " run --timeout 120 -n 4 --backend=qemu:0-1,emu --image-i386 "
		STRESS_I386 " " STRESS_EMU " --messages 200");
	assert_stress_clean(&r);
	run_free(&r);
}

/* MPMD on a mixed board: the server on a VM (its context's i386 image), the clients on
 * emulated cores; the i386 kernel reads its MPI_APPNUM from the same boot info. */
Test(qemu, mixed_mpmd_job_gives_each_context_its_image)
{
	struct run r;
	char server[256];

	snprintf(server, sizeof(server), "/tmp/tessera-qemu-test-%d-mpmd_server", (int)getpid());
	run_cmd(&r, MPICC " --arch=i386 -O1 -DMPMD_SERVER -o %s tests/mpi/mpmd/mpmd.c", server);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	run_cmd(&r, TESSERA " run --timeout 60 --backend=qemu:0,emu -n 1 --image-i386 %s "
		"build/tests/mpi/tessera/mpmd_server : -n 2 build/tests/mpi/tessera/mpmd_client c",
		server);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out,
		"rank 0 of 3: server (mpmd_server) appnum 0, 1 in its program (rank sum 0), "
		"exchange ok, universe set, argc 1, FOO=- BAR=-\n"
		"rank 1 of 3: client (mpmd_client) appnum 1, 2 in its program (rank sum 3), "
		"exchange ok, universe set, argc 2 'c', FOO=- BAR=-\n"
		"rank 2 of 3: client (mpmd_client) appnum 1, 2 in its program (rank sum 3), "
		"exchange ok, universe set, argc 2 'c', FOO=- BAR=-\n", "%s", r.err);
	run_free(&r);
	unlink(server);
}

Test(qemu, missing_qemu_is_reported)
{
	struct run r;

	run_cmd(&r, "env TESSERA_QEMU=/nonexistent/qemu " TESSERA " run --backend=qemu "
		HELLO_I386);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "qemu backend: /nonexistent/qemu not found"), "%s", r.err);
	run_free(&r);
}

Test(qemu, vm_that_fails_to_start_is_reported_with_qemus_message)
{
	struct run r;
	char dir[256];

	board_dir(dir, sizeof(dir), "qbadopt");
	run_cmd(&r, "env TESSERA_QEMU_ARGS='-device no-such-device' " TESSERA " run -n 2 "
		"--backend=qemu --board-dir %s " HELLO_I386, dir);
	cr_assert_neq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "qemu: qemu-system-i386: -device no-such-device: "), "%s", r.err);
	cr_assert_not(path_exists(dir));
	cr_assert_eq(procs_naming(dir), 0, "VMs left behind");
	run_free(&r);
}

Test(qemu, timeout_stops_every_vm)
{
	struct run r;
	char dir[256], img[512];

	build_i386("tests/images/crash.c", img, sizeof(img));
	board_dir(dir, sizeof(dir), "qtimeout");
	run_cmd(&r, TESSERA " run -n 4 --backend=qemu --timeout 1 --board-dir %s %s hang", dir,
		img);
	unlink(img);
	cr_assert_eq(r.status, 124, "%s", r.err);
	cr_assert_not(path_exists(dir));
	cr_assert_eq(procs_naming(dir), 0, "VMs left behind");
	run_free(&r);
}

/* A program that recurses until its stack runs into the guard page below it. */
static const char deep_src[] =
	"static int deep(int n)\n"
	"{\n"
	"	volatile char frame[4096];\n"
	"	frame[0] = (char)n;\n"
	"	return deep(n + 1) + frame[0];\n"
	"}\n"
	"int main(void)\n"
	"{\n"
	"	return deep(0);\n"
	"}\n";

Test(qemu, stack_overflow_is_a_page_fault_in_the_recursing_function)
{
	struct run r;
	char src[256], img[512];
	FILE *f;

	snprintf(src, sizeof(src), "/tmp/tessera-qemu-test-%d-deep.c", (int)getpid());
	f = fopen(src, "w");
	cr_assert(f);
	fputs(deep_src, f);
	fclose(f);
	build_i386(src, img, sizeof(img));
	unlink(src);
	run_cmd(&r, TESSERA " run --backend=qemu %s", img);
	unlink(img);
	cr_assert_eq(r.status, 139, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "rank 0 (core 0, tile 0,0): page fault (vector 14) at 0x"), "%s",
		  r.err);
	cr_assert(strstr(r.err, " in deep ("), "%s", r.err);
	run_free(&r);
}

/* The multiboot loader finds the header only in the first 8 KB, 4-byte aligned. */
Test(qemu, i386_image_has_multiboot_header_in_first_8k)
{
	FILE *f = fopen(HELLO_I386, "rb");
	uint32_t w[2048 + 2] = { 0 };
	size_t n;
	int found = -1;

	cr_assert(f, "no " HELLO_I386);
	n = fread(w, 1, 8192, f) / 4;
	fclose(f);
	for (size_t i = 0; i < n; i++)
		if (w[i] == 0x1badb002u && w[i] + w[i + 1] + w[i + 2] == 0) {
			found = (int)i * 4;
			break;
		}
	cr_assert_geq(found, 0, "no multiboot header in the first 8 KB of " HELLO_I386);
}

/* bell's two lines: each rank did every round, woke from halts, and saw the last value. */
static void assert_bell(const struct run *r, int rounds)
{
	for (int rank = 0; rank < 2; rank++) {
		char want[64];
		const char *line;
		unsigned wakes = 0, value = 0;
		int n = -1;

		snprintf(want, sizeof(want), "bell: rank %d: ", rank);
		line = strstr(r->out, want);
		cr_assert_not_null(line, "no line of rank %d\nstdout: %s\nstderr: %s", rank, r->out,
				   r->err);
		cr_assert_eq(sscanf(line + strlen(want), "%d rounds, %u wake-ups, value %u", &n,
				    &wakes, &value), 3, "%s", line);
		cr_assert_eq(n, rounds);
		cr_assert_eq(value, (unsigned)rounds);
		/* every message it received from the third round on found it asleep */
		cr_assert_geq(wakes, (unsigned)(rounds - 2) / 2, "rank %d woke %u times", rank,
			      wakes);
	}
}

Test(qemu, halted_vms_are_woken_by_their_doorbells_alone)
{
	struct run r;
	char img[512];

	build_i386("tests/images/bell.c", img, sizeof(img));
	run_cmd(&r, NO_TICK TESSERA " run -n 2 --backend=qemu --timeout 60 %s 20", img);
	unlink(img);
	cr_assert_eq(r.status, 0, "exit %d (124: a halted VM was never woken)\n%s", r.status,
		     r.err);
	assert_bell(&r, 20);
	run_free(&r);
}

Test(qemu, halted_vm_and_emulated_core_wake_each_other)
{
	struct run r;
	char img[512];

	build_i386("tests/images/bell.c", img, sizeof(img));
	run_cmd(&r, NO_TICK TESSERA " run -n 2 --backend=qemu:1,emu --timeout 60 --image-i386 %s "
		BELL_EMU " 20", img);
	unlink(img);
	cr_assert_eq(r.status, 0, "exit %d (124: a halted core was never woken)\n%s", r.status,
		     r.err);
	assert_bell(&r, 20);
	run_free(&r);
}

/* The k-th "send to"/"recv from" slice of bell between two ranks: begin and end (us). */
struct msg_times {
	double send_begin[64], recv_end[64];
	int sends, recvs;
};

static void collect(json_object *ev, int nranks, struct msg_times m[2][2])
{
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *e = json_object_array_get_idx(ev, i), *v;
		const char *name;
		double ts, dur;
		int rank, peer, tag, bytes;

		if (!json_object_object_get_ex(e, "ph", &v) || strcmp(json_object_get_string(v), "X"))
			continue;
		json_object_object_get_ex(e, "name", &v);
		name = json_object_get_string(v);
		json_object_object_get_ex(e, "tid", &v);
		rank = (json_object_get_int(v) - 1) % nranks;
		json_object_object_get_ex(e, "ts", &v);
		ts = json_object_get_double(v);
		json_object_object_get_ex(e, "dur", &v);
		dur = json_object_get_double(v);
		/* bell's own messages (a double each), not the empty ones of MPI_Barrier */
		if (sscanf(name, "send to %d (tag %d, %d B)", &peer, &tag, &bytes) == 3 &&
		    bytes == 8 && peer >= 0 && peer < 2 && rank < 2 && m[rank][peer].sends < 64)
			m[rank][peer].send_begin[m[rank][peer].sends++] = ts;
		else if (sscanf(name, "recv from %d (tag %d, %d B)", &peer, &tag, &bytes) == 3 &&
			 bytes == 8 && peer >= 0 && peer < 2 && rank < 2 && m[peer][rank].recvs < 64)
			m[peer][rank].recv_end[m[peer][rank].recvs++] = ts + dur;
	}
}

/* How far the VM of core 1 says its clock may be from the host's (us): half the best round
 * trip of its clock exchange, said on its serial port when over 50 us. */
static double clock_bound_us(const char *logs)
{
	char path[512], line[256];
	FILE *f;
	unsigned us = 50;

	snprintf(path, sizeof(path), "%s/qemu-core0001.serial", logs);
	f = fopen(path, "r");
	cr_assert_not_null(f, "no serial log %s", path);
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "clock is the host's to within ");

		if (p)
			sscanf(p + strlen("clock is the host's to within "), "%u", &us);
		cr_assert_null(strstr(line, "did not give its clock"), "%s", line);
	}
	fclose(f);
	return us;
}

/*
 * A VM's clock is the host's: in a trace of a ping-pong between a VM and an emulated core,
 * every message is received after it was sent, in both directions, give or take the bound
 * the VM states for its clock (50 us, more on a very busy host). Before the VMs took the
 * host's clock, a VM's lagged by QEMU's start-up, 60-150 ms: its receives came before the
 * emulated core's sends.
 */
Test(qemu, mixed_trace_orders_every_send_before_its_receive)
{
	struct run r;
	char img[512], trace[128], logs[128];
	struct msg_times m[2][2] = { 0 };
	json_object *doc, *ev;
	double bound;

	build_i386("tests/images/bell.c", img, sizeof(img));
	snprintf(trace, sizeof(trace), "/tmp/tessera-qemu-test-%d-trace.json", (int)getpid());
	snprintf(logs, sizeof(logs), "/tmp/tessera-qemu-test-%d-logs", (int)getpid());
	run_cmd(&r, "mkdir -p %s", logs);
	run_free(&r);
	run_cmd(&r, TESSERA " run -n 2 --backend=qemu:1,emu --timeout 60 --trace %s --log-dir %s "
		"--image-i386 %s " BELL_EMU " 20", trace, logs, img);
	unlink(img);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	run_free(&r);
	bound = clock_bound_us(logs);
	run_cmd(&r, "rm -rf %s", logs);
	run_free(&r);
	doc = json_object_from_file(trace);
	unlink(trace);
	cr_assert_not_null(doc, "the trace is not JSON");
	cr_assert(json_object_object_get_ex(doc, "traceEvents", &ev));
	collect(ev, 2, m);
	json_object_put(doc);
	for (int a = 0; a < 2; a++) {
		struct msg_times *x = &m[a][1 - a];

		cr_assert_eq(x->sends, 10, "rank %d sent %d traced messages", a, x->sends);
		cr_assert_eq(x->recvs, 10, "rank %d received %d traced messages", 1 - a, x->recvs);
		for (int k = 0; k < x->sends; k++)
			cr_assert_leq(x->send_begin[k], x->recv_end[k] + bound,
				      "message %d from rank %d (%s) ends at %.3f us, before it was "
				      "sent at %.3f us (the VM's clock: +-%.0f us)", k, a,
				      a ? "the VM" : "the emulated core", x->recv_end[k],
				      x->send_begin[k], bound);
	}
}
