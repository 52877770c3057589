// SPDX-License-Identifier: MIT
/*
 * flags.c: RCCE's synchronisation flags. A flag lives at the same offset of every UE's
 * MPB (allocated symmetrically with RCCE_malloc); writing flag f "on UE i" writes that
 * offset of UE i's MPB, and a UE waits only on flags of its own MPB.
 *  - Whole-line flags (default): a flag is one MPB line of its own, the value its first
 *    word, written with one store, so no lock is needed and no neighbour is disturbed.
 *  - SINGLEBITFLAGS: 256 flags share a line, one bit each (bit 7 - loc % 8 of byte loc / 8,
 *    as RCCE numbers them); a write takes the test-and-set lock of the UE that holds the
 *    line, re-reads the byte after an invalidate, changes the bit and writes the byte back.
 * Every write is flushed and then wakes the UE it was written on, if that UE may be halted.
 */
#include <errno.h>
#include "rcce_impl.h"

/* 0, RCCE_ERROR_FLAG_UNDEFINED (none) or RCCE_ERROR_FLAG_NOT_IN_COMM_BUFFER. */
static int flag_check(const RCCE_FLAG *f);

static int status_ok(RCCE_FLAG_STATUS v)
{
	return v == RCCE_FLAG_SET || v == RCCE_FLAG_UNSET;
}

#ifdef SINGLEBITFLAGS

int WORDSIZE = sizeof(int) * 8;
int LEFTMOSTBIT = sizeof(int) * 8 - 1;
RCCE_PER_CORE RCCE_FLAG_LINE RCCE_flags;

RCCE_FLAG_STATUS RCCE_bit_value(t_vcharp line, int loc)
{
	return (line[loc / 8] >> (7 - loc % 8)) & 1;
}

RCCE_FLAG_STATUS RCCE_flip_bit_value(t_vcharp line, int loc)
{
	line[loc / 8] ^= (unsigned char)(1u << (7 - loc % 8));
	return RCCE_bit_value(line, loc);
}

int RCCE_write_bit_value(t_vcharp line, int loc, RCCE_FLAG_STATUS v)
{
	unsigned char m = (unsigned char)(1u << (7 - loc % 8));

	line[loc / 8] = v == RCCE_FLAG_SET ? (line[loc / 8] | m) : (line[loc / 8] & ~m);
	return RCCE_SUCCESS;
}

int rcce_flag_valid(const RCCE_FLAG *f)
{
	return f && f->line_address && f->location >= 0 && f->location < RCCE_FLAGS_PER_LINE &&
	       rcce_in_buffer(f->line_address, RCCE_LINE_SIZE);
}

RCCE_FLAG_STATUS rcce_flag_get(RCCE_FLAG f, int ue)
{
	unsigned char byte;

	rcce_invalidate();
	rcce_copy_from_mpb(&byte, rcce_at(f.line_address, ue) + (uintptr_t)(f.location / 8), 1);
	return RCCE_bit_value(&byte, f.location % 8);
}

void rcce_flag_set(RCCE_FLAG *f, RCCE_FLAG_STATUS v, int ue)
{
	uintptr_t at = rcce_at(f->line_address, ue) + (uintptr_t)(f->location / 8);
	unsigned char byte;

	RCCE_acquire_lock(ue);
	rcce_invalidate();
	rcce_copy_from_mpb(&byte, at, 1);
	RCCE_write_bit_value(&byte, f->location % 8, v);
	rcce_copy_to_mpb(at, &byte, 1);
	rcce_flush();
	RCCE_release_lock(ue);
	rcce_wake(ue);
}

int RCCE_flag_alloc(RCCE_FLAG *flag)
{
	RCCE_FLAG_LINE *l = &RCCE_flags;

	if (!flag)
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_FLAG_UNDEFINED);
	while (l->members == RCCE_FLAGS_PER_LINE && l->next)
		l = l->next;
	if (l->members == RCCE_FLAGS_PER_LINE) {
		RCCE_FLAG_LINE *n = calloc(1, sizeof(*n));

		if (!n)
			return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_FLAG_NOT_ALLOCATED);
		l->next = n;
		l = n;
	}
	if (!l->line_address && !(l->line_address = RCCE_malloc(RCCE_LINE_SIZE)))
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_FLAG_NOT_ALLOCATED);
	for (int loc = 0; loc < RCCE_FLAGS_PER_LINE; loc++) {
		if (!RCCE_bit_value((t_vcharp)l->flag, loc)) {
			RCCE_flip_bit_value((t_vcharp)l->flag, loc);
			l->members++;
			flag->location = loc;
			flag->line_address = l->line_address;
			return RCCE_SUCCESS;
		}
	}
	return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_FLAG_NOT_ALLOCATED);
}

