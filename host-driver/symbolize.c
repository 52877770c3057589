// SPDX-License-Identifier: MIT
/* symbolize.c: function, file and line of an address in a tile image, with elfutils' libdwfl. */
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

void hd_symbolize(const char *image, uint64_t pc, char *func, size_t func_n, char *file,
		  size_t file_n, int *line)
{
	Dwfl *dwfl = dwfl_begin(&callbacks);
	Dwfl_Module *mod;
	Dwfl_Line *l;
	const char *name, *src;
	int lineno = 0;

	*func = 0;
	*file = 0;
	*line = 0;
	if (!dwfl)
		return;
	if (!dwfl_report_offline(dwfl, "", image, -1))
		goto out;
	dwfl_report_end(dwfl, NULL, NULL);
	mod = dwfl_addrmodule(dwfl, pc);
	if (!mod)
		goto out;
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
out:
	dwfl_end(dwfl);
}
