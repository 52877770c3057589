// SPDX-License-Identifier: MIT
/* test_gdbstub.c: the GDB remote protocol (host-driver/gdbstub.c) over a fake core. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "gdbstub.h"

#define MEM_BASE 0x1000u
#define MEM_BYTES 256u

/* A core: 256 bytes of memory at 0x1000, registers, and what was asked of it. */
struct fake {
	uint8_t mem[MEM_BYTES];
	uint8_t regs[HD_GDB_REGS_BYTES];
	int resumed, step, sig, interrupted, killed, detached;
	char out[65536];
	size_t len;
};

static struct fake f;
static struct hd_gdbp p;

static int regs_get(void *t, uint8_t *r)
{
	memcpy(r, ((struct fake *)t)->regs, HD_GDB_REGS_BYTES);
	return 0;
}

static int regs_set(void *t, const uint8_t *r)
{
	memcpy(((struct fake *)t)->regs, r, HD_GDB_REGS_BYTES);
	return 0;
}

static long mem_read(void *t, uint64_t addr, void *buf, size_t n)
{
	struct fake *c = t;

	if (addr < MEM_BASE || addr >= MEM_BASE + MEM_BYTES)
		return -EIO;
	if (n > MEM_BASE + MEM_BYTES - addr)
		n = MEM_BASE + MEM_BYTES - addr;
	memcpy(buf, c->mem + (addr - MEM_BASE), n);
	return (long)n;
}

static long mem_write(void *t, uint64_t addr, const void *buf, size_t n)
{
	struct fake *c = t;

	if (addr < MEM_BASE || addr + n > MEM_BASE + MEM_BYTES)
		return -EIO;
	memcpy(c->mem + (addr - MEM_BASE), buf, n);
	return (long)n;
}

static int resume(void *t, int step, int sig)
{
	struct fake *c = t;

	c->resumed++, c->step = step, c->sig = sig;
	return 0;
}

static int interrupt(void *t)
{
	((struct fake *)t)->interrupted++;
	return 0;
}

static void kill_core(void *t)
{
	((struct fake *)t)->killed++;
}

static int detach(void *t)
{
	((struct fake *)t)->detached++;
	return 0;
}

static uint64_t offset(void *t)
{
	(void)t;
	return 0x100400000000ull;
}

static const struct hd_gdb_target target = { regs_get, regs_set, mem_read, mem_write, resume,
					     interrupt, kill_core, detach, offset };

static void sink(void *arg, const void *data, size_t n)
{
	struct fake *c = arg;

	cr_assert_lt(c->len + n, sizeof(c->out));
	memcpy(c->out + c->len, data, n);
	c->len += n;
	c->out[c->len] = 0;
}

static void setup(void)
{
	struct hd_gdb_stop at_entry = { .kind = HD_GDB_STOP_SIGNAL, .sig = SIGTRAP };

	memset(&f, 0, sizeof(f));
	for (unsigned i = 0; i < MEM_BYTES; i++)
		f.mem[i] = (uint8_t)i;
	hd_gdbp_init(&p, &target, &f, sink, &f, &at_entry);
}

/* Send data framed with its right checksum; the output so far is forgotten. */
static void packet(const char *data, size_t n)
{
	char buf[40000];
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (uint8_t)data[i];
	buf[0] = '$';
	memcpy(buf + 1, data, n);
	snprintf(buf + 1 + n, sizeof(buf) - 1 - n, "#%02x", sum);
	f.len = 0;
	f.out[0] = 0;
	hd_gdbp_input(&p, (const uint8_t *)buf, n + 4);
}

static void cmd(const char *s)
{
	packet(s, strlen(s));
}

/* The reply framed as gdb gets it ("$OK#9a"), after ack ("+" or ""). */
static void expect_framed(const char *ack, const char *reply)
{
	char want[40000];
	uint8_t sum = 0;

	for (const char *s = reply; *s; s++)
		sum += (uint8_t)*s;
	snprintf(want, sizeof(want), "%s$%s#%02x", ack, reply, sum);
	cr_assert_str_eq(f.out, want);
}

static void expect(const char *reply)
{
	expect_framed("+", reply);
}

TestSuite(gdbstub, .init = setup);

Test(gdbstub, a_good_packet_is_acked_and_answered)
{
	cmd("?");
	expect("T05thread:1;");
}

Test(gdbstub, a_bad_checksum_is_refused_and_not_run)
{
	const char bad[] = "$M1000,1:ff#00";

	hd_gdbp_input(&p, (const uint8_t *)bad, strlen(bad));
	cr_assert_str_eq(f.out, "-");
	cr_assert_eq(f.mem[0], 0);
}

