/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory floor: what this machine charges a lookup pipeline for its table
 * leaving the caches, without dplb. The same shape as dplb's lookup
 * (app/forward.c): per item a 64-byte bucket of 8 signatures and 8
 * references, then the 64-byte entry it names, prefetched 16 and 14 items
 * ahead in bursts of 32, then rounds of independent multiplies standing
 * in for the packet work. Run for 1 thousand and 1 million
 * entries: the difference per item is what a million connections cost on
 * this machine however well the lookup overlaps with the work, the figure
 * to hold bench_pipeline's 1 K -> 1 M difference against.
 *
 * Also: the same with one line per item (the entry read straight at its
 * key's place, prefetched 30 ahead: what a table that needs no bucket
 * line would pay); one dependent load at a time over 128 MB (DRAM
 * latency), and independent loads 16 ahead (the most lines a core gets
 * per cycle).
 *
 *   bench_memfloor
 *
 * Memory: 2 MB hugepages when the kernel has them free, else 4 KB pages
 * (said in the output). Prints figures; exits 2 only when memory is short.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_hash_crc.h>
#include <rte_prefetch.h>

#define SLOTS 8
#define BUCKET_AHEAD 16		/* as app/forward.c */
#define CONN_AHEAD 14
#define BURST 32
#define ITEMS (1u << 22)	/* items timed per row */
#define SCRATCH ((size_t)64 << 20)	/* written to push the chase out of the caches */

struct bucket {
	uint32_t sig[SLOTS];
	uint32_t ref[SLOTS];
};

struct entry {
	uint64_t key;
	uint64_t pad[7];
};

_Static_assert(sizeof(struct bucket) == 64 && sizeof(struct entry) == 64, "one line each");

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << 26)	/* MAP_HUGE_SHIFT 26 */
#endif

static unsigned int maps_huge, maps_small;	/* what the mappings got, for the output */

/* len bytes (a multiple of 2 MB) on 2 MB hugepages when there are free ones. */
static void *
map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, -1, 0);

	if (p != MAP_FAILED) {
		maps_huge++;
		return p;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	maps_small++;
	return p;
}

static const char *
pages(void)
{
	return maps_small == 0 ? "2 MB hugepages" :
	       maps_huge == 0 ? "4 KB pages" : "some tables on 2 MB hugepages, some on 4 KB pages";
}

static size_t
round_2m(size_t len)
{
	return (len + (2u << 20) - 1) & ~(size_t)((2u << 20) - 1);
}

/*
 * Stand-in for a packet's work: n rounds of 4 independent multiply-adds,
 * so it keeps the core busy side by side as packet code does (one
 * dependent chain leaves the core idle enough to hide more of the misses).
 */
static inline uint64_t
work(uint64_t v, unsigned int n)
{
	uint64_t a = v, b = v + 1, c = v + 2, d = v + 3;
	unsigned int i;

	for (i = 0; i < n; i++) {
		a = a * 6364136223846793005ull + 1;
		b = b * 6364136223846793005ull + 3;
		c = c * 6364136223846793005ull + 5;
		d = d * 6364136223846793005ull + 7;
		__asm__ volatile("" : "+r"(a), "+r"(b), "+r"(c), "+r"(d));
	}
	return a ^ b ^ c ^ d;
}

struct table {
	struct bucket *b;
	struct entry *e;
	uint32_t nb, n, stride, lost;
	size_t blen, elen;
};

/* A key's first bucket, and its second as dplb's cuckoo index has one. */
static inline uint32_t
bucket_of(const struct table *t, uint32_t key)
{
	return (uint32_t)(((uint64_t)rte_hash_crc_4byte(key, 0x9e3779b9) * t->nb) >> 32);
}

static inline uint32_t
bucket2_of(const struct table *t, uint32_t key)
{
	return (uint32_t)(((uint64_t)rte_hash_crc_4byte(key, 0x85ebca6b) * t->nb) >> 32);
}

/*
 * Slot s of b holding key, or -1. A loop over the slots, where dplb
 * compares all 8 signatures at once (app/conn_index.c sig_matches): that
 * moves the 1 K figures a little, hardly what 1 M costs over 1 K.
 */
static inline int
find_in(const struct bucket *b, uint32_t key)
{
	unsigned int s;

	for (s = 0; s < SLOTS; s++)
		if (b->sig[s] == key && b->ref[s] != 0)
			return (int)s;
	return -1;
}

static bool
put_in(struct bucket *b, uint32_t key)
{
	unsigned int s;

	for (s = 0; s < SLOTS; s++)
		if (b->ref[s] == 0) {
			b->sig[s] = key;
			b->ref[s] = key + 1;
			return true;
		}
	return false;
}

