/* SPDX-License-Identifier: MIT */
/*
 * i386_impl.h: helpers shared inside the i386 tile arch (tile-kernel/arch/i386/), never
 * included from outside it: port and control-register access, the boot steps the entry
 * code runs in order, and the state they leave for the arch hooks.
 *
 * Boot order (i386_start in start.c): caches -> serial -> GDT/TSS -> IDT -> boot info
 * (back from the multiboot module) -> PCI scan for the ivshmem device (the chip) -> paging
 * from the core's LUT (plus the doorbell's registers and the local APIC) -> FPU -> PIC/PIT
 * and TSC calibration -> local APIC -> doorbell -> the host's clock -> generic tk_start.
 */
#ifndef TK_I386_IMPL_H
#define TK_I386_IMPL_H

/* Segment selectors of the GDT built by gdt.c. */
#define I386_SEL_CODE	0x08
#define I386_SEL_DATA	0x10
#define I386_SEL_TSS	0x18
#define I386_SEL_DFTSS	0x20

/* Interrupt vectors: CPU exceptions 0..31, the remapped 8259 PIC from 32, then the local
 * APIC's: the doorbell (MSI-X), its timer, and its spurious vector (low 4 bits set: the
 * P54C's APIC hardwires them). */
#define I386_VEC_PIC	32
#define I386_VEC_SPURIOUS7 (I386_VEC_PIC + 7)
#define I386_VEC_BELL	48
#define I386_VEC_TIMER	49
#define I386_VEC_SPURIOUS 63
#define I386_VECTORS	64

/* isa-debug-exit port the qemu backend configures (QEMU exits with (v << 1) | 1). */
#define I386_DEBUG_EXIT_PORT 0xf4

/* How long a waiting core polls before it halts (hal.c: arch_spin_cycles). */
#define I386_SPIN_NS		100000u

/* Halting without a doorbell: first one-shot tick after this long, doubling up to the
 * maximum while idle. */
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

/* (t * m) >> 32 without a 128-bit product (the result fits 64 bits). */
static inline uint64_t i386_mul32(uint64_t t, uint64_t m)
{
	uint64_t th = t >> 32, tl = (uint32_t)t, mh = m >> 32, ml = (uint32_t)m;

	return ((th * mh) << 32) + th * ml + tl * mh + ((tl * ml) >> 32);
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
void i386_serial_dec(uint32_t v);

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

/* pci.c: the ivshmem device (physical addresses). */
struct i386_ivshmem {
	uint32_t bdf;			/* configuration address */
	uint32_t shm, shm_bytes;	/* BAR2: the chip */
	uint32_t regs;			/* BAR0: registers (0: none) */
	uint32_t msix_cap;		/* configuration offset of MSI-X (0: none) */
	uint32_t msix_table;		/* the MSI-X table (0: none: no doorbell) */
};
int i386_pci_find_chip(uint32_t ram_top, struct i386_ivshmem *d);
void i386_pci_msix_enable(const struct i386_ivshmem *d);

/* paging.c: page tables for the SCC core address map from this core's LUT, plus the mmio
 * pages (nmmio, physical) mapped uncached where they are: -EADDRINUSE if the LUT maps
 * one of those addresses. */
int i386_paging_init(uint32_t chip_phys, uint32_t chip_bytes, uint32_t core, uint32_t ram_bytes,
		     uint32_t stack_top, const uint32_t *mmio, uint32_t nmmio);
/* The page below the stack that stays unmapped (0: none). */
uint32_t i386_stack_guard(void);

/* timer.c: PIC and PIT set-up, TSC calibration (rough: shorter, the host's rate to come). */
void i386_timer_init(uint64_t start_ns, int rough);
/* Arm a one-shot tick in at most ns nanoseconds (clamped to the PIT's range). */
void i386_timer_oneshot(uint64_t ns);
/* ns in so many TSC ticks, and TSC ticks in so many ns. */
uint64_t i386_tsc_ns(uint64_t ticks);
uint64_t i386_ns_tsc(uint64_t ns);
/* Take the host's clock as this core's (needs the doorbell): 0 or -ETIMEDOUT. */
int i386_clock_sync(uint32_t core);

/* apic.c: the local APIC. Its physical base (0: none), enabled in the MSR. */
uint32_t i386_apic_probe(void);
/* On, LINT0 passing the 8259 on, the timer calibrated: 0, -ENODEV or -EIO. Needs the TSC. */
int i386_apic_init(void);
uint32_t i386_apic_id(void);
void i386_apic_eoi(void);
/* Arm the timer to interrupt (I386_VEC_TIMER) in ns; 0 stops it. */
void i386_apic_oneshot(uint64_t ns);
/* Have it interrupt within ns: armed again only if it would not fire by then. */
void i386_apic_within(uint64_t ns);
/* Its interrupt came (idt.c): nothing is armed. */
void i386_apic_fired(void);

/* bell.c: the doorbell. 0 once a ring of its own came back, or -ENODEV, -EPROTO (the
 * device's id is not the core), -ETIMEDOUT. */
int i386_bell_init(const struct i386_ivshmem *d, uint32_t core);
/* Interrupt peer (a core number, or the host's id). */
void i386_bell_ring(uint32_t peer);
extern int i386_bell_on;		/* the doorbell works: halts wait for it */
extern volatile uint32_t i386_bell_rings;	/* doorbell interrupts taken */
/* hal.c: longest halt without a doorbell interrupt while the doorbell works (0: none). */
extern uint64_t i386_tick_ns;

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
