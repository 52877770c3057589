/* SPDX-License-Identifier: MIT */
/*
 * runner_sys.h: the runner's only way to the kernel: raw x86-64 system calls (the runner
 * links no libc, so nothing it calls can make a system call behind its back, before or
 * after its seccomp filter), and the kernel's own signal structures. Private to runner.c.
 */
#ifndef EMU_RUNNER_SYS_H
#define EMU_RUNNER_SYS_H

#include <stdint.h>
#include <asm/unistd.h>

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10),
			 "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return ret;
}

#define sys0(n) sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a) sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b) sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* The kernel's struct sigaction (not libc's): handler, flags, restorer, mask. */
struct k_sigaction {
	void (*handler)(int, void *, void *);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

/* The parts of siginfo_t and ucontext_t the fault handler reads (x86-64 layouts). */
struct k_siginfo {
	int32_t signo, errno_, code, pad;
	uint64_t addr;		/* SIGSEGV/SIGBUS/SIGILL/SIGFPE: si_addr; SIGSYS: si_call_addr */
	int32_t syscall;	/* SIGSYS: si_syscall */
	uint32_t arch;
};

/* ucontext_t: uc_flags, uc_link, uc_stack (24 bytes), then mcontext's 23 general registers. */
#define K_UC_GREGS_OFF	40
enum { K_R8, K_R9, K_R10, K_R11, K_R12, K_R13, K_R14, K_R15, K_RDI, K_RSI, K_RBP, K_RBX,
       K_RDX, K_RAX, K_RCX, K_RSP, K_RIP, K_NGREGS = 23 };

static inline uint64_t *k_uc_gregs(void *uc)
{
	return (uint64_t *)((char *)uc + K_UC_GREGS_OFF);
}

#define K_SA_SIGINFO	0x00000004ul
#define K_SA_ONSTACK	0x08000000ul
#define K_SA_RESTART	0x10000000ul
#define K_SA_NODEFER	0x40000000ul
#define K_SA_RESETHAND	0x80000000ul
#define K_SA_RESTORER	0x04000000ul

struct k_stack {
	void *sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};

#endif