/* n entries, buckets for 80 % fill as dplb sizes them; 0 or -1. */
static int
table_make(struct table *t, uint32_t n)
{
	uint32_t i;

	t->n = n;
	t->nb = (uint32_t)(((uint64_t)n * 100 / 80 + SLOTS - 1) / SLOTS);
	t->blen = round_2m((size_t)t->nb * sizeof(struct bucket));
	t->elen = round_2m((size_t)n * sizeof(struct entry));
	t->b = map(t->blen);
	t->e = map(t->elen);
	if (t->b == NULL || t->e == NULL)
		return -1;
	memset(t->b, 0, t->blen);
	t->lost = 0;
	for (i = 0; i < n; i++) {
		t->e[i].key = i;
		/* first bucket, else the second (dplb moves entries to make room:
		 * the few keys both leave out are counted and printed) */
		if (!put_in(&t->b[bucket_of(t, i)], i) && !put_in(&t->b[bucket2_of(t, i)], i))
			t->lost++;
	}
	/* visit keys scattered, as bench_pipeline does: an odd stride near n * 0.618 */
	t->stride = (uint32_t)((uint64_t)n * 618 / 1000) | 1;
	return 0;
}

static void
table_free(struct table *t)
{
	if (t->b != NULL)
		munmap(t->b, t->blen);
	if (t->e != NULL)
		munmap(t->e, t->elen);
}

/*
 * Cycles per item of the pipelined lookup plus `n_work` multiplies; with
 * one_line, no bucket: each item's entry is the one at its key.
 */
static double
pipeline(const struct table *t, unsigned int n_work, bool one_line)
{
	uint32_t key[BURST], ref[BURST], cur = 0;
	uint64_t acc = 0, t0, base;
	unsigned int s;

	t0 = rte_rdtsc();
	for (base = 0; base < ITEMS; base += BURST) {
		for (s = 0; s < BURST; s++) {
			key[s] = cur;
			cur += t->stride;	/* no division: stride < n */
			if (cur >= t->n)
				cur -= t->n;
		}
		for (s = 0; s < BURST + BUCKET_AHEAD + CONN_AHEAD; s++) {
			if (s < BURST && one_line)
				rte_prefetch0(&t->e[key[s]]);
			else if (s < BURST)
				rte_prefetch0(&t->b[bucket_of(t, key[s])]);
			if (s >= BUCKET_AHEAD && s - BUCKET_AHEAD < BURST && one_line) {
				ref[s - BUCKET_AHEAD] = key[s - BUCKET_AHEAD] + 1;
			} else if (s >= BUCKET_AHEAD && s - BUCKET_AHEAD < BURST) {
				const unsigned int j = s - BUCKET_AHEAD;
				const struct bucket *b = &t->b[bucket_of(t, key[j])];
				int q = find_in(b, key[j]);

				if (q < 0) {	/* in its second bucket: read now, as dplb does later */
					b = &t->b[bucket2_of(t, key[j])];
					q = find_in(b, key[j]);
				}
				ref[j] = q < 0 ? 0 : b->ref[q];
				if (ref[j] != 0)
					rte_prefetch0(&t->e[ref[j] - 1]);
			}
			if (s >= BUCKET_AHEAD + CONN_AHEAD) {
				const unsigned int j = s - BUCKET_AHEAD - CONN_AHEAD;

				if (ref[j] != 0)
					acc += t->e[ref[j] - 1].key;
				acc = work(acc, n_work);
			}
		}
	}
	t0 = rte_rdtsc() - t0;
	__asm__ volatile("" : : "r"(acc));
	return (double)t0 / ITEMS;
}

/*
 * Cycles per load over e's 2^21 lines: dependent (a chase), or independent
 * 16 ahead. scratch (64 MB) is written between filling e and timing, so
 * no line of e is left in any cache.
 */
static double
loads(struct entry *e, uint8_t *scratch, bool dependent)
{
	const uint64_t mask = (1u << 21) - 1;
	uint64_t i, x = 0, t0, sum = 0;
	const uint32_t n = 1u << 20;

	/* each entry names the next: a full-period LCG, every line once */
	for (i = 0; i <= mask; i++)
		e[i].key = (i * 1103515245u + 12345u) & mask;
	memset(scratch, (int)dependent, SCRATCH);
	t0 = rte_rdtsc();
	for (i = 0; i < n; i++) {
		if (dependent) {
			x = e[x].key;
		} else {
			rte_prefetch0(&e[((i + 16) * 2654435761u) & mask]);
			sum += e[(i * 2654435761u) & mask].key;
		}
	}
	t0 = rte_rdtsc() - t0;
	__asm__ volatile("" : : "r"(x), "r"(sum));
	return (double)t0 / n;
}

/*
 * Cycles a line for n lines of base that all sit in the caches, read in a
 * scattered order with loads 16 ahead, a line every `stride` bytes: 64
 * packs them into n / 64 pages of 4 KB, 4096 + 64 puts each in a 4 KB page
 * of its own. With 2 MB pages both cost the same; where the second costs
 * more, the TLB holds 4 KB translations (a host backing the guest's 2 MB
 * pages with 4 KB ones) and each of its lines pays a page walk.
 */
