/* SPDX-License-Identifier: MIT */
/*
 * mpbc.h: point-to-point messages between cores through the on-chip MPBs. Tile side only.
 *
 * Contract (the interface the MPI shim and the RCCE layer build on):
 *  - Messages between an ordered pair of cores arrive complete, unaltered and in the order
 *    they were sent; any length from 0 bytes up; a core may send to itself.
 *  - Each message carries a 16-byte envelope (struct mpbc_env) that the channel does not
 *    interpret: the MPI shim puts its context id, tag and kind there.
 *  - Requests (struct mpbc_send, struct mpbc_recv) are owned by the caller and must stay in
 *    place, untouched, until their test returns 0. The buffers too.
 *  - Progress happens only inside mpbc_* calls. mpbc_progress() advances every pending
 *    request of this core; the tests call it.
 *  - No heap allocation on any path.
 *  - No message counters: the layer that defines the messages a program sends (lib/mpi,
 *    or a program that uses the channels directly) counts them with tk_count_send and
 *    tk_count_recv, so that `tessera ps` and `top` count every message once.
 *  - Errors: -EINVAL (bad core, NULL), -EAGAIN (not yet: an expected result), -EBUSY
 *    (a receive already in progress on that source), -EPROTO (corrupt channel state
 *    seen in an MPB: data from another core is input and is checked).
 *
 * Memory (details in mpbc_impl.h and docs/channels.md): each core's MPB share holds a
 * control line, one ack word per rank and one ring per sending rank (S slots of a header
 * line and P payload lines, S and P set by the number of ranks); payloads too big for the
 * inline lines travel through bulk chunks in shared DRAM, S per ordered pair. mpb-channels
 * owns the first mpbc_shared_bytes() bytes of shared DRAM (at most half of it) from
 * mpbc_init on; upper layers may use the rest. Jobs too big for the MPBs (fewer than two
 * lines per sender) keep their rings in shared DRAM too; a job that fits nowhere gets
 * -ENOMEM from mpbc_init.
 * Ordering on the non-coherent memory: payload, flush, header with its flag last, flush;
 * the reader invalidates before it looks; S records in flight per pair, slots freed by the
 * receiver's ack word (no byte is overwritten before it is read).
 */
#ifndef MPBC_H
#define MPBC_H

#include <stddef.h>
#include <stdint.h>

#define MPBC_ANY_SOURCE (-1)

struct mpbc_env {
	uint32_t w[4];
};

/* Opaque request bodies; sized so that callers can embed them. */
struct mpbc_send {
	uint64_t opaque[12];
};

struct mpbc_recv {
	uint64_t opaque[12];
};

/* Once per core, before any other call, at the same point on every core of the job. */
int mpbc_init(void);

/* Start sending len bytes of buf with envelope env to core dst. 0: started. */
int mpbc_isend(struct mpbc_send *s, uint32_t dst, const struct mpbc_env *env,
	       const void *buf, size_t len);
/* 0 when the send is complete (buf may be reused), -EAGAIN while not. */
int mpbc_send_test(struct mpbc_send *s);

/*
 * The fast path of a short message: write all len bytes to core dst now, as one record,
 * with no request. 0: sent (complete, buf may be reused); -EAGAIN: not now (sends to dst
 * are queued, dst is not up yet, its ring is full, or len needs more than one record), and
 * the caller uses mpbc_isend; -EINVAL, -EPROTO as mpbc_isend.
 */
int mpbc_send_now(uint32_t dst, const struct mpbc_env *env, const void *buf, size_t len);

/*
 * Look at the next message waiting from core src (or from any core with
 * MPBC_ANY_SOURCE, searched fairly) without consuming it: 0 and *src, *env, *len set, or
 * -EAGAIN when no message has (started to) arrive(d). The same message is returned until
 * an mpbc_irecv on that source consumes it.
 */
int mpbc_peek(int src, uint32_t *from, struct mpbc_env *env, size_t *len);

/*
 * Consume the next message from core src (which mpbc_peek has seen) into buf: the first
 * min(len, cap) bytes are stored, the rest is discarded. 0: started.
 */
int mpbc_irecv(struct mpbc_recv *r, uint32_t src, void *buf, size_t cap);
/* 0 when the receive is complete, -EAGAIN while not. */
int mpbc_recv_test(struct mpbc_recv *r);

