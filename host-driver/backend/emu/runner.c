// SPDX-License-Identifier: MIT
/*
 * runner.c: tessera-runner, the process that runs emulated cores. The emu backend starts it
 * (fork and exec, so nothing of the host process is left in it) with a spec (runner.h)
 * naming the board directory and, for each core it is to run, the core's checked LUT and
 * its view base. The runner maps what those LUTs give and nothing else: the windows every
 * core sees alike (shared DRAM, MPBs, CRBs, board registers) once at their SCC addresses,
 * each core's own windows (private DRAM, own MPB and CRB aliases, host window) at its view
 * base plus their SCC address; it installs its fault handlers, confines itself with seccomp
 * to the system calls of the paravirtual HAL, and runs the cores.
 *
 * Many cores, one thread: each core is a user-level context on its own stack (in its own
 * private DRAM). A core that halts, yields or stops calls the runner through struct
 * tessera_emu_ops (include/tessera/emu.h); the runner switches to the next ready core with
 * a few instructions (runner_switch) and without entering the host kernel. An interrupt to a
 * core of this runner makes it ready at once; one from elsewhere arrives as a bit in this
 * runner's wake block (board.h, struct tessera_wake). Only when no core is ready does the
 * runner sleep, on the wake block's futex, until a bit arrives or a core's halt times out:
 * an idle runner costs nothing. A core that computes for a whole slice (RUNNER_SLICE_US of
 * CPU) while others are ready is preempted by a CPU-time timer, so a core that spins on
 * memory without halting cannot starve its neighbours. Once a core asks for its CPU time
 * (virtual time does), every switch charges the core that leaves with the thread CPU time
 * it ran, so each core has a CPU clock of its own (op_cpu_ns).
 *
 * It links no libc: every system call is one of runner_sys.h's, made in the open, so none
 * can be made behind the filter's back. Setup failures are reported as a panic of the core
 * (once its host window is mapped), else on stderr.
 */
#include <stddef.h>
#include <stdint.h>
#include <linux/audit.h>
#include <linux/fcntl.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <linux/time.h>
#include "runner.h"
#include "runner_sys.h"
#include "tessera/emu.h"

#define ALT_STACK_BYTES	(64u * 1024u)
#define NSIG_FAULTS	6
#define SIGPROF		27
#define SIGSYS		31
#define NONE		(-1)

void runner_main(long *sp);
void runner_restorer(void);
void runner_switch(uint64_t *save_sp, uint64_t next_sp);
void runner_boot(void);

enum { C_READY, C_RUN, C_WAIT, C_DONE };

/* A core of this runner. */
struct rcore {
	uint64_t sp;			/* saved context while it does not run */
	uint32_t core, state;
	uint64_t view;			/* its own windows' base */
	uint64_t deadline;		/* C_WAIT with a timeout: CLOCK_MONOTONIC ns, else 0 */
	volatile uint32_t *reset;	/* its CRB reset bit: the host holds it in reset */
	struct tessera_status *status;	/* in its host window */
	int32_t next;			/* ready queue */
	uint64_t cpu;			/* CPU time charged to it (op_cpu_ns), in ns */
};

static struct rcore rc[TESSERA_MAX_CORES];
static uint16_t slot_of[TESSERA_MAX_CORES];	/* core -> 1 + its index in rc[], 0: not ours */
static uint32_t ncores, ndone, ntimed;
static struct rcore *cur;		/* the core that runs */
static int32_t q_head = NONE, q_tail = NONE;
static uint64_t switches, ticked;	/* for the preemption tick */
static uint32_t board_cores, spin;
static volatile struct tessera_wake *wake_blk;	/* this runner's (board registers) */
static uint32_t pend_lo, pend_hi;	/* the words of wake_blk->pending our cores use */
static uint64_t boardreg_core0, wake0;	/* core addresses of the per-core blocks */
static struct tessera_emu_ops ops;
static const struct runner_spec *spec;
static struct tessera_status *setup_status;	/* where a setup failure is told */
static volatile struct tessera_boardreg_global *global;
static uint32_t strict;			/* --coherence=strict: the model's aliases (map_strict) */
static uint64_t shared_end;		/* end of shared DRAM (SCC address), for op_seal */
static uint8_t alt_stack[ALT_STACK_BYTES] __attribute__((aligned(16)));
static uint32_t charging;		/* a core asked for its CPU time: switches charge it */
static uint64_t run_cpu0;		/* the thread's CPU clock when cur began to run */
static uint64_t clock_cost;		/* what one read of that clock adds to an interval */

