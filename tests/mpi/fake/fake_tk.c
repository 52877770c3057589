/* SPDX-License-Identifier: MIT */
/* fake_tk.c: the tile-kernel calls lib/mpi uses, for ranks run as host processes by fakerun. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <string.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "fake.h"
#include "tk.h"

static struct fake_hdr *hdr;
static int me = -1;
static int have_shared;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct fake_hdr *fake_attach(void)
{
	const char *fd, *rank;
	static char own[16];
	struct fake_hdr probe;
	void *p;

	if (hdr)
		return hdr;
	fd = getenv("TESSERA_FAKE_FD");
	rank = getenv("TESSERA_FAKE_RANK");
	if (!fd || !rank) {
		/* not started by fakerun (a unit test, say): a job of one rank of its own */
		int f = memfd_create("tessera-fake", 0);
		struct timespec ts;

		if (f < 0 || ftruncate(f, (off_t)fake_total_bytes(1))) {
			perror("fake tile kernel: shared region");
			exit(127);
		}
		memset(&probe, 0, sizeof(probe));
		clock_gettime(CLOCK_MONOTONIC, &ts);
		probe.magic = FAKE_MAGIC;
		probe.nranks = 1;
		probe.t0_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
		if (pwrite(f, &probe, sizeof(probe), 0) != (ssize_t)sizeof(probe))
			exit(127);
		snprintf(own, sizeof(own), "%d", f);
		fd = own;
		rank = "0";
	}
	if (pread(atoi(fd), &probe, sizeof(probe), 0) != (ssize_t)sizeof(probe) ||
	    probe.magic != FAKE_MAGIC) {
		fprintf(stderr, "fake tile kernel: bad shared region\n");
		exit(127);
	}
	p = mmap(NULL, fake_bytes(probe.nranks), PROT_READ | PROT_WRITE, MAP_SHARED, atoi(fd), 0);
	if (p == MAP_FAILED) {
		perror("fake tile kernel: mmap");
		exit(127);
	}
	hdr = p;
	me = atoi(rank);
	p = mmap((void *)(uintptr_t)TESSERA_ADDR_SHARED, (size_t)FAKE_SHARED_MB << 20,
		 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, atoi(fd),
		 (off_t)fake_shared_off(probe.nranks));
	have_shared = p == (void *)(uintptr_t)TESSERA_ADDR_SHARED;
	return hdr;
}

int fake_shared_mapped(void)
{
	fake_attach();
	return have_shared;
}

/*
 * The libmpi-host-mpbc.a build (FAKE_BOARD) runs lib/mpi over the real mpb-channels: the
 * geometry, MPB access and interrupts below then come from fake_board.c and
 * tile-kernel/coherence.c instead.
 */
#ifndef FAKE_BOARD
/* Only shared_mb is read through it (0 when the shared DRAM could not be mapped). */
/* A board as wide as the fake's ranks (cores are ranks here), with shared DRAM if asked. */
const struct tessera_geom *tk_geom(void)
{
	static struct tessera_geom g = { .mesh_x = FAKE_MAX_RANKS, .mesh_y = 1,
					 .cores_per_tile = 1 };

	fake_attach();
	g.shared_mb = have_shared ? FAKE_SHARED_MB : 0;
	return &g;
}

/* ---- Shared DRAM, test-and-set registers, interrupts: plain host memory and atomics ---- */

void tk_mpb_read(void *dst, uintptr_t mpb_addr, size_t n)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	memcpy(dst, (const void *)mpb_addr, n);
}

void tk_mpb_write(uintptr_t mpb_addr, const void *src, size_t n)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy((void *)mpb_addr, src, n);
}

uint32_t tk_mpb_read32(uintptr_t mpb_addr)
{
	return __atomic_load_n((const uint32_t *)mpb_addr, __ATOMIC_ACQUIRE);
}

void tk_mpb_write32(uintptr_t mpb_addr, uint32_t v)
{
	__atomic_store_n((uint32_t *)mpb_addr, v, __ATOMIC_RELEASE);
}

void tk_cl1invmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

