/* SPDX-License-Identifier: MIT */
/*
 * start.c: the i386 boot sequence, from the multiboot entry (entry.S) to the generic tile
 * kernel's tk_start: CPU tables, the boot info, the chip behind the ivshmem device, paging,
 * FPU and timer, the local APIC, the doorbell and the host's clock. Any failure up to paging
 * is reported on the serial port (the host window may not exist yet) and stops the core; a
 * doorbell that does not work is said there too, and the core goes on with its timer tick.
 *
 * The boot info: the host writes it at TESSERA_ADDR_BOOTINFO of the core's private DRAM, but
 * a PC firmware clears low memory before it boots anything (SeaBIOS zeroes 0x7000..0x90000).
 * So the qemu backend also hands the same bytes to the boot loader as the first multiboot
 * module, and the kernel copies that module back to TESSERA_ADDR_BOOTINFO first thing.
 */
#include <errno.h>
#include <stdint.h>
#include "arch.h"
#include "i386_impl.h"

#define MB_BOOT_MAGIC	0x2badb002u
#define MB_INFO_MEM	0x001
#define MB_INFO_CMDLINE	0x004
#define MB_INFO_MODS	0x008
#define CR0_MP		0x00000002u
#define CR0_EM		0x00000004u
#define CR0_TS		0x00000008u
#define CR0_NE		0x00000020u
#define CR0_NW		0x20000000u
#define CR0_CD		0x40000000u
/* x87 control word: all exceptions masked, 64-bit precision, round to nearest (fninit's). */
#define X87_CW_DEFAULT	0x037f

_Static_assert(I386_NOTE_TYPE == TESSERA_NOTE_TYPE, "note type");
_Static_assert(I386_NOTE_ABI == TESSERA_ABI_VERSION, "note abi");
_Static_assert(I386_NOTE_ARCH == TESSERA_ARCH_I386, "note arch");

/* The part of the multiboot information structure this kernel reads. */
struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;	/* KB below 640 KB and above 1 MB */
	uint32_t boot_device;
	uint32_t cmdline;		/* physical address of a NUL-terminated string */
	uint32_t mods_count;
	uint32_t mods_addr;		/* physical address of struct mb_module[mods_count] */
};

struct mb_module {
	uint32_t start, end;		/* physical, end exclusive */
	uint32_t string, reserved;
};

const struct tessera_bootinfo *i386_bootinfo;

void tk_start(void);
void i386_enter(uint32_t stack_top, void (*fn)(void));

/* Value of "key=<decimal>" in the boot loader's command line, or def. */
static uint64_t cmdline_u64(const struct mb_info *mbi, const char *key, uint64_t def)
{
	const char *s;

	if (!(mbi->flags & MB_INFO_CMDLINE) || !mbi->cmdline)
		return def;
	for (s = (const char *)mbi->cmdline; *s; s++) {
		const char *k = key, *p = s;
		uint64_t v = 0;

		if (s != (const char *)mbi->cmdline && s[-1] != ' ')
			continue;
		while (*k && *p == *k)
			k++, p++;
		if (*k || *p != '=')
			continue;
		for (p++; *p >= '0' && *p <= '9'; p++)
			v = v * 10 + (uint64_t)(*p - '0');
		return v;
	}
	return def;
}

/* Put the boot info module (if the loader brought one) where the tile kernel reads it. */
static void bootinfo_restore(const struct mb_info *mbi)
{
	const struct mb_module *mod = (const struct mb_module *)mbi->mods_addr;
	uint8_t *dst = (uint8_t *)TESSERA_ADDR_BOOTINFO;
	const uint8_t *src;

	if (!(mbi->flags & MB_INFO_MODS) || mbi->mods_count < 1)
		return;
	if (mod->end < mod->start || mod->end - mod->start > TESSERA_BOOTINFO_BYTES)
		i386_die("the boot info module is larger than the boot info area");
	src = (const uint8_t *)mod->start;
	for (uint32_t i = 0; i < mod->end - mod->start; i++)
		dst[i] = src[i];
}

static void fpu_init(void)
{
	uint16_t cw = X87_CW_DEFAULT;

	/* x87 present and used natively: no emulation trap, no lazy switching (one task),
	 * errors reported as #MF (vector 16) rather than through the legacy IRQ 13. */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	__asm__ volatile("fninit; fldcw %0" : : "m"(cw));
}

/* The chip's header must say the same layout the boot info's geometry gives. */
static int check_chip(uint32_t chip_phys, uint32_t chip_bytes)
{
	const volatile struct tessera_header *h = (const volatile struct tessera_header *)chip_phys;
	struct tessera_layout l;
	const volatile uint64_t *a = (const volatile uint64_t *)&h->layout;
	const uint64_t *b = (const uint64_t *)&l;

	tessera_layout_compute(&i386_bootinfo->geom, &l);
	if (h->magic != TESSERA_BOARD_MAGIC || h->version != TESSERA_LAYOUT_VERSION)
		return -EPROTO;
	for (unsigned i = 0; i < sizeof(l) / sizeof(uint64_t); i++)
		if (a[i] != b[i])
			return -EPROTO;
	return l.chip_bytes <= chip_bytes ? 0 : -ERANGE;
}

