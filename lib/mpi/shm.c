/* SPDX-License-Identifier: MIT */
/*
 * shm.c: what lib/mpi keeps in shared DRAM above the part mpb-channels owns (and below
 * RCCE_shmalloc's, when lib/rcce is in the image): a heap (window memory, window control
 * records, shared file pointers), short critical sections under the cores' test-and-set
 * registers, and reader-writer locks a core holds across MPI calls while others wait
 * halted. Not the windows or files themselves (win_*.c, file_*.c).
 *
 * Shared DRAM is MPB-typed here as in mpb-channels: every access of the library goes through
 * tk_mpb_read/tk_mpb_write, so under --coherence=strict the L1 and WCB model applies, and the
 * CL1INVMB after taking a test-and-set register and the WCB drain before giving it back are
 * what make the data of a critical section current on a chip without coherence.
 */
#include "mpii_impl.h"
#include "tk.h"

#define SHM_MAGIC 0x4d485354u	/* "TSHM" */
#define SHM_MAX_BLOCKS 8192u
#define SHM_ALIGN 64u		/* two lines: no block shares a line with another */
/*
 * What memory a caller can do without (mpii_shm_alloc_spare: MPI_Alloc_mem, the memory of
 * MPI_Win_allocate, which fall back to private DRAM) leaves to the records that must be
 * shared (window control blocks, shared windows, file locks): table entries and bytes.
 * Without it, a program that keeps a thousand MPI_Alloc_mem buffers (MPICH's
 * window_creation) fills the table and its windows find no room for their control blocks.
 */
#define SHM_SPARE_BLOCKS (SHM_MAX_BLOCKS / 4)
#define SHM_SPARE_SHIFT 3	/* an eighth of the heap's bytes */

/*
 * The heap's header, at the start of the heap: the allocated blocks sorted by offset
 * (from the heap's start). A freed block's entry stays where it is with len 0, a hole: a
 * free writes one entry, not the rest of the table (every store to shared DRAM is modelled
 * under strict coherence, and copied to every other host of a distributed board); an
 * allocation fills the hole next to the gap it takes, the end of the table loses its holes
 * as its last block goes, and a full table is compacted. It belongs to the job whose start
 * time is in `stamp` (a board kept between jobs holds whatever the last job left); the
 * first allocation of a job finds a foreign stamp and starts an empty table.
 */
struct shm_hdr {
	uint32_t magic, stamp;
	uint32_t nblk;
	uint32_t pad[13];
	struct shm_blk {
		uint32_t off, len;
	} blk[SHM_MAX_BLOCKS];
};
_Static_assert(sizeof(struct shm_hdr) % SHM_ALIGN == 0, "shm header size");

#define HDR_FIELD(f) (heap_base() + offsetof(struct shm_hdr, f))
#define HDR_BLK(i) (HDR_FIELD(blk) + (uintptr_t)(i) * sizeof(struct shm_blk))

static uint64_t shared_bytes(void)
{
	return (uint64_t)tk_geom()->shared_mb << 20;
}

/* lib/rcce, when it is linked into the image too: where RCCE_shmalloc's part begins. */
extern uintptr_t rcce_shm_start(void) __attribute__((weak));

/* The heap: from the first page above mpb-channels' part to the end of shared DRAM, or to
 * where RCCE_shmalloc's part begins (the top quarter, lib/rcce/admin.c). */
static uintptr_t heap_base(void)
{
	uint64_t skip = (mpbc_shared_bytes() + TESSERA_PAGE_BYTES - 1) & ~(uint64_t)(TESSERA_PAGE_BYTES - 1);

	return TESSERA_ADDR_SHARED + (uintptr_t)skip;
}

static uint64_t heap_bytes(void)
{
	uint64_t used = heap_base() - TESSERA_ADDR_SHARED, end = shared_bytes();

	if (rcce_shm_start && rcce_shm_start() - TESSERA_ADDR_SHARED < end)
		end = rcce_shm_start() - TESSERA_ADDR_SHARED;
	return end > used + sizeof(struct shm_hdr) ? end - used : 0;
}

