// SPDX-License-Identifier: MIT
/* test_heap.c: lib/rcce/heap.c, the symmetric line allocator. */
#include <criterion/criterion.h>
#include <errno.h>
#include "rcce_impl.h"

/* A UE whose check fails leaves its peers waiting: the timeout turns that into a failure. */
TestSuite(heap, .timeout = 30);

Test(heap, allocates_whole_lines_first_fit)
{
	struct rcce_heap h;
	uintptr_t a, b, c;

	rcce_heap_init(&h, 0x1000, 320);
	a = rcce_heap_alloc(&h, 1);
	b = rcce_heap_alloc(&h, 33);
	cr_assert_eq(a, 0x1000);
	cr_assert_eq(b, 0x1020);	/* a took a whole line */
	c = rcce_heap_alloc(&h, 224);
	cr_assert_eq(c, 0x1060);
	cr_assert_eq(rcce_heap_alloc(&h, 1), 0);	/* full */
	cr_assert_eq(rcce_heap_alloc(&h, 0), 0);
	cr_assert_eq(rcce_heap_largest(&h), 0);
}

Test(heap, free_merges_neighbours)
{
	struct rcce_heap h;
	uintptr_t a, b, c;

	rcce_heap_init(&h, 0x100, 96);
	a = rcce_heap_alloc(&h, 32);
	b = rcce_heap_alloc(&h, 32);
	c = rcce_heap_alloc(&h, 32);
	cr_assert_eq(rcce_heap_free(&h, a), 0);
	cr_assert_eq(rcce_heap_free(&h, c), 0);
	cr_assert_eq(rcce_heap_largest(&h), 32);
	cr_assert_eq(rcce_heap_free(&h, b), 0);
	cr_assert_eq(rcce_heap_largest(&h), 96);
	cr_assert_eq(rcce_heap_alloc(&h, 96), 0x100);	/* the whole heap again */
	cr_assert_eq(h.n, 1);
	cr_assert_eq(rcce_heap_free(&h, 0x140), -EINVAL);
	cr_assert_eq(rcce_heap_free(&h, 0x100), 0);
	cr_assert_eq(rcce_heap_free(&h, 0x100), -EINVAL);	/* twice */
}

Test(heap, same_calls_same_offsets)
{
	struct rcce_heap x, y;

	rcce_heap_init(&x, 0x100000, 8192);
	rcce_heap_init(&y, 0x200000, 8192);
	for (int i = 1; i < 40; i++) {
		uintptr_t a = rcce_heap_alloc(&x, (size_t)i * 13);
		uintptr_t b = rcce_heap_alloc(&y, (size_t)i * 13);

		cr_assert_eq(a ? a - x.base : 0, b ? b - y.base : 0);
		if (i % 3 == 0 && a) {
			rcce_heap_free(&x, a);
			rcce_heap_free(&y, b);
		}
	}
}
