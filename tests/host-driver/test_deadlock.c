// SPDX-License-Identifier: MIT
/*
 * test_deadlock.c: the deadlock decision (host-driver/deadlock.c) on made-up snapshots and a
 * fake clock: real cycles are reported once the limit has passed and not before; ranks that
 * compute (even while they say they wait in a collective), ranks about to be woken, and
 * jobs that progress slowly never are.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "tessera/board.h"
#include "deadlock.h"

#define MS 1000000ull
#define S (1000 * MS)
#define STEP (250 * MS)		/* how often hd_job_wait looks with a 2 s limit */

struct job {
	struct hd_deadlock d;
	struct hd_dl_rank r[TESSERA_MAX_CORES];
	uint32_t n;
	uint64_t now;			/* the fake clock */
	char detail[4096];
};

/* n ranks, each blocked in a receive from the next (tag 7): a ring that is a deadlock. */
static void ring_of(struct job *j, uint32_t n)
{
	memset(j, 0, sizeof(*j));
	hd_deadlock_init(&j->d, 2.0);
	j->n = n;
	j->now = 1000 * S;
	for (uint32_t i = 0; i < n; i++) {
		j->r[i].state = TESSERA_CORE_RUNNING;
		j->r[i].wait_kind = TESSERA_WAIT_RECV;
		j->r[i].wait_peer = (int32_t)((i + 1) % n);
		j->r[i].wait_tag = 7;
		j->r[i].wait_seq = 1;
		j->r[i].asleep = 1;
	}
}

/* Look at the job every STEP for `ns` of fake time; 1 as soon as a deadlock is reported. */
static int watch(struct job *j, uint64_t ns)
{
	for (uint64_t t = 0; t <= ns; t += STEP, j->now += STEP)
		if (hd_deadlock_step(&j->d, j->r, j->n, j->now, j->detail, sizeof(j->detail)))
			return 1;
	return 0;
}