static uint32_t job_stamp(void)
{
	uint64_t t = tk_bootinfo()->time_base_ns;

	return (uint32_t)(t ^ (t >> 32));
}

static uint32_t heap_core(void)
{
	return tk_rank_core(0);
}

void mpii_tas_lock(uint32_t core)
{
	tk_lock_acquire(core);
	/* what the last holder wrote is in memory; our cached copies may be older */
	tk_cl1invmb();
}

void mpii_tas_unlock(uint32_t core)
{
	/* our writes must reach memory before the next holder reads them */
	tk_wcb_flush();
	tk_lock_release(core);
}

int mpii_shm_contains(const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p;

	return a >= TESSERA_ADDR_SHARED && n <= shared_bytes() &&
	       a - TESSERA_ADDR_SHARED <= shared_bytes() - n;
}

int mpii_shm_domain(int world_rank)
{
	const struct tessera_bootinfo *bi = tk_bootinfo();

	if (!(bi->flags & TESSERA_BOOT_DIST) || world_rank < 0 ||
	    (uint32_t)world_rank >= tk_nranks())
		return 0;
	return bi->core_host[tk_rank_core((uint32_t)world_rank)];
}

/* The table of this job (started if the header is a previous job's); heap lock held. */
static uint32_t table_open(void)
{
	uint32_t stamp = job_stamp();

	if (tk_mpb_read32(HDR_FIELD(magic)) != SHM_MAGIC ||
	    tk_mpb_read32(HDR_FIELD(stamp)) != stamp) {
		tk_mpb_write32(HDR_FIELD(nblk), 0);
		tk_mpb_write32(HDR_FIELD(stamp), stamp);
		tk_mpb_write32(HDR_FIELD(magic), SHM_MAGIC);
		return 0;
	}
	return tk_mpb_read32(HDR_FIELD(nblk));
}

/* The table without its holes; returns its new length. Heap lock held. */
static uint32_t compact(uint32_t n)
{
	struct shm_blk b;
	uint32_t i, k = 0;

	for (i = 0; i < n; i++) {
		tk_mpb_read(&b, HDR_BLK(i), sizeof(b));
		if (!b.len)
			continue;
		if (k != i)
			tk_mpb_write(HDR_BLK(k), &b, sizeof(b));
		k++;
	}
	tk_mpb_write32(HDR_FIELD(nblk), k);
	return k;
}

#define NO_HOLE UINT32_MAX

