/* SPDX-License-Identifier: MIT */
/*
 * gdbstub.h: the GDB remote serial protocol, as a stub speaks it, for one x86-64 core,
 * over a byte stream the caller moves: packets framed and checked ($data#cs, acks, escapes,
 * the 0x03 interrupt), then answered from a target the caller provides (registers, memory,
 * resume, interrupt, kill, detach). No sockets, no threads, no ptrace here: the emu backend's
 * debugger (backend/emu/debug.c) backs the target with a traced core process, the tests with a
 * fake. host-driver (and its tests) only.
 *
 * Everything from gdb is input: a packet over HD_GDB_PACKET_MAX bytes, a bad checksum or a
 * malformed frame is refused with '-' and never reaches a handler; a malformed command gets
 * an error reply (E22), an unknown one the empty reply; addresses and lengths are checked
 * before use (a read is at most HD_GDB_PACKET_MAX / 2 bytes). While the core runs, only the
 * interrupt is taken: a packet then is acked and dropped.
 *
 * Supported: qSupported (PacketSize, qXfer:features:read with an amd64 description,
 * QStartNoAckMode, swbreak, vContSupported), qOffsets, ?, g/G, p/P, m/M/X, Z0/z0 (software breakpoints
 * kept here: int3 written through the target, hidden from memory reads), c/s/C/S, vCont (c,
 * s, C, S for the one thread), H, T, qC, qfThreadInfo, qAttached, !, k, vKill, D, and the
 * interrupt. Single-threaded and all-stop: the core is the one thread (thread id 1).
 */
#ifndef HD_GDBSTUB_H
#define HD_GDBSTUB_H

#include <stddef.h>
#include <stdint.h>

#define HD_GDB_PACKET_MAX	16384	/* largest packet taken or sent (PacketSize) */
#define HD_GDB_BREAKPOINTS	64	/* software breakpoints at once */
/* gdb's amd64 registers: 16 GPRs, rip, eflags, 6 segments, st0-7, 8 x87 control, xmm0-15,
 * mxcsr; as laid out in a 'g' packet: */
#define HD_GDB_NREGS		57
#define HD_GDB_REGS_BYTES	536

/* How the target stopped (after a resume, or when it was first attached). */
enum hd_gdb_stop_kind {
	HD_GDB_STOP_SIGNAL,	/* stopped with host signal sig (SIGTRAP: a step or int3) */
	HD_GDB_STOP_EXITED,	/* the core's process exited with status code */
	HD_GDB_STOP_KILLED,	/* it was ended by host signal sig */
};

struct hd_gdb_stop {
	enum hd_gdb_stop_kind kind;
	int sig;		/* host signal number (SIGNAL, KILLED) */
	int code;		/* exit status (EXITED) */
	int int3;		/* SIGTRAP of an int3: the pc is one past it */
};

/*
 * What a stub does to its core. Every call is made while the core is stopped (interrupt
 * excepted). Returns 0 or a negative errno value; mem_* return the bytes moved (fewer than
 * asked where the mapping ends) or a negative errno value when none could be.
 */
struct hd_gdb_target {
	int (*regs_get)(void *t, uint8_t regs[HD_GDB_REGS_BYTES]);
	int (*regs_set)(void *t, const uint8_t regs[HD_GDB_REGS_BYTES]);
	long (*mem_read)(void *t, uint64_t addr, void *buf, size_t n);
	long (*mem_write)(void *t, uint64_t addr, const void *buf, size_t n);
	/* run on (step: one instruction), delivering host signal sig (0: none) */
	int (*resume)(void *t, int step, int sig);
	/* ask a running core to stop (its stop arrives through hd_gdbp_stopped) */
	int (*interrupt)(void *t);
	void (*kill)(void *t);
	/* let the core run on without the debugger */
	int (*detach)(void *t);
	/* where the image runs less where it is linked (qOffsets); NULL: where it is linked */
	uint64_t (*offset)(void *t);
};

/* The stub's state for one connection. Filled by hd_gdbp_init; the fields are its own. */
struct hd_gdbp {
	const struct hd_gdb_target *t;
	void *tctx;
	void (*send)(void *arg, const void *data, size_t n);
	void *send_arg;
	/* framing */
	int frame;		/* 0: between packets, 1: in data, 2 and 3: checksum digits */
	size_t len;
	int overflow;
	uint8_t sum, csum;
	uint8_t pkt[HD_GDB_PACKET_MAX + 1];
	int noack;
	/* the session */
	int running;		/* resumed: a stop reply is owed */
	int ended;		/* the core is gone: only '?' and detach-like packets make sense */
	int closing;		/* k or D answered: the caller closes the connection */
	struct hd_gdb_stop last;
	struct {
		uint64_t addr;
		uint8_t saved;
	} bp[HD_GDB_BREAKPOINTS];
	unsigned nbp;
	char out[2 * HD_GDB_PACKET_MAX + 8];
	uint8_t scratch[2 * HD_GDB_PACKET_MAX];	/* a command's buffers */
};

/* Start a session with a target that is stopped as stop says (a fresh connection). */
void hd_gdbp_init(struct hd_gdbp *p, const struct hd_gdb_target *t, void *tctx,
		  void (*send)(void *arg, const void *data, size_t n), void *send_arg,
		  const struct hd_gdb_stop *stop);
/* Take n bytes from gdb: acks, packets (answered through send), interrupts. */
void hd_gdbp_input(struct hd_gdbp *p, const uint8_t *data, size_t n);
/* The target stopped or ended on its own (after a resume): the stop reply goes out now if
 * one is owed, and is kept for '?' otherwise. An int3 stop at a breakpoint of ours has its
 * pc put back on the breakpoint (swbreak). */
void hd_gdbp_stopped(struct hd_gdbp *p, const struct hd_gdb_stop *stop);
/* Take every breakpoint out of the core's memory (the connection went away). */
void hd_gdbp_clear(struct hd_gdbp *p);

/* gdb's number of a host signal and back (0 for one it has no number for). */
int hd_gdb_signal_to_gdb(int host_sig);
int hd_gdb_signal_from_gdb(int gdb_sig);

#endif
