/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CONN_INDEX_H
#define LB_CONN_INDEX_H

/*
 * The connection table's index: flow key -> connection, for one worker's
 * table (app/conn.h).
 *
 * A 2-choice bucketed cuckoo hash. Each bucket is one 64-byte cache line
 * of 8 slots: a 32-bit signature (the key's first hash) and a 32-bit
 * reference (LB_REF_OUT for the real server's key, and lb_conn_id + 1;
 * 0 = empty slot). A key lives in one of its two buckets; when both are
 * full, entries move to their other bucket to make room (cuckoo). The
 * keys themselves are in the connections, so a lookup reads one bucket
 * and one connection line, 8 bytes a key.
 *
 * One writer (the table's owner), any number of lock-free readers: an
 * entry is written before its reference is published; an entry that
 * moves is written at its new place before it leaves the old one, and the
 * move counted, so a reader that missed while entries moved looks again.
 */
#include <stdbool.h>
#include <stdint.h>

#include "app/conn.h"

#define LB_REF_OUT (UINT32_C(1) << 31)	/* the reference is to the reply key */

struct lb_conn_index {
	struct lb_conn_bucket *buckets;
	uint32_t nb_buckets;
	uint32_t moves;			/* entries moved so far; atomics */
	uint32_t kick;			/* writer only: where the next move search starts */
};

/* The connection a reference names. */
static inline struct lb_conn *
lb_conn_of_ref(uint32_t ref)
{
	return &lb_conn_base[(ref & ~LB_REF_OUT) - 1];
}

/*
 * Allocate x for `keys` keys at most (buckets kept 80 % full at worst) on
 * socket. Returns 0 or -ENOMEM.
 */
int lb_conn_index_init(struct lb_conn_index *x, uint32_t keys, int socket);

/* Free x's buckets. */
void lb_conn_index_free(struct lb_conn_index *x);

/* Bytes x takes. */
size_t lb_conn_index_bytes(const struct lb_conn_index *x);

/* Keys filed in x, by a walk over every slot. Quiet table; tests, diagnostics. */
uint32_t lb_conn_index_entries(const struct lb_conn_index *x);

/*
 * The signature the index files k under (its first hash): keys sharing
 * one share both buckets too. Pure; any lcore. For tests and diagnostics.
 */
uint32_t lb_conn_index_signature(const struct lb_conn_key *k);

/*
 * The reference of key k in x, 0 when absent. Lock-free; any lcore that
 * is an RCU reader of the connections.
 */
uint32_t lb_conn_index_find(const struct lb_conn_index *x, const struct lb_conn_key *k);

/*
 * lb_conn_index_find in steps, so that a burst's misses overlap with the
 * work on the packets before (a software pipeline): lb_conn_index_prefetch
 * hashes a key into *pr (app/conn.h) and prefetches its first bucket; some packets
 * later, lb_conn_index_candidate reads that bucket and returns the
 * reference of the first slot whose signature matches (unconfirmed, its
 * connection prefetched), else 0 (the second bucket prefetched);
 * lb_conn_index_confirm, some packets later still, checks it. When it
 * fails, lb_conn_index_find looks the long way (second bucket, a rarer
 * match). Lock-free, as lb_conn_index_find.
 */
void lb_conn_index_prefetch(const struct lb_conn_index *x, const struct lb_conn_key *k,
			    struct lb_conn_probe *pr);
uint32_t lb_conn_index_candidate(const struct lb_conn_index *x, const struct lb_conn_probe *pr);
/* Also prefetch pr's first bucket in x (another table, same hashes). */
void lb_conn_index_prefetch_hashed(const struct lb_conn_index *x, const struct lb_conn_probe *pr);

/*
 * Does the connection reference cand (non-zero, from any table) names hold
 * k, and is it still in its table (not removed since cand was read)?
 */
bool lb_conn_index_confirm(const struct lb_conn_key *k, uint32_t cand);

/*
 * Add key k -> ref (the connection must already hold k). The writer only.
 * Returns 0, or -ENOSPC when no room could be made (x is too full).
 */
int lb_conn_index_add(struct lb_conn_index *x, const struct lb_conn_key *k, uint32_t ref);

/* Remove key k -> ref. The writer only; readers may see it until they pass QSBR. */
void lb_conn_index_del(struct lb_conn_index *x, const struct lb_conn_key *k, uint32_t ref);

#endif
