// SPDX-License-Identifier: MIT
/*
 * backend/emu/emu.c: the default backend. Releasing a core forks a core process that maps
 * the core's view of the board at the real SCC addresses, as its LUT says (the first 64 KB
 * stay unmapped, and so does the unbacked rest of every 16 MB window), confines itself with
 * seccomp to the system calls of the paravirtual HAL, and jumps to the image's entry in
 * private DRAM, where the image runs in place. A fault is written to the host window by a
 * handler on an alternate stack before the process ends.
 *
 * Between fork and the jump the child uses system calls only (the host may be threaded).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include "hd_impl.h"

/* What the fault handler of a core process needs, set before the jump. */
static struct tessera_status *fault_status;
static struct tessera_boardreg_global *fault_global;

static void notify_host(struct tessera_boardreg_global *g)
{
	__atomic_fetch_add(&g->host_doorbell, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &g->host_doorbell, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	fault_status->signal = (uint32_t)sig;
	fault_status->fault_addr = sig == SIGSYS ? (uint64_t)si->si_syscall :
						   (uint64_t)(uintptr_t)si->si_addr;
	fault_status->fault_pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	__atomic_store_n(&fault_status->state, TESSERA_CORE_CRASHED, __ATOMIC_RELEASE);
	notify_host(fault_global);
	syscall(SYS_exit_group, 128 + sig);
}

/* Report a failure to set up the core as a panic of the core; never returns. */
static void setup_fail(const char *what, int err)
{
	char *p = fault_status->panic;
	size_t n = sizeof(fault_status->panic) - 1, i = 0;
	const char *why = strerrorname_np(err);

	for (const char *s = "emu core setup: "; *s && i < n; s++)
		p[i++] = *s;
	for (const char *s = what; *s && i < n; s++)
		p[i++] = *s;
	for (const char *s = ": "; *s && i < n; s++)
		p[i++] = *s;
	for (const char *s = why ? why : "error"; *s && i < n; s++)
		p[i++] = *s;
	p[i] = 0;
	__atomic_store_n(&fault_status->state, TESSERA_CORE_PANICKED, __ATOMIC_RELEASE);
	notify_host(fault_global);
	syscall(SYS_exit_group, 127);
	for (;;)
		;
}

/* The system calls a core may make: those of arch/emu/hal.c and of the fault handler. */
static int confine(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_futex, 8, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clock_gettime, 7, 0),
		/* a timed futex wait stopped meanwhile (gdb) goes on through restart_syscall */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_restart_syscall, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_rt_sigreturn, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_sched_yield, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 2, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* write: only to stderr, the last-resort output */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return -errno;
	return 0;
}

static int map_window(uint32_t i, const struct tessera_lut_entry *e, int dram_fd, int chip_fd)
{
	uint64_t addr = (uint64_t)i << TESSERA_LUT_SHIFT, off = e->offset, len = e->bytes;
	int prot = PROT_READ | PROT_WRITE, fd = chip_fd;
	void *p;

	if (e->kind == TESSERA_LUT_NONE)
		return 0;
	if (e->kind == TESSERA_LUT_PRIVATE) {
		prot |= PROT_EXEC;	/* the image executes in place */
		fd = dram_fd;
	} else if (e->kind != TESSERA_LUT_CHIP) {
		return -EINVAL;
	}
	if (len > TESSERA_LUT_WINDOW || len % TESSERA_PAGE_BYTES || off % TESSERA_PAGE_BYTES)
		return -EINVAL;
	if (addr < TESSERA_ADDR_LOW_HOLE) {	/* keep NULL and its neighbourhood unmapped */
		uint64_t skip = TESSERA_ADDR_LOW_HOLE - addr;
		if (len <= skip)
			return 0;
		addr += skip, off += skip, len -= skip;
	}
	p = mmap((void *)addr, len, prot, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, (off_t)off);
	if (p == MAP_FAILED)
		return -errno;
	if (p != (void *)addr)
		return -EEXIST;
	return 0;
}

/* The image's entry takes %rdi = 0 for "started by Linux as a program" (arch/emu/entry.S):
 * a core enters with the boot info's address there instead. */
__attribute__((noreturn)) static void jump(uint64_t entry, uint64_t stack)
{
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "jmp *%1" : : "S"(stack), "a"(entry), "D"((uint64_t)TESSERA_ADDR_BOOTINFO)
			 : "memory");
	__builtin_unreachable();
}

/*
 * While a job has no more cores than the host CPUs this process may use, each core process
 * gets a CPU of its own (round robin by core): two cores that talk then never take turns on
 * one CPU, each turn a wake-up, while another CPU idles. (Measured, 2 ranks, 8 B one-way:
 * 1.6 us median either way, but 3.8 and 4.5 us runs without pinning.) With more cores than
 * CPUs they are left to the scheduler, which balances them better than a fixed split
 * (48-rank allreduce: 1068 us median unpinned, 1385 us pinned).
 */
static void pin(uint32_t core, uint32_t nranks)
{
	cpu_set_t allowed, one;
	int n = 0, want;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) || CPU_COUNT(&allowed) < 2 ||
	    nranks > (uint32_t)CPU_COUNT(&allowed))
		return;
	want = (int)(core % (uint32_t)CPU_COUNT(&allowed));
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed))
			continue;
		if (n++ == want) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			sched_setaffinity(0, sizeof(one), &one);
			return;
		}
	}
}

