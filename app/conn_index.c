/* SPDX-License-Identifier: BSD-3-Clause */
/* The connection index: a bucketed cuckoo hash, one writer, lock-free readers. */
#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_vect.h>

#include "app/conn_index.h"

#define SLOTS 8			/* per bucket: one cache line */
#define FILL_PCT 80		/* buckets sized so a full table fills them this much */
#define MAX_PATH 8		/* moves at most to free a slot */
#define FIND_RETRIES 4		/* lookups again when entries moved meanwhile */

struct lb_conn_bucket {
	uint32_t sig[SLOTS];
	uint32_t ref[SLOTS];
} __rte_cache_aligned;

_Static_assert(sizeof(struct lb_conn_bucket) == RTE_CACHE_LINE_SIZE, "a bucket is a line");

/* The second hash, from the first alone: a stored signature gives both. */
static __rte_always_inline uint32_t
second_hash(uint32_t h1)
{
	return rte_hash_crc_4byte(h1, 0x85ebca6b);
}

/*
 * The key's two hashes: h1 picks the first bucket and is the signature.
 * Always inlined: LTO made it a call, which cost 2-3 cycles a packet
 * (bench_pipeline, every mode).
 */
static __rte_always_inline void
key_hash(const struct lb_conn_key *k, uint32_t *h1, uint32_t *h2)
{
	uint64_t w[2];

	memcpy(w, k, sizeof(w));
	*h1 = rte_hash_crc_8byte(w[1], rte_hash_crc_8byte(w[0], 0x9e3779b9));
	*h2 = second_hash(*h1);
}

/* A hash to a bucket number: multiply-shift, no division. */
static inline uint32_t
bucket_of(const struct lb_conn_index *x, uint32_t h)
{
	return (uint32_t)(((uint64_t)h * x->nb_buckets) >> 32);
}

static inline bool
key_eq(const struct lb_conn_key *a, const struct lb_conn_key *b)
{
	uint64_t wa[2], wb[2];

	memcpy(wa, a, sizeof(wa));
	memcpy(wb, b, sizeof(wb));
	return ((wa[0] ^ wb[0]) | (wa[1] ^ wb[1])) == 0;
}

static inline const struct lb_conn_key *
ref_key(uint32_t ref)
{
	const struct lb_conn *c = lb_conn_of_ref(ref);

	return (ref & LB_REF_OUT) ? &c->out : &c->in;
}

int
lb_conn_index_init(struct lb_conn_index *x, uint32_t keys, int socket)
{
	uint64_t nb = ((uint64_t)keys * 100 / FILL_PCT + SLOTS - 1) / SLOTS;

	memset(x, 0, sizeof(*x));
	x->nb_buckets = (uint32_t)RTE_MAX(nb, (uint64_t)2);
	x->buckets = rte_zmalloc_socket("lb_conn_index",
					(size_t)x->nb_buckets * sizeof(struct lb_conn_bucket),
					RTE_CACHE_LINE_SIZE, socket);
	return x->buckets == NULL ? -ENOMEM : 0;
}

void
lb_conn_index_free(struct lb_conn_index *x)
{
	rte_free(x->buckets);
	memset(x, 0, sizeof(*x));
}

size_t
lb_conn_index_bytes(const struct lb_conn_index *x)
{
	return (size_t)x->nb_buckets * sizeof(struct lb_conn_bucket);
}

uint32_t
lb_conn_index_entries(const struct lb_conn_index *x)
{
	uint32_t b, n = 0;
	unsigned int s;

	for (b = 0; b < x->nb_buckets; b++)
		for (s = 0; s < SLOTS; s++)
			n += __atomic_load_n(&x->buckets[b].ref[s], __ATOMIC_RELAXED) != 0;
	return n;
}

/*
 * The slots of b whose signature is sig, as bits (slot s: bit s). On x86
 * two 16-byte compares, no branch per slot: the slot a lookup hits is
 * random, so a loop over the slots mispredicts its exit about once a
 * packet. Aligned 16-byte loads do not tear a 4-byte signature (rte_hash
 * compares its signatures the same way under its lock-free writer). A
 * signature that does not belong with the ref read after it (not yet
 * published: 0, empty; or a slot reused meanwhile) is harmless: the
 * callers compare the connection's key (scan_bucket's key_eq,
 * lb_conn_index_confirm) before they use it.
 */
