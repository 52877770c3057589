// SPDX-License-Identifier: MIT
/*
 * boot.c: from the arch entry to main(): checks the boot info the host wrote below the image,
 * builds argv and the environment from its strings, runs main and exits with its status.
 * Also the boot-info accessors of tk.h.
 */
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"
#include "tessera/tile.h"

extern int main(int argc, char **argv, char **envp);
extern char **environ;

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

uint32_t tk_flags(void)
{
	return tk_bi()->flags;
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

__attribute__((noreturn)) void tk_start(void)
{
	const struct tessera_bootinfo *bi = tk_bi();
	static const char bad[] = "tessera: tile kernel: bad boot info\n";

	if (bi->magic != TESSERA_BOOTINFO_MAGIC || bi->version != TESSERA_LAYOUT_VERSION ||
	    bi->strings_off + bi->strings_bytes > TESSERA_BOOTINFO_BYTES) {
		arch_early_write(bad, sizeof(bad) - 1);
		arch_stop(127);
	}
	__atomic_store_n(&tk_hostwin()->status.state, TESSERA_CORE_RUNNING, __ATOMIC_RELEASE);

	const char *s = (const char *)bi + bi->strings_off;
	const char *end = s + bi->strings_bytes;
	char *argv[bi->argc + 1];
	char *envp[bi->envc + 1];

	s = split_strings(s, end, argv, bi->argc);
	split_strings(s, end, envp, bi->envc);
	environ = envp;
	exit(main((int)bi->argc, argv, envp));
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
