// SPDX-License-Identifier: MIT
/*
 * record.c: this core's nondeterministic decisions, logged (--record, boot flag
 * TESSERA_BOOT_RECORD) into the record ring of its host window, which the host drains into
 * the record file, or taken back (--replay, TESSERA_BOOT_REPLAY) from the host, a batch per
 * host call. What a decision is, and what a replay does with one, is the caller's (lib/mpi's
 * replay.c); this file numbers the decision points, moves the entries (board.h's struct
 * tessera_decision) and stops the core when a replay no longer follows its record.
 */
#include <stdio.h>
#include <string.h>
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"

#define BATCH (TESSERA_HOSTCALL_DATA / sizeof(struct tessera_decision))

static uint32_t next_point;

/* --replay: a window of this core's recorded entries, [base, base + n) of its list */
static struct tessera_decision win[BATCH];
static uint32_t win_base, win_n, win_pos;

static const char *const kind_name[TESSERA_DEC_KINDS] = {
	"?", "an any-source receive", "MPI_Probe", "MPI_Iprobe", "MPI_Mprobe", "MPI_Improbe",
	"MPI_Test", "MPI_Testall", "MPI_Testany", "MPI_Waitany", "MPI_Testsome",
	"MPI_Waitsome", "an index", "MPI_Request_get_status", "MPI_Cancel",
	"the end of the rank's record", "the end of the rank's record",
};

static const char *name_of(uint32_t kind)
{
	return kind < TESSERA_DEC_KINDS ? kind_name[kind] : kind_name[0];
}

int tk_recording(void)
{
	return (tk_flags() & TESSERA_BOOT_RECORD) != 0;
}

int tk_replaying(void)
{
	return (tk_flags() & TESSERA_BOOT_REPLAY) != 0;
}

uint32_t tk_decision_point(void)
{
	return next_point++;
}

void tk_decision_put(uint32_t seq, uint32_t kind, int32_t value, uint32_t aux)
{
	volatile struct tessera_hostwin *hw = tk_hostwin();
	volatile struct tessera_ring_ctl *c = &hw->record_ctl;
	struct tessera_decision d = { .seq = seq, .kind = (uint16_t)kind, .value = value,
				      .aux = aux };
	uint32_t head = c->head;

	if (!tk_recording())
		return;
	tk_ring_wait_room(c, head, TESSERA_RECORD_RECS);
	memcpy((void *)(hw->record + (head % TESSERA_RECORD_RECS) * sizeof(d)), &d, sizeof(d));
	__atomic_store_n(&c->head, head + 1, __ATOMIC_RELEASE);
	if (head + 1 - c->tail == TESSERA_RECORD_RECS / 2)
		arch_host_notify();
}

/* The entry at win_pos, fetching the next batch from the host when the window is used up. */
static const struct tessera_decision *peek(void)
{
	if (win_pos == win_n) {
		int64_t arg[6] = { win_base + win_n };
		int64_t n = tk_hostcall(TESSERA_HC_REPLAY, arg, NULL, 0, win, sizeof(win));

		if (n <= 0 || (uint64_t)n > sizeof(win) || n % sizeof(win[0]))
			tk_panic("replay: the host has no record for this rank (%lld)", (long long)n);
		win_base += win_n;
		win_n = (uint32_t)(n / sizeof(win[0]));
		win_pos = 0;
	}
	return &win[win_pos];
}

/* "MPI_Testany of 3 requests", "MPI_Iprobe on comm 0 tag 7" (aux as lib/mpi packs it). */
static void describe(uint32_t kind, uint32_t aux, char *buf, size_t n)
{
	switch (kind) {
	case TESSERA_DEC_RECV_ANY: case TESSERA_DEC_PROBE: case TESSERA_DEC_IPROBE:
	case TESSERA_DEC_MPROBE: case TESSERA_DEC_IMPROBE:
		snprintf(buf, n, "%s on comm %u tag %d", name_of(kind), aux >> 16,
			 (int)(int16_t)(aux & 0xffffu));
		break;
	case TESSERA_DEC_TESTALL: case TESSERA_DEC_TESTANY: case TESSERA_DEC_WAITANY:
	case TESSERA_DEC_TESTSOME: case TESSERA_DEC_WAITSOME:
		snprintf(buf, n, "%s of %u requests", name_of(kind), aux);
		break;
	default:
		snprintf(buf, n, "%s", name_of(kind));
		break;
	}
}

__attribute__((noreturn)) static void diverged(uint32_t seq, const struct tessera_decision *d,
					       uint32_t kind, uint32_t aux)
{
	char was[64], is[64];

	describe(d->kind, d->aux, was, sizeof(was));
	describe(kind, aux, is, sizeof(is));
	tk_panic("replay diverges at call %u: recorded %s, program %s", seq, was, is);
}

int tk_decision_get(uint32_t seq, uint32_t kind, uint32_t aux, int32_t *value)
{
	const struct tessera_decision *d;

	if (!tk_replaying())
		return 0;
	for (;;) {
		d = peek();
		if (d->kind == TESSERA_DEC_END)
			diverged(seq, d, kind, aux);
		if (d->kind == TESSERA_DEC_CUT)
			return -1;	/* beyond what the recorded run reached: decide live */
		if (d->seq > seq)
			return 0;	/* not decided in the recorded run */
		if (d->seq == seq)
			break;
		win_pos++;		/* an entry of an earlier point nobody asked for */
	}
	if (d->kind != kind || d->aux != aux)
		diverged(seq, d, kind, aux);
	*value = d->value;
	win_pos++;
	return 1;
}
