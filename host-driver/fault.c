// SPDX-License-Identifier: MIT
/*
 * fault.c: what the host says when a rank stops abnormally: the fault a core published
 * (signal or i386 CPU exception, addresses, panic text) turned into an hd_fault with the
 * function and line of the image, the exit status `tessera run` ends with, and the one line
 * hd_job_report prints. Reading the board is job.c's; this file only describes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include "hd_impl.h"

/* The host's system calls by number (generated from <asm/unistd_64.h>). */
static const char *const syscall_name[] = {
#include "syscall_names.h"
};

/* "SIGSEGV", "SIGSYS (system call 39, getpid)" for a call the seccomp filter refused (its
 * number is in addr), or "page fault (vector 14)" for an i386 CPU exception (signal 256 +
 * vector). */
static const char *signal_what(uint32_t sig, uint64_t addr, char *buf, size_t n)
{
	if (sig == SIGSYS) {
		const char *name = addr < sizeof(syscall_name) / sizeof(syscall_name[0]) ?
				   syscall_name[addr] : NULL;
		snprintf(buf, n, "SIGSYS (system call %llu, %s)", (unsigned long long)addr,
			 name ? name : "unknown");
	} else if (sig >= TESSERA_SIGNAL_VECTOR) {
		uint32_t v = sig - TESSERA_SIGNAL_VECTOR;
		snprintf(buf, n, "%s (vector %u)", tessera_i386_exception_name(v), v);
	} else {
		const char *abbrev = sigabbrev_np((int)sig);
		snprintf(buf, n, "SIG%s", abbrev ? abbrev : "?");
	}
	return buf;
}

/* The host signal a CPU exception stands for (for the exit status). */
static int vector_signal(uint32_t sig)
{
	if (sig < TESSERA_SIGNAL_VECTOR)
		return (int)sig;
	switch (sig - TESSERA_SIGNAL_VECTOR) {
	case 0: case 16: case 19: return SIGFPE;
	case 1: case 3: return SIGTRAP;
	case 6: return SIGILL;
	case 17: return SIGBUS;
	default: return SIGSEGV;
	}
}

struct reader {
	struct hd_board *b;
	uint32_t core;
};

/* 8 bytes of a core's memory at an SCC address, through its LUT (private DRAM, the shared
 * text of its image, the chip). */
static int read_core(void *arg, uint64_t addr, uint64_t *val)
{
	struct reader *r = arg;
	char keep[256];
	int rc;

	snprintf(keep, sizeof(keep), "%s", hd_last_error());	/* a miss is no error of ours */
	rc = hd_mem_read(r->b, HD_SPACE_CORE, r->core, addr, val, sizeof(*val));
	if (rc)
		hd_fail(0, "%s", keep);
	return rc;
}

/* Whether a fault at addr (as the core published it) hit the guard below its stack. */
static int in_guard(struct hd_board *b, uint32_t core, uint64_t addr)
{
	uint64_t view = b->core[core].view, top = b->layout.private_bytes & ~(uint64_t)15, a;

	if (!view || addr < view)
		return 0;
	a = addr - view;
	return a >= top - TESSERA_STACK_BYTES - TESSERA_GUARD_BYTES && a < top - TESSERA_STACK_BYTES;
}

/* Core, tile, signal, addresses and reason as the core published them; the function and
 * line of pc (of the call before it when pc is a return address); the call chain from the
 * registers it published, and then, as function and line, its first frame that is not
 * raising the signal or the panic (abort names its caller). */
