// SPDX-License-Identifier: MIT
/*
 * test_strict.c: under --coherence=strict the MPBs and mpb-channels' part of shared DRAM are
 * the coherence model's alone on emu: a plain load or store there faults, and the report
 * says why; in host mode the same accesses work, and shared DRAM handed to programs works in
 * both (docs/coherence.md, "What the model alone reaches").
 */
#include <criterion/criterion.h>
#include "helpers.h"

#define BYPASS "build/tests/images/bypass"
#define WHY "bypassed the coherence model under --coherence=strict"

/* Run bypass `what` on n ranks under strict: it must crash with `reason` and nothing else. */
static void assert_bypass_faults(int n, const char *what, const char *reason)
{
	struct run r;
	char dir[256];

	board_dir(dir, sizeof(dir), "bypass");
	run_cmd(&r, TESSERA " run --timeout 60 -n %d --board-dir %s --coherence=strict " BYPASS
		" %s", n, dir, what);
	cr_assert_eq(r.status, 128 + 11, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "SIGSEGV at "), "%s", r.err);
	cr_assert(strstr(r.err, reason), "stderr: %s", r.err);
	cr_assert(strstr(r.err, WHY), "stderr: %s", r.err);
	cr_assert_not(strstr(r.out, what), "the access went through: %s", r.out);
	cr_assert_not(path_exists(dir));
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

/* Run bypass `what` on 2 ranks in mode: each rank reads back what it wrote. */
static void assert_bypass_works(const char *mode, const char *what)
{
	struct run r;
	char line[64];

	run_cmd(&r, TESSERA " run --timeout 60 -n 2 --coherence=%s " BYPASS " %s", mode, what);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	for (int k = 0; k < 2; k++) {
		snprintf(line, sizeof(line), "%s: %d\n", what, 4242 + k);
		cr_assert_eq(count_lines(r.out, line), 1, "%s", r.out);
	}
	run_free(&r);
}

Test(strict, a_plain_access_to_the_mpb_faults_and_says_why)
{
	assert_bypass_faults(1, "mpb", ": an access to the MPB at 0xc0001ffc " WHY);
}

Test(strict, a_plain_access_through_the_own_mpb_alias_faults_and_says_why)
{
	assert_bypass_faults(1, "mpb-alias", ": an access to the MPB (own tile's alias) at "
			     "0xd8001ffc " WHY);
}

Test(strict, a_plain_access_to_the_channels_shared_dram_faults_and_says_why)
{
	/* each rank pokes a word of its own: rank 0's (0x80000000) or rank 1's (0x80000004),
	 * whichever faults first */
	assert_bypass_faults(2, "channels", ": an access to mpb-channels' shared DRAM at "
			     "0x8000000");
}

Test(strict, shared_dram_handed_to_programs_stays_directly_reachable)
{
	assert_bypass_works("strict", "heap");
}

Test(strict, host_mode_lets_every_plain_access_through)
{
	assert_bypass_works("host", "mpb");
	assert_bypass_works("host", "mpb-alias");
	assert_bypass_works("host", "channels");
	assert_bypass_works("host", "heap");
}

/* The seal is an mprotect to PROT_NONE; the runner's filter allows mprotect for nothing else. */
Test(strict, a_tile_cannot_unseal_the_mpb)
{
	struct run r;

	run_cmd(&r, TESSERA " run --timeout 60 --coherence=strict " BYPASS " unseal");
	cr_assert_eq(r.status, 128 + 31, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "SIGSYS (system call 10, mprotect) at 0x"), "%s", r.err);
	run_free(&r);
}