static double
translation(uint8_t *base, size_t stride, uint32_t n)
{
	const uint32_t mask = n - 1;	/* n: a power of 2 */
	uint64_t t0, sum = 0;
	uint32_t i, r;

	for (i = 0; i < n; i++)
		sum += *(volatile uint64_t *)(base + (size_t)i * stride);	/* in cache */
	t0 = rte_rdtsc();
	for (r = 0; r < 16; r++)
		for (i = 0; i < n; i++) {
			rte_prefetch0(base + (size_t)(((i + 16) * 2654435761u) & mask) * stride);
			sum += *(volatile uint64_t *)(base + (size_t)((i * 2654435761u) & mask) *
						      stride);
		}
	t0 = rte_rdtsc() - t0;
	__asm__ volatile("" : : "r"(sum));
	return (double)t0 / (16.0 * n);
}

int
main(void)
{
	static const uint32_t sizes[] = { 1000, 1000000 };
	static const unsigned int works[] = { 0, 15, 30, 45 };
	double c[2][RTE_DIM(works)], one[2][RTE_DIM(works)], dep, indep, tr[2][2];
	unsigned int small;
	bool e_huge;
	uint32_t lost[2];
	uint8_t *scratch;
	struct table t;
	unsigned int i, w;

	for (i = 0; i < 2; i++) {
		memset(&t, 0, sizeof(t));
		if (table_make(&t, sizes[i]) != 0) {
			fprintf(stderr, "bench_memfloor: no memory for %u entries\n", sizes[i]);
			table_free(&t);
			return 2;
		}
		for (w = 0; w < RTE_DIM(works); w++) {
			(void)pipeline(&t, works[w], false);	/* warm */
			c[i][w] = pipeline(&t, works[w], false);
			(void)pipeline(&t, works[w], true);
			one[i][w] = pipeline(&t, works[w], true);
		}
		lost[i] = t.lost;
		table_free(&t);
	}

	memset(&t, 0, sizeof(t));
	t.elen = (size_t)64 << 21;	/* 128 MB: past any L3 */
	small = maps_small;
	t.e = map(t.elen);
	e_huge = maps_small == small;
	scratch = map(SCRATCH);
	if (t.e == NULL || scratch == NULL) {
		fprintf(stderr, "bench_memfloor: no memory for the 128 MB chase\n");
		return 2;
	}
	dep = loads(t.e, scratch, true);
	indep = loads(t.e, scratch, false);
	for (i = 0; i < 2; i++) {	/* 2,048 lines (8 MB spread), then 16,384 (64 MB) */
		const uint32_t n = i == 0 ? 2048 : 16384;

		tr[i][0] = translation((uint8_t *)t.e, 64, n);
		tr[i][1] = translation((uint8_t *)t.e, 4096 + 64, n);
	}
	munmap(scratch, SCRATCH);
	table_free(&t);

	printf("memory floor (%s): dplb's lookup shape without dplb, bucket + entry prefetched "
	       "%u and %u ahead in bursts of %u,\n  then rounds of 4 independent multiplies "
	       "for the work; cycles per item (keys in neither bucket: %u of 1 K, %u of 1 M)\n",
	       pages(), BUCKET_AHEAD, CONN_AHEAD, BURST, lost[0], lost[1]);
	printf("  %-22s %10s %10s %12s   %s\n", "work (rounds)", "1 K", "1 M", "1 M - 1 K",
	       "one line an item: 1 K, 1 M, 1 M - 1 K");
	for (w = 0; w < RTE_DIM(works); w++)
		printf("  %2u x 4 multiplies      %10.1f %10.1f %12.1f   %8.1f %8.1f %8.1f\n",
		       works[w], c[0][w], c[1][w], c[1][w] - c[0][w], one[0][w], one[1][w],
		       one[1][w] - one[0][w]);
	printf("  128 MB, out of cache: a dependent load %.0f cycles; independent loads, 16 ahead: "
	       "%.1f cycles a line\n", dep, indep);
	printf("  lines in cache, loads 16 ahead, packed / one a 4 KB page: 2,048 lines %.1f / "
	       "%.1f (8 MB), 16,384 lines %.1f / %.1f (64 MB)\n  cycles a line", tr[0][0],
	       tr[0][1], tr[1][0], tr[1][1]);
	if (e_huge)
		printf(" (on 2 MB pages: 4 or 33 TLB entries, both alike; the second dearer:\n"
		       "  the TLB holds 4 KB translations, as under a host that backs the guest's "
		       "2 MB pages with\n  4 KB ones)\n");
	else
		printf(" (on 4 KB pages: the second pays for its translations)\n");
	return 0;
}