static void fill_fault(struct hd_board *b, uint32_t core, struct hd_fault *f, int pc_is_ret)
{
	struct tessera_status *st = &hd_hostwin(b, core)->status;
	struct reader rd = { b, core };
	struct hd_unwind_core uc = { b->core[core].image, b->core[core].view, read_core, &rd };
	uint64_t regs[TESSERA_FAULT_REGS], first = 0, view = b->core[core].view;
	int first_ret = 0;

	memset(f, 0, sizeof(*f));
	f->core = core;
	f->rank = (uint32_t)b->core[core].rank;
	f->tile_x = tessera_core_x(&b->geom, core);
	f->tile_y = tessera_core_y(&b->geom, core);
	f->signal = st->signal;
	f->addr = st->fault_addr;
	f->pc = st->fault_pc;
	/* an emu core runs at its view base: its code's addresses are the image's less that */
	if (b->core[core].view && f->pc >= b->core[core].view &&
	    f->pc - b->core[core].view < (1ull << 32))
		f->pc -= b->core[core].view;
	memcpy(f->reason, st->panic, sizeof(f->reason) - 1);
	f->stack_overflow = f->signal == SIGSEGV && in_guard(b, core, f->addr);
	/* an address in the core's own windows, as its SCC address (what tessera dump takes) */
	if (view && f->addr >= view && f->addr - view < (1ull << 32))
		f->addr -= view;
	if (st->fault_nregs == TESSERA_FAULT_REGS) {
		memcpy(regs, st->fault_regs, sizeof(regs));
		hd_backtrace(&uc, regs, f->chain, sizeof(f->chain), &first, &first_ret);
	}
	if (first) {
		f->pc = first;
		hd_symbolize(b->core[core].image, first - (first_ret ? 1 : 0), f->function,
			     sizeof(f->function), f->file, sizeof(f->file), &f->line);
	}
	else if (f->pc)
		hd_symbolize(b->core[core].image, f->pc - (pc_is_ret ? 1 : 0), f->function,
			     sizeof(f->function), f->file, sizeof(f->file), &f->line);
}

/* Under --coherence=strict an emu core reaches the MPBs and mpb-channels' part of shared
 * DRAM only through the coherence model's alias (runner.c, map_chip_window): a SIGSEGV at
 * their SCC addresses is code that bypassed tk_mpb_*. What it touched, or NULL. */
static const char *strict_bypass(struct hd_board *b, uint32_t core, uint64_t addr)
{
	uint64_t view = b->core[core].view, mpb = b->geom.mpb_bytes;

	if (b->core[core].backend != &hd_backend_emu ||
	    !(hd_header(b)->flags & TESSERA_BOOT_STRICT))
		return NULL;
	if (addr >= TESSERA_ADDR_MPB && addr < TESSERA_ADDR_MPB + TESSERA_MPB_WINDOW_BYTES) {
		uint64_t off = addr - TESSERA_ADDR_MPB, stride = tessera_tile_stride(&b->geom);

		if (off / stride < tessera_tiles(&b->geom) && off % stride < mpb)
			return "the MPB";
		return NULL;
	}
	if (addr >= view + TESSERA_ADDR_OWN_MPB && addr < view + TESSERA_ADDR_OWN_MPB + mpb)
		return "the MPB (own tile's alias)";
	if (addr >= TESSERA_ADDR_SHARED &&
	    addr < TESSERA_ADDR_SHARED + ((uint64_t)b->geom.shared_mb << 20))
		return "mpb-channels' shared DRAM";
	return NULL;
}

void hd_fault_abort(struct hd_board *b, uint32_t rank, uint32_t core, int code,
		    struct hd_job_result *res)
{
	res->end = HD_END_ABORT;
	res->status = code & 0xff;
	fill_fault(b, core, &res->fault, 0);
	snprintf(res->fault.what, sizeof(res->fault.what), "abort");
	snprintf(res->detail, sizeof(res->detail), "rank %u called MPI_Abort with error code %d",
		 rank, code);
}

