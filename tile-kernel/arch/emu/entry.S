/* SPDX-License-Identifier: MIT */
/*
 * entry.S: where an emulated core starts (crt0 of the emu arch), and where the Linux kernel
 * starts the same file run as a host program. A tessera loader jumps here with the stack
 * pointer at the top of private DRAM and %rdi = TESSERA_ADDR_BOOTINFO (never 0); the Linux
 * kernel starts a process with %rdi = 0 and the stack pointer at argc, and then the image
 * hands itself to the tessera runtime (hostexec.c). Never returns. Also carries the note that
 * identifies a tessera tile image for the emu arch. The entry is tk_entry (tile.ld), _start
 * only a weak alias: a host compiler that links without tessera.specs (CMake's FindMPI
 * keeps only some of the wrapper's flags) adds the C library's own Scrt1.o, whose _start
 * then sits unused in the image instead of clashing with this one.
 */
#include "emu_impl.h"

	.section .note.tessera, "a", @note
	.p2align 2
	.long 8			/* namesz: "tessera\0" */
	.long 8			/* descsz: struct tessera_note_desc */
	.long 0x54455353	/* TESSERA_NOTE_TYPE */
	.asciz "tessera"
	.p2align 2
	.long EMU_NOTE_ABI
	.long 1			/* TESSERA_ARCH_EMU */

	.text
	.globl tk_entry
	.type tk_entry, @function
	.weak _start
	.set _start, tk_entry
tk_entry:
	xorl %ebp, %ebp
	testq %rdi, %rdi
	jz 1f
	andq $-16, %rsp
	call tk_start
	hlt			/* tk_start never returns; a privileged hlt faults if it did */
1:	movq %rsp, %rdi		/* started by Linux: argc, argv, envp, auxv */
	andq $-16, %rsp
	call tk_host_exec
	hlt
	.size tk_entry, . - tk_entry
	.section .note.GNU-stack, "", @progbits