/*
 * The fast path of a short message: consume the next message from core src (which
 * mpbc_peek has seen) into buf now, as mpbc_irecv and its test would, with no request.
 * 0: received (min(len, cap) bytes stored); -E2BIG: the message spans several records, so
 * use mpbc_irecv; -EAGAIN: no message; -EBUSY, -EINVAL, -EPROTO as mpbc_irecv.
 */
int mpbc_recv_now(uint32_t src, void *buf, size_t cap);

/*
 * Looks and takes in one call (a receiver that decides where a message goes from its
 * envelope): the next messages from core src, or from the one core a search finds as
 * mpbc_peek searches (MPBC_ANY_SOURCE), max at most, in order. Each is shown to place(arg,
 * from, env, len, pl) before it is taken; pl->whole says whether it is one record, which is
 * then taken at once (before the next is shown), or several, which makes it the call's last.
 * place returns 0 to leave it where it is (as if it had only been peeked: the call ends) or
 * 1 to take it: into pl->buf, whose first pl->cap bytes get the message's first bytes (the
 * rest is discarded), through pl->rreq for several records (a receive, as mpbc_irecv's).
 * place may call mpbc_*, but not to receive from that core. Returns how many messages were
 * taken (the last one's receive may be in progress: mpbc_recv_test); 0: the first was left;
 * -EAGAIN: none has come; -E2BIG: the first is several records and place gave no pl->rreq
 * (nothing consumed); -EINVAL, -EPROTO as mpbc_irecv.
 */
struct mpbc_place {
	int whole;		/* set by mpbc_take: the message is one record */
	void *buf;		/* set by place */
	size_t cap;
	struct mpbc_recv *rreq;
};
typedef int mpbc_place_fn(void *arg, uint32_t from, const struct mpbc_env *env, size_t len,
			  struct mpbc_place *pl);
int mpbc_take(int src, int max, mpbc_place_fn *place, void *arg);

/* Advance all pending sends and receives of this core; returns how many moved. */
int mpbc_progress(void);

/*
 * Block until something may have changed for this core (a peer wrote to our MPB or freed
 * room we wait for): spin briefly, then halt until interrupt. Spurious returns are allowed;
 * callers loop on their condition.
 */
void mpbc_wait(void);

/*
 * mpbc_wait for a caller that expects the next message from core src (MPBC_ANY_SOURCE:
 * none in particular): it watches src's ring itself on every look, and the other sources
 * less often, so the message it waits for is seen one line read after it lands. Returns 2
 * when src's next message has started to arrive, 1 when something else moved or came (a
 * send progressed, another source wrote), 0 after an interrupt (look again), -EINVAL.
 */
int mpbc_wait_from(int src);

/*
 * Write every ack still due now. Acks go back in batches (docs/channels.md) and the rest
 * leave when this core next waits in mpbc_wait*: a caller that halts any other way (on a
 * flag of its own) calls this first, or a sender that waits for room this core made would
 * wait for ever.
 */
void mpbc_ack_flush(void);

/*
 * mpbc_wait with a limit: returns after at most timeout_ns (0: none) so that a caller can
 * watch for a lack of progress. 1: woken (or something moved), 0: timed out, -EINVAL
 * before mpbc_init.
 */
int mpbc_wait_timeout(uint64_t timeout_ns);

/*
 * Study mode: leave protocol steps out from now on, TESSERA_BOOT_BREAK_INV (no
 * invalidate) and/or TESSERA_BOOT_BREAK_FLUSH (no WCB flush); 0 restores the protocol.
 * mpbc_init starts from the boot flags. Under strict coherence a broken channel must fail.
 */
void mpbc_debug_break(uint32_t flags);

/*
 * Bytes at the top of each core's MPB share that another library linked into the same image
 * keeps for itself (lib/rcce does: docs/rcce.md); mpbc_init lays the channels out below
 * them. Such a library defines this symbol; the weak reference is NULL when none does.
 */
extern const uint32_t mpbc_mpb_reserved __attribute__((weak));

/* Bytes at the start of shared DRAM that mpb-channels owns (valid after mpbc_init). */
uint64_t mpbc_shared_bytes(void);

#endif