/* First fit; a spare allocation only while the reserve above stays free. */
static int heap_alloc(size_t bytes, uintptr_t *addr, int spare)
{
	uint64_t total = heap_bytes(), need = (bytes + SHM_ALIGN - 1) & ~(uint64_t)(SHM_ALIGN - 1);
	uint64_t end = sizeof(struct shm_hdr), used = sizeof(struct shm_hdr);
	struct shm_blk b, nb;
	uint32_t n, i, found = 0, at = 0, live = 0, hole = NO_HOLE;
	int rc = MPI_ERR_NO_MEM;

	if (!need)
		need = SHM_ALIGN;
	if (!total || need > total || total > UINT32_MAX)
		return MPI_ERR_NO_MEM;
	mpii_tas_lock(heap_core());
	n = table_open();
	if (n > SHM_MAX_BLOCKS)
		n = 0;	/* a corrupt table: nothing of this job can be trusted in it */
	if (n == SHM_MAX_BLOCKS)
		n = compact(n);
	/* first fit: the gap before block i, or after the last one (a spare allocation reads
	 * the whole table, for the blocks and bytes in use); `hole`: one between the block
	 * before the gap and the gap, whose entry the new block can take in order */
	for (i = 0; i <= n; i++) {
		uint64_t next = total;

		if (i < n) {
			tk_mpb_read(&b, HDR_BLK(i), sizeof(b));
			if (!b.len) {
				if (!found)
					hole = i;
				continue;
			}
			next = b.off;
			used += b.len;
			live++;
		}
		if (!found && next >= end && next - end >= need) {
			found = 1;
			at = i;
			if (!spare)
				break;
		}
		if (i < n && !found) {
			end = ((uint64_t)b.off + b.len + SHM_ALIGN - 1) & ~(uint64_t)(SHM_ALIGN - 1);
			hole = NO_HOLE;
		}
	}
	if (spare && (live + 1 + SHM_SPARE_BLOCKS > SHM_MAX_BLOCKS ||
		      used + need + (total >> SHM_SPARE_SHIFT) > total))
		found = 0;
	nb.off = (uint32_t)end;
	nb.len = (uint32_t)need;
	if (found && hole != NO_HOLE) {
		tk_mpb_write(HDR_BLK(hole), &nb, sizeof(nb));
		rc = MPI_SUCCESS;
	} else if (found && n < SHM_MAX_BLOCKS) {
		/* shift blocks at.. up by one, from the top, then fill slot at */
		for (uint32_t k = n; k > at; k--) {
			tk_mpb_read(&b, HDR_BLK(k - 1), sizeof(b));
			tk_mpb_write(HDR_BLK(k), &b, sizeof(b));
		}
		tk_mpb_write(HDR_BLK(at), &nb, sizeof(nb));
		tk_mpb_write32(HDR_FIELD(nblk), n + 1);
		rc = MPI_SUCCESS;
	}
	if (!rc)
		*addr = heap_base() + (uintptr_t)end;
	mpii_tas_unlock(heap_core());
	return rc;
}

int mpii_shm_alloc(size_t bytes, uintptr_t *addr)
{
	return heap_alloc(bytes, addr, 0);
}

int mpii_shm_alloc_spare(size_t bytes, uintptr_t *addr)
{
	return heap_alloc(bytes, addr, 1);
}

void mpii_shm_free(uintptr_t addr)
{
	struct shm_blk b;
	uint32_t n, i;

	if (!addr || addr < heap_base())
		return;
	mpii_tas_lock(heap_core());
	n = table_open();
	if (n > SHM_MAX_BLOCKS)
		n = 0;
	for (i = 0; i < n; i++) {
		tk_mpb_read(&b, HDR_BLK(i), sizeof(b));
		if (b.len && heap_base() + b.off == addr)
			break;
	}
	if (i + 1 == n) {
		/* the last block: the table ends before it, and before the holes under it */
		while (i > 0) {
			tk_mpb_read(&b, HDR_BLK(i - 1), sizeof(b));
			if (b.len)
				break;
			i--;
		}
		tk_mpb_write32(HDR_FIELD(nblk), i);
	} else if (i < n) {
		b.len = 0;
		tk_mpb_write(HDR_BLK(i), &b, sizeof(b));
	}
	mpii_tas_unlock(heap_core());
}

/* ---- Reader-writer locks ---- */

/*
 * A lock record: word 0 the state (SHLOCK_EXCL, or the number of shared holders), word 1
 * unused, then one bit per world rank waiting for the lock to become free, then one bit per
 * world rank holding it (what a waiter names as the rank it waits for: `tessera ps`, the
 * deadlock detector). A core that fails to take the lock sets its bit under the home core's
 * test-and-set register and halts; whoever frees the lock clears the bits under the same
 * register and interrupts each waiter afterwards, whether it is halted yet or not: a pending
 * interrupt ends its next halt at once, so no wake-up is lost between its registration and
 * its halt.
 */
#define SHLOCK_EXCL 0x80000000u
#define SHLOCK_WAITERS 8u

static uint32_t bit_words(void)
{
	return ((uint32_t)mpii_world_size() + 31) / 32;
}

static uintptr_t waiters_word(uintptr_t rec, uint32_t w)
{
	return rec + SHLOCK_WAITERS + 4 * (uintptr_t)w;
}

