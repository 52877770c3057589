/* SPDX-License-Identifier: MIT */
/*
 * replay.c: the decisions of lib/mpi that another run of the same program may take otherwise
 * (which source an any-source receive matched, what a probe found, what a call of the Test
 * family, Waitany or Waitsome returned, whether a cancel came in time), logged under --record
 * and imposed under --replay through the tile kernel's decision log (tk.h, board.h's
 * TESSERA_DEC_*). Not the calls themselves: they ask here at each decision point.
 *
 * Each decision point gets the next number of this rank, in program order, when the call
 * makes it (an any-source receive when it is posted, though it is decided when a message
 * comes), so a replay of the same program meets the same points in the same order whatever
 * its timing. A replayed point does what the recorded run did: an any-source receive becomes
 * a receive from the recorded source (the earliest message from it that matches, by MPI's
 * non-overtaking rule, is the one the recorded run matched, as every earlier receive is
 * replayed too); a probe or test that found something waits until that is there; one that
 * found nothing finds nothing. What is not logged: one-sided operations' order at a target,
 * the order of output between ranks, and a program's own use of the clock.
 */
#include "mpii_impl.h"
#include "tk.h"

static int on = -1;	/* recording or replaying: cached at the first use */

static int active(void)
{
	if (on < 0)
		on = tk_recording() || tk_replaying();
	return on;
}

uint32_t mpii_dec_aux(int ctx, int tag)
{
	return (uint32_t)ctx << 16 | ((uint32_t)tag & 0xffffu);
}

int mpii_dec_begin(uint32_t kind, uint32_t aux, struct mpii_dec *d)
{
	int rc;

	d->made = active();
	d->unrecorded = 0;
	if (!d->made)
		return 0;
	d->point = tk_decision_point();
	d->kind = kind;
	d->aux = aux;
	rc = tk_decision_get(d->point, kind, aux, &d->value);
	d->unrecorded = rc == 0 && tk_replaying();
	return rc == 1;
}

int mpii_dec_more(struct mpii_dec *d, int32_t *value)
{
	return d->made && tk_decision_get(d->point, TESSERA_DEC_INDEX, d->aux, value);
}

void mpii_dec_end(const struct mpii_dec *d, int32_t value)
{
	if (d->made)
		tk_decision_put(d->point, d->kind, value, d->aux);
}

void mpii_dec_end_more(const struct mpii_dec *d, int32_t value)
{
	if (d->made)
		tk_decision_put(d->point, TESSERA_DEC_INDEX, value, d->aux);
}

void mpii_dec_recv_wild(struct mpii_req *r)
{
	struct mpii_dec d;
	int ctx = r->comm->ctx + r->ctxoff;

	if (r->wild)
		r->peer = MPI_ANY_SOURCE;	/* a persistent receive started again */
	else if (r->peer == MPI_ANY_SOURCE)
		r->wild = 1;
	if (!r->wild || !active())
		return;
	if (mpii_dec_begin(TESSERA_DEC_RECV_ANY, mpii_dec_aux(ctx, r->tag), &d)) {
		if (d.value < 0 || d.value >= mpii_comm_peer_size(r->comm))
			tk_panic("replay diverges at call %u: source %d is not in the communicator",
				 d.point, (int)d.value);
		r->peer = (int)d.value;
	} else if (d.unrecorded) {
		/* it never matched in the recorded run (cancelled, or still waiting when the run
		 * ended): it must not take a message that a later receive took there */
		r->peer = MPII_NO_SOURCE;
	}
	r->dpoint = d.point;
}

void mpii_dec_recv_matched_wild(struct mpii_req *r)
{
	struct mpii_dec d = { .made = 1, .point = r->dpoint, .kind = TESSERA_DEC_RECV_ANY };

	if (!r->wild || !active())
		return;
	d.aux = mpii_dec_aux(r->comm->ctx + r->ctxoff, r->tag);
	mpii_dec_end(&d, r->st.MPI_SOURCE);
}
