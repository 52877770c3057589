/* SPDX-License-Identifier: MIT */
/*
 * runner_entry.S: the core runner's first instruction, the return path of its signal
 * handlers (the kernel's rt_sigreturn needs a restorer when there is no libc to give one),
 * and the switch between two cores of a runner: what the System V ABI says a callee keeps
 * (rbx, rbp, r12-r15, the x87 and SSE control words) saved on the stack of the core that
 * stops, restored from the stack of the core that goes on. Nothing else needs saving: a core
 * switches only inside a call (a halt, a yield), or inside a signal handler whose frame
 * holds the rest.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp
	movq %rsp, %rdi
	andq $-16, %rsp
	call runner_main
	hlt
	.size _start, . - _start

	.globl runner_restorer
	.type runner_restorer, @function
runner_restorer:
	movl $15, %eax		/* rt_sigreturn */
	syscall
	hlt
	.size runner_restorer, . - runner_restorer

/* void runner_switch(uint64_t *save_sp, uint64_t next_sp) */
	.globl runner_switch
	.type runner_switch, @function
runner_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	stmxcsr 4(%rsp)
	fnstcw (%rsp)
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	fldcw (%rsp)
	ldmxcsr 4(%rsp)
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size runner_switch, . - runner_switch

/*
 * void runner_halt1(volatile uint32_t *word, uint64_t timeout_ns): the halt of a runner of
 * one core: it sleeps in the host kernel on its own interrupt word (a shared futex: its
 * wakers are other processes) until woken or timed out. Written here so that it touches no
 * stack: while it sleeps the return address into the core's image is at the top of the
 * stack, where a debugger that knows nothing of the runner looks for it (gdb's backtrace of
 * a core interrupted in a halt, docs/debugging.md). A runner of one core has one core to
 * halt, so its timeout has a place of its own.
 */
	.globl runner_halt1
	.type runner_halt1, @function
runner_halt1:
	xorl %r10d, %r10d
	testq %rsi, %rsi
	jz 1f
	movq %rsi, %rax
	xorl %edx, %edx
	movl $1000000000, %ecx
	divq %rcx
	leaq halt1_timeout(%rip), %r10
	movq %rax, (%r10)
	movq %rdx, 8(%r10)
1:	xorl %esi, %esi		/* FUTEX_WAIT */
	xorl %edx, %edx		/* while the word is 0 */
	movl $202, %eax		/* futex */
	syscall
	ret
	.size runner_halt1, . - runner_halt1
	.local halt1_timeout
	.comm halt1_timeout, 16, 8

/*
 * Where a core's first switch lands (runner.c builds the frame that runner_switch pops):
 * r12 = its image's entry, r13 = its stack top, r14 = the runner's struct tessera_emu_ops.
 * The core leaves the runner's code here: runner_active goes to 0.
 */
	.globl runner_boot
	.type runner_boot, @function
runner_boot:
	movl $0, runner_active(%rip)
	movq %r13, %rsp
	xorl %ebp, %ebp
	movq %r14, %rdi
	jmp *%r12
	.size runner_boot, . - runner_boot
	.section .note.GNU-stack, "", @progbits
