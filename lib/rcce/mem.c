// SPDX-License-Identifier: MIT
/*
 * mem.c: the memory protocol of RCCE on a non-coherent board, in one place: invalidate
 * before reading what another core wrote (CL1INVMB), drain the write-combining buffer
 * before telling anyone (RCCE wrote a dummy line for it; tessera has tk_wcb_flush), wake
 * a core that may be halted waiting, and the copies in and out of the MPBs. The study
 * modes (tessera run --break=invalidate|flush) leave the first two steps out, so that
 * under --coherence=strict a program then fails as it would on the chip.
 */
#include "rcce_impl.h"

void rcce_invalidate(void)
{
	if (!(rcce_self.brk & TESSERA_BOOT_BREAK_INV))
		tk_cl1invmb();
}

void RC_cache_invalidate(void)
{
	rcce_invalidate();
}

void rcce_flush(void)
{
	if (!(rcce_self.brk & TESSERA_BOOT_BREAK_FLUSH))
		tk_wcb_flush();
}

void rcce_wake(int ue)
{
	uint32_t core;

	if (ue < 0 || ue >= RCCE_NP || ue == RCCE_IAM)
		return;
	core = (uint32_t)RC_COREID[ue];
	/* tk_core_halted fences: our flushed writes are visible before we look (tk.h). */
	if (tk_core_halted(core))
		tk_core_wake(core);
}

void rcce_copy_to_mpb(uintptr_t mpb, const void *src, size_t n)
{
	if (n)
		tk_mpb_write(mpb, src, n);
}

void rcce_copy_from_mpb(void *dst, uintptr_t mpb, size_t n)
{
	if (n)
		tk_mpb_read(dst, mpb, n);
}

void RCCE_fence(void)
{
	rcce_flush();
}

int RCCE_acquire_lock(int ue)
{
	if (ue < 0 || ue >= RCCE_NP)
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_ID);
	tk_lock_acquire((uint32_t)RC_COREID[ue]);
	return RCCE_SUCCESS;
}

int RCCE_release_lock(int ue)
{
	if (ue < 0 || ue >= RCCE_NP)
		return RCCE_error_return(RCCE_debug_synch, RCCE_ERROR_ID);
	tk_lock_release((uint32_t)RC_COREID[ue]);
	return RCCE_SUCCESS;
}

void rcce_note(int send, int peer, size_t bytes, int begin)
{
	if (!begin) {
		if (send)
			tk_count_send(bytes);
		else
			tk_count_recv(bytes);
	}
	if (tk_tracing())
		tk_trace(send ? (begin ? TESSERA_TR_SEND_BEGIN : TESSERA_TR_SEND_END) :
			 (begin ? TESSERA_TR_RECV_BEGIN : TESSERA_TR_RECV_END), peer, 0, 0, bytes);
}
