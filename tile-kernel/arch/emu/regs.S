/* SPDX-License-Identifier: MIT */
/*
 * regs.S: arch_regs_here(regs) for the emu arch: the caller's registers as they are at the
 * return from this call, in DWARF numbering (rax, rdx, rcx, rbx, rsi, rdi, rbp, rsp, r8-r15,
 * rip), so that the host can unwind the caller's call chain from them (a signal a core
 * raises itself, a panic). The callee-saved ones, the stack pointer and the return address
 * are exact; the others are what they hold here. Returns 17.
 */
	.text
	.globl arch_regs_here
	.type arch_regs_here, @function
arch_regs_here:
	movq %rax, 0(%rdi)
	movq %rdx, 8(%rdi)
	movq %rcx, 16(%rdi)
	movq %rbx, 24(%rdi)
	movq %rsi, 32(%rdi)
	movq %rdi, 40(%rdi)
	movq %rbp, 48(%rdi)
	leaq 8(%rsp), %rax		/* the caller's stack pointer after the return */
	movq %rax, 56(%rdi)
	movq %r8, 64(%rdi)
	movq %r9, 72(%rdi)
	movq %r10, 80(%rdi)
	movq %r11, 88(%rdi)
	movq %r12, 96(%rdi)
	movq %r13, 104(%rdi)
	movq %r14, 112(%rdi)
	movq %r15, 120(%rdi)
	movq (%rsp), %rax		/* the return address: where the caller goes on */
	movq %rax, 128(%rdi)
	movl $17, %eax
	ret
	.size arch_regs_here, . - arch_regs_here
	.section .note.GNU-stack, "", @progbits
