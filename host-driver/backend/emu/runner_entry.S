/* SPDX-License-Identifier: MIT */
/*
 * runner_entry.S: the core runner's first instruction, and the return path of its signal
 * handlers (the kernel's rt_sigreturn needs a restorer when there is no libc to give one).
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
	.section .note.GNU-stack, "", @progbits
