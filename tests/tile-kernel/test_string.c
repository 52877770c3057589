// SPDX-License-Identifier: MIT
/*
 * test_string.c: the emu arch's memcpy, memmove and memset (tile-kernel/arch/emu/string.S),
 * assembled for the host under the names emu_memcpy, emu_memmove, emu_memset and checked
 * against byte-by-byte references: every length 0..300 at every alignment of source and
 * destination within a line, a few large lengths on both sides of the rep movsb threshold,
 * overlap in both directions for memmove, and no byte written outside the destination.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *emu_memcpy(void *dst, const void *src, size_t n);
void *emu_memmove(void *dst, const void *src, size_t n);
void *emu_memset(void *dst, int c, size_t n);

#define GUARD 80		/* bytes around each destination that must stay untouched */
#define ARENA (3 * 1024 * 1024)

static uint8_t *src, *dst, *ref;

static void setup(void)
{
	src = aligned_alloc(64, ARENA);
	dst = aligned_alloc(64, ARENA);
	ref = aligned_alloc(64, ARENA);
	cr_assert(src && dst && ref);
	for (size_t i = 0; i < ARENA; i++)
		src[i] = (uint8_t)(i * 131 + (i >> 8) * 7 + 1);
}

static void teardown(void)
{
	free(src);
	free(dst);
	free(ref);
}

/* dst and ref filled alike with a pattern unlike src's. */
static void fill(size_t n)
{
	memset(dst, 0xa5, n);
	memset(ref, 0xa5, n);
}

/* The first byte where dst and ref differ, or -1. */
static long first_diff(size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (dst[i] != ref[i])
			return (long)i;
	return -1;
}

TestSuite(string, .init = setup, .fini = teardown);

Test(string, memcpy_every_length_and_alignment)
{
	for (size_t so = 0; so < 64; so++)
		for (size_t d = 0; d < 64; d++)
			for (size_t n = 0; n <= 300; n++) {
				size_t span = GUARD + 64 + n + GUARD;
				uint8_t *to = dst + GUARD + d;

				fill(span);
				memcpy(ref + GUARD + d, src + so, n);
				cr_assert_eq(emu_memcpy(to, src + so, n), to, "return value, n=%zu", n);
				long at = first_diff(span);
				cr_assert_eq(at, -1, "memcpy n=%zu src+%zu dst+%zu: byte %ld", n, so, d,
					     at - GUARD - (long)d);
			}
}

Test(string, memcpy_large_lengths)
{
	static const size_t lens[] = { 4095, 4096, 4097, 8191, 65536 + 17, 1 << 20,
				       (1 << 20) + 4093, 2 * 1024 * 1024 };

	for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++)
		for (size_t so = 0; so < 64; so += 13)
			for (size_t d = 0; d < 64; d += 9) {
				size_t n = lens[k], span = GUARD + 64 + n + GUARD;

				fill(span);
				memcpy(ref + GUARD + d, src + so, n);
				emu_memcpy(dst + GUARD + d, src + so, n);
				cr_assert_eq(first_diff(span), -1, "memcpy n=%zu src+%zu dst+%zu", n, so,
					     d);
			}
}

/* memmove within one buffer: dst at dst + a, source at dst + b, both inside [0, span). */
static void move_check(size_t a, size_t b, size_t n, size_t span)
{
	memcpy(dst, src, span);
	memcpy(ref, src, span);
	memmove(ref + a, ref + b, n);
	cr_assert_eq(emu_memmove(dst + a, dst + b, n), dst + a);
	long at = first_diff(span);
	cr_assert_eq(at, -1, "memmove n=%zu dst=%zu src=%zu: byte %ld", n, a, b, at);
}

Test(string, memmove_overlap_both_ways)
{
	/* every shift of 0..70 bytes both ways, every length 0..300, a few alignments */
	for (size_t n = 0; n <= 300; n++)
		for (size_t shift = 0; shift <= 70; shift++)
			for (size_t base = 0; base < 32; base += 7) {
				size_t span = base + shift + n + GUARD;

				move_check(base + shift, base, n, span);	/* dst above src */
				move_check(base, base + shift, n, span);	/* dst below src */
			}
}

Test(string, memmove_large_and_far)
{
	static const size_t lens[] = { 4095, 4096, 5000, 65536 + 3, 1 << 20 };
	static const size_t shifts[] = { 1, 15, 16, 63, 64, 65, 4096, 100000 };

	for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++)
		for (size_t s = 0; s < sizeof(shifts) / sizeof(shifts[0]); s++) {
			size_t n = lens[k], sh = shifts[s], span = 5 + sh + n + GUARD;

			move_check(5 + sh, 5, n, span);
			move_check(5, 5 + sh, n, span);
		}
	/* no overlap at all */
	move_check(GUARD, GUARD + 300000, 200000, GUARD + 500000 + GUARD);
}

Test(string, memset_every_length_and_alignment)
{
	for (size_t d = 0; d < 64; d++)
		for (size_t n = 0; n <= 300; n++) {
			size_t span = GUARD + 64 + n + GUARD;
			int c = (int)(n * 7 + d) | 0x100;	/* only the low byte counts */
			uint8_t *to = dst + GUARD + d;

			fill(span);
			memset(ref + GUARD + d, c, n);
			cr_assert_eq(emu_memset(to, c, n), to, "return value, n=%zu", n);
			long at = first_diff(span);
			cr_assert_eq(at, -1, "memset n=%zu dst+%zu: byte %ld", n, d,
				     at - GUARD - (long)d);
		}
}

Test(string, memset_large_lengths)
{
	static const size_t lens[] = { 4095, 4096, 4097, 65536 + 5, 1 << 20 };

	for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++)
		for (size_t d = 0; d < 64; d += 11) {
			size_t n = lens[k], span = GUARD + 64 + n + GUARD;

			fill(span);
			memset(ref + GUARD + d, 0x3c, n);
			emu_memset(dst + GUARD + d, 0x3c, n);
			cr_assert_eq(first_diff(span), -1, "memset n=%zu dst+%zu", n, d);
		}
}
