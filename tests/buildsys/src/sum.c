/* SPDX-License-Identifier: MIT */
/* sum.c: a library of one function, so that the build systems build a library too. */
#include "sum.h"

int sum_add(int a, int b)
{
	return a + b;
}
