/* SPDX-License-Identifier: MIT */
/*
 * i386_impl.h: helpers shared inside the i386 tile arch (tile-kernel/arch/i386/), never
 * included from outside it: port and control-register access, the boot steps the entry
 * code runs in order, and the state they leave for the arch hooks.
 *
 * Boot order (i386_start in start.c): caches -> serial -> GDT/TSS -> IDT -> boot info
 * (back from the multiboot module) -> PCI scan for the ivshmem device (the chip) -> paging
 * from the core's LUT -> FPU -> PIC/PIT and TSC calibration -> generic tk_start.
 */
#ifndef TK_I386_IMPL_H
#define TK_I386_IMPL_H

/* Segment selectors of the GDT built by gdt.c. */
#define I386_SEL_CODE	0x08
#define I386_SEL_DATA	0x10
#define I386_SEL_TSS	0x18
#define I386_SEL_DFTSS	0x20

/* Interrupt vectors: CPU exceptions 0..31, the remapped 8259 PIC from 32. */
#define I386_VEC_PIC	32
#define I386_VEC_SPURIOUS7 (I386_VEC_PIC + 7)

/* isa-debug-exit port the qemu backend configures (QEMU exits with (v << 1) | 1). */
#define I386_DEBUG_EXIT_PORT 0xf4

/* Halting: first one-shot tick after this long, doubling up to the maximum while idle. */
#define I386_HALT_FIRST_NS	100000u		/* 100 us */
#define I386_HALT_MAX_NS	50000000u	/* 50 ms (the PIT reaches 55): 20 a second */

/* The image note's values for entry.S, which cannot include board.h (start.c checks them). */
#define I386_NOTE_TYPE	0x54455353	/* TESSERA_NOTE_TYPE */
#define I386_NOTE_ABI	3		/* TESSERA_ABI_VERSION */
#define I386_NOTE_ARCH	2		/* TESSERA_ARCH_I386 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "tessera/board.h"

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t read_cr0(void)
{
	uint32_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint32_t read_cr2(void)
{
	uint32_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr4(void)
{
	uint32_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Register frame the exception stubs in entry.S push (see i386_trap). */
struct i386_frame {
	uint32_t edi, esi, ebp, esp_pushad, ebx, edx, ecx, eax;
	uint32_t vector, error;
	uint32_t eip, cs, eflags;
};

/* serial.c: COM1, polled; usable before anything else is set up. */
void i386_serial_init(void);
void i386_serial_puts(const char *s);
void i386_serial_hex(const char *label, uint32_t v);

/* gdt.c: flat code and data segments, a TSS, and a task for double faults. */
void i386_gdt_init(void);
/* The page directory the double-fault task runs on (set once paging is on). */
void i386_gdt_set_cr3(uint32_t cr3);
/* eip of the code a double fault interrupted. */
uint32_t i386_gdt_fault_eip(void);

/* idt.c: every CPU exception reported as a crash, the PIC's vectors acknowledged. */
void i386_idt_init(void);
/* Called from the stubs in entry.S with interrupts off. */
void i386_trap(struct i386_frame *f);
/* Called by the double-fault task (entry.S). */
__attribute__((noreturn)) void i386_double_fault(void);

/* pci.c: find the ivshmem device and return the physical address and size of BAR2. */
int i386_pci_find_chip(uint32_t ram_top, uint32_t *phys, uint32_t *bytes);

/* paging.c: page tables for the SCC core address map from this core's LUT. */
int i386_paging_init(uint32_t chip_phys, uint32_t chip_bytes, uint32_t core, uint32_t ram_bytes,
		     uint32_t stack_top);
/* The page below the stack that stays unmapped (0: none). */
uint32_t i386_stack_guard(void);

/* timer.c: PIC and PIT set-up, TSC calibration. */
void i386_timer_init(uint64_t start_ns);
/* Arm a one-shot tick in at most ns nanoseconds (clamped to the PIT's range). */
void i386_timer_oneshot(uint64_t ns);

/* start.c: the boot info, once checked. */
extern const struct tessera_bootinfo *i386_bootinfo;

/* hal.c: set once paging maps the host window and board registers. */
extern int i386_paging_on;
/* Publish a crash in the host window (once paging is on) and stop. */
__attribute__((noreturn)) void i386_crash(uint32_t vector, uint32_t eip, uint32_t addr);
/* Early failure before the host window exists: say why on the serial port and stop. */
__attribute__((noreturn)) void i386_die(const char *why);

#endif /* __ASSEMBLER__ */
#endif
