// SPDX-License-Identifier: MIT
/*
 * hal_fake.c: the host fake of the tile kernel HAL (see hal_fake.h). Not a board emulator:
 * no private DRAM, no host window; only what mpb-channels and coherence.c touch.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "hal_fake.h"
#include "hal_fake_hooks.h"
#include "arch.h"
#include "tk.h"

struct fake_core {
	struct tessera_bootinfo bi;
	uint64_t vclock;		/* published virtual time (tile-kernel/timing.c) */
	uint64_t irq_stamp;		/* arrival time of the pending interrupt */
	uint32_t halted;
	uint32_t irq;
	uint32_t beat;
	uint32_t lock;
	uint32_t pm_fdiv, pm_vlevel;	/* modelled DVFS state (tk_power_*) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct hal_fake_counts counts;
	void *local[HAL_FAKE_LOCAL_SLOTS];
};

/* The fake's source registers: one per fake core (at most TESSERA_MAX_CORES). */
static uint32_t fake_src[TESSERA_MAX_CORES][TESSERA_SRC_WORDS];

static struct {
	struct tessera_geom geom;
	uint32_t ncores, nranks, flags;
	uint16_t rank_core[TESSERA_MAX_CORES];
	uint8_t *mpb;		/* tiles * mpb_bytes */
	uint8_t *shared;	/* shared_mb MB */
	uint64_t shared_bytes;
	struct fake_core *core;
	uint32_t counter[TESSERA_ATOMIC_COUNTERS];
	pthread_mutex_t local_mu;
	uint64_t t0;
} fb = { .local_mu = PTHREAD_MUTEX_INITIALIZER };

static _Thread_local int cur_core = -1;
static uint64_t vt_scale;

void hal_fake_vt_scale(uint64_t scale_q32)
{
	vt_scale = scale_q32;
}

static void fake_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "hal_fake: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct fake_core *me(void)
{
	if (cur_core < 0 || !fb.core)
		fake_die("tk_* called from a thread that is no core");
	return &fb.core[cur_core];
}

static struct fake_core *core_at(uint32_t core)
{
	if (core >= fb.ncores)
		fake_die("core %u out of range (%u cores)", core, fb.ncores);
	return &fb.core[core];
}

void hal_fake_geom(const char *name, uint32_t shared_mb, struct tessera_geom *g)
{
	memset(g, 0, sizeof(*g));
	if (!strcmp(name, "mesh32x32")) {
		g->mesh_x = 32;
		g->mesh_y = 32;
		g->cores_per_tile = 1;
	} else {
		g->mesh_x = 6;
		g->mesh_y = 4;
		g->cores_per_tile = 2;
	}
	g->mpb_bytes = 16384;
	g->line_bytes = TESSERA_LINE_BYTES;
	g->private_mb = 0;
	g->shared_mb = shared_mb;
	snprintf(g->name, sizeof(g->name), "%s", name);
}

int hal_fake_board(const struct tessera_geom *g, uint32_t nranks, const uint16_t *rank_core,
		   uint32_t flags)
{
	uint32_t c, r, tiles = tessera_tiles(g);

	hal_fake_board_free();
	memset(fake_src, 0, sizeof(fake_src));
	fb.geom = *g;
	fb.ncores = tessera_cores(g);
	if (nranks == 0 || nranks > fb.ncores)
		return -EINVAL;
	fb.nranks = nranks;
	fb.flags = flags;
	fb.shared_bytes = (uint64_t)g->shared_mb << 20;
	fb.mpb = aligned_alloc(4096, (size_t)tiles * g->mpb_bytes);
	fb.shared = fb.shared_bytes ? aligned_alloc(4096, fb.shared_bytes) : NULL;
	fb.core = calloc(fb.ncores, sizeof(*fb.core));
	if (!fb.mpb || (fb.shared_bytes && !fb.shared) || !fb.core)
		return -ENOMEM;
	memset(fb.mpb, 0, (size_t)tiles * g->mpb_bytes);
	if (fb.shared)
		memset(fb.shared, 0, fb.shared_bytes);
	for (r = 0; r < nranks; r++)
		fb.rank_core[r] = rank_core ? rank_core[r] : (uint16_t)r;
	fb.t0 = now_ns();
	for (c = 0; c < fb.ncores; c++) {
		struct fake_core *fc = &fb.core[c];

		pthread_mutex_init(&fc->mu, NULL);
		pthread_cond_init(&fc->cv, NULL);
		fc->bi.magic = TESSERA_BOOTINFO_MAGIC;
		fc->bi.core = c;
		fc->bi.rank = 0xffffu;
		fc->bi.nranks = nranks;
		fc->bi.flags = flags;
		fc->bi.time_base_ns = fb.t0;
		fc->bi.vt_scale_q32 = vt_scale;
		fc->bi.geom = *g;
		memcpy(fc->bi.rank_core, fb.rank_core, sizeof(fb.rank_core));
	}
	for (r = 0; r < nranks; r++) {
		if (fb.rank_core[r] >= fb.ncores)
			return -EINVAL;
		fb.core[fb.rank_core[r]].bi.rank = r;
	}
	return 0;
}

