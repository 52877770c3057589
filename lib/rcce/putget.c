// SPDX-License-Identifier: MIT
/*
 * putget.c: RCCE_put and RCCE_get, the one-sided copies between a UE's private memory (or
 * its own MPB) and the same offset of any UE's MPB. A get invalidates first, so it reads
 * what is in the MPB now; a put drains the WCB last, so its data is in the MPB when it
 * returns (RCCE wrote a dummy line for that). The gory API checks its arguments as RCCE
 * does; the simplified API keeps the calls for the library and does not.
 */
#include "rcce_impl.h"

#define BOUNCE 256	/* MPB-to-MPB copies go through private memory in pieces this big */

static int check(t_vcharp mpb, t_vcharp other, int n, int ue, int mpb_err, int other_err,
		 int *both)
{
	t_vcharp b = RCCE_comm_buffer[RCCE_IAM];

	if (!mpb)
		return mpb_err;
	if (!other)
		return other_err;
	if (ue < 0 || ue >= RCCE_NP)
		return RCCE_ERROR_ID;
	if (n < 0 || n % RCCE_LINE_SIZE)
		return RCCE_ERROR_MESSAGE_LENGTH;
	if (!rcce_in_buffer(mpb, (size_t)n))
		return mpb_err;
	if ((mpb - b) % RCCE_LINE_SIZE)
		return RCCE_ERROR_ALIGNMENT;
	*both = rcce_in_buffer(other, (size_t)n);
	if (*both) {
		if ((other - b) % RCCE_LINE_SIZE)
			return RCCE_ERROR_ALIGNMENT;
		if (other < mpb + n && mpb < other + n)
			return RCCE_ERROR_DATA_OVERLAP;
	}
	return RCCE_SUCCESS;
}

/* Copy n bytes from core address `from` (an MPB) to core address `to` (an MPB). */
static void mpb_to_mpb(uintptr_t to, uintptr_t from, size_t n)
{
	unsigned char tmp[BOUNCE];

	for (size_t off = 0; off < n; off += BOUNCE) {
		size_t k = n - off < BOUNCE ? n - off : BOUNCE;

		rcce_copy_from_mpb(tmp, from + off, k);
		rcce_copy_to_mpb(to + off, tmp, k);
	}
}

int RCCE_put(t_vcharp target, t_vcharp source, int n, int ue)
{
	int both = 0;
#ifdef GORY
	int err = check(target, source, n, ue, RCCE_ERROR_TARGET, RCCE_ERROR_SOURCE, &both);

	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
#else
	(void)check;
	both = rcce_in_buffer(source, (size_t)n);
#endif
	if (both) {
		rcce_invalidate();
		mpb_to_mpb(rcce_at(target, ue), (uintptr_t)source, (size_t)n);
	} else {
		rcce_copy_to_mpb(rcce_at(target, ue), (const void *)source, (size_t)n);
	}
	rcce_flush();
	return RCCE_SUCCESS;
}

int RCCE_get(t_vcharp target, t_vcharp source, int n, int ue)
{
	int both = 0;
#ifdef GORY
	int err = check(source, target, n, ue, RCCE_ERROR_SOURCE, RCCE_ERROR_TARGET, &both);

	if (err)
		return RCCE_error_return(RCCE_debug_comm, err);
#else
	both = rcce_in_buffer(target, (size_t)n);
#endif
	rcce_invalidate();
	if (both) {
		mpb_to_mpb((uintptr_t)target, rcce_at(source, ue), (size_t)n);
		rcce_flush();
	} else {
		rcce_copy_from_mpb((void *)target, rcce_at(source, ue), (size_t)n);
	}
	return RCCE_SUCCESS;
}