int RCCE_flag_free(RCCE_FLAG *flag)
{
	RCCE_FLAG_LINE *l = &RCCE_flags, *prev = NULL;

	if (!flag || flag->location < 0 || flag->location >= RCCE_FLAGS_PER_LINE)
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_FLAG_UNDEFINED);
	while (l && l->line_address != flag->line_address) {
		prev = l;
		l = l->next;
	}
	if (!l || !RCCE_bit_value((t_vcharp)l->flag, flag->location))
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_FLAG_NOT_ALLOCATED);
	RCCE_flip_bit_value((t_vcharp)l->flag, flag->location);
	if (--l->members == 0 && prev) {
		/* an emptied line other than the first goes back to the allocator */
		RCCE_free(l->line_address);
		prev->next = l->next;
		free(l);
	}
	flag->location = -1;
	flag->line_address = NULL;
	return RCCE_SUCCESS;
}

#else /* whole-line flags */

int rcce_flag_valid(const RCCE_FLAG *f)
{
	return f && *f && rcce_in_buffer((t_vcharp)*f, RCCE_LINE_SIZE) &&
	       ((t_vcharp)*f - RCCE_comm_buffer[RCCE_IAM]) % RCCE_LINE_SIZE == 0;
}

RCCE_FLAG_STATUS rcce_flag_get(RCCE_FLAG f, int ue)
{
	rcce_invalidate();
	return (RCCE_FLAG_STATUS)tk_mpb_read32(rcce_at((t_vcharp)f, ue));
}

void rcce_flag_set(RCCE_FLAG *f, RCCE_FLAG_STATUS v, int ue)
{
	tk_mpb_write32(rcce_at((t_vcharp)*f, ue), (uint32_t)v);
	rcce_flush();
	rcce_wake(ue);
}

int RCCE_flag_alloc(RCCE_FLAG *flag)
{
	if (!flag)
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_FLAG_UNDEFINED);
	*flag = (RCCE_FLAG)RCCE_malloc(RCCE_LINE_SIZE);
	if (!*flag)
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_FLAG_NOT_ALLOCATED);
	return RCCE_SUCCESS;
}

int RCCE_flag_free(RCCE_FLAG *flag)
{
	if (!flag || !*flag)
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_FLAG_UNDEFINED);
	RCCE_free((t_vcharp)*flag);
	*flag = NULL;
	return RCCE_SUCCESS;
}

#endif

static int flag_check(const RCCE_FLAG *f)
{
#ifdef SINGLEBITFLAGS
	if (!f || !f->line_address || f->location < 0 || f->location >= RCCE_FLAGS_PER_LINE)
		return RCCE_ERROR_FLAG_UNDEFINED;
#else
	if (!f || !*f)
		return RCCE_ERROR_FLAG_UNDEFINED;
#endif
	return rcce_flag_valid(f) ? RCCE_SUCCESS : RCCE_ERROR_FLAG_NOT_IN_COMM_BUFFER;
}

int RCCE_flag_write(RCCE_FLAG *flag, RCCE_FLAG_STATUS v, int ue)
{
	int err = flag_check(flag);

	if (err)
		return RCCE_error_return(RCCE_debug_synch, err);
	if (!status_ok(v))
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_FLAG_STATUS_UNDEFINED);
	if (ue < 0 || ue >= RCCE_NP)
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_ID);
	rcce_flag_set(flag, v, ue);
	return RCCE_SUCCESS;
}

int RCCE_flag_read(RCCE_FLAG flag, RCCE_FLAG_STATUS *v, int ue)
{
	int err = flag_check(&flag);

	if (err)
		return RCCE_error_return(RCCE_debug_synch, err);
	if (!v)
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_VAL_UNDEFINED);
	if (ue < 0 || ue >= RCCE_NP)
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_ID);
	*v = rcce_flag_get(flag, ue);
	return RCCE_SUCCESS;
}

struct flag_wait {
	RCCE_FLAG f;
	RCCE_FLAG_STATUS v;
};

static int flag_is(void *p)
{
	struct flag_wait *w = p;

	return rcce_flag_get(w->f, RCCE_IAM) == w->v;
}

void rcce_flag_wait(RCCE_FLAG f, RCCE_FLAG_STATUS v, uint32_t kind, int peer)
{
	struct flag_wait w = { f, v };

	rcce_wait(flag_is, &w, kind, peer);
}

int RCCE_wait_until(RCCE_FLAG flag, RCCE_FLAG_STATUS v)
{
	int err = flag_check(&flag);

	if (err)
		return RCCE_error_return(RCCE_debug_synch, err);
	if (!status_ok(v))
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_FLAG_STATUS_UNDEFINED);
	rcce_flag_wait(flag, v, TESSERA_WAIT_RECV, -1);
	return RCCE_SUCCESS;
}

int RCCE_probe(RCCE_FLAG flag)
{
	return rcce_flag_get(flag, RCCE_IAM) == RCCE_FLAG_SET;
}