/* 1 while the runner's own code runs (not a tile's): a tick then does not switch.
 * runner_boot clears it when a core first enters its image. */
volatile int runner_active = 1;

/* The compiler may call these for struct copies and zeroing. */
void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;

	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Append s to buf (NUL-terminated, n bytes in all). */
static void str_add(char *buf, size_t n, const char *s)
{
	size_t i = str_len(buf);

	while (*s && i + 1 < n)
		buf[i++] = *s++;
	buf[i] = 0;
}

static void num_add(char *buf, size_t n, uint64_t v, unsigned width)
{
	char d[24];
	unsigned k = 0;

	do
		d[k++] = (char)('0' + v % 10);
	while (v /= 10);
	while (k < width)
		d[k++] = '0';
	while (k) {
		char one[2] = { d[--k], 0 };
		str_add(buf, n, one);
	}
}

__attribute__((noreturn)) static void die(int status)
{
	for (;;)
		sys1(__NR_exit_group, status);
}

static void notify_host(void)
{
	if (!global)
		return;
	__atomic_fetch_add(&global->host_doorbell, 1, __ATOMIC_SEQ_CST);
	sys3(__NR_futex, &global->host_doorbell, FUTEX_WAKE, 1);
}

/* A failure before the tiles run: a panic of the core being set up if its host window is
 * mapped, else a line on stderr. */
__attribute__((noreturn)) static void setup_fail(const char *what, long err)
{
	char msg[128] = "emu core setup: ";

	str_add(msg, sizeof(msg), what);
	str_add(msg, sizeof(msg), ": error ");
	num_add(msg, sizeof(msg), (uint64_t)-err, 0);
	if (setup_status) {
		memcpy(setup_status->panic, msg, sizeof(msg));
		__atomic_store_n(&setup_status->state, TESSERA_CORE_PANICKED, __ATOMIC_RELEASE);
		notify_host();
	} else {
		str_add(msg, sizeof(msg), "\n");
		sys3(__NR_write, 2, msg, str_len(msg));
	}
	die(127);
}

/* A crash of the core that runs: published in its host window, then the runner ends (and
 * the host tears the job down). */
static void on_fault(int sig, void *info, void *uc)
{
	struct k_siginfo *si = info;
	uint64_t *gr = k_uc_gregs(uc);
	struct tessera_status *st = cur ? cur->status : setup_status;

	/* DWARF numbering (board.h) of the kernel's saved registers */
	static const uint8_t dwarf[TESSERA_FAULT_REGS] = { K_RAX, K_RDX, K_RCX, K_RBX, K_RSI,
		K_RDI, K_RBP, K_RSP, K_R8, K_R9, K_R10, K_R11, K_R12, K_R13, K_R14, K_R15, K_RIP };

	if (st) {
		for (unsigned i = 0; i < TESSERA_FAULT_REGS; i++)
			st->fault_regs[i] = gr[dwarf[i]];
		st->fault_nregs = TESSERA_FAULT_REGS;
		st->signal = (uint32_t)sig;
		st->fault_addr = sig == SIGSYS ? (uint64_t)(uint32_t)si->syscall : si->addr;
		st->fault_pc = gr[K_RIP];
		__atomic_store_n(&st->state, TESSERA_CORE_CRASHED, __ATOMIC_RELEASE);
		notify_host();
	}
	die(128 + sig);
}