void hd_fault_crash(struct hd_board *b, uint32_t core, uint32_t state, struct hd_job_result *res)
{
	struct tessera_status *st = &hd_hostwin(b, core)->status;
	uint32_t sig = st->signal;
	/* A panic, or a signal the core raised itself (abort), reports a return address. */
	int pc_is_ret = state == TESSERA_CORE_PANICKED ||
			(sig < TESSERA_SIGNAL_VECTOR && sig != SIGSEGV && sig != SIGBUS &&
			 sig != SIGILL && sig != SIGFPE);

	res->end = state == TESSERA_CORE_CRASHED ? HD_END_CRASH : HD_END_PANIC;
	fill_fault(b, core, &res->fault, pc_is_ret);
	if (state == TESSERA_CORE_PANICKED) {
		snprintf(res->fault.what, sizeof(res->fault.what), "panic");
		res->status = 128 + SIGABRT;
	} else {
		const char *bypassed = sig == SIGSEGV ? strict_bypass(b, core, st->fault_addr) : NULL;

		signal_what(sig, st->fault_addr, res->fault.what, sizeof(res->fault.what));
		if (bypassed)
			snprintf(res->fault.reason, sizeof(res->fault.reason),
				 "an access to %s at 0x%llx bypassed the coherence model under "
				 "--coherence=strict", bypassed, (unsigned long long)res->fault.addr);
		if (res->fault.stack_overflow)
			snprintf(res->fault.what, sizeof(res->fault.what), "stack overflow (SIGSEGV)");
		res->status = 128 + vector_signal(sig);
	}
}

void hd_fault_lost(struct hd_board *b, uint32_t core, int wstatus, struct hd_job_result *res)
{
	int sig = WIFSIGNALED(wstatus);

	res->end = HD_END_CRASH;
	fill_fault(b, core, &res->fault, 0);
	if (sig) {
		res->fault.signal = (uint32_t)WTERMSIG(wstatus);
		res->status = 128 + WTERMSIG(wstatus);
	} else {
		res->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 1;
		if (!res->status)
			res->status = 1;
	}
	snprintf(res->fault.what, sizeof(res->fault.what), "%s", sig ? "killed" : "lost");
	snprintf(res->fault.reason, sizeof(res->fault.reason), "the %s core ended without an exit "
		 "(%s %d)", b->core[core].backend->name, sig ? "signal" : "status",
		 sig ? WTERMSIG(wstatus) : WEXITSTATUS(wstatus));
}

HD_API int hd_job_report(const struct hd_job_result *res, char *buf, size_t n)
{
	const struct hd_fault *f;
	char where[512] = "";

	if (!res || !buf || !n)
		return hd_fail(-EINVAL, "hd_job_report: NULL argument");
	f = &res->fault;
	if (f->function[0] && f->file[0])
		snprintf(where, sizeof(where), " in %s (%s:%d)", f->function, f->file, f->line);
	else if (f->function[0])
		snprintf(where, sizeof(where), " in %s", f->function);
	switch (res->end) {
	case HD_END_CRASH:
		if (f->reason[0])
			snprintf(buf, n, "rank %u (core %u, tile %u,%u): %s at 0x%llx%s: %s",
				 f->rank, f->core, f->tile_x, f->tile_y, f->what,
				 (unsigned long long)f->pc, where, f->reason);
		else
			snprintf(buf, n, "rank %u (core %u, tile %u,%u): %s at 0x%llx%s",
				 f->rank, f->core, f->tile_x, f->tile_y, f->what,
				 (unsigned long long)(f->signal == SIGSEGV || f->signal == SIGBUS ||
						      f->signal == TESSERA_SIGNAL_VECTOR + 14 ?
						      f->addr : f->pc),
				 where);
		break;
	case HD_END_PANIC:
		snprintf(buf, n, "rank %u (core %u, tile %u,%u): panic: %s%s", f->rank, f->core,
			 f->tile_x, f->tile_y, f->reason, where);
		break;
	case HD_END_ABORT:
	case HD_END_TIMEOUT:
	case HD_END_DEADLOCK:
	case HD_END_INTERRUPT:
	case HD_END_ERROR:
		snprintf(buf, n, "%s", res->detail);
		break;
	default:
		snprintf(buf, n, "%s", res->status ? res->detail : "");
		break;
	}
	/* the call chain, a frame a line, under the crash or the panic */
	if ((res->end == HD_END_CRASH || res->end == HD_END_PANIC) && f->chain[0]) {
		const char *p = f->chain;

		while (*p) {
			const char *e = strchr(p, '\n');
			size_t len = strnlen(buf, n), k = e ? (size_t)(e - p) : strlen(p);

			if (len + 1 < n)
				snprintf(buf + len, n - len, "\n  %.*s", (int)k, p);
			p += k + (e ? 1 : 0);
		}
	}
	return 0;
}