void tk_wcb_flush(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
#endif

void tk_lock_acquire(uint32_t core)
{
	uint32_t *l = &fake_attach()->tas[core];

	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

void tk_lock_release(uint32_t core)
{
	__atomic_store_n(&fake_attach()->tas[core], 0, __ATOMIC_RELEASE);
}

#ifndef FAKE_BOARD
void tk_irq_send(uint32_t core)
{
	fake_attach();
	fake_wake((int)core);
}

/*
 * Halting (lib/mpi's flag waits, win_flag.c): every core counts as halted, so every writer of
 * a flag rings the reader's doorbell and no reader spins; a halt sleeps only while the
 * doorbell has not moved since tk_halt_prepare, at most 5 s (a lost wake-up shows as a stall).
 * Under FAKE_BOARD, fake_board.c halts and wakes as the channels expect.
 */
static uint32_t halt_seen;

void tk_halt_prepare(void)
{
	halt_seen = __atomic_load_n(&fake_attach()->doorbell[me], __ATOMIC_SEQ_CST);
}

int tk_halt(uint64_t timeout_ns)
{
	struct timespec ts = { 5, 0 };

	(void)timeout_ns;
	if (__atomic_load_n(&hdr->doorbell[me], __ATOMIC_SEQ_CST) != halt_seen)
		return 1;
	syscall(SYS_futex, &hdr->doorbell[me], FUTEX_WAIT, halt_seen, &ts, NULL, 0);
	return __atomic_load_n(&hdr->doorbell[me], __ATOMIC_SEQ_CST) != halt_seen;
}

void tk_halt_done(void)
{
}

int tk_core_halted(uint32_t core)
{
	(void)core;
	return 1;
}

void tk_relax(void)
{
}

int tk_yield(void)
{
	sched_yield();
	return 1;
}

uint64_t tk_cycles(void)
{
	return now_ns();
}
#endif

void tk_core_wake(uint32_t core)
{
	tk_irq_send(core);
}

int tk_halt_for_peer(uint64_t timeout_ns)
{
	return tk_halt(timeout_ns);
}

/* The fakes run on host time and record no decisions (no TESSERA_BOOT_* flags). */
int tk_vt_on(void)
{
	return 0;
}

void tk_vt_enter(void)
{
}

void tk_vt_leave(void)
{
}

void tk_vt_wait_begin(void)
{
}

void tk_vt_wait_end(void)
{
}

uint64_t tk_vt_save(void)
{
	return 0;
}

void tk_vt_rewind(uint64_t t)
{
	(void)t;
}

void tk_vt_arrive(uint64_t stamp)
{
	(void)stamp;
}

uint64_t tk_vt_of(uint32_t core)
{
	(void)core;
	return 0;
}

/* Processes sleep in the host kernel: a halt is never just a switch (both builds). */
int tk_halt_is_cheap(void)
{
	return 0;
}

/* What the real channels and coherence.c call of virtual time. */
void tk_vt_access(uintptr_t addr, size_t n, int write)
{
	(void)addr, (void)n, (void)write;
}

void tk_vt_flush(void)
{
}

void tk_vt_invalidate(void)
{
}

uint64_t tk_vt_landing(uintptr_t addr)
{
	(void)addr;
	return 0;
}

int tk_vt_visible(uint64_t stamp)
{
	(void)stamp;
	return 1;
}

int tk_recording(void)
{
	return 0;
}

int tk_replaying(void)
{
	return 0;
}

uint32_t tk_decision_point(void)
{
	return 0;
}

void tk_decision_put(uint32_t seq, uint32_t kind, int32_t value, uint32_t aux)
{
	(void)seq, (void)kind, (void)value, (void)aux;
}

int tk_decision_get(uint32_t seq, uint32_t kind, uint32_t aux, int32_t *value)
{
	(void)seq, (void)kind, (void)aux, (void)value;
	return 0;
}

void tk_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fake rank %d: panic: ", me);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

int fake_rank(void)
{
	fake_attach();
	return me;
}

void fake_wake(int rank)
{
	__atomic_fetch_add(&hdr->doorbell[rank], 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &hdr->doorbell[rank], FUTEX_WAKE, 1, NULL, NULL, 0);
}

uint32_t tk_rank(void)
{
	return (uint32_t)fake_rank();
}

uint32_t tk_nranks(void)
{
	return (uint32_t)fake_attach()->nranks;
}

uint32_t tk_core(void)
{
	return tk_rank();
}

uint32_t tk_rank_core(uint32_t rank)
{
	return rank;
}

uint32_t tk_flags(void)
{
	return 0;
}

/* One context, a universe of the job's ranks. */
uint32_t tk_appnum(void)
{
	return 0;
}

uint32_t tk_universe(void)
{
	return tk_nranks();
}

/* Only host_cpus and nranks are read through it: 0 CPUs says "not oversubscribed". */
const struct tessera_bootinfo *tk_bootinfo(void)
{
	static struct tessera_bootinfo bi;

	bi.nranks = tk_nranks();
	return &bi;
}

uint64_t tk_time_ns(void)
{
	return now_ns() - fake_attach()->t0_ns;
}

/* The fakes record no trace (tk_tracing() is false: no TESSERA_BOOT_TRACE). */
void tk_trace(uint32_t kind, int32_t peer_rank, int32_t tag, uint32_t comm, uint64_t bytes)
{
	(void)kind, (void)peer_rank, (void)tag, (void)comm, (void)bytes;
}

void tk_wait_set(uint32_t kind, int32_t peer_rank, int32_t tag, uint32_t comm)
{
	(void)peer_rank;
	(void)tag;
	(void)comm;
	fake_attach()->wait_kind[me] = kind;
}

static struct fake_counts counts;

void tk_count_send(uint64_t bytes)
{
	counts.msgs_sent++;
	counts.bytes_sent += bytes;
}

void tk_count_recv(uint64_t bytes)
{
	counts.msgs_recv++;
	counts.bytes_recv += bytes;
}

void fake_counts(struct fake_counts *out)
{
	*out = counts;
}

/* The positioned I/O host calls (board.h) on this process's own descriptors; the fake
 * trusts its caller, the host (host-driver/hostcall.c) does not. */
static int64_t fake_pio(uint32_t op, const int64_t arg[6], const void *in, void *out)
{
	const struct tessera_hc_piece *p = in;
	int fd = (int)arg[0];
	char *bytes;
	int64_t done = 0;

	switch (op) {
	case TESSERA_HC_FTRUNCATE:
		return ftruncate(fd, (off_t)arg[1]) ? -errno : 0;
	case TESSERA_HC_FSYNC:
		return fsync(fd) ? -errno : 0;
	case TESSERA_HC_FALLOCATE:
		return -posix_fallocate(fd, (off_t)arg[1], (off_t)arg[2]);
	default:
		break;
	}
	bytes = arg[3] >= 0 ? (char *)(uintptr_t)(TESSERA_ADDR_SHARED + (uint64_t)arg[3]) :
	        op == TESSERA_HC_PWRITEV ? (char *)(p + arg[1]) : out;
	for (int64_t i = 0; i < arg[1]; i++)
		for (int64_t got = 0; got < p[i].len;) {
			ssize_t r = op == TESSERA_HC_PWRITEV ?
				pwrite(fd, bytes + done, (size_t)(p[i].len - got), p[i].off + got) :
				pread(fd, bytes + done, (size_t)(p[i].len - got), p[i].off + got);

			if (r < 0)
				return done ? done : -errno;
			if (r == 0)
				return done;
			got += r;
			done += r;
		}
	return done;
}

int64_t tk_hostcall(uint32_t op, const int64_t arg[6], const void *in, size_t in_n, void *out,
		    size_t out_n)
{
	(void)in_n;
	(void)out_n;
	if (op >= TESSERA_HC_PREADV && op <= TESSERA_HC_FALLOCATE)
		return fake_pio(op, arg, in, out);
	if (op == TESSERA_HC_ABORT_JOB) {
		fake_attach()->abort_code = (int32_t)arg[0];
		__atomic_store_n(&hdr->aborted, 1, __ATOMIC_RELEASE);
		return 0;
	}
	return -ENOSYS;
}

void tk_exit(int status)
{
	fflush(NULL);
	_exit(status);
}
