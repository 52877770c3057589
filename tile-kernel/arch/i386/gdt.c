/* SPDX-License-Identifier: MIT */
/*
 * gdt.c: the GDT (flat 4 GB code and data, ring 0 only) and two TSSes: the one the CPU
 * saves into on a task switch, and the double-fault task, which runs on a stack of its own so
 * that a fault taken on a broken stack (overflow into an unmapped page) is still reported
 * instead of resetting the VM.
 */
#include <stdint.h>
#include "i386_impl.h"

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "tss");

struct gdtr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

static struct tss main_tss, df_tss;
static uint64_t gdt[5];

extern char i386_df_stack_top[];
void i386_df_entry(void);
void i386_gdt_load(const struct gdtr *r);

/* A segment descriptor: base, limit (in 4 KB units when gran), access byte, flags. */
static uint64_t desc(uint32_t base, uint32_t limit, uint8_t access, int gran)
{
	uint64_t d = limit & 0xffff;

	d |= (uint64_t)(base & 0xffffff) << 16;
	d |= (uint64_t)access << 40;
	d |= (uint64_t)((limit >> 16) & 0xf) << 48;
	d |= (uint64_t)(gran ? 0xc : 0x0) << 52;	/* G and D/B */
	d |= (uint64_t)(base >> 24) << 56;
	return d;
}

void i386_gdt_init(void)
{
	struct gdtr r;

	df_tss.eip = (uint32_t)i386_df_entry;
	df_tss.esp = (uint32_t)i386_df_stack_top;
	df_tss.eflags = 0x2;		/* interrupts off */
	df_tss.cs = I386_SEL_CODE;
	df_tss.ss = df_tss.ds = df_tss.es = df_tss.fs = df_tss.gs = I386_SEL_DATA;
	df_tss.iomap = sizeof(struct tss);
	main_tss.iomap = sizeof(struct tss);

	gdt[0] = 0;
	gdt[1] = desc(0, 0xfffff, 0x9a, 1);	/* present, ring 0, code, readable */
	gdt[2] = desc(0, 0xfffff, 0x92, 1);	/* present, ring 0, data, writable */
	gdt[3] = desc((uint32_t)&main_tss, sizeof(struct tss) - 1, 0x89, 0);	/* 32-bit TSS */
	gdt[4] = desc((uint32_t)&df_tss, sizeof(struct tss) - 1, 0x89, 0);
	r.limit = sizeof(gdt) - 1;
	r.base = (uint32_t)gdt;
	i386_gdt_load(&r);
}

/* The double-fault task switches address space too: give it the page directory. */
void i386_gdt_set_cr3(uint32_t cr3)
{
	df_tss.cr3 = cr3;
}

/* Where the interrupted code was when the double fault hit (saved by the task switch). */
uint32_t i386_gdt_fault_eip(void)
{
	return main_tss.eip;
}
