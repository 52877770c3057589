// SPDX-License-Identifier: MIT
/*
 * boot.c: from the arch entry to main(): checks the boot info the host wrote below the image,
 * builds argv and the environment from its strings (adding the rank variables a launcher sets),
 * runs the constructors, main, then exit: the atexit handlers and the destructors. Also the
 * boot-info accessors of tk.h.
 */
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"
#include "tessera/tile.h"

extern int main(int argc, char **argv, char **envp);
extern char **environ;

/* From the linker script (tile.ld of each arch). */
typedef void (*tk_ctor_fn)(int, char **, char **);
extern tk_ctor_fn __preinit_array_start[], __preinit_array_end[];
extern tk_ctor_fn __init_array_start[], __init_array_end[];
extern void (*__fini_array_start[])(void), (*__fini_array_end[])(void);

uintptr_t tk_view_base;
struct tessera_bootinfo tk_boot;

const struct tessera_bootinfo *tk_bootinfo(void)
{
	return tk_bi();
}

const struct tessera_geom *tk_geom(void)
{
	return &tk_bi()->geom;
}

uint32_t tk_core(void)
{
	return tk_bi()->core;
}

uint32_t tk_rank(void)
{
	return tk_bi()->rank;
}

uint32_t tk_nranks(void)
{
	return tk_bi()->nranks;
}

uint32_t tk_rank_core(uint32_t rank)
{
	if (rank >= tk_bi()->nranks)
		tk_panic("tk_rank_core: rank %u of %u", rank, tk_bi()->nranks);
	return tk_bi()->rank_core[rank];
}

uintptr_t tk_own_addr(uint32_t scc_addr)
{
	return tk_view_base + scc_addr;
}

uint32_t tk_flags(void)
{
	return tk_bi()->flags;
}

uint32_t tk_appnum(void)
{
	return tk_bi()->appnum;
}

/* A host older than the field leaves it 0: the job's ranks are then all we know of. */
uint32_t tk_universe(void)
{
	return tk_bi()->universe ? tk_bi()->universe : tk_bi()->nranks;
}

/* Split the NUL-separated strings into vec[0..n-1]; returns the byte after the last one. */
static const char *split_strings(const char *p, const char *end, char **vec, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		vec[i] = (char *)p;
		while (p < end && *p)
			p++;
		if (p >= end)
			tk_panic("boot: argument strings overrun the boot info");
		p++;
	}
	vec[n] = 0;
	return p;
}

/*
 * What mpirun puts in each rank's environment and programs read before (or instead of)
 * MPI_Init: Open MPI's OMPI_COMM_WORLD_* and MPICH's PMI_* and MPI_LOCAL*. A job runs on
 * one board, one node, so the local rank is the rank. NAME=VALUE strings go into buf.
 */
static const char *const rank_vars[] = {
	"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_LOCAL_RANK", "OMPI_COMM_WORLD_NODE_RANK",
	"PMI_RANK", "MPI_LOCALRANKID",
	"OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_SIZE", "OMPI_UNIVERSE_SIZE",
	"PMI_SIZE", "MPI_LOCALNRANKS",
};
#define TK_RANK_VARS (sizeof(rank_vars) / sizeof(rank_vars[0]))
#define TK_RANK_VAR_BYTES 40	/* the longest name, '=', ten digits, NUL */

static char *put_var(char *p, const char *name, uint32_t v)
{
	char digits[10];
	int n = 0;

	while (*name)
		*p++ = *name++;
	*p++ = '=';
	do
		digits[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		*p++ = digits[--n];
	*p++ = 0;
	return p;
}

/* envp[0..envc) from the host, then the rank variables, each replacing a host entry of the
 * same name; returns the new count. */
static uint32_t add_rank_vars(char **envp, uint32_t envc, char *buf)
{
	for (uint32_t i = 0; i < TK_RANK_VARS; i++) {
		char *var = buf;
		size_t n = strlen(rank_vars[i]);
		uint32_t at = envc;

		buf = put_var(buf, rank_vars[i], i < 5 ? tk_rank() :
			      !strcmp(rank_vars[i], "OMPI_UNIVERSE_SIZE") ? tk_universe() : tk_nranks());
		for (uint32_t e = 0; e < envc; e++)
			if (!strncmp(envp[e], var, n + 1))
				at = e;
		envp[at] = var;
		if (at == envc)
			envc++;
	}
	envp[envc] = 0;
	return envc;
}

/* Destructors, last constructed first; registered with atexit before any constructor runs,
 * so they run after the handlers that constructors and main register. */
static void run_fini_array(void)
{
	for (size_t n = (size_t)(__fini_array_end - __fini_array_start); n > 0; n--)
		__fini_array_start[n - 1]();
}

__attribute__((noreturn)) void tk_start(void)
{
	const struct tessera_bootinfo *bi = (const struct tessera_bootinfo *)(tk_view_base +
									     TESSERA_ADDR_BOOTINFO);
	static const char bad[] = "tessera: tile kernel: bad boot info\n";

	if (bi->magic != TESSERA_BOOTINFO_MAGIC || bi->version != TESSERA_LAYOUT_VERSION ||
	    bi->strings_off + bi->strings_bytes > TESSERA_BOOTINFO_BYTES) {
		arch_early_write(bad, sizeof(bad) - 1);
		arch_stop(127);
	}
	memcpy(&tk_boot, bi, sizeof(tk_boot));
	__atomic_store_n(&tk_hostwin()->status.state, TESSERA_CORE_RUNNING, __ATOMIC_RELEASE);

	const char *s = (const char *)bi + bi->strings_off;
	const char *end = s + bi->strings_bytes;
	char *argv[bi->argc + 1];
	char *envp[bi->envc + TK_RANK_VARS + 1];
	char vars[TK_RANK_VARS * TK_RANK_VAR_BYTES];

	s = split_strings(s, end, argv, bi->argc);
	split_strings(s, end, envp, bi->envc);
	add_rank_vars(envp, bi->envc, vars);
	environ = envp;
	/* virtual time starts here: the boot so far is the kernel's, not the program's; under
	 * --deterministic the cores start taking turns before any constructor runs */
	tk_vt_start();
	if (tk_det_on())
		tk_det_start();
	atexit(run_fini_array);
	for (tk_ctor_fn *f = __preinit_array_start; f < __preinit_array_end; f++)
		(*f)((int)bi->argc, argv, environ);
	for (tk_ctor_fn *f = __init_array_start; f < __init_array_end; f++)
		(*f)((int)bi->argc, argv, environ);
	exit(main((int)bi->argc, argv, environ));
}

/* include/tessera/tile.h: the application's view of the same facts. */
const struct tessera_geom *tessera_geom(void)
{
	return tk_geom();
}

uint32_t tessera_core(void)
{
	return tk_core();
}

uint32_t tessera_tile_x(void)
{
	return tk_bi()->tile_x;
}

uint32_t tessera_tile_y(void)
{
	return tk_bi()->tile_y;
}

uint32_t tessera_rank(void)
{
	return tk_rank();
}

uint32_t tessera_nranks(void)
{
	return tk_nranks();
}

uint32_t tessera_rank_core(uint32_t rank)
{
	return tk_rank_core(rank);
}

uint64_t tessera_time_ns(void)
{
	return tk_time_ns();
}