static __rte_always_inline unsigned int
sig_matches(const struct lb_conn_bucket *b, uint32_t sig)
{
#if defined(RTE_ARCH_X86)
	const __m128i want = _mm_set1_epi32((int)sig);
	const __m128i lo = _mm_load_si128((const __m128i *)&b->sig[0]);
	const __m128i hi = _mm_load_si128((const __m128i *)&b->sig[4]);

	return (unsigned int)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(lo, want))) |
	       (unsigned int)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(hi, want))) << 4;
#else
	unsigned int s, bits = 0;

	for (s = 0; s < SLOTS; s++)
		bits |= (unsigned int)(__atomic_load_n(&b->sig[s], __ATOMIC_RELAXED) == sig) << s;
	return bits;
#endif
}

_Static_assert(SLOTS == 8, "sig_matches compares 8 signatures");

/* k in bucket b under signature sig: its reference, or 0. */
static inline uint32_t
scan_bucket(const struct lb_conn_bucket *b, uint32_t sig, const struct lb_conn_key *k)
{
	unsigned int bits;

	for (bits = sig_matches(b, sig); bits != 0; bits &= bits - 1) {
		uint32_t ref = __atomic_load_n(&b->ref[__builtin_ctz(bits)], __ATOMIC_ACQUIRE);

		if (ref != 0 && key_eq(ref_key(ref), k))
			return ref;
	}
	return 0;
}

/* Both buckets, looked at again while a writer's moves could hide k. */
static uint32_t
find_hashed(const struct lb_conn_index *x, const struct lb_conn_key *k, uint32_t h1, uint32_t h2)
{
	const struct lb_conn_bucket *b1 = &x->buckets[bucket_of(x, h1)];
	const struct lb_conn_bucket *b2 = &x->buckets[bucket_of(x, h2)];
	unsigned int tries = 0;
	uint32_t moves, ref;

	do {
		moves = __atomic_load_n(&x->moves, __ATOMIC_ACQUIRE);
		ref = scan_bucket(b1, h1, k);
		if (ref == 0 && b2 != b1)
			ref = scan_bucket(b2, h1, k);
		if (ref != 0)
			return ref;
		/* a move writes the new place, counts, then clears the old */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (__atomic_load_n(&x->moves, __ATOMIC_RELAXED) != moves && ++tries < FIND_RETRIES);
	return 0;
}

uint32_t
lb_conn_index_signature(const struct lb_conn_key *k)
{
	uint32_t h1, h2;

	key_hash(k, &h1, &h2);
	return h1;
}

uint32_t
lb_conn_index_find(const struct lb_conn_index *x, const struct lb_conn_key *k)
{
	uint32_t h1, h2;

	key_hash(k, &h1, &h2);
	return find_hashed(x, k, h1, h2);
}

void
lb_conn_index_prefetch_hashed(const struct lb_conn_index *x, const struct lb_conn_probe *pr)
{
	rte_prefetch0(&x->buckets[bucket_of(x, pr->h1)]);
}

void
lb_conn_index_prefetch(const struct lb_conn_index *x, const struct lb_conn_key *k,
		       struct lb_conn_probe *pr)
{
	key_hash(k, &pr->h1, &pr->h2);
	lb_conn_index_prefetch_hashed(x, pr);
}

uint32_t
lb_conn_index_candidate(const struct lb_conn_index *x, const struct lb_conn_probe *pr)
{
	const struct lb_conn_bucket *b = &x->buckets[bucket_of(x, pr->h1)];
	unsigned int bits;

	for (bits = sig_matches(b, pr->h1); bits != 0; bits &= bits - 1) {
		uint32_t ref = __atomic_load_n(&b->ref[__builtin_ctz(bits)], __ATOMIC_ACQUIRE);

		if (ref != 0) {
			rte_prefetch0(lb_conn_of_ref(ref));
			return ref;
		}
	}
	rte_prefetch0(&x->buckets[bucket_of(x, pr->h2)]);
	return 0;
}

bool
lb_conn_index_confirm(const struct lb_conn_key *k, uint32_t cand)
{
	const struct lb_conn *c = lb_conn_of_ref(cand);

	return __atomic_load_n(&c->live, __ATOMIC_ACQUIRE) && key_eq(ref_key(cand), k);
}

/* A free slot of b, or -1. Writer only. */
static int
free_slot(const struct lb_conn_bucket *b)
{
	unsigned int s;

	for (s = 0; s < SLOTS; s++)
		if (b->ref[s] == 0)
			return (int)s;
	return -1;
}

/* Publish sig/ref in slot s of b: the signature first. Writer only. */
static void
put(struct lb_conn_bucket *b, unsigned int s, uint32_t sig, uint32_t ref)
{
	__atomic_store_n(&b->sig[s], sig, __ATOMIC_RELAXED);
	__atomic_store_n(&b->ref[s], ref, __ATOMIC_RELEASE);
}

/* Put sig/ref in a free slot of b; false when b is full. Writer only. */
static bool
put_free(struct lb_conn_bucket *b, uint32_t sig, uint32_t ref)
{
	int s = free_slot(b);

	if (s < 0)
		return false;
	put(b, (unsigned int)s, sig, ref);
	return true;
}

/*
 * The other bucket of the entry in slot s of bucket number b, from its
 * signature, not its key: the connection's line is not read, and a reply
 * key marked LB_KEY_SUPERSEDED (which no longer hashes as filed) moves
 * between the buckets it was filed for.
 */
static uint32_t
other_bucket(const struct lb_conn_index *x, uint32_t b, unsigned int s)
{
	const uint32_t h1 = x->buckets[b].sig[s];
	const uint32_t b1 = bucket_of(x, h1);

	return b1 == b ? bucket_of(x, second_hash(h1)) : b1;
}

struct step {
	uint32_t b;
	unsigned int s;
};

static bool
on_path(const struct step *path, unsigned int len, uint32_t b, unsigned int s)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (path[i].b == b && path[i].s == s)
			return true;
	return false;
}