Test(gdbstub, a_broken_checksum_is_refused)
{
	const char bad[] = "$?#zz";

	hd_gdbp_input(&p, (const uint8_t *)bad, strlen(bad));
	cr_assert_str_eq(f.out, "-");
}

Test(gdbstub, an_oversized_packet_is_refused)
{
	static char big[HD_GDB_PACKET_MAX + 16];

	big[0] = 'M';
	memset(big + 1, '0', sizeof(big) - 1);
	packet(big, sizeof(big));
	cr_assert_str_eq(f.out, "-");
}

Test(gdbstub, a_packet_may_come_in_pieces)
{
	const char *s = "$?#3f";

	for (; *s; s++)
		hd_gdbp_input(&p, (const uint8_t *)s, 1);
	expect("T05thread:1;");
}

Test(gdbstub, no_acks_after_start_no_ack_mode)
{
	cmd("QStartNoAckMode");
	expect("OK");
	cmd("?");
	expect_framed("", "T05thread:1;");
}

Test(gdbstub, memory_reads_in_hex)
{
	cmd("m1004,4");
	expect("04050607");
}

Test(gdbstub, a_read_stops_where_memory_ends)
{
	cmd("m10fe,8");
	expect("feff");
}

Test(gdbstub, a_read_of_nothing_mapped_is_an_error)
{
	cmd("m20000,4");
	expect("E05");
}

Test(gdbstub, malformed_addresses_are_refused)
{
	cmd("m1004");
	expect("E16");
	cmd("m,4");
	expect("E16");
	cmd("m11111111111111111,1");
	expect("E16");
	cmd("mffffffffffffffff,2");
	expect("E16");
}

Test(gdbstub, a_read_is_bounded_by_the_packet_size)
{
	char s[64];

	snprintf(s, sizeof(s), "m1000,%x", HD_GDB_PACKET_MAX / 2 + 1);
	cmd(s);
	expect("E16");
}

Test(gdbstub, hex_writes_need_every_digit)
{
	cmd("M1000,2:abcd");
	expect("OK");
	cr_assert_eq(f.mem[0], 0xab);
	cr_assert_eq(f.mem[1], 0xcd);
	cmd("M1000,2:abc");
	expect("E16");
	cmd("M1000,1:zz");
	expect("E16");
}

Test(gdbstub, binary_writes_undo_escapes)
{
	/* 0x23 '#', 0x24 '$', 0x7d '}' go escaped as '}' then the byte ^ 0x20 */
	const char x[] = "X1010,4:}\x03}\x04}]a";

	packet(x, sizeof(x) - 1);
	expect("OK");
	cr_assert_eq(f.mem[0x10], 0x23);
	cr_assert_eq(f.mem[0x11], 0x24);
	cr_assert_eq(f.mem[0x12], 0x7d);
	cr_assert_eq(f.mem[0x13], 'a');
}

Test(gdbstub, a_binary_write_of_the_wrong_length_is_refused)
{
	const char x[] = "X1010,3:ab";

	packet(x, sizeof(x) - 1);
	expect("E16");
	cr_assert_eq(f.mem[0x10], 0x10);
}

Test(gdbstub, registers_all_at_once_and_one_by_one)
{
	uint64_t rip = 0x1234;

	memcpy(f.regs + 16 * 8, &rip, 8);
	cmd("g");
	cr_assert_eq(strlen(f.out), 2 + 2 * HD_GDB_REGS_BYTES + 3);
	cmd("p10");
	expect("3412000000000000");
	cmd("P10=efbe000000000000");
	expect("OK");
	memcpy(&rip, f.regs + 16 * 8, 8);
	cr_assert_eq(rip, 0xbeef);
	cmd("p39");
	expect("E16");
}

Test(gdbstub, a_breakpoint_is_an_int3_hidden_from_reads)
{
	cmd("Z0,1008,1");
	expect("OK");
	cr_assert_eq(f.mem[8], 0xcc);
	cmd("m1007,3");
	expect("070809");
	cmd("z0,1008,1");
	expect("OK");
	cr_assert_eq(f.mem[8], 0x08);
}

Test(gdbstub, other_breakpoint_kinds_are_not_offered)
{
	cmd("Z1,1008,1");
	expect("");
	cmd("Z2,1008,4");
	expect("");
}

Test(gdbstub, stopping_on_a_breakpoint_puts_the_pc_back_on_it)
{
	struct hd_gdb_stop hit = { .kind = HD_GDB_STOP_SIGNAL, .sig = SIGTRAP, .int3 = 1 };
	uint64_t pc = 0x1009;

	cmd("Z0,1008,1");
	cmd("c");
	cr_assert_eq(f.resumed, 1);
	cr_assert_eq(f.step, 0);
	memcpy(f.regs + 16 * 8, &pc, 8);
	f.len = 0;
	hd_gdbp_stopped(&p, &hit);
	expect_framed("", "T05thread:1;swbreak:;");
	memcpy(&pc, f.regs + 16 * 8, 8);
	cr_assert_eq(pc, 0x1008);
}