static uintptr_t holders_word(uintptr_t rec, uint32_t w)
{
	return rec + SHLOCK_WAITERS + 4 * (uintptr_t)(bit_words() + w);
}

size_t mpii_shlock_bytes(void)
{
	size_t n = SHLOCK_WAITERS + 2 * 4 * (size_t)bit_words();

	return (n + TESSERA_LINE_BYTES - 1) & ~(size_t)(TESSERA_LINE_BYTES - 1);
}

void mpii_shlock_init(uintptr_t rec)
{
	for (size_t off = 0; off < mpii_shlock_bytes(); off += 4)
		tk_mpb_write32(rec + off, 0);
	tk_wcb_flush();
}

static void bit_set(uintptr_t word, int me, int on)
{
	uint32_t v = tk_mpb_read32(word), b = 1u << (me % 32);

	tk_mpb_write32(word, on ? v | b : v & ~b);
}

/* Takes the lock if it is free enough; else registers this rank as a waiter and says which
 * rank holds it (-1 when the record names none in the job: it is another core's data). */
static int try_take(uintptr_t rec, uint32_t home, int excl, int *holder)
{
	int me = mpii_world_rank(), ok;
	uint32_t st;

	mpii_tas_lock(home);
	st = tk_mpb_read32(rec);
	ok = excl ? st == 0 : !(st & SHLOCK_EXCL);
	*holder = -1;
	if (ok) {
		tk_mpb_write32(rec, excl ? SHLOCK_EXCL : st + 1);
		bit_set(holders_word(rec, (uint32_t)me / 32), me, 1);
	} else {
		bit_set(waiters_word(rec, (uint32_t)me / 32), me, 1);
		for (uint32_t w = 0; w < bit_words() && *holder < 0; w++) {
			uint32_t v = tk_mpb_read32(holders_word(rec, w));

			if (v && 32 * w + (uint32_t)__builtin_ctz(v) < (uint32_t)mpii_world_size())
				*holder = (int)(32 * w + (uint32_t)__builtin_ctz(v));
		}
	}
	mpii_tas_unlock(home);
	return ok;
}

int mpii_shlock_try(uintptr_t rec, uint32_t home, int excl)
{
	int holder;

	return try_take(rec, home, excl, &holder);
}

void mpii_shlock_acquire(uintptr_t rec, uint32_t home, int excl, const struct mpii_lockwait *lw)
{
	int holder, published = 0;

	while (!try_take(rec, home, excl, &holder)) {
		/* say whom we wait for (again when the holder changed), then halt; progress
		 * meanwhile: the holder may need us to serve its requests */
		tk_wait_set(lw->kind, holder, lw->owner, lw->ctx);
		published = 1;
		mpii_idle();
		mpii_progress();
	}
	if (published)
		tk_wait_set(TESSERA_WAIT_NONE, -1, 0, 0);
}

void mpii_shlock_release(uintptr_t rec, uint32_t home, int excl)
{
	uint32_t st, words = bit_words(), w, bits[TESSERA_SRC_WORDS];
	int wake = 0, me = mpii_world_rank();

	mpii_tas_lock(home);
	st = tk_mpb_read32(rec);
	/* another core's record: never let a wrong count wrap into "exclusive" */
	st = excl || (st & SHLOCK_EXCL) || st == 0 ? 0 : st - 1;
	tk_mpb_write32(rec, st);
	bit_set(holders_word(rec, (uint32_t)me / 32), me, 0);
	if (st == 0)
		for (w = 0; w < words; w++) {
			bits[w] = tk_mpb_read32(waiters_word(rec, w));
			if (bits[w]) {
				tk_mpb_write32(waiters_word(rec, w), 0);
				wake = 1;
			}
		}
	mpii_tas_unlock(home);
	if (!wake)
		return;
	for (w = 0; w < words; w++)
		for (uint32_t b = 0; b < 32; b++)
			if (bits[w] & (1u << b) && 32 * w + b < (uint32_t)mpii_world_size())
				tk_core_wake(tk_rank_core(32 * w + b));
}
