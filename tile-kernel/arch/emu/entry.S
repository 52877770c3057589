/* SPDX-License-Identifier: MIT */
/*
 * entry.S: where an emulated core starts (crt0 of the emu arch). The core process jumps here
 * with the stack pointer at the top of private DRAM; it never returns. Also carries the note
 * that identifies a tessera tile image for the emu arch.
 */
	.section .note.tessera, "a", @note
	.p2align 2
	.long 8			/* namesz: "tessera\0" */
	.long 8			/* descsz: struct tessera_note_desc */
	.long 0x54455353	/* TESSERA_NOTE_TYPE */
	.asciz "tessera"
	.p2align 2
	.long 1			/* TESSERA_ABI_VERSION */
	.long 1			/* TESSERA_ARCH_EMU */

	.text
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call tk_start
	hlt			/* tk_start never returns; a privileged hlt faults if it did */
	.size _start, . - _start
	.section .note.GNU-stack, "", @progbits