static uint64_t now_ns(void)
{
	struct { long s, ns; } ts;

	sys2(__NR_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.s * 1000000000u + (uint64_t)ts.ns;
}

/* The CPU time this thread has used, in ns (a system call: no vDSO for thread clocks). */
static uint64_t thread_cpu_ns(void)
{
	struct { long s, ns; } ts;

	sys2(__NR_clock_gettime, CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.s * 1000000000u + (uint64_t)ts.ns;
}

/* ---- the ready queue ---- */

static void push(struct rcore *c)
{
	int32_t i = (int32_t)(c - rc);

	c->state = C_READY;
	c->next = NONE;
	if (q_tail == NONE)
		q_head = i;
	else
		rc[q_tail].next = i;
	q_tail = i;
}

static struct rcore *pop(void)
{
	struct rcore *c = &rc[q_head];

	q_head = c->next;
	if (q_head == NONE)
		q_tail = NONE;
	return c;
}

/* A waiting core becomes ready (an interrupt, or its timeout); any other stays as it is. */
static void make_ready(struct rcore *c)
{
	if (c->state != C_WAIT)
		return;
	if (c->deadline) {
		c->deadline = 0;
		ntimed--;
	}
	push(c);
}

/* Interrupts from outside this runner: the bits of our wake block. */
static void take_pending(void)
{
	for (uint32_t w = pend_lo; w <= pend_hi; w++) {
		uint32_t bits;

		if (!__atomic_load_n(&wake_blk->pending[w], __ATOMIC_RELAXED))
			continue;
		bits = __atomic_exchange_n(&wake_blk->pending[w], 0, __ATOMIC_SEQ_CST);
		while (bits) {
			uint32_t core = w * 32 + (uint32_t)__builtin_ctz(bits);

			bits &= bits - 1;
			if (core < TESSERA_MAX_CORES && slot_of[core])
				make_ready(&rc[slot_of[core] - 1]);
		}
	}
}

/* Cores whose halt has timed out become ready; returns the earliest deadline left (0: none). */
static uint64_t expire(uint64_t now)
{
	uint64_t next = 0;

	for (uint32_t i = 0; ntimed && i < ncores; i++) {
		struct rcore *c = &rc[i];

		if (c->state != C_WAIT || !c->deadline)
			continue;
		if (c->deadline <= now)
			make_ready(c);
		else if (!next || c->deadline < next)
			next = c->deadline;
	}
	return next;
}

static int pending_any(void)
{
	for (uint32_t w = pend_lo; w <= pend_hi; w++)
		if (__atomic_load_n(&wake_blk->pending[w], __ATOMIC_SEQ_CST))
			return 1;
	return 0;
}

static uint64_t cycles(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Nothing is ready: sleep on the wake block until a bit arrives or a timeout is due. A
 * wake-up from another runner comes quickly when the two talk (the top of a collective's
 * tree), and a sleep and its futex wake cost far more than that, most of all on a loaded
 * host: so look at the bits for RUNNER_SPIN_CYCLES first (bounded; then sleep for good),
 * when there is a CPU for each runner (else the spin would take it from one that has work). */
static void idle(void)
{
	uint64_t next = ntimed ? expire(now_ns()) : 0, t0 = cycles();
	struct { long s, ns; } ts, *tsp = 0;
	uint32_t seq;

	if (q_head != NONE)
		return;
	while (spin && cycles() - t0 < RUNNER_SPIN_CYCLES)
		if (pending_any())
			return;
		else
			__builtin_ia32_pause();
	__atomic_store_n(&wake_blk->sleeping, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	seq = __atomic_load_n(&wake_blk->seq, __ATOMIC_SEQ_CST);
	if (pending_any())
		goto out;
	if (next) {
		uint64_t now = now_ns(), d = next > now ? next - now : 1;
		ts.s = (long)(d / 1000000000u);
		ts.ns = (long)(d % 1000000000u);
		tsp = &ts;
	}
	/* a shared futex: the wakers are other processes (runners, the host) */
	sys4(__NR_futex, &wake_blk->seq, FUTEX_WAIT, seq, tsp);
out:
	__atomic_store_n(&wake_blk->sleeping, 0, __ATOMIC_SEQ_CST);
}

/* The calling core (cur) has left C_RUN (it waits, is queued, or is done): run the next
 * ready core; returns when the caller is chosen again. A core held in reset by the host
 * (its CRB reset bit) is retired instead of run. */
static void schedule(void)
{
	struct rcore *me = cur, *next;

	if (charging) {
		/* what it ran (idle time is nobody's), less the reads that bound it: the
		 * interval holds about one read's way in and out of the kernel */
		uint64_t d = thread_cpu_ns() - run_cpu0;

		me->cpu += d > clock_cost ? d - clock_cost : 0;
	}
	for (;;) {
		take_pending();
		if (ntimed && (q_head == NONE || !(switches & 63)))
			expire(now_ns());
		if (q_head == NONE) {
			idle();
			continue;
		}
		next = pop();
		if (!__atomic_load_n(next->reset, __ATOMIC_ACQUIRE))
			break;
		next->state = C_DONE;
		if (++ndone == ncores)
			die(0);
	}
	switches++;
	next->state = C_RUN;
	if (charging)
		run_cpu0 = thread_cpu_ns();
	if (next == me)
		return;
	cur = next;
	runner_switch(&me->sp, next->sp);
}

/* ---- struct tessera_emu_ops: what the cores call ---- */

/* A runner of one core: the core sleeps in the host kernel on its own interrupt word, which
 * its wakers (its `runner` field is 0) wake directly, as a process of its own would
 * (runner_halt1, runner_entry.S). */
void runner_halt1(volatile uint32_t *word, uint64_t timeout_ns);

static void op_halt(volatile uint32_t *word, uint64_t timeout_ns)
{
	runner_active = 1;
	if (!__atomic_load_n(word, __ATOMIC_SEQ_CST)) {
		cur->state = C_WAIT;
		if (timeout_ns) {
			cur->deadline = now_ns() + timeout_ns;
			ntimed++;
		}
		schedule();
	}
	runner_active = 0;
}

static void op_yield(void)
{
	runner_active = 1;
	take_pending();
	if (ntimed && !(++switches & 63))
		expire(now_ns());
	if (q_head == NONE) {
		sys0(__NR_sched_yield);	/* none of ours is ready: another process may be */
	} else {
		push(cur);
		schedule();
	}
	runner_active = 0;
}

/* Wake a core of another runner (or a VM, or nothing we know): board.h's protocol. The
 * target's `runner` field is board memory, which tiles may write: it only picks a futex. */
static void wake_remote(uint32_t core)
{
	volatile struct tessera_boardreg_core *r = (volatile struct tessera_boardreg_core *)
		(uintptr_t)(boardreg_core0 + core * sizeof(struct tessera_boardreg_core));
	uint32_t leader = __atomic_load_n(&r->runner, __ATOMIC_ACQUIRE);
	volatile struct tessera_wake *w;

	if (!leader || leader > board_cores) {
		sys3(__NR_futex, &r->irq, FUTEX_WAKE, 1);
		return;
	}
	w = (volatile struct tessera_wake *)(uintptr_t)(wake0 + (leader - 1) *
							sizeof(struct tessera_wake));
	__atomic_fetch_or(&w->pending[core / 32], 1u << (core % 32), __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&w->sleeping, __ATOMIC_SEQ_CST)) {
		__atomic_fetch_add(&w->seq, 1, __ATOMIC_SEQ_CST);
		sys3(__NR_futex, &w->seq, FUTEX_WAKE, 1);
	}
}

static void op_wake(uint32_t core)
{
	runner_active = 1;
	if (core < TESSERA_MAX_CORES && slot_of[core])
		make_ready(&rc[slot_of[core] - 1]);	/* ours: no system call */
	else if (core < board_cores)
		wake_remote(core);
	runner_active = 0;
}

__attribute__((noreturn)) static void op_stop(int status)
{
	runner_active = 1;
	cur->state = C_DONE;
	if (++ndone == ncores)
		die(ncores == 1 ? status & 0xff : 0);
	schedule();
	die(127);	/* a core that is done is never chosen again */
}

static uint64_t op_time_ns(void)
{
	return now_ns();
}

/* The calling core's CPU clock: what switches charged it, and its time since the last one.
 * The first call starts the charging (the clock counts from there: only its differences
 * mean anything). Not interrupted by a tick: a switch in the middle would mix two runs. */
static uint64_t op_cpu_ns(void)
{
	uint64_t t;

	runner_active = 1;
	if (!charging) {
		charging = 1;
		clock_cost = ~0ull;
		for (int i = 0; i < 8; i++) {
			uint64_t a = thread_cpu_ns(), b = thread_cpu_ns();

			clock_cost = b - a < clock_cost ? b - a : clock_cost;
		}
		run_cpu0 = thread_cpu_ns();
	}
	t = cur->cpu + (thread_cpu_ns() - run_cpu0);
	runner_active = 0;
	return t;
}

/* Shared DRAM that only the coherence model may touch (mpb-channels' part) loses its direct
 * mapping; the alias keeps it. The filter allows mprotect only to take access away. */
static int op_seal(uint64_t addr, uint64_t bytes)
{
	uint64_t lo = addr & ~(uint64_t)(TESSERA_PAGE_BYTES - 1), hi;

	if (!strict || addr < TESSERA_ADDR_SHARED || bytes > shared_end - addr ||
	    addr > shared_end)
		return -22;
	if (!bytes)
		return 0;
	hi = (addr + bytes + TESSERA_PAGE_BYTES - 1) & ~(uint64_t)(TESSERA_PAGE_BYTES - 1);
	return (int)sys3(__NR_mprotect, lo, hi - lo, PROT_NONE);
}

/* The preemption tick (SIGPROF of a CPU-time timer, on the running core's stack): a core
 * that has run a whole slice while another is ready goes to the back of the queue. */
static void on_tick(int sig, void *info, void *uc)
{
	(void)sig, (void)info, (void)uc;
	if (__atomic_exchange_n(&runner_active, 1, __ATOMIC_SEQ_CST))
		return;		/* the runner's own code: never in the middle of it */
	if (cur && cur->state == C_RUN && switches == ticked) {
		take_pending();
		if (q_head != NONE) {
			push(cur);
			schedule();
		}
	}
	ticked = switches;
	runner_active = 0;
}

/* ---- setting up ---- */

/* The system calls a tile may make: those of tile-kernel/arch/emu/hal.c, of the ops above
 * and of the signal handlers (mprotect to PROT_NONE only, for op_seal). */
static long confine(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_futex, 9, 0),
		/* the kernel's own restart of a timed futex wait a signal interrupted */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_restart_syscall, 8, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clock_gettime, 7, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_rt_sigreturn, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_sched_yield, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 6, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* write: only to stderr, the last-resort output */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		/* mprotect: only to PROT_NONE (op_seal), which takes access away and gives none */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROT_NONE, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2]) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	long rc = sys2(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1);

	if (rc)
		return rc;
	return sys3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static void handle_signals(void)
{
	static const int sigs[NSIG_FAULTS] = { 11, 7, 4, 8, 5, SIGSYS };	/* SEGV BUS ILL FPE TRAP */
	struct k_stack alt = { alt_stack, 0, 0, sizeof(alt_stack) };
	struct k_sigaction sa = {
		.handler = on_fault,
		.flags = K_SA_SIGINFO | K_SA_ONSTACK | K_SA_RESETHAND | K_SA_RESTORER,
		.restorer = runner_restorer,
		.mask = ~0ull,
	};
	struct k_sigaction tick = {
		.handler = on_tick,
		.flags = K_SA_SIGINFO | K_SA_RESTART | K_SA_NODEFER | K_SA_RESTORER,
		.restorer = runner_restorer,
		.mask = 0,
	};
	struct { struct { long s, us; } interval, value; } slice = {
		{ 0, RUNNER_SLICE_US }, { 0, RUNNER_SLICE_US } };
	long r = sys2(__NR_sigaltstack, &alt, 0);

	if (r)
		setup_fail("signal stack", r);
	for (int i = 0; i < NSIG_FAULTS; i++)
		if ((r = sys4(__NR_rt_sigaction, sigs[i], &sa, 0, 8)))
			setup_fail("fault handlers", r);
	if (ncores < 2)
		return;		/* the host kernel schedules a runner of one core */
	if ((r = sys4(__NR_rt_sigaction, SIGPROF, &tick, 0, 8)) ||
	    (r = sys3(__NR_setitimer, 2 /* ITIMER_PROF */, &slice, 0)))
		setup_fail("preemption timer", r);
}

/* Map one LUT window [addr, addr + bytes) of a backing; the first 64 KB of a view stay
 * unmapped so that a NULL-based pointer faults. */
static long map_window(uint64_t addr, uint64_t view, const struct tessera_lut_entry *e, int fd,
		       int prot)
{
	uint64_t off = e->offset, len = e->bytes, in = addr;
	long p;

	if (in < TESSERA_ADDR_LOW_HOLE) {
		uint64_t skip = TESSERA_ADDR_LOW_HOLE - in;
		if (len <= skip)
			return 0;
		in += skip, off += skip, len -= skip;
	}
	p = sys6(__NR_mmap, (long)(view + in), (long)len, prot, MAP_SHARED | MAP_FIXED_NOREPLACE,
		 fd, (long)off);
	if (p < 0 && p > -4096)
		return p;
	return p == (long)(view + in) ? 0 : -17;	/* EEXIST */
}

static int open_in_dir(const char *name)
{
	char path[RUNNER_PATH_MAX + 32] = "";

	str_add(path, sizeof(path), spec->dir);
	str_add(path, sizeof(path), "/");
	str_add(path, sizeof(path), name);
	return (int)sys4(__NR_openat, -100 /* AT_FDCWD */, path, O_RDWR | O_CLOEXEC, 0);
}

/* "tc-<host pid>-<core>" in ps and /proc/PID/comm: whose core this is (the first one). */
static void name_self(uint32_t core)
{
	char name[16] = "tc-";

	num_add(name, sizeof(name), (uint64_t)spec->host_pid, 0);
	str_add(name, sizeof(name), "-");
	num_add(name, sizeof(name), core, 0);
	sys2(__NR_prctl, PR_SET_NAME, name);
}

static void pin(int cpu)
{
	uint64_t mask[16] = { 0 };

	if (cpu < 0 || cpu >= 1024)
		return;
	mask[cpu / 64] = 1ull << (cpu % 64);
	sys3(__NR_sched_setaffinity, 0, sizeof(mask), mask);
}

/* Whether LUT entry i is the MPB's (every tile's, or the own tile's alias). */
static int is_mpb_window(uint32_t i)
{
	uint64_t a = (uint64_t)i << TESSERA_LUT_SHIFT;

	return (a >= TESSERA_ADDR_MPB && a < TESSERA_ADDR_MPB + TESSERA_MPB_WINDOW_BYTES) ||
	       a == TESSERA_ADDR_OWN_MPB;
}

/* A window of the chip at view + its SCC address. Under strict coherence it is mapped again
 * at TESSERA_EMU_STRICT_ALIAS above that, for the model (emu.h), and an MPB window keeps no
 * access where it is: a load or store that is not the model's faults, and the host's crash
 * report says so (host-driver/fault.c). Shared DRAM stays accessible until the layer that
 * owns a part of it seals that part (op_seal): the rest is handed to programs. */
static long map_chip_window(uint32_t i, uint64_t view, const struct tessera_lut_entry *e, int chip)
{
	uint64_t addr = (uint64_t)i << TESSERA_LUT_SHIFT;
	long r;

	if (!strict)
		return map_window(addr, view, e, chip, PROT_READ | PROT_WRITE);
	r = map_window(addr, view + TESSERA_EMU_STRICT_ALIAS, e, chip, PROT_READ | PROT_WRITE);
	if (!r)
		r = map_window(addr, view, e, chip,
			       is_mpb_window(i) ? PROT_NONE : PROT_READ | PROT_WRITE);
	return r;
}

/* The windows every core of the runner sees alike, once, at their SCC addresses. */
static void map_shared(int chip)
{
	for (uint32_t i = 0; i < TESSERA_LUT_ENTRIES; i++) {
		const struct tessera_lut_entry *e = &spec->core[0].lut[i];
		long r;

		if (e->kind == TESSERA_LUT_NONE || tessera_window_is_own(i))
			continue;
		if (e->kind != TESSERA_LUT_CHIP)
			setup_fail("a shared window of private DRAM", -22);
		r = map_chip_window(i, 0, e, chip);
		if (r)
			setup_fail("map the LUT's shared windows", r);
	}
}

/* A core's own windows at its view base; its image's text from the board's text file;
 * the guard below its stack; its first context. */
static void map_core(const struct runner_core *sc, struct rcore *c, int chip)
{
	const struct tessera_lut_entry *hw = &sc->lut[TESSERA_ADDR_HOSTWIN >> TESSERA_LUT_SHIFT];
	const struct tessera_bootinfo *bi;
	char name[32] = "core";
	uint64_t *frame, private_bytes = spec->layout.private_bytes, top, guard;
	int dram, text;
	long r;

	/* the host window first, so that what fails next is reported there */
	if (hw->kind != TESSERA_LUT_CHIP)
		setup_fail("no host window", -22);
	r = map_window(TESSERA_ADDR_HOSTWIN, sc->view, hw, chip, PROT_READ | PROT_WRITE);
	if (r)
		setup_fail("map the host window", r);
	setup_status = &((struct tessera_hostwin *)(uintptr_t)(sc->view + TESSERA_ADDR_HOSTWIN))->status;
	num_add(name, sizeof(name), sc->core, 4);
	str_add(name, sizeof(name), ".dram");
	dram = open_in_dir(name);
	if (dram < 0)
		setup_fail("open private DRAM", dram);
	for (uint32_t i = 0; i < TESSERA_LUT_ENTRIES; i++) {
		const struct tessera_lut_entry *e = &sc->lut[i];

		if (e->kind == TESSERA_LUT_NONE || !tessera_window_is_own(i) ||
		    i == TESSERA_ADDR_HOSTWIN >> TESSERA_LUT_SHIFT)
			continue;
		if (e->kind == TESSERA_LUT_PRIVATE)
			r = map_window((uint64_t)i << TESSERA_LUT_SHIFT, sc->view, e, dram,
				       PROT_READ | PROT_WRITE);
		else
			r = map_chip_window(i, sc->view, e, chip);
		if (r)
			setup_fail("map the LUT's own windows", r);
	}
	sys1(__NR_close, dram);
	if (sc->text_slot) {
		char tname[16] = "text-";

		num_add(tname, sizeof(tname), sc->text_slot - 1, 2);
		text = open_in_dir(tname);
		if (text < 0)
			setup_fail("open the image's text", text);
		/* under gdb a private copy: a breakpoint written there (by the tracer, through
		 * /proc/PID/mem) stays this core's, and the core itself still cannot write it */
		r = sys6(__NR_mmap, (long)(sc->view + sc->text_lo), (long)sc->text_bytes,
			 PROT_READ | PROT_EXEC, (spec->debug ? MAP_PRIVATE : MAP_SHARED) | MAP_FIXED,
			 text, 0);
		sys1(__NR_close, text);
		if (r != (long)(sc->view + sc->text_lo))
			setup_fail("map the image's text", r);
	}
	bi = (const struct tessera_bootinfo *)(uintptr_t)(sc->view + TESSERA_ADDR_BOOTINFO);
	top = bi->stack_top;
	if (top % 16 || top > private_bytes ||
	    top < TESSERA_ADDR_IMAGE + TESSERA_STACK_BYTES + TESSERA_GUARD_BYTES)
		setup_fail("stack outside private DRAM", -22);
	/* the guard: a page fault below the stack, before the heap */
	guard = (top - TESSERA_STACK_BYTES - TESSERA_GUARD_BYTES) & ~(uint64_t)(TESSERA_PAGE_BYTES - 1);
	r = sys6(__NR_mmap, (long)(sc->view + guard), TESSERA_GUARD_BYTES, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	if (r != (long)(sc->view + guard))
		setup_fail("the stack guard", r);
	/* the frame runner_switch pops to enter runner_boot (runner_entry.S) */
	frame = (uint64_t *)(uintptr_t)(sc->view + top - 128);
	frame[0] = 0x1f80ull << 32 | 0x037f;	/* MXCSR, x87 control word: their defaults */
	frame[1] = 0;				/* r15 */
	frame[2] = (uint64_t)(uintptr_t)&ops;	/* r14 */
	frame[3] = sc->view + top;		/* r13 */
	frame[4] = sc->view + bi->entry;	/* r12 */
	frame[5] = 0;				/* rbx */
	frame[6] = 0;				/* rbp */
	frame[7] = (uint64_t)(uintptr_t)runner_boot;
	c->sp = (uint64_t)(uintptr_t)frame;
	c->core = sc->core;
	c->view = sc->view;
	c->status = setup_status;
	c->reset = (volatile uint32_t *)(uintptr_t)(tessera_crb_addr(&spec->geom,
		tessera_core_tile(&spec->geom, sc->core)) +
		tessera_core_z(&spec->geom, sc->core) * sizeof(struct tessera_crb_core) +
		offsetof(struct tessera_crb_core, reset));
	setup_status = 0;
}

void runner_main(long *sp)
{
	uint64_t boot_sp;
	long size, r;
	int chip, debug;

	(void)sp;
	size = sys3(__NR_lseek, RUNNER_SPEC_FD, 0, 2 /* SEEK_END */);
	if (size < (long)sizeof(struct runner_spec))
		setup_fail("runner spec", size < 0 ? size : -22);
	r = sys6(__NR_mmap, 0, size, PROT_READ, MAP_PRIVATE, RUNNER_SPEC_FD, 0);
	if (r < 0 && r > -4096)
		setup_fail("runner spec", r);
	spec = (const struct runner_spec *)r;
	if (spec->magic != RUNNER_SPEC_MAGIC || spec->version != RUNNER_SPEC_VERSION ||
	    !spec->ncores || spec->ncores > TESSERA_MAX_CORES ||
	    (uint64_t)size < sizeof(*spec) + spec->ncores * sizeof(struct runner_core))
		setup_fail("runner spec", -22);
	/* Die with the host; and if it is already gone, do not start. */
	sys2(__NR_prctl, PR_SET_PDEATHSIG, 9);
	if (sys0(__NR_getppid) != spec->host_pid)
		die(127);
	name_self(spec->core[0].core);
	ncores = spec->ncores;
	spin = spec->spin;
	strict = spec->strict;
	shared_end = TESSERA_ADDR_SHARED + ((uint64_t)spec->geom.shared_mb << 20);
	board_cores = tessera_cores(&spec->geom);
	boardreg_core0 = TESSERA_ADDR_BOARDREG + TESSERA_BOARDREG_GLOBAL_BYTES;
	wake0 = TESSERA_ADDR_BOARDREG + tessera_boardreg_wake_off(&spec->geom, &spec->layout, 0) -
		spec->layout.boardreg_off;
	chip = open_in_dir("chip");
	if (chip < 0)
		setup_fail("open the chip", chip);
	map_shared(chip);
	global = (struct tessera_boardreg_global *)(uintptr_t)TESSERA_ADDR_BOARDREG;
	pend_lo = TESSERA_SRC_WORDS;
	for (uint32_t i = 0; i < ncores; i++) {
		uint32_t core = spec->core[i].core;

		if (core >= board_cores || slot_of[core])
			setup_fail("runner spec: cores", -22);
		map_core(&spec->core[i], &rc[i], chip);
		slot_of[core] = (uint16_t)(i + 1);
		pend_lo = core / 32 < pend_lo ? core / 32 : pend_lo;
		pend_hi = core / 32 > pend_hi ? core / 32 : pend_hi;
		push(&rc[i]);
	}
	if (spec->leader >= board_cores)
		setup_fail("runner spec: leader", -22);
	wake_blk = (volatile struct tessera_wake *)(uintptr_t)(wake0 + spec->leader *
							       sizeof(struct tessera_wake));
	sys3(__NR_close_range, 3, ~0u, 0);
	pin(spec->cpu);
	ops.version = TESSERA_EMU_OPS_VERSION;
	ops.ncores = ncores;
	ops.halt = ncores == 1 ? runner_halt1 : op_halt;
	ops.yield = op_yield;
	ops.wake = op_wake;
	ops.stop = op_stop;
	ops.time_ns = op_time_ns;
	ops.cpu_ns = ncores == 1 ? thread_cpu_ns : op_cpu_ns;
	ops.mpb_alias = strict ? TESSERA_EMU_STRICT_ALIAS : 0;
	ops.seal = op_seal;
	handle_signals();
	debug = spec->debug;
	sys2(__NR_munmap, spec, size);
	spec = 0;
	/* under gdb: wait here, set up but not yet confined, for the host's stub to trace us */
	if (debug)
		sys2(__NR_kill, sys0(__NR_getpid), 19 /* SIGSTOP */);
	r = confine();
	if (r)
		setup_fail("seccomp", r);
	/* the first core: the runner's own stack is left for good */
	cur = pop();
	cur->state = C_RUN;
	runner_switch(&boot_sp, cur->sp);
	die(127);
}