/* The doorbell, then the host's clock through it; said on the serial port if either fails. */
static void bell_start(const struct i386_ivshmem *dev, uint32_t core, int rc)
{
	if (!rc)
		rc = i386_apic_init();
	if (!rc)
		rc = i386_bell_init(dev, core);
	if (rc) {
		i386_serial_puts(rc == -ENODEV ? "tessera: i386 boot: no doorbell (no ivshmem-doorbell "
			"device or local APIC): halts wake on the timer tick\n" :
			rc == -EADDRINUSE ? "tessera: i386 boot: the doorbell's registers lie where "
			"the LUT maps the board: halts wake on the timer tick\n" :
			rc == -EPROTO ? "tessera: i386 boot: the doorbell's peer id is not this "
			"core: halts wake on the timer tick\n" :
			"tessera: i386 boot: the doorbell does not ring: halts wake on the timer "
			"tick\n");
		return;
	}
	if (i386_clock_sync(core))
		i386_serial_puts("tessera: i386 boot: the host did not give its clock: this "
				 "core's clock lags the host's by QEMU's start-up\n");
}

__attribute__((noreturn)) void i386_start(uint32_t magic, const struct mb_info *mbi)
{
	const struct tessera_bootinfo *bi = (const struct tessera_bootinfo *)TESSERA_ADDR_BOOTINFO;
	uint32_t ram_top, ram_bytes, stack_top, mmio[3], nmmio = 0, apic;
	int bell = -ENODEV;	/* what stands in the doorbell's way */
	struct i386_ivshmem dev;
	uint64_t start_ns;
	int rc;

	/* Caches on (a firmware may leave the reset value, CD and NW set). */
	write_cr0(read_cr0() & ~(CR0_CD | CR0_NW));
	i386_serial_init();
	i386_gdt_init();
	i386_idt_init();
	if (magic != MB_BOOT_MAGIC)
		i386_die("not started by a multiboot boot loader");
	if (!(mbi->flags & MB_INFO_MEM))
		i386_die("the boot loader did not say how much memory there is");
	ram_top = 0x100000u + mbi->mem_upper * 1024u;
	bootinfo_restore(mbi);
	if (bi->magic != TESSERA_BOOTINFO_MAGIC || bi->version != TESSERA_LAYOUT_VERSION)
		i386_die("no boot info (at 0x10000 or as a multiboot module): "
			  "start tile images with `tessera run`");
	i386_bootinfo = bi;
	/* The loader's memory figure leaves out what the firmware keeps at the top of RAM (its
	 * tables, unused once we run); the VM's RAM is the core's private DRAM file. */
	ram_bytes = bi->geom.private_mb << 20;
	if (ram_top > ram_bytes || ram_bytes - ram_top > (1u << 20))
		i386_die("the VM's memory is not the size of the board's private DRAM");
	stack_top = (uint32_t)bi->stack_top;
	if (bi->stack_top > ram_bytes || stack_top < TESSERA_ADDR_IMAGE * 2)
		i386_die("boot info: stack top outside this VM's memory");
	/* QEMU starts the guest TSC at 0 once it has set the VM up; the backend passes the
	 * host's monotonic time just before it ran QEMU as start_ns (else: the job's start).
	 * Read now: the loader's information may lie below 64 KB, which paging leaves
	 * unmapped. */
	start_ns = cmdline_u64(mbi, "start_ns", bi->time_base_ns);
	i386_tick_ns = cmdline_u64(mbi, "tick_ms", 1000) * 1000000u;
	rc = i386_pci_find_chip(ram_bytes, &dev);
	if (rc == -ENODEV)
		i386_die("no ivshmem PCI device (1af4:1110): the VM has no chip");
	if (rc)
		i386_die("the ivshmem BAR cannot be placed below 4 GB");
	rc = check_chip(dev.shm, dev.shm_bytes);
	if (rc == -EPROTO)
		i386_die("the ivshmem device holds no board of the boot info's geometry");
	if (rc)
		i386_die("the ivshmem BAR is smaller than the chip");
	apic = i386_apic_probe();
	if (dev.msix_table && apic) {
		bell = 0;
		mmio[nmmio++] = dev.regs;
		mmio[nmmio++] = dev.msix_table;
		mmio[nmmio++] = apic;
	}
	rc = i386_paging_init(dev.shm, dev.shm_bytes, bi->core, ram_bytes, stack_top, mmio, nmmio);
	if (rc == -EADDRINUSE) {
		bell = rc;
		rc = i386_paging_init(dev.shm, dev.shm_bytes, bi->core, ram_bytes, stack_top, mmio, 0);
	}
	if (rc)
		i386_die("this core's LUT cannot be mapped (bad entry, or out of memory)");
	i386_paging_on = 1;
	fpu_init();
	i386_timer_init(start_ns, bell == 0);
	bell_start(&dev, bi->core, bell);
	i386_enter(stack_top & ~15u, tk_start);
	for (;;)
		;
}