/* "tc-<host pid>-<core>" in ps and /proc/PID/comm: whose core this is. */
static void name_core(uint32_t core, pid_t host)
{
	char name[16], digits[12];
	size_t n = 0, d;

	name[n++] = 't', name[n++] = 'c', name[n++] = '-';
	for (d = 0; host || !d; host /= 10)
		digits[d++] = (char)('0' + host % 10);
	while (d && n < 11)
		name[n++] = digits[--d];
	name[n++] = '-';
	for (d = 0; core || !d; core /= 10)
		digits[d++] = (char)('0' + core % 10);
	while (d && n < 15)
		name[n++] = digits[--d];
	name[n] = 0;
	prctl(PR_SET_NAME, name);
}

__attribute__((noreturn)) static void core_main(struct hd_board *b, uint32_t core, pid_t host)
{
	struct tessera_lut_entry lut[TESSERA_LUT_ENTRIES];
	const struct tessera_bootinfo *bi;
	char path[PATH_MAX];
	struct sigaction sa;
	stack_t alt;
	sigset_t all;
	int dram_fd, rc;
	static const int faults[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS };

	fault_status = &hd_hostwin(b, core)->status;
	fault_global = hd_boardreg_global(b);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != host)
		syscall(SYS_exit_group, 127);
	setpgid(0, 0);		/* Ctrl-C goes to the host, which stops the cores itself */
	name_core(core, host);
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	hd_dram_path(b, core, path);
	dram_fd = open(path, O_RDWR | O_CLOEXEC);
	if (dram_fd < 0)
		setup_fail("open private DRAM", errno);
	memcpy(lut, hd_lut(b, core), sizeof(lut));
	for (uint32_t i = 0; i < TESSERA_LUT_ENTRIES; i++) {
		rc = map_window(i, &lut[i], dram_fd, b->chip_fd);
		if (rc)
			setup_fail("map the LUT's windows", -rc);
	}
	close(dram_fd);
	pin(core, hd_header(b)->nranks);
	alt.ss_size = 64 * 1024;
	alt.ss_flags = 0;
	alt.ss_sp = mmap(NULL, alt.ss_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	if (alt.ss_sp == MAP_FAILED || sigaltstack(&alt, NULL))
		setup_fail("signal stack", errno);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigaction(faults[i], &sa, NULL);
	bi = (const struct tessera_bootinfo *)(uintptr_t)TESSERA_ADDR_BOOTINFO;
	uint64_t entry = bi->entry, stack = bi->stack_top;
	/* gdb (backend/emu/debug.c): wait here, before confinement, for the stub to trace us */
	if (b->core[core].debug)
		kill(getpid(), SIGSTOP);
	rc = confine();
	if (rc)
		setup_fail("seccomp", -rc);
	jump(entry, stack);
}

static int emu_start(struct hd_board *b, uint32_t core)
{
	struct hd_emu_debug *dbg = NULL;
	pid_t host = getpid(), pid;
	int rc, ws;

	if (b->core[core].debug && (rc = hd_emu_debug_new(b, core, &dbg)))
		return rc;
	pid = fork();
	if (pid < 0) {
		rc = hd_fail(-errno, "core %u: fork: %s", core, strerror(errno));
		hd_emu_debug_free(dbg);
		return rc;
	}
	if (pid == 0)
		core_main(b, core, host);
	if (dbg && (rc = hd_emu_debug_attach(dbg, pid))) {
		kill(pid, SIGKILL);
		hd_emu_debug_free(dbg);
		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
		return rc;
	}
	b->core[core].pid = pid;
	b->core[core].debugger = dbg;
	return 0;
}

static int emu_poll(struct hd_board *b, uint32_t core, int *wstatus)
{
	pid_t r;

	/* under gdb the stub's waiter watches the process: it is reaped once that saw it end */
	if (b->core[core].debugger && !hd_emu_debug_ended(b->core[core].debugger))
		return 0;
	r = waitpid(b->core[core].pid, wstatus, WNOHANG);

	if (r == b->core[core].pid || (r < 0 && errno == ECHILD))
		return 1;
	return 0;
}

static void emu_stop(struct hd_board *b, uint32_t core)
{
	int ws;

	if (b->core[core].debugger) {	/* the stub goes first: its waiter ends with the core */
		if (b->core[core].pid > 0 && !b->core[core].ended)
			kill(b->core[core].pid, SIGKILL);
		hd_emu_debug_free(b->core[core].debugger);
		b->core[core].debugger = NULL;
		b->core[core].debug = 0;	/* for one release */
	}
	if (b->core[core].pid > 0 && !b->core[core].ended) {
		kill(b->core[core].pid, SIGKILL);
		while (waitpid(b->core[core].pid, &ws, 0) < 0 && errno == EINTR)
			;
	}
	b->core[core].pid = 0;
}

const struct hd_backend hd_backend_emu = {
	.name = "emu",
	.id = TESSERA_BACKEND_EMU,
	.arch = TESSERA_ARCH_EMU,
	.start = emu_start,
	.poll = emu_poll,
	.stop = emu_stop,
	.poll_ms = 0,
};
