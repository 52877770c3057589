// SPDX-License-Identifier: MIT
/*
 * symbolize.c: function, file and line of an address in a tile image, and the call chain of a
 * stopped core, unwound from its registers and stack with the image's call-frame information
 * (elfutils' libdwfl), as a debugger's backtrace shows it.
 */
#include <elfutils/libdwfl.h>
#include <stdio.h>
#include <string.h>
#include "hd_impl.h"

static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

/* Function, file (its last two components) and line of pc in the module that holds it. */
static void describe(Dwfl *dwfl, uint64_t pc, char *func, size_t func_n, char *file,
		     size_t file_n, int *line)
{
	Dwfl_Module *mod;
	Dwfl_Line *l;
	const char *name, *src;
	int lineno = 0;

	*func = 0;
	*file = 0;
	*line = 0;
	mod = dwfl_addrmodule(dwfl, pc);
	if (!mod)
		return;
	name = dwfl_module_addrname(mod, pc);
	if (name)
		snprintf(func, func_n, "%s", name);
	l = dwfl_module_getsrc(mod, pc);
	if (l && (src = dwfl_lineinfo(l, NULL, &lineno, NULL, NULL, NULL))) {
		const char *base = strrchr(src, '/');
		/* keep the path short but unambiguous: the last two components */
		if (base && base > src) {
			const char *p = base - 1;
			while (p > src && *p != '/')
				p--;
			base = *p == '/' ? p + 1 : p;
		} else {
			base = src;
		}
		snprintf(file, file_n, "%s", base);
		*line = lineno;
	}
}

void hd_symbolize(const char *image, uint64_t pc, char *func, size_t func_n, char *file,
		  size_t file_n, int *line)
{
	Dwfl *dwfl = dwfl_begin(&callbacks);

	*func = 0;
	*file = 0;
	*line = 0;
	if (!dwfl)
		return;
	if (dwfl_report_offline(dwfl, "", image, -1)) {
		dwfl_report_end(dwfl, NULL, NULL);
		describe(dwfl, pc, func, func_n, file, file_n, line);
	}
	dwfl_end(dwfl);
}

/* ---- call chains ---- */

struct unwind {
	const struct hd_unwind_core *uc;
	uint64_t regs[TESSERA_FAULT_REGS];
	char *out;
	size_t n;
	int frames;
	uint64_t first_pc;	/* the first frame outside the raisers (hd_backtrace) */
	int first_ret;		/* ...whose pc is a return address */
};

/* The core runs its own windows at its view base: unwind it in its SCC addresses, where the
 * image is linked, by taking the view off every value that points into its view. */
static uint64_t scc(const struct hd_unwind_core *uc, uint64_t v)
{
	return uc->view && v >= uc->view && v - uc->view < (1ull << 32) ? v - uc->view : v;
}

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_arg)
{
	(void)dwfl;
	if (*thread_arg)
		return 0;
	*thread_arg = arg;
	return 1;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct unwind *u = arg;
	uint64_t v;

	(void)dwfl;
	if (u->uc->read(u->uc->arg, addr, &v))
		return false;
	*result = scc(u->uc, v);
	return true;
}

static bool initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct unwind *u = arg;

	return dwfl_thread_state_registers(thread, 0, TESSERA_FAULT_REGS, u->regs);
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.memory_read = memory_read,
	.set_initial_registers = initial_registers,
};

/* What raises a signal or a panic on a core's own behalf: not where it went wrong. */
static int raiser(const char *func)
{
	static const char *const names[] = { "kill", "_kill_r", "raise", "_raise_r", "abort",
		"__assert_func", "__assert", "tk_panic", "arch_regs_here", NULL };

	for (int i = 0; names[i]; i++)
		if (!strcmp(func, names[i]))
			return 1;
	return 0;
}

static int frame_cb(Dwfl_Frame *frame, void *arg)
{
	struct unwind *u = arg;
	Dwarf_Addr pc;
	bool activation;
	char func[128], file[256];
	int line;

	if (!dwfl_frame_pc(frame, &pc, &activation) || u->frames >= HD_MAX_FRAMES)
		return DWARF_CB_ABORT;
	/* a return address is one past its call: look up the call */
	describe(dwfl_thread_dwfl(dwfl_frame_thread(frame)), activation ? pc : pc - 1, func,
		 sizeof(func), file, sizeof(file), &line);
	hd_appendf(u->out, u->n, "#%-2d 0x%llx in %s", u->frames, (unsigned long long)pc,
	    func[0] ? func : "??");
	if (file[0])
		hd_appendf(u->out, u->n, " (%s:%d)", file, line);
	hd_appendf(u->out, u->n, "\n");
	if (!u->first_pc && func[0] && !raiser(func)) {
		u->first_pc = pc;
		u->first_ret = !activation;
	}
	u->frames++;
	return DWARF_CB_OK;
}

int hd_backtrace(const struct hd_unwind_core *uc, const uint64_t *regs, char *out, size_t n,
		 uint64_t *first_pc, int *first_ret)
{
	Dwfl *dwfl = dwfl_begin(&callbacks);
	struct unwind u = { .uc = uc, .out = out, .n = n };

	*out = 0;
	*first_pc = 0;
	if (!dwfl)
		return 0;
	for (unsigned i = 0; i < TESSERA_FAULT_REGS; i++)
		u.regs[i] = scc(uc, regs[i]);
	if (dwfl_report_offline(dwfl, "", uc->image, -1) &&
	    !dwfl_report_end(dwfl, NULL, NULL) &&
	    dwfl_attach_state(dwfl, NULL, 1, &thread_callbacks, &u))
		dwfl_getthread_frames(dwfl, 1, frame_cb, &u);
	dwfl_end(dwfl);
	*first_pc = u.first_pc;
	*first_ret = u.first_ret;
	return u.frames;
}
