// SPDX-License-Identifier: MIT
/*
 * heap.c: a first-fit allocator of whole MPB lines, the same on every UE: RCCE's MPB and
 * shared-memory allocations are symmetric (every UE makes the same calls in the same order
 * and gets the same offsets), so the allocator must be a pure function of the calls. The
 * blocks are kept sorted by offset in a fixed array; no heap of the host libc is used.
 */
#include <errno.h>
#include <string.h>
#include "rcce_impl.h"

void rcce_heap_init(struct rcce_heap *h, uintptr_t base, size_t bytes)
{
	memset(h, 0, sizeof(*h));
	h->base = base;
	h->bytes = bytes - bytes % RCCE_LINE_SIZE;
	if (h->bytes > UINT32_MAX)
		h->bytes = UINT32_MAX - UINT32_MAX % RCCE_LINE_SIZE;
	h->n = 1;
	h->blk[0].len = (uint32_t)h->bytes;
}

static void drop(struct rcce_heap *h, uint32_t i)
{
	memmove(&h->blk[i], &h->blk[i + 1], (h->n - i - 1) * sizeof(h->blk[0]));
	h->n--;
}

uintptr_t rcce_heap_alloc(struct rcce_heap *h, size_t bytes)
{
	size_t need = PAD32byte(bytes);

	if (!bytes || need > h->bytes)
		return 0;
	for (uint32_t i = 0; i < h->n; i++) {
		if (h->blk[i].used || h->blk[i].len < need)
			continue;
		if (h->blk[i].len > need && h->n < RCCE_HEAP_BLOCKS) {
			memmove(&h->blk[i + 2], &h->blk[i + 1], (h->n - i - 1) * sizeof(h->blk[0]));
			h->n++;
			h->blk[i + 1].off = h->blk[i].off + (uint32_t)need;
			h->blk[i + 1].len = h->blk[i].len - (uint32_t)need;
			h->blk[i + 1].used = 0;
			h->blk[i].len = (uint32_t)need;
		}
		h->blk[i].used = 1;
		return h->base + h->blk[i].off;
	}
	return 0;
}

size_t rcce_heap_largest(const struct rcce_heap *h)
{
	size_t best = 0;

	for (uint32_t i = 0; i < h->n; i++)
		if (!h->blk[i].used && h->blk[i].len > best)
			best = h->blk[i].len;
	return best;
}

int rcce_heap_free(struct rcce_heap *h, uintptr_t p)
{
	for (uint32_t i = 0; i < h->n; i++) {
		if (h->base + h->blk[i].off != p || !h->blk[i].used)
			continue;
		h->blk[i].used = 0;
		if (i + 1 < h->n && !h->blk[i + 1].used) {
			h->blk[i].len += h->blk[i + 1].len;
			drop(h, i + 1);
		}
		if (i > 0 && !h->blk[i - 1].used) {
			h->blk[i - 1].len += h->blk[i].len;
			drop(h, i);
		}
		return 0;
	}
	return -EINVAL;
}
