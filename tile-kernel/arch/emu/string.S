/* SPDX-License-Identifier: MIT */
/*
 * string.S: memcpy, memmove and memset for the emu arch (x86-64, SSE2 only: the baseline
 * every x86-64 host has), linked from libtk.a ahead of Newlib's, which therefore never
 * enter an image. Newlib's x86-64 memcpy streams everything from 256 bytes up with
 * non-temporal stores (movnti): the copy bypasses the cache, so it runs at DRAM speed and the
 * receiver of a message then reads it from DRAM too. Here, as in glibc and musl:
 *   - up to 128 bytes: loads of the head and the tail that overlap in the middle, then
 *     the stores, with no loop and no branch on alignment;
 *   - up to STR_REP_MIN bytes: 64 bytes a turn of 16-byte loads and stores, the stores
 *     aligned; the first and the last 64 bytes are loaded before anything is stored;
 *   - from STR_REP_MIN up: rep movsb / rep stosb, which CPUs with ERMS run in whole cache
 *     lines through the cache.
 * Loading a block before storing it makes the forward copy right for a memmove whose
 * destination lies below its source; memmove copies backwards, the same way mirrored, when
 * the destination lies above an overlapping source. Not for the i386 arch (-mno-sse): its
 * images keep Newlib's.
 *
 * The names go through STR_NAME so that the unit test (tests/tile-kernel/test_string.c) can
 * link this file into a host program beside glibc's functions of the same names.
 */
#ifndef STR_NAME
#define STR_NAME(x) x
#endif
/* From here on rep movsb beat the loop on the host measured (an EPYC with ERMS and FSRM:
 * equal at 2-4 KiB, 145 against 95 GB/s aligned at 4 KiB, 101 against 87 misaligned). */
#define STR_REP_MIN 4096

	.text

/* ---- void *memcpy(void *dst, const void *src, size_t n) ---- */
	.globl STR_NAME(memcpy)
	.type STR_NAME(memcpy), @function
	.p2align 5
STR_NAME(memcpy):
	movq %rdi, %rax
	cmpq $16, %rdx
	jb .Lcpy_lt16
.Lcpy_ge16:				/* memmove joins here for a forward copy */
	cmpq $32, %rdx
	ja .Lcpy_gt32
	movdqu (%rsi), %xmm0
	movdqu -16(%rsi,%rdx), %xmm1
	movdqu %xmm0, (%rdi)
	movdqu %xmm1, -16(%rdi,%rdx)
	ret
.Lcpy_gt32:
	cmpq $64, %rdx
	ja .Lcpy_gt64
	movdqu (%rsi), %xmm0
	movdqu 16(%rsi), %xmm1
	movdqu -32(%rsi,%rdx), %xmm2
	movdqu -16(%rsi,%rdx), %xmm3
	movdqu %xmm0, (%rdi)
	movdqu %xmm1, 16(%rdi)
	movdqu %xmm2, -32(%rdi,%rdx)
	movdqu %xmm3, -16(%rdi,%rdx)
	ret
.Lcpy_gt64:
	xorl %r10d, %r10d		/* forward; memmove's backward copy sets it */
.Lcpy_load:
	/* the head and the tail, 64 bytes each, before any store */
	movdqu (%rsi), %xmm0
	movdqu 16(%rsi), %xmm1
	movdqu 32(%rsi), %xmm2
	movdqu 48(%rsi), %xmm3
	movdqu -64(%rsi,%rdx), %xmm4
	movdqu -48(%rsi,%rdx), %xmm5
	movdqu -32(%rsi,%rdx), %xmm6
	movdqu -16(%rsi,%rdx), %xmm7
	cmpq $128, %rdx
	jbe .Lcpy_ends
	testl %r10d, %r10d
	jnz .Lmove_back
	cmpq $STR_REP_MIN, %rdx
	jae .Lcpy_rep
	/*
	 * %rcx = dst + n - 64, where the tail goes; %r8 = src - dst. The loop stores 64 bytes
	 * a turn from the first 16-byte boundary above dst + 48 (the head covers what lies
	 * below) while they start below the tail. The head and the tail go last: a memmove
	 * with dst a little below src would otherwise overwrite source bytes not yet read.
	 */
	leaq -64(%rdi,%rdx), %rcx
	movq %rsi, %r8
	subq %rdi, %r8
	movq %rdi, %r9
	andq $-16, %r9
	addq $64, %r9
1:	movdqu (%r9,%r8), %xmm8
	movdqu 16(%r9,%r8), %xmm9
	movdqu 32(%r9,%r8), %xmm10
	movdqu 48(%r9,%r8), %xmm11
	movdqa %xmm8, (%r9)
	movdqa %xmm9, 16(%r9)
	movdqa %xmm10, 32(%r9)
	movdqa %xmm11, 48(%r9)
	addq $64, %r9
	cmpq %rcx, %r9
	jb 1b
.Lcpy_ends:				/* the head and tail blocks loaded at the start */
	movdqu %xmm0, (%rdi)
	movdqu %xmm1, 16(%rdi)
	movdqu %xmm2, 32(%rdi)
	movdqu %xmm3, 48(%rdi)
	movdqu %xmm4, -64(%rdi,%rdx)
	movdqu %xmm5, -48(%rdi,%rdx)
	movdqu %xmm6, -32(%rdi,%rdx)
	movdqu %xmm7, -16(%rdi,%rdx)
	ret
