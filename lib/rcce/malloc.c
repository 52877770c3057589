// SPDX-License-Identifier: MIT
/*
 * malloc.c: RCCE's allocators. The MPB one: in the simplified API a running pointer
 * (flags are taken from the bottom of the comm buffer, the payload buffer of RCCE_send is
 * what remains above them); in the gory API a first-fit allocator the programmer uses for
 * buffers and flags. RCCE_shmalloc hands out shared DRAM the same way. All are symmetric:
 * every UE must make the same calls in the same order (as on the SCC).
 */
#include "rcce_impl.h"

#ifndef GORY
RCCE_PER_CORE t_vcharp RCCE_buff_ptr;
RCCE_PER_CORE size_t RCCE_chunk;
RCCE_PER_CORE t_vcharp RCCE_flags_start;
#else
static RCCE_PER_CORE struct rcce_heap mpb_heap;
#endif
static RCCE_PER_CORE struct rcce_heap shm_heap;

void RCCE_malloc_init(t_vcharp mem, size_t size)
{
#ifndef GORY
	RCCE_flags_start = mem;
	RCCE_buff_ptr = mem;
	RCCE_chunk = size - size % RCCE_LINE_SIZE;
#else
	rcce_heap_init(&mpb_heap, (uintptr_t)mem, size);
#endif
}

#ifndef GORY

t_vcharp RCCE_malloc(size_t size)
{
	t_vcharp p;

	/* a running pointer: whole lines only, and something must be left for payload */
	if (!size || size % RCCE_LINE_SIZE || size >= RCCE_chunk)
		return NULL;
	p = RCCE_flags_start;
	RCCE_flags_start += size;
	RCCE_buff_ptr += size;
	RCCE_chunk -= size;
	return p;
}

t_vcharp RCCE_malloc_request(size_t size, size_t *chunk)
{
	t_vcharp p = NULL;

	size = PAD32byte(size);
	while (size >= RCCE_LINE_SIZE && !(p = RCCE_malloc(size)))
		size = size / 2 - (size / 2) % RCCE_LINE_SIZE;
	if (chunk)
		*chunk = p ? size : 0;
	return p;
}

void RCCE_free(t_vcharp p)
{
	(void)p;	/* the running pointer never goes back, as in RCCE */
}

#else

t_vcharp RCCE_malloc(size_t size)
{
	return (t_vcharp)rcce_heap_alloc(&mpb_heap, size);
}

t_vcharp RCCE_malloc_request(size_t size, size_t *chunk)
{
	uintptr_t p = 0;

	size = PAD32byte(size);
	while (size >= RCCE_LINE_SIZE && !(p = rcce_heap_alloc(&mpb_heap, size)))
		size = size / 2 - (size / 2) % RCCE_LINE_SIZE;
	if (chunk)
		*chunk = p ? size : 0;
	return (t_vcharp)p;
}

void RCCE_free(t_vcharp p)
{
	if (p && rcce_heap_free(&mpb_heap, (uintptr_t)p))
		RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_MALLOC);
}

#endif

void RCCE_shmalloc_init(t_vcharp mem, size_t size)
{
	rcce_heap_init(&shm_heap, (uintptr_t)mem, size);
}

t_vcharp RCCE_shmalloc(size_t size)
{
	return (t_vcharp)rcce_heap_alloc(&shm_heap, size);
}

void RCCE_shfree(t_vcharp p)
{
	if (p && rcce_heap_free(&shm_heap, (uintptr_t)p))
		RCCE_error_return(RCCE_debug_comm, RCCE_ERROR_MALLOC);
}

void RCCE_shflush(void)
{
	/* Shared memory is MPB-typed here too: make our writes visible, drop stale lines. */
	rcce_flush();
	rcce_invalidate();
}
