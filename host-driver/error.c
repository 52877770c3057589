// SPDX-License-Identifier: MIT
/* error.c: the one place where a failure's explanation is kept (per thread), the version, and
 * the appending printf that the reports (deadlock chains, call chains) are written with. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "hd_impl.h"

static _Thread_local char last[1024];

int hd_fail(int err, const char *fmt, ...)
{
	char tmp[sizeof(last)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);	/* fmt may print hd_last_error() itself */
	va_end(ap);
	snprintf(last, sizeof(last), "%s", tmp);
	return err;
}

HD_API const char *hd_last_error(void)
{
	return last;
}

HD_API const char *hd_version(void)
{
	return TESSERA_VERSION_STRING;
}

void hd_appendf(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strnlen(buf, n);
	va_list ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}