void hal_fake_board_dirty(uint8_t byte)
{
	memset(fb.mpb, byte, (size_t)tessera_tiles(&fb.geom) * fb.geom.mpb_bytes);
	if (fb.shared)
		memset(fb.shared, byte, fb.shared_bytes);
}

void hal_fake_board_free(void)
{
	uint32_t c;
	int s;

	if (fb.core) {
		for (c = 0; c < fb.ncores; c++)
			for (s = 0; s < HAL_FAKE_LOCAL_SLOTS; s++)
				free(fb.core[c].local[s]);
	}
	free(fb.core);
	free(fb.mpb);
	free(fb.shared);
	fb.core = NULL;
	fb.mpb = NULL;
	fb.shared = NULL;
	cur_core = -1;
}

void hal_fake_core(uint32_t core)
{
	core_at(core);
	cur_core = (int)core;
}

struct run_arg {
	uint32_t rank;
	int (*fn)(uint32_t rank, void *arg);
	void *arg;
	int ret;
};

static void *run_thread(void *p)
{
	struct run_arg *ra = p;

	hal_fake_core(fb.rank_core[ra->rank]);
	ra->ret = ra->fn(ra->rank, ra->arg);
	return NULL;
}

int hal_fake_run(int (*fn)(uint32_t rank, void *arg), void *arg)
{
	pthread_t th[TESSERA_MAX_CORES];
	struct run_arg *ra = calloc(fb.nranks, sizeof(*ra));
	uint32_t r;
	int ret = 0;

	if (!ra)
		return -ENOMEM;
	for (r = 0; r < fb.nranks; r++) {
		ra[r] = (struct run_arg){ .rank = r, .fn = fn, .arg = arg };
		if (pthread_create(&th[r], NULL, run_thread, &ra[r]))
			fake_die("pthread_create failed");
	}
	for (r = 0; r < fb.nranks; r++) {
		pthread_join(th[r], NULL);
		if (!ret)
			ret = ra[r].ret;
	}
	free(ra);
	return ret;
}

void hal_fake_counts(uint32_t core, struct hal_fake_counts *out)
{
	struct fake_core *fc = core_at(core);

	pthread_mutex_lock(&fc->mu);
	*out = fc->counts;
	pthread_mutex_unlock(&fc->mu);
}

void *hal_fake_ptr(uintptr_t a)
{
	uint64_t stride = tessera_tile_stride(&fb.geom);
	uint64_t tiles = tessera_tiles(&fb.geom);

	if (a >= TESSERA_ADDR_MPB && a < TESSERA_ADDR_MPB + tiles * stride) {
		uint64_t t = (a - TESSERA_ADDR_MPB) / stride, off = (a - TESSERA_ADDR_MPB) % stride;

		if (off < fb.geom.mpb_bytes)
			return fb.mpb + t * fb.geom.mpb_bytes + off;
	}
	if (a >= TESSERA_ADDR_SHARED && a - TESSERA_ADDR_SHARED < fb.shared_bytes)
		return fb.shared + (a - TESSERA_ADDR_SHARED);
	fake_die("core %d touched unmapped core address 0x%lx", cur_core, (unsigned long)a);
	return NULL;
}

void *hal_fake_local(int slot, size_t bytes)
{
	struct fake_core *fc = me();

	if (!fc->local[slot]) {
		pthread_mutex_lock(&fb.local_mu);
		fc->local[slot] = calloc(1, bytes);
		pthread_mutex_unlock(&fb.local_mu);
		if (!fc->local[slot])
			fake_die("out of memory");
	}
	return fc->local[slot];
}

/* ---- tk.h ---- */

const struct tessera_bootinfo *tk_bootinfo(void)
{
	return &me()->bi;
}

const struct tessera_geom *tk_geom(void)
{
	return &fb.geom;
}

uint32_t tk_core(void)
{
	return me()->bi.core;
}

uint32_t tk_rank(void)
{
	return me()->bi.rank;
}

uint32_t tk_nranks(void)
{
	return fb.nranks;
}

