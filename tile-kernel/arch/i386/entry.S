/* SPDX-License-Identifier: MIT */
/*
 * entry.S: the i386 tile image's first code (crt0.o): the multiboot header, the entry the
 * boot loader jumps to, the exception and interrupt stubs, the double-fault task's entry
 * and the tessera image note. Not the boot sequence itself: that is start.c.
 */
#include "i386_impl.h"

/* Multiboot (version 1) header: magic, flags, checksum; must lie in the first 8 KB. */
#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	0x00000003	/* page-aligned modules, memory info; load from ELF */
#define MB_BOOT_MAGIC	0x2BADB002

	.section .multiboot, "a"
	.p2align 2
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

/* The note `tessera run` reads to tell which arch an image is for (board.h). */
	.section .note.tessera, "a"
	.p2align 2
	.long 8				/* namesz: "tessera" and its NUL */
	.long 8				/* descsz: struct tessera_note_desc */
	.long I386_NOTE_TYPE
	.asciz "tessera"
	.long I386_NOTE_ABI
	.long I386_NOTE_ARCH

	.section .bss
	.p2align 4
boot_stack:
	.skip 16384
boot_stack_top:
	.globl i386_df_stack_top
df_stack:
	.skip 8192
i386_df_stack_top:

	.text
/*
 * The boot loader enters in 32-bit protected mode, paging off, interrupts off, eax = the
 * multiboot magic, ebx = the multiboot info; everything else (GDT, stack) is undefined.
 */
	.globl _start
	.type _start, @function
_start:
	cli
	cld
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp
	pushl %ebx
	pushl %eax
	call i386_start
1:	cli
	hlt
	jmp 1b
	.size _start, . - _start

/* void i386_enter(uint32_t stack_top, void (*fn)(void)): run fn on a new stack, never return. */
	.globl i386_enter
	.type i386_enter, @function
i386_enter:
	movl 4(%esp), %eax
	movl 8(%esp), %ecx
	movl %eax, %esp
	xorl %ebp, %ebp
	call *%ecx
1:	cli
	hlt
	jmp 1b
	.size i386_enter, . - i386_enter

/* void i386_gdt_load(const void *gdtr): load the GDT and reload every segment register. */
	.globl i386_gdt_load
	.type i386_gdt_load, @function
i386_gdt_load:
	movl 4(%esp), %eax
	lgdt (%eax)
	movw $I386_SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	ljmp $I386_SEL_CODE, $1f
1:	movw $I386_SEL_TSS, %ax
	ltr %ax
	ret
	.size i386_gdt_load, . - i386_gdt_load

/*
 * Exception and interrupt stubs: each pushes a dummy error code where the CPU pushes none,
 * then its vector, so that i386_trap always sees struct i386_frame.
 */
.macro STUB vec, has_error
	.p2align 3
stub_\vec:
	.if \has_error == 0
	pushl $0
	.endif
	pushl $\vec
	jmp trap_common
.endm

	STUB 0, 0
	STUB 1, 0
	STUB 2, 0
	STUB 3, 0
	STUB 4, 0
	STUB 5, 0
	STUB 6, 0
	STUB 7, 0
	STUB 8, 1
	STUB 9, 0
	STUB 10, 1
	STUB 11, 1
	STUB 12, 1
	STUB 13, 1
	STUB 14, 1
	STUB 15, 0
	STUB 16, 0
	STUB 17, 1
	STUB 18, 0
	STUB 19, 0
	STUB 20, 0
	STUB 21, 1
	STUB 22, 0
	STUB 23, 0
	STUB 24, 0
	STUB 25, 0
	STUB 26, 0
	STUB 27, 0
	STUB 28, 0
	STUB 29, 1
	STUB 30, 1
	STUB 31, 0
	STUB 32, 0
	STUB 33, 0
	STUB 34, 0
	STUB 35, 0
	STUB 36, 0
	STUB 37, 0
	STUB 38, 0
	STUB 39, 0
	STUB 40, 0
	STUB 41, 0
	STUB 42, 0
	STUB 43, 0
	STUB 44, 0
	STUB 45, 0
	STUB 46, 0
	STUB 47, 0
	STUB 48, 0
	STUB 49, 0
	STUB 50, 0
	STUB 51, 0
	STUB 52, 0
	STUB 53, 0
	STUB 54, 0
	STUB 55, 0
	STUB 56, 0
	STUB 57, 0
	STUB 58, 0
	STUB 59, 0
	STUB 60, 0
	STUB 61, 0
	STUB 62, 0
	STUB 63, 0

trap_common:
	pushal
	cld
	pushl %esp
	call i386_trap
	addl $4, %esp
	popal
	addl $8, %esp
	iret

/* Table of the stub addresses for idt.c, vectors 0..63 (I386_VECTORS). */
	.section .rodata
	.p2align 2
	.globl i386_stubs
i386_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23, \
		24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47, \
		48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
	.long stub_\v
	.endr

	.text
/* The double-fault task starts here on its own stack (the faulting stack may be gone). */
	.globl i386_df_entry
	.type i386_df_entry, @function
i386_df_entry:
	cld
	call i386_double_fault
1:	cli
	hlt
	jmp 1b
	.size i386_df_entry, . - i386_df_entry
	.section .note.GNU-stack, "", @progbits