Test(gdbstub, vcont_steps_the_one_thread_with_a_signal)
{
	cmd("vCont?");
	expect("vCont;c;C;s;S");
	cmd("vCont;S0b:1;c");
	cr_assert_eq(f.resumed, 1);
	cr_assert_eq(f.step, 1);
	cr_assert_eq(f.sig, SIGSEGV);
	cr_assert_str_eq(f.out, "+");	/* the stop is the reply */
}

Test(gdbstub, vcont_for_another_thread_only_is_refused)
{
	cmd("vCont;c:2");
	expect("E16");
	cr_assert_eq(f.resumed, 0);
}

Test(gdbstub, an_interrupt_stops_a_running_core_only)
{
	const uint8_t ctrl_c = 0x03;

	hd_gdbp_input(&p, &ctrl_c, 1);
	cr_assert_eq(f.interrupted, 0);
	cmd("c");
	hd_gdbp_input(&p, &ctrl_c, 1);
	cr_assert_eq(f.interrupted, 1);
}

Test(gdbstub, packets_while_the_core_runs_are_dropped)
{
	cmd("c");
	cmd("M1000,1:ff");
	cr_assert_str_eq(f.out, "+");
	cr_assert_eq(f.mem[0], 0);
}

Test(gdbstub, the_end_of_the_core_is_reported)
{
	struct hd_gdb_stop end = { .kind = HD_GDB_STOP_EXITED, .code = 3 };

	cmd("c");
	f.len = 0;
	hd_gdbp_stopped(&p, &end);
	expect_framed("", "W03");
	cmd("m1000,1");
	expect("E03");
}

Test(gdbstub, kill_and_detach_end_the_session)
{
	cmd("D");
	expect("OK");
	cr_assert_eq(f.detached, 1);
	cr_assert(p.closing);
	setup();
	cmd("Z0,1000,1");
	cmd("k");
	cr_assert_eq(f.killed, 1);
	cr_assert(p.closing);
}

Test(gdbstub, detach_takes_the_breakpoints_out)
{
	cmd("Z0,1000,1");
	cmd("D");
	cr_assert_eq(f.mem[0], 0);
}

Test(gdbstub, the_target_description_is_amd64)
{
	cmd("qSupported:multiprocess+;swbreak+");
	cr_assert(strstr(f.out, "qXfer:features:read+"));
	cr_assert(strstr(f.out, "PacketSize=4000"));
	cmd("qXfer:features:read:target.xml:0,1fff");
	cr_assert(!strncmp(f.out, "+$l<?xml", 8), "%s", f.out);
	cr_assert(strstr(f.out, "<architecture>i386:x86-64</architecture>"));
	cr_assert(strstr(f.out, "name=\"xmm15\""));
	cmd("qXfer:features:read:other.xml:0,fff");
	expect("E02");
}

Test(gdbstub, the_target_description_comes_in_pieces)
{
	cmd("qXfer:features:read:target.xml:0,10");
	expect("m<?xml version=\"1");
}

Test(gdbstub, the_image_is_offset_to_where_the_core_runs_it)
{
	static const struct hd_gdb_target linked = { regs_get, regs_set, mem_read, mem_write,
						     resume, interrupt, kill_core, detach, NULL };
	struct hd_gdb_stop at_entry = { .kind = HD_GDB_STOP_SIGNAL, .sig = SIGTRAP };

	cmd("qOffsets");
	expect("Text=100400000000;Data=100400000000;Bss=100400000000");
	/* a target without an offset runs the image where it is linked */
	hd_gdbp_init(&p, &linked, &f, sink, &f, &at_entry);
	cmd("qOffsets");
	expect("Text=0;Data=0;Bss=0");
}

Test(gdbstub, unknown_packets_get_the_empty_reply)
{
	cmd("qTStatus");
	expect("");
	cmd("vMustReplyEmpty");
	expect("");
}

Test(gdbstub, signals_are_numbered_as_gdb_numbers_them)
{
	cr_assert_eq(hd_gdb_signal_to_gdb(SIGSEGV), 11);
	cr_assert_eq(hd_gdb_signal_to_gdb(SIGBUS), 10);
	cr_assert_eq(hd_gdb_signal_to_gdb(SIGSYS), 12);
	cr_assert_eq(hd_gdb_signal_to_gdb(SIGUSR1), 30);
	cr_assert_eq(hd_gdb_signal_from_gdb(10), SIGBUS);
	cr_assert_eq(hd_gdb_signal_from_gdb(200), 0);
}
