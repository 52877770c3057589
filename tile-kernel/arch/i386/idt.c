/* SPDX-License-Identifier: MIT */
/*
 * idt.c: the IDT and the one C entry of every trap. CPU exceptions (vectors 0..31) end the
 * core as a crash (hal.c); the double fault goes through a task gate (gdt.c) so it has a
 * good stack; the 8259's vectors (32..47), of which only the timer's is unmasked, and the
 * local APIC's timer are just acknowledged; the doorbell's is counted. None has work of its
 * own: each only ends the `hlt` in arch_halt, which then looks at its interrupt word.
 */
#include <stdint.h>
#include "i386_impl.h"

#define IDT_VECTORS	I386_VECTORS
#define GATE_INTR	0x8e	/* present, ring 0, 32-bit interrupt gate (clears IF) */
#define GATE_TASK	0x85	/* present, ring 0, task gate */
#define VEC_DOUBLE	8
#define VEC_PAGE	14

#define PIC1_CMD	0x20
#define PIC2_CMD	0xa0
#define PIC_EOI		0x20

struct idtr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

static uint64_t idt[IDT_VECTORS];
extern const uint32_t i386_stubs[IDT_VECTORS];

static uint64_t gate(uint32_t off, uint16_t sel, uint8_t type)
{
	return (off & 0xffff) | (uint64_t)sel << 16 | (uint64_t)type << 40 |
	       (uint64_t)(off >> 16) << 48;
}

void i386_idt_init(void)
{
	struct idtr r;

	for (int v = 0; v < IDT_VECTORS; v++)
		idt[v] = gate(i386_stubs[v], I386_SEL_CODE, GATE_INTR);
	idt[VEC_DOUBLE] = gate(0, I386_SEL_DFTSS, GATE_TASK);
	r.limit = sizeof(idt) - 1;
	r.base = (uint32_t)idt;
	__asm__ volatile("lidt %0" : : "m"(r));
}

void i386_trap(struct i386_frame *f)
{
	uint32_t v = f->vector;

	if (v < I386_VEC_PIC)
		i386_crash(v, f->eip, v == VEC_PAGE ? read_cr2() : 0);
	if (v == I386_VEC_SPURIOUS7 || v == I386_VEC_SPURIOUS)
		return;		/* spurious: neither the PIC nor the APIC wants an EOI for it */
	if (v >= I386_VEC_BELL) {
		if (v == I386_VEC_BELL)
			i386_bell_rings++;
		else if (v == I386_VEC_TIMER)
			i386_apic_fired();
		i386_apic_eoi();
		return;
	}
	if (v >= I386_VEC_PIC + 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

void i386_double_fault(void)
{
	uint32_t cr2 = read_cr2(), guard = i386_stack_guard();

	/* A stack overflow: the page fault on the guard page could not push its frame there.
	 * Report that page fault, which is what the program did. */
	if (i386_paging_on && guard && (cr2 & ~(TESSERA_PAGE_BYTES - 1)) == guard)
		i386_crash(VEC_PAGE, i386_gdt_fault_eip(), cr2);
	i386_crash(VEC_DOUBLE, i386_gdt_fault_eip(), cr2);
}