uint32_t tk_rank_core(uint32_t rank)
{
	if (rank >= fb.nranks)
		fake_die("tk_rank_core: rank %u of %u", rank, fb.nranks);
	return fb.rank_core[rank];
}

uint32_t tk_flags(void)
{
	return me()->bi.flags;
}

/* One context, on a board of the fake's cores. */
uint32_t tk_appnum(void)
{
	return 0;
}

uint32_t tk_universe(void)
{
	return tessera_cores(&fb.geom);
}

void tk_lock_acquire(uint32_t core)
{
	struct fake_core *fc = core_at(core);

	while (__atomic_exchange_n(&fc->lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

void tk_lock_release(uint32_t core)
{
	__atomic_store_n(&core_at(core)->lock, 0, __ATOMIC_RELEASE);
}

void tk_core_wake(uint32_t core)
{
	struct fake_core *fc = core_at(core);

	pthread_mutex_lock(&fc->mu);
	fc->counts.irqs_received++;
	if (!__atomic_load_n(&fc->halted, __ATOMIC_SEQ_CST))
		fc->counts.irqs_while_running++;
	fc->irq = 1;
	pthread_cond_signal(&fc->cv);
	pthread_mutex_unlock(&fc->mu);
}

/* A modelled interrupt, as halt.c raises it: stamped, charged, then the wake. */
void tk_irq_send(uint32_t core)
{
	struct fake_core *fc = core_at(core);
	uint64_t stamp = tk_vt_irq_stamp();

	pthread_mutex_lock(&fc->mu);
	if (stamp > fc->irq_stamp)
		fc->irq_stamp = stamp;
	pthread_mutex_unlock(&fc->mu);
	tk_vt_charge(tk_vt_reg_cost(core, 1));
	tk_core_wake(core);
}

void tk_halt_prepare(void)
{
	__atomic_store_n(&me()->halted, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

int tk_halt(uint64_t timeout_ns)
{
	struct fake_core *fc = me();
	uint64_t until = now_ns() + timeout_ns, stamp;
	int woken;

	pthread_mutex_lock(&fc->mu);
	fc->counts.halts++;
	while (!fc->irq) {
		struct timespec rt, abs;
		uint64_t t = now_ns(), left = until > t ? until - t : 0;

		if (!timeout_ns) {
			pthread_cond_wait(&fc->cv, &fc->mu);
			continue;
		}
		if (!left)
			break;
		/* the condition variable waits on CLOCK_REALTIME: convert the deadline */
		clock_gettime(CLOCK_REALTIME, &rt);
		abs.tv_sec = rt.tv_sec + (time_t)(((uint64_t)rt.tv_nsec + left) / 1000000000ull);
		abs.tv_nsec = (long)(((uint64_t)rt.tv_nsec + left) % 1000000000ull);
		pthread_cond_timedwait(&fc->cv, &fc->mu, &abs);
	}
	woken = (int)fc->irq;
	fc->irq = 0;
	stamp = fc->irq_stamp;
	fc->irq_stamp = 0;
	if (!woken)
		fc->counts.halt_timeouts++;
	pthread_mutex_unlock(&fc->mu);
	if (woken)
		tk_vt_interrupted(stamp);
	return woken;
}

int tk_halt_for_peer(uint64_t timeout_ns)
{
	return tk_halt(timeout_ns);
}

void tk_halt_done(void)
{
	__atomic_store_n(&me()->halted, 0, __ATOMIC_RELEASE);
}

uint64_t tk_spin_cycles(void)
{
	return 50000u;
}

int tk_yield(void)
{
	sched_yield();
	return 1;
}

/* Threads sleep in the host kernel: a halt is never just a switch. */
int tk_halt_is_cheap(void)
{
	return 0;
}

void tk_relax(void)
{
	arch_relax();
}

uint64_t tk_vt_of(uint32_t core)
{
	return __atomic_load_n(&core_at(core)->vclock, __ATOMIC_ACQUIRE);
}

void hal_fake_vt_publish(uint64_t now)
{
	__atomic_store_n(&me()->vclock, now, __ATOMIC_RELEASE);
}

/* The host CPU time of the simulated core: its thread's. */
uint64_t arch_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The arch's MPB hooks (arch.h) as a core on the host's memory runs them, counted. */
void arch_cl1invmb(void)
{
	me()->counts.arch_cl1invmbs++;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

void arch_wcb_flush(void)
{
	me()->counts.arch_wcb_flushes++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* One mapping of the fake's memory (TK_MPB_PTR translates), and nothing to seal. */
uint64_t arch_mpb_alias(void)
{
	return 0;
}

int arch_mpb_seal(uintptr_t addr, uint64_t bytes)
{
	(void)addr, (void)bytes;
	return -ENOSYS;
}

/* Simulated cores are threads that may outnumber the host's CPUs: give the CPU away. */
void arch_relax(void)
{
	sched_yield();
}

/* The source register costs what halt.c charges: a register of the target's tile. */
int tk_src_signal(uint32_t core)
{
	uint32_t me = tk_core();

	tk_vt_charge(tk_vt_reg_cost(core, 1));
	__atomic_fetch_or(&fake_src[core][me / 32], 1u << (me % 32), __ATOMIC_SEQ_CST);
	return (int)__atomic_load_n(&core_at(core)->halted, __ATOMIC_SEQ_CST);
}

void tk_src_take(uint32_t *bits)
{
	uint32_t me = tk_core();

	tk_vt_charge((tessera_cores(&fb.geom) + 31) / 32 * tk_vt_reg_cost(me, 0));
	for (uint32_t w = 0; w < TESSERA_SRC_WORDS; w++)
		if (__atomic_load_n(&fake_src[me][w], __ATOMIC_RELAXED))
			bits[w] |= __atomic_exchange_n(&fake_src[me][w], 0, __ATOMIC_SEQ_CST);
}

void tk_beat(void)
{
	__atomic_fetch_add(&me()->beat, 1, __ATOMIC_RELAXED);
}

uint32_t tk_core_beat(uint32_t core)
{
	return __atomic_load_n(&core_at(core)->beat, __ATOMIC_RELAXED);
}

int tk_core_halted(uint32_t core)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (int)__atomic_load_n(&core_at(core)->halted, __ATOMIC_SEQ_CST);
}

uint64_t tk_cycles(void)
{
	return now_ns();
}

uint64_t tk_time_ns(void)
{
	return now_ns() - fb.t0;
}

uint32_t tk_counter_add(uint32_t i, uint32_t v)
{
	if (i >= TESSERA_ATOMIC_COUNTERS)
		fake_die("tk_counter_add: counter %u", i);
	return __atomic_fetch_add(&fb.counter[i], v, __ATOMIC_SEQ_CST);
}

void tk_power_get(uint32_t core, uint32_t *fdiv, uint32_t *vlevel)
{
	struct fake_core *fc = core_at(core);

	*fdiv = __atomic_load_n(&fc->pm_fdiv, __ATOMIC_ACQUIRE);
	*vlevel = __atomic_load_n(&fc->pm_vlevel, __ATOMIC_ACQUIRE);
}

void tk_power_set(uint32_t core, uint32_t fdiv, uint32_t vlevel)
{
	struct fake_core *fc = core_at(core);

	__atomic_store_n(&fc->pm_vlevel, vlevel, __ATOMIC_RELEASE);
	__atomic_store_n(&fc->pm_fdiv, fdiv, __ATOMIC_RELEASE);
}

/* The fakes record no trace (tk_tracing() is false: no TESSERA_BOOT_TRACE). */
void tk_trace(uint32_t kind, int32_t peer_rank, int32_t tag, uint32_t comm, uint64_t bytes)
{
	(void)kind, (void)peer_rank, (void)tag, (void)comm, (void)bytes;
}

void tk_wait_set(uint32_t kind, int32_t peer_rank, int32_t tag, uint32_t comm)
{
	(void)kind, (void)peer_rank, (void)tag, (void)comm;
}

void tk_count_send(uint64_t bytes)
{
	struct fake_core *fc = me();

	pthread_mutex_lock(&fc->mu);
	fc->counts.msgs_sent++;
	fc->counts.bytes_sent += bytes;
	pthread_mutex_unlock(&fc->mu);
}

void tk_count_recv(uint64_t bytes)
{
	struct fake_core *fc = me();

	pthread_mutex_lock(&fc->mu);
	fc->counts.msgs_recv++;
	fc->counts.bytes_recv += bytes;
	pthread_mutex_unlock(&fc->mu);
}

void tk_console_write(const void *buf, size_t n)
{
	fwrite(buf, 1, n, stdout);
}

int64_t tk_hostcall(uint32_t op, const int64_t arg[6], const void *in, size_t in_n, void *out,
		    size_t out_n)
{
	(void)op, (void)arg, (void)in, (void)in_n, (void)out, (void)out_n;
	return -ENOSYS;
}

void tk_panic(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "core %d panicked: ", cur_core);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

void tk_exit(int status)
{
	fake_die("core %d called tk_exit(%d) (threads cannot exit alone)", cur_core, status);
	exit(status);
}