static int count(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

Test(deadlock, two_rank_cycle_is_reported_with_its_chain)
{
	static struct job j;

	ring_of(&j, 2);
	cr_assert_eq(watch(&j, 60 * S), 1);
	cr_assert_str_eq(j.detail, "deadlock: rank 0 waits for rank 1 (tag 7, MPI_COMM_WORLD) -> "
			 "rank 1 waits for rank 0 (tag 7, MPI_COMM_WORLD) -> rank 0");
}

Test(deadlock, nothing_is_reported_before_the_limit)
{
	static struct job j;

	ring_of(&j, 2);
	cr_assert_eq(hd_deadlock_step(&j.d, j.r, 2, j.now, j.detail, sizeof(j.detail)), 0);
	cr_assert_eq(hd_deadlock_step(&j.d, j.r, 2, j.now + 2 * S - 1, j.detail, sizeof(j.detail)),
		     0);
	cr_assert_eq(j.detail[0], 0, "detail written without a report: %s", j.detail);
	cr_assert_eq(hd_deadlock_step(&j.d, j.r, 2, j.now + 2 * S, j.detail, sizeof(j.detail)), 1);
}

Test(deadlock, cycle_of_48_ranks_is_reported_whole)
{
	static struct job j;

	ring_of(&j, 48);
	cr_assert_eq(watch(&j, 60 * S), 1);
	cr_assert(strstr(j.detail, "-> rank 47 waits for rank 0 (tag 7, MPI_COMM_WORLD) -> rank 0"),
		  "%s", j.detail);
	cr_assert_eq(count(j.detail, " waits for rank "), 48, "%s", j.detail);
}

Test(deadlock, computing_rank_inside_a_collective_is_never_part_of_one)
{
	static struct job j;

	/* every rank says it waits in a collective; rank 0 runs a 60 s reduction op in it */
	ring_of(&j, 4);
	for (uint32_t i = 0; i < 4; i++) {
		j.r[i].wait_kind = TESSERA_WAIT_COLL;
		j.r[i].wait_peer = -1;
	}
	j.r[0].asleep = 0;
	cr_assert_eq(watch(&j, 60 * S), 0, "%s", j.detail);
	/* when the op is done and rank 0 halts too with nothing moving, it is one */
	j.r[0].asleep = 1;
	cr_assert_eq(watch(&j, 60 * S), 1);
	cr_assert_str_eq(j.detail, "deadlock: rank 0 waits in a collective for any rank (tag 7, "
			 "MPI_COMM_WORLD)");
}

Test(deadlock, computing_rank_between_mpi_calls_is_never_part_of_one)
{
	static struct job j;

	ring_of(&j, 4);
	j.r[2].wait_kind = TESSERA_WAIT_NONE;
	j.r[2].asleep = 0;
	cr_assert_eq(watch(&j, 60 * S), 0, "%s", j.detail);
}

Test(deadlock, rank_with_an_interrupt_pending_is_about_to_run)
{
	static struct job j;

	/* woken but not yet scheduled by the host: still halted, its interrupt pending */
	ring_of(&j, 2);
	j.r[1].irq = 1;
	cr_assert_eq(watch(&j, 60 * S), 0, "%s", j.detail);
}

Test(deadlock, rank_whose_core_still_boots_is_about_to_run)
{
	static struct job j;

	/* the first VM up waits for the others in MPI_Init; they boot for a long while */
	ring_of(&j, 4);
	for (uint32_t i = 1; i < 4; i++) {
		j.r[i].state = TESSERA_CORE_BOOTING;
		j.r[i].wait_kind = TESSERA_WAIT_NONE;
		j.r[i].asleep = 0;
	}
	cr_assert_eq(watch(&j, 60 * S), 0, "%s", j.detail);
}

Test(deadlock, slow_but_progressing_job_is_never_reported)
{
	static struct job j;

	/* everybody looks blocked at every look, but a message moves every 1.9 s */
	ring_of(&j, 8);
	for (int k = 0; k < 100; k++) {
		cr_assert_eq(watch(&j, 1900 * MS - STEP), 0, "after %d messages: %s", k, j.detail);
		j.r[k % 8].msgs_recv++;
		j.r[k % 8].bytes_recv += 8;
	}
}

Test(deadlock, any_change_restarts_the_clock)
{
	static struct job j;

	ring_of(&j, 2);
	cr_assert_eq(watch(&j, 1500 * MS), 0);
	j.r[0].wait_seq++;	/* rank 0 waits anew (for the same thing) */
	cr_assert_eq(watch(&j, 1500 * MS), 0);
	j.r[1].wakeups++;	/* rank 1 was woken and halted again */
	cr_assert_eq(watch(&j, 1500 * MS), 0);
	cr_assert_eq(watch(&j, 1000 * MS), 1);
}

Test(deadlock, rank_waiting_for_an_exited_rank_is_reported)
{
	static struct job j;

	ring_of(&j, 3);
	j.r[0].state = TESSERA_CORE_EXITED;
	j.r[0].wait_kind = TESSERA_WAIT_NONE;
	j.r[0].asleep = 0;
	j.r[2].wait_peer = 0;
	cr_assert_eq(watch(&j, 60 * S), 1);
	/* the chain starts at the lowest blocked rank, not at rank 0 */
	cr_assert_str_eq(j.detail, "deadlock: rank 1 waits for rank 2 (tag 7, MPI_COMM_WORLD) -> "
			 "rank 2 waits for rank 0 (tag 7, MPI_COMM_WORLD) -> rank 0 (exited)");
}

Test(deadlock, host_call_is_not_a_wait_for_a_rank)
{
	static struct job j;

	ring_of(&j, 2);
	j.r[1].wait_kind = TESSERA_WAIT_HOST;
	cr_assert_eq(watch(&j, 60 * S), 0, "%s", j.detail);
}

Test(deadlock, kinds_and_communicators_are_named)
{
	static struct job j;

	ring_of(&j, 3);
	j.r[0].wait_kind = TESSERA_WAIT_SSEND;
	j.r[1].wait_kind = TESSERA_WAIT_SEND;
	j.r[1].wait_comm = 5;
	j.r[2].wait_tag = -1;
	cr_assert_eq(watch(&j, 60 * S), 1);
	cr_assert_str_eq(j.detail, "deadlock: rank 0 waits for a receive by rank 1 (tag 7, "
			 "MPI_COMM_WORLD) -> rank 1 waits for room at rank 2 (tag 7, comm 5) -> "
			 "rank 2 waits for rank 0 (tag -1, MPI_COMM_WORLD) -> rank 0");
}

Test(deadlock, lock_waits_are_followed_to_the_holder)
{
	static struct job j;

	/* rank 0 receives from rank 1, which waits for rank 1's window lock that rank 0 holds;
	 * rank 2 waits for a file lock nobody in the job is said to hold */
	ring_of(&j, 3);
	j.r[1].wait_kind = TESSERA_WAIT_RMA_LOCK;
	j.r[1].wait_peer = 0;
	j.r[1].wait_tag = 1;
	j.r[1].wait_comm = 4;
	cr_assert_eq(watch(&j, 60 * S), 1);
	cr_assert_str_eq(j.detail, "deadlock: rank 0 waits for rank 1 (tag 7, MPI_COMM_WORLD) -> "
			 "rank 1 waits for the window lock of rank 1 held by rank 0 (comm 4) -> "
			 "rank 0");
	ring_of(&j, 3);
	j.r[0].wait_peer = 2;
	j.r[2].wait_kind = TESSERA_WAIT_FILE_LOCK;
	j.r[2].wait_peer = -1;
	j.r[2].wait_tag = 0;
	j.r[2].wait_comm = 6;
	cr_assert_eq(watch(&j, 60 * S), 1);
	cr_assert_str_eq(j.detail, "deadlock: rank 0 waits for rank 2 (tag 7, MPI_COMM_WORLD) -> "
			 "rank 2 waits for the file lock of rank 0 (comm 6)");
}

Test(deadlock, lock_waiter_that_is_awake_is_not_blocked)
{
	static struct job j;

	ring_of(&j, 2);
	j.r[1].wait_kind = TESSERA_WAIT_RMA_LOCK;
	j.r[1].wait_peer = 0;
	j.r[1].asleep = 0;	/* retrying the lock, or progressing */
	cr_assert_eq(watch(&j, 60 * S), 0);
}

Test(deadlock, job_without_live_ranks_is_not_one)
{
	static struct job j;

	ring_of(&j, 2);
	j.r[0].state = j.r[1].state = TESSERA_CORE_EXITED;
	cr_assert_eq(watch(&j, 60 * S), 0, "%s", j.detail);
}

Test(deadlock, limit_of_zero_negative_or_nan_turns_it_off)
{
	static struct job j;
	const double off[] = { 0, -1, __builtin_nan("") };

	for (unsigned i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		ring_of(&j, 2);
		hd_deadlock_init(&j.d, off[i]);
		cr_assert_eq(watch(&j, 600 * S), 0, "limit %g", off[i]);
	}
}

Test(deadlock, clock_going_backwards_is_no_report)
{
	static struct job j;

	ring_of(&j, 2);
	cr_assert_eq(hd_deadlock_step(&j.d, j.r, 2, j.now, j.detail, sizeof(j.detail)), 0);
	cr_assert_eq(hd_deadlock_step(&j.d, j.r, 2, j.now - S, j.detail, sizeof(j.detail)), 0);
}

Test(deadlock, truncated_detail_stays_a_string)
{
	static struct job j;
	char small[24];

	ring_of(&j, 48);
	cr_assert_eq(watch(&j, 60 * S), 1);
	cr_assert_eq(hd_deadlock_step(&j.d, j.r, 48, j.now, small, sizeof(small)), 1);
	cr_assert_str_eq(small, "deadlock: rank 0 waits ");
}

/*
 * Two hosts, as host 0 of a distributed board sees them (the failure of rma on 7 ranks over
 * two emulated hosts): ranks 0 and 1 on host 0 wait in a collective for rank 2; host 1's
 * ranks 2 and 3 were last reported in an earlier collective, after which host 1 went quiet
 * for 10 s (busy taking in a flood of host 0's stores). Its last report is old news: no
 * deadlock until host 1 has been heard saying the same for the limit.
 */
Test(deadlock, a_host_not_heard_from_is_not_taken_for_a_stuck_one)
{
	static struct job j, plain;
	uint64_t heard[2], t;

	ring_of(&j, 4);
	for (uint32_t i = 0; i < 4; i++) {
		j.r[i].wait_kind = TESSERA_WAIT_COLL;
		j.r[i].wait_peer = i < 2 ? 2 : -1;
		j.r[i].wait_tag = i < 2 ? 51 : 46;
		j.r[i].wait_comm = 1;
	}
	plain = j;
	/* judged as of now, host 1's stale report makes a deadlock after the limit */
	cr_assert_eq(watch(&plain, 3 * S), 1);
	cr_assert(strstr(plain.detail, "rank 2 waits in a collective for any rank (tag 46"));
	heard[1] = j.now;
	for (t = 0; t <= 10 * S; t += STEP, j.now += STEP) {
		heard[0] = j.now;
		cr_assert_eq(hd_deadlock_step_hosts(&j.d, j.r, 4, heard, 2, j.detail,
						    sizeof(j.detail)), 0, "at %g s: %s",
			     (double)t / S, j.detail);
	}
	/* host 1 speaks again: its ranks moved on, into the collective of ranks 0 and 1, where
	 * (say) they stay; that is a deadlock once it has lasted the limit */
	for (uint32_t i = 2; i < 4; i++) {
		j.r[i].wait_tag = 51;
		j.r[i].wait_seq++;
		j.r[i].msgs_sent += 5;
	}
	for (t = 0; t <= 3 * S; t += STEP, j.now += STEP) {
		heard[0] = heard[1] = j.now;
		if (hd_deadlock_step_hosts(&j.d, j.r, 4, heard, 2, j.detail, sizeof(j.detail)))
			break;
	}
	cr_assert_geq(t, 2 * S);
	cr_assert_leq(t, 2 * S + STEP);
	/* a host never heard from yet: nothing to judge */
	heard[1] = 0;
	cr_assert_eq(hd_deadlock_step_hosts(&j.d, j.r, 4, heard, 2, j.detail, sizeof(j.detail)), 0);
}