/* Copy slot `from` to the free slot `to`, count the move. Writer only. */
static void
move_entry(struct lb_conn_index *x, struct step from, struct step to)
{
	struct lb_conn_bucket *f = &x->buckets[from.b], *t = &x->buckets[to.b];

	put(t, to.s, f->sig[from.s], f->ref[from.s]);
	__atomic_store_n(&x->moves, x->moves + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* counted before the old place changes */
	__atomic_store_n(&f->ref[from.s], 0, __ATOMIC_RELAXED);
}

/*
 * Free a slot in bucket start by moving entries along a path of at most
 * MAX_PATH buckets, each entry to its other bucket. Returns the slot
 * freed in start, or -1.
 */
static int
make_room(struct lb_conn_index *x, uint32_t start)
{
	struct step path[MAX_PATH];
	uint32_t b = start, alt[SLOTS];
	unsigned int len, s, k;

	for (len = 0; len < MAX_PATH; len++) {
		/* an entry here whose other bucket has room ends the path */
		for (s = 0; s < SLOTS; s++) {
			int f;

			alt[s] = other_bucket(x, b, s);
			if (alt[s] == b || on_path(path, len, b, s) ||
			    (f = free_slot(&x->buckets[alt[s]])) < 0)
				continue;
			path[len] = (struct step){ b, s };
			move_entry(x, path[len], (struct step){ alt[s], (unsigned int)f });
			for (k = len; k-- > 0;)		/* the freed slot takes the one before */
				move_entry(x, path[k], path[k + 1]);
			return (int)path[0].s;
		}
		/* none: push on through an entry not yet on the path */
		for (k = 0; k < SLOTS; k++) {
			s = (x->kick++ + k) % SLOTS;
			if (!on_path(path, len, b, s) && alt[s] != b)
				break;
		}
		if (k == SLOTS)
			return -1;
		path[len] = (struct step){ b, s };
		b = alt[s];
	}
	return -1;
}

int
lb_conn_index_add(struct lb_conn_index *x, const struct lb_conn_key *k, uint32_t ref)
{
	uint32_t h1, h2, b1, b2;
	int s;

	key_hash(k, &h1, &h2);
	b1 = bucket_of(x, h1);
	b2 = bucket_of(x, h2);
	if (put_free(&x->buckets[b1], h1, ref) || put_free(&x->buckets[b2], h1, ref))
		return 0;
	s = make_room(x, b1);
	if (s < 0 && b2 != b1) {
		s = make_room(x, b2);
		b1 = b2;
	}
	if (s < 0)
		return -ENOSPC;
	put(&x->buckets[b1], (unsigned int)s, h1, ref);
	return 0;
}

void
lb_conn_index_del(struct lb_conn_index *x, const struct lb_conn_key *k, uint32_t ref)
{
	uint32_t h1, h2, bs[2];
	unsigned int i, s;

	key_hash(k, &h1, &h2);
	bs[0] = bucket_of(x, h1);
	bs[1] = bucket_of(x, h2);
	for (i = 0; i < 2; i++)
		for (s = 0; s < SLOTS; s++)
			if (x->buckets[bs[i]].ref[s] == ref) {
				__atomic_store_n(&x->buckets[bs[i]].ref[s], 0, __ATOMIC_RELEASE);
				return;
			}
}
