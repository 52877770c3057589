// SPDX-License-Identifier: MIT
/*
 * hostcall.c: synchronous calls to the host tool through the mailbox of this core's host
 * window. The core fills the request and bumps req_seq last; the host answers and sets
 * resp_seq = req_seq last, then interrupts the core, which halts meanwhile without a
 * timeout: the host's interrupt is the only wake-up it needs (no polling).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"

/* The wire carries Newlib's open flags and errno values unchanged (board.h names them). */
_Static_assert(O_ACCMODE == TESSERA_O_ACCMODE && O_APPEND == TESSERA_O_APPEND &&
	       O_CREAT == TESSERA_O_CREAT && O_TRUNC == TESSERA_O_TRUNC &&
	       O_EXCL == TESSERA_O_EXCL, "open flags on the wire");
_Static_assert(ENOSYS == TESSERA_ENOSYS && ENOTEMPTY == TESSERA_ENOTEMPTY &&
	       ENAMETOOLONG == TESSERA_ENAMETOOLONG && ELOOP == TESSERA_ELOOP &&
	       EOPNOTSUPP == TESSERA_EOPNOTSUPP && ERANGE == TESSERA_ERRNO_SAME_BELOW - 1,
	       "errno values on the wire");

static int answered(const void *seq)
{
	return __atomic_load_n(&tk_hostwin()->hostcall.resp_seq, __ATOMIC_ACQUIRE) ==
	       *(const uint32_t *)seq;
}

int64_t tk_hostcall(uint32_t op, const int64_t arg[6], const void *in, size_t in_n,
		    void *out, size_t out_n)
{
	volatile struct tessera_hostcall *hc = &tk_hostwin()->hostcall;
	uint32_t seq;

	if (in_n > TESSERA_HOSTCALL_DATA || out_n > TESSERA_HOSTCALL_DATA)
		return -EINVAL;
	tk_dist_ship();		/* the core may wait long: what it handed off leaves first */
	if (in_n)
		memcpy((void *)hc->data, in, in_n);
	hc->op = op;
	for (int i = 0; i < 6; i++)
		hc->arg[i] = arg ? arg[i] : 0;
	seq = hc->req_seq + 1;
	__atomic_store_n(&hc->req_seq, seq, __ATOMIC_RELEASE);
	tk_wait_set(TESSERA_WAIT_HOST, -1, (int32_t)op, 0);
	tk_trace(TESSERA_TR_HOSTCALL_BEGIN, -1, (int32_t)op, 0, in_n);
	arch_host_notify();
	tk_wait_host(answered, &seq, NULL, 1);
	tk_wait_set(TESSERA_WAIT_NONE, 0, 0, 0);
	int64_t ret = hc->ret;
	tk_trace(TESSERA_TR_HOSTCALL_END, -1, (int32_t)op, 0, ret > 0 ? (uint64_t)ret : 0);
	if (ret > 0 && out_n)
		memcpy(out, (const void *)hc->data, (size_t)ret < out_n ? (size_t)ret : out_n);
	/* On a board over several hosts the host read into this host's replica of shared DRAM
	 * only: the others get the bytes from here, before anything this core does next. */
	if (ret > 0 && op == TESSERA_HC_PREADV && arg && arg[3] >= 0 && tk_dist_on()) {
		uintptr_t at = TESSERA_ADDR_SHARED + (uintptr_t)arg[3];

		tk_dist_put(at, (const void *)at, (size_t)ret);
		tk_dist_publish();
	}
	return ret;
}
