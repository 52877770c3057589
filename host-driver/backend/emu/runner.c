// SPDX-License-Identifier: MIT
/*
 * runner.c: tessera-runner, the process that runs emulated cores. The emu backend starts it
 * (fork and exec, so nothing of the host process is left in it) with a spec (runner.h)
 * naming the board directory and each core's checked LUT. The runner maps what those LUTs
 * give and nothing else, at the SCC addresses, installs its fault handlers, confines itself
 * with seccomp to the system calls of the paravirtual HAL, and jumps to the image's entry.
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
#include <linux/signal.h>
#include "runner.h"
#include "runner_sys.h"

#define PAGE		TESSERA_PAGE_BYTES
#define ALT_STACK_BYTES	(64u * 1024u)
#define NSIG_FAULTS	6

void runner_main(long *sp);
void runner_restorer(void);

static const struct runner_spec *spec;
static struct tessera_status *cur_status;	/* the host window of the core running */
static volatile struct tessera_boardreg_global *global;
static uint8_t alt_stack[ALT_STACK_BYTES] __attribute__((aligned(16)));

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

static void num_add(char *buf, size_t n, uint64_t v)
{
	char d[24];
	int k = 0;

	do
		d[k++] = (char)('0' + v % 10);
	while (v /= 10);
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

/* A failure before the tile runs: a panic of the core if its host window is mapped. */
__attribute__((noreturn)) static void setup_fail(const char *what, long err)
{
	char msg[128] = "emu core setup: ";

	str_add(msg, sizeof(msg), what);
	str_add(msg, sizeof(msg), ": error ");
	num_add(msg, sizeof(msg), (uint64_t)-err);
	if (cur_status) {
		memcpy(cur_status->panic, msg, sizeof(msg));
		__atomic_store_n(&cur_status->state, TESSERA_CORE_PANICKED, __ATOMIC_RELEASE);
		notify_host();
	} else {
		str_add(msg, sizeof(msg), "\n");
		sys3(__NR_write, 2, msg, str_len(msg));
	}
	die(127);
}

/* A crash of the core that runs: published in its host window, then the runner ends. */
static void on_fault(int sig, void *info, void *uc)
{
	struct k_siginfo *si = info;
	uint64_t *gr = k_uc_gregs(uc);

	cur_status->signal = (uint32_t)sig;
	cur_status->fault_addr = sig == 31 /* SIGSYS */ ? (uint64_t)(uint32_t)si->syscall : si->addr;
	cur_status->fault_pc = gr[K_RIP];
	__atomic_store_n(&cur_status->state, TESSERA_CORE_CRASHED, __ATOMIC_RELEASE);
	notify_host();
	die(128 + sig);
}

/* The system calls a tile may make: those of tile-kernel/arch/emu/hal.c and of on_fault. */
static long confine(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_futex, 7, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clock_gettime, 6, 0),
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
	long rc = sys2(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1);

	if (rc)
		return rc;
	return sys3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static void handle_faults(void)
{
	static const int sigs[NSIG_FAULTS] = { 11, 7, 4, 8, 5, 31 };	/* SEGV BUS ILL FPE TRAP SYS */
	struct k_stack alt = { alt_stack, 0, 0, sizeof(alt_stack) };
	struct k_sigaction sa = {
		.handler = on_fault,
		.flags = K_SA_SIGINFO | K_SA_ONSTACK | K_SA_RESETHAND | K_SA_RESTORER,
		.restorer = runner_restorer,
		.mask = ~0ull,
	};
	long rc = sys2(__NR_sigaltstack, &alt, 0);

	if (rc)
		setup_fail("signal stack", rc);
	for (int i = 0; i < NSIG_FAULTS; i++)
		if ((rc = sys4(__NR_rt_sigaction, sigs[i], &sa, 0, 8)))
			setup_fail("fault handlers", rc);
}

/* Map one LUT window of a core at addr (the backing's offset and length as the host checked
 * them); the first 64 KB of the address space stay unmapped so that NULL faults. */
static long map_window(uint64_t addr, const struct tessera_lut_entry *e, int fd)
{
	uint64_t off = e->offset, len = e->bytes;
	long p;

	if (addr < TESSERA_ADDR_LOW_HOLE) {
		uint64_t skip = TESSERA_ADDR_LOW_HOLE - addr;
		if (len <= skip)
			return 0;
		addr += skip, off += skip, len -= skip;
	}
	p = sys6(__NR_mmap, (long)addr, (long)len, PROT_READ | PROT_WRITE |
		 (e->kind == TESSERA_LUT_PRIVATE ? PROT_EXEC : 0), MAP_SHARED | MAP_FIXED_NOREPLACE,
		 fd, (long)off);
	if (p < 0 && p > -4096)
		return p;
	return p == (long)addr ? 0 : -17;	/* EEXIST */
}

static int open_in_dir(const char *name)
{
	char path[RUNNER_PATH_MAX + 32] = "";

	str_add(path, sizeof(path), spec->dir);
	str_add(path, sizeof(path), "/");
	str_add(path, sizeof(path), name);
	return (int)sys4(__NR_openat, -100 /* AT_FDCWD */, path, O_RDWR | O_CLOEXEC, 0);
}

static int open_dram(uint32_t core)
{
	char name[32] = "core";

	if (core < 1000)
		str_add(name, sizeof(name), "0");
	if (core < 100)
		str_add(name, sizeof(name), "0");
	if (core < 10)
		str_add(name, sizeof(name), "0");
	num_add(name, sizeof(name), core);
	str_add(name, sizeof(name), ".dram");
	return open_in_dir(name);
}

/* "tc-<host pid>-<core>" in ps and /proc/PID/comm: whose core this is. */
static void name_self(uint32_t core)
{
	char name[16] = "tc-";

	num_add(name, sizeof(name), (uint64_t)spec->host_pid);
	str_add(name, sizeof(name), "-");
	num_add(name, sizeof(name), core);
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

void runner_main(long *sp)
{
	const struct runner_core *rc;
	const struct tessera_bootinfo *bi;
	long size, r;
	int chip, dram;

	(void)sp;
	size = sys3(__NR_lseek, RUNNER_SPEC_FD, 0, 2 /* SEEK_END */);
	if (size < (long)sizeof(struct runner_spec))
		setup_fail("runner spec", size < 0 ? size : -22);
	r = sys6(__NR_mmap, 0, size, PROT_READ, MAP_PRIVATE, RUNNER_SPEC_FD, 0);
	if (r < 0 && r > -4096)
		setup_fail("runner spec", r);
	spec = (const struct runner_spec *)r;
	if (spec->magic != RUNNER_SPEC_MAGIC || spec->version != RUNNER_SPEC_VERSION ||
	    spec->ncores != 1 ||
	    (uint64_t)size < sizeof(*spec) + spec->ncores * sizeof(struct runner_core))
		setup_fail("runner spec", -22);
	/* Die with the host; and if it is already gone, do not start. */
	sys2(__NR_prctl, PR_SET_PDEATHSIG, 9);
	if (sys0(__NR_getppid) != spec->host_pid)
		die(127);
	rc = &spec->core[0];
	name_self(rc->core);
	chip = open_in_dir("chip");
	if (chip < 0)
		setup_fail("open the chip", chip);
	/* The host window first, so that what fails next is reported there. */
	r = map_window(TESSERA_ADDR_HOSTWIN, &rc->lut[TESSERA_ADDR_HOSTWIN >> TESSERA_LUT_SHIFT],
		       chip);
	if (r)
		setup_fail("map the host window", r);
	cur_status = &((struct tessera_hostwin *)(uintptr_t)TESSERA_ADDR_HOSTWIN)->status;
	global = (struct tessera_boardreg_global *)(uintptr_t)TESSERA_ADDR_BOARDREG;
	dram = open_dram(rc->core);
	if (dram < 0)
		setup_fail("open private DRAM", dram);
	for (uint32_t i = 0; i < TESSERA_LUT_ENTRIES; i++) {
		const struct tessera_lut_entry *e = &rc->lut[i];

		if (e->kind == TESSERA_LUT_NONE || i == TESSERA_ADDR_HOSTWIN >> TESSERA_LUT_SHIFT)
			continue;
		r = map_window((uint64_t)i << TESSERA_LUT_SHIFT, e,
			       e->kind == TESSERA_LUT_PRIVATE ? dram : chip);
		if (r)
			setup_fail("map the LUT's windows", r);
	}
	sys3(__NR_close_range, 0, ~0u, 0);
	pin(spec->cpu);
	handle_faults();
	bi = (const struct tessera_bootinfo *)(uintptr_t)TESSERA_ADDR_BOOTINFO;
	uint64_t entry = bi->entry, stack = bi->stack_top;
	sys2(__NR_munmap, spec, size);
	spec = 0;
	r = confine();
	if (r)
		setup_fail("seccomp", r);
	jump(entry, stack);
}
