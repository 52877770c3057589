/* SPDX-License-Identifier: MIT */
/*
 * entry.S: where an emulated core starts (crt0 of the emu arch), and where the Linux kernel
 * starts the same file run as a host program. A core runner jumps here with the stack
 * pointer at the top of the core's private DRAM and %rdi = its struct tessera_emu_ops (never
 * 0); the Linux kernel starts a process with %rdi = 0 and the stack pointer at argc, and then
 * the image hands itself to the tessera runtime (hostexec.c). Never returns. Also carries the
 * note that identifies a tessera tile image for the emu arch. The entry is tk_entry (tile.ld),
 * _start only a weak alias: a host compiler that links without tessera.specs (CMake's FindMPI
 * keeps only some of the wrapper's flags) adds the C library's own Scrt1.o, whose _start then
 * sits unused in the image instead of clashing with this one.
 *
 * The image is position independent (static-pie, relocated by the host when it loads it):
 * where it runs, less the address it is linked at, is where this core's own windows are
 * (tk_view_base, tk_impl.h).
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

	.hidden __ehdr_start
	.text
	.globl tk_entry
	.type tk_entry, @function
	.weak _start
	.set _start, tk_entry
tk_entry:
	xorl %ebp, %ebp
	testq %rdi, %rdi
	jz 1f
	movq %rdi, tk_emu_ops(%rip)
	leaq __ehdr_start(%rip), %rax	/* the image's first byte, linked at TESSERA_ADDR_IMAGE */
	subq $0x100000, %rax
	movq %rax, tk_view_base(%rip)
	andq $-16, %rsp
	call tk_start
	hlt			/* tk_start never returns; a privileged hlt faults if it did */
1:	movq %rsp, %rdi		/* started by Linux: argc, argv, envp, auxv */
	andq $-16, %rsp
	call tk_host_exec
	hlt
	.size tk_entry, . - tk_entry
	.section .note.GNU-stack, "", @progbits