.Lcpy_rep:
	movq %rdx, %rcx
	rep movsb
	ret
.Lcpy_lt16:
	cmpb $8, %dl
	jb 1f
	movq (%rsi), %rcx
	movq -8(%rsi,%rdx), %r8
	movq %rcx, (%rdi)
	movq %r8, -8(%rdi,%rdx)
	ret
1:	cmpb $4, %dl
	jb 2f
	movl (%rsi), %ecx
	movl -4(%rsi,%rdx), %r8d
	movl %ecx, (%rdi)
	movl %r8d, -4(%rdi,%rdx)
	ret
2:	testb %dl, %dl
	jz 3f
	movzbl (%rsi), %ecx
	movzbl -1(%rsi,%rdx), %r8d
	cmpb $2, %dl
	jb 4f
	movzwl (%rsi), %ecx
	movzwl -2(%rsi,%rdx), %r8d
	movw %cx, (%rdi)
	movw %r8w, -2(%rdi,%rdx)
	ret
4:	movb %cl, (%rdi)
3:	ret
	.size STR_NAME(memcpy), . - STR_NAME(memcpy)

/* ---- void *memmove(void *dst, const void *src, size_t n) ---- */
	.globl STR_NAME(memmove)
	.type STR_NAME(memmove), @function
	.p2align 5
STR_NAME(memmove):
	movq %rdi, %rax
	cmpq $16, %rdx
	jb .Lcpy_lt16		/* loads before stores: any overlap is fine */
	movq %rdi, %rcx
	subq %rsi, %rcx
	cmpq %rdx, %rcx
	jae .Lcpy_ge16		/* dst below src, or no overlap: forward */
	cmpq $128, %rdx
	jbe .Lcpy_ge16		/* every load before the first store */
	movl $1, %r10d
	jmp .Lcpy_load
	/*
	 * Backwards: the head and tail blocks are loaded first (memcpy's loads) and stored
	 * last; the loop goes down 64 bytes a turn from the last 16-byte boundary at or below
	 * dst + n - 64 while it stays above dst. Every block is read before anything below it
	 * is written.
	 */
.Lmove_back:
	movq %rsi, %r8
	subq %rdi, %r8
	leaq -64(%rdi,%rdx), %r9
	andq $-16, %r9
1:	movdqu 48(%r9,%r8), %xmm8
	movdqu 32(%r9,%r8), %xmm9
	movdqu 16(%r9,%r8), %xmm10
	movdqu (%r9,%r8), %xmm11
	movdqa %xmm8, 48(%r9)
	movdqa %xmm9, 32(%r9)
	movdqa %xmm10, 16(%r9)
	movdqa %xmm11, (%r9)
	subq $64, %r9
	cmpq %rdi, %r9
	ja 1b
	jmp .Lcpy_ends
	.size STR_NAME(memmove), . - STR_NAME(memmove)

/* ---- void *memset(void *dst, int c, size_t n) ---- */
	.globl STR_NAME(memset)
	.type STR_NAME(memset), @function
	.p2align 5
STR_NAME(memset):
	movq %rdi, %rax
	movzbl %sil, %ecx
	movabsq $0x0101010101010101, %r8
	imulq %rcx, %r8		/* the byte in all eight */
	cmpq $16, %rdx
	jb .Lset_lt16
	movq %r8, %xmm0
	punpcklqdq %xmm0, %xmm0
	movdqu %xmm0, (%rdi)
	movdqu %xmm0, -16(%rdi,%rdx)
	cmpq $32, %rdx
	jbe 3f
	movdqu %xmm0, 16(%rdi)
	movdqu %xmm0, -32(%rdi,%rdx)
	cmpq $64, %rdx
	jbe 3f
	movdqu %xmm0, 32(%rdi)
	movdqu %xmm0, 48(%rdi)
	movdqu %xmm0, -64(%rdi,%rdx)
	movdqu %xmm0, -48(%rdi,%rdx)
	cmpq $128, %rdx
	jbe 3f
	cmpq $STR_REP_MIN, %rdx
	jae 4f
	/* aligned stores from dst + 64 (rounded down) up to the tail stored above */
	leaq -64(%rdi,%rdx), %rcx
	leaq 64(%rdi), %r9
	andq $-16, %r9
1:	cmpq %rcx, %r9
	jae 3f
	movdqa %xmm0, (%r9)
	movdqa %xmm0, 16(%r9)
	movdqa %xmm0, 32(%r9)
	movdqa %xmm0, 48(%r9)
	addq $64, %r9
	jmp 1b
3:	ret
4:	movq %rdx, %rcx
	movl %esi, %eax
	movq %rdi, %rdx
	rep stosb
	movq %rdx, %rax
	ret
.Lset_lt16:
	cmpb $8, %dl
	jb 1f
	movq %r8, (%rdi)
	movq %r8, -8(%rdi,%rdx)
	ret
1:	cmpb $4, %dl
	jb 2f
	movl %r8d, (%rdi)
	movl %r8d, -4(%rdi,%rdx)
	ret
2:	testb %dl, %dl
	jz 3b
	movb %r8b, (%rdi)
	cmpb $2, %dl
	jb 3b
	movw %r8w, -2(%rdi,%rdx)
	ret
	.size STR_NAME(memset), . - STR_NAME(memset)

	.section .note.GNU-stack, "", @progbits
