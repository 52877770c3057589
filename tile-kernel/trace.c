// SPDX-License-Identifier: MIT
/* trace.c: per-core trace ring in the host window (filled in by the tracing work). */
#include "tk.h"
